#include "core/storage/io_pool.h"

#include <chrono>
#include <thread>

namespace bucketdb {

IoPool::IoPool(size_t limit) : limit_(limit ? limit : 1) {}

IoPool::~IoPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto &t : threads_) t.join();
}

size_t IoPool::peak() const {
  std::lock_guard<std::mutex> lock(mu_);
  return peak_;
}

void IoPool::post(std::function<void()> work) {
  std::lock_guard<std::mutex> lock(mu_);
  // Threads that left (they no longer hold the lock) are joined before new ones start.
  for (std::thread::id id : ended_)
    for (auto it = threads_.begin(); it != threads_.end(); ++it)
      if (it->get_id() == id) {
        it->join();
        threads_.erase(it);
        break;
      }
  ended_.clear();
  queue_.push_back(std::move(work));
  // A new thread when the waiting work outnumbers the idle threads: requests overlap up to
  // the limit.
  if (queue_.size() > idle_ && live_ < limit_) {
    live_++;
    threads_.emplace_back([this] { worker(); });
  }
  cv_.notify_one();
}

void IoPool::worker() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    idle_++;
    bool woke =
        cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_ || !queue_.empty(); });
    idle_--;
    if (queue_.empty()) {
      if (stopping_ || !woke) break;  // a second without work: this thread ends
      continue;
    }
    std::function<void()> work = std::move(queue_.front());
    queue_.pop_front();
    busy_++;
    if (busy_ > peak_) peak_ = busy_;
    lock.unlock();
    work();  // a packaged_task: its exception goes to its future
    lock.lock();
    busy_--;
  }
  live_--;
  if (!stopping_) ended_.push_back(std::this_thread::get_id());
}

void wait_all(std::vector<std::future<void>> &futures) {
  std::exception_ptr first;
  for (auto &f : futures) {
    try {
      f.get();
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

}  // namespace bucketdb
