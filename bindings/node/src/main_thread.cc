#include "main_thread.h"

#include <utility>

namespace bdbnode {

MainThreadCalls::MainThreadCalls(Napi::Env env, Napi::Function fn, const char *name,
                                 napi_threadsafe_function_call_js call_js, void *context,
                                 napi_finalize finalize, std::function<void()> on_teardown)
    : env_(env), main_(std::this_thread::get_id()), on_teardown_(std::move(on_teardown)) {
  napi_value n = Napi::String::New(env, name);
  if (napi_create_threadsafe_function(env, fn, nullptr, n, 0, 1, context, finalize, context,
                                      call_js, &tsfn_) != napi_ok) {
    if (finalize) finalize(env, context, nullptr);
    Fail(env, BDB_E_INTERNAL, std::string("cannot make a thread-safe function for ") + name);
  }
  napi_unref_threadsafe_function(env, tsfn_);
  hooked_ = napi_add_env_cleanup_hook(env, Hook, this) == napi_ok;
}

MainThreadCalls::~MainThreadCalls() {
  if (hooked_) napi_remove_env_cleanup_hook(env_, Hook, this);
  std::lock_guard<std::mutex> lock(mu_);
  if (tsfn_) napi_release_threadsafe_function(tsfn_, napi_tsfn_release);
}

bool MainThreadCalls::Post(void *data) {
  std::lock_guard<std::mutex> lock(mu_);
  return tsfn_ && napi_call_threadsafe_function(tsfn_, data, napi_tsfn_nonblocking) == napi_ok;
}

void MainThreadCalls::TearDown() {
  std::lock_guard<std::mutex> lock(mu_);
  if (tsfn_) napi_release_threadsafe_function(tsfn_, napi_tsfn_abort);
  tsfn_ = nullptr;
}

void MainThreadCalls::Hook(void *arg) {
  auto *self = static_cast<MainThreadCalls *>(arg);
  self->hooked_ = false;
  if (self->on_teardown_) self->on_teardown_();
  self->TearDown();
}

}  // namespace bdbnode
