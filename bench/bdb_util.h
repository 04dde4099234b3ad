// Small helpers over the public C ABI (bucketdb.h): the benchmark is a user of the library
// like any other, so it sees only what users see.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "bucketdb/bucketdb.h"
#include "users_bdb.hpp"

namespace bench {

struct User;

// Dies with the library's message when st is not BDB_OK.
void ok(bdb_status st, const char *what);

// The storage counters of one handle (bdb_db_stats_json's "storage").
struct Requests {
  uint64_t gets = 0, puts = 0, lists = 0, deletes = 0, bytes_in = 0, bytes_out = 0;
  uint64_t put_conflicts = 0;  // of the puts: lost conditional writes (412)
  uint64_t total() const { return gets + puts + lists + deletes; }
  Requests operator-(const Requests &o) const;
  Requests &operator+=(const Requests &o);
};
Requests requests(bdb_db *db);
// The driver's own counters (bdb_db_stats_json's storage.driverStats), as JSON text.
std::string driver_stats(bdb_db *db);
// "3 GET + 1 PUT" (or "none").
std::string request_mix(const Requests &r);

bdb_db *open_db(const std::string &uri,
                std::initializer_list<std::pair<const char *, std::string>> options = {});
// A user as a document of the generated codec's table.
bdb_doc *user_doc(bdb_db *db, const User &u);
// Commits users[from, to) as inserts in one batch.
void insert_users(bdb_db *db, const User *users, size_t count);
// Point get by primary key; returns whether found, reading the name.
bool get_user(bdb_db *db, const std::string &id, std::string *name);
// The same as an application's hot loop would write it: one key document whose key is set
// for each get, as a prepared statement's parameter is bound for each step.
class UserGets {
 public:
  explicit UserGets(bdb_db *db);
  ~UserGets() { bdb_doc_free(key_); }
  UserGets(const UserGets &) = delete;
  UserGets &operator=(const UserGets &) = delete;
  bool get(const std::string &id, std::string *name);

 private:
  bdb_db *db_;
  bdb_doc *key_ = nullptr;
};
struct Cond {
  const char *field, *op;
  std::string json;  // the value as a JSON literal
};
// Runs a query on users with conditions joined by AND, reads every row (and its name) and
// returns how many it saw.
uint64_t run_query(bdb_db *db, std::initializer_list<Cond> where);
// Walks `pages` pages of `page` rows ordered by `order` with keyset tokens (each page a query
// of its own, as a web app's requests would be); returns the rows read.
uint64_t walk_pages(bdb_db *db, const char *order, bool desc, uint64_t page, size_t pages);
// The same as a count.
uint64_t run_count(bdb_db *db, std::initializer_list<Cond> where);

}  // namespace bench
