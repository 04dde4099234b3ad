// The crypt layer's keys: where they come from, their ids, and which one encrypts new objects.
//
// Sources, the first one present wins:
//   crypt.key_file=PATH      one key a line, "ID:HEX" or "HEX"; '#' starts a comment line
//   BUCKETDB_CRYPT_KEYS      "ID:HEX,ID:HEX,..." (commas or white space between keys)
//   BUCKETDB_CRYPT_KEY       "HEX" (or "ID:HEX")
// HEX is 64 hex digits (32 bytes, e.g. `openssl rand -hex 32`). An ID is 1-64 characters of
// [A-Za-z0-9._-]. A key without an ID takes crypt.key_id when it is the only key, else a
// fingerprint id "fp-" + 12 hex digits of a hash of the key.
// The current key (new objects) is crypt.key_id, or else the last key listed; every listed key
// can read. So rotation is: append the new key, keep the old ones.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace bdbcrypt {

constexpr size_t kKeyBytes = 32;
constexpr size_t kCheckBytes = 8;
constexpr size_t kMaxKeyId = 64;

struct Key {
  std::string id;
  unsigned char bytes[kKeyBytes];
  // A hash of the key stored in each object's header, so that a different key under the same
  // id is reported as a wrong key rather than as tampering. Reveals nothing useful of the key.
  unsigned char check[kCheckBytes];
};

class Keyring {
 public:
  Keyring() = default;
  ~Keyring();
  Keyring(const Keyring &) = delete;
  Keyring &operator=(const Keyring &) = delete;

  // Loads the keys from opts ("key_file", "key_id") and the environment.
  bool load(const std::map<std::string, std::string> &opts, std::string *why);

  const Key &current() const { return keys_[current_]; }
  const Key *find(const std::string &id) const;
  std::string ids() const;  // "a, b" for messages
  size_t size() const { return keys_.size(); }

 private:
  bool add(const std::string &entry, const std::string &source, std::string *why);
  std::vector<Key> keys_;
  size_t current_ = 0;
};

bool valid_key_id(const std::string &id);

}  // namespace bdbcrypt
