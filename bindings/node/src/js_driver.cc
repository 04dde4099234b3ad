#include "js_driver.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace bdbnode {

namespace {

std::atomic<uint64_t> next_scheme{1};

// Registrations by scheme, for complete(): the JavaScript side names its registration by
// scheme, so that it holds no reference that would keep the registration (and the
// thread-safe function that holds the JavaScript side) alive in a cycle.
std::mutex registry_mu;
std::map<std::string, std::weak_ptr<JsRegistration>> &Registry() {
  static auto *r = new std::map<std::string, std::weak_ptr<JsRegistration>>;
  return *r;
}

void SetError(bdb_drv_error *err, const std::string &msg) {
  if (!err) return;
  std::snprintf(err->message, sizeof err->message, "%s", msg.c_str());
}

char *Dup(const std::string &s) {
  char *p = static_cast<char *>(std::malloc(s.size() + 1));
  if (p) std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

// What the thread-safe function carries to the main thread: one request's inputs.
struct Outgoing {
  std::weak_ptr<JsRegistration> reg;  // not the registration itself: it may be gone
  uint64_t id;
  JsRegistration::Request in;
};

// The registration's instances are the registration itself: open() finds it from the table
// the host passes back (host->driver, driver ABI 2).
JsRegistration *Owner(const bdb_driver_host *host);

int Open(const bdb_driver_host *host, const char *config, void **out_instance, bdb_drv_error *err) {
  if (config && *config) {
    SetError(err, std::string("a JavaScript driver takes no options, got '") + config + "'");
    return BDB_DRV_INVALID;
  }
  JsRegistration *r = Owner(host);
  if (!r) {
    SetError(err, "a JavaScript driver needs a host of driver ABI 2 or later");
    return BDB_DRV_INVALID;
  }
  *out_instance = r;
  return BDB_DRV_OK;
}

void CloseInstance(void *) {}

int Finish(const JsRegistration::Request &r, bdb_drv_error *err) {
  if (r.status != BDB_DRV_OK && r.status != BDB_DRV_NOT_FOUND &&
      r.status != BDB_DRV_PRECONDITION_FAILED && r.status != BDB_DRV_NOT_MODIFIED)
    SetError(err, r.message);
  return r.status;
}

int Get(void *instance, const char *key, const char *, bdb_drv_object *out, bdb_drv_error *err) {
  JsRegistration::Request r;
  r.op = 0;
  r.key = key;
  static_cast<JsRegistration *>(instance)->Ask(&r);
  if (r.status == BDB_DRV_OK) {
    out->size = r.bytes.size();
    out->data = std::malloc(r.bytes.empty() ? 1 : r.bytes.size());
    if (!out->data) return BDB_DRV_NOMEM;
    if (!r.bytes.empty()) std::memcpy(out->data, r.bytes.data(), r.bytes.size());
    out->etag = r.etag.empty() ? nullptr : Dup(r.etag);
  }
  return Finish(r, err);
}

int Put(void *instance, const char *key, const void *data, size_t size,
        const bdb_drv_put_options *options, char **out_etag, bdb_drv_error *err) {
  JsRegistration::Request r;
  r.op = 1;
  r.key = key;
  const auto *p = static_cast<const unsigned char *>(data);
  r.bytes.assign(p, p + size);
  if (options->if_match) r.arg = options->if_match;
  r.if_none_match = options->if_none_match != 0;
  static_cast<JsRegistration *>(instance)->Ask(&r);
  if (r.status == BDB_DRV_OK) *out_etag = r.etag.empty() ? nullptr : Dup(r.etag);
  return Finish(r, err);
}

int Del(void *instance, const char *key, bdb_drv_error *err) {
  JsRegistration::Request r;
  r.op = 2;
  r.key = key;
  static_cast<JsRegistration *>(instance)->Ask(&r);
  return Finish(r, err);
}

int List(void *instance, const char *prefix, const char *token, bdb_drv_list *out,
         bdb_drv_error *err) {
  JsRegistration::Request r;
  r.op = 3;
  r.key = prefix;
  if (token) r.arg = token;
  static_cast<JsRegistration *>(instance)->Ask(&r);
  if (r.status == BDB_DRV_OK) {
    out->count = r.keys.size();
    out->keys = static_cast<char **>(std::calloc(r.keys.size() + 1, sizeof(char *)));
    if (!out->keys) return BDB_DRV_NOMEM;
    for (size_t i = 0; i < r.keys.size(); i++) out->keys[i] = Dup(r.keys[i]);
    out->truncated = r.truncated ? 1 : 0;
    out->next_token = r.truncated ? Dup(r.next) : nullptr;
  }
  return Finish(r, err);
}

void Release(void *, void *ptr) {
  std::free(ptr);
}

void ReleaseList(void *, bdb_drv_list *list) {
  for (size_t i = 0; i < list->count; i++) std::free(list->keys[i]);
  std::free(list->keys);
  std::free(list->next_token);
}

}  // namespace

std::shared_ptr<JsRegistration> JsRegistration::Make(Napi::Env env, Napi::Function dispatch,
                                                     uint64_t capabilities) {
  std::shared_ptr<JsRegistration> r(new JsRegistration());
  r->scheme_ = "js-" + std::to_string(next_scheme++);
  bdb_driver_v1 &t = r->table_.t;
  std::memset(&t, 0, sizeof t);
  t.abi_version = BDB_DRIVER_ABI_VERSION;
  t.struct_size = sizeof t;
  t.name = r->scheme_.c_str();
  t.capabilities = capabilities;
  t.open = Open;
  t.close = CloseInstance;
  t.get = Get;
  t.put = Put;
  t.del = Del;
  t.list = List;
  t.release = Release;
  t.release_list = ReleaseList;
  r->table_.owner = r.get();
  // The function's context names the registration weakly: a request may still be queued when
  // the registration goes.
  auto *ctx = new std::weak_ptr<JsRegistration>(r);
  JsRegistration *self = r.get();
  r->calls_ = std::make_unique<MainThreadCalls>(
      env, dispatch, "bucketdb driver", &JsRegistration::CallJs, ctx,
      [](napi_env, void *data, void *) {
        delete static_cast<std::weak_ptr<JsRegistration> *>(data);
      },
      [self] { self->FailAll(); });
  Check(env, bdb_driver_register(r->scheme_.c_str(), &r->table_.t));
  std::lock_guard<std::mutex> lock(registry_mu);
  Registry()[r->scheme_] = r;
  return r;
}

JsRegistration::~JsRegistration() {
  {
    std::lock_guard<std::mutex> lock(registry_mu);
    Registry().erase(scheme_);
  }
  bdb_driver_unregister(scheme_.c_str());
}

napi_env JsRegistration::env() const {
  return calls_->env();
}

void JsRegistration::Fail(Request *r, const char *why) const {
  r->status = BDB_DRV_IO;
  r->message = "driver " + scheme_ + " (JavaScript): " + why;
  r->answered = true;
}

void JsRegistration::Ask(Request *r) {
  if (calls_->OnMainThread()) {
    // It would wait for the very thread it blocks. Nothing of the addon calls the engine
    // there while it may reach storage; this is the guard should anything ever do.
    Fail(r, "called on the JavaScript thread, which cannot answer while it waits");
    return;
  }
  auto out = std::make_unique<Outgoing>(Outgoing{weak_from_this(), 0, {}});
  out->in.op = r->op;
  out->in.key = r->key;
  out->in.arg = r->arg;
  out->in.bytes = r->bytes;
  out->in.if_none_match = r->if_none_match;
  std::unique_lock<std::mutex> lock(mu_);
  if (closing_) {
    Fail(r, "the JavaScript environment is shutting down");
    return;
  }
  uint64_t id = out->id = next_id_++;
  waiting_[id] = r;
  if (!calls_->Post(out.get())) {
    waiting_.erase(id);
    Fail(r, "the JavaScript environment is shutting down");
    return;
  }
  static_cast<void>(out.release());  // Post handed it to CallJs, which deletes it
  answered_.wait(lock, [r] { return r->answered; });
}

void JsRegistration::Answer(uint64_t id, Request &&answer) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = waiting_.find(id);
  if (it == waiting_.end()) return;  // failed already (teardown)
  Request *r = it->second;
  waiting_.erase(it);
  r->status = answer.status;
  r->message = std::move(answer.message);
  r->etag = std::move(answer.etag);
  r->next = std::move(answer.next);
  r->keys = std::move(answer.keys);
  r->bytes = std::move(answer.bytes);
  r->truncated = answer.truncated;
  r->answered = true;
  answered_.notify_all();
}

void JsRegistration::FailAll() {
  std::lock_guard<std::mutex> lock(mu_);
  closing_ = true;
  for (auto &[id, r] : waiting_) Fail(r, "the JavaScript environment is shutting down");
  waiting_.clear();
  answered_.notify_all();
}

void JsRegistration::Close() {
  FailAll();
  calls_->TearDown();
}

// The main thread: dispatch(op, key, arg, bytes | undefined, ifNoneMatch, id).
void JsRegistration::CallJs(napi_env env, napi_value dispatch, void *, void *data) {
  std::unique_ptr<Outgoing> out(static_cast<Outgoing *>(data));
  auto reg = out->reg.lock();
  if (!reg) return;
  if (!env) {  // the thread-safe function is going away: nobody will answer
    Request failed;
    reg->Fail(&failed, "the JavaScript environment is shutting down");
    reg->Answer(out->id, std::move(failed));
    return;
  }
  Napi::Env e(env);
  Napi::HandleScope scope(e);
  const Request &in = out->in;
  Napi::Value bytes =
      in.op == 1
          ? Napi::Buffer<unsigned char>::Copy(e, in.bytes.data(), in.bytes.size()).As<Napi::Value>()
          : e.Undefined();
  try {
    Napi::Function(e, dispatch)
        .Call({Napi::Number::New(e, in.op), Napi::String::New(e, in.key),
               in.arg.empty() ? e.Undefined() : Napi::String::New(e, in.arg).As<Napi::Value>(),
               bytes, Napi::Boolean::New(e, in.if_none_match),
               Napi::Number::New(e, static_cast<double>(out->id))});
  } catch (const Napi::Error &err) {  // dispatch catches everything; this is a last resort
    Request failed;
    reg->Fail(&failed, err.Message().c_str());
    reg->Answer(out->id, std::move(failed));
  }
}

namespace {

JsRegistration *Owner(const bdb_driver_host *host) {
  // NOLINTNEXTLINE(bugprone-sizeof-expression): the macro sizes the pointer member itself
  if (!BDB_DRIVER_HOST_HAS(host, driver) || !host->driver) return nullptr;
  // The table is the first member of the registration's Table (standard layout).
  struct TableView {
    bdb_driver_v1 t;
    JsRegistration *owner;
  };
  return reinterpret_cast<const TableView *>(host->driver)->owner;
}

// The handle JavaScript holds: a strong reference to the registration.
using Handle = std::shared_ptr<JsRegistration>;

// registerJsDriver(dispatch, capabilities: {conditionalPut, strongList}) -> [scheme, handle]
Napi::Value Register(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!info[0].IsFunction()) Fail(env, BDB_E_INVALID, "registerJsDriver needs its dispatcher");
  uint64_t caps = 0;
  if (info[1].IsObject()) {
    Napi::Object c = info[1].As<Napi::Object>();
    if (c.Get("conditionalPut").ToBoolean()) caps |= BDB_DRV_CAP_CONDITIONAL_PUT;
    if (c.Get("strongList").ToBoolean()) caps |= BDB_DRV_CAP_STRONG_LIST;
  }
  auto reg = JsRegistration::Make(env, info[0].As<Napi::Function>(), caps);
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::String::New(env, reg->scheme()));
  out.Set(1u, Napi::External<Handle>::New(env, new Handle(reg),
                                          [](Napi::Env, Handle *h) { delete h; }));
  return out;
}

// complete(scheme, id, { status, message, data, etag, keys, truncated, next })
Napi::Value Complete(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString() || !info[1].IsNumber() || !info[2].IsObject())
    Fail(env, BDB_E_INVALID, "complete(scheme, id, answer)");
  Handle reg;
  {
    std::lock_guard<std::mutex> lock(registry_mu);
    auto it = Registry().find(info[0].As<Napi::String>().Utf8Value());
    if (it != Registry().end()) reg = it->second.lock();
  }
  if (!reg) return env.Undefined();  // gone with its database: nobody waits
  Napi::Object a = info[2].As<Napi::Object>();
  JsRegistration::Request r;
  r.status = a.Get("status").As<Napi::Number>().Int32Value();
  Napi::Value v = a.Get("message");
  if (v.IsString()) r.message = v.As<Napi::String>().Utf8Value();
  v = a.Get("etag");
  if (v.IsString()) r.etag = v.As<Napi::String>().Utf8Value();
  v = a.Get("next");
  if (v.IsString()) r.next = v.As<Napi::String>().Utf8Value();
  r.truncated = a.Get("truncated").ToBoolean();
  v = a.Get("data");
  if (v.IsTypedArray()) {
    auto ta = v.As<Napi::Uint8Array>();
    r.bytes.assign(ta.Data(), ta.Data() + ta.ByteLength());
  }
  v = a.Get("keys");
  if (v.IsArray()) {
    auto keys = v.As<Napi::Array>();
    r.keys.reserve(keys.Length());
    for (uint32_t i = 0; i < keys.Length(); i++)
      r.keys.push_back(keys.Get(i).ToString().Utf8Value());
  }
  reg->Answer(static_cast<uint64_t>(info[1].As<Napi::Number>().DoubleValue()), std::move(r));
  return env.Undefined();
}

}  // namespace

std::shared_ptr<JsRegistration> RegistrationOf(Napi::Value handle) {
  if (!handle.IsExternal()) return nullptr;
  return *handle.As<Napi::External<Handle>>().Data();
}

void CloseJsDrivers(napi_env env) {
  std::vector<std::shared_ptr<JsRegistration>> all;
  {
    std::lock_guard<std::mutex> lock(registry_mu);
    for (auto &[scheme, weak] : Registry())
      if (auto r = weak.lock())
        if (r->env() == env) all.push_back(std::move(r));
  }
  for (auto &r : all) r->Close();
}

void InitJsDriver(Napi::Env env, Napi::Object exports) {
  exports.Set("registerJsDriver", Napi::Function::New(env, Register, "registerJsDriver"));
  exports.Set("complete", Napi::Function::New(env, Complete, "complete"));
}

}  // namespace bdbnode
