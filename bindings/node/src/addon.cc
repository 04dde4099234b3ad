// The module's entry point: the native classes, the library's version, and setup(), through
// which lib/native.js hands over the JavaScript error classes and Blob.
#include <memory>

#include "executor.h"
#include "js_driver.h"
#include "native.h"

namespace bdbnode {

namespace {

// Everything of one environment (the main thread's, or a worker thread's).
struct Instance {
  explicit Instance(Napi::Env env) : executor(env) {}
  AddonData data;
  Executor executor;
};

Instance &InstanceOf(Napi::Env env) {
  return *env.GetInstanceData<Instance>();
}

// setup({BucketDbError, errors: {code: class}, Blob})
Napi::Value Setup(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Object o = info[0].As<Napi::Object>();
  AddonData &d = InstanceOf(env).data;
  d.base_error = Napi::Persistent(o.Get("BucketDbError").As<Napi::Function>());
  d.blob = Napi::Persistent(o.Get("Blob").As<Napi::Function>());
  Napi::Object errors = o.Get("errors").As<Napi::Object>();
  d.errors.clear();
  d.errors.resize(BDB_E_INTERRUPTED + 1);
  for (int code = 1; code <= BDB_E_INTERRUPTED; code++) {
    Napi::Value c = errors.Get(std::to_string(code));
    if (c.IsFunction()) d.errors[code] = Napi::Persistent(c.As<Napi::Function>());
  }
  return env.Undefined();
}

Napi::Value Version(const Napi::CallbackInfo &info) {
  return Napi::String::New(info.Env(), bdb_version());
}
Napi::Value AbiVersion(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), bdb_abi_version());
}
Napi::Value StatusString(const Napi::CallbackInfo &info) {
  return Napi::String::New(info.Env(), bdb_status_str(info[0].As<Napi::Number>().Int32Value()));
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData(new Instance(env));
  AddonData &d = InstanceOf(env).data;
  Napi::Function db = NativeDb::Define(env);
  Napi::Function batch = NativeBatch::Define(env);
  Napi::Function cursor = NativeCursor::Define(env);
  d.db_class = Napi::Persistent(db);
  d.batch_class = Napi::Persistent(batch);
  d.cursor_class = Napi::Persistent(cursor);
  exports.Set("NativeDb", db);
  exports.Set("NativeBatch", batch);
  exports.Set("NativeCursor", cursor);
  exports.Set("setup", Napi::Function::New(env, Setup, "setup"));
  exports.Set("version", Napi::Function::New(env, Version, "version"));
  exports.Set("abiVersion", Napi::Function::New(env, AbiVersion, "abiVersion"));
  exports.Set("headerAbiVersion", Napi::Number::New(env, BDB_ABI_VERSION));
  exports.Set("statusString", Napi::Function::New(env, StatusString, "statusString"));
  InitJsDriver(env, exports);
  return exports;
}

AddonData &Data(Napi::Env env) {
  return InstanceOf(env).data;
}
Executor &ExecutorOf(Napi::Env env) {
  return InstanceOf(env).executor;
}

Status Status::Lib(bdb_status st) {
  Status s;
  s.code = st;
  if (st != BDB_OK) {
    const char *m = bdb_errmsg();
    s.message = m && *m ? m : bdb_status_str(st);
  }
  return s;
}

Status Status::Of(int code, std::string message) {
  Status s;
  s.code = code;
  s.message = std::move(message);
  return s;
}

Napi::Value MakeError(Napi::Env env, const Status &st) {
  AddonData &d = Data(env);
  Napi::FunctionReference *ctor = nullptr;
  if (st.code > 0 && static_cast<size_t>(st.code) < d.errors.size() && !d.errors[st.code].IsEmpty())
    ctor = &d.errors[st.code];
  else if (!d.base_error.IsEmpty())
    ctor = &d.base_error;
  if (!ctor) return Napi::Error::New(env, st.message).Value();  // before setup()
  Napi::Object e = ctor->New({Napi::String::New(env, st.message)});
  if (ctor == &d.base_error) e.Set("status", Napi::Number::New(env, st.code));
  return e;
}

void Throw(Napi::Env env, const Status &st) {
  throw Napi::Error(env, MakeError(env, st));
}

void Fail(Napi::Env env, int code, const std::string &message) {
  Throw(env, Status::Of(code, message));
}

std::string TakeString(char *s) {
  std::string out = s ? s : "";
  bdb_free(s);
  return out;
}

}  // namespace bdbnode

static Napi::Object InitBucketDb(Napi::Env env, Napi::Object exports) {
  return bdbnode::Init(env, exports);
}

NODE_API_MODULE(bucketdb, InitBucketDb)
