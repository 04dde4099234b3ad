// PutObject, plain and conditional (If-None-Match: *, If-Match), made safe to retry.
//
// A conditional put whose answer is lost (timeout, reset, 5xx) may have landed. Retrying it
// blindly would turn our own success into a 412, and Ceph RGW 16 answers the losers of a
// concurrent If-Match race with 500. So after such an answer the driver GETs the key:
//  - unchanged (still missing, or still the If-Match ETag): nothing landed, retry;
//  - another writer's bytes: the precondition failed;
//  - bytes identical to ours: for If-None-Match that is our create (create-once keys carry
//    unique content: commit ids, random block ids), so success; for If-Match it may as well be
//    another writer who wrote the same bytes (a counter going 5 -> 6 twice), so the driver
//    says TRANSIENT, "may or may not have landed", and leaves the verdict to the caller.
// A 412 after an uncertain attempt is checked the same way before it is reported.
#include <cstring>

#include "drv_util.h"
#include "s3_store.h"

namespace bdbs3 {

using bdbdrv::kKeyInMessage;
using bdbdrv::set_error;

namespace {

bool not_found(const HttpResponse &r) {
  if (r.transport_error || r.status != 404) return false;
  ErrorDoc e;
  return !parse_error(r.body, &e) || e.code == "NoSuchKey";
}

}  // namespace

bool S3Store::if_match_unquoted() const {
  return config_.if_match == IfMatchForm::kUnquoted ||
         (config_.if_match == IfMatchForm::kAuto && unquoted_if_match_.load());
}

S3Store::Landed S3Store::find_out(const Call &put, bool create_only, const std::string &if_match,
                                  std::string *etag) {
  Call get = make_call("get", "GET", put.full_key, nullptr, 0);
  HttpResponse r = send(get);
  if (r.transport_error == 0 && r.status == 200) {
    bool ours = r.body.size() == put.size &&
                (put.size == 0 || std::memcmp(r.body.data(), put.body, put.size) == 0);
    if (ours) {
      *etag = r.etag;
      return Landed::kSame;
    }
    if (create_only) return Landed::kOther;
    return bdbdrv::normalize_etag(r.etag.c_str()) == if_match ? Landed::kNotYet : Landed::kOther;
  }
  if (not_found(r)) return create_only ? Landed::kNotYet : Landed::kOther;
  return Landed::kUnknown;
}

bool S3Store::learn_unquoted_if_match(const Call &put, const std::string &if_match) {
  Call head = make_call("head", "HEAD", put.full_key, nullptr, 0);
  HttpResponse r = send(head);
  if (r.transport_error || r.status != 200 || bdbdrv::normalize_etag(r.etag.c_str()) != if_match)
    return false;
  if (!unquoted_if_match_.exchange(true))
    log(1,
        "the server refused a quoted If-Match that equals the current ETag; sending "
        "If-Match unquoted from now on (Ceph RGW does this; if_match=unquoted skips the "
        "check)");
  return true;
}

// The key holds bytes identical to those of a put whose answer was lost (see the top).
int S3Store::resolved(const char *key, bool create_only, const HttpResponse &r,
                      const std::string &etag, char **out_etag, bdb_drv_error *err) {
  if (create_only) {
    stats_.ambiguous_puts_resolved++;
    return put_result(key, etag, out_etag, err);
  }
  stats_.errors++;
  return set_error(err, BDB_DRV_TRANSIENT, static_cast<int32_t>(r.status),
                   "put %.*s: %s; the key now holds bytes identical to ours, written by this put "
                   "or by another writer: it may or may not have landed",
                   kKeyInMessage, key, describe_failure(r).c_str());
}

int S3Store::put_result(const char *key, const std::string &etag, char **out_etag,
                        bdb_drv_error *err) {
  if (!out_etag || etag.empty()) return BDB_DRV_OK;
  *out_etag = bdbdrv::dup_cstr(etag);
  if (!*out_etag)
    return set_error(err, BDB_DRV_NOMEM, ENOMEM, "put %.*s: out of memory", kKeyInMessage, key);
  return BDB_DRV_OK;
}

int S3Store::put(const char *key, const void *data, size_t size, const bdb_drv_put_options *options,
                 char **out_etag, bdb_drv_error *err) {
  if (out_etag) *out_etag = nullptr;
  if (int st = check_key("put", key, err)) return st;
  if (size && !data)
    return set_error(err, BDB_DRV_INVALID, 0, "put %.*s: no data", kKeyInMessage, key);
  bool create_only = options && options->if_none_match;
  bool has_if_match = options && options->if_match;
  std::string if_match = bdbdrv::normalize_etag(has_if_match ? options->if_match : nullptr);
  if (has_if_match && if_match.empty())
    return set_error(err, BDB_DRV_INVALID, 0, "put %.*s: empty If-Match ETag", kKeyInMessage, key);
  bool conditional = create_only || has_if_match;
  if (conditional && !config_.conditional_writes)
    return set_error(err, BDB_DRV_INVALID, 0,
                     "put %.*s: a conditional write was asked for, but this store is opened with "
                     "conditional_writes=off (%s)",
                     kKeyInMessage, key, config_.describe().c_str());

  Call base = make_call("put", "PUT", config_.key_prefix + key, data, size);
  base.resend_ok = !conditional;
  bool uncertain = false;  // an earlier attempt may have landed
  bool probed_quotes = false;
  for (int attempt = 1;; attempt++) {
    Call c = base;
    if (create_only) c.headers.emplace_back("If-None-Match", "*");
    if (has_if_match)
      c.headers.emplace_back("If-Match", if_match_unquoted() ? if_match : "\"" + if_match + "\"");
    HttpResponse r = send(c);
    if (r.ok()) return put_result(key, r.etag, out_etag, err);

    bool conflict = conditional && r.transport_error == 0 &&
                    (r.status == 412 || r.status == 409 || (has_if_match && not_found(r)));
    if (conflict) {
      if (uncertain) {
        std::string etag;
        Landed landed = find_out(base, create_only, if_match, &etag);
        if (landed == Landed::kSame) return resolved(key, create_only, r, etag, out_etag, err);
      }
      if (has_if_match && r.status == 412 && config_.if_match == IfMatchForm::kAuto &&
          !if_match_unquoted() && !probed_quotes) {
        probed_quotes = true;
        if (learn_unquoted_if_match(base, if_match)) continue;  // again at once, unquoted
      }
      stats_.precondition_failed++;
      ErrorDoc e;
      parse_error(r.body, &e);
      return set_error(
          err, BDB_DRV_PRECONDITION_FAILED, static_cast<int32_t>(r.status),
          "put %.*s: HTTP %ld %s: %s", kKeyInMessage, key, r.status, e.code.c_str(),
          create_only ? "the key already exists" : ("the ETag is no longer " + if_match).c_str());
    }
    if (!retryable(r)) return fail("put", key, r, attempt, err);
    bool maybe_landed = !(r.transport_error && HttpClient::transport_not_sent(r.transport_error));
    if (conditional && maybe_landed) {
      uncertain = true;
      std::string etag;
      Landed landed = find_out(base, create_only, if_match, &etag);
      if (landed == Landed::kSame) return resolved(key, create_only, r, etag, out_etag, err);
      if (landed == Landed::kOther) {
        stats_.precondition_failed++;
        return set_error(err, BDB_DRV_PRECONDITION_FAILED, static_cast<int32_t>(r.status),
                         "put %.*s: %s, and the key now holds another writer's object",
                         kKeyInMessage, key, describe_failure(r).c_str());
      }
    }
    if (attempt > config_.max_retries) return fail("put", key, r, attempt, err);
    stats_.retries++;
    log(1, "put " + std::string(key).substr(0, kKeyInMessage) + ": attempt " +
               std::to_string(attempt) + " failed (" + describe_failure(r) + "), retrying");
    if (!backoff(attempt - 1)) return fail("put", key, r, attempt, err);
  }
}

}  // namespace bdbs3
