// A writer to kill: commits batch after batch (each writing rows a<i> and b<i> together),
// printing i on stdout once commit(i) has returned, while merges run every few entries.
//   bdb_crash_node URI PREFIX FIRST_INDEX
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "core/engine/database.h"

using namespace bucketdb;

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  Options o;
  o.set("dbPrefix", argv[2]);
  o.set("logLevel", "silent");
  o.set("createIfMissing", "1");
  o.set("writeForwardInterval", "20");
  o.set("mergeThresholdEntries", "4");
  o.set("gcGraceMs", "0");
  o.set("blockSizeBytes", "600");
  try {
    auto db = Database::open(argv[1], o);
    for (long i = std::atol(argv[3]);; i++) {
      Batch b;
      for (const char *tag : {"a", "b"}) {
        Document d(db->table_schema("t"));
        d.set_json_object({{"id", tag + std::to_string(i)}, {"n", i}});
        b.stage(StagedOp::kUpdate, d);
      }
      db->commit(b);
      std::printf("%ld\n", i);
      std::fflush(stdout);
      if (i % 7 == 0) db->merge();  // and in the background as leader
      if (i % 11 == 0) db->gc(i % 22 == 0);
    }
  } catch (const std::exception &e) {
    std::fprintf(stderr, "crash node: %s\n", e.what());
    return 1;
  }
}
