#include "bench/dataset.h"

#include <cstdio>
#include <random>

namespace bench {

std::string user_id(uint64_t i) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "u%010llu", static_cast<unsigned long long>(i));
  return buf;
}

std::string user_name(uint64_t n) {
  static const char *const kFirst[] = {"Ada",    "Grace",   "Linus",  "Barbara",  "Ken",
                                       "Edsger", "Frances", "Donald", "Margaret", "Dennis"};
  return std::string(kFirst[n % 10]) + "-" + std::to_string(n / 10);
}

std::vector<User> make_users(uint64_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const uint64_t names = count / 10 ? count / 10 : 1;
  std::vector<User> users;
  users.reserve(count);
  for (uint64_t i = 0; i < count; i++) {
    User u;
    u.id = user_id(i);
    u.name = user_name(rng() % names);
    u.age = static_cast<uint8_t>(rng() % 100);
    u.active = rng() & 1;
    u.score = static_cast<double>(rng() % 1000000) / 100.0;
    u.created = 1700000000000 + static_cast<int64_t>(i) * 1000;
    users.push_back(std::move(u));
  }
  return users;
}

}  // namespace bench
