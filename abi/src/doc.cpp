// bdb_doc_*: documents with typed accessors by field name, and JSON.
#include <cstring>

#include "abi/src/abi_guard.h"
#include "abi/src/handles.h"
#include "core/codec/json_values.h"
#include "core/codec/row_codec.h"

using bucketdb::fail;
using bucketdb::Value;
using bucketdb::abi::DbCall;
using bucketdb::abi::dup_for_caller;
using bucketdb::abi::guard;

namespace {

const Value &value_of(const bdb_doc *doc, const char *field) {
  if (!doc || !field)
    fail(BDB_E_INVALID, std::string(bucketdb::abi::current_call()) + ": doc or field is NULL");
  size_t f = doc->doc.field(field);
  const Value &v = doc->doc.get(f);
  if (!doc->doc.is_set(f) || bucketdb::is_null(v))
    fail(BDB_E_NOT_FOUND, "table " + doc->doc.schema().name() + ", field '" + field + "' is null");
  return v;
}

[[noreturn]] void wrong_type(const bdb_doc *doc, const char *field, const char *want) {
  size_t f = doc->doc.field(field);
  fail(BDB_E_TYPE, "table " + doc->doc.schema().name() + ", field '" + field + "' is " +
                       doc->doc.schema().field(f).type->name + ", not " + want);
}

template <typename Fn>
bdb_status set_field(const char *call, bdb_doc *doc, const char *field, Fn &&make_value) {
  return guard(call, [&] {
    BDB_REQUIRE(doc);
    BDB_REQUIRE(field);
    size_t f = doc->doc.field(field);
    doc->doc.set(f, make_value(f));
  });
}

}  // namespace

extern "C" {

bdb_status bdb_doc_new(bdb_db *db, const char *table, bdb_doc **out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    DbCall in(db);
    BDB_REQUIRE(table);
    *out = new bdb_doc(bucketdb::Document(in.engine().table_schema(table)));
  });
}

bdb_status bdb_doc_from_json(bdb_db *db, const char *table, const char *json, bdb_doc **out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    DbCall in(db);
    BDB_REQUIRE(table);
    BDB_REQUIRE(json);
    auto schema = in.engine().table_schema(table);
    auto j = bucketdb::parse_json(json, "a document of table " + std::string(table));
    bucketdb::Document d(schema);
    d.set_json_object(j);
    *out = new bdb_doc(std::move(d));
  });
}

void bdb_doc_free(bdb_doc *doc) {
  delete doc;
}

bdb_status bdb_doc_from_row(bdb_db *db, const char *table, uint32_t version, const void *row,
                            size_t row_len, const void *heap, size_t heap_len, bdb_doc **out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    DbCall in(db);
    BDB_REQUIRE(table);
    if (!row && row_len) fail(BDB_E_INVALID, "bdb_doc_from_row: row is NULL");
    if (!heap && heap_len) fail(BDB_E_INVALID, "bdb_doc_from_row: heap is NULL");
    *out = new bdb_doc(in.engine().document_from_row(
        table, version, std::string_view(static_cast<const char *>(row), row_len),
        std::string_view(static_cast<const char *>(heap), heap_len)));
  });
}

bdb_status bdb_doc_to_row(const bdb_doc *doc, uint32_t *out_version, void **out_row,
                          size_t *out_row_len, void **out_heap, size_t *out_heap_len) {
  return guard(__func__, [&] {
    BDB_REQUIRE(doc);
    BDB_REQUIRE(out_row);
    BDB_REQUIRE(out_row_len);
    BDB_REQUIRE(out_heap);
    BDB_REQUIRE(out_heap_len);
    std::string fixed, heap;
    bucketdb::Values values = doc->doc.values();
    for (size_t i = 0; i < values.size(); i++)
      if (!doc->doc.is_set(i)) values[i] = bucketdb::Value{};
    bucketdb::encode_row(doc->doc.schema(), values, fixed, heap);
    char *r = dup_for_caller(fixed);
    char *h = nullptr;
    try {
      h = dup_for_caller(heap);
    } catch (...) {
      bdb_free(r);
      throw;
    }
    *out_row = r;
    *out_row_len = fixed.size();
    *out_heap = h;
    *out_heap_len = heap.size();
    if (out_version) *out_version = doc->doc.schema().version();
  });
}

uint32_t bdb_doc_schema_version(const bdb_doc *doc) {
  return doc ? doc->doc.schema().version() : 0;
}

bdb_status bdb_doc_to_json(const bdb_doc *doc, char **out_json) {
  return guard(__func__, [&] {
    BDB_REQUIRE(doc);
    BDB_REQUIRE(out_json);
    *out_json = dup_for_caller(doc->doc.to_json());
  });
}

const char *bdb_doc_table(const bdb_doc *doc) {
  return doc ? doc->doc.schema().name().c_str() : nullptr;
}

size_t bdb_doc_field_count(const bdb_doc *doc) {
  return doc ? doc->doc.schema().fields().size() : 0;
}

const char *bdb_doc_field_name(const bdb_doc *doc, size_t index) {
  if (!doc || index >= doc->doc.schema().fields().size()) return nullptr;
  return doc->doc.schema().field(index).name.c_str();
}

int bdb_doc_field_type(const bdb_doc *doc, const char *field) {
  if (!doc || !field) return 0;
  int i = doc->doc.schema().field_index(field);
  return i < 0 ? 0 : doc->doc.schema().field(static_cast<size_t>(i)).type_id;
}

int bdb_doc_has(const bdb_doc *doc, const char *field) {
  if (!doc || !field) return 0;
  int i = doc->doc.schema().field_index(field);
  if (i < 0) return 0;
  size_t f = static_cast<size_t>(i);
  return doc->doc.is_set(f) && !bucketdb::is_null(doc->doc.get(f));
}

uint64_t bdb_doc_version(const bdb_doc *doc) {
  return doc ? doc->doc.version : 0;
}
uint64_t bdb_doc_misc(const bdb_doc *doc) {
  return doc ? doc->doc.misc : 0;
}

bdb_status bdb_doc_set_null(bdb_doc *doc, const char *field) {
  return set_field(__func__, doc, field, [](size_t) { return Value{}; });
}
bdb_status bdb_doc_set_bool(bdb_doc *doc, const char *field, int value) {
  return set_field(__func__, doc, field, [&](size_t) { return Value{value != 0}; });
}
bdb_status bdb_doc_set_int(bdb_doc *doc, const char *field, int64_t value) {
  return set_field(__func__, doc, field, [&](size_t) { return Value{value}; });
}
bdb_status bdb_doc_set_uint(bdb_doc *doc, const char *field, uint64_t value) {
  return set_field(__func__, doc, field, [&](size_t) { return Value{value}; });
}
bdb_status bdb_doc_set_double(bdb_doc *doc, const char *field, double value) {
  return set_field(__func__, doc, field, [&](size_t) { return Value{value}; });
}
bdb_status bdb_doc_set_string(bdb_doc *doc, const char *field, const char *value, size_t len) {
  return set_field(__func__, doc, field, [&](size_t f) {
    if (!value && len) fail(BDB_E_INVALID, "bdb_doc_set_string: value is NULL");
    if (doc->doc.schema().field(f).type_id == BDB_TYPE_BYTES)
      wrong_type(doc, field, "varchar or json");
    return Value{std::string(value ? value : "", len)};
  });
}
bdb_status bdb_doc_set_bytes(bdb_doc *doc, const char *field, const void *value, size_t len) {
  return set_field(__func__, doc, field, [&](size_t f) {
    if (!value && len) fail(BDB_E_INVALID, "bdb_doc_set_bytes: value is NULL");
    if (doc->doc.schema().field(f).type_id != BDB_TYPE_BYTES) wrong_type(doc, field, "bytes");
    return Value{std::string(static_cast<const char *>(value ? value : ""), len)};
  });
}
bdb_status bdb_doc_set_json(bdb_doc *doc, const char *field, const char *json) {
  return guard(__func__, [&] {
    BDB_REQUIRE(doc);
    BDB_REQUIRE(field);
    BDB_REQUIRE(json);
    nlohmann::json obj = nlohmann::json::object();
    obj[field] = bucketdb::parse_json(json, "the value for field '" + std::string(field) + "'");
    doc->doc.set_json_object(obj);
  });
}
bdb_status bdb_doc_set_blob(bdb_doc *doc, const char *field, const void *data, size_t len) {
  return guard(__func__, [&] {
    BDB_REQUIRE(doc);
    BDB_REQUIRE(field);
    if (!data && len) fail(BDB_E_INVALID, "bdb_doc_set_blob: data is NULL");
    doc->doc.set_blob_bytes(doc->doc.field(field),
                            std::string(static_cast<const char *>(data ? data : ""), len));
  });
}

bdb_status bdb_doc_get_bool(const bdb_doc *doc, const char *field, int *out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    const Value &v = value_of(doc, field);
    auto *b = std::get_if<bool>(&v);
    if (!b) wrong_type(doc, field, "boolean");
    *out = *b ? 1 : 0;
  });
}

bdb_status bdb_doc_get_int(const bdb_doc *doc, const char *field, int64_t *out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    const Value &v = value_of(doc, field);
    if (auto *i = std::get_if<int64_t>(&v)) {
      *out = *i;
    } else if (auto *u = std::get_if<uint64_t>(&v)) {
      if (*u > static_cast<uint64_t>(INT64_MAX))
        fail(BDB_E_TYPE, "field '" + std::string(field) + "' holds " + std::to_string(*u) +
                             ", beyond int64; use bdb_doc_get_uint");
      *out = static_cast<int64_t>(*u);
    } else {
      wrong_type(doc, field, "an integer");
    }
  });
}

bdb_status bdb_doc_get_uint(const bdb_doc *doc, const char *field, uint64_t *out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    const Value &v = value_of(doc, field);
    if (auto *u = std::get_if<uint64_t>(&v)) {
      *out = *u;
    } else if (auto *i = std::get_if<int64_t>(&v)) {
      if (*i < 0)
        fail(BDB_E_TYPE, "field '" + std::string(field) + "' holds " + std::to_string(*i) +
                             ", below zero; use bdb_doc_get_int");
      *out = static_cast<uint64_t>(*i);
    } else {
      wrong_type(doc, field, "an integer");
    }
  });
}

bdb_status bdb_doc_get_double(const bdb_doc *doc, const char *field, double *out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    const Value &v = value_of(doc, field);
    if (auto *d = std::get_if<double>(&v))
      *out = *d;
    else if (auto *i = std::get_if<int64_t>(&v))
      *out = static_cast<double>(*i);
    else if (auto *u = std::get_if<uint64_t>(&v))
      *out = static_cast<double>(*u);
    else
      wrong_type(doc, field, "a number");
  });
}

bdb_status bdb_doc_get_string(const bdb_doc *doc, const char *field, const char **out,
                              size_t *out_len) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    const Value &v = value_of(doc, field);
    auto *s = std::get_if<std::string>(&v);
    if (!s || doc->doc.schema().field(doc->doc.field(field)).type_id == BDB_TYPE_BYTES)
      wrong_type(doc, field, "varchar or json");
    *out = s->c_str();
    if (out_len) *out_len = s->size();
  });
}

bdb_status bdb_doc_get_bytes(const bdb_doc *doc, const char *field, const void **out,
                             size_t *out_len) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    BDB_REQUIRE(out_len);
    const Value &v = value_of(doc, field);
    auto *s = std::get_if<std::string>(&v);
    if (!s) wrong_type(doc, field, "bytes");
    *out = s->data();
    *out_len = s->size();
  });
}

bdb_status bdb_doc_get_json(const bdb_doc *doc, const char *field, char **out_json) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out_json);
    const Value &v = value_of(doc, field);
    const bucketdb::Field &f = doc->doc.schema().field(doc->doc.field(field));
    if (f.type_id == BDB_TYPE_JSON) {
      *out_json = dup_for_caller(std::get<std::string>(v));
      return;
    }
    *out_json = dup_for_caller(bucketdb::value_to_json(f, v).dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace));
  });
}

bdb_status bdb_doc_get_blob_id(const bdb_doc *doc, const char *field, char out[37]) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    const Value &v = value_of(doc, field);
    auto *id = std::get_if<bucketdb::Id128>(&v);
    if (!id) wrong_type(doc, field, "a blob");
    std::string text = bucketdb::uuid_text(*id);
    std::memcpy(out, text.c_str(), 37);
  });
}

}  // extern "C"
