// The peer: the same table and operations on SQLite (prepared statements, one transaction per
// batch), as a local-first app would use it.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace bench {

struct User;

class SqlitePeer {
 public:
  // path ":memory:" or a file; synchronous: "OFF", "NORMAL", "FULL".
  SqlitePeer(const std::string &path, const char *synchronous);
  ~SqlitePeer();
  SqlitePeer(const SqlitePeer &) = delete;
  SqlitePeer &operator=(const SqlitePeer &) = delete;

  void insert(const User *users, size_t count);  // one transaction
  bool get(const std::string &id, std::string *name);
  uint64_t by_name(const std::string &name);                            // rows read
  uint64_t range_active(const std::string &lo, const std::string &hi);  // id range, active
  uint64_t count_older(int age);
  // Keyset pagination by (name, id): `pages` pages of `page` rows; returns the rows read.
  uint64_t walk_pages_by_name(uint64_t page, size_t pages);
  // The same by id, from the greatest down.
  uint64_t walk_pages_by_id_desc(uint64_t page, size_t pages);
  std::string journal_mode();

 private:
  void exec(const char *sql);
  // Keyset pages of (id, name) rows: `first`, then `next` bound to where the last page ended
  // (its name when by_name, then its id) and the page size; the rows with a name.
  uint64_t walk(sqlite3_stmt *first, sqlite3_stmt *next, bool by_name, uint64_t page, size_t pages);
  sqlite3_stmt *prepare(const char *sql);
  sqlite3 *db_ = nullptr;
  sqlite3_stmt *insert_ = nullptr, *get_ = nullptr, *by_name_ = nullptr, *range_ = nullptr,
               *count_ = nullptr, *first_page_ = nullptr, *next_page_ = nullptr,
               *first_desc_page_ = nullptr, *next_desc_page_ = nullptr;
};

}  // namespace bench
