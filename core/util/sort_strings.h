// Sorting many strings: by each one's first 16 bytes as two integers, then by the whole string
// when those are equal, so most comparisons are of integers side by side in one array rather
// than of two strings elsewhere in memory (a merge sorts a million index entries, whose
// first 8 bytes are often shared by thousands).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace bucketdb {

inline void sort_unique_strings(std::vector<std::string> &v) {
  struct Item {
    uint64_t hi, lo;  // bytes 0-7 and 8-15, big-endian, zero-padded
    size_t at;
  };
  auto word = [](const std::string &s, size_t from) {
    uint64_t w = 0;
    for (size_t j = from; j < from + 8; j++)
      w = w << 8 | (j < s.size() ? static_cast<uint8_t>(s[j]) : 0u);
    return w;
  };
  std::vector<Item> items(v.size());
  for (size_t i = 0; i < v.size(); i++) items[i] = Item{word(v[i], 0), word(v[i], 8), i};
  std::sort(items.begin(), items.end(), [&v](const Item &a, const Item &b) {
    if (a.hi != b.hi) return a.hi < b.hi;
    if (a.lo != b.lo) return a.lo < b.lo;
    return v[a.at] < v[b.at];
  });
  std::vector<std::string> out;
  out.reserve(v.size());
  for (const Item &it : items)
    if (out.empty() || out.back() != v[it.at]) out.push_back(std::move(v[it.at]));
  v = std::move(out);
}

}  // namespace bucketdb
