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

constexpr uint8_t kVersion = 2;  // 2: the order field's type id follows its name

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
  const Field &f = schema.field(field);
  std::string k;
  Bytes raw;
  Writer w(raw);
  w.u8(kVersion);
  w.u8(descending ? 1 : 0);
  w.blob(schema.name());
  w.blob(f.name);
  w.varint(static_cast<uint64_t>(f.type_id));
  append_nullable_key(k, *f.type, value);
  w.blob(k);
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
  PageAfter a;
  std::string table, field;
  uint64_t type_id = 0;
  try {
    Reader r(body, "page token");
    if (r.u8() != kVersion) return bad("has an unknown version");
    a.descending = r.u8() != 0;
    table = std::string(r.blob());
    field = std::string(r.blob());
    type_id = r.varint();
    a.value_key = std::string(r.blob());
    a.pk_key = std::string(r.blob());
    r.expect_done();
  } catch (const Error &e) {
    if (e.status() != BDB_E_CORRUPT) throw;
    return bad("is malformed");
  }
  // Names this library wrote are identifiers: anything else is forged, and its bytes (maybe
  // not even UTF-8) stay out of the message, which every binding turns into a string.
  if (!valid_identifier(table) || !valid_identifier(field)) return bad("is malformed");
  if (table != schema.name()) return bad("was made for table " + table);
  int fi = schema.field_index(field);
  if (fi < 0)
    fail(BDB_E_SCHEMA, "query on " + schema.name() + ": page token orders by '" + field +
                           "', which the table no longer has");
  a.field = static_cast<size_t>(fi);
  // A new table version may retype the field: the position's bytes would mean another value.
  if (type_id != static_cast<uint64_t>(schema.field(a.field).type_id))
    return bad("was made when '" + field + "' had another type; start again from the first page");
  // Both parts must be whole keys of the fields' current types.
  auto n = index_field_length(*schema.field(a.field).type, a.value_key);
  auto m = index_field_length(*schema.primary_key_field().type, "\1" + a.pk_key);
  if (!n || *n != a.value_key.size() || !m || *m != a.pk_key.size() + 1 || a.pk_key.empty())
    return bad("does not fit the types of " + schema.name() + "." + field + " and its key");
  return a;
}

}  // namespace bucketdb
