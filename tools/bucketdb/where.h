// Parsing of `--where 'FIELD OP VALUE'` into the arguments of bdb_query_where.
#pragma once

#include <optional>
#include <string>

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

}  // namespace bdbcli
