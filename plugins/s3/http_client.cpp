#include "http_client.h"

#include <curl/curl.h>
#include <strings.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace bdbs3 {

namespace {

// Idle handles kept for reuse (each holds its own live connections).
constexpr size_t kMaxIdleHandles = 32;

// curl_global_init once per process. Never undone: the plugin stays loaded for the life of the
// process and curl_global_cleanup is not thread-safe.
void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("curl_global_init failed");
  });
}

struct Upload {
  const char *data;
  size_t size;
  size_t pos;
  bool rewindable;
};

size_t read_cb(char *buf, size_t size, size_t n, void *userp) {
  auto *u = static_cast<Upload *>(userp);
  size_t take = std::min(size * n, u->size - u->pos);
  if (take) std::memcpy(buf, u->data + u->pos, take);
  u->pos += take;
  return take;
}

// curl rewinds the body when it resends on a reused connection that turned out dead; refusing
// makes it report the failure instead (CURLE_SEND_FAIL_REWIND).
int seek_cb(void *userp, curl_off_t offset, int origin) {
  auto *u = static_cast<Upload *>(userp);
  if (!u->rewindable) return CURL_SEEKFUNC_CANTSEEK;
  if (origin != SEEK_SET || offset < 0 || static_cast<size_t>(offset) > u->size)
    return CURL_SEEKFUNC_FAIL;
  u->pos = static_cast<size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

size_t write_cb(char *ptr, size_t size, size_t n, void *userp) {
  static_cast<std::string *>(userp)->append(ptr, size * n);
  return size * n;
}

bool header_is(const char *line, size_t len, const char *name, std::string *value) {
  size_t nl = std::strlen(name);
  if (len <= nl || line[nl] != ':' || strncasecmp(line, name, nl) != 0) return false;
  std::string v(line + nl + 1, len - nl - 1);
  size_t a = v.find_first_not_of(" \t");
  size_t b = v.find_last_not_of(" \t\r\n");
  *value = a == std::string::npos ? std::string() : v.substr(a, b - a + 1);
  return true;
}

size_t header_cb(char *line, size_t size, size_t n, void *userp) {
  auto *r = static_cast<HttpResponse *>(userp);
  size_t len = size * n;
  if (!header_is(line, len, "etag", &r->etag) &&
      !header_is(line, len, "x-amz-bucket-region", &r->bucket_region)) {
    header_is(line, len, "x-amz-request-id", &r->request_id);
  }
  return len;
}

}  // namespace

struct HttpClient::Impl {
  HttpOptions options;
  CURLSH *share = nullptr;
  std::mutex share_locks[CURL_LOCK_DATA_LAST];
  std::mutex pool_mu;
  std::vector<CURL *> idle;

  static void lock_cb(CURL *, curl_lock_data data, curl_lock_access, void *userp) {
    static_cast<Impl *>(userp)->share_locks[data].lock();
  }
  static void unlock_cb(CURL *, curl_lock_data data, void *userp) {
    static_cast<Impl *>(userp)->share_locks[data].unlock();
  }

  CURL *acquire() {
    {
      std::lock_guard<std::mutex> lock(pool_mu);
      if (!idle.empty()) {
        CURL *h = idle.back();
        idle.pop_back();
        return h;
      }
    }
    CURL *h = curl_easy_init();
    if (!h) throw std::bad_alloc();
    return h;
  }

  void release(CURL *h) {
    curl_easy_reset(h);  // clears options, keeps the connections
    std::lock_guard<std::mutex> lock(pool_mu);
    if (idle.size() < kMaxIdleHandles) {
      idle.push_back(h);
      return;
    }
    curl_easy_cleanup(h);
  }
};

HttpClient::HttpClient(const HttpOptions &options) : impl_(std::make_unique<Impl>()) {
  global_init();
  impl_->options = options;
  impl_->share = curl_share_init();
  if (!impl_->share) throw std::bad_alloc();
  curl_share_setopt(impl_->share, CURLSHOPT_LOCKFUNC, &Impl::lock_cb);
  curl_share_setopt(impl_->share, CURLSHOPT_UNLOCKFUNC, &Impl::unlock_cb);
  curl_share_setopt(impl_->share, CURLSHOPT_USERDATA, impl_.get());
  // Not CURL_LOCK_DATA_CONNECT: libcurl does not support sharing connections between threads
  // running at once. The pooled handles keep theirs instead.
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

HttpClient::~HttpClient() {
  for (CURL *h : impl_->idle) curl_easy_cleanup(h);
  curl_share_cleanup(impl_->share);
}

HttpResponse HttpClient::perform(const HttpRequest &req) {
  HttpResponse resp;
  // Declared before the guard: the handle points at them until release() resets it.
  char errbuf[CURL_ERROR_SIZE] = {0};
  Upload upload{static_cast<const char *>(req.body), req.body_size, 0, req.resend_ok};
  CURL *h = impl_->acquire();
  curl_slist *headers = nullptr;
  // Give the handle back (and free the header list) however we leave.
  struct Guard {
    Impl *impl;
    CURL *h;
    curl_slist **headers;
    ~Guard() {
      curl_slist_free_all(*headers);
      impl->release(h);
    }
  } guard{impl_.get(), h, &headers};

  for (const auto &line : req.headers) {
    curl_slist *next = curl_slist_append(headers, line.c_str());
    if (!next) throw std::bad_alloc();
    headers = next;
  }
  // No "Expect: 100-continue" round trip before a body, and no Accept (S3 ignores it).
  for (const char *line : {"Expect:", "Accept:"}) {
    curl_slist *next = curl_slist_append(headers, line);
    if (!next) throw std::bad_alloc();
    headers = next;
  }

  const HttpOptions &o = impl_->options;
  curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_SHARE, impl_->share);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o.request_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  // Keys such as "a/../b" are names, not paths to tidy up.
  curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!o.ca_bundle.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, o.ca_bundle.c_str());
  curl_easy_setopt(h, CURLOPT_USERAGENT, "bucketdb-s3/1");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &write_cb);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &header_cb);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &resp);
  if (req.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (req.method == "PUT") {
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(req.body_size));
    curl_easy_setopt(h, CURLOPT_READFUNCTION, &read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
    curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, &seek_cb);
    curl_easy_setopt(h, CURLOPT_SEEKDATA, &upload);
  } else if (req.method != "GET") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }

  CURLcode rc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &resp.new_connections);
  if (rc != CURLE_OK) {
    resp.transport_error = rc;
    resp.transport_message = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    resp.body.clear();
    return resp;
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp.status);
  return resp;
}

bool HttpClient::transport_retryable(int error) {
  switch (error) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SEND_FAIL_REWIND:
    case CURLE_WEIRD_SERVER_REPLY:
      return true;
    default:
      return false;
  }
}

bool HttpClient::transport_not_sent(int error) {
  return error == CURLE_COULDNT_RESOLVE_HOST || error == CURLE_COULDNT_CONNECT ||
         error == CURLE_COULDNT_RESOLVE_PROXY;
}

bool HttpClient::transport_tls(int error) {
  return error == CURLE_PEER_FAILED_VERIFICATION || error == CURLE_SSL_CONNECT_ERROR ||
         error == CURLE_SSL_CACERT_BADFILE || error == CURLE_SSL_CERTPROBLEM ||
         error == CURLE_SSL_CIPHER || error == CURLE_SSL_ISSUER_ERROR;
}

}  // namespace bdbs3
