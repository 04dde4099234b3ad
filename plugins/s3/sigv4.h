// AWS Signature Version 4 for S3 requests sent with an Authorization header: canonical
// request, string to sign, signing key and the header itself. Pure functions over strings, so
// the unit tests can check each step against the examples AWS publishes.
#pragma once

#include <cstddef>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bdbs3 {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// The payload hash S3 accepts when the body is not hashed (x-amz-content-sha256).
inline constexpr const char *kUnsignedPayload = "UNSIGNED-PAYLOAD";

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty: long-term keys
};

struct SigningRequest {
  std::string method;         // "GET", "PUT", ...
  std::string canonical_uri;  // the path exactly as sent: already encoded (uri_encode_path)
  Pairs query;                // raw names and values; encoded and sorted when signing
  Pairs headers;              // every header to sign (host, x-amz-date, x-amz-content-sha256...)
  std::string payload_hash;   // lowercase hex SHA-256 of the body, or kUnsignedPayload
  std::string amz_date;       // "YYYYMMDDTHHMMSSZ", UTC
  std::string region;
  std::string service = "s3";
};

// Lowercase hex of data.
std::string hex(const unsigned char *data, size_t n);
std::string sha256_hex(const void *data, size_t n);
// Raw HMAC-SHA256 (32 bytes).
std::string hmac_sha256(std::string_view key, std::string_view data);

// RFC 3986 percent-encoding as SigV4 wants it: every byte but A-Z a-z 0-9 - . _ ~ becomes %XX
// (uppercase hex); '/' is kept when keep_slash (paths) and encoded otherwise (query parts).
std::string uri_encode(std::string_view s, bool keep_slash);
// "/" + the key with each byte encoded but '/': S3 paths are not normalised, so "a//b" and
// "./x" stay as they are.
inline std::string uri_encode_path(std::string_view key) {
  return "/" + uri_encode(key, true);
}

// "name=value&..." with names and values encoded, sorted by encoded name, then value. This is
// both the canonical query and the query string to send.
std::string canonical_query(const Pairs &query);
// Header lines "name:value\n" (lowercase names, trimmed values with inner runs of spaces
// collapsed, repeated names joined with ',') and the ';'-joined signed header names.
std::pair<std::string, std::string> canonical_headers(const Pairs &headers);

std::string canonical_request(const SigningRequest &r);
// "YYYYMMDD/region/service/aws4_request"
std::string credential_scope(const SigningRequest &r);
std::string string_to_sign(const SigningRequest &r);
// The derived key for the request's date, region and service (raw 32 bytes).
std::string signing_key(std::string_view secret, const SigningRequest &r);
// Lowercase hex signature of the request.
std::string signature(const SigningRequest &r, std::string_view secret);
// The whole Authorization header value.
std::string authorization(const SigningRequest &r, const Credentials &c);

// "YYYYMMDDTHHMMSSZ" for t (UTC).
std::string amz_date(std::time_t t);

}  // namespace bdbs3
