// The "memory:" driver: objects in a sorted map behind one mutex.
//
//   memory:           a fresh private store, gone when the instance closes
//   memory:NAME       a process-wide store shared by every open of NAME; like a bucket it
//                     outlives its clients and lasts until the process exits
//   ...?page=N        list page size (default 1000), to exercise pagination in tests
//
// ETags are a per-store counter (16 hex digits), so every put gives a new one.
#include <bucketdb/driver.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "drv_util.h"
#include "entry.h"

namespace {

using bdbdrv::guarded;
using bdbdrv::kKeyInMessage;
using bdbdrv::set_error;

struct Object {
  std::shared_ptr<const std::vector<unsigned char>> data;  // immutable once stored
  std::string etag;
};

struct Store {
  std::mutex mu;
  std::map<std::string, Object> objects;
  uint64_t last_etag = 0;
  uint64_t bytes = 0;
};

struct Instance {
  std::shared_ptr<Store> store;
  size_t page_size = 1000;
};

// Named stores; never destroyed, so no exit-time destructor races a late caller.
std::mutex &registry_mutex() {
  static std::mutex *mu = new std::mutex;
  return *mu;
}
std::map<std::string, std::shared_ptr<Store>> &registry() {
  static auto *stores = new std::map<std::string, std::shared_ptr<Store>>;
  return *stores;
}

int check_key(const char *op, const char *key, bdb_drv_error *err) {
  if (!key || !*key) return set_error(err, BDB_DRV_INVALID, 0, "%s: empty key", op);
  if (std::strlen(key) > BDB_DRV_MAX_KEY)
    return set_error(err, BDB_DRV_INVALID, 0, "%s %.*s...: key longer than %u bytes", op,
                     kKeyInMessage, key, BDB_DRV_MAX_KEY);
  return BDB_DRV_OK;
}

int mem_open(const bdb_driver_host *, const char *config, void **out_instance, bdb_drv_error *err) {
  return guarded(err, "open", config, [&]() -> int {
    std::string name, why;
    std::map<std::string, std::string> opts;
    if (!bdbdrv::parse_config(config ? config : "", &name, &opts, &why))
      return set_error(err, BDB_DRV_INVALID, 0, "memory:%s: %s", config, why.c_str());
    auto inst = std::make_unique<Instance>();
    for (const auto &[k, v] : opts) {
      if (k == "page") {
        if (!bdbdrv::parse_page_size(v, &inst->page_size))
          return set_error(err, BDB_DRV_INVALID, 0,
                           "memory:%s: page must be a whole number from 1 to 1000000", config);
      } else {
        return set_error(err, BDB_DRV_INVALID, 0, "memory:%s: unknown option '%s' (known: page)",
                         config, k.c_str());
      }
    }
    if (name.empty()) {
      inst->store = std::make_shared<Store>();
    } else {
      std::lock_guard<std::mutex> lock(registry_mutex());
      auto &slot = registry()[name];
      if (!slot) slot = std::make_shared<Store>();
      inst->store = slot;
    }
    *out_instance = inst.release();
    return BDB_DRV_OK;
  });
}

void mem_close(void *instance) {
  delete static_cast<Instance *>(instance);
}

int mem_get(void *instance, const char *key, const char *if_none_match, bdb_drv_object *out,
            bdb_drv_error *err) {
  return guarded(err, "get", key, [&]() -> int {
    *out = bdb_drv_object{};
    if (int st = check_key("get", key, err)) return st;
    Store &s = *static_cast<Instance *>(instance)->store;
    Object obj;
    {
      std::lock_guard<std::mutex> lock(s.mu);
      auto it = s.objects.find(key);
      if (it == s.objects.end())
        return set_error(err, BDB_DRV_NOT_FOUND, 0, "get %.*s: no such key", kKeyInMessage, key);
      obj = it->second;
    }
    if (if_none_match && bdbdrv::normalize_etag(if_none_match) == obj.etag)
      return BDB_DRV_NOT_MODIFIED;
    // Copy outside the lock: the stored bytes never change.
    size_t n = obj.data->size();
    void *data = std::malloc(n ? n : 1);
    char *etag = bdbdrv::dup_cstr(obj.etag);
    if (!data || !etag) {
      std::free(data);
      std::free(etag);
      return set_error(err, BDB_DRV_NOMEM, ENOMEM, "get %.*s: out of memory", kKeyInMessage, key);
    }
    if (n) std::memcpy(data, obj.data->data(), n);
    *out = bdb_drv_object{data, n, etag};
    return BDB_DRV_OK;
  });
}

int mem_put(void *instance, const char *key, const void *data, size_t size,
            const bdb_drv_put_options *options, char **out_etag, bdb_drv_error *err) {
  return guarded(err, "put", key, [&]() -> int {
    if (out_etag) *out_etag = nullptr;
    if (int st = check_key("put", key, err)) return st;
    if (size && !data)
      return set_error(err, BDB_DRV_INVALID, 0, "put %.*s: no data", kKeyInMessage, key);
    const auto *bytes = static_cast<const unsigned char *>(data);
    auto copy = std::make_shared<const std::vector<unsigned char>>(bytes, bytes + size);
    std::string if_match = bdbdrv::normalize_etag(options ? options->if_match : nullptr);
    bool create_only = options && options->if_none_match;
    char *etag_copy = nullptr;

    Store &s = *static_cast<Instance *>(instance)->store;
    std::lock_guard<std::mutex> lock(s.mu);
    auto it = s.objects.find(key);
    if (create_only && it != s.objects.end())
      return set_error(err, BDB_DRV_PRECONDITION_FAILED, 412, "put %.*s: key already exists",
                       kKeyInMessage, key);
    if (options && options->if_match) {
      if (it == s.objects.end())
        return set_error(err, BDB_DRV_PRECONDITION_FAILED, 412,
                         "put %.*s: If-Match %s but the key does not exist", kKeyInMessage, key,
                         if_match.c_str());
      if (it->second.etag != if_match)
        return set_error(err, BDB_DRV_PRECONDITION_FAILED, 412,
                         "put %.*s: If-Match %s but the ETag is %s", kKeyInMessage, key,
                         if_match.c_str(), it->second.etag.c_str());
    }
    std::string etag = bdbdrv::hex64(s.last_etag + 1);
    if (out_etag && !(etag_copy = bdbdrv::dup_cstr(etag)))
      return set_error(err, BDB_DRV_NOMEM, ENOMEM, "put %.*s: out of memory", kKeyInMessage, key);
    if (it == s.objects.end()) {
      it = s.objects.emplace(key, Object{}).first;  // may throw: nothing changed yet
    } else {
      s.bytes -= it->second.data->size();
    }
    it->second = Object{std::move(copy), std::move(etag)};
    s.bytes += size;
    s.last_etag++;
    if (out_etag) *out_etag = etag_copy;
    return BDB_DRV_OK;
  });
}

int mem_del(void *instance, const char *key, bdb_drv_error *err) {
  return guarded(err, "delete", key, [&]() -> int {
    if (int st = check_key("delete", key, err)) return st;
    Store &s = *static_cast<Instance *>(instance)->store;
    std::lock_guard<std::mutex> lock(s.mu);
    auto it = s.objects.find(key);
    if (it != s.objects.end()) {
      s.bytes -= it->second.data->size();
      s.objects.erase(it);
    }
    return BDB_DRV_OK;
  });
}

int mem_list(void *instance, const char *prefix_c, const char *token, bdb_drv_list *out,
             bdb_drv_error *err) {
  return guarded(err, "list", prefix_c, [&]() -> int {
    *out = bdb_drv_list{};
    auto *inst = static_cast<Instance *>(instance);
    std::string prefix = prefix_c ? prefix_c : "";
    std::vector<std::string> keys;
    bool truncated = false;
    {
      std::lock_guard<std::mutex> lock(inst->store->mu);
      const auto &objects = inst->store->objects;
      // The token is the last key of the previous page: resume just after it.
      auto it = objects.lower_bound(prefix);
      if (token && *token && std::string(token) >= prefix) it = objects.upper_bound(token);
      for (; it != objects.end() && bdbdrv::starts_with(it->first, prefix); ++it) {
        if (keys.size() == inst->page_size) {
          truncated = true;
          break;
        }
        keys.push_back(it->first);
      }
    }
    return bdbdrv::make_list(keys, truncated, out, err);
  });
}

void mem_release(void *, void *ptr) {
  std::free(ptr);
}
void mem_release_list(void *, bdb_drv_list *list) {
  bdbdrv::free_list(list);
}

int mem_stats(void *instance, char *buf, size_t cap) {
  if (!buf || cap == 0) return BDB_DRV_OK;
  buf[0] = 0;
  return guarded(nullptr, "stats", "", [&]() -> int {
    Store &s = *static_cast<Instance *>(instance)->store;
    std::lock_guard<std::mutex> lock(s.mu);
    std::snprintf(buf, cap, "{\"objects\":%zu,\"bytes\":%llu}", s.objects.size(),
                  static_cast<unsigned long long>(s.bytes));
    return BDB_DRV_OK;
  });
}

const bdb_driver_v1 kTable = {
    BDB_DRIVER_ABI_VERSION,
    sizeof(bdb_driver_v1),
    "memory",
    BDB_DRV_CAP_CONDITIONAL_PUT | BDB_DRV_CAP_STRONG_LIST | BDB_DRV_CAP_IF_NONE_MATCH_GET,
    mem_open,
    mem_close,
    mem_get,
    mem_put,
    mem_del,
    mem_list,
    mem_release,
    mem_release_list,
    mem_stats,
    nullptr,  // instance_capabilities
};

}  // namespace

extern "C" BDB_DRIVER_ENTRY_VISIBILITY const bdb_driver_v1 *BDB_DRIVER_ENTRY_NAME(
    uint32_t host_abi) {
  return host_abi >= 1 ? &kTable : nullptr;
}
