#include "bench/sqlite_peer.h"

#include "bench/dataset.h"
#include "bench/harness.h"

namespace bench {

SqlitePeer::SqlitePeer(const std::string &path, const char *synchronous) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) die("sqlite open " + path);
  exec("PRAGMA journal_mode=WAL");
  exec((std::string("PRAGMA synchronous=") + synchronous).c_str());
  exec(
      "CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, name TEXT, age INTEGER, "
      "active INTEGER, score REAL, created INTEGER) WITHOUT ROWID");
  exec("CREATE INDEX IF NOT EXISTS users_name ON users(name)");
  insert_ = prepare("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)");
  get_ = prepare("SELECT name, age, active, score, created FROM users WHERE id = ?");
  by_name_ = prepare("SELECT * FROM users WHERE name = ?");
  range_ = prepare("SELECT * FROM users WHERE id >= ? AND id < ? AND active = 1");
  count_ = prepare("SELECT count(*) FROM users WHERE age >= ?");
  first_page_ = prepare("SELECT id, name FROM users ORDER BY name, id LIMIT ?");
  next_page_ =
      prepare("SELECT id, name FROM users WHERE (name, id) > (?, ?) ORDER BY name, id LIMIT ?");
  first_desc_page_ = prepare("SELECT id, name FROM users ORDER BY id DESC LIMIT ?");
  next_desc_page_ = prepare("SELECT id, name FROM users WHERE id < ? ORDER BY id DESC LIMIT ?");
}

SqlitePeer::~SqlitePeer() {
  for (sqlite3_stmt *s : {insert_, get_, by_name_, range_, count_, first_page_, next_page_,
                          first_desc_page_, next_desc_page_})
    sqlite3_finalize(s);
  sqlite3_close(db_);
}

void SqlitePeer::exec(const char *sql) {
  char *err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = std::string(sql) + ": " + (err ? err : "?");
    sqlite3_free(err);
    die("sqlite: " + msg);
  }
}

sqlite3_stmt *SqlitePeer::prepare(const char *sql) {
  sqlite3_stmt *s = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK)
    die(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
  return s;
}

std::string SqlitePeer::journal_mode() {
  sqlite3_stmt *s = prepare("PRAGMA journal_mode");
  std::string mode = sqlite3_step(s) == SQLITE_ROW
                         ? reinterpret_cast<const char *>(sqlite3_column_text(s, 0))
                         : "?";
  sqlite3_finalize(s);
  return mode;
}

void SqlitePeer::insert(const User *users, size_t count) {
  exec("BEGIN");
  for (size_t i = 0; i < count; i++) {
    const User &u = users[i];
    sqlite3_bind_text(insert_, 1, u.id.data(), static_cast<int>(u.id.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert_, 2, u.name.data(), static_cast<int>(u.name.size()), SQLITE_STATIC);
    sqlite3_bind_int(insert_, 3, u.age);
    sqlite3_bind_int(insert_, 4, u.active);
    sqlite3_bind_double(insert_, 5, u.score);
    sqlite3_bind_int64(insert_, 6, u.created);
    if (sqlite3_step(insert_) != SQLITE_DONE)
      die(std::string("sqlite insert: ") + sqlite3_errmsg(db_));
    sqlite3_reset(insert_);
  }
  exec("COMMIT");
}

bool SqlitePeer::get(const std::string &id, std::string *name) {
  sqlite3_bind_text(get_, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
  bool found = sqlite3_step(get_) == SQLITE_ROW;
  if (found)
    name->assign(reinterpret_cast<const char *>(sqlite3_column_text(get_, 0)),
                 static_cast<size_t>(sqlite3_column_bytes(get_, 0)));
  sqlite3_reset(get_);
  return found;
}

namespace {

// Steps through every row, reading the name as the BucketDB side does.
uint64_t drain(sqlite3_stmt *s) {
  uint64_t n = 0;
  while (sqlite3_step(s) == SQLITE_ROW) n += sqlite3_column_bytes(s, 1) > 0;
  sqlite3_reset(s);
  return n;
}

}  // namespace

uint64_t SqlitePeer::by_name(const std::string &name) {
  sqlite3_bind_text(by_name_, 1, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
  return drain(by_name_);
}

uint64_t SqlitePeer::range_active(const std::string &lo, const std::string &hi) {
  sqlite3_bind_text(range_, 1, lo.data(), static_cast<int>(lo.size()), SQLITE_STATIC);
  sqlite3_bind_text(range_, 2, hi.data(), static_cast<int>(hi.size()), SQLITE_STATIC);
  return drain(range_);
}

uint64_t SqlitePeer::count_older(int age) {
  sqlite3_bind_int(count_, 1, age);
  uint64_t n = sqlite3_step(count_) == SQLITE_ROW
                   ? static_cast<uint64_t>(sqlite3_column_int64(count_, 0))
                   : 0;
  sqlite3_reset(count_);
  return n;
}

uint64_t SqlitePeer::walk_pages_by_name(uint64_t page, size_t pages) {
  return walk(first_page_, next_page_, true, page, pages);
}

uint64_t SqlitePeer::walk_pages_by_id_desc(uint64_t page, size_t pages) {
  return walk(first_desc_page_, next_desc_page_, false, page, pages);
}

uint64_t SqlitePeer::walk(sqlite3_stmt *first, sqlite3_stmt *next, bool by_name, uint64_t page,
                          size_t pages) {
  uint64_t n = 0;
  std::string last_name, last_id;
  for (size_t i = 0; i < pages; i++) {
    sqlite3_stmt *s = i == 0 ? first : next;
    int at = 1;
    if (i > 0) {
      if (by_name)
        sqlite3_bind_text(s, at++, last_name.data(), static_cast<int>(last_name.size()),
                          SQLITE_TRANSIENT);
      sqlite3_bind_text(s, at++, last_id.data(), static_cast<int>(last_id.size()),
                        SQLITE_TRANSIENT);
    }
    sqlite3_bind_int64(s, at, static_cast<sqlite3_int64>(page));
    while (sqlite3_step(s) == SQLITE_ROW) {
      last_id.assign(reinterpret_cast<const char *>(sqlite3_column_text(s, 0)),
                     static_cast<size_t>(sqlite3_column_bytes(s, 0)));
      last_name.assign(reinterpret_cast<const char *>(sqlite3_column_text(s, 1)),
                       static_cast<size_t>(sqlite3_column_bytes(s, 1)));
      n += !last_name.empty();
    }
    sqlite3_reset(s);
  }
  return n;
}

}  // namespace bench
