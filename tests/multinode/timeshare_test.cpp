// Stores without conditional writes (SPEC section 4): nodes take turns, and a write that ends
// after its writer's window is read back in the writer's next window, not at once (the next
// node may have read the log without it and written the same key after the read-back).
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/engine/database.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

const char *kSchema = R"({"name":"t","version":1,"fields":{"id":{"typeId":10}},"primaryKey":"id"})";
constexpr uint64_t kInterval = 1000, kRing = 2;

uint64_t wall_ms() {
  using namespace std::chrono;
  return static_cast<uint64_t>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

// Node `id` of a ring of 2; each of its puts starts `put_delay_ms` late (and so lands late).
std::unique_ptr<Database> node(const std::string &dir, uint32_t id, int put_delay_ms) {
  Options o = test::quiet_options();
  o.node_id = id;
  o.ring_size = kRing;
  o.write_forward_interval_ms = kInterval;
  o.read_staleness_ms = 0;
  std::string uri = "faulty:file:" + dir + "/db?faulty.conditional=0";
  if (put_delay_ms)
    uri += "&faulty.ops=put&faulty.every=1&faulty.action=delay&faulty.delay_ms=" +
           std::to_string(put_delay_ms);
  return test::open_db(uri, o);
}

std::string insert(Database &db, const std::string &id) {
  try {
    Batch b;
    Document d(db.table_schema("t"));
    d.set_json_object(nlohmann::json{{"id", id}});
    b.stage(StagedOp::kInsert, d);
    db.commit(b);
    return "";
  } catch (const std::exception &e) {
    return id + ": " + e.what();
  }
}

TEST(Timeshare, AWriteThatEndsAfterItsWindowIsReadBackInTheWritersNextWindow) {
  test::TempDir dir;
  node(dir.path(), 0, 0)->register_schema(kSchema);
  // Node 0's puts land 1030 ms after they start, in node 1's window (1000-2000 ms into the
  // ring); node 1 reads the log at the start of its window (without node 0's entry) and its
  // put, 500 ms slow, lands after node 0's. Read back at once, node 0 would find its own entry
  // and count a commit that node 1's then replaces. (Slack: node 0 may start its put up to
  // 470 ms late, node 1 up to 250 ms.)
  auto a = node(dir.path(), 0, 1030);
  auto b = node(dir.path(), 1, 500);
  // Start just after the beginning of node 0's window.
  const uint64_t ring = kInterval * kRing;
  std::this_thread::sleep_for(std::chrono::milliseconds(ring - wall_ms() % ring + 5));
  std::string erra, errb;
  std::thread ta([&] { erra = insert(*a, "a"); });
  std::thread tb([&] { errb = insert(*b, "b"); });
  ta.join();
  tb.join();
  EXPECT_EQ(erra, "");
  EXPECT_EQ(errb, "");
  auto engine = [](Database &db) { return nlohmann::json::parse(db.stats_json())["engine"]; };
  EXPECT_GE(engine(*a)["timeshareLateWrites"].get<int>(), 1);
  EXPECT_EQ(engine(*b)["timeshareLateWrites"].get<int>(), 0);

  auto fresh = node(dir.path(), 0, 0);
  QuerySpec q;
  q.schema = fresh->table_schema("t");
  std::set<std::string> got;
  auto c = fresh->query(q);
  while (auto d = c->next()) got.insert(nlohmann::json::parse(d->to_json())["id"]);
  EXPECT_EQ(got, (std::set<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace bucketdb
