#include "test_db.h"

#include <gtest/gtest.h>

#include "alltypes_bdb.hpp"
#include "keys_bdb.hpp"
#include "wide_bdb.hpp"

std::string hex(const std::string &bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string describe(const Rows &r) {
  return "row " + hex(r.row) + " heap " + hex(r.heap);
}

Rows rows_of(const bdbc_builder &b) {
  Rows r;
  if (b.row_len) r.row.assign(reinterpret_cast<const char *>(b.row), b.row_len);
  if (b.heap_len) r.heap.assign(reinterpret_cast<const char *>(b.heap), b.heap_len);
  return r;
}

std::string base64(const std::string &bytes) {
  static const char k[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  auto b = [&](size_t j) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[j])); };
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], k[v & 63]};
  }
  if (bytes.size() - i == 1) {
    uint32_t v = b(i) << 16;
    out += {k[v >> 18], k[(v >> 12) & 63], '=', '='};
  } else if (bytes.size() - i == 2) {
    uint32_t v = (b(i) << 16) | (b(i + 1) << 8);
    out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], '='};
  }
  return out;
}

std::string last_error() {
  const char *m = bdb_errmsg();
  return m ? m : "";
}

namespace {

bdb_db *open_and_register() {
  bdb_options *o = nullptr;
  bdb_options_new(&o);
  bdb_options_set(o, "autoMerge", "0");
  bdb_options_set(o, "logLevel", "silent");
  bdb_options_set(o, "createIfMissing", "1");
  bdb_db *db = nullptr;
  bdb_status st = bdb_open("memory:schemas-tests", o, &db);
  bdb_options_free(o);
  if (st != BDB_OK) {
    ADD_FAILURE() << "bdb_open: " << last_error();
    return nullptr;
  }
  bdb_status (*registers[])(bdb_db *) = {
      bdbtest::AllTypesRow::register_schema,    bdbtest::ByNameRow::register_schema,
      bdbtest::keys::KU8Row::register_schema,   bdbtest::keys::KI8Row::register_schema,
      bdbtest::keys::KU16Row::register_schema,  bdbtest::keys::KI16Row::register_schema,
      bdbtest::keys::KU32Row::register_schema,  bdbtest::keys::KI32Row::register_schema,
      bdbtest::keys::KI64Row::register_schema,  bdbtest::keys::KTsRow::register_schema,
      bdbtest::keys::KTextRow::register_schema, WideRow::register_schema};
  for (auto reg : registers)
    if (reg(db) != BDB_OK) ADD_FAILURE() << "register: " << last_error();
  return db;
}

}  // namespace

bdb_db *test_db() {
  // Closed at exit, so leak checking sees a clean shutdown.
  static struct Holder {
    bdb_db *db = open_and_register();
    ~Holder() { bdb_close(db); }
  } holder;
  return holder.db;
}

bdb_status runtime_rows(const char *table, const std::string &json, Rows *out) {
  bdb_doc *doc = nullptr;
  bdb_status st = bdb_doc_from_json(test_db(), table, json.c_str(), &doc);
  if (st != BDB_OK) return st;
  void *row = nullptr, *heap = nullptr;
  size_t row_len = 0, heap_len = 0;
  st = bdb_doc_to_row(doc, nullptr, &row, &row_len, &heap, &heap_len);
  bdb_doc_free(doc);
  if (st != BDB_OK) return st;
  out->row.assign(static_cast<const char *>(row), row_len);
  out->heap.assign(static_cast<const char *>(heap), heap_len);
  bdb_free(row);
  bdb_free(heap);
  return BDB_OK;
}
