// list for tiered: both stores listed, each filtered to the keys it owns, merged in key order.
//
// Inner continuation tokens are opaque, so the outer token records, per store, the token of the
// inner page being consumed ("-" once the store is exhausted) and the last key returned. The
// next call lists that page again and skips keys up to the last one returned, which stays
// right when keys are added or deleted between calls. A page stops where either store's page
// runs out (its next key is unknown until its next page is fetched), and holds at most as many
// keys as the smallest truncated inner page did, so tiered pages like its stores.
#include <algorithm>
#include <string>
#include <vector>

#include "tiered.h"

namespace bdbtiered {

namespace {

using bdbdrv::kKeyInMessage;
using bdbdrv::set_error;

constexpr size_t kMaxPage = 1000;
constexpr int kMaxEmptyPages = 100000;  // a store paging forever without keys is broken

struct Stream {
  bool is_fast = false;
  bool done = false;
  std::string token;  // of the page being consumed; "" for the first page
  std::vector<std::string> keys;
  size_t pos = 0;
  bool truncated = false;
  std::string next;
};

struct State {
  std::string last;
  Stream fast, slow;
};

void put_field(std::string *out, bool done, const std::string &s) {
  if (done) {
    *out += '-';
  } else {
    *out += std::to_string(s.size()) + ":" + s;
  }
}

std::string encode(const State &st) {
  std::string out = "T1";
  put_field(&out, false, st.last);
  put_field(&out, st.fast.done, st.fast.token);
  put_field(&out, st.slow.done, st.slow.token);
  return out;
}

bool get_field(const std::string &in, size_t *pos, bool *done, std::string *s) {
  if (*pos < in.size() && in[*pos] == '-') {
    *done = true;
    (*pos)++;
    return true;
  }
  size_t colon = in.find(':', *pos);
  if (colon == std::string::npos || colon == *pos || colon - *pos > 9) return false;
  size_t len = 0;
  for (size_t i = *pos; i < colon; i++) {
    if (in[i] < '0' || in[i] > '9') return false;
    len = len * 10 + static_cast<size_t>(in[i] - '0');
  }
  if (colon + 1 + len > in.size()) return false;
  *done = false;
  *s = in.substr(colon + 1, len);
  *pos = colon + 1 + len;
  return true;
}

bool decode(const std::string &in, State *st) {
  if (in.compare(0, 2, "T1") != 0) return false;
  size_t pos = 2;
  bool last_done = false;
  return get_field(in, &pos, &last_done, &st->last) && !last_done &&
         get_field(in, &pos, &st->fast.done, &st->fast.token) &&
         get_field(in, &pos, &st->slow.done, &st->slow.token) && pos == in.size();
}

// Fills s with its keys after `last`, fetching further pages while a page brings none.
int fetch(Tiered &t, Stream &s, const char *prefix, const std::string &last, size_t *cap,
          bdb_drv_error *err) {
  for (int i = 0; i < kMaxEmptyPages; i++) {
    const bdbdrv::Inner &in = s.is_fast ? t.to_fast(Tiered::kList) : t.to_slow(Tiered::kList);
    bdb_drv_list l{};
    int st = in.list(prefix, s.token.empty() ? nullptr : s.token.c_str(), &l, err);
    if (st == BDB_DRV_NOT_FOUND) {
      s.done = true;
      return BDB_DRV_OK;
    }
    if (st != BDB_DRV_OK) return st;
    s.keys.clear();
    s.pos = 0;
    for (size_t k = 0; k < l.count; k++) {
      const char *key = l.keys[k];
      if (t.fast_key(key) == s.is_fast && (last.empty() || last < key)) s.keys.emplace_back(key);
    }
    s.truncated = l.truncated && l.next_token;
    s.next = s.truncated ? l.next_token : "";
    if (s.truncated) *cap = std::min(*cap, std::max<size_t>(l.count, 1));
    in.release_list(&l);
    if (!s.keys.empty()) return BDB_DRV_OK;
    if (!s.truncated) {
      s.done = true;
      return BDB_DRV_OK;
    }
    if (s.next == s.token)
      return set_error(err, BDB_DRV_IO, 0, "list %.*s: the %s store returned the same token twice",
                       kKeyInMessage, prefix, s.is_fast ? "fast" : "slow");
    s.token = s.next;
  }
  return set_error(err, BDB_DRV_IO, 0, "list %.*s: the %s store pages without end", kKeyInMessage,
                   prefix, s.is_fast ? "fast" : "slow");
}

}  // namespace

int merged_list(Tiered &t, const char *prefix, const char *token, bdb_drv_list *out,
                bdb_drv_error *err) {
  *out = bdb_drv_list{};
  State st;
  st.fast.is_fast = true;
  if (token && *token && !decode(token, &st))
    return set_error(err, BDB_DRV_INVALID, 0, "list %.*s: not a continuation token of tiered",
                     kKeyInMessage, prefix);
  size_t cap = kMaxPage;
  for (Stream *s : {&st.fast, &st.slow}) {
    if (s->done) continue;
    if (int rc = fetch(t, *s, prefix, st.last, &cap, err)) return rc;
  }
  std::vector<std::string> keys;
  while (keys.size() < cap) {
    Stream *pick = nullptr;
    for (Stream *s : {&st.fast, &st.slow})
      if (!s->done && s->pos < s->keys.size() && (!pick || s->keys[s->pos] < pick->keys[pick->pos]))
        pick = s;
    if (!pick) break;
    keys.push_back(pick->keys[pick->pos++]);
    st.last = keys.back();
    if (pick->pos < pick->keys.size()) continue;
    if (!pick->truncated) {
      pick->done = true;
      continue;
    }
    // Its page is used up: the next call starts from its next page.
    pick->token = pick->next;
    break;
  }
  bool more = !(st.fast.done && st.slow.done);
  if (int rc = bdbdrv::make_list(keys, false, out, err)) return rc;
  if (more) {
    out->truncated = 1;
    out->next_token = bdbdrv::dup_cstr(encode(st));
    if (!out->next_token) {
      bdbdrv::free_list(out);
      return set_error(err, BDB_DRV_NOMEM, ENOMEM, "list: out of memory");
    }
  }
  return BDB_DRV_OK;
}

}  // namespace bdbtiered
