// Writes the seed corpus of the decoder fuzz target (checked in under fuzz/corpus): rows the
// engine encodes from JSON documents, the same rows damaged in the ways a decoder must
// survive, and JSON texts for the JSON check. Rerun it only to refresh the seeds:
//   schemas_make_corpus tests/schemas/fuzz/corpus
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "alltypes_bdb.hpp"
#include "fuzz_input.h"
#include "keys_bdb.hpp"
#include "wide_bdb.hpp"

namespace {

std::string out_dir;
int written = 0;

void write(const char *tag, unsigned target, const std::string &row, const std::string &heap) {
  char name[64];
  std::snprintf(name, sizeof name, "%s-%03d", tag, written++);
  std::ofstream f(out_dir + "/" + name, std::ios::binary);
  f << static_cast<char>(target) << row << heap;
}

bool engine_row(bdb_db *db, const char *table, const std::string &json, std::string *row,
                std::string *heap) {
  bdb_doc *doc = nullptr;
  if (bdb_doc_from_json(db, table, json.c_str(), &doc) != BDB_OK) {
    std::fprintf(stderr, "%s: %s\n", json.c_str(), bdb_errmsg());
    return false;
  }
  void *r = nullptr, *h = nullptr;
  size_t rl = 0, hl = 0;
  bdb_doc_to_row(doc, nullptr, &r, &rl, &h, &hl);
  row->assign(static_cast<char *>(r), rl);
  heap->assign(static_cast<char *>(h), hl);
  bdb_free(r);
  bdb_free(h);
  bdb_doc_free(doc);
  return true;
}

// A valid row and its damaged variants.
void seeds(bdb_db *db, const char *tag, unsigned target, const std::string &json) {
  std::string row, heap;
  if (!engine_row(db, tag, json, &row, &heap)) return;
  write(tag, target, row, heap);
  write(tag, target, row.substr(0, row.size() / 2), "");                        // truncated row
  if (!heap.empty()) write(tag, target, row, heap.substr(0, heap.size() - 1));  // short heap
  std::string r = row;
  r[0] = static_cast<char>(r[0] ^ 1);  // the first field's null bit flipped
  write(tag, target, r, heap);
  r = row;
  for (size_t i = row.size() / 2; i < row.size() && i < row.size() / 2 + 4; i++) r[i] = '\xff';
  write(tag, target, r, heap);  // a slot smashed
  std::string h = heap;
  if (!h.empty()) {
    h[0] = '\xff';  // not UTF-8 any more
    write(tag, target, row, h);
    h[0] = '{';  // not JSON where a json field starts
    write(tag, target, row, h);
  }
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: schemas_make_corpus OUT_DIR\n");
    return 2;
  }
  out_dir = argv[1];
  bdb_db *db = nullptr;
  bdb_options *opts = nullptr;
  if (bdb_options_new(&opts) != BDB_OK || bdb_options_set(opts, "createIfMissing", "1") != BDB_OK)
    return 1;
  bdb_status opened = bdb_open("memory:corpus", opts, &db);
  bdb_options_free(opts);
  if (opened != BDB_OK) return 1;
  bdbtest::AllTypesRow::register_schema(db);
  bdbtest::ByNameRow::register_schema(db);
  bdbtest::keys::KTextRow::register_schema(db);
  WideRow::register_schema(db);

  seeds(db, "all_types", FUZZ_ALL_TYPES, R"({"id":0})");
  seeds(db, "all_types", FUZZ_ALL_TYPES,
        R"({"id":18446744073709551615,"u8":255,"u16":65535,"u32":4294967295,)"
        R"("u64":18446744073709551615,"i8":-128,"i16":-32768,"i32":-2147483648,)"
        R"("i64":-9223372036854775808,"flag":true,"f32":"NaN","f64":-0.0,"ts":-1,)"
        R"("doc":{"a":[1,"\u00e9",null]},"short_doc":"x","name":"\u20ac\u0000abc",)"
        R"("text":"hello","raw":"AAEC","raw4":"/w==",)"
        R"("pic":"01234567-89ab-cdef-0123-456789abcdef"})");
  seeds(db, "all_types", FUZZ_ALL_TYPES,
        R"({"id":5,"f32":"Infinity","f64":"-Infinity","doc":"\ud83d\ude00","text":""})");
  {
    // A signalling NaN in f32 and a boolean byte of 2: the engine quiets and normalises both.
    std::string row, heap;
    engine_row(db, "all_types", R"({"id":6,"f32":1,"flag":true})", &row, &heap);
    // all_types' layout: a 3-byte bitmap, id at 3, ..., flag at 41, f32 at 42 (126 bytes).
    const size_t kFlag = 41, kF32 = 42;
    if (row.size() != 126) return 1;
    uint32_t snan = 0x7f800001u;
    std::memcpy(&row[kF32], &snan, 4);
    write("all_types", FUZZ_ALL_TYPES, row, heap);
    row[kFlag] = 2;
    write("all_types", FUZZ_ALL_TYPES, row, heap);
  }
  seeds(db, "by_name", FUZZ_BY_NAME, R"({"name":"abc","default":-7,"score":1.5})");
  seeds(db, "k_text", FUZZ_K_TEXT, R"({"k":"","v":1})");
  seeds(db, "k_text", FUZZ_K_TEXT, R"({"k":"key\u0000","v":null})");
  std::string wide = R"({"id":1)";
  for (int i = 1; i < 300; i++) {
    std::string f = ",\"f" + std::to_string(i) + "\":";
    switch (i % 4) {
      case 0:
        wide += f + std::to_string(-i);
        break;
      case 1:
        wide += f + "\"ab\"";
        break;
      case 2:
        wide += f + "0.5";
        break;
      default:
        wide += f + "false";
        break;
    }
  }
  seeds(db, "wide", FUZZ_WIDE, wide + "}");
  for (const char *json : {"{}", "[1,2,{\"a\":null}]", "\"\\ud83d\\ude00\"", "1e308", "1e309",
                           "\xef\xbb\xbf[]", "{\"a\":", "[[[[[[[[[[]]]]]]]]]]", "-0.0e-5"})
    write("json", FUZZ_JSON, json, "");
  bdb_close(db);
  std::printf("wrote %d seeds to %s\n", written, out_dir.c_str());
  return 0;
}
