#include "core/storage/driver_registry.h"

#include <map>
#include <mutex>

#include "core/util/error.h"

namespace bucketdb {

namespace {

std::mutex &registry_mu() {
  static std::mutex mu;
  return mu;
}

std::map<std::string, const bdb_driver_v1 *> &registry() {
  static std::map<std::string, const bdb_driver_v1 *> drivers;
  return drivers;
}

}  // namespace

bool valid_scheme(const std::string &s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

void check_driver_table(const bdb_driver_v1 *table, const std::string &what) {
  if (table->abi_version < 1 || table->struct_size < BDB_DRIVER_V1_MIN_SIZE)
    fail(BDB_E_URI, what + " has an unsupported ABI (version " +
                        std::to_string(table->abi_version) + ", table size " +
                        std::to_string(table->struct_size) + "; this host takes versions 1 to " +
                        std::to_string(BDB_DRIVER_ABI_VERSION) + " of at least " +
                        std::to_string(BDB_DRIVER_V1_MIN_SIZE) + " bytes)");
  if (!table->open || !table->close || !table->get || !table->put || !table->del || !table->list ||
      !table->release || !table->release_list)
    fail(BDB_E_URI, what +
                        " lacks a required function (open, close, get, put, del, list, "
                        "release, release_list)");
}

void register_driver(const std::string &scheme, const bdb_driver_v1 *table) {
  if (!valid_scheme(scheme) || scheme == "plugin")
    fail(BDB_E_INVALID, "bdb_driver_register: invalid scheme '" + scheme +
                            "' (lowercase letters, digits, '-' and '_'; not 'plugin')");
  if (table) check_driver_table(table, "the driver registered for '" + scheme + ":'");
  std::lock_guard<std::mutex> lock(registry_mu());
  if (table)
    registry()[scheme] = table;
  else
    registry().erase(scheme);
}

const bdb_driver_v1 *registered_driver(const std::string &scheme) {
  std::lock_guard<std::mutex> lock(registry_mu());
  auto it = registry().find(scheme);
  return it == registry().end() ? nullptr : it->second;
}

}  // namespace bucketdb
