// The database's log lines (bdb_options_set_logger) to the JavaScript layer's logger, the Node
// library's `logger` option (an object with .debug .info .warn .error, as Pino or Winston
// give). The library logs from any thread, several at once, and must not wait: each line is
// posted to the main thread through a thread-safe function, and goes to stderr instead once the
// environment is being torn down (a database closed at exit still says why its merge failed).
#pragma once

#include <memory>

#include "addon.h"
#include "main_thread.h"

namespace bdbnode {

class LogSink {
 public:
  // Main thread: fn(level, subsystem, message) receives each line, level as bdb_log_level.
  static std::shared_ptr<LogSink> Make(Napi::Env env, Napi::Function fn);
  // For bdb_options_set_logger, with the sink as ctx; it must outlive the database.
  static void Log(void *ctx, int level, const char *subsystem, const char *message);
  // For bdb_options_set_progress, with a sink as ctx: a line of subsystem `task` and message
  // "DONE TOTAL" (the JavaScript layer turns it back into progress(task, done, total)).
  static void Progress(void *ctx, const char *task, uint64_t done, uint64_t total);

 private:
  LogSink() = default;
  static void CallJs(napi_env env, napi_value fn, void *context, void *data);

  std::unique_ptr<MainThreadCalls> calls_;
};

}  // namespace bdbnode
