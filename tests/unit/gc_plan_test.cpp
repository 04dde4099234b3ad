// What a garbage collection may delete (core/engine/gc_plan.h), from Block 0 alone: the grace,
// readers' pins and the log floor (SPEC section 6).
#include <gtest/gtest.h>

#include <limits>

#include "core/engine/gc_plan.h"

namespace bucketdb {
namespace {

constexpr uint64_t kGrace = 1000, kNoPin = std::numeric_limits<uint64_t>::max();

// Block 0 at generation 10, log floor 5, with two merges (to entries 20 at 100 ms and 40 at
// 900 ms), three superseded objects, two history points and a dropped table.
Block0 sample() {
  Block0 b;
  b.generation = 10;
  b.applied_seq = 40;
  b.log_floor = 5;
  b.merges = {{20, 100}, {40, 900}};
  b.garbage = {{"old-a", 100, 8}, {"old-b", 500, 9}, {"new-c", 950, 10}};
  b.history = {{8, 20, 0, 100, {}, {}}, {9, 40, 0, 900, {}, {}}};
  b.dropped = {{"gone", 30, 100, {}}};
  return b;
}

TEST(GcPlan, NothingIsDueWithinTheGrace) {
  GcPlan p = plan_collection(sample(), 1050, kGrace, kNoPin, kNoPin);
  EXPECT_TRUE(p.nothing) << "the oldest mark, object and point are 950 ms old";
  EXPECT_TRUE(p.gone.empty());
}

TEST(GcPlan, WhatOutlivedTheGraceGoesAndBlockZeroForgetsIt) {
  const Block0 b = sample();
  GcPlan p = plan_collection(b, 1600, kGrace, kNoPin, kNoPin);  // 100 and 500 are due
  ASSERT_FALSE(p.nothing);
  ASSERT_EQ(p.gone.size(), 2u);
  EXPECT_EQ(p.gone[0].key, "old-a");
  EXPECT_EQ(p.gone[1].key, "old-b");
  EXPECT_EQ(p.next.generation, 11u) << "a new generation, swapped with If-Match";
  EXPECT_EQ(p.next.log_floor, 20u) << "entries up to the first merge's go after the swap";
  ASSERT_EQ(p.next.merges.size(), 1u);
  EXPECT_EQ(p.next.merges[0].applied_seq, 40u) << "the mark the floor has not passed stays";
  ASSERT_EQ(p.next.garbage.size(), 1u);
  EXPECT_EQ(p.next.garbage[0].key, "new-c");
  ASSERT_EQ(p.next.history.size(), 1u);
  EXPECT_EQ(p.next.history[0].generation, 9u);
  EXPECT_TRUE(p.next.dropped.empty()) << "the dropped table's schemas outlived its blocks";
  EXPECT_EQ(p.next.applied_seq, b.applied_seq) << "the rest of Block 0 is as it was";
}

TEST(GcPlan, AReadersPinKeepsItsGenerationsObjectsAndItsLog) {
  // A reader of generation 8 at entry 10: objects generation 9 stopped referencing stay (it
  // may read them), and the floor stays below its position.
  GcPlan p = plan_collection(sample(), 5000, kGrace, 8, 10);
  ASSERT_FALSE(p.nothing);
  ASSERT_EQ(p.gone.size(), 1u);
  EXPECT_EQ(p.gone[0].key, "old-a");
  EXPECT_EQ(p.next.log_floor, 5u);
  EXPECT_EQ(p.next.merges.size(), 2u);
  EXPECT_EQ(p.next.garbage.size(), 2u);
}

TEST(GcPlan, OnlyAHistoryPointDueStillMakesANewBlockZero) {
  Block0 b;
  b.generation = 3;
  b.history = {{2, 7, 0, 0, {}, {}}};
  b.dropped = {{"t", 4, 0, {}}};
  GcPlan p = plan_collection(b, 2000, kGrace, kNoPin, kNoPin);
  ASSERT_FALSE(p.nothing);
  EXPECT_TRUE(p.gone.empty());
  EXPECT_TRUE(p.next.history.empty());
  EXPECT_TRUE(p.next.dropped.empty());
  EXPECT_EQ(p.next.generation, 4u);
  // A dropped table alone is forgotten with the next collection that has something to do.
  Block0 only_dropped;
  only_dropped.dropped = {{"t", 4, 0, {}}};
  EXPECT_TRUE(plan_collection(only_dropped, 2000, kGrace, kNoPin, kNoPin).nothing);
}

TEST(GcPlan, TheServiceCollectsForObjectsAndMergedLogNotForHistoryAlone) {
  EXPECT_FALSE(collection_due(sample(), 1050, kGrace));
  EXPECT_TRUE(collection_due(sample(), 1100, kGrace)) << "old-a and the first merge are due";
  Block0 b = sample();
  b.garbage.clear();
  EXPECT_TRUE(collection_due(b, 1100, kGrace)) << "entries 6 to 20 are merged and old";
  b.log_floor = 40;  // both merges passed
  EXPECT_FALSE(collection_due(b, 5000, kGrace)) << "history points and a dropped table alone";
  EXPECT_FALSE(plan_collection(b, 5000, kGrace, kNoPin, kNoPin).nothing)
      << "which the next collection forgets";
}

}  // namespace
}  // namespace bucketdb
