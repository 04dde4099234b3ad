#include "where.h"

#include <array>
#include <cctype>

#include <nlohmann/json.hpp>

#include "errors.h"

namespace bdbcli {

namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

size_t skip_space(const std::string &s, size_t i) {
  while (i < s.size() && is_space(s[i])) i++;
  return i;
}

size_t skip_word(const std::string &s, size_t i) {
  while (i < s.size() && !is_space(s[i])) i++;
  return i;
}

constexpr std::array<const char *, 10> kOps = {"=",  "!=", ">",      ">=",     "<",
                                               "<=", "in", "prefix", "isnull", "notnull"};

}  // namespace

WhereClause parse_where(const std::string &text) {
  const std::string what = "--where '" + text + "': ";
  WhereClause w;
  size_t b = skip_space(text, 0), e = skip_word(text, b);
  w.field = text.substr(b, e - b);
  b = skip_space(text, e);
  e = skip_word(text, b);
  w.op = text.substr(b, e - b);
  b = skip_space(text, e);
  size_t end = text.size();
  while (end > b && is_space(text[end - 1])) end--;
  if (b < end) w.value = text.substr(b, end - b);

  if (w.field.empty() || w.op.empty())
    usage_error(what + "expected 'FIELD OP VALUE' with spaces between them");
  bool known = false;
  for (const char *op : kOps) known = known || w.op == op;
  if (!known)
    usage_error(what + "unknown operator '" + w.op + "' (= != > >= < <= in prefix isnull notnull)");
  bool unary = w.op == "isnull" || w.op == "notnull";
  if (unary && w.value) usage_error(what + w.op + " takes no value");
  if (!unary && !w.value) usage_error(what + "missing VALUE after '" + w.op + "'");
  if (w.value) {
    // Checked here so that the common slip, an unquoted string, is reported as syntax.
    auto json = nlohmann::json::parse(*w.value, nullptr, false);
    if (json.is_discarded())
      usage_error(what + "VALUE must be a JSON literal (strings in double quotes, e.g. \"bob\")");
    if (w.op == "in" && !json.is_array())
      usage_error(what + "'in' takes a JSON array, e.g. [\"a\",\"b\"]");
  }
  return w;
}

}  // namespace bdbcli
