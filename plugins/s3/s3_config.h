// The s3 driver's configuration: the URI "s3://bucket[/key/prefix]?option=value&..." (the
// driver sees it without "s3:") plus the AWS environment variables.
#pragma once

#include <functional>
#include <string>

#include "sigv4.h"

namespace bdbs3 {

enum class IfMatchForm {
  kAuto,      // quoted as AWS returns it; unquoted from the first sign that the server wants that
  kQuoted,    // "etag"
  kUnquoted,  // etag (Ceph RGW 16 compares If-Match on PUT byte for byte with its bare ETag)
};

struct Config {
  std::string bucket;
  std::string key_prefix;  // "" or "some/prefix/", prepended to every key
  std::string scheme;      // "http" or "https"
  std::string host;        // endpoint host; an IPv6 address keeps its brackets
  int port = 0;            // 0: the scheme's default
  std::string region;
  bool virtual_host = false;
  bool unsigned_payload = false;
  IfMatchForm if_match = IfMatchForm::kAuto;
  bool conditional_writes = true;  // false for stores without them (Backblaze B2)
  std::string ca_bundle;
  long connect_timeout_ms = 5000;
  long request_timeout_ms = 60000;
  int max_retries = 4;      // attempts = 1 + max_retries
  int retry_base_ms = 100;  // first backoff ceiling; doubles per retry (full jitter)
  int retry_max_ms = 5000;
  int page_size = 1000;  // ListObjectsV2 max-keys
  Credentials credentials;

  // "http://host:port" for requests, with "bucket." in front for virtual-host style.
  std::string origin() const;
  // The Host header (and signed host): host[:port], port only when not the default.
  std::string host_header() const;
  // The request path of a key ("" for the bucket itself), encoded as it is sent and signed.
  std::string path_for(const std::string &full_key) const;
  // "s3://bucket/prefix/ at http://127.0.0.1:7480" for messages; never holds a secret.
  std::string describe() const;
};

using EnvFn = std::function<const char *(const char *name)>;

// Parses config (e.g. "//bucket/db?endpoint=http://127.0.0.1:7480&style=path"), reading the
// AWS_* variables through env. Returns BDB_DRV_OK, or BDB_DRV_INVALID / BDB_DRV_PERMISSION
// (no credentials) with *why.
int parse_config(const std::string &config, const EnvFn &env, Config *out, std::string *why);

// The options parse_config knows, for messages and the README.
extern const char *const kKnownOptions;

}  // namespace bdbs3
