// One open s3 store: the driver operations over signed HTTP requests, with retries,
// error mapping and counters. Thread-safe.
#pragma once

#include <bucketdb/driver.h>

#include <atomic>
#include <string>
#include <vector>

#include "http_client.h"
#include "s3_config.h"
#include "s3_stats.h"
#include "s3_xml.h"

namespace bdbs3 {

class S3Store {
 public:
  S3Store(Config config, const bdb_driver_host *host);

  int get(const char *key, const char *if_none_match, bdb_drv_object *out, bdb_drv_error *err);
  int put(const char *key, const void *data, size_t size, const bdb_drv_put_options *options,
          char **out_etag, bdb_drv_error *err);
  int del(const char *key, bdb_drv_error *err);
  int list(const char *prefix, const char *token, bdb_drv_list *out, bdb_drv_error *err);

  std::string stats_json() const { return stats_.json(); }
  const Config &config() const { return config_; }

 private:
  // One request, before signing.
  struct Call {
    const char *op;        // "get", "put", ... for messages
    std::string method;    // HTTP method
    std::string full_key;  // with the key prefix; "" for the bucket
    Pairs query;
    Pairs headers;  // extra headers, signed too
    const void *body = nullptr;
    size_t size = 0;
    std::string payload_hash;  // computed once, reused by every attempt
    bool resend_ok = true;     // see HttpRequest::resend_ok
  };
  // What the key of a conditional put holds now, after an answer got lost: bytes identical to
  // ours, another writer's, still what the condition expects, or the GET failed.
  enum class Landed { kSame, kOther, kNotYet, kUnknown };

  Call make_call(const char *op, const char *method, const std::string &full_key, const void *body,
                 size_t size) const;
  // Signs and sends one attempt; counts it.
  HttpResponse send(const Call &call);
  // Sends until an answer is final or the retries run out; *attempts says how many it took.
  HttpResponse send_with_retries(const Call &call, const char *key, int *attempts);
  bool retryable(const HttpResponse &r) const;
  // Pauses before retry number `retry`; false when the host interrupted the call meanwhile
  // (bdb_driver_host.interrupted): the caller then reports the last failure without retrying.
  bool backoff(int retry) const;
  void log(int level, const std::string &message) const;

  // Fills err for a failed answer and returns the status it maps to.
  int fail(const char *op, const char *key, const HttpResponse &r, int attempts,
           bdb_drv_error *err);
  int check_key(const char *op, const char *key, bdb_drv_error *err) const;

  // For a conditional put whose answer was lost: GETs the key to see whether our bytes landed
  // (*etag is then theirs), another writer's did, or nothing happened yet.
  Landed find_out(const Call &put, bool create_only, const std::string &if_match,
                  std::string *etag);
  bool if_match_unquoted() const;
  // After a 412 to a quoted If-Match: true (and from now on unquoted) when the key still has
  // exactly that ETag, i.e. the server compares the header with its bare ETag (Ceph RGW 16).
  bool learn_unquoted_if_match(const Call &put, const std::string &if_match);
  int resolved(const char *key, bool create_only, const HttpResponse &r, const std::string &etag,
               char **out_etag, bdb_drv_error *err);
  int put_result(const char *key, const std::string &etag, char **out_etag, bdb_drv_error *err);
  // "HTTP 503" or curl's message, for logs and errors.
  static std::string describe_failure(const HttpResponse &r);

  Config config_;
  const bdb_driver_host *host_;
  HttpClient http_;
  mutable Stats stats_;
  std::atomic<bool> unquoted_if_match_{false};  // learned in IfMatchForm::kAuto
};

}  // namespace bdbs3
