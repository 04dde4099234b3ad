#include "output.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include <nlohmann/json.hpp>

#include "errors.h"

namespace bdbcli {

void print_line(const char *text) {
  std::fputs(text, stdout);
  std::fputc('\n', stdout);
}

void print_line(const std::string &text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

void print_json(const char *json) {
  if (isatty(STDOUT_FILENO)) {
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
