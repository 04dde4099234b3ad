#include "crypt_format.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

namespace bdbcrypt {

namespace {

constexpr unsigned char kMagic[4] = {'B', 'D', 'B', 'C'};
constexpr size_t kHeaderCheckBytes = 4;
// EVP takes int lengths: feed big objects in pieces.
constexpr size_t kPiece = size_t{1} << 30;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX *c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

void header_check(const unsigned char *p, size_t n, unsigned char out[kHeaderCheckBytes]) {
  unsigned char h[32];
  unsigned int len = 0;
  EVP_Digest(p, n, h, &len, EVP_sha256(), nullptr);
  std::memcpy(out, h, kHeaderCheckBytes);
}

// Runs the cipher over in (n bytes) into out, then the object key and header as AAD first.
bool crypt_update(EVP_CIPHER_CTX *c, bool encrypt, const unsigned char *in, size_t n,
                  unsigned char *out) {
  for (size_t done = 0; done < n;) {
    int take = static_cast<int>(std::min(kPiece, n - done)), len = 0;
    int ok = encrypt ? EVP_EncryptUpdate(c, out + done, &len, in + done, take)
                     : EVP_DecryptUpdate(c, out + done, &len, in + done, take);
    if (ok != 1 || len != take) return false;
    done += static_cast<size_t>(take);
  }
  return true;
}

bool add_aad(EVP_CIPHER_CTX *c, bool encrypt, const unsigned char *header, size_t header_size,
             const char *key, bool bind) {
  int len = 0;
  auto aad = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate;
  if (aad(c, nullptr, &len, header, static_cast<int>(header_size)) != 1) return false;
  if (bind && *key &&
      aad(c, nullptr, &len, reinterpret_cast<const unsigned char *>(key),
          static_cast<int>(std::strlen(key))) != 1)
    return false;
  return true;
}

}  // namespace

bool parse_header(const unsigned char *in, size_t n, Header *h, std::string *why) {
  if (n < 4 || std::memcmp(in, kMagic, 4) != 0) {
    *why = "not a crypt object (no BDBC header): written without the crypt: layer, or damaged";
    return false;
  }
  if (n < 7) {
    *why = "truncated crypt header";
    return false;
  }
  h->version = in[4];
  h->flags = in[5];
  size_t id_len = in[6];
  if (h->version != kVersion) {
    *why = "unsupported crypt format version " + std::to_string(h->version) +
           " (damaged, or "
           "written by a newer BucketDB)";
    return false;
  }
  h->size = 7 + id_len + kCheckBytes + kNonceBytes + kHeaderCheckBytes;
  if (id_len == 0 || id_len > kMaxKeyId || n < h->size + kTagBytes) {
    *why = "truncated or damaged crypt header";
    return false;
  }
  unsigned char check[kHeaderCheckBytes];
  header_check(in, h->size - kHeaderCheckBytes, check);
  if (std::memcmp(check, in + h->size - kHeaderCheckBytes, kHeaderCheckBytes) != 0) {
    *why = "damaged crypt header (header check mismatch)";
    return false;
  }
  h->key_id.assign(reinterpret_cast<const char *>(in + 7), id_len);
  std::memcpy(h->check, in + 7 + id_len, kCheckBytes);
  std::memcpy(h->nonce, in + 7 + id_len + kCheckBytes, kNonceBytes);
  return true;
}

bool seal(const Key &k, const char *key, const void *data, size_t n, bdbdrv::MallocBuffer *out,
          std::string *why) {
  const size_t id_len = k.id.size();
  const size_t header = 7 + id_len + kCheckBytes + kNonceBytes + kHeaderCheckBytes;
  if (n > SIZE_MAX - header - kTagBytes) {
    *why = "object too large";
    return false;
  }
  bdbdrv::MallocBuffer buf(header + n + kTagBytes);
  if (!buf.p) {
    *why = "out of memory";
    return false;
  }
  unsigned char *p = buf.p;
  std::memcpy(p, kMagic, 4);
  p[4] = kVersion;
  p[5] = kFlagKeyBound;
  p[6] = static_cast<unsigned char>(id_len);
  std::memcpy(p + 7, k.id.data(), id_len);
  std::memcpy(p + 7 + id_len, k.check, kCheckBytes);
  unsigned char *nonce = p + 7 + id_len + kCheckBytes;
  if (RAND_bytes(nonce, static_cast<int>(kNonceBytes)) != 1) {
    *why = "no random nonce (RAND_bytes failed)";
    return false;
  }
  header_check(p, header - kHeaderCheckBytes, p + header - kHeaderCheckBytes);

  Ctx c(EVP_CIPHER_CTX_new());
  if (!c || EVP_EncryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_EncryptInit_ex(c.get(), nullptr, nullptr, k.bytes, nonce) != 1 ||
      !add_aad(c.get(), true, p, header, key, true) ||
      !crypt_update(c.get(), true, static_cast<const unsigned char *>(data), n, p + header)) {
    *why = "AES-256-GCM encryption failed";
    return false;
  }
  int len = 0;
  if (EVP_EncryptFinal_ex(c.get(), p + header + n, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, p + header + n) != 1) {
    *why = "AES-256-GCM encryption failed";
    return false;
  }
  out->p = buf.release();
  out->n = header + n + kTagBytes;
  return true;
}

Opened open(const Keyring &keys, const char *key, const unsigned char *in, size_t n,
            bdbdrv::MallocBuffer *out, size_t *out_n, std::string *why) {
  Header h;
  if (!parse_header(in, n, &h, why)) return Opened::kCorrupt;
  const Key *k = keys.find(h.key_id);
  if (!k) {
    *why = "encrypted with key id '" + h.key_id +
           "', which is not configured (configured: " + keys.ids() +
           "); add it to BUCKETDB_CRYPT_KEYS or the key file";
    return Opened::kUnknownKey;
  }
  if (CRYPTO_memcmp(k->check, h.check, kCheckBytes) != 0) {
    *why = "wrong key: the key configured as '" + h.key_id +
           "' is not the one this object was encrypted with";
    return Opened::kWrongKey;
  }
  const size_t body = n - h.size - kTagBytes;
  bdbdrv::MallocBuffer buf(body);
  if (!buf.p) {
    *why = "out of memory";
    return Opened::kFailed;
  }
  Ctx c(EVP_CIPHER_CTX_new());
  unsigned char tag[kTagBytes];
  std::memcpy(tag, in + h.size + body, kTagBytes);
  if (!c || EVP_DecryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_DecryptInit_ex(c.get(), nullptr, nullptr, k->bytes, h.nonce) != 1 ||
      !add_aad(c.get(), false, in, h.size, key, (h.flags & kFlagKeyBound) != 0) ||
      !crypt_update(c.get(), false, in + h.size, body, buf.p) ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag) != 1) {
    *why = "AES-256-GCM decryption failed";
    return Opened::kFailed;
  }
  int len = 0;
  if (EVP_DecryptFinal_ex(c.get(), buf.p + body, &len) != 1) {
    OPENSSL_cleanse(buf.p, body);
    *why = "authentication failed (key id '" + h.key_id +
           "'): the object was modified after it was written (tampering or damage), or "
           "moved from another key";
    return Opened::kCorrupt;
  }
  *out_n = body;
  out->p = buf.release();
  out->n = body;
  return Opened::kOk;
}

}  // namespace bdbcrypt
