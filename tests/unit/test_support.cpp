#include "tests/unit/test_support.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "core/format/block0.h"
#include "core/format/data_block.h"
#include "core/format/index_node.h"
#include "core/format/log_checkpoint.h"
#include "core/format/log_entry.h"
#include "core/format/manifest_page.h"

namespace bucketdb::test {

size_t check_every_object(Database &db, const std::string &prefix, const std::string &table) {
  auto s = db.snapshot();
  size_t n = 0;
  for (const std::string &key : db.storage().list_all(prefix + "/")) {
    auto obj = db.storage().get(key);
    if (!obj) continue;  // collected meanwhile
    std::string sub = key.substr(prefix.size() + 1);
    if (sub == "block0")
      decode_block0(obj->data, key);
    else if (sub.rfind("committed/", 0) == 0)
      decode_log_entry(obj->data, key);
    else if (sub.rfind("manifest/", 0) == 0)
      decode_manifest_page(obj->data, key);
    else if (sub.rfind("data/", 0) == 0)
      DataBlock::parse(obj->data, key,
                       s->schemas->version(table, DataBlock::peek_version(obj->data, key)));
    else if (sub == "contended")  // the hint a losing writer leaves: "WRITER_ID WALL_MS"
      EXPECT_EQ(std::string(obj->data.begin(), obj->data.end()).find_first_not_of("0123456789 "),
                std::string::npos);
    else if (sub.rfind("indexes/", 0) == 0)
      decode_index_node(obj->data, key);
    else if (sub.rfind("checkpoint/", 0) == 0)
      for (const Bytes &e : decode_log_checkpoint(obj->data, key).entries) decode_log_entry(e, key);
    else
      ADD_FAILURE() << "unexpected object " << key;
    n++;
  }
  return n;
}

std::string fresh_memory_uri() {
  static std::atomic<int> n{0};
  return "memory:unit-" + std::to_string(getpid()) + "-" + std::to_string(n++);
}

Store fresh_store(const std::string &kind, const TempDir &dir) {
  static std::atomic<int> n{0};
  Store s;
  if (kind == "memory") {
    s.uri = fresh_memory_uri();
  } else if (kind == "file") {
    s.uri = "file:" + dir.path() + "/db" + std::to_string(n++);
  } else if (kind == "crypt:compress:file") {
    // Two layers over a file store (plugins/crypt, plugins/compress), a key file of its own.
    const std::string keys = dir.path() + "/crypt.keys";
    std::ofstream(keys) << "unit:" << std::string(64, 'c') << "\n";
    s.uri = "crypt:compress:file:" + dir.path() + "/db" + std::to_string(n++) +
            "?crypt.key_file=" + keys;
  } else if (const char *uri = std::getenv("BDB_TEST_S3_URI")) {
    s.uri = uri;
    s.prefix = "unit-" + std::to_string(getpid()) + "-" + std::to_string(n++) + "-" +
               std::to_string(std::time(nullptr));
  }
  return s;
}

Options quiet_options() {
  Options o;
  o.auto_merge = false;
  o.log_level = "silent";
  o.create_if_missing = true;
  return o;
}

std::unique_ptr<Database> open_db(const std::string &uri, const Options &o) {
  return Database::open(uri, o);
}

const char *kUsersSchema = R"({
  "name": "users", "version": 1,
  "fields": {
    "id": {"typeId": 10, "maxLength": 36},
    "name": {"typeId": 10, "maxLength": 50},
    "age": {"typeId": 1},
    "active": {"typeId": 6},
    "score": {"typeId": 7},
    "created": {"typeId": 8},
    "avatar": {"typeId": 11},
    "tags": {"typeId": 9}
  },
  "primaryKey": "id",
  "indexes": ["name"]
})";

}  // namespace bucketdb::test
