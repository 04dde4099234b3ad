// Library-wide calls: version, last error, status names, bdb_free.
#include <cstdlib>
#include <cstring>

#include "abi/src/abi_guard.h"

namespace bucketdb::abi {

namespace {
thread_local bdb_status t_status = BDB_OK;
thread_local std::string t_message;
thread_local const char *t_call = "bucketdb";
}  // namespace

const char *current_call() {
  return t_call;
}
CallName::CallName(const char *call) : outer_(t_call) {
  t_call = call;
}
CallName::~CallName() {
  t_call = outer_;
}

void set_error(bdb_status status, const std::string &message) {
  t_status = status;
  t_message = bucketdb::without_nul(message);  // bdb_errmsg is a C string too
}

void clear_error() {
  t_status = BDB_OK;
  t_message.clear();
}

char *dup_for_caller(const std::string &s) {
  char *p = static_cast<char *>(std::malloc(s.size() + 1));
  if (!p) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

}  // namespace bucketdb::abi

extern "C" {

int bdb_abi_version(void) {
  return BDB_ABI_VERSION;
}
const char *bdb_version(void) {
  return BDB_VERSION_STRING;
}
const char *bdb_errmsg(void) {
  return bucketdb::abi::t_status == BDB_OK ? "" : bucketdb::abi::t_message.c_str();
}
bdb_status bdb_errcode(void) {
  return bucketdb::abi::t_status;
}
void bdb_free(void *ptr) {
  std::free(ptr);
}

const char *bdb_status_str(int status) {
  switch (status) {
    case BDB_OK:
      return "ok";
    case BDB_E_NOT_FOUND:
      return "not found";
    case BDB_E_INVALID:
      return "invalid argument";
    case BDB_E_SCHEMA:
      return "schema error";
    case BDB_E_TYPE:
      return "type error";
    case BDB_E_JSON:
      return "malformed JSON";
    case BDB_E_EXISTS:
      return "already exists";
    case BDB_E_CONFLICT:
      return "conflict";
    case BDB_E_CORRUPT:
      return "corrupt";
    case BDB_E_IO:
      return "storage error";
    case BDB_E_PERMISSION:
      return "permission denied";
    case BDB_E_URI:
      return "bad URI or driver";
    case BDB_E_NOMEM:
      return "out of memory";
    case BDB_E_NO_SPACE:
      return "storage full";
    case BDB_E_BUSY:
      return "busy";
    case BDB_E_INTERNAL:
      return "internal error";
    case BDB_E_INTERRUPTED:
      return "interrupted";
    default:
      return "unknown status";
  }
}

}  // extern "C"
