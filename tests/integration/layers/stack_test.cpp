// All the layers stacked under one database: compress:crypt:cache:tiered: over a slow and a
// fast store, used by two nodes; what reaches the stores is ciphertext only, of compressed
// bytes (the leftmost layer sees the plaintext first).
#include "layer_support.h"

namespace bdblayers {
namespace {

TEST(Stack, ADatabaseOnEveryLayerAtOnce) {
  TempDir dir;
  const std::string slow = "memory:" + unique("stack-slow"),
                    fast = "memory:" + unique("stack-fast");
  const std::string keys = write_file(dir, "keys", "k1:" + hex_key(1) + "\n");
  const std::string uri = "compress:crypt:cache:tiered:" + slow + "?crypt.key_file=" + keys +
                          "&cache.dir=" + dir.path() + "/cache&tiered.fast=" + fast;
  auto a = open_db(uri, 0);
  create_users(*a);
  for (int i = 0; i < 200; i++) put_user(*a, "user-" + std::to_string(i), i % 90);
  a->merge();
  auto b = open_db(uri, 0);
  EXPECT_EQ(count_users(*b), 200u);
  EXPECT_EQ(get_user(*b, "user-42"), R"({"id":"user-42","age":42})");
  put_user(*b, "from-b", 7);
  EXPECT_EQ(get_user(*a, "from-b"), R"({"id":"from-b","age":7})");
  // Layer counters nest: compress > crypt > cache > tiered. Node a wrote the data blocks.
  auto s = stats(a->storage());
  EXPECT_GT(at(s, {"compressed"}), 0u) << s.dump();
  EXPECT_GT(at(s, {"bytesSaved"}), 0u);
  EXPECT_GT(at(s, {"inner", "encrypted"}), 0u);
  EXPECT_GT(at(s, {"inner", "inner", "stores"}), 0u);
  EXPECT_GT(at(s, {"inner", "inner", "inner", "fastRequests"}), 0u);
  // Both stores hold only crypt objects; no user id appears in clear.
  for (const auto &store : {slow, fast}) {
    auto raw = open_store(store);
    auto all = raw->list_all("");
    EXPECT_FALSE(all.empty());
    for (const auto &k : all) {
      std::string body = text(raw->get(k)->data);
      EXPECT_EQ(body.rfind("BDBC", 0), 0u) << k;
      EXPECT_EQ(body.find("user-"), std::string::npos) << k;
    }
  }
}

}  // namespace
}  // namespace bdblayers
