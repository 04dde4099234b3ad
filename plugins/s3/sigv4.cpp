#include "sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <stdexcept>

namespace bdbs3 {

std::string hex(const unsigned char *data, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 15];
  }
  return out;
}

std::string sha256_hex(const void *data, size_t n) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data, n, md, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return hex(md, len);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char *>(data.data()), data.size(), md, &len))
    throw std::runtime_error("HMAC-SHA256 failed");
  return std::string(reinterpret_cast<const char *>(md), len);
}

std::string uri_encode(std::string_view s, bool keep_slash) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
  return out;
}

std::string canonical_query(const Pairs &query) {
  std::vector<std::pair<std::string, std::string>> enc;
  enc.reserve(query.size());
  for (const auto &[k, v] : query) enc.emplace_back(uri_encode(k, false), uri_encode(v, false));
  std::sort(enc.begin(), enc.end());
  std::string out;
  for (const auto &[k, v] : enc) {
    if (!out.empty()) out += '&';
    out.append(k).append(1, '=').append(v);
  }
  return out;
}

namespace {

std::string lower(std::string s) {
  for (char &c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Trims the value and collapses each run of spaces inside it into one.
std::string trim_all(const std::string &v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::pair<std::string, std::string> canonical_headers(const Pairs &headers) {
  // Stable sort by name keeps repeated headers in the order given, as the spec asks.
  std::vector<std::pair<std::string, std::string>> h;
  for (const auto &[k, v] : headers) h.emplace_back(lower(k), trim_all(v));
  std::stable_sort(h.begin(), h.end(),
                   [](const auto &a, const auto &b) { return a.first < b.first; });
  std::string lines, names;
  for (size_t i = 0; i < h.size(); i++) {
    if (i > 0 && h[i].first == h[i - 1].first) {
      lines.back() = ',';  // replace the '\n' of the previous line: "name:v1,v2"
      lines += h[i].second + "\n";
      continue;
    }
    lines += h[i].first + ":" + h[i].second + "\n";
    if (!names.empty()) names += ';';
    names += h[i].first;
  }
  return {lines, names};
}

std::string canonical_request(const SigningRequest &r) {
  auto [lines, names] = canonical_headers(r.headers);
  return r.method + "\n" + r.canonical_uri + "\n" + canonical_query(r.query) + "\n" + lines + "\n" +
         names + "\n" + r.payload_hash;
}

std::string credential_scope(const SigningRequest &r) {
  return r.amz_date.substr(0, 8) + "/" + r.region + "/" + r.service + "/aws4_request";
}

std::string string_to_sign(const SigningRequest &r) {
  std::string creq = canonical_request(r);
  return "AWS4-HMAC-SHA256\n" + r.amz_date + "\n" + credential_scope(r) + "\n" +
         sha256_hex(creq.data(), creq.size());
}

std::string signing_key(std::string_view secret, const SigningRequest &r) {
  std::string k = hmac_sha256("AWS4" + std::string(secret), r.amz_date.substr(0, 8));
  k = hmac_sha256(k, r.region);
  k = hmac_sha256(k, r.service);
  return hmac_sha256(k, "aws4_request");
}

std::string signature(const SigningRequest &r, std::string_view secret) {
  std::string mac = hmac_sha256(signing_key(secret, r), string_to_sign(r));
  return hex(reinterpret_cast<const unsigned char *>(mac.data()), mac.size());
}

std::string authorization(const SigningRequest &r, const Credentials &c) {
  return "AWS4-HMAC-SHA256 Credential=" + c.access_key_id + "/" + credential_scope(r) +
         ", SignedHeaders=" + canonical_headers(r.headers).second +
         ", Signature=" + signature(r, c.secret_access_key);
}

std::string amz_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[20];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace bdbs3
