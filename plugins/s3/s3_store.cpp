#include "s3_store.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>

#include "drv_util.h"
#include "sigv4.h"

namespace bdbs3 {

using bdbdrv::kKeyInMessage;
using bdbdrv::set_error;

namespace {

// S3's own limit on a key, prefix included.
constexpr size_t kMaxS3Key = 1024;

std::string error_code(const HttpResponse &r) {
  ErrorDoc e;
  return parse_error(r.body, &e) ? e.code : std::string();
}

}  // namespace

S3Store::S3Store(Config config, const bdb_driver_host *host)
    : config_(std::move(config)),
      host_(host),
      http_(
          HttpOptions{config_.connect_timeout_ms, config_.request_timeout_ms, config_.ca_bundle}) {}

void S3Store::log(int level, const std::string &message) const {
  if (host_ && host_->struct_size >= sizeof(bdb_driver_host) && host_->log)
    host_->log(host_->host_ctx, level, ("s3: " + message).c_str());
}

S3Store::Call S3Store::make_call(const char *op, const char *method, const std::string &full_key,
                                 const void *body, size_t size) const {
  Call c;
  c.op = op;
  c.method = method;
  c.full_key = full_key;
  c.body = body;
  c.size = size;
  c.payload_hash = config_.unsigned_payload ? kUnsignedPayload : sha256_hex(body, size);
  return c;
}

HttpResponse S3Store::send(const Call &c) {
  SigningRequest sr;
  sr.method = c.method;
  sr.canonical_uri = config_.path_for(c.full_key);
  sr.query = c.query;
  sr.payload_hash = c.payload_hash;
  sr.amz_date = amz_date(std::time(nullptr));
  sr.region = config_.region;
  sr.headers = {{"Host", config_.host_header()},
                {"x-amz-content-sha256", c.payload_hash},
                {"x-amz-date", sr.amz_date}};
  if (!config_.credentials.session_token.empty())
    sr.headers.emplace_back("x-amz-security-token", config_.credentials.session_token);
  for (const auto &h : c.headers) sr.headers.push_back(h);

  HttpRequest req;
  req.method = c.method;
  std::string query = canonical_query(c.query);
  req.url = config_.origin() + sr.canonical_uri + (query.empty() ? "" : "?" + query);
  for (const auto &[name, value] : sr.headers)
    req.headers.emplace_back(name).append(": ").append(value);
  req.headers.push_back("Authorization: " + authorization(sr, config_.credentials));
  req.body = c.body;
  req.body_size = c.size;
  req.resend_ok = c.resend_ok;

  std::string_view op = c.op;
  auto &counter = op == "put"      ? stats_.put
                  : op == "delete" ? stats_.del
                  : op == "list"   ? stats_.list
                  : op == "head"   ? stats_.head
                                   : stats_.get;
  counter++;
  HttpResponse r = http_.perform(req);
  stats_.bytes_out += c.size;
  stats_.bytes_in += r.body.size();
  stats_.connections += static_cast<uint64_t>(r.new_connections);
  return r;
}

bool S3Store::retryable(const HttpResponse &r) const {
  if (r.transport_error) return HttpClient::transport_retryable(r.transport_error);
  // 501 Not Implemented and 505 will not change their mind.
  if (r.status >= 500 && r.status != 501 && r.status != 505) return true;
  if (r.status == 429) return true;
  // The server gave up waiting for the request body: a timeout, like the SDKs treat it.
  return r.status == 400 && error_code(r) == "RequestTimeout";
}

bool S3Store::backoff(int retry) const {
  // Full jitter: a uniform pause in [0, min(cap, base * 2^retry)].
  // Seeded per pause (retries are rare): no thread_local, which in a dlopen'ed plugin is
  // dynamic TLS that LeakSanitizer's tracer can crash on (google/sanitizers#1322).
  std::mt19937_64 rng{std::random_device{}()};
  long ceiling = config_.retry_base_ms;
  for (int i = 0; i < retry && ceiling < config_.retry_max_ms; i++) ceiling *= 2;
  ceiling = std::min<long>(ceiling, config_.retry_max_ms);
  if (ceiling <= 0) return true;
  std::uniform_int_distribution<long> pick(0, ceiling);
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(pick(rng));
  const bool can_ask = host_ && BDB_DRIVER_HOST_HAS(host_, interrupted) && host_->interrupted;
  // In short steps, asking the host whether the call was interrupted.
  for (auto now = std::chrono::steady_clock::now(); now < end;
       now = std::chrono::steady_clock::now()) {
    if (can_ask && host_->interrupted(host_->host_ctx)) return false;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        end - now, std::chrono::milliseconds(can_ask ? 10 : 1000)));
  }
  return true;
}

HttpResponse S3Store::send_with_retries(const Call &c, const char *key, int *attempts) {
  for (int attempt = 1;; attempt++) {
    HttpResponse r = send(c);
    if (!retryable(r) || attempt > config_.max_retries) {
      *attempts = attempt;
      return r;
    }
    stats_.retries++;
    log(1, std::string(c.op) + " " + std::string(key).substr(0, kKeyInMessage) + ": attempt " +
               std::to_string(attempt) + " failed (" + describe_failure(r) + "), retrying");
    if (!backoff(attempt - 1)) {
      *attempts = attempt;
      return r;
    }
  }
}

std::string S3Store::describe_failure(const HttpResponse &r) {
  if (r.transport_error) return r.transport_message;
  std::string code = error_code(r);
  return "HTTP " + std::to_string(r.status) + (code.empty() ? "" : " " + code);
}

int S3Store::check_key(const char *op, const char *key, bdb_drv_error *err) const {
  if (!key || !*key) return set_error(err, BDB_DRV_INVALID, 0, "%s: empty key", op);
  size_t n = std::strlen(key);
  if (n > BDB_DRV_MAX_KEY || n + config_.key_prefix.size() > kMaxS3Key)
    return set_error(err, BDB_DRV_INVALID, 0,
                     "%s %.*s...: key longer than S3's %zu bytes (with the key prefix '%s')", op,
                     kKeyInMessage, key, kMaxS3Key, config_.key_prefix.c_str());
  return BDB_DRV_OK;
}

int S3Store::fail(const char *op, const char *key, const HttpResponse &r, int attempts,
                  bdb_drv_error *err) {
  stats_.errors++;
  std::string where = config_.describe();
  std::string tries =
      attempts > 1 ? "; gave up after " + std::to_string(attempts) + " attempts" : "";
  if (r.transport_error) {
    int st = HttpClient::transport_tls(r.transport_error)         ? BDB_DRV_IO
             : HttpClient::transport_retryable(r.transport_error) ? BDB_DRV_TRANSIENT
                                                                  : BDB_DRV_IO;
    const char *what = HttpClient::transport_tls(r.transport_error) ? "TLS error: " : "";
    return set_error(err, st, 0, "%s %.*s: %s%s%s (%s)", op, kKeyInMessage, key, what,
                     r.transport_message.c_str(), tries.c_str(), where.c_str());
  }
  ErrorDoc e;
  parse_error(r.body, &e);
  std::string code = e.code;
  if (code.empty()) {  // HEAD answers and some proxies carry no error document
    code = r.status == 403 ? "Forbidden" : r.status == 404 ? "NotFound" : "";
  }
  int st = BDB_DRV_IO;
  std::string hint;
  long s = r.status;
  if (s == 401 || s == 403) {
    st = BDB_DRV_PERMISSION;
    if (code == "SignatureDoesNotMatch") hint = " (check AWS_SECRET_ACCESS_KEY)";
    if (code == "InvalidAccessKeyId") hint = " (check AWS_ACCESS_KEY_ID)";
    if (code == "ExpiredToken" || code == "InvalidToken") hint = " (renew AWS_SESSION_TOKEN)";
    if (code == "RequestTimeTooSkewed") hint = " (this machine's clock is off)";
    if (code == "QuotaExceeded") st = BDB_DRV_NO_SPACE;
  } else if (s == 404) {
    if (code == "NoSuchBucket") {
      st = BDB_DRV_INVALID;
      hint = " (bucket '" + config_.bucket + "' does not exist)";
    }
  } else if (s == 301 || s == 307 || (s == 400 && code == "AuthorizationHeaderMalformed")) {
    st = BDB_DRV_INVALID;
    std::string region = !r.bucket_region.empty() ? r.bucket_region : e.region;
    if (!region.empty())
      hint = " (the bucket is in region " + region + ": set region=" + region + ")";
    if (region.empty() && !e.endpoint.empty()) hint = " (use endpoint " + e.endpoint + ")";
  } else if (s == 400 || s == 405 || s == 411 || s == 413 || s == 501) {
    st = code == "RequestTimeout" ? BDB_DRV_TRANSIENT : BDB_DRV_INVALID;
    // Backblaze B2 answers conditional puts so.
    if (s == 501 && std::string_view(op) == "put")
      hint = " (if this store has no conditional writes, open it with conditional_writes=off)";
  } else if (s == 507) {
    st = BDB_DRV_NO_SPACE;
  } else if (s >= 500 || s == 429) {
    st = BDB_DRV_TRANSIENT;
  }
  std::string what = "HTTP " + std::to_string(s) + (code.empty() ? "" : " " + code) +
                     (e.message.empty() ? "" : ": " + e.message);
  return set_error(err, st, static_cast<int32_t>(s), "%s %.*s: %s%s%s (%s)", op, kKeyInMessage, key,
                   what.c_str(), hint.c_str(), tries.c_str(), where.c_str());
}

int S3Store::get(const char *key, const char *if_none_match, bdb_drv_object *out,
                 bdb_drv_error *err) {
  *out = bdb_drv_object{};
  if (int st = check_key("get", key, err)) return st;
  Call c = make_call("get", "GET", config_.key_prefix + key, nullptr, 0);
  std::string etag = bdbdrv::normalize_etag(if_none_match);
  if (!etag.empty()) c.headers.emplace_back("If-None-Match", "\"" + etag + "\"");
  int attempts = 1;
  HttpResponse r = send_with_retries(c, key, &attempts);
  if (r.transport_error == 0 && r.status == 200) {
    void *data = std::malloc(r.body.empty() ? 1 : r.body.size());
    char *etag_copy = r.etag.empty() ? nullptr : bdbdrv::dup_cstr(r.etag);
    if (!data || (!r.etag.empty() && !etag_copy)) {
      std::free(data);
      std::free(etag_copy);
      return set_error(err, BDB_DRV_NOMEM, ENOMEM, "get %.*s: out of memory", kKeyInMessage, key);
    }
    if (!r.body.empty()) std::memcpy(data, r.body.data(), r.body.size());
    *out = bdb_drv_object{data, r.body.size(), etag_copy};
    return BDB_DRV_OK;
  }
  if (r.transport_error == 0 && r.status == 304) {
    stats_.not_modified++;
    return BDB_DRV_NOT_MODIFIED;
  }
  if (r.transport_error == 0 && r.status == 404) {
    std::string code = error_code(r);
    if (code.empty() || code == "NoSuchKey") {
      stats_.not_found++;
      return set_error(err, BDB_DRV_NOT_FOUND, 404, "get %.*s: no such key", kKeyInMessage, key);
    }
  }
  if (r.transport_error == 0 && r.status == 403 && error_code(r) == "AccessDenied") {
    // Without s3:ListBucket, S3 answers a missing key with 403, not 404: never "not found".
    stats_.errors++;
    return set_error(err, BDB_DRV_PERMISSION, 403,
                     "get %.*s: HTTP 403 AccessDenied: the credentials may not read this key, "
                     "or it does not exist and they lack s3:ListBucket (S3 then answers 403 "
                     "instead of 404); grant s3:GetObject and s3:ListBucket on the prefix (%s)",
                     kKeyInMessage, key, config_.describe().c_str());
  }
  return fail("get", key, r, attempts, err);
}

int S3Store::del(const char *key, bdb_drv_error *err) {
  if (int st = check_key("delete", key, err)) return st;
  Call c = make_call("delete", "DELETE", config_.key_prefix + key, nullptr, 0);
  int attempts = 1;
  HttpResponse r = send_with_retries(c, key, &attempts);
  if (r.ok()) return BDB_DRV_OK;
  // Deleting a missing key is not an error (S3 itself answers 204; some servers 404).
  if (r.transport_error == 0 && r.status == 404 && error_code(r) != "NoSuchBucket")
    return BDB_DRV_OK;
  return fail("delete", key, r, attempts, err);
}

int S3Store::list(const char *prefix_c, const char *token, bdb_drv_list *out, bdb_drv_error *err) {
  *out = bdb_drv_list{};
  std::string prefix = prefix_c ? prefix_c : "";
  std::string shown = "'" + prefix + "'";  // "list '': ..." reads better than "list : ..."
  Call c = make_call("list", "GET", "", nullptr, 0);
  // encoding-type=url: keys with characters XML 1.0 cannot carry still come back intact.
  c.query = {{"list-type", "2"},
             {"prefix", config_.key_prefix + prefix},
             {"max-keys", std::to_string(config_.page_size)},
             {"encoding-type", "url"}};
  if (token && *token) c.query.emplace_back("continuation-token", token);
  int attempts = 1;
  HttpResponse r = send_with_retries(c, shown.c_str(), &attempts);
  if (!r.ok()) {
    if (r.transport_error == 0 && r.status == 403 && error_code(r) == "AccessDenied") {
      stats_.errors++;
      return set_error(err, BDB_DRV_PERMISSION, 403,
                       "list %.*s: HTTP 403 AccessDenied: the credentials lack s3:ListBucket on "
                       "the prefix '%s' (%s)",
                       kKeyInMessage, shown.c_str(), (config_.key_prefix + prefix).c_str(),
                       config_.describe().c_str());
    }
    return fail("list", shown.c_str(), r, attempts, err);
  }
  ListResult lr;
  std::string why;
  if (!parse_list_result(r.body, &lr, &why)) {
    stats_.errors++;
    return set_error(err, BDB_DRV_IO, 200, "list %.*s: unreadable ListObjectsV2 answer: %s (%s)",
                     kKeyInMessage, shown.c_str(), why.c_str(), config_.describe().c_str());
  }
  if (lr.truncated && lr.next_token.empty()) {
    stats_.errors++;
    return set_error(err, BDB_DRV_IO, 200,
                     "list %.*s: truncated answer without NextContinuationToken (%s)",
                     kKeyInMessage, shown.c_str(), config_.describe().c_str());
  }
  std::vector<std::string> keys;
  keys.reserve(lr.keys.size());
  for (auto &k : lr.keys) {
    if (k.compare(0, config_.key_prefix.size(), config_.key_prefix) != 0) {
      stats_.errors++;
      return set_error(err, BDB_DRV_IO, 200, "list %.*s: the server listed '%.*s' outside '%s'",
                       kKeyInMessage, shown.c_str(), kKeyInMessage, k.c_str(),
                       config_.key_prefix.c_str());
    }
    keys.push_back(k.substr(config_.key_prefix.size()));
  }
  // The server's token, not our last key: AWS tokens are opaque.
  if (int st = bdbdrv::make_list(keys, false, out, err)) return st;
  if (lr.truncated) {
    out->truncated = 1;
    out->next_token = bdbdrv::dup_cstr(lr.next_token);
    if (!out->next_token) {
      bdbdrv::free_list(out);
      return set_error(err, BDB_DRV_NOMEM, ENOMEM, "list: out of memory");
    }
  }
  return BDB_DRV_OK;
}

}  // namespace bdbs3
