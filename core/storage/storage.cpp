#include "core/storage/storage.h"

#include <chrono>
#include <random>
#include <thread>

#include "core/storage/driver_status.h"
#include "core/util/error.h"
#include "core/util/interrupt.h"

namespace bucketdb {

std::string normalize_etag(const char *etag) {
  if (!etag) return {};
  std::string s = etag;
  if (s.rfind("W/", 0) == 0) s = s.substr(2);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

Storage::Storage(std::unique_ptr<DriverHandle> driver) : driver_(std::move(driver)) {}

std::unique_ptr<Storage> Storage::open(const std::string &uri, const Logger &log) {
  return std::make_unique<Storage>(open_driver(uri, log));
}

uint64_t Storage::capabilities() const {
  const bdb_driver_v1 *t = driver_->table();
  if (BDB_DRIVER_HAS(t, instance_capabilities) && t->instance_capabilities)
    return t->instance_capabilities(driver_->instance());
  return t->capabilities;
}

bool Storage::conditional_put() const {
  return (capabilities() & BDB_DRV_CAP_CONDITIONAL_PUT) != 0;
}

std::string Storage::driver_name() const {
  return driver_->table()->name ? driver_->table()->name : "?";
}

void Storage::raise(const char *op, const std::string &key, int st,
                    const bdb_drv_error &err) const {
  // Drivers name the operation and key themselves; add them only when a driver did not.
  std::string msg =
      err.message[0] ? std::string(err.message)
                     : std::string(op) + " " + key + " failed (status " + std::to_string(st) + ")";
  if (err.message[0] && msg.find(key) == std::string::npos)
    msg = std::string(op) + " " + key + ": " + msg;
  fail(status_from_driver(st), msg);
}

template <typename Fn>
int Storage::with_retries(const char *op, const std::string &key, Fn &&fn, bdb_drv_error &err,
                          bool *retried) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  int delay = base_delay_ms;
  // A driver that retries itself (S3) gets one more try from here, not a second full round.
  const int attempts =
      (capabilities() & BDB_DRV_CAP_RETRIES) ? std::min(max_attempts, 2) : max_attempts;
  const std::string what = std::string("waiting for ") + op + " " + key;
  for (int attempt = 1;; attempt++) {
    check_interrupt(what.c_str());
    err = bdb_drv_error{};
    int st = fn();
    // A driver that let the call go when asked (bdb_driver_host.interrupted) fails it.
    if (st != BDB_DRV_OK && st != BDB_DRV_NOT_FOUND && st != BDB_DRV_NOT_MODIFIED)
      check_interrupt(what.c_str());
    if (st != BDB_DRV_TRANSIENT) return st;
    if (attempt >= attempts) {
      std::string msg = std::string(op) + " " + key + " failed" +
                        (attempt > 1 ? " after " + std::to_string(attempt) + " attempts" : "");
      if (err.message[0]) msg += ": " + std::string(err.message);
      fail(BDB_E_IO, msg);
    }
    if (retried) *retried = true;
    counters_.retries++;
    // Full jitter: sleep a uniform time in [0, delay].
    std::uniform_int_distribution<int> pick(0, delay);
    interruptible_sleep(std::chrono::milliseconds(pick(rng)), what.c_str());
    delay = std::min(delay * 2, max_delay_ms);
  }
}

std::optional<StoredObject> Storage::get(const std::string &key) {
  bool nm = false;
  return get_if_changed(key, std::string(), &nm);
}

std::optional<StoredObject> Storage::get_if_changed(const std::string &key, const std::string &etag,
                                                    bool *not_modified) {
  const bdb_driver_v1 *t = driver_->table();
  bdb_drv_object obj{};
  bdb_drv_error err{};
  *not_modified = false;
  int st = with_retries(
      "get", key,
      [&] {
        counters_.gets++;
        obj = bdb_drv_object{};
        return t->get(driver_->instance(), key.c_str(), etag.empty() ? nullptr : etag.c_str(), &obj,
                      &err);
      },
      err);
  if (st == BDB_DRV_NOT_FOUND) {
    counters_.get_misses++;
    return std::nullopt;
  }
  if (st == BDB_DRV_NOT_MODIFIED) {
    counters_.not_modified++;
    *not_modified = true;
    return std::nullopt;
  }
  if (st != BDB_DRV_OK) raise("get", key, st, err);
  StoredObject out;
  const auto *p = static_cast<const uint8_t *>(obj.data);
  out.data.assign(p, p + obj.size);
  out.etag = normalize_etag(obj.etag);
  if (obj.data) t->release(driver_->instance(), obj.data);
  if (obj.etag) t->release(driver_->instance(), obj.etag);
  counters_.bytes_in += out.data.size();
  if (!etag.empty() && out.etag == etag) {
    // A driver without conditional get: same object, report it as unchanged.
    *not_modified = true;
    return std::nullopt;
  }
  return out;
}

void Storage::check_writable(const char *op, const std::string &key) const {
  if (!writes_forbidden_.empty())
    fail(BDB_E_INVALID, std::string(op) + " " + key + ": " + writes_forbidden_);
}

PutOutcome Storage::put(const std::string &key, const Bytes &data, const PutCondition &cond,
                        std::string *etag_out) {
  check_writable("put", key);
  const bdb_driver_v1 *t = driver_->table();
  bdb_drv_put_options opts{};
  // A store without conditional writes gets none: the engine's timeshare rule stands in for
  // them (a driver may refuse conditions it cannot honour).
  if (conditional_put()) {
    opts.if_match = cond.if_match.empty() ? nullptr : cond.if_match.c_str();
    opts.if_none_match = cond.if_none_match ? 1 : 0;
  }
  char *etag = nullptr;
  bdb_drv_error err{};
  bool retried = false;
  int st = with_retries(
      "put", key,
      [&] {
        counters_.puts++;
        counters_.bytes_out += data.size();
        etag = nullptr;
        return t->put(driver_->instance(), key.c_str(), data.data(), data.size(), &opts, &etag,
                      &err);
      },
      err, &retried);
  if (st == BDB_DRV_PRECONDITION_FAILED) {
    counters_.put_conflicts++;
    return retried ? PutOutcome::kPreconditionFailedAfterRetry : PutOutcome::kPreconditionFailed;
  }
  if (st != BDB_DRV_OK) raise("put", key, st, err);
  if (etag_out) *etag_out = normalize_etag(etag);
  if (etag) t->release(driver_->instance(), etag);
  return PutOutcome::kOk;
}

void Storage::del(const std::string &key) {
  check_writable("delete", key);
  const bdb_driver_v1 *t = driver_->table();
  bdb_drv_error err{};
  int st = with_retries(
      "delete", key,
      [&] {
        counters_.deletes++;
        return t->del(driver_->instance(), key.c_str(), &err);
      },
      err);
  if (st != BDB_DRV_OK && st != BDB_DRV_NOT_FOUND) raise("delete", key, st, err);
}

Storage::Page Storage::list(const std::string &prefix, const std::string &token) {
  const bdb_driver_v1 *t = driver_->table();
  bdb_drv_list out{};
  bdb_drv_error err{};
  int st = with_retries(
      "list", prefix,
      [&] {
        counters_.lists++;
        out = bdb_drv_list{};
        return t->list(driver_->instance(), prefix.c_str(), token.empty() ? nullptr : token.c_str(),
                       &out, &err);
      },
      err);
  Page page;
  if (st == BDB_DRV_NOT_FOUND) return page;
  if (st != BDB_DRV_OK) raise("list", prefix, st, err);
  for (size_t i = 0; i < out.count; i++) page.keys.emplace_back(out.keys[i]);
  if (out.truncated && out.next_token) page.next_token = out.next_token;
  t->release_list(driver_->instance(), &out);
  return page;
}

std::vector<std::string> Storage::list_all(const std::string &prefix) {
  std::vector<std::string> keys;
  std::string token;
  do {
    Page p = list(prefix, token);
    keys.insert(keys.end(), p.keys.begin(), p.keys.end());
    if (!p.next_token.empty() && p.next_token == token)
      fail(BDB_E_IO, "list " + prefix + ": driver returned the same continuation token twice");
    token = p.next_token;
  } while (!token.empty());
  return keys;
}

std::string Storage::driver_stats_json() const {
  const bdb_driver_v1 *t = driver_->table();
  if (!t->stats) return "{}";
  char buf[4096] = {0};
  if (t->stats(driver_->instance(), buf, sizeof buf) != BDB_DRV_OK || !buf[0]) return "{}";
  return buf;
}

}  // namespace bucketdb
