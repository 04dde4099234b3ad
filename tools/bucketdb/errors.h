// How the shell fails: every error becomes one CliError carrying the exit status scripts test.
#pragma once

#include <stdexcept>
#include <string>

#include <bucketdb/bucketdb.h>

#include "interrupt.h"

namespace bdbcli {

// Exit statuses are part of the interface: scripts branch on them.
enum ExitCode : int {
  kExitOk = 0,
  kExitNotFound = 1,       // `get` found no document
  kExitUsage = 2,          // bad flags, commands or --where syntax
  kExitFailure = 3,        // anything the database or the system refused
  kExitInterrupted = 130,  // Ctrl-C or SIGTERM stopped the command (128 + SIGINT)
};

class CliError : public std::runtime_error {
 public:
  CliError(int exit_code, const std::string &message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// Throws the last ABI error of this thread when `status` is not BDB_OK. A NOT_FOUND maps to
// `not_found_exit` so that only the commands that promise status 1 give it.
// After a signal (interrupt.h) every call ends the command, as interrupted.
inline void check(bdb_status status, int not_found_exit = kExitFailure) {
  if (interrupt_requested()) {
    std::string text = "interrupted";
    if (status == BDB_E_INTERRUPTED) text += std::string(" (") + bdb_errmsg() + ")";
    throw CliError(kExitInterrupted, text);
  }
  if (status == BDB_OK) return;
  const char *msg = bdb_errmsg();
  std::string text = (msg && *msg) ? msg : bdb_status_str(status);
  throw CliError(status == BDB_E_NOT_FOUND ? not_found_exit : kExitFailure, text);
}

[[noreturn]] inline void usage_error(const std::string &message) {
  throw CliError(kExitUsage, message);
}

}  // namespace bdbcli
