// crypt: the stored form, tampering, wrong and rotated keys, nonce freshness, configuration.
#include <cstdlib>
#include <set>

#include "layer_support.h"

namespace bdblayers {
namespace {

class Crypt : public ::testing::Test {
 protected:
  // A memory: store read raw (no layer) and through crypt with the given key file lines.
  std::string raw_uri_ = "memory:" + unique("crypt");
  TempDir dir_;
  std::unique_ptr<Storage> raw_ = open_store(raw_uri_);

  std::unique_ptr<Storage> crypt(const std::string &key_lines, const std::string &extra = "") {
    std::string file = write_file(dir_, unique("keys"), key_lines);
    return open_store("crypt:" + raw_uri_ + "?crypt.key_file=" + file + extra);
  }
  Bytes raw(const std::string &key) { return raw_->get(key)->data; }
  // The key id and nonce of a stored object (crypt_format.h).
  static std::string key_id(const Bytes &b) {
    return std::string(b.begin() + 7, b.begin() + 7 + b[6]);
  }
  static std::string nonce(const Bytes &b) {
    size_t at = 7 + b[6] + 8;
    return std::string(b.begin() + static_cast<long>(at), b.begin() + static_cast<long>(at + 12));
  }
};

TEST_F(Crypt, StoresCiphertextWithAHeaderNamingTheKey) {
  auto c = crypt("k1:" + hex_key(1) + "\n");
  std::string etag;
  ASSERT_EQ(c->put("t/secret", bytes("attack at dawn, attack at dawn"), {}, &etag),
            PutOutcome::kOk);
  Bytes stored = raw("t/secret");
  EXPECT_EQ(std::string(stored.begin(), stored.begin() + 4), "BDBC");
  EXPECT_EQ(key_id(stored), "k1");
  EXPECT_EQ(text(stored).find("attack"), std::string::npos) << "plaintext in the stored bytes";
  EXPECT_EQ(stored.size(), 30u + 31 + 2 + 16) << "header, ciphertext, tag";
  // The ETag is the inner store's, so conditional puts pass through unchanged.
  EXPECT_EQ(etag, raw_->get("t/secret")->etag);
  auto back = c->get("t/secret");
  ASSERT_TRUE(back);
  EXPECT_EQ(text(back->data), "attack at dawn, attack at dawn");
  EXPECT_EQ(back->etag, etag);
  auto s = stats(*c);
  EXPECT_EQ(at(s, {"encrypted"}), 1u);
  EXPECT_EQ(at(s, {"decrypted"}), 1u);
  EXPECT_EQ(s["currentKeyId"], "k1");
  EXPECT_TRUE(s["inner"].is_object());
}

TEST_F(Crypt, EveryFlippedByteIsCorruptNamingTheKey) {
  auto c = crypt("k1:" + hex_key(1) + "\n");
  ASSERT_EQ(c->put("main/data/t/1", random_bytes(200, 1), {}), PutOutcome::kOk);
  const Bytes good = raw("main/data/t/1");
  for (size_t i = 0; i < good.size(); i++) {
    Bytes bad = good;
    bad[i] ^= 0x20;
    raw_->put("main/data/t/1", bad, {});
    auto e = error_of([&] { c->get("main/data/t/1"); });
    ASSERT_EQ(e.status(), BDB_E_CORRUPT) << "byte " << i << ": " << e.what();
    ASSERT_NE(std::string(e.what()).find("main/data/t/1"), std::string::npos) << e.what();
  }
  for (size_t cut : {size_t{0}, size_t{3}, size_t{20}, good.size() - 1}) {
    raw_->put("main/data/t/1", Bytes(good.begin(), good.begin() + static_cast<long>(cut)), {});
    EXPECT_EQ(error_of([&] { c->get("main/data/t/1"); }).status(), BDB_E_CORRUPT) << cut;
  }
  // Whole and intact, but moved to another key: the key is authenticated too.
  raw_->put("main/data/t/2", good, {});
  auto e = error_of([&] { c->get("main/data/t/2"); });
  EXPECT_EQ(e.status(), BDB_E_CORRUPT) << e.what();
  raw_->put("main/data/t/1", good, {});
  EXPECT_EQ(c->get("main/data/t/1")->data, random_bytes(200, 1));
  EXPECT_GE(at(stats(*c), {"corrupt"}), good.size());
}

TEST_F(Crypt, PlaintextObjectIsReportedAsNotEncrypted) {
  raw_->put("plain", bytes("written without the layer"), {});
  auto e = error_of([&] { crypt("k1:" + hex_key(1))->get("plain"); });
  EXPECT_EQ(e.status(), BDB_E_CORRUPT);
  EXPECT_NE(std::string(e.what()).find("not a crypt object"), std::string::npos) << e.what();
}

TEST_F(Crypt, WrongKeyIsAClearErrorNamingTheKeyId) {
  crypt("k1:" + hex_key(1))->put("obj", bytes("v"), {});
  // Same id, other key material.
  auto e = error_of([&] { crypt("k1:" + hex_key(2))->get("obj"); });
  EXPECT_EQ(e.status(), BDB_E_PERMISSION) << e.what();
  EXPECT_NE(std::string(e.what()).find("wrong key"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("'k1'"), std::string::npos) << e.what();
  // An id that is not configured at all.
  e = error_of([&] { crypt("k2:" + hex_key(2))->get("obj"); });
  EXPECT_EQ(e.status(), BDB_E_PERMISSION) << e.what();
  EXPECT_NE(std::string(e.what()).find("key id 'k1', which is not configured (configured: k2)"),
            std::string::npos)
      << e.what();
}

TEST_F(Crypt, RotationKeepsOldObjectsReadable) {
  crypt("k1:" + hex_key(1) + "\n")->put("old", bytes("written with k1"), {});
  // Rotate: the new key appended (the last listed encrypts), the old one kept for reading.
  auto rotated = crypt("k1:" + hex_key(1) + "\nk2:" + hex_key(2) + "\n");
  EXPECT_EQ(text(rotated->get("old")->data), "written with k1");
  rotated->put("new", bytes("written with k2"), {});
  EXPECT_EQ(key_id(raw("new")), "k2");
  EXPECT_EQ(key_id(raw("old")), "k1");
  // Rewriting an old object re-encrypts it with the current key.
  rotated->put("old", bytes("rewritten"), {});
  EXPECT_EQ(key_id(raw("old")), "k2");
  // crypt.key_id picks the current key explicitly.
  auto pinned = crypt("k1:" + hex_key(1) + "\nk2:" + hex_key(2) + "\n", "&crypt.key_id=k1");
  pinned->put("pinned", bytes("v"), {});
  EXPECT_EQ(key_id(raw("pinned")), "k1");
  EXPECT_EQ(text(pinned->get("new")->data), "written with k2");
  // A node that has only the old key cannot read the new objects, and says which key it lacks.
  auto e = error_of([&] { crypt("k1:" + hex_key(1))->get("new"); });
  EXPECT_NE(std::string(e.what()).find("'k2'"), std::string::npos) << e.what();
}

TEST_F(Crypt, EveryObjectGetsAFreshNonce) {
  auto c = crypt("k1:" + hex_key(1));
  std::set<std::string> nonces, bodies;
  for (int i = 0; i < 300; i++) {
    // The same bytes to the same key, and to other keys.
    std::string key = i % 2 ? "same" : "k/" + std::to_string(i);
    c->put(key, bytes("identical plaintext"), {});
    Bytes stored = raw(key);
    nonces.insert(nonce(stored));
    bodies.insert(text(stored));
  }
  EXPECT_EQ(nonces.size(), 300u);
  EXPECT_EQ(bodies.size(), 300u);
}

TEST_F(Crypt, KeyFromTheEnvironmentHasAFingerprintIdOrTheNamedOne) {
  ::setenv("BUCKETDB_CRYPT_KEY", hex_key(5).c_str(), 1);
  auto c = open_store("crypt:" + raw_uri_);
  c->put("a", bytes("v"), {});
  EXPECT_EQ(key_id(raw("a")).rfind("fp-", 0), 0u) << key_id(raw("a"));
  EXPECT_EQ(key_id(raw("a")).size(), 15u);
  auto named = open_store("crypt:" + raw_uri_ + "?crypt.key_id=main");
  named->put("b", bytes("v"), {});
  EXPECT_EQ(key_id(raw("b")), "main");
  ::setenv("BUCKETDB_CRYPT_KEYS", ("old:" + hex_key(5) + ", new:" + hex_key(6)).c_str(), 1);
  auto many = open_store("crypt:" + raw_uri_);  // BUCKETDB_CRYPT_KEYS wins over _KEY
  many->put("c", bytes("v"), {});
  EXPECT_EQ(key_id(raw("c")), "new");
  ::unsetenv("BUCKETDB_CRYPT_KEYS");
  ::unsetenv("BUCKETDB_CRYPT_KEY");
}

TEST_F(Crypt, ConfigurationErrorsSayWhatToDo) {
  ::unsetenv("BUCKETDB_CRYPT_KEY");
  ::unsetenv("BUCKETDB_CRYPT_KEYS");
  auto message = [&](const std::string &uri) {
    auto e = error_of([&] { Storage::open(uri); });
    EXPECT_EQ(e.status(), BDB_E_URI) << e.what();
    return std::string(e.what());
  };
  EXPECT_NE(message("crypt:" + raw_uri_).find("BUCKETDB_CRYPT_KEY"), std::string::npos);
  std::string short_key = write_file(dir_, "short", "abc123\n");
  EXPECT_NE(message("crypt:" + raw_uri_ + "?crypt.key_file=" + short_key).find("64 hex digits"),
            std::string::npos);
  std::string good = write_file(dir_, "good", "# comment\n\nk1:" + hex_key(1) + "\n");
  EXPECT_NE(message("crypt:" + raw_uri_ + "?crypt.key_file=" + good + "&crypt.key_id=k9")
                .find("crypt.key_id 'k9' is not among the keys"),
            std::string::npos);
  EXPECT_NE(message("crypt:" + raw_uri_ + "?crypt.key_file=" + good + "&crypt.kye_id=k1")
                .find("unknown option crypt.kye_id"),
            std::string::npos);
  EXPECT_NE(
      message("crypt:" + raw_uri_ + "?crypt.key_file=" + dir_.path() + "/none").find("cannot read"),
      std::string::npos);
  std::string dup = write_file(dir_, "dup", "a:" + hex_key(1) + "\na:" + hex_key(2) + "\n");
  EXPECT_NE(message("crypt:" + raw_uri_ + "?crypt.key_file=" + dup).find("listed twice"),
            std::string::npos);
  EXPECT_NE(message("crypt:?crypt.key_file=" + good).find("no inner URI"), std::string::npos);
}

}  // namespace
}  // namespace bdblayers
