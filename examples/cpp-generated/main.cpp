// BucketDB from C++ with generated codecs: shop events as a typed class (shop::EventsRow)
// with std::string_view accessors, written in one batch, then read back by query.
//
//   bucketdb-cpp-generated [URI]        (default: file:./cpp-generated-db)
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "events_bdb.hpp"

namespace {

// Handles closed on every path.
struct Close {
  void operator()(bdb_db *p) const { bdb_close(p); }
  void operator()(bdb_batch *p) const { bdb_batch_free(p); }
  void operator()(bdb_doc *p) const { bdb_doc_free(p); }
  void operator()(bdb_query *p) const { bdb_query_free(p); }
  void operator()(bdb_cursor *p) const { bdb_cursor_free(p); }
};
template <typename T>
using Handle = std::unique_ptr<T, Close>;

struct Event {
  const char *id, *kind;
  int64_t at;
  double amount;
  const char *payload;
};

void print(const shop::EventsRow &e) {
  std::cout << e.id() << " " << e.kind().value_or("?") << " at " << e.at().value_or(0);
  if (e.amount()) std::cout << " amount " << *e.amount();
  if (e.payload()) std::cout << " payload " << *e.payload();
  if (e.receipt()) std::cout << " receipt of " << e.receipt()->size() << " bytes";
  std::cout << "\n";
}

int run(const char *uri) {
  bdbc_error err{};
  bdb_db *raw_db = nullptr;
  bdb_options *opts = nullptr;
  bdbc::check(bdb_options_new(&opts));
  bdbc::check(bdb_options_set(opts, "createIfMissing", "1"));
  bdb_status opened = bdb_open(uri, opts, &raw_db);
  bdb_options_free(opts);
  bdbc::check(opened);
  Handle<bdb_db> db(raw_db);
  bdbc::check(shop::EventsRow::register_schema(db.get()));

  const Event events[] = {
      {"e1", "order", 1700000000000, 25.5, R"({"items":2})"},
      {"e2", "refund", 1700000100000, -5.0, R"({"reason":"damaged"})"},
      {"e3", "order", 1700000200000, 99.0, R"({"items":7,"gift":true})"},
  };
  const std::string receipt(16, '\x2a');  // must outlive the rows that view it
  bdb_batch *raw_batch = nullptr;
  bdbc::check(bdb_batch_new(db.get(), &raw_batch));
  Handle<bdb_batch> batch(raw_batch);
  for (const Event &ev : events) {
    shop::EventsRow row;
    row.set_id(ev.id).set_kind(ev.kind).set_at(ev.at).set_amount(ev.amount).set_payload(ev.payload);
    if (std::string(ev.kind) == "order") row.set_receipt(receipt);
    bdb_doc *doc = nullptr;
    bdbc::check(row.to_doc(db.get(), &doc, &err), &err);
    Handle<bdb_doc> owned(doc);
    bdbc::check(bdb_batch_update(batch.get(), doc));
  }
  bdbc::check(bdb_batch_commit(batch.get(), nullptr));

  // Bad values are refused before they reach the database.
  shop::EventsRow bad;
  bad.set_id("e4").set_payload("{not json");
  if (bad.check(&err) == BDB_E_TYPE) std::cout << "refused: " << err.message << "\n";

  // Orders, by query; each document decoded into the typed class.
  bdb_query *raw_query = nullptr;
  bdbc::check(bdb_query_new(db.get(), shop::EventsRow::kTable, &raw_query));
  Handle<bdb_query> query(raw_query);
  bdbc::check(bdb_query_where(query.get(), "kind", "=", "\"order\""));
  bdb_cursor *raw_cursor = nullptr;
  bdbc::check(bdb_query_exec(query.get(), &raw_cursor));
  Handle<bdb_cursor> cursor(raw_cursor);
  double total = 0;
  for (;;) {
    bdb_doc *doc = nullptr;
    bdbc::check(bdb_cursor_next(cursor.get(), &doc));
    if (!doc) break;
    Handle<bdb_doc> owned(doc);
    bdbc::RowBuf storage;  // the row's bytes; the record's views point into them
    shop::EventsRow e;
    bdbc::check(e.from_doc(doc, storage, &err), &err);
    print(e);
    total += e.amount().value_or(0);
  }
  std::cout << "orders total " << total << "\n";
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  try {
    return run(argc > 1 ? argv[1] : "file:./cpp-generated-db");
  } catch (const bdbc::Error &e) {
    std::cerr << "cpp-generated: " << e.what() << " (" << bdb_status_str(e.status()) << ")\n";
    return 1;
  }
}
