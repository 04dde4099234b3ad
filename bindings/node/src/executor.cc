#include "executor.h"

#include <memory>

#include "js_driver.h"

namespace bdbnode {

Executor::Executor(Napi::Env env) : env_(env) {
  napi_value name = Napi::String::New(env, "bucketdb");
  NAPI_THROW_IF_FAILED_VOID(
      env, napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr,
                                           this, &Executor::CallJs, &done_));
  napi_unref_threadsafe_function(env, done_);
  // Teardown runs before the instance data's finalizer, after the databases' own hooks
  // (hooks run in reverse order of registration, and this one is the first).
  napi_add_env_cleanup_hook(env, &Executor::Teardown, this);
}

Executor::~Executor() {
  if (!torn_down_) napi_remove_env_cleanup_hook(env_, &Executor::Teardown, this);
  Stop();
}

void Executor::Submit(Job *job) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) {  // the environment is going away (a finalizer at teardown)
    job->Abandon();
    delete job;
    return;
  }
  if (pending_++ == 0) napi_ref_threadsafe_function(env_, done_);
  queue_.push_back(job);
  if (idle_ == 0 && threads_.size() < kMaxThreads)
    threads_.emplace_back([this] { Loop(); });
  else
    work_.notify_one();
}

void Executor::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    idle_++;
    work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    idle_--;
    if (queue_.empty()) return;  // stopping, nothing left
    Job *job = queue_.front();
    queue_.pop_front();
    lock.unlock();
    job->Execute();
    lock.lock();
    if (stopping_ || napi_call_threadsafe_function(done_, job, napi_tsfn_nonblocking) != napi_ok)
      orphans_.push_back(job);
  }
}

void Executor::CallJs(napi_env env, napi_value, void *context, void *data) {
  auto *self = static_cast<Executor *>(context);
  std::unique_ptr<Job> job(static_cast<Job *>(data));
  if (!env) {  // torn down: the job is dropped
    job->Abandon();
    return;
  }
  if (--self->pending_ == 0) napi_unref_threadsafe_function(env, self->done_);
  Napi::HandleScope scope(env);
  job->Complete(Napi::Env(env));
}

void Executor::Teardown(void *arg) {
  auto *self = static_cast<Executor *>(arg);
  // A thread of the executor may wait for a JavaScript driver, which cannot answer any more.
  CloseJsDrivers(self->env_);
  self->torn_down_ = true;
  self->Stop();
}

void Executor::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    for (Job *j : queue_) orphans_.push_back(j);
    queue_.clear();
  }
  work_.notify_all();
  for (auto &t : threads_) t.join();
  threads_.clear();
  for (Job *j : orphans_) {
    j->Abandon();
    delete j;
  }
  orphans_.clear();
  if (done_) napi_release_threadsafe_function(done_, napi_tsfn_abort);
  done_ = nullptr;
}

}  // namespace bdbnode
