// list: full keys in ascending byte order, prefix filtering, pagination.
#include <algorithm>
#include <set>

#include "driver_fixture.h"

namespace bdbtest {
namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<std::string> with_prefix(const std::vector<std::string> &keys,
                                     const std::string &prefix) {
  std::vector<std::string> out;
  for (const auto &k : keys)
    if (k.compare(0, prefix.size(), prefix) == 0) out.push_back(k);
  return sorted(out);
}

// Keys whose byte order differs from a naive per-directory walk ('-' and '.' sort before '/').
const std::vector<std::string> kTricky = {"a/b",  "a-c",     "a/c/d", "a0",   "a.x",        "ab/c",
                                          "B",    "b",       "z",     "é/x",  "~t",         "a/c-e",
                                          "a/c0", "a/c/e/f", "a/c.d", "a/cd", "A/b/c/d/e/f"};

TEST_P(DriverTest, ListOfEmptyStoreIsEmpty) {
  EXPECT_TRUE(list_keys(store(), "").empty());
  EXPECT_TRUE(list_keys(store(), "nothing/here").empty());
}

TEST_P(DriverTest, ListReturnsFullKeysInByteOrder) {
  for (const auto &k : kTricky) put_ok(k, k);
  EXPECT_EQ(list_keys(store(), ""), sorted(kTricky));
}

TEST_P(DriverTest, ListFiltersByPrefixNotOnlyAtSlashes) {
  std::vector<std::string> keys = {"data/users/1", "data/users/2", "data/us",   "data/usa/x",
                                   "data/u",       "datb/x",       "data0",     "dat",
                                   "data/users0",  "data/v/us",    "data/us-x", "data/us+/y"};
  for (const auto &k : keys) put_ok(k, "v");
  for (std::string prefix : {"data/us", "data/users/", "data/", "data", "dat", "data/u",
                             "data/users/1", "data/users/3", "nothing", "data/us+/", "d"}) {
    EXPECT_EQ(list_keys(store(), prefix), with_prefix(keys, prefix)) << "prefix " << prefix;
  }
}

TEST_P(DriverTest, ListSeesOverwritesOnceAndNotDeletedKeys) {
  put_ok("l/one", "1");
  put_ok("l/two", "2");
  put_ok("l/one", "1 again");
  put_ok("l/three/deep", "3");
  store().del(key("l/two"));
  EXPECT_EQ(list_keys(store(), "l/"), (std::vector<std::string>{"l/one", "l/three/deep"}));
  store().del(key("l/three/deep"));
  EXPECT_EQ(list_keys(store(), "l/"), std::vector<std::string>{"l/one"});
}

// Pages through by hand: each page within the page size, every key exactly once, in order.
void check_pages(Storage &s, const std::string &prefix, size_t page, bool exact_pages,
                 const std::vector<std::string> &expected) {
  std::vector<std::string> got;
  std::string token;
  int pages = 0;
  do {
    Storage::Page p = s.list(prefix, token);
    ASSERT_LE(p.keys.size(), page);
    if (exact_pages && !p.next_token.empty()) {
      EXPECT_EQ(p.keys.size(), page) << "a page short of the page size before the last page";
    }
    got.insert(got.end(), p.keys.begin(), p.keys.end());
    ASSERT_NE(p.next_token, token) << "same token twice";
    token = p.next_token;
    ASSERT_LT(++pages, 1000);
  } while (!token.empty());
  EXPECT_EQ(got, expected);
  EXPECT_EQ(std::set<std::string>(got.begin(), got.end()).size(), got.size()) << "duplicates";
}

TEST_P(DriverTest, PaginationVisitsEveryKeyExactlyOnceInOrder) {
  std::vector<std::string> keys = kTricky;
  for (int i = 0; i < 12; i++) keys.push_back("p/" + std::to_string(i * 7 % 12) + "/x");
  for (const auto &k : keys) put_ok(k, "v");
  std::vector<std::string> full;
  for (const auto &k : sorted(keys)) full.push_back(key(k));

  for (size_t page : {size_t{2}, size_t{3}}) {
    SCOPED_TRACE("page size " + std::to_string(page));
    auto paged = open(page);
    check_pages(*paged, key(""), page, builtin(), full);
    std::vector<std::string> under_p;
    for (const auto &k : with_prefix(keys, "p/")) under_p.push_back(key(k));
    check_pages(*paged, key("p/"), page, builtin(), under_p);
    std::vector<std::string> under_a;
    for (const auto &k : with_prefix(keys, "a/c")) under_a.push_back(key(k));
    check_pages(*paged, key("a/c"), page, builtin(), under_a);
    EXPECT_EQ(paged->list_all(key("")), full);
  }
}

TEST_P(DriverTest, PaginationIsNotConfusedByChangesBetweenPages) {
  for (int i = 0; i < 6; i++) put_ok("c/" + std::to_string(i), "v");
  auto paged = open(2);
  Storage::Page first = paged->list(key("c/"), "");
  ASSERT_EQ(first.keys.size(), builtin() ? 2u : first.keys.size());
  if (first.next_token.empty()) GTEST_SKIP() << "driver returned a single page";
  // Deleting what was listed and adding keys before and after the cursor.
  for (const auto &k : first.keys) paged->del(k);
  put_ok("c/00", "before the cursor");
  put_ok("c/9", "after the cursor");
  std::vector<std::string> rest;
  std::string token = first.next_token;
  while (!token.empty()) {
    Storage::Page p = paged->list(key("c/"), token);
    rest.insert(rest.end(), p.keys.begin(), p.keys.end());
    token = p.next_token;
  }
  EXPECT_EQ(rest,
            (std::vector<std::string>{key("c/2"), key("c/3"), key("c/4"), key("c/5"), key("c/9")}));
}

}  // namespace
}  // namespace bdbtest
