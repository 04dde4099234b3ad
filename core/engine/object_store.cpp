#include "core/engine/object_store.h"

#include <chrono>

#include "core/util/interrupt.h"

namespace bucketdb {

struct ObjectStore::Flight {
  bool ahead = false;  // started by read-ahead, not by a reader
  std::promise<std::shared_ptr<const void>> promise;
  std::shared_future<std::shared_ptr<const void>> result = promise.get_future().share();
};

ObjectStore::~ObjectStore() = default;

// A flight is marked read-ahead before it is published: a reader joining it must know.
std::shared_ptr<ObjectStore::Flight> ObjectStore::join_or_start(const std::string &key, bool ahead,
                                                                bool *mine) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = flights_.find(key);
  if (it != flights_.end()) {
    *mine = false;
    return it->second;
  }
  auto flight = std::make_shared<Flight>();
  flight->ahead = ahead;
  flights_.emplace(key, flight);
  *mine = true;
  return flight;
}

// Runs the fetch of a flight this thread owns and hands its outcome to every waiter. The
// flight leaves the map first, so a failure is not remembered: the next load tries again.
void ObjectStore::finish(const std::string &key, const std::shared_ptr<Flight> &flight,
                         const Fetch &fetch) {
  std::shared_ptr<const void> object;
  std::exception_ptr error;
  try {
    // A flight that just ended may have cached it between our look and our start.
    object = cache_.peek(key);
    if (!object) {
      Loaded l = fetch();
      cache_.put(key, l.object, l.bytes, l.mark);
      object = std::move(l.object);
    }
  } catch (...) {
    error = std::current_exception();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    flights_.erase(key);
  }
  if (error)
    flight->promise.set_exception(error);
  else
    flight->promise.set_value(std::move(object));
}

namespace {
// Waits for a flight another thread runs, giving up when this call is interrupted.
void await_flight(const std::shared_future<std::shared_ptr<const void>> &result,
                  const std::string &key) {
  if (!current_interrupt_watch().by) return;  // get() waits
  while (result.wait_for(std::chrono::milliseconds(10)) != std::future_status::ready)
    if (interrupted()) fail_interrupted(("waiting for get " + key).c_str());
}
}  // namespace

std::shared_ptr<const void> ObjectStore::load(const std::string &key, const Fetch &fetch) {
  bool fetched_again = false;
  for (;;) {
    bool mine = false;
    auto flight = join_or_start(key, false, &mine);
    if (mine)
      finish(key, flight, fetch);
    else
      await_flight(flight->result, key);
    try {
      return flight->result.get();  // a failure reaches every waiter
    } catch (const std::exception &e) {
      if (mine) throw;
      // The flight of a call interrupted (bdb_db_interrupt) when this one was not: fetch.
      const auto *err = dynamic_cast<const Error *>(&e);
      if (err && err->status() == BDB_E_INTERRUPTED && !interrupted()) continue;
      // A read-ahead that failed was nobody's read: this one fetches the object itself (once;
      // a store that is really failing fails it again, with its own error).
      if (!flight->ahead || fetched_again) throw;
      fetched_again = true;
    }
  }
}

void ObjectStore::prefetch(const std::string &key, Fetch fetch) {
  if (cache_.contains(key)) return;
  bool mine = false;
  auto flight = join_or_start(key, true, &mine);
  if (!mine) return;
  io_.submit([this, key, flight, fetch = std::move(fetch)] { finish(key, flight, fetch); });
}

std::vector<std::optional<StoredObject>> ObjectStore::get_all(
    const std::vector<std::string> &keys) {
  std::vector<std::future<std::optional<StoredObject>>> gets;
  gets.reserve(keys.size());
  for (const std::string &key : keys)
    gets.push_back(io_.submit([this, key] { return storage_.get(key); }));
  return wait_all(gets);
}

ObjectStore::Writes::~Writes() {
  for (size_t i = waited_; i < pending_.size(); i++) pending_[i].wait();
}

void ObjectStore::Writes::admit() {
  size_t limit = store_.max_in_flight();
  while (pending_.size() - waited_ >= limit) {
    try {
      pending_[waited_].get();
    } catch (...) {
      if (!failed_) failed_ = std::current_exception();
    }
    waited_++;
  }
}

void ObjectStore::Writes::put(const std::string &key, Bytes data) {
  admit();
  keys_.push_back(key);
  Storage &storage = store_.storage_;
  pending_.push_back(store_.io_.submit([&storage, key, data = std::move(data)] {
    storage.put(key, data, PutCondition{"", true});
  }));
}

void ObjectStore::Writes::del(const std::string &key) {
  admit();
  Storage &storage = store_.storage_;
  pending_.push_back(store_.io_.submit([&storage, key] { storage.del(key); }));
}

void ObjectStore::Writes::wait() {
  for (; waited_ < pending_.size(); waited_++) {
    try {
      pending_[waited_].get();
    } catch (...) {
      if (!failed_) failed_ = std::current_exception();
    }
  }
  if (failed_) std::rethrow_exception(failed_);
}

}  // namespace bucketdb
