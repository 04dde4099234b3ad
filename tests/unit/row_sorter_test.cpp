// The external sort of query rows (core/engine/row_sorter.h) against std::stable_sort, in
// memory and spilling to many runs, and sorts through queries on a database whose
// maxMemoryBytes is tiny, against an order computed here.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <random>

#include "core/codec/key_codec.h"
#include "core/engine/row_sorter.h"
#include "core/util/error.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

// id int64, i int32, s varchar, f float64, u uint16, g float32, b bool.
const char *kRows = R"({"name":"r","version":1,"fields":{"id":{"typeId":5},
  "i":{"typeId":4},"s":{"typeId":10},"f":{"typeId":7},"u":{"typeId":12},
  "g":{"typeId":15},"b":{"typeId":6}},"primaryKey":"id"})";

struct Row {
  Values v;
  uint64_t seq, misc;
};

SchemaPtr rows_schema() {
  return TableSchema::from_json(kRows);
}

// Rows in arrival (primary-key) order: values with nulls and many duplicates.
std::vector<Row> random_rows(size_t n, unsigned seed, size_t long_every = 0) {
  std::mt19937 rng(seed);
  const char *words[] = {"", "a", "ab", "abc", "b", "B", "\xc3\xa9", "z\x01", "zz", "a b"};
  const double floats[] = {0.0, -0.0, 1.5, -2.25, 1e300, -1e300, 5e-324, 3.0, -7.0};
  std::vector<Row> rows;
  for (size_t k = 0; k < n; k++) {
    auto null = [&] { return rng() % 7 == 0; };
    Row r;
    r.v.resize(7);
    r.v[0] = static_cast<int64_t>(k);
    if (!null()) r.v[1] = static_cast<int64_t>(rng() % 40) - 20;
    if (!null()) {
      std::string s = words[rng() % 10];
      if (long_every && k % long_every == 0) s += std::string(2000 + rng() % 9000, 'x');
      r.v[2] = s;
    }
    if (!null()) r.v[3] = floats[rng() % 9];
    if (!null()) r.v[4] = static_cast<uint64_t>(rng() % 70000 % 65536);
    if (!null()) r.v[5] = static_cast<double>(static_cast<float>(floats[rng() % 9] / 3));
    if (!null()) r.v[6] = static_cast<bool>(rng() % 2);
    r.seq = 1000 + k;
    r.misc = rng();
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<Row> reference(std::vector<Row> rows, const TableSchema &s, size_t field, bool desc) {
  const TypeInfo &t = *s.field(field).type;
  std::stable_sort(rows.begin(), rows.end(), [&](const Row &a, const Row &b) {
    int c = compare_values(t, a.v[field], b.v[field]);
    return desc ? c > 0 : c < 0;
  });
  return rows;
}

std::vector<Row> drain(RowSorter &sorter) {
  std::vector<Row> out;
  Row r;
  while (sorter.next(r.v, r.seq, r.misc)) out.push_back(r);
  return out;
}

// Same rows in the same order: every value (by its key encoding), seq and misc.
void expect_same(const std::vector<Row> &got, const std::vector<Row> &want, const TableSchema &s,
                 const std::string &what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); i++) {
    ASSERT_EQ(got[i].seq, want[i].seq) << what << ": row " << i;
    ASSERT_EQ(got[i].misc, want[i].misc) << what << ": row " << i;
    for (size_t f = 0; f < s.fields().size(); f++) {
      std::string a, b;
      append_nullable_key(a, *s.field(f).type, got[i].v[f]);
      append_nullable_key(b, *s.field(f).type, want[i].v[f]);
      ASSERT_EQ(a, b) << what << ": row " << i << " field " << s.field(f).name;
    }
  }
}

void sort_and_check(const std::vector<Row> &rows, uint64_t budget, size_t io,
                    uint64_t *runs = nullptr, uint64_t *passes = nullptr) {
  SchemaPtr s = rows_schema();
  for (size_t field = 0; field < s->fields().size(); field++)
    for (bool desc : {false, true}) {
      RowSorter sorter(s, field, desc, budget, io);
      for (const Row &r : rows) {
        sorter.add(r.v, r.seq, r.misc);
        // Within the budget, or one long row alone (its string twice: sort key and row).
        ASSERT_LE(sorter.memory_bytes(), std::max<uint64_t>(sorter.row_capacity(), 24000));
      }
      sorter.finish();
      std::string what =
          s->field(field).name + (desc ? " desc" : " asc") + ", budget " + std::to_string(budget);
      expect_same(drain(sorter), reference(rows, *s, field, desc), *s, what);
      EXPECT_EQ(sorter.rows(), rows.size());
      if (runs) *runs = sorter.runs_spilled();
      if (passes) *passes = sorter.merge_passes();
    }
}

TEST(RowSorter, InMemoryEveryTypeAscAndDescNullsAndTies) {
  uint64_t runs = 99;
  sort_and_check(random_rows(3000, 1), 64 << 20, 0, &runs);
  EXPECT_EQ(runs, 0u) << "fits the budget: no temporary file";
}

TEST(RowSorter, ManyRunsMergedInPasses) {
  // 512-byte buffers: records (some 11 KB long) straddle buffer ends and bypass them.
  auto rows = random_rows(6000, 2, 97);
  uint64_t runs = 0, passes = 0;
  sort_and_check(rows, 8 << 10, 512, &runs, &passes);
  EXPECT_GT(runs, 100u);
  EXPECT_GE(passes, 1u) << "more runs than the fan-in: merged in passes first";
}

TEST(RowSorter, SpillsWithDefaultBuffers) {
  uint64_t runs = 0, passes = 0;
  sort_and_check(random_rows(20000, 3), 64 << 10, 0, &runs, &passes);
  EXPECT_GT(runs, 15u);
  EXPECT_EQ(passes, 1u) << "64 KiB: 4 KiB buffers, a fan-in of 15: one pass, then the merge";
}

TEST(RowSorter, EmptyInput) {
  SchemaPtr s = rows_schema();
  for (bool spill_first : {false, true}) {
    RowSorter sorter(s, 1, false, 1024, 256);
    if (spill_first) {  // not empty, but nothing left after the rows skipped
      for (const Row &r : random_rows(50, 4)) sorter.add(r.v, r.seq, r.misc);
    }
    sorter.finish();
    if (spill_first) {
      EXPECT_GT(sorter.runs_spilled(), 0u);
      for (int i = 0; i < 50; i++) EXPECT_TRUE(sorter.skip());
    }
    Row r;
    EXPECT_FALSE(sorter.next(r.v, r.seq, r.misc));
    EXPECT_FALSE(sorter.skip());
    EXPECT_FALSE(sorter.next(r.v, r.seq, r.misc));
  }
  RowSorter sorter(s, 0, true, 0);  // no rows, no budget
  sorter.finish();
  Row r;
  EXPECT_FALSE(sorter.next(r.v, r.seq, r.misc));
  EXPECT_EQ(sorter.runs_spilled(), 0u);
}

TEST(RowSorter, ExactlyAtTheBudget) {
  SchemaPtr s = rows_schema();
  auto row = [](int64_t id, int64_t i) {
    Row r;
    r.v.resize(7);
    r.v[0] = id;
    r.v[1] = i;
    r.v[2] = std::string(3000, 'a');  // more than half an arena block: a block of its own
    r.seq = static_cast<uint64_t>(id);
    r.misc = 0;
    return r;
  };
  uint64_t cost;
  {
    RowSorter one(s, 1, false, 64 << 20);
    Row r = row(0, 0);
    one.add(r.v, r.seq, r.misc);
    cost = one.memory_bytes();
  }
  const size_t io = 1024;
  const int n = 10;
  for (uint64_t slack : {uint64_t{0}, uint64_t{1}}) {
    RowSorter sorter(s, 1, true, n * cost + io - slack, io);
    ASSERT_EQ(sorter.row_capacity(), n * cost - slack);
    std::vector<Row> rows;
    for (int k = 0; k < n; k++) {
      rows.push_back(row(k, k % 3));
      sorter.add(rows.back().v, rows.back().seq, rows.back().misc);
    }
    if (slack == 0) {
      EXPECT_EQ(sorter.runs_spilled(), 0u) << "exactly at the budget: still in memory";
      EXPECT_EQ(sorter.memory_bytes(), sorter.row_capacity());
    } else {
      EXPECT_EQ(sorter.runs_spilled(), 1u)
          << "one byte short: the tenth row did not fit, the nine before it spilled";
      EXPECT_EQ(sorter.memory_bytes(), cost);
    }
    rows.push_back(row(n, 1));
    sorter.add(rows.back().v, rows.back().seq, rows.back().misc);
    EXPECT_EQ(sorter.runs_spilled(), 1u) << "one row more spills";
    sorter.finish();
    EXPECT_EQ(sorter.runs_spilled(), 2u) << "the rest spilled too, then merged";
    expect_same(drain(sorter), reference(rows, *s, 1, true), *s, "at the budget");
  }
}

TEST(RowSorter, RowsLargerThanTheBudget) {
  auto rows = random_rows(40, 5, 1);  // every string 2-11 KB
  uint64_t runs = 0;
  sort_and_check(rows, 4096, 0, &runs);
  EXPECT_GT(runs, 20u);
}

// TMPDIR pointed somewhere for the life of one test.
class TmpDirSetting {
 public:
  explicit TmpDirSetting(const std::string &dir) {
    if (const char *old = std::getenv("TMPDIR")) old_ = old;
    setenv("TMPDIR", dir.c_str(), 1);
  }
  ~TmpDirSetting() {
    if (old_)
      setenv("TMPDIR", old_->c_str(), 1);
    else
      unsetenv("TMPDIR");
  }

 private:
  std::optional<std::string> old_;
};

TEST(RowSorter, LeavesNoFileBehind) {
  test::TempDir dir;
  TmpDirSetting tmp(dir.path());
  SchemaPtr s = rows_schema();
  auto rows = random_rows(3000, 6);
  RowSorter sorter(s, 2, false, 8 << 10);
  EXPECT_EQ(sorter.temp_dir(), dir.path());
  for (const Row &r : rows) sorter.add(r.v, r.seq, r.misc);
  sorter.finish();
  EXPECT_GT(sorter.runs_spilled(), 0u);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "unlinked as soon as created";
  expect_same(drain(sorter), reference(rows, *s, 2, false), *s, "in TMPDIR");
}

TEST(RowSorter, AMissingTempDirIsAnIoErrorNamingIt) {
  test::TempDir dir;
  std::string missing = dir.path() + "/no-such-dir";
  TmpDirSetting tmp(missing);
  SchemaPtr s = rows_schema();
  RowSorter sorter(s, 1, false, 4096);
  try {
    for (const Row &r : random_rows(1000, 7)) sorter.add(r.v, r.seq, r.misc);
    sorter.finish();
    FAIL() << "spilled nowhere";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), BDB_E_IO);
    std::string m = e.what();
    EXPECT_NE(m.find(missing), std::string::npos) << m;
    EXPECT_NE(m.find("No such file or directory"), std::string::npos) << m;
  }
}

TEST(RowSorter, AFailedWriteIsAnIoErrorNamingTheReason) {
  // A file size limit makes the spill's writes fail (EFBIG) the way a full disk would.
  test::TempDir dir;
  TmpDirSetting tmp(dir.path());
  SchemaPtr s = rows_schema();
  RowSorter sorter(s, 1, false, 16 << 10);
  rlimit old{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 20000;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string message;
  bdb_status status = BDB_OK;
  try {
    for (const Row &r : random_rows(5000, 8)) sorter.add(r.v, r.seq, r.misc);
    sorter.finish();
  } catch (const Error &e) {
    status = e.status();
    message = e.what();
  }
  setrlimit(RLIMIT_FSIZE, &old);
  signal(SIGXFSZ, old_handler);
  EXPECT_EQ(status, BDB_E_IO);
  EXPECT_NE(message.find("cannot write"), std::string::npos) << message;
  EXPECT_NE(message.find(dir.path()), std::string::npos) << message;
  EXPECT_NE(message.find("File too large"), std::string::npos) << message;
}

// End to end: a database whose maxMemoryBytes is 64 KiB sorts 20,000 rows (about 2 MB
// encoded) by spilling, and returns what std::stable_sort of the rows in key order gives.
const char *kSpill = R"({"name":"sp","version":1,"fields":{"id":{"typeId":5},
  "i":{"typeId":4},"s":{"typeId":10},"f":{"typeId":7}},"primaryKey":"id"})";

uint64_t runs_spilled(Database &db) {
  return nlohmann::json::parse(db.stats_json())["engine"]["sortRunsSpilled"].get<uint64_t>();
}

TEST(SortSpill, QueriesOrderedByAnyFieldSpillWithinMaxMemoryBytes) {
  std::string uri = test::fresh_memory_uri();
  Options o = test::quiet_options();
  o.max_memory_bytes = 64 << 10;
  auto db = test::open_db(uri, o);
  db->register_schema(kSpill);
  SchemaPtr s = db->table_schema("sp");
  std::mt19937 rng(42);
  std::map<int64_t, Values> data;  // primary-key order
  const double floats[] = {0.5, -0.0, 0.0, 2.0, -3.5, 1e10, -1e-10, 7.25};
  for (int batch = 0; batch < 4; batch++) {
    Batch b;
    for (int k = 0; k < 5000; k++) {
      int64_t id = static_cast<int64_t>(rng() % 1000000) - 500000;
      Values v(4);
      v[0] = id;
      if (rng() % 6) v[1] = static_cast<int64_t>(rng() % 500) - 250;
      if (rng() % 6) v[2] = "w" + std::to_string(rng() % 300);
      if (rng() % 6) v[3] = floats[rng() % 8] * static_cast<double>(rng() % 20);
      nlohmann::json j = {{"id", id}};
      if (!is_null(v[1])) j["i"] = std::get<int64_t>(v[1]);
      if (!is_null(v[2])) j["s"] = std::get<std::string>(v[2]);
      if (!is_null(v[3])) j["f"] = std::get<double>(v[3]);
      Document d(s);
      d.set_json_object(j);
      b.stage(StagedOp::kUpdate, d);
      data[id] = v;
    }
    db->commit(b);
    if (batch == 2) db->merge();  // most rows in blocks, the last batch in the committed cache
  }
  ASSERT_GT(data.size(), 19000u);
  auto expected = [&](size_t field, bool desc, uint64_t offset, uint64_t limit) {
    std::vector<std::pair<int64_t, const Values *>> rows;
    rows.reserve(data.size());
    for (const auto &[id, v] : data) rows.emplace_back(id, &v);
    const TypeInfo &t = *s->field(field).type;
    std::stable_sort(rows.begin(), rows.end(), [&](const auto &a, const auto &b) {
      int c = compare_values(t, (*a.second)[field], (*b.second)[field]);
      return desc ? c > 0 : c < 0;
    });
    std::vector<int64_t> ids;
    for (size_t k = offset; k < rows.size() && ids.size() < limit; k++)
      ids.push_back(rows[k].first);
    return ids;
  };
  auto got = [&](Database &d, size_t field, bool desc, uint64_t offset, uint64_t limit) {
    QuerySpec q;
    q.schema = s;
    q.set_order(s->field(field).name, desc);
    q.offset = offset;
    q.limit = limit;
    std::vector<int64_t> ids;
    auto c = d.query(q);
    while (auto doc = c->next()) ids.push_back(std::get<int64_t>(doc->get(0)));
    return ids;
  };
  const uint64_t all = std::numeric_limits<uint64_t>::max();
  struct Page {
    uint64_t offset, limit;
    bool spills;
  };
  // No limit; an offset; a limit too large for the heap; a small top-N (a heap, no spill).
  const Page pages[] = {{0, all, true}, {137, all, true}, {50, 9000, true}, {5, 10, false}};
  for (size_t field = 1; field <= 3; field++)
    for (bool desc : {false, true})
      for (const Page &p : pages) {
        uint64_t before = runs_spilled(*db);
        auto want = expected(field, desc, p.offset, p.limit);
        ASSERT_EQ(got(*db, field, desc, p.offset, p.limit), want)
            << s->field(field).name << (desc ? " desc" : "") << " offset " << p.offset << " limit "
            << p.limit;
        if (p.spills)
          EXPECT_GT(runs_spilled(*db), before + 10) << s->field(field).name << " spilled";
        else
          EXPECT_EQ(runs_spilled(*db), before) << "a small limit keeps a heap";
      }
  // The primary key descending sorts too.
  auto by_key_desc = got(*db, 0, true, 0, all);
  ASSERT_EQ(by_key_desc.size(), data.size());
  EXPECT_TRUE(std::is_sorted(by_key_desc.rbegin(), by_key_desc.rend()));
  // With the default maxMemoryBytes the same sorts stay in memory, same answers.
  auto roomy = test::open_db(uri);
  EXPECT_EQ(got(*roomy, 3, true, 0, all), expected(3, true, 0, all));
  EXPECT_EQ(runs_spilled(*roomy), 0u);
}

}  // namespace
}  // namespace bucketdb
