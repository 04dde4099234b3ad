// One log for the engine and its drivers: each message has a level, a subsystem ("engine",
// "merge", "driver", ...) and one line of text, and goes to the application's callback
// (bdb_options_set_logger) or, by default, to stderr as "bucketdb: SUBSYSTEM: message". The
// database's logLevel decides which levels pass, everywhere: engine and drivers alike.
#pragma once

#include <functional>
#include <string>

namespace bucketdb {

// The values of bdb_log_level and of the driver ABI's BDB_DRV_LOG_*.
enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kSilent = 4 };

// "debug", "info", "warn", "error", "silent"; BDB_E_INVALID naming logLevel otherwise.
LogLevel parse_log_level(const std::string &text);

// Called from any thread, several at once; must not call back into the database.
using LogSink = std::function<void(LogLevel level, const char *subsystem, const char *message)>;

struct Logger {
  LogLevel min = LogLevel::kInfo;
  LogSink sink;  // empty: stderr

  bool enabled(LogLevel level) const { return level >= min && min != LogLevel::kSilent; }
  // Writes the message when its level passes; never throws (a failing sink is ignored).
  void log(LogLevel level, const char *subsystem, const std::string &message) const noexcept;
};

}  // namespace bucketdb
