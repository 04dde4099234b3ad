// One open bdb_db shared by a NativeDb and its batches and cursors, with the gate that keeps
// bdb_close from running while a call is inside the library.
//
// bucketdb.h frees the engine at bdb_close while batches and cursors still point at it, and a
// batch or cursor belongs to one thread at a time. So every call on the database or a child
// enters the gate first (a worker thread's Execute, or a synchronous call on the main thread);
// Close() shuts the gate, waits for the calls inside, frees every child's handle, then closes.
// After that every call fails with BDB_E_INVALID ("the database is closed"). Nothing here blocks
// for long while holding the mutex, so the main thread never waits on a closing database.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_set>

#include "addon.h"

namespace bdbnode {

class DbHandle;
class JsRegistration;
class LogSink;

// A batch or cursor handle of a database. The wrapper that owns it frees it (Free) or the
// database does at close, whichever comes first.
struct Child {
  enum Kind { kBatch, kCursor };
  // Call inside the gate (a call that has entered and not yet left).
  Child(std::shared_ptr<DbHandle> owner, Kind k, void *handle);
  ~Child() { Free(); }
  Child(const Child &) = delete;
  Child &operator=(const Child &) = delete;

  // Frees the handle now, if the database has not already.
  void Free();

  std::shared_ptr<DbHandle> db;
  Kind kind;
  void *h;            // guarded by db's mutex once adopted; NULL once freed
  bool busy = false;  // main thread: an asynchronous call on it is in flight
};

class DbHandle {
 public:
  explicit DbHandle(bdb_db *db) : db_(db) {}
  ~DbHandle() { Close(false); }
  DbHandle(const DbHandle &) = delete;
  DbHandle &operator=(const DbHandle &) = delete;

  // Lets one call in; false (and st says why) once the database is closing or closed.
  bool Enter(Status *st);
  // Enter() for a child: also false when its handle is gone.
  bool Enter(const Child &c, Status *st);
  void Leave();
  bdb_db *db() const { return db_; }  // between Enter and Leave

  // A child is adopted by a call inside the gate, so a Close waiting for that call frees it.
  void Adopt(Child *c);
  // Takes a child's handle to free it (NULL if gone), counted as a call: Leave() after.
  void *Disown(Child *c);

  // Shuts the gate, waits for calls inside, frees the children's handles, closes. Blocks:
  // call it off the main thread (or at environment teardown). report: bdb_db_close, whose
  // failure (a merge at close that failed) it returns; else bdb_close, which logs it.
  // Idempotent; a second caller returns (OK) once the first has closed.
  Status Close(bool report);
  bool closing() {
    std::lock_guard<std::mutex> lock(mu_);
    return closing_;
  }

  // The JavaScript driver the database was opened on, and the logger it logs to, if any:
  // both outlive the bdb_db (they go after bdb_close, with this handle).
  std::shared_ptr<JsRegistration> js;
  std::shared_ptr<LogSink> log;
  std::shared_ptr<LogSink> progress;  // progress of long work, as lines (LogSink::Progress)
  napi_env env = nullptr;             // the environment it was opened in (main thread)

  // Tables whose schema the engine has in memory, so that a document of them can be made on
  // the main thread without the engine reading the log (main thread only).
  std::unordered_set<std::string> known_tables;

 private:
  std::mutex mu_;
  std::condition_variable idle_;
  bdb_db *db_;
  bool closing_ = false;
  bool closed_ = false;
  int active_ = 0;
  std::set<Child *> children_;
};

// Enters the gate on the main thread for a synchronous call; throws the closed error.
class SyncCall {
 public:
  SyncCall(Napi::Env env, DbHandle &db);
  SyncCall(Napi::Env env, const Child &c);
  ~SyncCall() { db_.Leave(); }
  SyncCall(const SyncCall &) = delete;
  SyncCall &operator=(const SyncCall &) = delete;

 private:
  DbHandle &db_;
};

}  // namespace bdbnode
