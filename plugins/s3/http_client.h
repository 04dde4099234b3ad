// HTTP(S) requests over libcurl for the s3 driver: one attempt per call, no retries (the
// driver decides those). Easy handles are pooled and keep their connections alive, so
// requests reuse connections across calls and threads; DNS answers and TLS sessions are
// shared between the handles.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace bdbs3 {

struct HttpOptions {
  long connect_timeout_ms = 5000;
  long request_timeout_ms = 60000;
  std::string ca_bundle;  // empty: the system's CA store. Verification is always on.
};

struct HttpRequest {
  std::string method;                // "GET", "HEAD", "PUT" or "DELETE"
  std::string url;                   // already encoded
  std::vector<std::string> headers;  // "Name: value"
  const void *body = nullptr;        // PUT only
  size_t body_size = 0;
  // libcurl silently resends a request whose reused connection died before any answer. Fine
  // for idempotent requests; a conditional PUT must see the failure instead, or its own landed
  // write comes back as a 412.
  bool resend_ok = true;
};

struct HttpResponse {
  int transport_error = 0;  // a CURLcode; 0 when an HTTP answer arrived
  std::string transport_message;
  long status = 0;
  std::string etag;           // the ETag header as sent (quotes included)
  std::string bucket_region;  // x-amz-bucket-region, when the server names it
  std::string request_id;     // x-amz-request-id
  std::string body;
  long new_connections = 0;  // connections this request had to open (0: one was reused)

  bool ok() const { return transport_error == 0 && status >= 200 && status < 300; }
};

class HttpClient {
 public:
  explicit HttpClient(const HttpOptions &options);
  ~HttpClient();
  HttpClient(const HttpClient &) = delete;
  HttpClient &operator=(const HttpClient &) = delete;

  // Thread-safe.
  HttpResponse perform(const HttpRequest &request);

  // Transport errors worth another attempt (timeouts, resets, refused connections, DNS).
  static bool transport_retryable(int error);
  // Transport errors that prove the request never reached the server (nothing can have landed).
  static bool transport_not_sent(int error);
  // TLS handshake or certificate errors.
  static bool transport_tls(int error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bdbs3
