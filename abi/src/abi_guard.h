// Every extern "C" entry point runs its body through guard(): a core exception becomes a
// status code and the calling thread's last-error message, and nothing propagates to C.
#pragma once

#include <new>
#include <string>

#include "core/util/error.h"

namespace bucketdb::abi {

void set_error(bdb_status status, const std::string &message);
void clear_error();

// The bdb_* call under way on this thread (set by guard), for messages.
const char *current_call();
class CallName {
 public:
  explicit CallName(const char *call);
  ~CallName();
  CallName(const CallName &) = delete;
  CallName &operator=(const CallName &) = delete;

 private:
  const char *outer_;
};

// `call` names the entry point (its __func__) in the messages of BDB_REQUIRE, DbCall and
// ChildCall.
template <typename Fn>
bdb_status guard(const char *call, Fn &&fn) noexcept {
  CallName name(call);
  try {
    fn();
    return BDB_OK;
  } catch (const Error &e) {
    set_error(e.status(), e.what());
    return e.status();
  } catch (const std::bad_alloc &) {
    set_error(BDB_E_NOMEM, "out of memory");
    return BDB_E_NOMEM;
  } catch (const std::exception &e) {
    set_error(BDB_E_INTERNAL, std::string("internal error: ") + e.what());
    return BDB_E_INTERNAL;
  } catch (...) {
    set_error(BDB_E_INTERNAL, "internal error");
    return BDB_E_INTERNAL;
  }
}

// Fails with BDB_E_INVALID naming the argument when a required pointer is NULL.
#define BDB_REQUIRE(ptr)                                                                     \
  do {                                                                                       \
    if (!(ptr))                                                                              \
      ::bucketdb::fail(BDB_E_INVALID,                                                        \
                       std::string(::bucketdb::abi::current_call()) + ": " #ptr " is NULL"); \
  } while (0)

// Copies a string into memory the caller frees with bdb_free.
char *dup_for_caller(const std::string &s);

}  // namespace bucketdb::abi
