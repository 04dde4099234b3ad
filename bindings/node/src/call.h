// An asynchronous call: work on an executor thread, a promise settled on the main thread.
#pragma once

#include <functional>
#include <memory>
#include <utility>

#include "addon.h"
#include "db_handle.h"
#include "executor.h"

namespace bdbnode {

class Call : public Job {
 public:
  using Work = std::function<Status()>;                    // executor thread, no JavaScript
  using Done = std::function<Napi::Value(Napi::Env env)>;  // main thread, after success
  using After = std::function<void()>;                     // main thread, last, always

  // Queues `work`, inside db's gate (the child's, when one is given) when db is set; `keep`
  // is not collected until the call settles. Returns the promise.
  static Napi::Value Start(Napi::Env env, std::shared_ptr<DbHandle> db, const Child *child,
                           Napi::Object keep, Work work, Done done = {}, After after = {}) {
    auto *c = new Call(env, std::move(db), child, keep, std::move(work), std::move(done),
                       std::move(after));
    Napi::Value promise = c->deferred_.Promise();
    ExecutorOf(env).Submit(c);
    return promise;
  }

 private:
  Call(Napi::Env env, std::shared_ptr<DbHandle> db, const Child *child, Napi::Object keep,
       Work work, Done done, After after)
      : deferred_(Napi::Promise::Deferred::New(env)),
        db_(std::move(db)),
        child_(child),
        work_(std::move(work)),
        done_(std::move(done)),
        after_(std::move(after)) {
    if (!keep.IsEmpty()) keep_ = Napi::Persistent(keep);
  }

  void Execute() override {
    if (db_) {
      bool in = child_ ? db_->Enter(*child_, &st_) : db_->Enter(&st_);
      if (!in) return;
    }
    st_ = work_();
    if (db_) db_->Leave();
  }

  void Complete(Napi::Env env) override {
    if (!st_.ok()) {
      deferred_.Reject(MakeError(env, st_));
    } else {
      try {
        deferred_.Resolve(done_ ? done_(env) : env.Undefined());
      } catch (const Napi::Error &e) {
        deferred_.Reject(e.Value());
      }
    }
    if (after_) after_();
  }

  void Abandon() override { keep_.SuppressDestruct(); }

  Napi::Promise::Deferred deferred_;
  std::shared_ptr<DbHandle> db_;
  const Child *child_;
  Napi::ObjectReference keep_;
  Work work_;
  Done done_;
  After after_;
  Status st_;
};

}  // namespace bdbnode
