// The crypt layer's object format: AES-256-GCM, a fresh random 96-bit nonce per object.
//
//   offset      size  field
//   0           4     magic "BDBC"
//   4           1     format version (1)
//   5           1     flags: bit 0 = the object's key is authenticated too (always set on write)
//   6           1     key id length L (1-64)
//   7           L     key id (ASCII)
//   7+L         8     key check: a hash of the key, to tell a wrong key from tampering
//   15+L        12    nonce
//   27+L        4     header check: the first 4 bytes of SHA-256 of the bytes before it
//   31+L        n     ciphertext (as long as the plaintext)
//   31+L+n      16    GCM tag
//
// The GCM additional data is the header (bytes 0 to 31+L) followed by the object's key, so
// neither a header byte nor a move of the object to another key goes unnoticed. The header
// check only makes a damaged key id read as damage, not as an unknown key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "crypt_keys.h"
#include "layer.h"

namespace bdbcrypt {

constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;
constexpr uint8_t kVersion = 1;
constexpr uint8_t kFlagKeyBound = 1;

struct Header {
  uint8_t version = 0;
  uint8_t flags = 0;
  std::string key_id;
  unsigned char check[kCheckBytes] = {};
  unsigned char nonce[kNonceBytes] = {};
  size_t size = 0;  // header bytes, up to the ciphertext
};

enum class Opened { kOk, kCorrupt, kUnknownKey, kWrongKey, kFailed };

// Encrypts data for object `key` with `k` into out. False (with *why) when OpenSSL fails.
bool seal(const Key &k, const char *key, const void *data, size_t n, bdbdrv::MallocBuffer *out,
          std::string *why);

// Decrypts an object; *why says what is wrong otherwise (naming the key id where it matters).
Opened open(const Keyring &keys, const char *key, const unsigned char *in, size_t n,
            bdbdrv::MallocBuffer *out, size_t *out_n, std::string *why);

// Reads the header alone (for messages and tests); false with *why when it is not one.
bool parse_header(const unsigned char *in, size_t n, Header *h, std::string *why);

}  // namespace bdbcrypt
