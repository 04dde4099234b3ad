#include "bench/bdb_util.h"

#include <nlohmann/json.hpp>

#include "bench/dataset.h"
#include "bench/harness.h"

namespace bench {

void ok(bdb_status st, const char *what) {
  if (st != BDB_OK) die(std::string(what) + ": " + bdb_status_str(st) + ": " + bdb_errmsg());
}

Requests Requests::operator-(const Requests &o) const {
  Requests r;
  r.gets = gets - o.gets;
  r.puts = puts - o.puts;
  r.lists = lists - o.lists;
  r.deletes = deletes - o.deletes;
  r.bytes_in = bytes_in - o.bytes_in;
  r.bytes_out = bytes_out - o.bytes_out;
  r.put_conflicts = put_conflicts - o.put_conflicts;
  return r;
}

Requests &Requests::operator+=(const Requests &o) {
  gets += o.gets;
  puts += o.puts;
  lists += o.lists;
  deletes += o.deletes;
  bytes_in += o.bytes_in;
  bytes_out += o.bytes_out;
  put_conflicts += o.put_conflicts;
  return *this;
}

Requests requests(bdb_db *db) {
  char *text = nullptr;
  ok(bdb_db_stats_json(db, &text), "stats");
  auto j = nlohmann::json::parse(text)["storage"];
  bdb_free(text);
  Requests r;
  r.gets = j["gets"];
  r.puts = j["puts"];
  r.lists = j["lists"];
  r.deletes = j["deletes"];
  r.bytes_in = j["bytesIn"];
  r.bytes_out = j["bytesOut"];
  r.put_conflicts = j["putConflicts"];
  return r;
}

std::string driver_stats(bdb_db *db) {
  char *text = nullptr;
  ok(bdb_db_stats_json(db, &text), "stats");
  std::string out = nlohmann::json::parse(text)["storage"]["driverStats"].dump();
  bdb_free(text);
  return out;
}

std::string request_mix(const Requests &r) {
  std::string s;
  auto part = [&](uint64_t n, const char *what) {
    if (!n) return;
    if (!s.empty()) s += " + ";
    s += std::to_string(n) + " " + what;
  };
  part(r.gets, "GET");
  part(r.puts, "PUT");
  part(r.lists, "LIST");
  part(r.deletes, "DELETE");
  return s.empty() ? "none" : s;
}

bdb_db *open_db(const std::string &uri,
                std::initializer_list<std::pair<const char *, std::string>> options) {
  bdb_options *opts = nullptr;
  ok(bdb_options_new(&opts), "options");
  ok(bdb_options_set(opts, "logLevel", "error"), "option logLevel");
  ok(bdb_options_set(opts, "createIfMissing", "1"), "option createIfMissing");
  for (const auto &[name, value] : options) ok(bdb_options_set(opts, name, value.c_str()), name);
  bdb_db *db = nullptr;
  bdb_status st = bdb_open(uri.c_str(), opts, &db);
  bdb_options_free(opts);
  ok(st, ("open " + uri).c_str());
  ok(bench::UsersRow::register_schema(db), "register users");
  return db;
}

bdb_doc *user_doc(bdb_db *db, const User &u) {
  bench::UsersRow row;
  row.set_id(u.id)
      .set_name(u.name)
      .set_age(u.age)
      .set_active(u.active)
      .set_score(u.score)
      .set_created(u.created);
  bdb_doc *doc = nullptr;
  bdbc_error err{};
  if (row.to_doc(db, &doc, &err) != BDB_OK) die(std::string("user document: ") + err.message);
  return doc;
}

void insert_users(bdb_db *db, const User *users, size_t count) {
  bdb_batch *batch = nullptr;
  ok(bdb_batch_new(db, &batch), "batch");
  for (size_t i = 0; i < count; i++) {
    bdb_doc *doc = user_doc(db, users[i]);
    ok(bdb_batch_insert(batch, doc), "insert");
    bdb_doc_free(doc);
  }
  ok(bdb_batch_commit(batch, nullptr), "commit");
  bdb_batch_free(batch);
}

namespace {

// Reads the name of a found document and frees it; whether it was found.
bool read_name(bdb_status st, bdb_doc *doc, std::string *name) {
  if (st == BDB_E_NOT_FOUND) return false;
  ok(st, "get");
  const char *text = nullptr;
  size_t len = 0;
  ok(bdb_doc_get_string(doc, "name", &text, &len), "name");
  name->assign(text, len);
  bdb_doc_free(doc);
  return true;
}

}  // namespace

bool get_user(bdb_db *db, const std::string &id, std::string *name) {
  bdb_doc *key = nullptr, *doc = nullptr;
  ok(bdb_key_doc_from_text(db, "users", id.c_str(), &key), "key");
  bdb_status st = bdb_get(db, key, &doc);
  bdb_doc_free(key);
  return read_name(st, doc, name);
}

UserGets::UserGets(bdb_db *db) : db_(db) {
  ok(bdb_doc_new(db, "users", &key_), "key document");
}

bool UserGets::get(const std::string &id, std::string *name) {
  ok(bdb_doc_set_string(key_, "id", id.data(), id.size()), "key");
  bdb_doc *doc = nullptr;
  bdb_status st = bdb_get(db_, key_, &doc);
  return read_name(st, doc, name);
}

namespace {

bdb_query *make_query(bdb_db *db, std::initializer_list<Cond> where) {
  bdb_query *q = nullptr;
  ok(bdb_query_new(db, "users", &q), "query");
  for (const Cond &c : where)
    ok(bdb_query_where(q, c.field, c.op, c.json.empty() ? nullptr : c.json.c_str()), "where");
  return q;
}

// Reads every row of the cursor and its name, as an application would; the rows with one.
uint64_t drain(bdb_cursor *c) {
  uint64_t n = 0;
  for (;;) {
    bdb_doc *doc = nullptr;
    ok(bdb_cursor_next(c, &doc), "next");
    if (!doc) break;
    const char *text = nullptr;
    size_t len = 0;
    ok(bdb_doc_get_string(doc, "name", &text, &len), "name");
    n += len > 0;
    bdb_doc_free(doc);
  }
  return n;
}

}  // namespace

uint64_t run_query(bdb_db *db, std::initializer_list<Cond> where) {
  bdb_query *q = make_query(db, where);
  bdb_cursor *c = nullptr;
  ok(bdb_query_exec(q, &c), "exec");
  uint64_t n = drain(c);
  bdb_cursor_free(c);
  bdb_query_free(q);
  return n;
}

uint64_t walk_pages(bdb_db *db, const char *order, bool desc, uint64_t page, size_t pages) {
  uint64_t n = 0;
  char *token = nullptr;
  for (size_t i = 0; i < pages; i++) {
    bdb_query *q = make_query(db, {});
    ok(bdb_query_order(q, order, desc), "order");
    ok(bdb_query_limit(q, page), "limit");
    ok(bdb_query_after(q, token), "after");
    bdb_cursor *c = nullptr;
    ok(bdb_query_exec(q, &c), "exec");
    n += drain(c);
    bdb_free(token);
    ok(bdb_cursor_page_token(c, &token), "page token");
    bdb_cursor_free(c);
    bdb_query_free(q);
  }
  bdb_free(token);
  return n;
}

uint64_t run_count(bdb_db *db, std::initializer_list<Cond> where) {
  bdb_query *q = make_query(db, where);
  uint64_t n = 0;
  ok(bdb_query_count(q, &n), "count");
  bdb_query_free(q);
  return n;
}

}  // namespace bench
