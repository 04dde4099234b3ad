#include "db_handle.h"

#include <utility>
#include <vector>

namespace bdbnode {

namespace {

const char kClosed[] = "the database is closed";

void FreeHandle(Child::Kind kind, void *h) {
  if (kind == Child::kBatch)
    bdb_batch_free(static_cast<bdb_batch *>(h));
  else
    bdb_cursor_free(static_cast<bdb_cursor *>(h));
}

}  // namespace

Child::Child(std::shared_ptr<DbHandle> owner, Kind k, void *handle)
    : db(std::move(owner)), kind(k), h(handle) {
  db->Adopt(this);
}

void Child::Free() {
  void *taken = db->Disown(this);
  if (!taken) return;
  FreeHandle(kind, taken);  // counted as a call: a concurrent Close waits for it
  db->Leave();
}

bool DbHandle::Enter(Status *st) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closing_) {
    *st = Status::Of(BDB_E_INVALID, kClosed);
    return false;
  }
  active_++;
  return true;
}

bool DbHandle::Enter(const Child &c, Status *st) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closing_ || !c.h) {
    *st = Status::Of(BDB_E_INVALID, closing_                  ? kClosed
                                    : c.kind == Child::kBatch ? "the batch is closed"
                                                              : "the cursor is closed");
    return false;
  }
  active_++;
  return true;
}

void DbHandle::Leave() {
  std::lock_guard<std::mutex> lock(mu_);
  if (--active_ == 0) idle_.notify_all();
}

void DbHandle::Adopt(Child *c) {
  std::lock_guard<std::mutex> lock(mu_);
  children_.insert(c);
}

void *DbHandle::Disown(Child *c) {
  std::lock_guard<std::mutex> lock(mu_);
  void *h = c->h;
  if (!h) return nullptr;
  c->h = nullptr;
  children_.erase(c);
  active_++;
  return h;
}

Status DbHandle::Close(bool report) {
  std::vector<std::pair<Child::Kind, void *>> handles;
  bdb_db *db = nullptr;
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (closing_) {  // another thread closes: wait until it is done
      idle_.wait(lock, [this] { return closed_; });
      return {};
    }
    closing_ = true;
    idle_.wait(lock, [this] { return active_ == 0; });
    // Cursors before batches, the order a C program would use.
    for (int pass = 0; pass < 2; pass++)
      for (Child *c : children_)
        if (c->h && (c->kind == Child::kCursor) == (pass == 0)) {
          handles.emplace_back(c->kind, c->h);
          c->h = nullptr;
        }
    children_.clear();
    db = db_;
    db_ = nullptr;
  }
  for (auto &[kind, h] : handles) FreeHandle(kind, h);
  Status st;
  if (report)
    st = Status::Lib(bdb_db_close(db));
  else
    bdb_close(db);
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  idle_.notify_all();
  return st;
}

SyncCall::SyncCall(Napi::Env env, DbHandle &db) : db_(db) {
  Status st;
  if (!db_.Enter(&st)) Throw(env, st);
}

SyncCall::SyncCall(Napi::Env env, const Child &c) : db_(*c.db) {
  Status st;
  if (!db_.Enter(c, &st)) Throw(env, st);
}

}  // namespace bdbnode
