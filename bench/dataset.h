// The records every workload uses: a users-like table, generated from a fixed seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bench {

struct User {
  std::string id;    // "u" + 10 digits: primary-key order is generation order
  std::string name;  // about ten users per name (the indexed equality query)
  uint8_t age;
  bool active;
  double score;
  int64_t created;  // ms since the epoch
};

std::vector<User> make_users(uint64_t count, uint64_t seed);
std::string user_id(uint64_t i);
// A name that about ten users share, for a given draw.
std::string user_name(uint64_t n);

}  // namespace bench
