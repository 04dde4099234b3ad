// Reference counts and the gate of abi/src/lifetime.h.
#include "abi/src/lifetime.h"

#include <string>

#include "abi/src/abi_guard.h"
#include "core/util/error.h"

namespace bucketdb::abi {

Gate::Gate() {
  pthread_rwlockattr_t attr;
  pthread_rwlockattr_init(&attr);
#ifdef __GLIBC__
  // A close gets in while other threads keep calling; safe because no thread reads twice.
  pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
  pthread_rwlock_init(&lock_, &attr);
  pthread_rwlockattr_destroy(&attr);
}

Gate::~Gate() {
  pthread_rwlock_destroy(&lock_);
}

void retain(bdb_db *db) {
  db->refs.fetch_add(1, std::memory_order_relaxed);
}

void release(bdb_db *db) {
  if (db->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete db;
}

InterruptScope interrupt_scope(bdb_db *db, const char *what) {
  if (!db) fail(BDB_E_INVALID, std::string(current_call()) + ": " + what + " is NULL");
  // The engine lives as long as the handle, closed or not.
  return InterruptScope(db->engine->interrupter(), current_call());
}

DbCall::DbCall(bdb_db *db) : scope_(interrupt_scope(db, "db")), db_(db) {
  db->gate.lock_shared();
  if (db->closed) {
    db->gate.unlock_shared();
    fail(BDB_E_INVALID, std::string(current_call()) + ": the database is closed");
  }
}

namespace {
Child *required(Child *child, const char *what) {
  if (!child) fail(BDB_E_INVALID, std::string(current_call()) + ": " + what + " is NULL");
  return child;
}
}  // namespace

ChildCall::ChildCall(Child *child, const char *what)
    : scope_(interrupt_scope(required(child, what)->db, "database")), child_(child) {
  child->mu.lock();
  child->db->gate.lock_shared();
  if (child->db->closed) {
    child->db->gate.unlock_shared();
    child->mu.unlock();
    fail(BDB_E_INVALID,
         std::string(current_call()) + ": the database this " + what + " belongs to is closed");
  }
}

}  // namespace bucketdb::abi
