#include "output.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <utility>

#include <nlohmann/json.hpp>

#include <bdb_common/json_depth.h>

#include "errors.h"

namespace bdbcli {

namespace {
// The library reports from the thread doing the work: a merge at close may run on another.
std::mutex g_progress_mu;
bool g_progress_shown = false;
std::chrono::steady_clock::time_point g_progress_at;
}  // namespace

void progress_to_terminal(void *, const char *task, uint64_t done, uint64_t total) {
  std::lock_guard<std::mutex> lock(g_progress_mu);
  auto now = std::chrono::steady_clock::now();
  bool last = total && done >= total;
  if (g_progress_shown && !last && now - g_progress_at < std::chrono::milliseconds(100)) return;
  g_progress_at = now;
  if (total)
    std::fprintf(stderr, "\rbucketdb: %s: %llu/%llu\033[K", task,
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total));
  else
    std::fprintf(stderr, "\rbucketdb: %s: %llu\033[K", task, static_cast<unsigned long long>(done));
  std::fflush(stderr);
  g_progress_shown = true;
}

void end_progress() {
  std::lock_guard<std::mutex> lock(g_progress_mu);
  if (!g_progress_shown) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  g_progress_shown = false;
}

void print_line(const char *text) {
  end_progress();
  std::fputs(text, stdout);
  std::fputc('\n', stdout);
}

void print_line(const std::string &text) {
  end_progress();
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

void print_json(const char *json) {
  if (isatty(STDOUT_FILENO) && bdbcommon::json_depth_within(json)) {
    // ordered_json keeps the library's key order; its integers stay exact.
    auto doc = nlohmann::ordered_json::parse(json, nullptr, false);
    if (!doc.is_discarded()) {
      print_line(doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
      return;
    }
  }
  print_line(json);
}

void finish_output() {
  end_progress();
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout))
    throw CliError(kExitFailure, std::string("writing output: ") +
                                     (errno ? std::strerror(errno) : "write error"));
}

bool stderr_is_terminal() {
  return isatty(STDERR_FILENO) != 0;
}

Progress::Progress(std::string what, std::string unit)
    : what_(std::move(what)), unit_(std::move(unit)), enabled_(stderr_is_terminal()) {}

Progress::~Progress() {
  if (shown_) std::fputc('\n', stderr);
}

void Progress::update(uint64_t count) {
  if (!enabled_) return;
  std::fprintf(stderr, "\rbucketdb: %s: %llu %s", what_.c_str(),
               static_cast<unsigned long long>(count), unit_.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void Progress::done(uint64_t count) {
  if (!enabled_) return;
  update(count);
  std::fputc('\n', stderr);
  shown_ = false;
}

}  // namespace bdbcli
