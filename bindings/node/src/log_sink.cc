#include "log_sink.h"

#include <cstdio>
#include <string>

namespace bdbnode {

namespace {

struct Line {
  int level;
  std::string subsystem, message;
};

void ToStderr(const Line &l) {
  static const char *const tags[] = {"", "", "warning: ", "error: "};
  std::fprintf(stderr, "bucketdb: %s: %s%s\n", l.subsystem.c_str(),
               l.level >= 0 && l.level <= 3 ? tags[l.level] : "", l.message.c_str());
}

}  // namespace

std::shared_ptr<LogSink> LogSink::Make(Napi::Env env, Napi::Function fn) {
  std::shared_ptr<LogSink> s(new LogSink());
  s->calls_ = std::make_unique<MainThreadCalls>(env, fn, "bucketdb logger", &LogSink::CallJs,
                                                nullptr, nullptr, nullptr);
  return s;
}

void LogSink::Log(void *ctx, int level, const char *subsystem, const char *message) {
  auto *line = new Line{level, subsystem, message};
  if (!static_cast<LogSink *>(ctx)->calls_->Post(line)) {
    ToStderr(*line);
    delete line;
  }
}

void LogSink::Progress(void *ctx, const char *task, uint64_t done, uint64_t total) {
  Log(ctx, BDB_LOG_INFO, task, (std::to_string(done) + " " + std::to_string(total)).c_str());
}

void LogSink::CallJs(napi_env env, napi_value fn, void *, void *data) {
  std::unique_ptr<Line> line(static_cast<Line *>(data));
  if (!env) {  // torn down with the line queued
    ToStderr(*line);
    return;
  }
  Napi::Env e(env);
  Napi::HandleScope scope(e);
  try {
    Napi::Function(e, fn).Call({Napi::Number::New(e, line->level),
                                Napi::String::New(e, line->subsystem),
                                Napi::String::New(e, line->message)});
  } catch (const Napi::Error &) {  // the JavaScript side reports its logger's failures
  }
}

}  // namespace bdbnode
