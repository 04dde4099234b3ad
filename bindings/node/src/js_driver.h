// A storage driver written in JavaScript: an object with async get, put, delete and list, as
// the Node library's drivers page describes, registered with bdb_driver_register under a
// scheme of its own ("js-N") and called from the engine's threads.
//
// The engine calls a driver from many threads at once (the threads that call into it, its
// I/O pool, its background service) and each waits for its answer; JavaScript runs on the main
// thread only. So each call becomes a request handed to the main thread through a thread-safe
// function; lib/js_driver.js calls the object's method, maps what it resolves or rejects with
// (NoSuchKey, PreconditionFailed, ...) and answers through complete(), which wakes the waiting
// thread.
//
// The rule that keeps this from deadlocking: the main thread never waits for the engine while
// the engine may be waiting for it. Every bdb_* call that can reach storage runs on the
// executor's threads; what runs on the main thread (staging rows, freeing a batch or a cursor,
// whose database is still open, since the addon frees children before closing) touches no
// storage. Two cases remain, and fail fast instead of waiting: a driver call made on the main
// thread itself, and every call once the environment is being torn down (process exit, a
// worker's end), when the main thread closes databases and joins the executor's threads while
// no JavaScript can run any more: CloseJsDrivers(env) first fails every request waiting and
// every later one.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "addon.h"
#include "bucketdb/driver.h"
#include "main_thread.h"

namespace bdbnode {

class JsRegistration : public std::enable_shared_from_this<JsRegistration> {
 public:
  struct Request {
    int op = 0;                        // 0 get, 1 put, 2 delete, 3 list
    std::string key, arg;              // arg: put's If-Match ETag, list's continuation token
    std::vector<unsigned char> bytes;  // put's data; get's answer
    bool if_none_match = false;
    // The answer.
    bool answered = false;
    int status = BDB_DRV_IO;
    std::string message, etag, next;
    std::vector<std::string> keys;
    bool truncated = false;
  };

  // Registers `dispatch` (lib/js_driver.js) under a new scheme; throws the library's error.
  static std::shared_ptr<JsRegistration> Make(Napi::Env env, Napi::Function dispatch,
                                              uint64_t capabilities);
  ~JsRegistration();  // main thread; unregisters, once no database uses it any more
  JsRegistration(const JsRegistration &) = delete;
  JsRegistration &operator=(const JsRegistration &) = delete;

  const std::string &scheme() const { return scheme_; }
  napi_env env() const;
  // An engine thread: sends the request to JavaScript and waits for its answer.
  void Ask(Request *r);
  // The main thread: the answer to request `id`, if it is still waited for.
  void Answer(uint64_t id, Request &&answer);
  // Environment teardown: fails every waiting request and every later one.
  void Close();

 private:
  JsRegistration() = default;
  static void CallJs(napi_env env, napi_value dispatch, void *context, void *data);
  void Fail(Request *r, const char *why) const;
  void FailAll();

  // The table, with the way back to its registration: the host hands it back as host->driver.
  struct Table {
    bdb_driver_v1 t;  // first (a standard-layout struct)
    JsRegistration *owner;
  } table_;
  std::string scheme_;
  std::unique_ptr<MainThreadCalls> calls_;
  std::mutex mu_;
  std::condition_variable answered_;
  std::map<uint64_t, Request *> waiting_;
  uint64_t next_id_ = 1;
  bool closing_ = false;
};

// registerJsDriver(dispatch, capabilities) -> [scheme, handle]; complete(scheme, id, answer).
void InitJsDriver(Napi::Env env, Napi::Object exports);
// The registration behind a handle registerJsDriver gave (empty for anything else).
std::shared_ptr<JsRegistration> RegistrationOf(Napi::Value handle);
// Environment teardown: fails every request of env's JavaScript drivers, waiting or to come,
// before anything of the teardown waits for the engine.
void CloseJsDrivers(napi_env env);

}  // namespace bdbnode
