// The engine's view of storage: get/put/delete/list over a driver plugin, with ETags
// normalised, transient failures retried with exponential backoff and full jitter, and every
// request counted by kind (our users' bill).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/storage/driver_loader.h"
#include "core/util/bytes.h"
#include "core/util/log.h"

namespace bucketdb {

struct StoredObject {
  Bytes data;
  std::string etag;  // normalised: no quotes, no W/ prefix
};

struct PutCondition {
  std::string if_match;        // empty: none
  bool if_none_match = false;  // create only
};

enum class PutOutcome {
  kOk,
  kPreconditionFailed,
  // The put failed with a transient error, was retried, and the retry found the precondition
  // failed: the first attempt may have landed. The caller must look at the object to know.
  kPreconditionFailedAfterRetry,
};

struct StorageCounters {
  std::atomic<uint64_t> gets{0}, get_misses{0}, not_modified{0}, puts{0}, put_conflicts{0},
      deletes{0}, lists{0}, bytes_in{0}, bytes_out{0}, retries{0};
};

class Storage {
 public:
  explicit Storage(std::unique_ptr<DriverHandle> driver);
  // `log` is handed to the driver through its host table (and to the layers it opens).
  static std::unique_ptr<Storage> open(const std::string &uri, const Logger &log = {});

  const std::string &uri() const { return driver_->uri(); }
  uint64_t capabilities() const;  // BDB_DRV_CAP_* of this instance
  bool conditional_put() const;
  std::string driver_name() const;

  // nullopt when the key does not exist.
  std::optional<StoredObject> get(const std::string &key);
  // Like get, but answers nullopt with *not_modified = true when the object still has etag.
  std::optional<StoredObject> get_if_changed(const std::string &key, const std::string &etag,
                                             bool *not_modified);
  PutOutcome put(const std::string &key, const Bytes &data, const PutCondition &cond,
                 std::string *etag_out = nullptr);
  void del(const std::string &key);
  struct Page {
    std::vector<std::string> keys;
    std::string next_token;  // empty: last page
  };
  Page list(const std::string &prefix, const std::string &token);
  std::vector<std::string> list_all(const std::string &prefix);

  // From now on put and delete fail with BDB_E_INVALID naming the key and `why`: a read-only
  // database sends only GETs and LISTs, whatever asks it to write.
  void forbid_writes(std::string why) { writes_forbidden_ = std::move(why); }

  const StorageCounters &counters() const { return counters_; }
  std::string driver_stats_json() const;  // "{}" when the driver has none

  // Retry policy; tests shorten it.
  int max_attempts = 6;
  int base_delay_ms = 50;
  int max_delay_ms = 2000;

 private:
  template <typename Fn>
  int with_retries(const char *op, const std::string &key, Fn &&fn, bdb_drv_error &err,
                   bool *retried = nullptr);
  [[noreturn]] void raise(const char *op, const std::string &key, int st,
                          const bdb_drv_error &err) const;
  void check_writable(const char *op, const std::string &key) const;
  std::unique_ptr<DriverHandle> driver_;
  StorageCounters counters_;
  std::string writes_forbidden_;  // why, when they are
};

std::string normalize_etag(const char *etag);

}  // namespace bucketdb
