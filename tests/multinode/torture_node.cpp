// One node of the torture test: commits `batches` batches at random moments against a shared
// database, each inserting one row of its own, and some updating shared keys or doing a
// compare-and-set increment of a shared counter. Writes what succeeded to a JSON file.
//   bdb_torture_node URI NODE RING BATCHES SEED OUT_JSON [CLOCK_OFFSET_MS GC_GRACE_MS
//   WRITE_FORWARD_INTERVAL_MS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/engine/database.h"
#include "core/util/error.h"

using namespace bucketdb;

namespace {

Document doc(Database &db, const nlohmann::json &j) {
  Document d(db.table_schema("t"));
  d.set_json_object(j);
  return d;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 7) {
    std::fprintf(stderr,
                 "usage: %s URI NODE RING BATCHES SEED OUT [OFFSET_MS GRACE_MS INTERVAL_MS]\n",
                 argv[0]);
    return 2;
  }
  int node = std::atoi(argv[2]);
  try {
    std::string uri = argv[1];
    int batches = std::atoi(argv[4]);
    std::mt19937 rng(static_cast<unsigned>(std::atoi(argv[5])) * 7919u +
                     static_cast<unsigned>(node));
    nlohmann::json out;
    uint64_t commits = 0, conflicts = 0, increments[3] = {0, 0, 0};
    Options o;
    o.set("nodeId", argv[2]);
    o.set("ringSize", argv[3]);
    o.set("writeForwardInterval", argc > 9 ? argv[9] : "200");
    o.set("mergeThresholdEntries", "20");
    o.set("readStalenessMs", "0");
    o.set("logLevel", "silent");
    o.set("createIfMissing", "1");
    if (argc > 7) o.set("clockOffsetMs", argv[7]);
    o.set("gcGraceMs", argc > 8 ? argv[8] : "2000");
    if (const char *prefix = std::getenv("BDB_TORTURE_PREFIX")) o.set("dbPrefix", prefix);

    auto db = Database::open(uri, o);
    for (int i = 0; i < batches; i++) {
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 8000));
      int kind = static_cast<int>(rng() % 10);
      std::string mine = "u" + std::to_string(node) + "-" + std::to_string(i);
      if (kind < 3) {
        // Compare-and-set increment of a shared counter: read, then write if unchanged.
        int c = static_cast<int>(rng() % 3);
        std::string cid = "c" + std::to_string(c);
        for (int attempt = 0;; attempt++) {
          Document key = doc(*db, {{"id", cid}});
          auto cur = db->get(key);
          uint64_t value = cur ? std::get<uint64_t>(cur->get(1)) : 0;
          Batch b;
          b.stage(StagedOp::kUpdate, doc(*db, {{"id", cid}, {"n", value + 1}}));
          b.ops.back().has_expected = true;
          b.ops.back().expected_version = cur ? cur->version : 0;
          b.stage(StagedOp::kInsert, doc(*db, {{"id", mine}, {"n", i}, {"by", node}}));
          try {
            db->commit(b);
            increments[c]++;
            commits++;
            break;
          } catch (const Error &e) {
            if (e.status() != BDB_E_CONFLICT || attempt > 200) throw;
            conflicts++;
          }
        }
        continue;
      }
      Batch b;
      b.stage(StagedOp::kInsert, doc(*db, {{"id", mine}, {"n", i}, {"by", node}}));
      if (kind < 7)  // last writer wins on shared keys
        b.stage(StagedOp::kUpdate,
                doc(*db, {{"id", "s" + std::to_string(rng() % 5)}, {"n", i}, {"by", node}}));
      db->commit(b);
      commits++;
    }
    out["stats"] = nlohmann::json::parse(db->stats_json());
    out["node"] = node;
    out["commits"] = commits;
    out["conflicts"] = conflicts;
    out["increments"] = {increments[0], increments[1], increments[2]};
    std::ofstream(argv[6]) << out.dump() << "\n";
  } catch (const std::exception &e) {
    std::fprintf(stderr, "node %d: %s\n", node, e.what());
    return 1;
  }
  return 0;
}
