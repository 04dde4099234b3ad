// list: full keys in ascending byte order, filtered by any prefix, in pages that visit every
// key once.
#include <algorithm>
#include <set>

#include "conformance/context.h"

namespace bucketdb::conformance {

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

void list_of_nothing(Context &c) {
  c.expect_list("", {});
  c.expect_list("nothing/here", {});
}

void list_in_byte_order(Context &c) {
  for (const auto &k : kTricky) c.put_ok(k, k);
  auto got = c.list_keys("");
  expect(got == sorted(kTricky),
         "list gave " + join(got) + ", expected byte order " + join(sorted(kTricky)));
}

void list_filters_by_any_prefix(Context &c) {
  std::vector<std::string> keys = {"data/users/1", "data/users/2", "data/us",   "data/usa/x",
                                   "data/u",       "datb/x",       "data0",     "dat",
                                   "data/users0",  "data/v/us",    "data/us-x", "data/us+/y"};
  for (const auto &k : keys) c.put_ok(k, "v");
  for (std::string p : {"data/us", "data/users/", "data/", "data", "dat", "data/u", "data/users/1",
                        "data/users/3", "nothing", "data/us+/", "d"})
    c.expect_list(p, with_prefix(keys, p));
}

void list_after_changes(Context &c) {
  c.put_ok("l/one", "1");
  c.put_ok("l/two", "2");
  c.put_ok("l/one", "1 again");
  c.put_ok("l/three/deep", "3");
  c.store().del(c.key("l/two"));
  c.expect_list("l/", {"l/one", "l/three/deep"});
  c.store().del(c.key("l/three/deep"));
  c.expect_list("l/", {"l/one"});
}

// Pages through by hand: each page within the page size (exactly it before the last page,
// for the built-in drivers), every key exactly once, in order.
void check_pages(Context &c, Store &s, const std::string &prefix, size_t page,
                 const std::vector<std::string> &want) {
  std::vector<std::string> got;
  std::string token;
  int pages = 0;
  do {
    Store::Page p = s.list(prefix, token);
    if (c.builtin()) {
      expect(p.keys.size() <= page, "a page of " + std::to_string(p.keys.size()) +
                                        " keys with ?page=" + std::to_string(page));
      expect(p.next_token.empty() || p.keys.size() == page,
             "a page short of ?page=" + std::to_string(page) + " before the last page");
    }
    got.insert(got.end(), p.keys.begin(), p.keys.end());
    expect(p.next_token.empty() || p.next_token != token, "the same continuation token came twice");
    token = p.next_token;
    expect(++pages < 1000, "more than 1000 pages for " + std::to_string(want.size()) + " keys");
  } while (!token.empty());
  expect(std::set<std::string>(got.begin(), got.end()).size() == got.size(),
         "pages of " + show(prefix) + " repeat keys: " + join(got));
  expect(got == want,
         "pages of " + show(prefix) + " gave " + join(got) + ", expected " + join(want));
}

void pagination(Context &c) {
  std::vector<std::string> keys = kTricky;
  for (int i = 0; i < 12; i++) keys.push_back("p/" + std::to_string(i * 7 % 12) + "/x");
  for (const auto &k : keys) c.put_ok(k, "v");
  auto full = [&](const std::string &p) {
    std::vector<std::string> out;
    for (const auto &k : with_prefix(keys, p)) out.push_back(c.key(k));
    return out;
  };
  // Small pages when the driver takes the built-in drivers' page option; its own otherwise.
  for (size_t page : {size_t{2}, size_t{3}}) {
    auto paged = c.open("page=" + std::to_string(page));
    check_pages(c, *paged, c.key(""), page, full(""));
    check_pages(c, *paged, c.key("p/"), page, full("p/"));
    check_pages(c, *paged, c.key("a/c"), page, full("a/c"));
    expect(paged->list_all(c.key("")) == full(""), "list of all keys differs from its pages");
  }
}

void pagination_with_changes_between_pages(Context &c) {
  for (int i = 0; i < 6; i++) c.put_ok("c/" + std::to_string(i), "v");
  auto paged = c.open("page=2");
  Store::Page first = paged->list(c.key("c/"), "");
  if (c.builtin())
    expect(first.keys.size() == 2,
           "a first page of " + std::to_string(first.keys.size()) + " keys with ?page=2");
  if (first.next_token.empty()) skip("the driver listed 6 keys in a single page");
  // Deleting what was listed and adding keys before and after the cursor.
  for (const auto &k : first.keys) paged->del(k);
  c.put_ok("c/00", "before the cursor");
  c.put_ok("c/9", "after the cursor");
  std::vector<std::string> rest;
  std::string token = first.next_token;
  for (int pages = 0; !token.empty(); pages++) {
    expect(pages < 1000, "more than 1000 pages for 6 keys");
    Store::Page p = paged->list(c.key("c/"), token);
    rest.insert(rest.end(), p.keys.begin(), p.keys.end());
    token = p.next_token;
  }
  std::vector<std::string> want;
  for (std::string k : {"c/2", "c/3", "c/4", "c/5", "c/9"}) want.push_back(c.key(k));
  expect(rest == want, "the pages after changes gave " + join(rest) + ", expected " + join(want));
}

}  // namespace

std::vector<Check> list_checks() {
  return {
      {"ListOfNothing", "list of an empty prefix is empty", list_of_nothing},
      {"ListInByteOrder", "list in byte order", list_in_byte_order},
      {"ListFiltersByAnyPrefix", "list filters by any prefix", list_filters_by_any_prefix},
      {"ListAfterChanges", "list after overwrites and deletes", list_after_changes},
      {"Pagination", "list pagination", pagination},
      {"PaginationWithChangesBetweenPages", "list pagination with changes between pages",
       pagination_with_changes_between_pages},
  };
}

}  // namespace bucketdb::conformance
