// tiered: the "shared volume" pattern. Block 0 and the log are read from a fast store that all
// nodes share (a shared volume, an NFS/EFS mount, a local file: store for one host), so that
// readStalenessMs 0 (a look at the log before every query) costs no request to the slow store;
// immutable objects (blocks, index nodes, manifest pages, blobs) live on the slow store (S3).
//
//   tiered:s3://bucket?region=eu-west-1&tiered.fast=file:/mnt/shared/bdb
//   tiered:s3://bucket?tiered.fast=file:/mnt/shared/bdb%3Fpage%3D100   (fast URI with a query)
//
// The slow store is the inner URI; the fast store is the tiered.fast option, a URI of its own
// (any driver, layers included) whose own '?', '&', '=' and '%' are written %3F, %26, %3D, %25.
// Options (all "tiered."-prefixed; the rest of the query goes to the slow store):
//   fast=URI        the fast store (required)
//   mirror=0|1      also write Block 0 and log entries to the slow store (default 1), so that
//                   the slow store keeps a whole copy of the database: a backup, and the seed
//                   of a new fast store. Reads never use it. A failed mirror write is counted
//                   and logged, not returned: the fast store holds the truth.
//   seed=0|1        when the fast store has no Block 0 but the slow store has one (the fast
//                   store is new, or was lost), copy Block 0 and the log from the slow store
//                   into it (1), or refuse with an error that says so (0, the default): a
//                   database must never silently start empty.
//   committed=NAME  the log's sub-prefix when the database sets committedPrefix (default
//                   committed)
//
// Routing by key shape: ".../block0", ".../contended" and ".../<committed>/<digits>" go to
// the fast store, everything else to the slow store; list merges both. Conditional puts of fast
// keys are the fast store's (atomic there); the capability is claimed when the fast store has it.
// For slow keys, when the slow store cannot do conditional puts (Backblaze B2), conditions are
// checked with a get first: not atomic, which only immutable, uniquely named objects ever meet.
#include <bucketdb/driver.h>

#include <memory>
#include <string>
#include <vector>

#include "entry.h"
#include "tiered.h"

namespace {

using bdbdrv::guarded;
using bdbdrv::kKeyInMessage;
using bdbdrv::set_error;
using bdbtiered::Tiered;

void log(Tiered &t, int level, const std::string &msg) {
  const bdb_driver_host *h = t.fast.host;
  if (h && h->log) h->log(h->host_ctx, level, ("tiered: " + msg).c_str());
}

int tiered_open(const bdb_driver_host *host, const char *config, void **out, bdb_drv_error *err) {
  return guarded(err, "open", config, [&]() -> int {
    std::string inner, fast;
    std::map<std::string, std::string> opts;
    if (int st = bdbdrv::split_layer(config, "tiered", &inner, &opts, err)) return st;
    auto t = std::make_unique<Tiered>();
    for (const auto &[name, value] : opts) {
      bool ok = true;
      if (name == "fast") {
        fast = value;  // decoded once by split_layer (uri_options.h), like every value
        ok = !fast.empty();
      } else if (name == "mirror")
        ok = bdbdrv::parse_flag(value, &t->mirror);
      else if (name == "seed")
        ok = bdbdrv::parse_flag(value, &t->seed);
      else if (name == "committed") {
        ok = !value.empty() && value.find('/') == std::string::npos;
        t->committed = value;
      } else
        return set_error(err, BDB_DRV_INVALID, 0,
                         "tiered: unknown option tiered.%s (known: tiered.fast, tiered.mirror, "
                         "tiered.seed, tiered.committed)",
                         name.c_str());
      if (!ok)
        return set_error(err, BDB_DRV_INVALID, 0, "tiered: bad value '%s' for tiered.%s",
                         value.c_str(), name.c_str());
    }
    if (fast.empty())
      return set_error(err, BDB_DRV_INVALID, 0,
                       "tiered: set tiered.fast=URI, the fast shared store for Block 0 and the "
                       "log (e.g. tiered:s3://bucket?tiered.fast=file:/mnt/shared/db)");
    if (int st = bdbdrv::check_host(host, "tiered", err)) return st;
    if (int st = t->slow.open(host, inner, err)) return st;
    if (int st = t->fast.open(host, fast, err)) {
      std::string msg = std::string("tiered.fast: ") + err->message;
      return set_error(err, st, err->detail, "%s", msg.c_str());
    }
    *out = t.release();
    return BDB_DRV_OK;
  });
}

void tiered_close(void *inst) {
  delete static_cast<Tiered *>(inst);
}

bool is_block0(const char *key) {
  const char *slash = std::strrchr(key, '/');
  return std::strcmp(slash ? slash + 1 : key, "block0") == 0;
}

// Copies Block 0 and the log of the database of block0_key from the slow store into the fast
// one. Create-only puts: what the fast store already has stays.
int seed_fast_store(Tiered &t, const std::string &block0_key, bdb_drv_error *err) {
  std::lock_guard<std::mutex> lock(t.seed_mu);
  const std::string db = block0_key.substr(0, block0_key.size() - 6);  // with its '/'
  const std::string log_prefix = db + t.committed + "/";
  std::vector<std::string> keys;
  std::string token;
  do {
    bdb_drv_list l{};
    int st = t.to_slow(Tiered::kList)
                 .list(log_prefix.c_str(), token.empty() ? nullptr : token.c_str(), &l, err);
    if (st == BDB_DRV_NOT_FOUND) break;
    if (st != BDB_DRV_OK) return st;
    for (size_t i = 0; i < l.count; i++)
      if (t.fast_key(l.keys[i])) keys.emplace_back(l.keys[i]);
    std::string next = l.truncated && l.next_token ? l.next_token : "";
    t.slow.release_list(&l);
    if (!next.empty() && next == token)
      return set_error(err, BDB_DRV_IO, 0, "tiered: seeding: the slow store repeats a token");
    token = next;
  } while (!token.empty());
  keys.push_back(block0_key);  // last: the database appears whole
  uint64_t copied = 0;
  for (const auto &k : keys) {
    bdbdrv::InnerObject obj(t.slow);
    int st = t.to_slow(Tiered::kGet).get(k.c_str(), nullptr, obj.out(), err);
    if (st == BDB_DRV_NOT_FOUND) continue;  // deleted meanwhile
    if (st != BDB_DRV_OK) return st;
    bdb_drv_put_options create{nullptr, 1};
    char *etag = nullptr;
    st = t.to_fast(Tiered::kPut).put(k.c_str(), obj.data(), obj.size(), &create, &etag, err);
    t.fast.release(etag);
    if (st != BDB_DRV_OK && st != BDB_DRV_PRECONDITION_FAILED) return st;
    if (st == BDB_DRV_OK) copied++;
  }
  t.seeded += copied;
  log(t, 1, "seeded the fast store with " + std::to_string(copied) + " objects of " + db);
  return BDB_DRV_OK;
}

// The fast store has no Block 0: fine for a new database, not when the slow store has one.
int block0_missing(Tiered &t, const char *key, const char *inm, bdb_drv_object *out,
                   bdb_drv_error *err) {
  if (!t.mirror) return BDB_DRV_NOT_FOUND;
  bdbdrv::InnerObject obj(t.slow);
  int st = t.to_slow(Tiered::kGet).get(key, nullptr, obj.out(), err);
  if (st == BDB_DRV_NOT_FOUND) return BDB_DRV_NOT_FOUND;
  if (st != BDB_DRV_OK) return st;
  if (!t.seed)
    return set_error(err, BDB_DRV_IO, 0,
                     "get %.*s: tiered: the fast store has no Block 0 but the slow store has "
                     "one: the fast store is new or was lost. Open once with tiered.seed=1 to "
                     "copy Block 0 and the log from the slow store into it",
                     kKeyInMessage, key);
  if (int rc = seed_fast_store(t, key, err)) return rc;
  bdbdrv::InnerObject again(t.fast);
  st = t.to_fast(Tiered::kGet).get(key, inm, again.out(), err);
  return st != BDB_DRV_OK ? st : bdbdrv::copy_object(again, out, key, err);
}

int tiered_get(void *inst, const char *key, const char *inm, bdb_drv_object *out,
               bdb_drv_error *err) {
  auto *t = static_cast<Tiered *>(inst);
  return guarded(err, "get", key, [&]() -> int {
    *out = bdb_drv_object{};
    const bool fast = t->fast_key(key);
    const bdbdrv::Inner &in = fast ? t->to_fast(Tiered::kGet) : t->to_slow(Tiered::kGet);
    bdbdrv::InnerObject obj(in);
    int st = in.get(key, inm, obj.out(), err);
    if (st == BDB_DRV_NOT_FOUND && is_block0(key)) return block0_missing(*t, key, inm, out, err);
    return st != BDB_DRV_OK ? st : bdbdrv::copy_object(obj, out, key, err);
  });
}

// A conditional put on a slow store without conditional puts: the condition checked first.
int check_condition(Tiered &t, const char *key, const bdb_drv_put_options *o, bdb_drv_error *err) {
  bdbdrv::InnerObject cur(t.slow);
  int st = t.to_slow(Tiered::kGet).get(key, nullptr, cur.out(), err);
  if (st != BDB_DRV_OK && st != BDB_DRV_NOT_FOUND) return st;
  const bool exists = st == BDB_DRV_OK;
  if (o->if_none_match && exists)
    return set_error(err, BDB_DRV_PRECONDITION_FAILED, 412, "put %.*s: key already exists",
                     kKeyInMessage, key);
  if (o->if_match &&
      (!exists || bdbdrv::normalize_etag(o->if_match) != bdbdrv::normalize_etag(cur.etag())))
    return set_error(err, BDB_DRV_PRECONDITION_FAILED, 412, "put %.*s: If-Match %s failed",
                     kKeyInMessage, key, o->if_match);
  return BDB_DRV_OK;
}

int tiered_put(void *inst, const char *key, const void *data, size_t size,
               const bdb_drv_put_options *o, char **etag, bdb_drv_error *err) {
  auto *t = static_cast<Tiered *>(inst);
  return guarded(err, "put", key, [&]() -> int {
    *etag = nullptr;
    const bdb_drv_put_options none{};
    if (!t->fast_key(key)) {
      const bool conditional = o && (o->if_match || o->if_none_match);
      if (conditional && !(t->slow.capabilities() & BDB_DRV_CAP_CONDITIONAL_PUT)) {
        if (int st = check_condition(*t, key, o, err)) return st;
        o = &none;
      }
      int st = t->to_slow(Tiered::kPut).put(key, data, size, o, etag, err);
      return st != BDB_DRV_OK ? st : bdbdrv::take_etag(t->slow, etag, key, err);
    }
    int st = t->to_fast(Tiered::kPut).put(key, data, size, o, etag, err);
    if (st != BDB_DRV_OK) return st;
    if (int rc = bdbdrv::take_etag(t->fast, etag, key, err)) return rc;
    if (t->mirror) {
      bdb_drv_error merr{};
      char *mirror_etag = nullptr;
      int mst = t->to_slow(Tiered::kPut).put(key, data, size, &none, &mirror_etag, &merr);
      t->slow.release(mirror_etag);
      if (mst != BDB_DRV_OK) {
        t->mirror_failures++;
        log(*t, 2, std::string("mirror of ") + key + " to the slow store failed: " + merr.message);
      }
    }
    return BDB_DRV_OK;
  });
}

int tiered_del(void *inst, const char *key, bdb_drv_error *err) {
  auto *t = static_cast<Tiered *>(inst);
  return guarded(err, "delete", key, [&]() -> int {
    if (!t->fast_key(key)) return t->to_slow(Tiered::kDel).del(key, err);
    // The mirror first: a fast key present only on the slow store would look like a lost
    // fast store.
    if (t->mirror)
      if (int st = t->to_slow(Tiered::kDel).del(key, err)) return st;
    return t->to_fast(Tiered::kDel).del(key, err);
  });
}

int tiered_list(void *inst, const char *prefix, const char *token, bdb_drv_list *out,
                bdb_drv_error *err) {
  auto *t = static_cast<Tiered *>(inst);
  return guarded(err, "list", prefix,
                 [&]() -> int { return bdbtiered::merged_list(*t, prefix, token, out, err); });
}

void tiered_release(void *, void *p) {
  std::free(p);
}
void tiered_release_list(void *, bdb_drv_list *l) {
  bdbdrv::free_list(l);
}

uint64_t tiered_capabilities(void *inst) {
  auto *t = static_cast<Tiered *>(inst);
  uint64_t f = t->fast.capabilities(), s = t->slow.capabilities();
  return (f & BDB_DRV_CAP_CONDITIONAL_PUT) |
         (f & s & (BDB_DRV_CAP_STRONG_LIST | BDB_DRV_CAP_IF_NONE_MATCH_GET | BDB_DRV_CAP_RETRIES));
}

int tiered_stats(void *inst, char *buf, size_t cap) {
  auto *t = static_cast<Tiered *>(inst);
  return guarded(nullptr, "stats", "", [&]() -> int {
    auto n = [](uint64_t v) { return std::to_string(v); };
    std::string own;
    for (const char *store : {"fast", "slow"}) {
      const auto *r = store[0] == 'f' ? t->fast_requests : t->slow_requests;
      own += std::string(own.empty() ? "" : ",") + "\"" + store + "Requests\":" +
             n(r[Tiered::kGet] + r[Tiered::kPut] + r[Tiered::kDel] + r[Tiered::kList]) + ",\"" +
             store + "Gets\":" + n(r[Tiered::kGet]) + ",\"" + store +
             "Puts\":" + n(r[Tiered::kPut]) + ",\"" + store + "Deletes\":" + n(r[Tiered::kDel]) +
             ",\"" + store + "Lists\":" + n(r[Tiered::kList]);
    }
    own += ",\"mirrorFailures\":" + n(t->mirror_failures) + ",\"seeded\":" + n(t->seeded);
    return bdbdrv::write_stats(
        buf, cap, "{" + own + ",\"fast\":" + t->fast.stats() + ",\"slow\":" + t->slow.stats() + "}",
        "{" + own + "}");
  });
}

}  // namespace

extern "C" BDB_DRIVER_ENTRY_VISIBILITY const bdb_driver_v1 *BDB_DRIVER_ENTRY_NAME(
    uint32_t host_abi) {
  static const bdb_driver_v1 t = bdbdrv::layer_table(
      "tiered", tiered_open, tiered_close, tiered_get, tiered_put, tiered_del, tiered_list,
      tiered_release, tiered_release_list, tiered_stats, tiered_capabilities);
  return host_abi >= 1 ? &t : nullptr;
}
