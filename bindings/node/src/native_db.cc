// NativeDb: bdb_open and everything of bucketdb.h called on a database.
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "call.h"
#include "js_driver.h"
#include "log_sink.h"
#include "native.h"
#include "query_spec.h"
#include "values.h"

namespace bdbnode {

namespace {

using Handle = std::shared_ptr<DbHandle>;

}  // namespace

// The argument of a database's teardown hook. At environment teardown (process exit, a worker
// thread's end) a database still open is closed, so that its background threads stop before
// the process does; its NativeDb may be finalized after that, in the same teardown, and then
// only frees this (`ran`).
struct NativeDb::Teardown {
  Handle db;
  bool ran = false;
};

namespace {

void CloseAtTeardown(void *arg) {
  auto *t = static_cast<NativeDb::Teardown *>(arg);
  t->ran = true;
  CloseJsDrivers(t->db->env);  // no JavaScript will answer their calls any more
  t->db->Close(false);
}

void ForgetTeardown(Napi::Env env, NativeDb::Teardown *arg) {
  napi_remove_env_cleanup_hook(env, CloseAtTeardown, arg);
  delete arg;
}

// Closes a database its program forgot to close, once its NativeDb is collected. It closes
// through its own reference: at teardown Complete never runs (and the hook, if it runs, closes
// the database first).
class CloseJob : public Job {
 public:
  explicit CloseJob(NativeDb::Teardown *hook) : db_(hook->db), hook_(hook) {}
  void Execute() override { db_->Close(false); }
  void Complete(Napi::Env env) override { ForgetTeardown(env, hook_); }

 private:
  Handle db_;
  NativeDb::Teardown *hook_;
};

std::string Str(const Napi::CallbackInfo &info, size_t i, const char *what) {
  if (!info[i].IsString()) Fail(info.Env(), BDB_E_INVALID, std::string(what) + " must be a string");
  return info[i].As<Napi::String>().Utf8Value();
}

// The strings of a JavaScript array (anything else: none).
std::vector<std::string> StrList(const Napi::Value &v) {
  std::vector<std::string> out;
  if (!v.IsArray()) return out;
  auto a = v.As<Napi::Array>();
  for (uint32_t i = 0; i < a.Length(); i++) out.push_back(a.Get(i).ToString().Utf8Value());
  return out;
}

// [[name, value], ...] of the JavaScript layer's options.
std::vector<std::pair<std::string, std::string>> OptionPairs(const Napi::Value &v) {
  std::vector<std::pair<std::string, std::string>> options;
  if (!v.IsArray()) return options;
  auto a = v.As<Napi::Array>();
  for (uint32_t i = 0; i < a.Length(); i++) {
    auto pair = a.Get(i).As<Napi::Array>();
    options.emplace_back(pair.Get(0u).ToString().Utf8Value(), pair.Get(1u).ToString().Utf8Value());
  }
  return options;
}

// bdb_options with those pairs (NULL and a failed status on a bad one).
bdb_status MakeOptions(const std::vector<std::pair<std::string, std::string>> &pairs,
                       bdb_options **out) {
  bdb_status st = bdb_options_new(out);
  for (auto &[name, value] : pairs)
    if (st == BDB_OK) st = bdb_options_set(*out, name.c_str(), value.c_str());
  if (st != BDB_OK) {
    bdb_options_free(*out);
    *out = nullptr;
  }
  return st;
}

std::vector<std::string> TableNames(const std::string &schemas_json) {
  std::vector<std::string> names;
  auto list = nlohmann::json::parse(schemas_json, nullptr, false);
  if (list.is_array())
    for (auto &s : list)
      if (s.is_object() && s.contains("name") && s["name"].is_string())
        names.push_back(s["name"].get<std::string>());
  return names;
}

}  // namespace

Napi::Function NativeDb::Define(Napi::Env env) {
  return DefineClass(
      env, "NativeDb",
      {StaticMethod<&NativeDb::Open>("open"), StaticMethod<&NativeDb::DriverCheck>("driverCheck"),
       StaticMethod<&NativeDb::Recover>("recover"),
       InstanceMethod<&NativeDb::RegisterSchema>("registerSchema"),
       InstanceMethod<&NativeDb::Schemas>("schemas"), InstanceMethod<&NativeDb::IsKnown>("isKnown"),
       InstanceMethod<&NativeDb::LearnTables>("learnTables"), InstanceMethod<&NativeDb::Get>("get"),
       InstanceMethod<&NativeDb::ReadBlob>("readBlob"), InstanceMethod<&NativeDb::Query>("query"),
       InstanceMethod<&NativeDb::Batch>("batch"),
       InstanceMethod<&NativeDb::Maintenance>("maintenance"),
       InstanceMethod<&NativeDb::Interrupt>("interrupt"), InstanceMethod<&NativeDb::Close>("close"),
       InstanceAccessor<&NativeDb::Closed>("closed")});
}

NativeDb::NativeDb(const Napi::CallbackInfo &info) : Napi::ObjectWrap<NativeDb>(info) {
  if (info.Length() != 1 || !info[0].IsExternal())
    Fail(info.Env(), BDB_E_INVALID, "NativeDb is made by NativeDb.open()");
  db_ = *info[0].As<Napi::External<Handle>>().Data();
  hook_ = new Teardown{db_};
  napi_add_env_cleanup_hook(info.Env(), CloseAtTeardown, hook_);
}

NativeDb::~NativeDb() {
  if (close_started_) return;  // close() takes the hook back (or teardown leaves it)
  if (hook_->ran)
    delete hook_;  // finalized in the teardown, after the hook closed the database
  else
    // NOLINTNEXTLINE(bugprone-unhandled-exception-at-new): out of memory here ends the process
    ExecutorOf(Env()).Submit(new CloseJob(hook_));
}

// open(uri | null, [[name, value], ...], jsDriverHandle?, log?, progress?) ->
// Promise<NativeDb>; with a handle of registerJsDriver, uri is its scheme's and the database
// keeps the registration; log(level, subsystem, message) receives the database's log lines,
// progress(level, task, "DONE TOTAL") the progress of its long work.
Napi::Value NativeDb::Open(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  bool has_uri = info[0].IsString();
  std::string uri = has_uri ? info[0].As<Napi::String>().Utf8Value() : "";
  std::shared_ptr<JsRegistration> js = RegistrationOf(info[2]);
  std::shared_ptr<LogSink> log =
      info[3].IsFunction() ? LogSink::Make(env, info[3].As<Napi::Function>()) : nullptr;
  std::shared_ptr<LogSink> progress =
      info[4].IsFunction() ? LogSink::Make(env, info[4].As<Napi::Function>()) : nullptr;
  std::vector<std::pair<std::string, std::string>> options = OptionPairs(info[1]);
  // As the Node library does, a database that does not exist is created, unless the program
  // says otherwise (createIfMissing: false, or readOnly: true).
  bool chosen = false;
  for (auto &[name, value] : options) chosen |= name == "createIfMissing" || name == "readOnly";
  if (!chosen) options.insert(options.begin(), {"createIfMissing", "1"});
  struct Result {
    bdb_db *db = nullptr;
    std::vector<std::string> tables;
  };
  auto r = std::make_shared<Result>();
  return Call::Start(
      env, nullptr, nullptr, Napi::Object(),
      [=]() -> Status {
        bdb_options *o = nullptr;
        bdb_status st = MakeOptions(options, &o);
        if (st == BDB_OK && log) st = bdb_options_set_logger(o, LogSink::Log, log.get());
        if (st == BDB_OK && progress)
          st = bdb_options_set_progress(o, LogSink::Progress, progress.get());
        if (st == BDB_OK) st = bdb_open(has_uri ? uri.c_str() : nullptr, o, &r->db);
        Status s = st == BDB_OK ? Status() : Status::Lib(st);
        bdb_options_free(o);
        if (!s.ok()) return s;
        char *json = nullptr;
        if (bdb_schema_list_json(r->db, &json) == BDB_OK) r->tables = TableNames(TakeString(json));
        return {};
      },
      [r, js, log, progress](Napi::Env e) -> Napi::Value {
        auto h = std::make_shared<DbHandle>(r->db);
        h->env = e;
        h->js = js;
        h->log = log;
        h->progress = progress;
        r->db = nullptr;
        h->known_tables.insert(r->tables.begin(), r->tables.end());
        return Data(e).db_class.New({Napi::External<Handle>::New(e, &h)});
      },
      [r, js, log, progress] {
        if (!r->db) return;
        bdb_close(r->db);  // opened, but never handed over; the driver and sinks outlive it
        (void)js;
        (void)log;
        (void)progress;
      });
}

// recover(uri | null, [[name, value], ...], jsDriverHandle?, schemasJson, flags) ->
// Promise<report object>: bdb_recover, the database under the options' dbPrefix unopened.
Napi::Value NativeDb::Recover(const Napi::CallbackInfo &info) {
  bool has_uri = info[0].IsString();
  std::string uri = has_uri ? info[0].As<Napi::String>().Utf8Value() : "";
  auto options = OptionPairs(info[1]);
  std::shared_ptr<JsRegistration> js = RegistrationOf(info[2]);  // registered while it runs
  std::string schemas = info[3].IsString() ? info[3].As<Napi::String>().Utf8Value() : "";
  unsigned flags = info[4].IsNumber() ? info[4].As<Napi::Number>().Uint32Value() : 0;
  auto out = std::make_shared<std::string>();
  return Call::Start(
      info.Env(), nullptr, nullptr, Napi::Object(),
      [=]() -> Status {
        (void)js;
        bdb_options *o = nullptr;
        bdb_status st = MakeOptions(options, &o);
        char *json = nullptr;
        if (st == BDB_OK)
          st = bdb_recover(has_uri ? uri.c_str() : nullptr, o,
                           schemas.empty() ? nullptr : schemas.c_str(), flags, &json);
        Status s = Status::Lib(st);
        bdb_options_free(o);
        if (s.ok()) *out = TakeString(json);
        return s;
      },
      [out](Napi::Env e) { return JsonTextToJs(e, *out); });
}

// driverCheck(uri, jsDriverHandle?) -> Promise<report object>
Napi::Value NativeDb::DriverCheck(const Napi::CallbackInfo &info) {
  std::string uri = Str(info, 0, "the driver URI");
  std::shared_ptr<JsRegistration> js = RegistrationOf(info[1]);  // registered while it runs
  auto out = std::make_shared<std::string>();
  return Call::Start(
      info.Env(), nullptr, nullptr, Napi::Object(),
      [=]() -> Status {
        (void)js;
        char *json = nullptr;
        bdb_status st = bdb_driver_check(uri.c_str(), &json);
        if (st != BDB_OK) return Status::Lib(st);
        *out = TakeString(json);
        return {};
      },
      [out](Napi::Env e) { return JsonTextToJs(e, *out); });
}

// registerSchema(json, [tableNames], flags) -> Promise<void>
Napi::Value NativeDb::RegisterSchema(const Napi::CallbackInfo &info) {
  std::string json = Str(info, 0, "the schema");
  std::vector<std::string> names = StrList(info[1]);
  unsigned flags = info[2].IsNumber() ? info[2].As<Napi::Number>().Uint32Value() : 0;
  Handle h = db_;
  return Call::Start(
      info.Env(), db_, nullptr, Value(),
      [=]() { return Status::Lib(bdb_schema_register_json_v2(h->db(), json.c_str(), flags)); },
      [=](Napi::Env e) -> Napi::Value {
        h->known_tables.insert(names.begin(), names.end());
        return e.Undefined();
      });
}

// interrupt(): bdb_db_interrupt, on the main thread while the calls it stops run on worker
// threads; it waits for none of them (each rejects with InterruptedError soon).
Napi::Value NativeDb::Interrupt(const Napi::CallbackInfo &info) {
  SyncCall in(info.Env(), *db_);
  bdb_status st = bdb_db_interrupt(db_->db());
  if (st != BDB_OK) Throw(info.Env(), Status::Lib(st));
  return info.Env().Undefined();
}

// schemas() -> Promise<array>
Napi::Value NativeDb::Schemas(const Napi::CallbackInfo &info) {
  Handle h = db_;
  auto out = std::make_shared<std::string>();
  return Call::Start(
      info.Env(), db_, nullptr, Value(),
      [=]() -> Status {
        char *json = nullptr;
        bdb_status st = bdb_schema_list_json(h->db(), &json);
        if (st != BDB_OK) return Status::Lib(st);
        *out = TakeString(json);
        return {};
      },
      [out](Napi::Env e) { return JsonTextToJs(e, *out); });
}

Napi::Value NativeDb::IsKnown(const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(
      info.Env(),
      info[0].IsString() && db_->known_tables.count(info[0].As<Napi::String>().Utf8Value()));
}

// learnTables([names]) -> Promise<void>: makes the engine find each table's schema (reading
// the log if another node registered it), so that later documents of it are made on the main
// thread. Rejects with the engine's error for the first unknown table.
Napi::Value NativeDb::LearnTables(const Napi::CallbackInfo &info) {
  std::vector<std::string> names = StrList(info[0]);
  Handle h = db_;
  return Call::Start(
      info.Env(), db_, nullptr, Value(),
      [=]() -> Status {
        for (const std::string &n : names) {
          bdb_doc *d = nullptr;
          bdb_status st = bdb_doc_new(h->db(), n.c_str(), &d);
          if (st != BDB_OK) return Status::Lib(st);
          bdb_doc_free(d);
        }
        return {};
      },
      [=](Napi::Env e) -> Napi::Value {
        h->known_tables.insert(names.begin(), names.end());
        return e.Undefined();
      });
}

// get(table, key, mode: 0 row, 1 record, 2 JSON text) -> Promise<... | null>
Napi::Value NativeDb::Get(const Napi::CallbackInfo &info) {
  std::string table = Str(info, 0, "the table name");
  std::string key = ToJsonLiteral(info.Env(), info[1], "the key of a get from " + table);
  int mode = info[2].IsNumber() ? info[2].As<Napi::Number>().Int32Value() : 0;
  Handle h = db_;
  struct Result {
    bdb_doc *doc = nullptr;
    bool found = false;
    ~Result() { bdb_doc_free(doc); }
  };
  auto r = std::make_shared<Result>();
  return Call::Start(
      info.Env(), db_, nullptr, Value(),
      [=]() -> Status {
        bdb_doc *k = nullptr;
        bdb_status st = bdb_key_doc_from_text(h->db(), table.c_str(), key.c_str(), &k);
        if (st == BDB_OK) st = bdb_get(h->db(), k, &r->doc);
        Status s = st == BDB_OK || st == BDB_E_NOT_FOUND ? Status() : Status::Lib(st);
        r->found = st == BDB_OK;
        bdb_doc_free(k);
        return s;
      },
      [=](Napi::Env e) -> Napi::Value {
        if (!r->found) return e.Null();
        if (mode == 1) return DocToRecord(e, r->doc);
        if (mode == 2) {
          char *json = nullptr;
          Check(e, bdb_doc_to_json(r->doc, &json));
          return Napi::String::New(e, TakeString(json));
        }
        return DocToObject(e, r->doc);
      });
}

// readBlob(id) -> Promise<Buffer>
Napi::Value NativeDb::ReadBlob(const Napi::CallbackInfo &info) {
  std::string id = Str(info, 0, "the blob id");
  Handle h = db_;
  struct Result {
    void *data = nullptr;
    size_t len = 0;
    ~Result() { bdb_free(data); }
  };
  auto r = std::make_shared<Result>();
  return Call::Start(
      info.Env(), db_, nullptr, Value(),
      [=]() { return Status::Lib(bdb_blob_read(h->db(), id.c_str(), &r->data, &r->len)); },
      [r](Napi::Env e) -> Napi::Value {
        return Napi::Buffer<uint8_t>::Copy(e, static_cast<const uint8_t *>(r->data), r->len);
      });
}

// query(spec, what: "cursor" | "count" | "explain", max, flags) -> Promise of
// [NativeCursor, rows, tokens, done] (the cursor and its first max rows, as NativeCursor.next
// gives them: a short query takes one trip to a worker), a count, or the plan's text.
Napi::Value NativeDb::Query(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) Fail(env, BDB_E_INVALID, "a query needs its description");
  auto spec = std::make_shared<QuerySpec>(QuerySpec::FromJs(env, info[0].As<Napi::Object>()));
  std::string what = Str(info, 1, "the query's result kind");
  uint32_t max = info[2].IsNumber() ? info[2].As<Napi::Number>().Uint32Value() : 1;
  int flags = info[3].IsNumber() ? info[3].As<Napi::Number>().Int32Value() : 0;
  Handle h = db_;
  struct Result {
    std::unique_ptr<Child> cursor;
    RowChunk first;
    uint64_t count = 0;
    std::string text;
  };
  auto r = std::make_shared<Result>();
  return Call::Start(
      env, db_, nullptr, Value(),
      [=]() -> Status {
        bdb_query *q = nullptr;
        Status s = spec->Build(h->db(), &q);
        if (!s.ok()) return s;
        bdb_status st;
        if (what == "count") {
          st = bdb_query_count(q, &r->count);
        } else if (what == "explain") {
          char *text = nullptr;
          st = bdb_query_explain(q, &text);
          if (st == BDB_OK) r->text = TakeString(text);
        } else {
          bdb_cursor *c = nullptr;
          st = bdb_query_exec(q, &c);
          if (st == BDB_OK) {
            r->cursor = std::make_unique<Child>(h, Child::kCursor, c);
            s = r->first.Read(c, max ? max : 1, flags);
          }
        }
        if (st != BDB_OK) s = Status::Lib(st);
        bdb_query_free(q);
        return s;
      },
      [=](Napi::Env e) -> Napi::Value {
        if (what == "count") return UintToJs(e, r->count);
        if (what == "explain") return Napi::String::New(e, r->text);
        Napi::Array out = r->first.ToJs(e, flags);  // [rows, tokens, done]
        Napi::Array with = Napi::Array::New(e, 4);
        with.Set(0u,
                 Data(e).cursor_class.New({Napi::External<Child>::New(e, r->cursor.release())}));
        for (uint32_t i = 0; i < 3; i++) with.Set(i + 1, out.Get(i));
        return with;
      });
}

// batch() -> NativeBatch (bdb_batch_new touches no storage)
Napi::Value NativeDb::Batch(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::unique_ptr<Child> c;
  {
    SyncCall in(env, *db_);
    bdb_batch *b = nullptr;
    Check(env, bdb_batch_new(db_->db(), &b));
    c = std::make_unique<Child>(db_, Child::kBatch, b);
  }
  return Data(env).batch_class.New({Napi::External<Child>::New(env, c.release())});
}

// maintenance(what, arg, arg2, flags) -> Promise: merge, gc, export (arg: the path) and
// import (arg: the path, arg2: rows per batch, flags) give a count; stats, inspect (arg: what)
// and verify a parsed JSON value; refresh, dropTable (arg: the table) and dropIndex (arg, arg2:
// table and field) nothing.
Napi::Value NativeDb::Maintenance(const Napi::CallbackInfo &info) {
  std::string what = Str(info, 0, "the maintenance call");
  std::string arg = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  std::string arg2 = info[2].IsString() ? info[2].As<Napi::String>().Utf8Value() : "";
  uint64_t rows = info[2].IsString() || info[2].IsUndefined()
                      ? 0
                      : ToUint64(info.Env(), info[2], what + ": batchRows");
  unsigned flags = info[3].IsNumber() ? info[3].As<Napi::Number>().Uint32Value() : 0;
  Handle h = db_;
  struct Result {
    uint64_t n = 0;
    std::string json;
  };
  auto r = std::make_shared<Result>();
  return Call::Start(
      info.Env(), db_, nullptr, Value(),
      [=]() -> Status {
        bdb_status st = BDB_E_INVALID;
        char *json = nullptr;
        if (what == "merge") st = bdb_db_merge(h->db(), &r->n);
        if (what == "gc") st = bdb_db_gc(h->db(), &r->n);
        if (what == "refresh") st = bdb_db_refresh(h->db());
        if (what == "stats") st = bdb_db_stats_json(h->db(), &json);
        if (what == "inspect") st = bdb_db_inspect_json(h->db(), arg.c_str(), &json);
        if (what == "verify") st = bdb_db_verify(h->db(), &json);
        if (what == "export") st = bdb_db_export(h->db(), arg.c_str(), &r->n);
        if (what == "import") st = bdb_db_import(h->db(), arg.c_str(), rows, flags, &r->n);
        if (what == "dropTable") st = bdb_table_drop(h->db(), arg.c_str());
        if (what == "dropIndex") st = bdb_index_drop(h->db(), arg.c_str(), arg2.c_str());
        if (st != BDB_OK) return Status::Lib(st);
        if (json) r->json = TakeString(json);
        return {};
      },
      [=](Napi::Env e) -> Napi::Value {
        if (what == "merge" || what == "gc" || what == "export" || what == "import")
          return UintToJs(e, r->n);
        if (what == "dropTable") h->known_tables.erase(arg);  // documents of it fail again
        if (what == "refresh" || what == "dropTable" || what == "dropIndex") return e.Undefined();
        return JsonTextToJs(e, r->json);
      });
}

// close() -> Promise<void>: waits for calls in flight, frees every batch and cursor, closes;
// rejects with a merge at close that failed (the database is closed all the same).
Napi::Value NativeDb::Close(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Handle h = db_;
  Teardown *hook = close_started_ ? nullptr : hook_;
  close_started_ = true;
  return Call::Start(
      env, nullptr, nullptr, Value(), [h]() { return h->Close(true); }, {},
      [env, hook] {
        if (hook) ForgetTeardown(env, hook);
      });
}

Napi::Value NativeDb::Closed(const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), close_started_ || db_->closing());
}

}  // namespace bdbnode
