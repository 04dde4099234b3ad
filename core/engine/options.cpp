#include "core/engine/options.h"

#include <cerrno>
#include <cstdlib>

#include "core/schema/schema.h"
#include "core/util/error.h"

namespace bucketdb {

namespace {

uint64_t parse_uint(const std::string &name, const std::string &value, uint64_t min, uint64_t max) {
  if (value.empty() || value[0] < '0' || value[0] > '9')
    fail(BDB_E_INVALID, "option " + name + ": '" + value + "' is not a non-negative integer");
  errno = 0;
  char *end = nullptr;
  unsigned long long v = std::strtoull(value.c_str(), &end, 10);
  if (errno || *end)
    fail(BDB_E_INVALID, "option " + name + ": '" + value + "' is not a non-negative integer");
  if (v < min || v > max)
    fail(BDB_E_INVALID, "option " + name + ": " + value + " is out of range (" +
                            std::to_string(min) + " to " + std::to_string(max) + ")");
  return v;
}

bool parse_flag(const std::string &name, const std::string &value) {
  if (value == "1" || value == "true") return true;
  if (value == "0" || value == "false") return false;
  fail(BDB_E_INVALID, "option " + name + ": '" + value + "' is not 0, 1, true or false");
}

// A signed number of milliseconds within [-limit, limit].
int64_t parse_offset(const std::string &name, const std::string &value, uint64_t limit) {
  bool neg = !value.empty() && value[0] == '-';
  std::string digits = neg ? value.substr(1) : value;
  if (digits.empty() || digits[0] < '0' || digits[0] > '9')
    fail(BDB_E_INVALID, "option " + name + ": '" + value + "' is not an integer");
  errno = 0;
  char *end = nullptr;
  unsigned long long v = std::strtoull(digits.c_str(), &end, 10);
  if (errno || *end) fail(BDB_E_INVALID, "option " + name + ": '" + value + "' is not an integer");
  if (v > limit)
    fail(BDB_E_INVALID, "option " + name + ": " + value + " is out of range (-" +
                            std::to_string(limit) + " to " + std::to_string(limit) + ")");
  return neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
}

void set_prefix(std::string &dst, const std::string &name, const std::string &value) {
  if (value.empty() || value.find('/') == 0 || value.back() == '/' ||
      value.find("//") != std::string::npos || value.find("..") != std::string::npos)
    fail(BDB_E_INVALID, "option " + name + ": '" + value +
                            "' must be a non-empty key prefix without leading or trailing '/' "
                            "or '..'");
  dst = value;
}

}  // namespace

void Options::set(const std::string &name, const std::string &value) {
  const uint64_t kMax = ~uint64_t{0} >> 1;
  if (name == "dbPrefix")
    set_prefix(db_prefix, name, value);
  else if (name == "nodeId")
    node_id = static_cast<uint32_t>(parse_uint(name, value, 0, 255));
  else if (name == "ringSize")
    ring_size = static_cast<uint32_t>(parse_uint(name, value, 1, 256));
  else if (name == "writeForwardInterval")
    write_forward_interval_ms = parse_uint(name, value, 10, kMax);
  else if (name == "readStalenessMs")
    read_staleness_ms = parse_uint(name, value, 0, kMax);
  else if (name == "blockSizeBytes")
    block_size_bytes = parse_uint(name, value, 512, 1ull << 30);
  else if (name == "maxMemoryBytes")
    max_memory_bytes = parse_uint(name, value, 0, kMax);
  else if (name == "maxRequestsInFlight")
    max_requests_in_flight = static_cast<uint32_t>(parse_uint(name, value, 1, 1024));
  else if (name == "mergeIntervalMs")
    merge_interval_ms = parse_uint(name, value, 0, kMax);
  else if (name == "mergeThresholdBytes")
    merge_threshold_bytes = parse_uint(name, value, 1, kMax);
  else if (name == "mergeThresholdEntries")
    merge_threshold_entries = parse_uint(name, value, 1, kMax);
  else if (name == "gcGraceMs")
    gc_grace_ms = parse_uint(name, value, 0, kMax);
  else if (name == "autoMerge")
    auto_merge = parse_flag(name, value);
  else if (name == "createIfMissing")
    create_if_missing = parse_flag(name, value);
  else if (name == "readOnly")
    read_only = parse_flag(name, value);
  else if (name == "clockOffsetMs")
    clock_offset_ms = parse_offset(name, value, 86400000);
  else if (name == "logLevel") {
    if (value != "debug" && value != "info" && value != "warn" && value != "error" &&
        value != "silent")
      fail(BDB_E_INVALID,
           "option logLevel: '" + value + "' is not one of debug, info, warn, error, silent");
    log_level = value;
  } else if (name == "dataPrefix")
    set_prefix(data_prefix, name, value);
  else if (name == "committedPrefix")
    set_prefix(committed_prefix, name, value);
  else if (name == "blobPrefix")
    set_prefix(blob_prefix, name, value);
  else if (name == "indexPrefix")
    set_prefix(index_prefix, name, value);
  else if (name == "manifestPrefix")
    set_prefix(manifest_prefix, name, value);
  else
    fail(BDB_E_INVALID,
         "unknown option '" + name +
             "' (known: dbPrefix nodeId ringSize writeForwardInterval "
             "readStalenessMs blockSizeBytes maxMemoryBytes maxRequestsInFlight mergeIntervalMs "
             "mergeThresholdBytes mergeThresholdEntries gcGraceMs autoMerge createIfMissing "
             "readOnly clockOffsetMs "
             "logLevel dataPrefix committedPrefix blobPrefix indexPrefix "
             "manifestPrefix)");
}

void Options::validate() const {
  if (read_only && create_if_missing)
    fail(BDB_E_INVALID,
         "options: readOnly and createIfMissing do not go together (creating a "
         "database writes its Block 0)");
  // nodeId >= ringSize is allowed: such a node reads and commits but never leads a merge.
  const std::string *subs[] = {&data_prefix, &committed_prefix, &blob_prefix, &index_prefix,
                               &manifest_prefix};
  for (size_t i = 0; i < 5; i++)
    for (size_t j = i + 1; j < 5; j++)
      if (*subs[i] == *subs[j])
        fail(BDB_E_INVALID, "options: two sub-prefixes are both '" + *subs[i] + "'");
}

}  // namespace bucketdb
