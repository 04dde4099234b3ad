// faulty: a layered driver that fails, delays, corrupts, or loses the reply of chosen calls
// of the driver it wraps, reproducibly by seed. The engine's fault tests use it.
//
//   faulty:file:/d?faulty.every=3&faulty.ops=put&faulty.action=lose_reply
//
// Options (all "faulty."-prefixed): which calls — nth=N (the N-th call), every=N, rate=R
// (0-1, decided by a hash of seed and call number, so threads do not change the choice),
// seed=S, ops=get,put,del,list (default all), max=N (at most N faults); what happens —
// action=fail (default: return status=transient|io|permission|no_space|invalid without doing
// the call), lose_reply (do the call, then report transient: an ambiguous write), corrupt
// (a get returns its object with one byte flipped), delay (only sleep delay_ms);
// delay_ms=N sleeps before every chosen call; jitter_ms=N sleeps N ms more before half of the
// chosen calls (by a hash of seed and call number: "25 ms on every call, 50 on half" is
// every=1&action=delay&delay_ms=25&jitter_ms=25); conditional=0 makes the store one without
// conditional writes (like Backblaze B2): If-Match / If-None-Match are dropped and the
// capability is not reported. A delay ends early when the host says the call was interrupted
// (bdb_driver_host.interrupted); the call then fails as transient without reaching the inner
// driver.
#include <bucketdb/driver.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "drv_util.h"
#include "entry.h"

namespace {

using bdbdrv::guarded;
using bdbdrv::set_error;

enum Op { kGet = 1, kPut = 2, kDel = 4, kList = 8 };
enum Action { kFail, kLoseReply, kCorrupt, kDelay };

struct Faulty {
  const bdb_driver_host *host = nullptr;
  const bdb_driver_v1 *inner = nullptr;
  void *inner_instance = nullptr;
  uint64_t nth = 0, every = 0, max = 0, seed = 0, delay_ms = 0, jitter_ms = 0;
  double rate = 0;
  unsigned ops = kGet | kPut | kDel | kList;
  Action action = kFail;
  int status = BDB_DRV_TRANSIENT;
  bool conditional = true;
  std::atomic<uint64_t> calls{0}, faults{0}, jittered{0};

  // Sleeps ms in short steps; false when the host interrupted the call meanwhile.
  bool pause(uint64_t ms) const {
    const bool can_ask = BDB_DRIVER_HOST_HAS(host, interrupted) && host->interrupted;
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    for (;;) {
      if (can_ask && host->interrupted(host->host_ctx)) return false;
      auto left = end - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) return true;
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          left, std::chrono::milliseconds(can_ask ? 5 : ms)));
    }
  }
  // Decides whether call number n (1-based) of op is chosen. *let_go: its delay was
  // interrupted (the caller fails the call, not doing it).
  bool chosen(Op op, uint64_t *n_out, bool *let_go) {
    *let_go = false;
    if (!(ops & op)) return false;
    uint64_t n = ++calls;
    *n_out = n;
    bool hit = (nth && n == nth) || (every && n % every == 0) ||
               (rate > 0 && static_cast<double>(bdbdrv::fmix64(seed * 0x9e3779b97f4a7c15ULL + n)) <
                                rate * 18446744073709551616.0);
    if (!hit) return false;
    if (max && faults.fetch_add(1) >= max) return false;
    if (!max) faults++;
    uint64_t sleep_ms = delay_ms;
    // Another hash than rate's, so that the calls chosen by rate are not all jittered.
    if (jitter_ms &&
        bdbdrv::fmix64((seed ^ 0x5851f42d4c957f2dULL) * 0x9e3779b97f4a7c15ULL + n) >> 63) {
      sleep_ms += jitter_ms;
      jittered++;
    }
    if (sleep_ms && !pause(sleep_ms)) {
      *let_go = true;
      return true;
    }
    return action != kDelay;
  }
  int interrupted(bdb_drv_error *err, const char *op, const char *key) {
    return set_error(err, BDB_DRV_TRANSIENT, 0, "faulty: delay of %s %.*s interrupted", op,
                     bdbdrv::kKeyInMessage, key ? key : "");
  }
  int injected(bdb_drv_error *err, const char *op, const char *key, uint64_t n, int st) {
    return set_error(err, st, 0, "faulty: injected %s of %s %.*s (call %llu)",
                     st == BDB_DRV_TRANSIENT ? "transient failure" : "failure", op,
                     bdbdrv::kKeyInMessage, key ? key : "", static_cast<unsigned long long>(n));
  }
};

bool parse_uint(const std::string &s, uint64_t *out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

bool configure(Faulty &f, const std::map<std::string, std::string> &opts, std::string *why) {
  for (const auto &[name, value] : opts) {
    bool ok = true;
    if (name == "nth")
      ok = parse_uint(value, &f.nth);
    else if (name == "every")
      ok = parse_uint(value, &f.every);
    else if (name == "max")
      ok = parse_uint(value, &f.max);
    else if (name == "seed")
      ok = parse_uint(value, &f.seed);
    else if (name == "delay_ms")
      ok = parse_uint(value, &f.delay_ms) && f.delay_ms <= 600000;
    else if (name == "jitter_ms")
      ok = parse_uint(value, &f.jitter_ms) && f.jitter_ms <= 600000;
    else if (name == "conditional") {
      ok = value == "0" || value == "1";
      f.conditional = value == "1";
    } else if (name == "rate") {
      char *end = nullptr;
      f.rate = std::strtod(value.c_str(), &end);
      ok = end && !*end && f.rate >= 0 && f.rate <= 1;
    } else if (name == "ops") {
      f.ops = 0;
      size_t start = 0;
      while (start <= value.size() && ok) {
        size_t comma = value.find(',', start);
        if (comma == std::string::npos) comma = value.size();
        std::string op = value.substr(start, comma - start);
        if (op == "get")
          f.ops |= kGet;
        else if (op == "put")
          f.ops |= kPut;
        else if (op == "del" || op == "delete")
          f.ops |= kDel;
        else if (op == "list")
          f.ops |= kList;
        else
          ok = false;
        start = comma + 1;
      }
    } else if (name == "action") {
      if (value == "fail")
        f.action = kFail;
      else if (value == "lose_reply")
        f.action = kLoseReply;
      else if (value == "corrupt")
        f.action = kCorrupt;
      else if (value == "delay")
        f.action = kDelay;
      else
        ok = false;
    } else if (name == "status") {
      if (value == "transient")
        f.status = BDB_DRV_TRANSIENT;
      else if (value == "io")
        f.status = BDB_DRV_IO;
      else if (value == "permission")
        f.status = BDB_DRV_PERMISSION;
      else if (value == "no_space")
        f.status = BDB_DRV_NO_SPACE;
      else if (value == "invalid")
        f.status = BDB_DRV_INVALID;
      else
        ok = false;
    } else {
      *why = "unknown option faulty." + name;
      return false;
    }
    if (!ok) {
      why->assign("bad value '").append(value).append("' for faulty.").append(name);
      return false;
    }
  }
  return true;
}

int faulty_open(const bdb_driver_host *host, const char *config, void **out, bdb_drv_error *err) {
  return guarded(err, "open", config, [&]() -> int {
    auto f = std::make_unique<Faulty>();
    std::string inner, why;
    std::map<std::string, std::string> opts;
    if (!bdbdrv::split_layer_config(config ? config : "", "faulty", &inner, &opts, &why) ||
        !configure(*f, opts, &why))
      return set_error(err, BDB_DRV_INVALID, 0, "faulty: %s", why.c_str());
    if (inner.empty())
      return set_error(err, BDB_DRV_INVALID, 0, "faulty: no inner URI (faulty:file:/dir?...)");
    if (!host || !BDB_DRIVER_HOST_HAS(host, host_ctx) || !host->open_inner)
      return set_error(err, BDB_DRV_INVALID, 0, "faulty: the host cannot open inner drivers");
    int st = host->open_inner(host->host_ctx, inner.c_str(), &f->inner, &f->inner_instance, err);
    if (st != BDB_DRV_OK) return st;
    f->host = host;
    *out = f.release();
    return BDB_DRV_OK;
  });
}

void faulty_close(void *inst) {
  auto *f = static_cast<Faulty *>(inst);
  f->host->close_inner(f->host->host_ctx, f->inner, f->inner_instance);
  delete f;
}

int faulty_get(void *inst, const char *key, const char *inm, bdb_drv_object *out,
               bdb_drv_error *err) {
  auto *f = static_cast<Faulty *>(inst);
  uint64_t n = 0;
  bool let_go = false;
  if (f->chosen(kGet, &n, &let_go)) {
    if (let_go) return f->interrupted(err, "get", key);
    if (f->action == kFail) return f->injected(err, "get", key, n, f->status);
    int st = f->inner->get(f->inner_instance, key, inm, out, err);
    if (st == BDB_DRV_OK && f->action == kCorrupt && out->size > 0) {
      static_cast<unsigned char *>(out->data)[bdbdrv::fmix64(f->seed + n) % out->size] ^= 0x5a;
    } else if (st == BDB_DRV_OK && f->action == kLoseReply) {
      f->inner->release(f->inner_instance, out->data);
      f->inner->release(f->inner_instance, out->etag);
      *out = bdb_drv_object{};
      return f->injected(err, "get", key, n, BDB_DRV_TRANSIENT);
    }
    return st;
  }
  return f->inner->get(f->inner_instance, key, inm, out, err);
}

int faulty_put(void *inst, const char *key, const void *data, size_t size,
               const bdb_drv_put_options *o, char **etag, bdb_drv_error *err) {
  auto *f = static_cast<Faulty *>(inst);
  const bdb_drv_put_options none{};
  if (!f->conditional) o = &none;
  uint64_t n = 0;
  bool let_go = false;
  if (f->chosen(kPut, &n, &let_go)) {
    if (let_go) return f->interrupted(err, "put", key);
    if (f->action == kLoseReply) {
      int st = f->inner->put(f->inner_instance, key, data, size, o, etag, err);
      if (st != BDB_DRV_OK) return st;
      if (*etag) f->inner->release(f->inner_instance, *etag);
      *etag = nullptr;
      return f->injected(err, "put", key, n, BDB_DRV_TRANSIENT);
    }
    if (f->action == kFail) return f->injected(err, "put", key, n, f->status);
  }
  return f->inner->put(f->inner_instance, key, data, size, o, etag, err);
}

int faulty_del(void *inst, const char *key, bdb_drv_error *err) {
  auto *f = static_cast<Faulty *>(inst);
  uint64_t n = 0;
  bool let_go = false;
  if (f->chosen(kDel, &n, &let_go)) {
    if (let_go) return f->interrupted(err, "delete", key);
    if (f->action == kLoseReply) {
      int st = f->inner->del(f->inner_instance, key, err);
      return st != BDB_DRV_OK ? st : f->injected(err, "delete", key, n, BDB_DRV_TRANSIENT);
    }
    if (f->action == kFail) return f->injected(err, "delete", key, n, f->status);
  }
  return f->inner->del(f->inner_instance, key, err);
}

int faulty_list(void *inst, const char *prefix, const char *token, bdb_drv_list *out,
                bdb_drv_error *err) {
  auto *f = static_cast<Faulty *>(inst);
  uint64_t n = 0;
  bool let_go = false;
  if (f->chosen(kList, &n, &let_go)) {
    if (let_go) return f->interrupted(err, "list", prefix);
    if (f->action == kFail) return f->injected(err, "list", prefix, n, f->status);
  }
  return f->inner->list(f->inner_instance, prefix, token, out, err);
}

// Buffers come from the inner driver: give them back to it.
void faulty_release(void *inst, void *p) {
  auto *f = static_cast<Faulty *>(inst);
  f->inner->release(f->inner_instance, p);
}
void faulty_release_list(void *inst, bdb_drv_list *l) {
  auto *f = static_cast<Faulty *>(inst);
  f->inner->release_list(f->inner_instance, l);
}

uint64_t faulty_capabilities(void *inst) {
  auto *f = static_cast<Faulty *>(inst);
  const bdb_driver_v1 *t = f->inner;
  uint64_t caps = BDB_DRIVER_HAS(t, instance_capabilities) && t->instance_capabilities
                      ? t->instance_capabilities(f->inner_instance)
                      : t->capabilities;
  if (!f->conditional) caps &= ~uint64_t{BDB_DRV_CAP_CONDITIONAL_PUT};
  // Injected failures never went through the inner driver's retries: the host must retry them.
  const bool injects = (f->nth || f->every || f->rate > 0) && f->action != kDelay;
  if (injects) caps &= ~uint64_t{BDB_DRV_CAP_RETRIES};
  return caps;
}

int faulty_stats(void *inst, char *buf, size_t cap) {
  auto *f = static_cast<Faulty *>(inst);
  std::snprintf(buf, cap, "{\"faultyCalls\":%llu,\"faultyInjected\":%llu,\"faultyJittered\":%llu}",
                static_cast<unsigned long long>(f->calls.load()),
                static_cast<unsigned long long>(f->faults.load()),
                static_cast<unsigned long long>(f->jittered.load()));
  return BDB_DRV_OK;
}

}  // namespace

extern "C" BDB_DRIVER_ENTRY_VISIBILITY const bdb_driver_v1 *BDB_DRIVER_ENTRY_NAME(
    uint32_t host_abi) {
  static const bdb_driver_v1 t = bdbdrv::layer_table(
      "faulty", faulty_open, faulty_close, faulty_get, faulty_put, faulty_del, faulty_list,
      faulty_release, faulty_release_list, faulty_stats, faulty_capabilities);
  return host_abi >= 1 ? &t : nullptr;
}
