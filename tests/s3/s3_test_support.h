// Helpers of the S3 tests that need the test server (scripts/s3-test-server.sh): its
// environment, fresh store URIs, and a fault-injecting proxy in front of it.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "core/storage/storage.h"

namespace bdbs3test {

// Loads the "export NAME=value" lines of $BDB_S3_TEST_DIR/env (the server's endpoint and keys)
// into the environment. False when no server is running there.
bool load_server_env();
// Why load_server_env failed, for the skip message.
const std::string &server_env_problem();

std::string env(const char *name);

// A key prefix no other test uses ("s3-tests/<pid>-<n>-<random>").
std::string unique_prefix();

// "s3://BUCKET/PREFIX?endpoint=ENDPOINT&style=path" plus "&extra" (extra without '&').
std::string store_uri(const std::string &prefix, const std::string &extra = "",
                      const std::string &endpoint = "");

// Opens through the engine's host, with its own retries off (max_attempts 1) so that what a
// test sees is what the driver did.
std::unique_ptr<bucketdb::Storage> open_store(const std::string &uri);

// Sets (or with nullptr unsets) an environment variable for the life of the object.
class ScopedEnv {
 public:
  ScopedEnv(const char *name, const char *value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv &) = delete;
  ScopedEnv &operator=(const ScopedEnv &) = delete;

 private:
  std::string name_;
  bool had_ = false;
  std::string old_;
};

// tests/s3/fault_proxy.py in front of the test server, started in the constructor and stopped
// by PID in the destructor (and by the kernel if this process dies first).
class FaultProxy {
 public:
  // With a certificate and key (PEM files) it speaks HTTPS.
  explicit FaultProxy(const std::string &tls_cert = "", const std::string &tls_key = "");
  ~FaultProxy();
  FaultProxy(const FaultProxy &) = delete;
  FaultProxy &operator=(const FaultProxy &) = delete;

  std::string endpoint() const {
    return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_);
  }
  // Arms a rule, e.g. "action=status&status=503&count=3&method=PUT".
  void arm(const std::string &query);
  void clear() { arm("action=clear"); }
  // Faults applied so far.
  int faults();

 private:
  std::string control(const std::string &method, const std::string &query);
  pid_t pid_ = -1;
  int port_ = 0;
  bool tls_ = false;
  std::string dir_;
};

// A free TCP port on 127.0.0.1 that nothing listens on (for "server down").
int closed_port();

// Writes a self-signed certificate for 127.0.0.1 and its key into dir (cert.pem, key.pem) with
// the openssl command; false when that command is missing.
bool make_test_certificate(const std::string &dir);

}  // namespace bdbs3test
