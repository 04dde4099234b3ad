// Handle lifetimes (bucketdb.h, "Ownership, threads and the order of frees"): a bdb_db counts
// one reference for its open handle and one per live batch, query and cursor, as SQLite's
// sqlite3_close_v2 keeps a zombie connection until its last statement is finalized. A closed
// database keeps its engine object (stopped, but allocated) until the last child is freed,
// since a cursor's destructor still releases what it pinned in the engine.
//
// The gate: each call on a database or a child holds its read side for the call's length, and
// bdb_close takes the write side, so a close waits for calls under way on other threads and
// every later call sees `closed`. The gate prefers writers and is not recursive: no code here
// enters it twice on one thread.
#pragma once

#include <pthread.h>

#include <atomic>
#include <memory>
#include <mutex>

#include "core/engine/database.h"
#include "core/util/interrupt.h"

namespace bucketdb::abi {

class Gate {
 public:
  Gate();
  ~Gate();
  Gate(const Gate &) = delete;
  Gate &operator=(const Gate &) = delete;
  void lock_shared() { pthread_rwlock_rdlock(&lock_); }
  void unlock_shared() { pthread_rwlock_unlock(&lock_); }
  void lock() { pthread_rwlock_wrlock(&lock_); }
  void unlock() { pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;
};

}  // namespace bucketdb::abi

struct bdb_db {
  explicit bdb_db(std::unique_ptr<bucketdb::Database> e) : engine(std::move(e)) {}
  bucketdb::abi::Gate gate;
  std::unique_ptr<bucketdb::Database> engine;
  bool closed = false;                 // set under the gate's write side
  std::atomic<unsigned long> refs{1};  // the open handle + one per live child
};

namespace bucketdb::abi {

void retain(bdb_db *db);
// Drops one reference; the last one deletes the engine and the handle.
void release(bdb_db *db);

// The interrupt scope of a call on `db` (bdb_db_interrupt): taken before the call waits for
// the gate, so an interrupt meanwhile stops it too. Throws BDB_E_INVALID when db is NULL.
InterruptScope interrupt_scope(bdb_db *db, const char *what);

// A call on an open database (named in messages by guard's current_call): holds the gate's read
// side until destroyed, and is interrupted by bdb_db_interrupt. Throws BDB_E_INVALID when db
// is NULL or closed.
class DbCall {
 public:
  explicit DbCall(bdb_db *db);
  ~DbCall() { db_->gate.unlock_shared(); }
  DbCall(const DbCall &) = delete;
  DbCall &operator=(const DbCall &) = delete;
  Database &engine() const { return *db_->engine; }
  bdb_db *db() const { return db_; }

 private:
  InterruptScope scope_;
  bdb_db *db_;
};

// What batches, queries and cursors share: their database, and a mutex that serialises calls
// from several threads on one child (the header allows one thread at a time; this makes a
// second one wait rather than race).
struct Child {
  explicit Child(bdb_db *d) : db(d) { retain(d); }
  bdb_db *db;
  std::mutex mu;
};

// A call on a child: its mutex, then its database's gate. Throws BDB_E_INVALID when the child
// is NULL or its database is closed.
class ChildCall {
 public:
  ChildCall(Child *child, const char *what);
  ~ChildCall() {
    child_->db->gate.unlock_shared();
    child_->mu.unlock();
  }
  ChildCall(const ChildCall &) = delete;
  ChildCall &operator=(const ChildCall &) = delete;
  Database &engine() const { return *child_->db->engine; }

 private:
  InterruptScope scope_;
  Child *child_;
};

// Frees a child: deletes it inside its database's gate (not while a close stops the engine
// its destructor may still touch), then drops its reference, which frees a closed database
// with its last child.
template <class T>
void free_child(T *child) {
  if (!child) return;
  bdb_db *db = child->db;
  db->gate.lock_shared();
  delete child;
  db->gate.unlock_shared();
  release(db);
}

}  // namespace bucketdb::abi
