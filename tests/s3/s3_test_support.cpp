#include "s3_test_support.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

namespace bdbs3test {

namespace {

std::string &problem() {
  static std::string p;
  return p;
}

}  // namespace

bool load_server_env() {
  const char *dir = std::getenv("BDB_S3_TEST_DIR");
  std::string path = std::string(dir && *dir ? dir : BDB_S3_TEST_DIR_DEFAULT) + "/env";
  std::ifstream in(path);
  if (!in) {
    problem() = "no S3 test server: " + path +
                " is missing (run scripts/s3-test-server.sh start, or ctest -R s3)";
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("export ", 0) != 0) continue;
    line = line.substr(7);
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    setenv(line.substr(0, eq).c_str(), line.substr(eq + 1).c_str(), 1);
  }
  setenv("NO_PROXY", "127.0.0.1,localhost,.localhost", 1);
  setenv("no_proxy", "127.0.0.1,localhost,.localhost", 1);
  return true;
}

const std::string &server_env_problem() {
  return problem();
}

std::string env(const char *name) {
  const char *v = std::getenv(name);
  return v ? v : "";
}

std::string unique_prefix() {
  static std::atomic<int> n{0};
  static const unsigned salt = std::random_device{}();
  return "s3-tests/" + std::to_string(::getpid()) + "-" + std::to_string(n++) + "-" +
         std::to_string(salt % 1000000);
}

std::string store_uri(const std::string &prefix, const std::string &extra,
                      const std::string &endpoint) {
  std::string uri = "s3://" + env("BDB_S3_BUCKET") + "/" + prefix +
                    "?endpoint=" + (endpoint.empty() ? env("AWS_ENDPOINT_URL") : endpoint) +
                    "&style=path";
  if (!extra.empty()) uri += "&" + extra;
  return uri;
}

std::unique_ptr<bucketdb::Storage> open_store(const std::string &uri) {
  auto s = bucketdb::Storage::open(uri);
  s->max_attempts = 1;
  return s;
}

ScopedEnv::ScopedEnv(const char *name, const char *value) : name_(name) {
  if (const char *old = std::getenv(name)) {
    had_ = true;
    old_ = old;
  }
  if (value) {
    setenv(name, value, 1);
  } else {
    unsetenv(name);
  }
}

ScopedEnv::~ScopedEnv() {
  if (had_) {
    setenv(name_.c_str(), old_.c_str(), 1);
  } else {
    unsetenv(name_.c_str());
  }
}

FaultProxy::FaultProxy(const std::string &tls_cert, const std::string &tls_key)
    : tls_(!tls_cert.empty()) {
  char tmpl[] = "/tmp/bdb-s3-proxy-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  std::string port_file = dir_ + "/port";
  std::string upstream = "127.0.0.1:" + env("BDB_S3_PORT");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the test
    if (tls_cert.empty()) {
      execl(BDB_PYTHON3, BDB_PYTHON3, BDB_S3_FAULT_PROXY, "--upstream", upstream.c_str(),
            "--port-file", port_file.c_str(), static_cast<char *>(nullptr));
    } else {
      execl(BDB_PYTHON3, BDB_PYTHON3, BDB_S3_FAULT_PROXY, "--upstream", upstream.c_str(),
            "--port-file", port_file.c_str(), "--tls-cert", tls_cert.c_str(), "--tls-key",
            tls_key.c_str(), static_cast<char *>(nullptr));
    }
    _exit(127);
  }
  for (int i = 0; i < 200 && port_ == 0; i++) {
    std::ifstream in(port_file);
    if (!(in >> port_)) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  if (port_ == 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    throw std::runtime_error("fault proxy did not start");
  }
}

FaultProxy::~FaultProxy() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string FaultProxy::control(const std::string &method, const std::string &query) {
  CURL *h = curl_easy_init();
  if (!h) throw std::runtime_error("curl_easy_init");
  std::string body;
  std::string url = endpoint() + "/__fault__" + (query.empty() ? "" : "?" + query);
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);  // our own test certificate
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  if (method == "POST") curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
  curl_easy_setopt(
      h, CURLOPT_WRITEFUNCTION, +[](char *p, size_t size, size_t n, void *ud) {
        static_cast<std::string *>(ud)->append(p, size * n);
        return size * n;
      });
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
  CURLcode rc = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(h);
  if (rc != CURLE_OK || status != 200)
    throw std::runtime_error("fault proxy control " + query + " failed: " + body);
  return body;
}

void FaultProxy::arm(const std::string &query) {
  control("POST", query);
}

int FaultProxy::faults() {
  std::string json = control("GET", "");
  size_t at = json.find("\"faults\": ");
  return at == std::string::npos ? -1 : std::atoi(json.c_str() + at + 10);
}

int closed_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) != 0)
    throw std::runtime_error("no free port");
  close(fd);  // bound but never listened on: connections are refused
  return ntohs(a.sin_port);
}

}  // namespace bdbs3test

namespace bdbs3test {

bool make_test_certificate(const std::string &dir) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) return false;
  std::string cmd =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
      dir + "/key.pem -out " + dir + "/cert.pem >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

}  // namespace bdbs3test
