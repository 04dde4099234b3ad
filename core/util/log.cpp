#include "core/util/log.h"

#include <cstdio>

#include "core/util/error.h"

namespace bucketdb {

LogLevel parse_log_level(const std::string &text) {
  if (text == "debug") return LogLevel::kDebug;
  if (text == "info") return LogLevel::kInfo;
  if (text == "warn") return LogLevel::kWarn;
  if (text == "error") return LogLevel::kError;
  if (text == "silent") return LogLevel::kSilent;
  fail(BDB_E_INVALID,
       "option logLevel: '" + text + "' is not one of debug, info, warn, error, silent");
}

void Logger::log(LogLevel level, const char *subsystem, const std::string &message) const noexcept {
  if (!enabled(level)) return;
  try {
    if (sink) {
      sink(level, subsystem, message.c_str());
      return;
    }
    static const char *const kNames[] = {"debug", "info", "warning", "error"};
    const char *name = kNames[static_cast<int>(level)];
    // One fprintf per line, so lines of several threads do not interleave.
    if (level >= LogLevel::kWarn)
      std::fprintf(stderr, "bucketdb: %s: %s: %s\n", subsystem, name, message.c_str());
    else
      std::fprintf(stderr, "bucketdb: %s: %s\n", subsystem, message.c_str());
  } catch (...) {
  }
}

}  // namespace bucketdb
