// Shared declarations of the Node-API addon over bucketdb.h (see ../README.md, "How it is put
// together"): per-environment data, statuses as JS errors, and the three native classes the
// JavaScript layer (../lib) wraps.
#pragma once

#include <napi.h>

#include <string>
#include <vector>

#include "bucketdb/bucketdb.h"

namespace bdbnode {

// The outcome of a call into bucketdb.h with its message, copied at once: bdb_errmsg() is per
// thread and lasts only until the next failure there.
struct Status {
  int code = BDB_OK;
  std::string message;

  bool ok() const { return code == BDB_OK; }
  static Status Lib(bdb_status st);
  static Status Of(int code, std::string message);
};

// What the JavaScript layer hands the addon once (setup()): its error classes and Blob.
struct AddonData {
  Napi::FunctionReference base_error;           // BucketDbError
  std::vector<Napi::FunctionReference> errors;  // by status code; empty where none
  Napi::FunctionReference blob;                 // Blob, new blob content
  Napi::FunctionReference db_class, batch_class, cursor_class;
};

AddonData &Data(Napi::Env env);

// The BucketDbError subclass of a status, as a JS value (to reject a promise with).
Napi::Value MakeError(Napi::Env env, const Status &st);
// Throws it (as a C++ exception node-addon-api turns into a JS exception).
[[noreturn]] void Throw(Napi::Env env, const Status &st);
[[noreturn]] void Fail(Napi::Env env, int code, const std::string &message);
inline void Check(Napi::Env env, bdb_status st) {
  if (st != BDB_OK) Throw(env, Status::Lib(st));
}

// Takes a string owned by the library (bdb_free) and returns it as a std::string.
std::string TakeString(char *s);

// The module's exports: the native classes, setup() and the library's version.
Napi::Object Init(Napi::Env env, Napi::Object exports);

}  // namespace bdbnode
