// Object formats: round trips, and every damaged byte detected.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/format/block0.h"
#include "core/format/data_block.h"
#include "core/format/key_probes.h"
#include "core/format/envelope.h"
#include "core/format/log_entry.h"
#include "core/format/manifest_page.h"
#include "core/format/row_hash.h"
#include "core/util/sort_strings.h"
#include "core/util/weak_slots.h"
#include "core/codec/key_codec.h"
#include "core/util/error.h"

namespace bucketdb {
namespace {

template <typename Fn>
void expect_corrupt(Fn &&fn, const std::string &key) {
  try {
    fn();
    ADD_FAILURE() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), BDB_E_CORRUPT) << e.what();
    EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
  }
}

LogEntry sample_entry() {
  LogEntry e;
  e.seq = 42;
  e.node_id = 7;
  e.commit_id = random_id();
  e.misc = 1700000000123;
  LogOp put;
  put.type = LogOp::kPut;
  put.table = "users";
  put.schema_version = 3;
  put.key = std::string("k\0ey", 4);
  put.fixed = "fixed";
  put.heap = "heap";
  LogOp del;
  del.type = LogOp::kDelete;
  del.table = "users";
  del.key = "gone";
  LogOp sch;
  sch.type = LogOp::kSchema;
  sch.table = "users";
  sch.schema_json = "{}";
  e.ops = {put, del, sch};
  return e;
}

TEST(Format, LogEntryRoundTrip) {
  LogEntry e = sample_entry();
  LogEntry d = decode_log_entry(encode_log_entry(e), "k");
  EXPECT_EQ(d.seq, 42u);
  EXPECT_EQ(d.node_id, 7);
  EXPECT_EQ(d.commit_id, e.commit_id);
  EXPECT_EQ(d.misc, e.misc);
  ASSERT_EQ(d.ops.size(), 3u);
  EXPECT_EQ(d.ops[0].key, e.ops[0].key);
  EXPECT_EQ(d.ops[0].heap, "heap");
  EXPECT_EQ(d.ops[0].schema_version, 3u);
  EXPECT_EQ(d.ops[1].type, LogOp::kDelete);
  EXPECT_EQ(d.ops[2].schema_json, "{}");
}

TEST(Format, Block0RoundTrip) {
  Block0 b;
  b.generation = 5;
  b.applied_seq = 10;
  b.log_floor = 4;
  b.misc_high = 99;
  b.merge_id = random_id();
  b.schemas = {"{\"a\":1}"};
  TableRoot t;
  t.name = "users";
  t.manifest_key = "main/manifest/users/x";
  t.rows = 10;
  t.blocks = 2;
  t.bytes = 300;
  t.oldest_version = 1;
  t.indexes = {IndexRoot{"name", 10, "main/indexes/users/name/r", true, ""}};
  b.tables = {t};
  b.history = {
      HistoryPoint{3, 7, 99, 1234, {{"users", "main/manifest/users/old"}}, {{"users", 2}}}};
  b.garbage = {Garbage{"main/data/users/old", 12}};
  b.merges = {MergeMark{10, 77}};
  Block0 d = decode_block0(encode_block0(b), "main/block0");
  EXPECT_EQ(d.generation, 5u);
  EXPECT_EQ(d.log_floor, 4u);
  EXPECT_EQ(d.merge_id, b.merge_id);
  ASSERT_EQ(d.tables.size(), 1u);
  EXPECT_EQ(d.tables[0].manifest_key, "main/manifest/users/x");
  EXPECT_EQ(d.tables[0].oldest_version, 1u);
  ASSERT_EQ(d.tables[0].indexes.size(), 1u);
  EXPECT_EQ(d.tables[0].indexes[0].root, "main/indexes/users/name/r");
  EXPECT_TRUE(d.tables[0].indexes[0].built);
  ASSERT_EQ(d.history.size(), 1u);
  EXPECT_EQ(d.history[0].manifests[0].second, "main/manifest/users/old");
  EXPECT_EQ(d.history[0].versions, b.history[0].versions);
  EXPECT_EQ(d.format, 4u) << "a history point with versions";
  EXPECT_EQ(d.garbage[0].since_ms, 12u);
  EXPECT_EQ(d.merges[0].time_ms, 77u);
}

// A drop makes an entry of format 3 (older builds say a newer BucketDB wrote it); an entry
// without one stays at format 2, which they read.
TEST(Format, LogEntryWithADropIsFormat3) {
  LogEntry e = sample_entry();
  Bytes plain = encode_log_entry(e);
  EXPECT_EQ(plain[5], 2);
  LogOp drop;
  drop.type = LogOp::kDropTable;
  drop.table = "users";
  e.ops.push_back(drop);
  Bytes with = encode_log_entry(e);
  EXPECT_EQ(with[5], 3);
  LogEntry d = decode_log_entry(with, "k");
  ASSERT_EQ(d.ops.size(), 4u);
  EXPECT_EQ(d.ops[3].type, LogOp::kDropTable);
  EXPECT_EQ(d.ops[3].table, "users");
}

// The format number a Block 0 object starts its payload with.
uint32_t block0_format(const Bytes &object) {
  return Reader(open_object(ObjectKind::kBlock0, object, "b"), "b").u32();
}

// A Block 0 object of `format` with one table, written field by field as that format lays
// it out (1: no applied_commit_id; 3: the dropped tables at the end; 4: a history point and
// its schema versions after them).
Bytes block0_of_format(uint32_t format, const Id128 &applied) {
  Bytes o = begin_object();
  Writer w(o);
  w.u32(format);
  for (uint64_t v : {7, 20, 15, 99}) w.u64(v);  // generation, applied, floor, misc
  Id128 merge{};
  merge[0] = 0xAB;
  w.raw(merge.data(), merge.size());
  w.u64(1234);  // merge time
  if (format >= 2) w.raw(applied.data(), applied.size());
  w.varint(1);
  w.blob("{\"s\":1}");
  w.varint(1);  // one table, no index
  w.blob("users");
  w.blob("main/manifest/users/x");
  for (uint64_t v : {3, 1, 100}) w.u64(v);
  w.u32(1);
  w.varint(0);
  for (int list = 0; list < 2; list++) w.varint(0);  // garbage, merges
  w.varint(format >= 4 ? 1 : 0);                     // history: a point with its versions
  if (format >= 4) {
    for (uint64_t v : {6, 10, 50, 1000}) w.u64(v);  // generation, applied, misc, superseded
    w.varint(1);
    w.blob("users");
    w.blob("main/manifest/users/w");
  }
  if (format >= 3) {
    w.varint(1);
    w.blob("gone");
    w.u64(12);
    w.u64(345);
    w.varint(1);
    w.blob("{\"v\":1}");
  }
  if (format >= 4) {
    w.varint(1);  // the history point's versions then
    w.blob("users");
    w.u32(1);
  }
  seal_in_place(ObjectKind::kBlock0, o);
  return o;
}

// Block 0 keeps dropped tables (format 3) only when it has some; otherwise it stays format 2.
TEST(Format, Block0WithDroppedTablesIsFormat3) {
  Block0 b;
  Bytes plain = encode_block0(b);
  EXPECT_EQ(decode_block0(plain, "b").dropped.size(), 0u);
  b.dropped = {DroppedTable{"gone", 12, 345, {"{\"v\":1}", "{\"v\":2}"}}};
  Block0 d = decode_block0(encode_block0(b), "b");
  ASSERT_EQ(d.dropped.size(), 1u);
  EXPECT_EQ(d.dropped[0].name, "gone");
  EXPECT_EQ(d.dropped[0].seq, 12u);
  EXPECT_EQ(d.dropped[0].since_ms, 345u);
  EXPECT_EQ(d.dropped[0].schemas.size(), 2u);
  EXPECT_NE(encode_block0(b), plain);
  EXPECT_EQ(block0_format(plain), 2u);
  EXPECT_EQ(block0_format(encode_block0(b)), 3u);
  EXPECT_EQ(d.format, 3u);
}

// Every format this build reads, through the one decoder: what each holds, and the format it
// is written back in (format 1 becomes 2; 3 stays 3 while it has dropped tables, 4 while a
// history point has versions).
TEST(Format, Block0ReadsEachFormat) {
  Id128 applied{};
  applied[15] = 0x42;
  for (uint32_t format : {1u, 2u, 3u, 4u}) {
    SCOPED_TRACE("format " + std::to_string(format));
    Block0 d = decode_block0(block0_of_format(format, applied), "main/block0");
    EXPECT_EQ(d.generation, 7u);
    EXPECT_EQ(d.applied_seq, 20u);
    EXPECT_EQ(d.log_floor, 15u);
    EXPECT_EQ(d.misc_high, 99u);
    EXPECT_EQ(d.merge_id[0], 0xAB);
    EXPECT_EQ(d.merge_time_ms, 1234u);
    EXPECT_EQ(d.applied_commit_id, format >= 2 ? applied : Id128{}) << "format 1 has none";
    ASSERT_EQ(d.schemas.size(), 1u);
    ASSERT_EQ(d.tables.size(), 1u);
    EXPECT_EQ(d.tables[0].manifest_key, "main/manifest/users/x");
    EXPECT_EQ(d.tables[0].bytes, 100u);
    EXPECT_EQ(d.dropped.size(), format >= 3 ? 1u : 0u);
    ASSERT_EQ(d.history.size(), format >= 4 ? 1u : 0u);
    if (format >= 4) {
      EXPECT_EQ(d.history[0].applied_seq, 10u);
      EXPECT_EQ(d.history[0].manifests.size(), 1u);
      EXPECT_EQ(d.history[0].versions,
                (std::vector<std::pair<std::string, uint32_t>>{{"users", 1u}}));
    }
    EXPECT_EQ(d.format, format >= 3 ? format : 2u);
    EXPECT_EQ(block0_format(encode_block0(d)), d.format);
    EXPECT_EQ(decode_block0(encode_block0(d), "b").applied_commit_id, d.applied_commit_id);
  }
  Bytes newer = block0_of_format(5, applied);
  expect_corrupt([&] { decode_block0(newer, "main/block0"); }, "main/block0");
  try {
    decode_block0(newer, "main/block0");
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("a newer BucketDB wrote it"), std::string::npos)
        << e.what();
  }
}

// An object a storage layer wrote, read without the layer, names the layer it needs.
TEST(Format, AnObjectOfALayerNamesTheLayer) {
  Bytes sealed = encode_log_entry(sample_entry());
  auto message = [](const Bytes &o) {
    try {
      decode_log_entry(o, "main/committed/1");
    } catch (const Error &e) {
      EXPECT_EQ(e.status(), BDB_E_CORRUPT);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  Bytes crypt = {'B', 'D', 'B', 'C', 1, 1, 3, 'k', 'e', 'y'};
  crypt.resize(80, 0x5a);
  EXPECT_NE(message(crypt).find("crypt: layer"), std::string::npos) << message(crypt);
  Bytes stored = sealed;  // compress: kept as it was, behind its header byte
  stored.insert(stored.begin(), 0x3C);
  EXPECT_NE(message(stored).find("compress: layer"), std::string::npos) << message(stored);
  Bytes zstd = {0xC3, 0x28, 0xB5, 0x2F, 0xFD, 0x20, 0x10};
  EXPECT_NE(message(zstd).find("compress: layer"), std::string::npos) << message(zstd);
  Bytes other = sealed;
  other[0] = 'X';
  EXPECT_NE(message(other).find("bad magic"), std::string::npos) << message(other);
}

TEST(Format, EveryFlippedByteIsDetected) {
  Bytes obj = encode_log_entry(sample_entry());
  for (size_t i = 0; i < obj.size(); i++)
    for (uint8_t bit : {0x01, 0x80}) {
      Bytes bad = obj;
      bad[i] ^= bit;
      expect_corrupt([&] { decode_log_entry(bad, "main/committed/00000000000000000042"); },
                     "main/committed/00000000000000000042");
    }
}

TEST(Format, TruncatedAndWrongKindAreCorrupt) {
  Bytes obj = encode_log_entry(sample_entry());
  for (size_t n : {size_t{0}, size_t{10}, obj.size() - 1}) {
    Bytes cut(obj.begin(), obj.begin() + static_cast<long>(n));
    expect_corrupt([&] { decode_log_entry(cut, "key-a"); }, "key-a");
  }
  expect_corrupt([&] { decode_block0(obj, "main/block0"); }, "main/block0");
}

TEST(Format, DataBlockFindsRowsByKey) {
  auto s = TableSchema::from_json(
      R"({"name":"t","version":1,"fields":{"id":{"typeId":4},"v":{"typeId":10}},"primaryKey":"id"})");
  DataBlockBuilder b("t", s);
  for (int i = 0; i < 100; i += 2) {
    std::string f, h;
    encode_row(*s, {int64_t{i}, std::string(static_cast<size_t>(i % 7), 'x')}, f, h);
    b.add(static_cast<uint64_t>(i), 1000, f, h);
  }
  auto block = DataBlock::parse(b.finish(), "data/t/1", s);
  ASSERT_EQ(block->rows(), 50u);
  const TypeInfo &t = *s->primary_key_field().type;
  EXPECT_EQ(block->find(encode_key(t, int64_t{40})), 20);
  EXPECT_EQ(block->find(encode_key(t, int64_t{41})), -1);
  EXPECT_EQ(std::get<std::string>(block->row(20).get(1)), std::string(40 % 7, 'x'));
  EXPECT_EQ(block->seq(20), 40u);
  auto other = TableSchema::from_json(
      R"({"name":"t","version":1,"fields":{"id":{"typeId":5}},"primaryKey":"id"})");
  expect_corrupt([&] { DataBlock::parse(b.finish(), "data/t/1", other); }, "data/t/1");
}

// KeyProbes, as data blocks, index nodes and manifest pages use it, against std::lower_bound
// and std::upper_bound on random byte keys: shared prefixes, prefixes of each other, NULs,
// 0xff bytes, tails shorter and longer than a probe word.
TEST(Format, KeyProbesAgreeWithTheStandardSearches) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; round++) {
    std::string prefix(rng() % 4, 'p');
    std::vector<std::string> keys;
    size_t n = rng() % 40;
    for (size_t i = 0; i < n; i++) {
      std::string k = prefix;
      size_t len = rng() % 12;
      for (size_t j = 0; j < len; j++) k += "\0\1ab\xff"[rng() % 5];
      keys.push_back(k);
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    KeyProbes probes;
    auto at = [&](size_t i) { return std::string_view(keys[i]); };
    probes.build(keys.size(), at);
    std::vector<std::string> asks = keys;
    for (int i = 0; i < 30; i++) {
      std::string k = rng() % 3 ? prefix : std::string();
      size_t len = rng() % 12;
      for (size_t j = 0; j < len; j++) k += "\0\1ab\xff"[rng() % 5];
      asks.push_back(k);
    }
    for (const auto &k : asks) {
      ASSERT_EQ(probes.lower_bound(k, at),
                static_cast<size_t>(std::lower_bound(keys.begin(), keys.end(), k) - keys.begin()));
      ASSERT_EQ(probes.upper_bound(k, at),
                static_cast<size_t>(std::upper_bound(keys.begin(), keys.end(), k) - keys.begin()));
    }
  }
}

// The block's search compares probe words (7 bytes past the shared prefix and the tail's
// length) before whole keys: it must agree with a plain binary search over the encoded keys
// for short and long tails, keys that are prefixes of others, NUL bytes, and keys outside
// the block's range.
TEST(Format, DataBlockSearchAgreesWithEncodedKeyOrder) {
  auto s = TableSchema::from_json(
      R"({"name":"t","version":1,"fields":{"id":{"typeId":10}},"primaryKey":"id"})");
  const TypeInfo &t = *s->primary_key_field().type;
  std::vector<std::string> ids;
  for (const std::string &stem :
       std::vector<std::string>{"", "a", "ab", "abc", std::string("ab\0", 3), "abcdefg", "abcdefgh",
                                "abcdefghijkl", "abcdefghijkm", "abcdefgi", "abd", "b"})
    ids.push_back("p/" + stem);
  std::vector<std::pair<std::string, std::string>> rows;  // encoded key, id
  rows.reserve(ids.size());
  for (const auto &id : ids) rows.emplace_back(encode_key(t, id), id);
  std::sort(rows.begin(), rows.end());
  DataBlockBuilder b("t", s);
  for (const auto &r : rows) {
    std::string f, h;
    encode_row(*s, {r.second}, f, h);
    b.add(1, 1, f, h);
  }
  auto block = DataBlock::parse(b.finish(), "data/t/2", s);
  ASSERT_EQ(block->rows(), rows.size());
  std::vector<std::string> keys;
  keys.reserve(rows.size());
  for (const auto &r : rows) keys.push_back(r.first);
  for (size_t i = 0; i < keys.size(); i++) EXPECT_EQ(block->key_of(i), keys[i]);
  std::vector<std::string> probes = keys;
  for (const std::string &id :
       std::vector<std::string>{"", "p", "p/", "p/abcdefg\x01", "p/abcdefghijkk", "p/abcdefghijkz",
                                "p/abcdefghijklm", "p/c", "q", "o/zzz", std::string("p/ab\0\0", 5)})
    probes.push_back(encode_key(t, id));
  for (const auto &k : keys) {
    probes.push_back(k.substr(0, k.size() - 1));  // truncated: not a key, between keys
    probes.push_back(k + std::string(1, '\0'));
  }
  for (const auto &p : probes) {
    size_t want = static_cast<size_t>(std::lower_bound(keys.begin(), keys.end(), p) - keys.begin());
    EXPECT_EQ(block->lower_bound(p), want) << "probe of " << p.size() << " bytes";
    long found = want < keys.size() && keys[want] == p ? static_cast<long>(want) : -1;
    EXPECT_EQ(block->find(p), found) << "probe of " << p.size() << " bytes";
  }
}

// RowHash against std::find on random keys, with records at arbitrary offsets: every key is
// found with its row and record, and absent keys (prefixes, extensions) are not.
TEST(Format, RowHashFindsExactlyTheKeysItHolds) {
  std::mt19937 rng(11);
  for (int round = 0; round < 100; round++) {
    std::vector<std::string> keys;
    size_t n = rng() % 300;
    for (size_t i = 0; i < n; i++) {
      std::string k;
      size_t len = rng() % 10;
      for (size_t j = 0; j < len; j++) k += "\0\1ab\xff"[rng() % 5];
      keys.push_back(k);
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::vector<uint32_t> record(keys.size());
    for (size_t i = 0; i < keys.size(); i++) record[i] = static_cast<uint32_t>(rng());
    RowHash hash;
    hash.build(
        keys.size(), [&](size_t i) { return std::string_view(keys[i]); },
        [&](size_t i) { return record[i]; });
    ASSERT_EQ(hash.empty(), keys.empty());
    if (keys.empty()) continue;
    std::vector<std::string> asks = keys;
    for (const auto &k : keys) {
      asks.push_back(k + "a");
      if (!k.empty()) asks.push_back(k.substr(0, k.size() - 1));
    }
    for (const auto &k : asks) {
      auto hit = hash.find(k, [&](uint32_t at) {
        for (size_t i = 0; i < keys.size(); i++)
          if (record[i] == at && keys[i] == k) return true;
        return false;
      });
      auto it = std::find(keys.begin(), keys.end(), k);
      if (it == keys.end()) {
        ASSERT_EQ(hit.row, -1);
      } else {
        size_t i = static_cast<size_t>(it - keys.begin());
        ASSERT_EQ(hit.row, static_cast<long>(i));
        ASSERT_EQ(hit.record, record[i]);
      }
    }
  }
}

// A block of more rows than the hash table holds is searched instead, with the same answers.
TEST(Format, LargeDataBlockFindsRowsWithoutTheHashTable) {
  auto s = TableSchema::from_json(
      R"({"name":"t","version":1,"fields":{"id":{"typeId":5},"v":{"typeId":10}},"primaryKey":"id"})");
  DataBlockBuilder b("t", s);
  const int64_t n = static_cast<int64_t>(RowHash::kMaxRows) + 100;
  for (int64_t i = 0; i < n; i++) {
    std::string f, h;
    encode_row(*s, {2 * i, std::to_string(i)}, f, h);
    b.add(static_cast<uint64_t>(i), 7, f, h);
  }
  auto block = DataBlock::parse(b.finish(), "data/t/big", s);
  const TypeInfo &t = *s->primary_key_field().type;
  for (int64_t i : {int64_t{0}, int64_t{1}, n / 2, n - 1, n}) {
    auto rec = block->find_record(encode_key(t, 2 * i));
    EXPECT_EQ(block->find(encode_key(t, 2 * i)), i < n ? i : -1);
    ASSERT_EQ(rec.has_value(), i < n);
    if (rec) {
      EXPECT_EQ(rec->seq, static_cast<uint64_t>(i));
      EXPECT_EQ(std::get<std::string>(rec->row.get(1)), std::to_string(i));
    }
    EXPECT_FALSE(block->find_record(encode_key(t, 2 * i + 1)));
  }
}

// Each row's heap values are placed beside it when a block is read, so a reference outside
// the heap is found then, in a block whose checksum is right.
TEST(Format, DataBlockWithAReferenceOutsideItsHeapIsCorrupt) {
  auto s = TableSchema::from_json(
      R"({"name":"t","version":1,"fields":{"id":{"typeId":5},"v":{"typeId":10}},"primaryKey":"id"})");
  std::string f, h;
  encode_row(*s, {int64_t{1}, std::string("abc")}, f, h);
  auto object_with = [&](const std::vector<std::string> &rows) {
    Bytes o = begin_object();
    Writer w(o);
    w.blob("t");
    w.u32(1);
    w.u32(static_cast<uint32_t>(rows.size()));
    w.u32(static_cast<uint32_t>(f.size()));
    w.u32(static_cast<uint32_t>(h.size()));
    for (const auto &fixed : rows) {
      std::string rec = std::string(16, '\0') + fixed;
      w.raw(rec.data(), rec.size());
    }
    w.raw(h.data(), h.size());
    seal_in_place(ObjectKind::kDataBlock, o);
    return o;
  };
  std::string bad = f;
  bad[s->field(1).offset] = 2;  // offset 2, length 3: past the 3-byte heap
  expect_corrupt([&] { DataBlock::parse(object_with({bad}), "data/t/bad", s); }, "data/t/bad");
  // Rows that all point at the same heap bytes (a forged block: writers copy each value
  // once) are refused before their copies outgrow the object.
  std::vector<std::string> sharing(50, f);
  for (size_t i = 0; i < sharing.size(); i++) sharing[i][s->field(0).offset] = static_cast<char>(i);
  expect_corrupt([&] { DataBlock::parse(object_with(sharing), "data/t/shared", s); },
                 "data/t/shared");
  auto block = DataBlock::parse(object_with({f}), "data/t/good", s);
  EXPECT_EQ(std::get<std::string>(block->row(0).get(1)), "abc");
}

// What a merge sorts its index entries with orders as std::string does and drops repeats,
// also where the first 16 bytes it compares as integers are equal or run past the end.
TEST(Format, SortUniqueStringsOrdersAsStringsDo) {
  std::mt19937 rng(11);
  const std::string alphabet("\0\001az\xff", 5);
  std::vector<std::string> v;
  for (int i = 0; i < 5000; i++) {
    std::string s = i % 3 ? "shared prefix of 16+" : "";  // ties on the integer words
    size_t len = rng() % 20;
    for (size_t j = 0; j < len; j++) s += alphabet[rng() % alphabet.size()];
    v.push_back(s);
    if (i % 7 == 0) v.push_back(s);  // repeats
  }
  std::vector<std::string> want = v;
  std::sort(want.begin(), want.end());
  want.erase(std::unique(want.begin(), want.end()), want.end());
  sort_unique_strings(v);
  EXPECT_EQ(v, want);
  std::vector<std::string> none;
  sort_unique_strings(none);
  EXPECT_TRUE(none.empty());
}

// The weak references cached pages keep to their blocks: they never keep an object alive,
// a copy of the owner starts empty and an assignment empties (a changed owner forgets), and
// the hint comes back with the reference.
TEST(Format, WeakSlotsHoldNothingAlive) {
  WeakSlots<int> slots;
  EXPECT_EQ(slots.get(3), nullptr);
  auto a = std::make_shared<int>(1);
  slots.set(3, a, 42);
  int seen = 0;
  EXPECT_EQ(slots.get(3, [&](const int &hint) { seen = hint; }), a);
  EXPECT_EQ(seen, 42);
  EXPECT_EQ(slots.get(2), nullptr);
  WeakSlots<int> copy = slots;
  EXPECT_EQ(copy.get(3), nullptr);
  a.reset();
  EXPECT_EQ(slots.get(3), nullptr);  // expired with its last owner
  auto b = std::make_shared<int>(2);
  slots.set(0, b);
  slots = WeakSlots<int>();
  EXPECT_EQ(slots.get(0), nullptr);
}

TEST(Format, ManifestPageRejectsOverlappingBlocks) {
  ManifestPage p;
  p.table = "t";
  p.blocks = {BlockRef{"a", 1, 1, 1, "a", "m"}, BlockRef{"b", 1, 1, 1, "c", "z"}};
  expect_corrupt([&] { decode_manifest_page(encode_manifest_page(p), "manifest/t/1"); },
                 "manifest/t/1");
  p.blocks[1].first_key = "n";
  EXPECT_EQ(decode_manifest_page(encode_manifest_page(p), "m")->blocks.size(), 2u);
}

}  // namespace
}  // namespace bucketdb
