// The engine's immutable objects (data blocks, manifest pages, index nodes) between the cache
// and storage, with requests overlapped (docs/SPEC.md section 8, "Requests in flight"):
//  - single-flight: readers wanting one object make one request; a failed fetch fails every
//    reader waiting for it with the same error, and nothing is cached (a failed read-ahead
//    was nobody's read: the read that needs the object then fetches it itself);
//  - read-ahead: loads started on the I/O pool without waiting, which later loads of the same
//    key join instead of fetching again;
//  - write batches: new objects written concurrently, waited for together before anything
//    that names them (Block 0) is written.
// Loads of the same key from the cache never reach here: callers look in the cache first.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/engine/object_cache.h"
#include "core/storage/io_pool.h"
#include "core/storage/storage.h"

namespace bucketdb {

// What a load makes of an object's bytes: the object (cached by the load) and its size in
// the cache. Missing objects are for `fetch` to report (by throwing).
struct Loaded {
  std::shared_ptr<const void> object;
  uint64_t bytes = 0;
  const UseMark *mark = nullptr;
};

class ObjectStore {
 public:
  using Fetch = std::function<Loaded()>;

  ObjectStore(Storage &storage, ObjectCache &cache, size_t max_in_flight)
      : storage_(storage), cache_(cache), io_(max_in_flight) {}
  ~ObjectStore();  // waits for the read-ahead and writes still in flight

  IoPool &io() { return io_; }
  size_t max_in_flight() const { return io_.limit(); }

  // The object at `key`: from a load in flight, or fetched by this thread now (and cached).
  std::shared_ptr<const void> load(const std::string &key, const Fetch &fetch);
  // Starts fetching `key` on the I/O pool unless it is cached or already in flight.
  void prefetch(const std::string &key, Fetch fetch);

  // New immutable objects written with put-if-absent, concurrently, up to max_in_flight at
  // a time. wait() returns once all are written, or rethrows the first failure once none is
  // in flight any more; the keys written are in written() either way (to clean up after a
  // failure). Destroying a batch waits for what is in flight.
  class Writes {
   public:
    explicit Writes(ObjectStore &store) : store_(store) {}
    ~Writes();
    Writes(const Writes &) = delete;
    Writes &operator=(const Writes &) = delete;
    void put(const std::string &key, Bytes data);
    void del(const std::string &key);
    void wait();
    const std::vector<std::string> &keys() const { return keys_; }

   private:
    void admit();  // waits for the oldest request when max_in_flight are out
    ObjectStore &store_;
    std::vector<std::string> keys_;
    std::vector<std::future<void>> pending_;
    size_t waited_ = 0;  // pending_[0, waited_) are done
    std::exception_ptr failed_;
  };

  // GETs of many keys at once (nullopt where a key is missing), in the order given.
  std::vector<std::optional<StoredObject>> get_all(const std::vector<std::string> &keys);

 private:
  struct Flight;
  std::shared_ptr<Flight> join_or_start(const std::string &key, bool ahead, bool *mine);
  void finish(const std::string &key, const std::shared_ptr<Flight> &flight, const Fetch &fetch);

  Storage &storage_;
  ObjectCache &cache_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;
  IoPool io_;  // last: its threads end before the members they use
};

}  // namespace bucketdb
