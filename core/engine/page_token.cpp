#include "core/engine/page_token.h"

#include <cstdint>

#include "core/codec/index_key.h"
#include "core/codec/key_codec.h"
#include "core/codec/text.h"
#include "core/util/error.h"

namespace bucketdb {

namespace {

constexpr char kVersion = 2;  // 2: the order field's type id follows its name

// Catches a token cut short or edited by hand (not a security measure: a token only names a
// position in rows the caller may read anyway).
uint32_t fnv1a(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

void put_len(std::string &out, size_t n) {
  do {
    char b = static_cast<char>(n & 0x7f);
    n >>= 7;
    out += static_cast<char>(b | (n ? 0x80 : 0));
  } while (n);
}

bool get_len(std::string_view &in, size_t &n) {
  n = 0;
  for (int shift = 0; shift < 35 && !in.empty(); shift += 7) {
    auto b = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    n |= static_cast<size_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

bool get_part(std::string_view &in, std::string &out) {
  size_t n = 0;
  if (!get_len(in, n) || n > in.size()) return false;
  out.assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

std::string to_url(std::string b64) {
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  for (char &c : b64) c = c == '+' ? '-' : (c == '/' ? '_' : c);
  return b64;
}

std::string from_url(std::string_view text) {
  std::string s(text);
  for (char &c : s) c = c == '-' ? '+' : (c == '_' ? '/' : c);
  while (s.size() % 4) s += '=';
  return s;
}

}  // namespace

bool PageAfter::admits(const TableSchema &schema, const Values &row) const {
  std::string k;
  append_nullable_key(k, *schema.field(field).type, row[field]);
  int c = k.compare(value_key);
  if (c != 0) return descending ? c < 0 : c > 0;
  k.clear();
  append_key(k, *schema.primary_key_field().type, row[schema.primary_key()]);
  return k > pk_key;
}

std::string make_page_token(const TableSchema &schema, size_t field, bool descending,
                            const Value &value, const Value &pk) {
  std::string raw(1, kVersion);
  raw += descending ? '\1' : '\0';
  put_len(raw, schema.name().size());
  raw += schema.name();
  const Field &f = schema.field(field);
  put_len(raw, f.name.size());
  raw += f.name;
  put_len(raw, static_cast<size_t>(f.type_id));
  std::string k;
  append_nullable_key(k, *f.type, value);
  put_len(raw, k.size());
  raw += k;
  k.clear();
  append_key(k, *schema.primary_key_field().type, pk);
  put_len(raw, k.size());
  raw += k;
  uint32_t h = fnv1a(raw);
  for (int i = 0; i < 4; i++) raw += static_cast<char>(h >> (8 * i));
  return to_url(base64_encode(raw));
}

PageAfter parse_page_token(const TableSchema &schema, std::string_view token) {
  auto bad = [&](const std::string &why) -> PageAfter {
    fail(BDB_E_INVALID, "query on " + schema.name() + ": page token " + why);
  };
  auto raw = base64_decode(from_url(token));
  if (!raw || raw->size() < 6) return bad("is not one this library made (malformed)");
  std::string_view body(raw->data(), raw->size() - 4);
  uint32_t h = 0;
  for (int i = 0; i < 4; i++)
    h |= static_cast<uint32_t>(static_cast<unsigned char>((*raw)[body.size() + i])) << (8 * i);
  if (h != fnv1a(body)) return bad("is damaged (its checksum does not match)");
  if (body[0] != kVersion) return bad("has an unknown version");
  PageAfter a;
  a.descending = body[1] != 0;
  body.remove_prefix(2);
  std::string table, field;
  size_t type_id = 0;
  if (!get_part(body, table) || !get_part(body, field) || !get_len(body, type_id) ||
      !get_part(body, a.value_key) || !get_part(body, a.pk_key) || !body.empty())
    return bad("is malformed");
  if (table != schema.name()) return bad("was made for table " + table);
  int fi = schema.field_index(field);
  if (fi < 0)
    fail(BDB_E_SCHEMA, "query on " + schema.name() + ": page token orders by '" + field +
                           "', which the table no longer has");
  a.field = static_cast<size_t>(fi);
  // A new table version may retype the field: the position's bytes would mean another value.
  if (type_id != static_cast<size_t>(schema.field(a.field).type_id))
    return bad("was made when '" + field + "' had another type; start again from the first page");
  // Both parts must be whole keys of the fields' current types.
  auto n = index_field_length(*schema.field(a.field).type, a.value_key);
  auto m = index_field_length(*schema.primary_key_field().type, "\1" + a.pk_key);
  if (!n || *n != a.value_key.size() || !m || *m != a.pk_key.size() + 1 || a.pk_key.empty())
    return bad("does not fit the types of " + schema.name() + "." + field + " and its key");
  return a;
}

}  // namespace bucketdb
