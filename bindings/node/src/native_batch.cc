// NativeBatch: a bdb_batch. Staging encodes on the main thread (no storage is touched: the
// table's schema is already in memory), commit runs on an executor thread.
#include "call.h"
#include "native.h"
#include "values.h"

namespace bdbnode {

namespace {

// Frees a document when it goes out of scope.
struct DocGuard {
  bdb_doc *d = nullptr;
  ~DocGuard() { bdb_doc_free(d); }
};

}  // namespace

Napi::Function NativeBatch::Define(Napi::Env env) {
  return DefineClass(
      env, "NativeBatch",
      {InstanceMethod<&NativeBatch::Stage>("stage"), InstanceMethod<&NativeBatch::Delete>("delete"),
       InstanceMethod<&NativeBatch::ExpectVersion>("expectVersion"),
       InstanceMethod<&NativeBatch::ExpectExists>("expectExists"),
       InstanceAccessor<&NativeBatch::Size>("size"), InstanceMethod<&NativeBatch::Clear>("clear"),
       InstanceMethod<&NativeBatch::Commit>("commit"), InstanceMethod<&NativeBatch::Free>("free")});
}

NativeBatch::NativeBatch(const Napi::CallbackInfo &info) : Napi::ObjectWrap<NativeBatch>(info) {
  if (info.Length() != 1 || !info[0].IsExternal())
    Fail(info.Env(), BDB_E_INVALID, "NativeBatch is made by NativeDb.batch()");
  child_.reset(info[0].As<Napi::External<Child>>().Data());
}

void NativeBatch::NotBusy(Napi::Env env) const {
  if (child_->busy)
    Fail(env, BDB_E_INVALID,
         "the batch is being flushed: stage more after `await batch.flush()`, or in another batch");
}

// stage("insert" | "update" | "patch", table, values) -> true, or false (nothing staged) when
// the table's schema is not in memory yet.
Napi::Value NativeBatch::Stage(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::string op = info[0].ToString().Utf8Value();
  if (!info[1].IsString()) Fail(env, BDB_E_INVALID, op + ": the table name must be a string");
  std::string table = info[1].As<Napi::String>().Utf8Value();
  if (!info[2].IsObject() || info[2].IsArray())
    Fail(env, BDB_E_INVALID, op + " into " + table + ": the row must be an object");
  bdb_status (*stage)(bdb_batch *, const bdb_doc *) = op == "insert"   ? bdb_batch_insert
                                                      : op == "update" ? bdb_batch_update
                                                      : op == "patch"  ? bdb_batch_patch
                                                                       : nullptr;
  if (!stage) Fail(env, BDB_E_INVALID, "unknown batch operation " + op);
  NotBusy(env);
  SyncCall in(env, *child_);
  if (!child_->db->known_tables.count(table)) return Napi::Boolean::New(env, false);
  DocGuard doc;
  Check(env, bdb_doc_new(child_->db->db(), table.c_str(), &doc.d));
  SetFields(env, doc.d, info[2].As<Napi::Object>());
  Check(env, stage(batch(), doc.d));
  return Napi::Boolean::New(env, true);
}

// delete(table, key) -> true, or false when the table is not in memory yet.
Napi::Value NativeBatch::Delete(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) Fail(env, BDB_E_INVALID, "delete: the table name must be a string");
  std::string table = info[0].As<Napi::String>().Utf8Value();
  if (info[1].IsUndefined() || info[1].IsNull())
    Fail(env, BDB_E_INVALID, "delete from " + table + ": the primary key is missing");
  std::string key = ToJsonLiteral(env, info[1], "delete from " + table + ": the key");
  NotBusy(env);
  SyncCall in(env, *child_);
  if (!child_->db->known_tables.count(table)) return Napi::Boolean::New(env, false);
  Check(env, bdb_batch_delete_key(batch(), table.c_str(), key.c_str()));
  return Napi::Boolean::New(env, true);
}

Napi::Value NativeBatch::ExpectVersion(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint64_t v = ToUint64(env, info[0], "expectVersion");
  NotBusy(env);
  SyncCall in(env, *child_);
  Check(env, bdb_batch_expect_version(batch(), v));
  return env.Undefined();
}

Napi::Value NativeBatch::ExpectExists(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  NotBusy(env);
  SyncCall in(env, *child_);
  Check(env, bdb_batch_expect_exists(batch()));
  return env.Undefined();
}

Napi::Value NativeBatch::Size(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (child_->busy)  // a worker commits it: the size it had then
    return Napi::Number::New(env, static_cast<double>(size_at_commit_));
  Status st;
  if (!child_->db->Enter(*child_, &st)) return Napi::Number::New(env, 0);
  size_t n = bdb_batch_size(batch());
  child_->db->Leave();
  return Napi::Number::New(env, static_cast<double>(n));
}

Napi::Value NativeBatch::Clear(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  NotBusy(env);
  SyncCall in(env, *child_);
  bdb_batch_clear(batch());
  return env.Undefined();
}

// commit() -> Promise<seq>: one log entry; on failure the batch keeps its operations.
Napi::Value NativeBatch::Commit(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  NotBusy(env);
  {
    SyncCall in(env, *child_);
    size_at_commit_ = bdb_batch_size(batch());
  }
  child_->busy = true;
  Child *c = child_.get();
  auto seq = std::make_shared<uint64_t>(0);
  return Call::Start(
      env, c->db, c, Value(),
      [c, seq]() {
        return Status::Lib(bdb_batch_commit(static_cast<bdb_batch *>(c->h), seq.get()));
      },
      [seq](Napi::Env e) { return UintToJs(e, *seq); }, [c] { c->busy = false; });
}

Napi::Value NativeBatch::Free(const Napi::CallbackInfo &info) {
  NotBusy(info.Env());
  child_->Free();
  return info.Env().Undefined();
}

}  // namespace bdbnode
