#include "interrupt.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

#include "errors.h"

namespace bdbcli {

namespace {

std::atomic<bool> g_requested{false};
std::mutex g_mu;  // g_db: a close must not free the handle while it is interrupted
bdb_db *g_db = nullptr;

sigset_t watched() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

void watch(sigset_t set) {
  for (bool first = true;; first = false) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) return;
    if (first) {
      g_requested = true;
      std::lock_guard<std::mutex> lock(g_mu);
      if (g_db) {
        bdb_db_interrupt(g_db);
        continue;
      }
      std::fputs("bucketdb: interrupted\n", stderr);
      std::_Exit(kExitInterrupted);
    }
    // The second: the default action (the process ends by the signal).
    signal(sig, SIG_DFL);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    raise(sig);
    return;
  }
}

}  // namespace

void watch_signals() {
  sigset_t set = watched();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(watch, set).detach();
}

void set_interruptible(bdb_db *db) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_db = db;
}

bool interrupt_requested() {
  return g_requested.load();
}

}  // namespace bdbcli
