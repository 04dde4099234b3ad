// Reads: keys from text, point get, queries and cursors.
#include <cerrno>
#include <cstdlib>

#include "abi/src/abi_guard.h"
#include "abi/src/handles.h"
#include "core/codec/json_values.h"

using bucketdb::abi::dup_for_caller;
using bucketdb::abi::guard;
using bucketdb::fail;

extern "C" {

bdb_status bdb_key_doc_from_text(bdb_db *db, const char *table, const char *key_text,
                                 bdb_doc **out) {
  return guard([&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    BDB_REQUIRE(db);
    BDB_REQUIRE(table);
    BDB_REQUIRE(key_text);
    auto schema = db->engine->table_schema(table);
    const bucketdb::Field &pk = schema->primary_key_field();
    std::string text = key_text;
    nlohmann::json j;
    bool is_text = pk.type_id == BDB_TYPE_VARCHAR || pk.type_id == BDB_TYPE_BYTES;
    if (is_text && (text.empty() || text[0] != '"')) {
      // Verbatim, no quoting needed on a command line: the value as it is (what a JSON
      // string of it gives), without building and walking a JSON object.
      bucketdb::Document d(schema);
      d.set(schema->primary_key(), bucketdb::Value{std::move(text)});
      *out = new bdb_doc(std::move(d));
      return;
    } else {
      j = bucketdb::parse_json(text, "the primary key of " + std::string(table));
    }
    bucketdb::Document d(schema);
    nlohmann::json obj = nlohmann::json::object();
    obj[pk.name] = j;
    d.set_json_object(obj);
    *out = new bdb_doc(std::move(d));
  });
}

bdb_status bdb_get(bdb_db *db, const bdb_doc *key_doc, bdb_doc **out) {
  return guard([&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    BDB_REQUIRE(db);
    BDB_REQUIRE(key_doc);
    auto found = db->engine->get(key_doc->doc);
    if (!found) {
      const auto &s = key_doc->doc.schema();
      fail(BDB_E_NOT_FOUND,
           "no row in " + s.name() + " with " + s.primary_key_field().name + " = " +
               bucketdb::value_to_json(s.primary_key_field(), key_doc->doc.get(s.primary_key()))
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    *out = new bdb_doc(std::move(*found));
  });
}

bdb_status bdb_get_json(bdb_db *db, const char *table, const char *key_text, char **out_json) {
  bdb_doc *key = nullptr, *doc = nullptr;
  bdb_status st = bdb_key_doc_from_text(db, table, key_text, &key);
  if (st == BDB_OK) st = bdb_get(db, key, &doc);
  if (st == BDB_OK) st = bdb_doc_to_json(doc, out_json);
  bdb_doc_free(key);
  bdb_doc_free(doc);
  return st;
}

bdb_status bdb_query_new(bdb_db *db, const char *table, bdb_query **out) {
  return guard([&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    BDB_REQUIRE(db);
    BDB_REQUIRE(table);
    auto q = std::make_unique<bdb_query>();
    q->db = db;
    q->spec.schema = db->engine->table_schema(table);
    *out = q.release();
  });
}

void bdb_query_free(bdb_query *query) { delete query; }

bdb_status bdb_query_where(bdb_query *query, const char *field, const char *op,
                           const char *value_json) {
  return guard([&] {
    BDB_REQUIRE(query);
    BDB_REQUIRE(field);
    BDB_REQUIRE(op);
    query->spec.add_condition(field, op, value_json);
  });
}

bdb_status bdb_query_or(bdb_query *query) {
  return guard([&] {
    BDB_REQUIRE(query);
    query->spec.add_or();
  });
}

bdb_status bdb_query_order(bdb_query *query, const char *field, int descending) {
  return guard([&] {
    BDB_REQUIRE(query);
    BDB_REQUIRE(field);
    query->spec.set_order(field, descending != 0);
  });
}

bdb_status bdb_query_limit(bdb_query *query, uint64_t limit) {
  return guard([&] {
    BDB_REQUIRE(query);
    query->spec.limit = limit;
  });
}

bdb_status bdb_query_offset(bdb_query *query, uint64_t offset) {
  return guard([&] {
    BDB_REQUIRE(query);
    query->spec.offset = offset;
  });
}

bdb_status bdb_query_as_of(bdb_query *query, uint64_t seq) {
  return guard([&] {
    BDB_REQUIRE(query);
    query->spec.as_of_seq = seq;
    query->spec.as_of_time.reset();
  });
}

bdb_status bdb_query_as_of_time(bdb_query *query, uint64_t misc_ms) {
  return guard([&] {
    BDB_REQUIRE(query);
    query->spec.as_of_time = misc_ms;
    query->spec.as_of_seq.reset();
  });
}

bdb_status bdb_query_select(bdb_query *query, const char *field) {
  return guard([&] {
    BDB_REQUIRE(query);
    BDB_REQUIRE(field);
    query->spec.add_select(field);
  });
}

bdb_status bdb_query_after(bdb_query *query, const char *token) {
  return guard([&] {
    BDB_REQUIRE(query);
    query->spec.set_after(token ? token : "");
  });
}

bdb_status bdb_query_explain(bdb_query *query, char **out_text) {
  return guard([&] {
    BDB_REQUIRE(query);
    BDB_REQUIRE(out_text);
    *out_text = dup_for_caller(query->db->engine->explain(query->spec));
  });
}

bdb_status bdb_query_count(bdb_query *query, uint64_t *out_count) {
  return guard([&] {
    BDB_REQUIRE(query);
    BDB_REQUIRE(out_count);
    *out_count = query->db->engine->count(query->spec);
  });
}

bdb_status bdb_query_exec(bdb_query *query, bdb_cursor **out) {
  return guard([&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    BDB_REQUIRE(query);
    auto c = std::make_unique<bdb_cursor>();
    c->cursor = query->db->engine->query(query->spec);
    *out = c.release();
  });
}

bdb_status bdb_cursor_next(bdb_cursor *cursor, bdb_doc **out) {
  return guard([&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    BDB_REQUIRE(cursor);
    auto d = cursor->cursor->next();
    if (d) *out = new bdb_doc(std::move(*d));
  });
}

bdb_status bdb_cursor_page_token(bdb_cursor *cursor, char **out_token) {
  return guard([&] {
    BDB_REQUIRE(out_token);
    *out_token = nullptr;
    BDB_REQUIRE(cursor);
    *out_token = dup_for_caller(cursor->cursor->page_token());
  });
}

void bdb_cursor_free(bdb_cursor *cursor) { delete cursor; }

}  // extern "C"
