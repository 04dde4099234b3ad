// Reads: keys from text, point get, queries and cursors.
#include <cerrno>
#include <cstdlib>

#include "abi/src/abi_guard.h"
#include "abi/src/handles.h"
#include "core/codec/json_values.h"

using bucketdb::fail;
using bucketdb::abi::ChildCall;
using bucketdb::abi::DbCall;
using bucketdb::abi::dup_for_caller;
using bucketdb::abi::guard;

namespace bucketdb::abi {

Document key_doc_from_text(Database &engine, const char *table, const char *key_text) {
  auto schema = engine.table_schema(table);
  const Field &pk = schema->primary_key_field();
  std::string text = key_text;
  Document d(schema);
  bool bare = text.empty() || text[0] != '"';
  if (pk.type_id == BDB_TYPE_VARCHAR && bare) {
    // Verbatim, no quoting needed on a command line: the value as it is (what a JSON string
    // of it gives), without building and walking a JSON object.
    d.set(schema->primary_key(), Value{std::move(text)});
    return d;
  }
  nlohmann::json obj = nlohmann::json::object();
  // A bytes key prints as base64 (a JSON string): bare, it is that string's text.
  obj[pk.name] = pk.type_id == BDB_TYPE_BYTES && bare
                     ? nlohmann::json(std::move(text))
                     : parse_json(text, "the primary key of " + std::string(table));
  d.set_json_object(obj);
  return d;
}

}  // namespace bucketdb::abi

namespace {

// The row under key_doc, or BDB_E_NOT_FOUND naming the table and the key.
bucketdb::Document get_row(bucketdb::Database &engine, const bucketdb::Document &key_doc) {
  auto found = engine.get(key_doc);
  if (!found) {
    const auto &s = key_doc.schema();
    fail(BDB_E_NOT_FOUND,
         "no row in " + s.name() + " with " + s.primary_key_field().name + " = " +
             bucketdb::value_to_json(s.primary_key_field(), key_doc.get(s.primary_key()))
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  return std::move(*found);
}

}  // namespace

extern "C" {

bdb_status bdb_key_doc_from_text(bdb_db *db, const char *table, const char *key_text,
                                 bdb_doc **out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    DbCall in(db);
    BDB_REQUIRE(table);
    BDB_REQUIRE(key_text);
    *out = new bdb_doc(bucketdb::abi::key_doc_from_text(in.engine(), table, key_text));
  });
}

bdb_status bdb_get(bdb_db *db, const bdb_doc *key_doc, bdb_doc **out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    DbCall in(db);
    BDB_REQUIRE(key_doc);
    *out = new bdb_doc(get_row(in.engine(), key_doc->doc));
  });
}

bdb_status bdb_get_json(bdb_db *db, const char *table, const char *key_text, char **out_json) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out_json);
    *out_json = nullptr;
    DbCall in(db);
    BDB_REQUIRE(table);
    BDB_REQUIRE(key_text);
    bucketdb::Document row =
        get_row(in.engine(), bucketdb::abi::key_doc_from_text(in.engine(), table, key_text));
    *out_json = dup_for_caller(row.to_json());
  });
}

bdb_status bdb_query_new(bdb_db *db, const char *table, bdb_query **out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    DbCall in(db);
    BDB_REQUIRE(table);
    auto schema = in.engine().table_schema(table);
    auto *q = new bdb_query(db);
    q->spec.schema = std::move(schema);
    *out = q;
  });
}

void bdb_query_free(bdb_query *query) {
  bucketdb::abi::free_child(query);
}

bdb_status bdb_query_where(bdb_query *query, const char *field, const char *op,
                           const char *value_json) {
  return guard(__func__, [&] {
    ChildCall in(query, "query");
    BDB_REQUIRE(field);
    BDB_REQUIRE(op);
    query->spec.add_condition(field, op, value_json);
  });
}

bdb_status bdb_query_or(bdb_query *query) {
  return guard(__func__, [&] {
    ChildCall in(query, "query");
    query->spec.add_or();
  });
}

bdb_status bdb_query_order(bdb_query *query, const char *field, int descending) {
  return guard(__func__, [&] {
    ChildCall in(query, "query");
    BDB_REQUIRE(field);
    query->spec.set_order(field, descending != 0);
  });
}

bdb_status bdb_query_order_then(bdb_query *query, const char *field, int descending) {
  return guard(__func__, [&] {
    ChildCall in(query, "query");
    BDB_REQUIRE(field);
    query->spec.add_order(field, descending != 0);
  });
}

bdb_status bdb_query_limit(bdb_query *query, uint64_t limit) {
  return guard(__func__, [&] {
    ChildCall in(query, "query");
    query->spec.limit = limit;
  });
}

bdb_status bdb_query_offset(bdb_query *query, uint64_t offset) {
  return guard(__func__, [&] {
    ChildCall in(query, "query");
    query->spec.offset = offset;
  });
}

bdb_status bdb_query_as_of(bdb_query *query, uint64_t seq) {
  return guard(__func__, [&] {
    ChildCall in(query, "query");
    query->spec.as_of_seq = seq;
    query->spec.as_of_time.reset();
  });
}

bdb_status bdb_query_as_of_time(bdb_query *query, uint64_t misc_ms) {
  return guard(__func__, [&] {
    ChildCall in(query, "query");
    query->spec.as_of_time = misc_ms;
    query->spec.as_of_seq.reset();
  });
}

bdb_status bdb_query_select(bdb_query *query, const char *field) {
  return guard(__func__, [&] {
    ChildCall in(query, "query");
    BDB_REQUIRE(field);
    query->spec.add_select(field);
  });
}

bdb_status bdb_query_after(bdb_query *query, const char *token) {
  return guard(__func__, [&] {
    ChildCall in(query, "query");
    query->spec.set_after(token ? token : "");
  });
}

bdb_status bdb_query_explain(bdb_query *query, char **out_text) {
  return guard(__func__, [&] {
    ChildCall in(query, "query");
    BDB_REQUIRE(out_text);
    *out_text = dup_for_caller(in.engine().explain(query->spec));
  });
}

bdb_status bdb_query_count(bdb_query *query, uint64_t *out_count) {
  return guard(__func__, [&] {
    ChildCall in(query, "query");
    BDB_REQUIRE(out_count);
    *out_count = in.engine().count(query->spec);
  });
}

bdb_status bdb_query_exec(bdb_query *query, bdb_cursor **out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    ChildCall in(query, "query");
    auto rows = in.engine().query(query->spec);
    auto *c = new bdb_cursor(query->db);
    c->cursor = std::move(rows);
    *out = c;
  });
}

bdb_status bdb_cursor_next(bdb_cursor *cursor, bdb_doc **out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    ChildCall in(cursor, "cursor");
    auto d = cursor->cursor->next();
    if (d) *out = new bdb_doc(std::move(*d));
  });
}

bdb_status bdb_cursor_page_token(bdb_cursor *cursor, char **out_token) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out_token);
    *out_token = nullptr;
    ChildCall in(cursor, "cursor");
    *out_token = dup_for_caller(cursor->cursor->page_token());
  });
}

void bdb_cursor_free(bdb_cursor *cursor) {
  bucketdb::abi::free_child(cursor);
}

}  // extern "C"
