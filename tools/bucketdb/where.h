// Parsing of `--where 'FIELD OP VALUE'` into the arguments of bdb_query_where.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <bucketdb/bucketdb.h>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace bdbcli {

struct WhereClause {
  std::string field;
  std::string op;                    // one of = != > >= < <= in prefix isnull notnull
  std::optional<std::string> value;  // JSON text; none for isnull/notnull
};

// Splits on the first two runs of whitespace; VALUE is the rest, spaces included. Anything
// malformed (unknown OP, VALUE missing or present when it must not be, VALUE not JSON, a
// non-array for `in`) is a usage error. Whether the field exists and the value fits its type
// is the database's to say.
WhereClause parse_where(const std::string &text);

// --where and --or on a command (query, delete): conditions joined by AND, groups by OR.
class Conditions {
 public:
  // Adds the two flags to `sub`.
  void add_flags(CLI::App *sub);
  // In the command's action, before anything else: the conditions in command-line order,
  // each checked (usage errors: a malformed --where, an --or without a --where on a side).
  void parse(const CLI::App *sub);
  bool empty() const { return conditions_.empty(); }
  // bdb_query_where and bdb_query_or for each, in order (errors thrown as CliError).
  void apply(bdb_query *query) const;

 private:
  std::vector<std::string> where_;
  CLI::Option *where_opt_ = nullptr, *or_opt_ = nullptr;
  std::vector<std::optional<WhereClause>> conditions_;  // nullopt: --or
};

}  // namespace bdbcli
