#include "s3_config.h"

#include <bucketdb/driver.h>

#include <map>

#include "s3_xml.h"
#include "uri_options.h"

namespace bdbs3 {

const char *const kKnownOptions =
    "endpoint, region, style, payload, if_match, conditional_writes, ca_bundle, "
    "connect_timeout_ms, timeout_ms, retries, retry_base_ms, retry_max_ms, page";

namespace {

bool parse_number(const std::string &text, long lo, long hi, long *out) {
  if (text.empty() || text.size() > 9) return false;
  long v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < lo || v > hi) return false;
  *out = v;
  return true;
}

// Bucket names S3 accepts in a path; virtual-host style needs a DNS label form on top.
bool valid_bucket(const std::string &b, bool dns) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b) {
    bool lower_digit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (dns ? !lower_digit : !(lower_digit || (c >= 'A' && c <= 'Z') || c == '_')) return false;
  }
  return true;
}

// "http[s]://host[:port][/]" into the config; false with *why.
bool parse_endpoint(const std::string &ep, Config *c, std::string *why) {
  std::string rest = ep;
  size_t sep = rest.find("://");
  if (sep == std::string::npos) {
    c->scheme = "https";
  } else {
    c->scheme = rest.substr(0, sep);
    for (char &ch : c->scheme)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    rest = rest.substr(sep + 3);
  }
  if (c->scheme != "http" && c->scheme != "https") {
    *why = "endpoint '" + ep + "': the scheme must be http or https";
    return false;
  }
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find_first_of("/?#@ ") != std::string::npos || rest.empty()) {
    *why = "endpoint '" + ep + "': expected scheme://host[:port] with no path or user";
    return false;
  }
  std::string port;
  if (rest[0] == '[') {  // [IPv6]:port
    size_t close = rest.find(']');
    if (close == std::string::npos) {
      *why = "endpoint '" + ep + "': unterminated IPv6 address";
      return false;
    }
    c->host = rest.substr(0, close + 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') {
        *why = "endpoint '" + ep + "': junk after the IPv6 address";
        return false;
      }
      port = rest.substr(close + 2);
    }
  } else {
    size_t colon = rest.rfind(':');
    c->host = rest.substr(0, colon);
    if (colon != std::string::npos) port = rest.substr(colon + 1);
  }
  c->port = 0;
  if (!port.empty() || rest.back() == ':') {
    long p = 0;
    if (!parse_number(port, 1, 65535, &p)) {
      *why = "endpoint '" + ep + "': bad port '" + port + "'";
      return false;
    }
    bool default_port = (c->scheme == "http" && p == 80) || (c->scheme == "https" && p == 443);
    c->port = default_port ? 0 : static_cast<int>(p);
  }
  if (c->host.empty()) {
    *why = "endpoint '" + ep + "': no host";
    return false;
  }
  return true;
}

const char *env_value(const EnvFn &env, const char *name) {
  const char *v = env ? env(name) : nullptr;
  return v && *v ? v : nullptr;
}

}  // namespace

std::string Config::host_header() const {
  std::string h = virtual_host ? bucket + "." + host : host;
  if (port) h += ":" + std::to_string(port);
  return h;
}

std::string Config::origin() const {
  return scheme + "://" + host_header();
}

std::string Config::path_for(const std::string &full_key) const {
  if (virtual_host) return uri_encode_path(full_key);
  return "/" + uri_encode(bucket, false) + (full_key.empty() ? "" : uri_encode_path(full_key));
}

std::string Config::describe() const {
  return "s3://" + bucket + "/" + key_prefix + " at " + scheme + "://" + host +
         (port ? ":" + std::to_string(port) : "") + (virtual_host ? " (virtual-host style)" : "");
}

int parse_config(const std::string &config, const EnvFn &env, Config *out, std::string *why) {
  Config c;
  std::string text = config;
  if (text.rfind("//", 0) == 0) text = text.substr(2);
  std::map<std::string, std::string> opts;
  std::string location;
  if (!bdbdrv::parse_config(text, &location, &opts, why)) return BDB_DRV_INVALID;

  size_t slash = location.find('/');
  std::string prefix;
  if (!bdbdrv::percent_decode(location.substr(0, slash), &c.bucket) ||
      (slash != std::string::npos &&
       !bdbdrv::percent_decode(location.substr(slash + 1), &prefix))) {
    *why = "malformed percent-encoding in '" + location + "'";
    return BDB_DRV_INVALID;
  }
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  while (!prefix.empty() && prefix.front() == '/') prefix.erase(0, 1);
  c.key_prefix = prefix.empty() ? "" : prefix + "/";
  if (c.bucket.empty()) {
    *why = "no bucket: expected s3://bucket[/prefix][?options]";
    return BDB_DRV_INVALID;
  }

  auto take = [&](const char *name) -> const std::string * {
    auto it = opts.find(name);
    return it == opts.end() ? nullptr : &it->second;
  };
  auto number = [&](const char *name, long lo, long hi, long *dst) {
    const std::string *v = take(name);
    if (!v) return true;
    if (parse_number(*v, lo, hi, dst)) return true;
    *why = std::string(name) + " must be a whole number from " + std::to_string(lo) + " to " +
           std::to_string(hi) + ", not '" + *v + "'";
    return false;
  };
  for (const auto &kv : opts) {
    std::string known = std::string(", ") + kKnownOptions + ",";
    if (known.find(", " + kv.first + ",") == std::string::npos) {
      *why = "unknown option '" + kv.first + "' (known: " + kKnownOptions + ")";
      return BDB_DRV_INVALID;
    }
  }

  // Region: option, then AWS_REGION, then AWS_DEFAULT_REGION.
  if (const std::string *r = take("region")) {
    c.region = *r;
  } else if (const char *r2 = env_value(env, "AWS_REGION")) {
    c.region = r2;
  } else if (const char *r3 = env_value(env, "AWS_DEFAULT_REGION")) {
    c.region = r3;
  } else {
    c.region = "us-east-1";
  }
  if (c.region.empty() || c.region.find_first_of("/ ") != std::string::npos) {
    *why = "bad region '" + c.region + "'";
    return BDB_DRV_INVALID;
  }

  // Endpoint: option, then AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL, then AWS itself.
  std::string endpoint;
  bool aws = false;
  if (const std::string *e = take("endpoint")) {
    endpoint = *e;
  } else if (const char *e2 = env_value(env, "AWS_ENDPOINT_URL_S3")) {
    endpoint = e2;
  } else if (const char *e3 = env_value(env, "AWS_ENDPOINT_URL")) {
    endpoint = e3;
  } else {
    endpoint = "https://s3." + c.region + ".amazonaws.com";
    aws = true;
  }
  if (!parse_endpoint(endpoint, &c, why)) return BDB_DRV_INVALID;

  // Style: AWS prefers virtual-host style; other servers (MinIO, Ceph) are usually set up for
  // path style. A dotted bucket name under https breaks the wildcard certificate.
  if (const std::string *s = take("style")) {
    if (*s != "path" && *s != "virtual") {
      *why = "style must be path or virtual, not '" + *s + "'";
      return BDB_DRV_INVALID;
    }
    c.virtual_host = *s == "virtual";
  } else {
    c.virtual_host = aws && c.bucket.find('.') == std::string::npos;
  }
  if (c.virtual_host &&
      (c.host[0] == '[' || c.host.find_first_not_of("0123456789.") == std::string::npos)) {
    *why =
        "virtual-host style needs an endpoint with a DNS name (e.g. http://localhost:7480), "
        "not the address " +
        c.host;
    return BDB_DRV_INVALID;
  }
  if (!valid_bucket(c.bucket, c.virtual_host)) {
    *why = "bad bucket name '" + c.bucket + "'" +
           (c.virtual_host ? " for virtual-host style (3-63 of a-z 0-9 . -)"
                           : " (3-63 of a-z A-Z 0-9 . - _)");
    return BDB_DRV_INVALID;
  }

  if (const std::string *p = take("payload")) {
    if (*p != "signed" && *p != "unsigned") {
      *why = "payload must be signed or unsigned, not '" + *p + "'";
      return BDB_DRV_INVALID;
    }
    c.unsigned_payload = *p == "unsigned";
  }
  if (const std::string *m = take("if_match")) {
    if (*m == "auto") {
      c.if_match = IfMatchForm::kAuto;
    } else if (*m == "quoted") {
      c.if_match = IfMatchForm::kQuoted;
    } else if (*m == "unquoted") {
      c.if_match = IfMatchForm::kUnquoted;
    } else {
      *why = "if_match must be auto, quoted or unquoted, not '" + *m + "'";
      return BDB_DRV_INVALID;
    }
  }
  if (const std::string *w = take("conditional_writes")) {
    if (*w != "on" && *w != "off") {
      *why = "conditional_writes must be on or off, not '" + *w + "'";
      return BDB_DRV_INVALID;
    }
    c.conditional_writes = *w == "on";
  }
  if (const std::string *ca = take("ca_bundle")) {
    c.ca_bundle = *ca;
  } else if (const char *ca2 = env_value(env, "AWS_CA_BUNDLE")) {
    c.ca_bundle = ca2;
  }
  long retries = c.max_retries, base = c.retry_base_ms, cap = c.retry_max_ms, page = c.page_size;
  if (!number("connect_timeout_ms", 1, 600000, &c.connect_timeout_ms) ||
      !number("timeout_ms", 1, 3600000, &c.request_timeout_ms) ||
      !number("retries", 0, 100, &retries) || !number("retry_base_ms", 0, 60000, &base) ||
      !number("retry_max_ms", 0, 600000, &cap) || !number("page", 1, 1000, &page))
    return BDB_DRV_INVALID;
  c.max_retries = static_cast<int>(retries);
  c.retry_base_ms = static_cast<int>(base);
  c.retry_max_ms = static_cast<int>(cap);
  c.page_size = static_cast<int>(page);

  const char *id = env_value(env, "AWS_ACCESS_KEY_ID");
  const char *secret = env_value(env, "AWS_SECRET_ACCESS_KEY");
  if (!id || !secret) {
    *why = "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
    return BDB_DRV_PERMISSION;
  }
  c.credentials.access_key_id = id;
  c.credentials.secret_access_key = secret;
  if (const char *token = env_value(env, "AWS_SESSION_TOKEN")) c.credentials.session_token = token;
  *out = std::move(c);
  return BDB_DRV_OK;
}

}  // namespace bdbs3
