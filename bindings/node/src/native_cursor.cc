// NativeCursor: a bdb_cursor, read in chunks on an executor thread.
#include <vector>

#include "call.h"
#include "native.h"
#include "values.h"

namespace bdbnode {

Napi::Function NativeCursor::Define(Napi::Env env) {
  return DefineClass(env, "NativeCursor",
                     {InstanceMethod<&NativeCursor::Next>("next"),
                      InstanceMethod<&NativeCursor::PageToken>("pageToken"),
                      InstanceMethod<&NativeCursor::Free>("free")});
}

NativeCursor::NativeCursor(const Napi::CallbackInfo &info) : Napi::ObjectWrap<NativeCursor>(info) {
  if (info.Length() != 1 || !info[0].IsExternal())
    Fail(info.Env(), BDB_E_INVALID, "NativeCursor is made by NativeDb.query()");
  child_.reset(info[0].As<Napi::External<Child>>().Data());
}

RowChunk::~RowChunk() {
  for (bdb_doc *d : docs) bdb_doc_free(d);
}

Status RowChunk::Read(bdb_cursor *c, uint32_t max, int flags) {
  for (uint32_t i = 0; i < max; i++) {
    bdb_doc *d = nullptr;
    bdb_status st = bdb_cursor_next(c, &d);
    if (st != BDB_OK) return docs.empty() ? Status::Lib(st) : Status();
    if (!d) {
      done = true;
      break;
    }
    docs.push_back(d);
    if (flags & 1) {
      char *t = nullptr;
      st = bdb_cursor_page_token(c, &t);
      if (st != BDB_OK) return Status::Lib(st);
      tokens.push_back(TakeString(t));
    }
  }
  return {};
}

Napi::Array RowChunk::ToJs(Napi::Env env, int flags) const {
  Napi::Array rows = Napi::Array::New(env, docs.size());
  for (size_t i = 0; i < docs.size(); i++)
    rows.Set(static_cast<uint32_t>(i),
             flags & 2 ? DocToRecord(env, docs[i]) : DocToObject(env, docs[i]));
  Napi::Array out = Napi::Array::New(env, 3);
  out.Set(0u, rows);
  if (flags & 1) {
    Napi::Array t = Napi::Array::New(env, tokens.size());
    for (size_t i = 0; i < tokens.size(); i++)
      t.Set(static_cast<uint32_t>(i), Napi::String::New(env, tokens[i]));
    out.Set(1u, t);
  }
  out.Set(2u, Napi::Boolean::New(env, done));
  return out;
}

// next(max, flags) -> Promise<[rows, tokens | undefined, done]> (RowChunk).
Napi::Value NativeCursor::Next(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (child_->busy)
    Fail(env, BDB_E_INVALID, "the cursor is busy: await each next() before the following one");
  uint32_t max = info[0].IsNumber() ? info[0].As<Napi::Number>().Uint32Value() : 1;
  int flags = info[1].IsNumber() ? info[1].As<Napi::Number>().Int32Value() : 0;
  auto chunk = std::make_shared<RowChunk>();
  Child *c = child_.get();
  c->busy = true;
  return Call::Start(
      env, c->db, c, Value(),
      [=]() { return chunk->Read(static_cast<bdb_cursor *>(c->h), max ? max : 1, flags); },
      [=](Napi::Env e) -> Napi::Value { return chunk->ToJs(e, flags); },
      [this, c] {
        c->busy = false;
        if (free_when_idle_) c->Free();
      });
}

// pageToken() -> string: where the rows read so far end (for a query's after()).
Napi::Value NativeCursor::PageToken(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (child_->busy) Fail(env, BDB_E_INVALID, "the cursor is busy: await next() first");
  SyncCall in(env, *child_);
  char *t = nullptr;
  Check(env, bdb_cursor_page_token(static_cast<bdb_cursor *>(child_->h), &t));
  return Napi::String::New(env, TakeString(t));
}

Napi::Value NativeCursor::Free(const Napi::CallbackInfo &info) {
  if (child_->busy)
    free_when_idle_ = true;
  else
    child_->Free();
  return info.Env().Undefined();
}

}  // namespace bdbnode
