#include "layer_support.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>

namespace bdblayers {

std::string unique(const std::string &what) {
  static std::atomic<int> n{0};
  static const unsigned salt = std::random_device{}();
  return what + "-" + std::to_string(::getpid()) + "-" + std::to_string(salt % 100000) + "-" +
         std::to_string(n++);
}

std::string hex_key(int seed) {
  std::mt19937_64 rng(static_cast<uint64_t>(seed) * 7919 + 1);
  std::string s;
  const char *digits = "0123456789abcdef";
  for (int i = 0; i < 64; i++) s += digits[rng() % 16];
  return s;
}

std::string write_file(const TempDir &dir, const std::string &name, const std::string &lines) {
  std::string path = dir.path() + "/" + name;
  std::ofstream(path, std::ios::trunc) << lines;
  return path;
}

std::unique_ptr<Storage> open_store(const std::string &uri) {
  auto s = Storage::open(uri);
  s->base_delay_ms = 1;
  s->max_delay_ms = 20;
  return s;
}

nlohmann::json stats(const Storage &s) {
  return nlohmann::json::parse(s.driver_stats_json());
}

uint64_t at(const nlohmann::json &j, std::initializer_list<const char *> path) {
  const nlohmann::json *cur = &j;
  for (const char *p : path) {
    if (!cur->is_object() || !cur->contains(p)) return 0;
    cur = &(*cur)[p];
  }
  return cur->is_number_unsigned() ? cur->get<uint64_t>() : 0;
}

namespace {
const char *kUsers = R"({"name":"users","version":1,
  "fields":{"id":{"typeId":10,"maxLength":36},"age":{"typeId":1}},"primaryKey":"id"})";
}

std::unique_ptr<bucketdb::Database> open_db(const std::string &uri, uint64_t staleness_ms,
                                            const std::string &prefix) {
  bucketdb::Options o;
  o.auto_merge = false;
  o.log_level = "silent";
  o.create_if_missing = true;
  o.read_staleness_ms = staleness_ms;
  o.db_prefix = prefix;
  return bucketdb::Database::open(uri, o);
}

void create_users(bucketdb::Database &db) {
  db.register_schema(kUsers);
}

void put_user(bucketdb::Database &db, const std::string &id, int age) {
  bucketdb::Document d(db.table_schema("users"));
  d.set_json_object(nlohmann::json{{"id", id}, {"age", age}});
  bucketdb::Batch b;
  b.stage(bucketdb::StagedOp::kUpdate, d);
  db.commit(b);
}

std::optional<std::string> get_user(bucketdb::Database &db, const std::string &id) {
  bucketdb::Document k(db.table_schema("users"));
  k.set(0, bucketdb::Value{id});
  auto d = db.get(k);
  if (!d) return std::nullopt;
  return d->to_json();
}

size_t count_users(bucketdb::Database &db) {
  bucketdb::QuerySpec q;
  q.schema = db.table_schema("users");
  return static_cast<size_t>(db.count(q));
}

}  // namespace bdblayers
