// Requests in flight (docs/SPEC.md section 8, "Overlapped requests"): a pool of I/O threads
// over the driver's blocking calls, which every driver already accepts from many threads at
// once. The engine hands it independent requests and waits for them together, so N objects
// cost about one round trip instead of N.
//
// Threads start on demand, up to `limit`, and end after a second without work: an idle
// database holds none. Work runs in submission order. Only threads outside the pool wait for
// results (a task never waits for another task), so the pool cannot deadlock on itself.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/util/interrupt.h"

namespace bucketdb {

class IoPool {
 public:
  explicit IoPool(size_t limit);
  ~IoPool();  // runs what was submitted, then joins every thread
  IoPool(const IoPool &) = delete;
  IoPool &operator=(const IoPool &) = delete;

  size_t limit() const { return limit_; }

  template <class F>
  auto submit(F &&f) -> std::future<decltype(f())> {
    using R = decltype(f());
    auto task = std::make_shared<std::packaged_task<R()>>(std::forward<F>(f));
    std::future<R> result = task->get_future();
    // The task is part of its caller's call: an interrupt of that call stops it too.
    post([task, watch = current_interrupt_watch()] {
      InterruptScope scope(watch);
      (*task)();
    });
    return result;
  }

  // The most requests that were in flight at once since the pool was made (for stats).
  size_t peak() const;

 private:
  void post(std::function<void()> work);
  void worker();

  const size_t limit_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  std::vector<std::thread::id> ended_;  // threads that left for want of work, to join
  size_t live_ = 0;
  size_t idle_ = 0;
  size_t busy_ = 0;
  size_t peak_ = 0;
  bool stopping_ = false;
};

// Waits for every future, then returns their values in order; when some failed, rethrows the
// first failure (in order) once all have finished, so nothing still runs on the caller's data.
template <class T>
std::vector<T> wait_all(std::vector<std::future<T>> &futures) {
  std::exception_ptr first;
  std::vector<T> out;
  out.reserve(futures.size());
  for (auto &f : futures) {
    try {
      out.push_back(f.get());
    } catch (...) {
      if (!first) first = std::current_exception();
      out.emplace_back();
    }
  }
  if (first) std::rethrow_exception(first);
  return out;
}

void wait_all(std::vector<std::future<void>> &futures);

}  // namespace bucketdb
