// query TABLE [--where ...]... [--or --where ...]... [--order F[:desc],...] [--limit N] [--offset
// N]
// [--count] [--explain] [--select ...] [--after TOKEN] [--page-token]
//             [--as-of SEQ | --as-of-time TIME]
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "errors.h"
#include "output.h"
#include "validators.h"
#include "time_arg.h"
#include "where.h"

namespace bdbcli {

namespace {

struct QueryArgs {
  std::string table;
  Conditions conditions;
  std::vector<std::string> order;  // FIELD[:asc|:desc] each, comma-separated or repeated
  bool has_order = false;          // --order '' is an error, not "no order"
  uint64_t limit = 0, offset = 0;
  bool has_limit = false, has_offset = false;
  bool count = false;
  bool explain = false;
  std::vector<std::string> select;
  uint64_t as_of = 0;
  bool has_as_of = false;
  std::string as_of_time;
  std::string after;
  bool page_token = false;
};

struct Order {
  std::string field;
  bool descending = false;
};

// FIELD, FIELD:asc or FIELD:desc.
Order parse_order(const std::string &text) {
  Order o{text, false};
  size_t colon = text.rfind(':');
  if (colon != std::string::npos) {
    std::string dir = text.substr(colon + 1);
    if (dir != "asc" && dir != "desc")
      usage_error("--order '" + text + "': expected FIELD, FIELD:asc or FIELD:desc");
    o.field = text.substr(0, colon);
    o.descending = dir == "desc";
  }
  if (o.field.empty()) usage_error("--order '" + text + "': missing FIELD");
  return o;
}

void run_query(const GlobalOptions &global, const QueryArgs &args) {
  // Every usage error is found before the database is touched (the conditions: parsed).
  std::vector<Order> order;
  if (args.has_order && args.order.empty()) usage_error("--order '': missing FIELD");
  for (const std::string &key : args.order) order.push_back(parse_order(key));
  for (const std::string &f : args.select)
    if (f.empty()) usage_error("--select: empty field name");
  std::optional<uint64_t> as_of_time;
  if (!args.as_of_time.empty()) {
    as_of_time = parse_time_ms(args.as_of_time);
    if (!as_of_time)
      usage_error("--as-of-time '" + args.as_of_time +
                  "': expected milliseconds since the epoch or 2026-11-25T18:00:00Z");
    if (args.has_as_of) usage_error("--as-of and --as-of-time exclude each other");
  }

  if (args.page_token && (args.count || args.explain))
    usage_error(
        "--page-token prints where the documents end; it goes without --count and "
        "--explain");

  Db db = open_database(global, Access::kRead);
  bdb_query *raw = nullptr;
  check(bdb_query_new(db.get(), args.table.c_str(), &raw));
  Query q(raw);
  args.conditions.apply(q.get());
  for (size_t i = 0; i < order.size(); i++)
    check(i == 0 ? bdb_query_order(q.get(), order[i].field.c_str(), order[i].descending)
                 : bdb_query_order_then(q.get(), order[i].field.c_str(), order[i].descending));
  if (args.has_limit) check(bdb_query_limit(q.get(), args.limit));
  if (args.has_offset) check(bdb_query_offset(q.get(), args.offset));
  for (const std::string &f : args.select) check(bdb_query_select(q.get(), f.c_str()));
  if (args.has_as_of) check(bdb_query_as_of(q.get(), args.as_of));
  if (as_of_time) check(bdb_query_as_of_time(q.get(), *as_of_time));
  if (!args.after.empty()) check(bdb_query_after(q.get(), args.after.c_str()));

  if (args.explain) {
    char *text = nullptr;
    check(bdb_query_explain(q.get(), &text));
    BdbString owned(text);
    print_line(owned.get());
    return;
  }
  if (args.count) {
    uint64_t n = 0;
    check(bdb_query_count(q.get(), &n));
    print_line(std::to_string(n));
    return;
  }
  bdb_cursor *cur_raw = nullptr;
  check(bdb_query_exec(q.get(), &cur_raw));
  Cursor cursor(cur_raw);
  for (;;) {
    bdb_doc *doc_raw = nullptr;
    check(bdb_cursor_next(cursor.get(), &doc_raw));
    if (!doc_raw) break;
    Doc doc(doc_raw);
    char *json_raw = nullptr;
    check(bdb_doc_to_json(doc.get(), &json_raw));
    BdbString json(json_raw);
    print_line(json.get());
  }
  if (args.page_token) {
    char *token = nullptr;
    check(bdb_cursor_page_token(cursor.get(), &token));
    BdbString owned(token);
    print_line(owned.get());
  }
}

}  // namespace

void add_query_command(CLI::App &app, Commands &commands) {
  auto args = std::make_shared<QueryArgs>();
  CLI::App *q = app.add_subcommand("query", "Print the matching documents as NDJSON");
  q->add_option("TABLE", args->table, "Table name")->required();
  args->conditions.add_flags(q);
  q->add_option("--order", args->order,
                "Sort by FIELD, ascending or :desc; more keys comma-separated or repeated, each "
                "breaking the ties of those before it (default: primary key)")
      ->type_name("F[:desc],...")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->each([args](const std::string &) { args->has_order = true; });
  q->add_option("--limit", args->limit, "At most N documents")
      ->type_name("N")
      ->check(count_validator(false))
      ->each([args](const std::string &) { args->has_limit = true; });
  q->add_option("--offset", args->offset, "Skip the first N documents")
      ->type_name("N")
      ->check(count_validator(false))
      ->each([args](const std::string &) { args->has_offset = true; });
  q->add_flag("--count", args->count, "Print only the number of matching documents");
  q->add_flag("--explain", args->explain,
              "Print how the query would run (key lookup, index or scan) and what it would read");
  q->add_option("--select", args->select,
                "Fields to print, comma-separated or repeated (the primary key always is)")
      ->type_name("F1,F2")
      ->delimiter(',')
      ->allow_extra_args(false);
  q->add_option("--as-of", args->as_of,
                "Read the database as it was just after log entry SEQ (history is kept for "
                "gcGraceMs)")
      ->type_name("SEQ")
      ->check(count_validator(false))
      ->each([args](const std::string &) { args->has_as_of = true; });
  q->add_option("--as-of-time", args->as_of_time,
                "Read the database as it was at TIME (ms since the epoch, or ISO 8601 UTC)")
      ->type_name("TIME");
  q->add_option("--after", args->after,
                "Continue after the page that printed TOKEN (keyset pagination: same table and "
                "--order, conditions may differ)")
      ->type_name("TOKEN");
  q->add_flag("--page-token", args->page_token,
              "After the documents, print the token for --after on one last line (the page's "
              "own --after token, or an empty line, when it returned nothing)");
  commands.on(q, [args, q](const GlobalOptions &g) {
    args->conditions.parse(q);
    run_query(g, *args);
  });
}

}  // namespace bdbcli
