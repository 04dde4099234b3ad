#include "crypt_keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>
#include <cstring>
#include <fstream>

namespace bdbcrypt {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// SHA-256 of a domain label and the key: distinct labels give unrelated values.
void derive(const char *label, const unsigned char *key, unsigned char out[32]) {
  unsigned char in[64 + kKeyBytes];
  size_t n = std::strlen(label) + 1;  // with its NUL, so labels cannot run into the key
  std::memcpy(in, label, n);
  std::memcpy(in + n, key, kKeyBytes);
  unsigned int len = 0;
  EVP_Digest(in, n + kKeyBytes, out, &len, EVP_sha256(), nullptr);
  OPENSSL_cleanse(in, sizeof in);
}

std::string hex(const unsigned char *p, size_t n) {
  static const char *digits = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; i++) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

}  // namespace

bool valid_key_id(const std::string &id) {
  if (id.empty() || id.size() > kMaxKeyId) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '_' || c == '-'))
      return false;
  return true;
}

Keyring::~Keyring() {
  for (auto &k : keys_) OPENSSL_cleanse(k.bytes, sizeof k.bytes);
}

const Key *Keyring::find(const std::string &id) const {
  for (const auto &k : keys_)
    if (k.id == id) return &k;
  return nullptr;
}

std::string Keyring::ids() const {
  std::string s;
  for (const auto &k : keys_) s += (s.empty() ? "" : ", ") + k.id;
  return s;
}

bool Keyring::add(const std::string &entry, const std::string &source, std::string *why) {
  std::string id, digits = entry;
  size_t colon = entry.find(':');
  if (colon != std::string::npos) {
    id = trim(entry.substr(0, colon));
    digits = trim(entry.substr(colon + 1));
    if (!valid_key_id(id)) {
      *why = source + ": bad key id '" + id + "' (1-64 characters of A-Z a-z 0-9 . _ -)";
      return false;
    }
  }
  if (digits.size() != 2 * kKeyBytes) {
    *why = source + ": a key must be 64 hex digits (32 bytes; e.g. `openssl rand -hex 32`), got " +
           std::to_string(digits.size()) + " characters" +
           (id.empty() ? "" : " for key '" + id + "'");
    return false;
  }
  Key k{};
  for (size_t i = 0; i < kKeyBytes; i++) {
    int hi = hex_digit(digits[2 * i]), lo = hex_digit(digits[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      OPENSSL_cleanse(k.bytes, sizeof k.bytes);
      *why = source + ": a key must be 64 hex digits" +
             (id.empty() ? std::string() : " (key '" + id + "')");
      return false;
    }
    k.bytes[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  unsigned char h[32];
  derive("bucketdb crypt key check", k.bytes, h);
  std::memcpy(k.check, h, kCheckBytes);
  derive("bucketdb crypt key id", k.bytes, h);
  k.id = id.empty() ? "fp-" + hex(h, 6) : id;
  if (find(k.id)) {
    OPENSSL_cleanse(k.bytes, sizeof k.bytes);
    *why = source + ": key id '" + k.id + "' is listed twice";
    return false;
  }
  keys_.push_back(k);
  OPENSSL_cleanse(k.bytes, sizeof k.bytes);
  return true;
}

bool Keyring::load(const std::map<std::string, std::string> &opts, std::string *why) {
  auto opt = [&](const char *name) {
    auto it = opts.find(name);
    return it == opts.end() ? std::string() : it->second;
  };
  std::string key_file = opt("key_file"), key_id = opt("key_id");
  std::vector<std::string> entries;
  std::string source;
  if (!key_file.empty()) {
    source = "crypt.key_file " + key_file;
    std::ifstream in(key_file);
    if (!in) {
      *why = "cannot read " + source + ": " + std::strerror(errno);
      return false;
    }
    std::string line;
    while (std::getline(in, line)) {
      line = trim(line);
      if (!line.empty() && line[0] != '#') entries.push_back(line);
    }
  } else if (const char *many = std::getenv("BUCKETDB_CRYPT_KEYS"); many && *many) {
    source = "BUCKETDB_CRYPT_KEYS";
    std::string s = many, cur;
    for (char c : s + ",") {
      if (c == ',' || c == ' ' || c == '\t' || c == '\n') {
        if (!trim(cur).empty()) entries.push_back(trim(cur));
        cur.clear();
      } else {
        cur += c;
      }
    }
  } else if (const char *one = std::getenv("BUCKETDB_CRYPT_KEY"); one && *one) {
    source = "BUCKETDB_CRYPT_KEY";
    entries.push_back(trim(one));
  }
  if (entries.empty()) {
    *why = source.empty() ? "no key: set BUCKETDB_CRYPT_KEY to 64 hex digits (e.g. `openssl "
                            "rand -hex 32`), BUCKETDB_CRYPT_KEYS=ID:HEX,..., or "
                            "crypt.key_file=PATH"
                          : source + " holds no key";
    return false;
  }
  // A lone key without an id is named by crypt.key_id.
  if (entries.size() == 1 && !key_id.empty() && entries[0].find(':') == std::string::npos)
    entries[0] = key_id + ":" + entries[0];
  for (auto &e : entries) {
    bool ok = add(e, source, why);
    OPENSSL_cleanse(&e[0], e.size());
    if (!ok) return false;
  }
  current_ = keys_.size() - 1;
  if (!key_id.empty()) {
    const Key *k = find(key_id);
    if (!k) {
      *why =
          "crypt.key_id '" + key_id + "' is not among the keys of " + source + " (" + ids() + ")";
      return false;
    }
    current_ = static_cast<size_t>(k - keys_.data());
  }
  return true;
}

}  // namespace bdbcrypt
