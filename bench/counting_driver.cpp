// counting: a layer that counts the requests reaching the store it wraps, for the latency
// benchmark's counts that span processes (the bucketdb command line run a hundred times, the
// month's cold starts) or stand below another layer (the slow store under tiered:, which is
// what S3 bills). Built for the benchmark only; never installed.
//
//   counting:INNER?counting.file=PATH[&counting.trace=PATH]
//
// At close an instance appends one line "gets puts lists deletes putConflicts" to `file` (one
// write with O_APPEND, so the lines of processes closing together do not mix); the benchmark
// sums the lines. Its stats give the same counters while it is open. `trace` gets a line per
// call, "start_us end_us pid op status key" (CLOCK_MONOTONIC, the same in every process), to see
// which requests were in flight together (BDB_BENCH_TRACE: README.md, Performance).
#include <bucketdb/driver.h>
#include <fcntl.h>
#include <unistd.h>

#include <time.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <string>

#include "drv_util.h"
#include "layer.h"

namespace {

using bdbdrv::guarded;
using bdbdrv::set_error;

struct Counting {
  bdbdrv::Inner inner;
  std::string file;
  int trace = -1;
  std::atomic<uint64_t> gets{0}, puts{0}, lists{0}, deletes{0}, conflicts{0};

  std::string line() const {
    return std::to_string(gets.load()) + " " + std::to_string(puts.load()) + " " +
           std::to_string(lists.load()) + " " + std::to_string(deletes.load()) + " " +
           std::to_string(conflicts.load()) + "\n";
  }

  // Runs one call of the inner driver, traced when asked to.
  template <class Fn>
  int call(const char *op, const char *key, Fn &&fn) {
    if (trace < 0) return fn();
    const uint64_t t0 = now_us();
    int st = fn();
    char buf[600];
    int n = std::snprintf(buf, sizeof buf, "%llu %llu %d %s %d %.400s\n",
                          static_cast<unsigned long long>(t0),
                          static_cast<unsigned long long>(now_us()), static_cast<int>(getpid()), op,
                          st, key ? key : "");
    if (n > 0) {
      ssize_t w = ::write(trace, buf, std::min<size_t>(static_cast<size_t>(n), sizeof buf - 1));
      (void)w;  // a trace line lost leaves a gap in a diagnosis, nothing worse
    }
    return st;
  }
  static uint64_t now_us() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000 + static_cast<uint64_t>(ts.tv_nsec) / 1000;
  }
};

int counting_open(const bdb_driver_host *host, const char *config, void **out, bdb_drv_error *err) {
  return guarded(err, "open", config, [&]() -> int {
    auto c = std::make_unique<Counting>();
    std::string inner;
    std::map<std::string, std::string> opts;
    if (int st = bdbdrv::split_layer(config, "counting", &inner, &opts, err)) return st;
    for (const auto &[name, value] : opts) {
      if (name == "file") {
        c->file = value;
      } else if (name == "trace") {
        c->trace = ::open(value.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (c->trace < 0)
          return set_error(err, BDB_DRV_IO, errno, "counting: cannot open %s", value.c_str());
      } else {
        return set_error(err, BDB_DRV_INVALID, 0, "counting: unknown option counting.%s",
                         name.c_str());
      }
    }
    if (int st = bdbdrv::check_host(host, "counting", err)) return st;
    if (int st = c->inner.open(host, inner, err)) return st;
    *out = c.release();
    return BDB_DRV_OK;
  });
}

void counting_close(void *inst) {
  auto *c = static_cast<Counting *>(inst);
  if (!c->file.empty()) {
    int fd = ::open(c->file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      std::string l = c->line();
      ssize_t n = ::write(fd, l.data(), l.size());
      (void)n;  // a benchmark's count lost is seen as a short sum, nothing worse
      ::close(fd);
    }
  }
  if (c->trace >= 0) ::close(c->trace);
  c->inner.close();
  delete c;
}

int counting_get(void *inst, const char *key, const char *inm, bdb_drv_object *out,
                 bdb_drv_error *err) {
  auto *c = static_cast<Counting *>(inst);
  c->gets++;
  return c->call("get", key, [&] { return c->inner.get(key, inm, out, err); });
}

int counting_put(void *inst, const char *key, const void *data, size_t size,
                 const bdb_drv_put_options *o, char **etag, bdb_drv_error *err) {
  auto *c = static_cast<Counting *>(inst);
  c->puts++;
  int st = c->call("put", key, [&] { return c->inner.put(key, data, size, o, etag, err); });
  if (st == BDB_DRV_PRECONDITION_FAILED) c->conflicts++;
  return st;
}

int counting_del(void *inst, const char *key, bdb_drv_error *err) {
  auto *c = static_cast<Counting *>(inst);
  c->deletes++;
  return c->call("delete", key, [&] { return c->inner.del(key, err); });
}

int counting_list(void *inst, const char *prefix, const char *token, bdb_drv_list *out,
                  bdb_drv_error *err) {
  auto *c = static_cast<Counting *>(inst);
  c->lists++;
  return c->call("list", prefix, [&] { return c->inner.list(prefix, token, out, err); });
}

// Buffers are the inner driver's, passed through unchanged: give them back to it.
void counting_release(void *inst, void *p) {
  static_cast<Counting *>(inst)->inner.release(p);
}
void counting_release_list(void *inst, bdb_drv_list *l) {
  static_cast<Counting *>(inst)->inner.release_list(l);
}

uint64_t counting_capabilities(void *inst) {
  return static_cast<Counting *>(inst)->inner.capabilities();
}

int counting_stats(void *inst, char *buf, size_t cap) {
  auto *c = static_cast<Counting *>(inst);
  std::string own = "\"countedGets\":" + std::to_string(c->gets.load()) +
                    ",\"countedPuts\":" + std::to_string(c->puts.load()) +
                    ",\"countedLists\":" + std::to_string(c->lists.load()) +
                    ",\"countedDeletes\":" + std::to_string(c->deletes.load()) +
                    ",\"countedConflicts\":" + std::to_string(c->conflicts.load());
  return bdbdrv::write_stats(buf, cap, "{" + own + ",\"inner\":" + c->inner.stats() + "}",
                             "{" + own + "}");
}

}  // namespace

extern "C" BDB_DRIVER_EXPORT const bdb_driver_v1 *bdb_driver_entry(uint32_t host_abi) {
  static const bdb_driver_v1 t =
      bdbdrv::layer_table("counting", counting_open, counting_close, counting_get, counting_put,
                          counting_del, counting_list, counting_release, counting_release_list,
                          counting_stats, counting_capabilities);
  return host_abi >= 1 ? &t : nullptr;
}
