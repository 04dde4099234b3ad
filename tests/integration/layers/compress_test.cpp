// compress: what is stored raw and what as zstd, damage, options, counters.
#include "layer_support.h"

namespace bdblayers {
namespace {

class Compress : public ::testing::Test {
 protected:
  std::string raw_uri_ = "memory:" + unique("compress");
  std::unique_ptr<Storage> raw_ = open_store(raw_uri_);
  std::unique_ptr<Storage> z_ = open_store("compress:" + raw_uri_);
};

TEST_F(Compress, IncompressibleObjectsAreStoredRaw) {
  Bytes noise = random_bytes(10000, 7);
  std::string etag;
  ASSERT_EQ(z_->put("main/blobs/noise", noise, {}, &etag), PutOutcome::kOk);
  Bytes stored = raw_->get("main/blobs/noise")->data;
  ASSERT_EQ(stored.size(), noise.size() + 1);
  EXPECT_EQ(stored[0], 0x3C) << "header byte: stored";
  EXPECT_TRUE(std::equal(noise.begin(), noise.end(), stored.begin() + 1));
  EXPECT_EQ(z_->get("main/blobs/noise")->data, noise);
  EXPECT_EQ(etag, raw_->get("main/blobs/noise")->etag);
  // Tiny objects are not even tried.
  z_->put("tiny", bytes("0123456789"), {});
  EXPECT_EQ(raw_->get("tiny")->data.size(), 11u);
  auto s = stats(*z_);
  EXPECT_EQ(at(s, {"storedRaw"}), 2u);
  EXPECT_EQ(at(s, {"compressed"}), 0u);
}

TEST_F(Compress, CompressibleObjectsShrinkAndComeBackWhole) {
  std::string rows;
  for (int i = 0; i < 3000; i++) rows += R"({"id":"user-)" + std::to_string(i) + R"(","age":42})";
  ASSERT_EQ(z_->put("main/data/users/1", bytes(rows), {}), PutOutcome::kOk);
  Bytes stored = raw_->get("main/data/users/1")->data;
  EXPECT_EQ(stored[0], 0xC3) << "header byte: zstd";
  EXPECT_LT(stored.size(), rows.size() / 5);
  EXPECT_EQ(text(z_->get("main/data/users/1")->data), rows);
  auto s = stats(*z_);
  EXPECT_EQ(at(s, {"compressed"}), 1u);
  EXPECT_EQ(at(s, {"inflated"}), 1u);
  EXPECT_EQ(at(s, {"bytesSaved"}), rows.size() - stored.size());
  // Empty objects stay objects.
  z_->put("empty", Bytes{}, {});
  EXPECT_TRUE(z_->get("empty")->data.empty());
}

TEST_F(Compress, DamageIsCorruptNeverWrongData) {
  std::string rows;
  for (int i = 0; i < 500; i++) rows += "row " + std::to_string(i * 7919 % 1000) + ";";
  z_->put("main/data/t/x", bytes(rows), {});
  const Bytes good = raw_->get("main/data/t/x")->data;
  ASSERT_EQ(good[0], 0xC3);
  for (size_t i = 0; i < good.size(); i++) {
    Bytes bad = good;
    bad[i] ^= 0x01;
    raw_->put("main/data/t/x", bad, {});
    try {
      // zstd's frame checksum catches the rest: a read is whole or refused.
      ASSERT_EQ(text(z_->get("main/data/t/x")->data), rows) << "byte " << i;
    } catch (const bucketdb::Error &e) {
      ASSERT_EQ(e.status(), BDB_E_CORRUPT) << "byte " << i << ": " << e.what();
      ASSERT_NE(std::string(e.what()).find("main/data/t/x"), std::string::npos) << e.what();
    }
  }
  raw_->put("main/data/t/x", Bytes{}, {});
  EXPECT_EQ(error_of([&] { z_->get("main/data/t/x"); }).status(), BDB_E_CORRUPT);
  raw_->put("main/data/t/x", bytes("\x07garbage"), {});
  auto e = error_of([&] { z_->get("main/data/t/x"); });
  EXPECT_NE(std::string(e.what()).find("not written by the compress: layer"), std::string::npos);
}

TEST_F(Compress, LevelsAndOptions) {
  std::string rows(200000, 'a');
  for (size_t i = 0; i < rows.size(); i += 97) rows[i] = static_cast<char>('b' + i % 20);
  for (std::string level : {"-7", "1", "19"}) {
    auto z = open_store("compress:" + raw_uri_ + "?compress.level=" + level);
    z->put("lv" + level, bytes(rows), {});
    EXPECT_EQ(text(z->get("lv" + level)->data), rows) << level;
    EXPECT_EQ(stats(*z)["level"], std::stoi(level));
  }
  for (std::string bad :
       {"compress.level=20", "compress.level=x", "compress.min_size=-1", "compress.lvl=3"}) {
    auto e = error_of([&] { Storage::open("compress:" + raw_uri_ + "?" + bad); });
    EXPECT_EQ(e.status(), BDB_E_URI) << bad;
    EXPECT_NE(std::string(e.what()).find("compress."), std::string::npos) << e.what();
  }
  // min_size=0 tries every object; a 10-byte one still does not shrink.
  auto all = open_store("compress:" + raw_uri_ + "?compress.min_size=0");
  all->put("ten", bytes("aaaaaaaaaa"), {});
  EXPECT_EQ(raw_->get("ten")->data[0], 0x3C);
}

}  // namespace
}  // namespace bdblayers
