// The native classes behind lib/database.js, lib/batch.js and lib/cursor.js.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "addon.h"
#include "db_handle.h"

namespace bdbnode {

class NativeDb : public Napi::ObjectWrap<NativeDb> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit NativeDb(const Napi::CallbackInfo &info);  // from Open, with the handle
  ~NativeDb() override;

  const std::shared_ptr<DbHandle> &handle() const { return db_; }

  struct Teardown;  // the argument of its environment cleanup hook

 private:
  static Napi::Value Open(const Napi::CallbackInfo &info);
  static Napi::Value DriverCheck(const Napi::CallbackInfo &info);
  static Napi::Value Recover(const Napi::CallbackInfo &info);

  Napi::Value RegisterSchema(const Napi::CallbackInfo &info);
  Napi::Value Schemas(const Napi::CallbackInfo &info);
  Napi::Value Interrupt(const Napi::CallbackInfo &info);
  Napi::Value IsKnown(const Napi::CallbackInfo &info);
  Napi::Value LearnTables(const Napi::CallbackInfo &info);
  Napi::Value Get(const Napi::CallbackInfo &info);
  Napi::Value ReadBlob(const Napi::CallbackInfo &info);
  Napi::Value Query(const Napi::CallbackInfo &info);
  Napi::Value Batch(const Napi::CallbackInfo &info);
  Napi::Value Maintenance(const Napi::CallbackInfo &info);
  Napi::Value Close(const Napi::CallbackInfo &info);
  Napi::Value Closed(const Napi::CallbackInfo &info);

  std::shared_ptr<DbHandle> db_;
  Teardown *hook_;
  bool close_started_ = false;
};

// A batch: operations staged synchronously on the main thread, committed on a worker.
class NativeBatch : public Napi::ObjectWrap<NativeBatch> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit NativeBatch(const Napi::CallbackInfo &info);

 private:
  Napi::Value Stage(const Napi::CallbackInfo &info);
  Napi::Value Delete(const Napi::CallbackInfo &info);
  Napi::Value ExpectVersion(const Napi::CallbackInfo &info);
  Napi::Value ExpectExists(const Napi::CallbackInfo &info);
  Napi::Value Size(const Napi::CallbackInfo &info);
  Napi::Value Clear(const Napi::CallbackInfo &info);
  Napi::Value Commit(const Napi::CallbackInfo &info);
  Napi::Value Free(const Napi::CallbackInfo &info);

  bdb_batch *batch() const { return static_cast<bdb_batch *>(child_->h); }
  void NotBusy(Napi::Env env) const;

  std::unique_ptr<Child> child_;
  size_t size_at_commit_ = 0;
};

// Rows read from a cursor on an executor thread, made JavaScript values on the main thread.
struct RowChunk {
  std::vector<bdb_doc *> docs;
  std::vector<std::string> tokens;
  bool done = false;  // the cursor has no more rows
  RowChunk() = default;
  RowChunk(const RowChunk &) = delete;
  RowChunk &operator=(const RowChunk &) = delete;
  ~RowChunk();
  // Up to max rows. flags: 1 also the page token after each row, 2 records for rows. An error
  // after some rows keeps them (the cursor repeats the error on the next call).
  Status Read(bdb_cursor *c, uint32_t max, int flags);
  // [rows, tokens | undefined, done]
  Napi::Array ToJs(Napi::Env env, int flags) const;
};

// A cursor: rows fetched on a worker in chunks, converted on the main thread.
class NativeCursor : public Napi::ObjectWrap<NativeCursor> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit NativeCursor(const Napi::CallbackInfo &info);

 private:
  Napi::Value Next(const Napi::CallbackInfo &info);
  Napi::Value PageToken(const Napi::CallbackInfo &info);
  Napi::Value Free(const Napi::CallbackInfo &info);

  std::unique_ptr<Child> child_;
  bool free_when_idle_ = false;
};

}  // namespace bdbnode
