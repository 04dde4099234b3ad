#include "core/engine/page_token.h"

#include <cstdint>

#include <xxhash.h>

#include "core/codec/index_key.h"
#include "core/codec/key_codec.h"
#include "core/codec/text.h"
#include "core/schema/schema.h"
#include "core/util/bytes.h"
#include "core/util/error.h"

namespace bucketdb {

namespace {

// 2: one order key, its type id after its name; 3: the table first, then every order key.
constexpr uint8_t kVersion = 3;

// The low 32 bits of XXH64 over the body catch a token cut short or edited by hand (not a
// security measure: a token only names a position in rows the caller may read anyway).
uint32_t check_of(std::string_view body) {
  return static_cast<uint32_t>(XXH64(body.data(), body.size(), 0));
}

std::string to_url(std::string b64) {
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  for (char &c : b64) c = c == '+' ? '-' : (c == '/' ? '_' : c);
  return b64;
}

}  // namespace

std::vector<OrderKey> PageAfter::keys() const {
  std::vector<OrderKey> out{OrderKey{field, descending}};
  for (const Next &n : then) out.push_back(n.key);
  return out;
}

bool PageAfter::admits(const TableSchema &schema, const Values &row) const {
  std::string k;
  auto decides = [&](size_t f, bool desc, const std::string &at, int *verdict) {
    k.clear();
    append_nullable_key(k, *schema.field(f).type, row[f]);
    int c = k.compare(at);
    if (c == 0) return false;
    *verdict = desc ? c < 0 : c > 0;
    return true;
  };
  int verdict = 0;
  if (decides(field, descending, value_key, &verdict)) return verdict;
  for (const Next &n : then)
    if (decides(n.key.field, n.key.descending, n.value_key, &verdict)) return verdict;
  k.clear();
  append_key(k, *schema.primary_key_field().type, row[schema.primary_key()]);
  return k > pk_key;
}

std::string make_page_token(const TableSchema &schema, const std::vector<OrderKey> &keys,
                            const Values &values, const Value &pk) {
  std::string k;
  Bytes raw;
  Writer w(raw);
  w.u8(kVersion);
  w.blob(schema.name());
  w.varint(keys.size());
  for (size_t i = 0; i < keys.size(); i++) {
    const Field &f = schema.field(keys[i].field);
    w.u8(keys[i].descending ? 1 : 0);
    w.blob(f.name);
    w.varint(static_cast<uint64_t>(f.type_id));
    k.clear();
    append_nullable_key(k, *f.type, values[i]);
    w.blob(k);
  }
  k.clear();
  append_key(k, *schema.primary_key_field().type, pk);
  w.blob(k);
  w.u32(check_of(as_view(raw)));
  return to_url(base64_encode(as_view(raw)));
}

PageAfter parse_page_token(const TableSchema &schema, std::string_view token) {
  auto bad = [&](const std::string &why) -> PageAfter {
    fail(BDB_E_INVALID, "query on " + schema.name() + ": page token " + why);
  };
  auto raw = base64_decode(token);  // reads the URL-safe alphabet, padding or not
  if (!raw || raw->size() < 6) return bad("is not one this library made (malformed)");
  std::string_view body(raw->data(), raw->size() - 4);
  if (Reader(std::string_view(*raw).substr(body.size()), "page token").u32() != check_of(body))
    return bad("is damaged (its checksum does not match)");
  struct Key {
    bool descending = false;
    std::string field;
    uint64_t type_id = 0;
    std::string value_key;
  };
  std::vector<Key> keys;
  std::string table, pk_key;
  try {
    Reader r(body, "page token");
    uint8_t version = r.u8();
    if (version == 2) {  // one key: direction, table, field, type, value
      Key k;
      k.descending = r.u8() != 0;
      table = std::string(r.blob());
      k.field = std::string(r.blob());
      k.type_id = r.varint();
      k.value_key = std::string(r.blob());
      keys.push_back(std::move(k));
    } else if (version == kVersion) {
      table = std::string(r.blob());
      keys.resize(r.count(4));
      for (Key &k : keys) {
        k.descending = r.u8() != 0;
        k.field = std::string(r.blob());
        k.type_id = r.varint();
        k.value_key = std::string(r.blob());
      }
    } else {
      return bad("has an unknown version");
    }
    pk_key = std::string(r.blob());
    r.expect_done();
  } catch (const Error &e) {
    if (e.status() != BDB_E_CORRUPT) throw;
    return bad("is malformed");
  }
  // Names this library wrote are identifiers: anything else is forged, and its bytes (maybe
  // not even UTF-8) stay out of the message, which every binding turns into a string.
  if (!valid_identifier(table) || keys.empty()) return bad("is malformed");
  for (const Key &k : keys)
    if (!valid_identifier(k.field)) return bad("is malformed");
  if (table != schema.name()) return bad("was made for table " + table);
  PageAfter a;
  a.pk_key = std::move(pk_key);
  for (size_t i = 0; i < keys.size(); i++) {
    const Key &k = keys[i];
    int fi = schema.field_index(k.field);
    if (fi < 0)
      fail(BDB_E_SCHEMA, "query on " + schema.name() + ": page token orders by '" + k.field +
                             "', which the table no longer has");
    const Field &f = schema.field(static_cast<size_t>(fi));
    // A new table version may retype the field: the position's bytes would mean another value.
    if (k.type_id != static_cast<uint64_t>(f.type_id))
      return bad("was made when '" + k.field +
                 "' had another type; start again from the first page");
    // Each part must be a whole key of its field's current type.
    auto n = index_field_length(*f.type, k.value_key);
    if (!n || *n != k.value_key.size())
      return bad("does not fit the types of " + schema.name() + "." + k.field + " and its key");
    if (i == 0) {
      a.field = static_cast<size_t>(fi);
      a.descending = k.descending;
      a.value_key = k.value_key;
    } else {
      a.then.push_back(
          PageAfter::Next{OrderKey{static_cast<size_t>(fi), k.descending}, k.value_key});
    }
  }
  auto m = index_field_length(*schema.primary_key_field().type, "\1" + a.pk_key);
  if (!m || *m != a.pk_key.size() + 1 || a.pk_key.empty())
    return bad("does not fit the types of " + schema.name() + "." + keys[0].field + " and its key");
  return a;
}

}  // namespace bucketdb
