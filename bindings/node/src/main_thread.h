// Calls from the library's threads to the JavaScript (main) thread, through a thread-safe
// function that never outlives its environment. Node finalizes thread-safe functions at
// environment teardown (process exit, a worker's end); this one is released first, by a cleanup
// hook registered after it (hooks run in reverse order), and every later Post fails, leaving the
// caller to do without JavaScript. The owner is made and destroyed on the main thread.
#pragma once

#include <functional>
#include <mutex>
#include <thread>

#include "addon.h"

namespace bdbnode {

class MainThreadCalls {
 public:
  // Main thread. call_js gets `context` and each Post's data (env NULL once torn down);
  // finalize frees context. The function is unref'd: it never keeps the event loop alive.
  // on_teardown runs at teardown, before the function goes.
  MainThreadCalls(Napi::Env env, Napi::Function fn, const char *name,
                  napi_threadsafe_function_call_js call_js, void *context, napi_finalize finalize,
                  std::function<void()> on_teardown);
  ~MainThreadCalls();
  MainThreadCalls(const MainThreadCalls &) = delete;
  MainThreadCalls &operator=(const MainThreadCalls &) = delete;

  // Any thread; never blocks. False once torn down (data stays the caller's).
  bool Post(void *data);
  // Releases the function now; Post fails from then on. Idempotent.
  void TearDown();
  bool OnMainThread() const { return std::this_thread::get_id() == main_; }
  napi_env env() const { return env_; }

 private:
  static void Hook(void *arg);

  napi_env env_;
  std::thread::id main_;
  std::function<void()> on_teardown_;
  std::mutex mu_;
  napi_threadsafe_function tsfn_ = nullptr;
  bool hooked_ = false;
};

}  // namespace bdbnode
