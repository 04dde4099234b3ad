// Interrupting the calls on one database (bdb_db_interrupt, modelled on sqlite3_interrupt).
//
// A call on a database installs an InterruptScope on its thread, which remembers the
// database's interrupt generation at the call's start; Interrupter::interrupt() bumps it. The
// engine's waits (storage back-off, window and group-commit waits, the writer locks, a driver
// polling bdb_driver_host.interrupted) ask interrupted() and throw BDB_E_INTERRUPTED: every
// call under way at the interrupt stops, calls started later do not see it. Work handed to
// the I/O pool carries its caller's scope (IoPool::submit). Threads without a scope (the
// background service, the engine's own tests) are never interrupted.
//
// An InterruptShield covers a stretch whose outcome the caller must learn (a commit's log
// entry PUT and its read-back, a Block 0 PUT): inside it nothing is interrupted.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace bucketdb {

class Interrupter {
 public:
  void interrupt();
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // Sleeps `d`, or less when the generation moves past `since`.
  void sleep(std::chrono::microseconds d, uint64_t since);

 private:
  std::atomic<uint64_t> generation_{0};
  std::mutex mu_;
  std::condition_variable cv_;
};

// What a thread's interrupt check looks at.
struct InterruptWatch {
  Interrupter *by = nullptr;  // nullptr: never interrupted
  uint64_t since = 0;
  const char *call = nullptr;  // names the call in the message ("bdb_get")
  bool shielded = false;
};

InterruptWatch current_interrupt_watch();

// Installs `watch` on this thread for its lifetime (an I/O pool task runs under its caller's).
class InterruptScope {
 public:
  explicit InterruptScope(const InterruptWatch &watch);
  // A call on a database: interrupted by `by` from now on.
  InterruptScope(Interrupter &by, const char *call);
  ~InterruptScope();
  InterruptScope(const InterruptScope &) = delete;
  InterruptScope &operator=(const InterruptScope &) = delete;

 private:
  InterruptWatch outer_;
};

class InterruptShield {
 public:
  InterruptShield();
  ~InterruptShield();
  InterruptShield(const InterruptShield &) = delete;
  InterruptShield &operator=(const InterruptShield &) = delete;

 private:
  bool outer_;
};

// Whether the call on this thread was interrupted since it started (false when shielded).
bool interrupted();
// BDB_E_INTERRUPTED naming the call and `what` it was doing, when interrupted().
void check_interrupt(const char *what);
[[noreturn]] void fail_interrupted(const char *what);
// Sleeps `d`; throws as check_interrupt as soon as the call is interrupted.
void interruptible_sleep(std::chrono::microseconds d, const char *what);

// A mutex whose lock() gives up with BDB_E_INTERRUPTED when the waiting call is interrupted
// (the writer locks: a call must not sit behind a slow merge after an interrupt). Built on a
// mutex and a condition variable, not std::timed_mutex: ThreadSanitizer does not see the
// timed lock's pthread_mutex_clocklock and would report its unlock as of an unlocked mutex.
class InterruptibleMutex {
 public:
  void lock();
  void unlock();
  bool try_lock();

 private:
  std::mutex mu_;
  std::condition_variable released_;
  bool held_ = false;
};

}  // namespace bucketdb
