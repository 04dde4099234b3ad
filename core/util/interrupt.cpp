#include "core/util/interrupt.h"

#include <string>
#include <thread>

#include "core/util/error.h"

namespace bucketdb {

namespace {
thread_local InterruptWatch t_watch;
// How often a wait that cannot be woken (a lock) looks again.
constexpr std::chrono::milliseconds kPoll{10};
}  // namespace

void Interrupter::interrupt() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    generation_.fetch_add(1, std::memory_order_acq_rel);
  }
  cv_.notify_all();
}

void Interrupter::sleep(std::chrono::microseconds d, uint64_t since) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, d, [&] { return generation() != since; });
}

InterruptWatch current_interrupt_watch() {
  return t_watch;
}

InterruptScope::InterruptScope(const InterruptWatch &watch) : outer_(t_watch) {
  t_watch = watch;
}

InterruptScope::InterruptScope(Interrupter &by, const char *call) : outer_(t_watch) {
  t_watch = InterruptWatch{&by, by.generation(), call, false};
}

InterruptScope::~InterruptScope() {
  t_watch = outer_;
}

InterruptShield::InterruptShield() : outer_(t_watch.shielded) {
  t_watch.shielded = true;
}

InterruptShield::~InterruptShield() {
  t_watch.shielded = outer_;
}

bool interrupted() {
  const InterruptWatch &w = t_watch;
  return w.by && !w.shielded && w.by->generation() != w.since;
}

void fail_interrupted(const char *what) {
  const char *call = t_watch.call ? t_watch.call : "call";
  fail(BDB_E_INTERRUPTED, std::string(call) + ": interrupted (bdb_db_interrupt) while " + what);
}

void check_interrupt(const char *what) {
  if (interrupted()) fail_interrupted(what);
}

void interruptible_sleep(std::chrono::microseconds d, const char *what) {
  const InterruptWatch w = t_watch;
  if (!w.by || w.shielded) {
    std::this_thread::sleep_for(d);
    return;
  }
  check_interrupt(what);
  w.by->sleep(d, w.since);
  check_interrupt(what);
}

void InterruptibleMutex::lock() {
  std::unique_lock<std::mutex> lock(mu_);
  if (!t_watch.by || t_watch.shielded) {
    released_.wait(lock, [&] { return !held_; });
  } else {
    while (held_) {
      released_.wait_for(lock, kPoll);
      if (held_) check_interrupt("waiting for the database's writer lock");
    }
  }
  held_ = true;
}

void InterruptibleMutex::unlock() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    held_ = false;
  }
  released_.notify_all();  // a waiter the interrupt ends must not take the only wake-up
}

bool InterruptibleMutex::try_lock() {
  std::lock_guard<std::mutex> lock(mu_);
  if (held_) return false;
  held_ = true;
  return true;
}

}  // namespace bucketdb
