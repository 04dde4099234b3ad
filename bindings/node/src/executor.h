// Threads for calls that may block on storage, apart from libuv's pool.
//
// libuv's pool has four threads by default, shared with fs, dns and zlib. A query that waits
// on S3 would hold one for its whole round trip, and a driver written in JavaScript that reads
// files through fs.promises would need a pool thread while every pool thread waits for it: a
// deadlock. So BucketDB's calls run on threads of their own, started as calls need them (up
// to kMaxThreads) and kept for the life of the environment, and come back to the main thread
// through one thread-safe function. It keeps the event loop alive only while calls are out.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "addon.h"

namespace bdbnode {

class Job {
 public:
  virtual ~Job() = default;
  virtual void Execute() = 0;                // an executor thread; no JavaScript
  virtual void Complete(Napi::Env env) = 0;  // the main thread, once Execute returned
  // Instead of Complete when the environment is torn down: let go of JavaScript references
  // without touching them.
  virtual void Abandon() {}
};

class Executor {
 public:
  static constexpr size_t kMaxThreads = 64;

  explicit Executor(Napi::Env env);
  ~Executor();
  Executor(const Executor &) = delete;
  Executor &operator=(const Executor &) = delete;

  // Main thread. Takes the job; Complete runs later on the main thread (deleted after), or
  // never if the environment is torn down first (deleted then).
  void Submit(Job *job);

 private:
  static void CallJs(napi_env env, napi_value, void *context, void *data);
  static void Teardown(void *arg);
  void Loop();
  void Stop();

  napi_env env_;
  napi_threadsafe_function done_ = nullptr;
  size_t pending_ = 0;  // main thread: submitted, not completed
  bool torn_down_ = false;

  std::mutex mu_;
  std::condition_variable work_;
  std::deque<Job *> queue_;
  std::vector<std::thread> threads_;
  std::vector<Job *> orphans_;  // executed after the thread-safe function closed
  size_t idle_ = 0;
  bool stopping_ = false;
};

Executor &ExecutorOf(Napi::Env env);

}  // namespace bdbnode
