#include "where.h"

#include <array>
#include <cctype>

#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include <bdb_common/json_depth.h>

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
    if (!bdbcommon::json_depth_within(*w.value))
      usage_error(what + "VALUE is JSON nested deeper than " +
                  std::to_string(bdbcommon::kMaxJsonDepth) + " levels");
    nlohmann::json json;
    try {
      json = nlohmann::json::parse(*w.value);
    } catch (const nlohmann::json::exception &bad) {
      // Well-formed but beyond a double (1e400): not the unquoted string it would look like.
      if (std::string(bad.what()).find("number overflow") != std::string::npos)
        usage_error(what + "the number " + *w.value + " is out of range (beyond a double)");
      usage_error(what + "VALUE must be a JSON literal (strings in double quotes, e.g. \"bob\")");
    }
    if (w.op == "in" && !json.is_array())
      usage_error(what + "'in' takes a JSON array, e.g. [\"a\",\"b\"]");
  }
  return w;
}

void Conditions::add_flags(CLI::App *sub) {
  // One value per occurrence: `--where 'a = 1' TABLE` must not take TABLE as a condition.
  where_opt_ = sub->add_option("--where", where_,
                               "Condition 'FIELD OP VALUE', repeatable, joined by AND. OP: = != > "
                               ">= < <= in prefix isnull notnull. VALUE: a JSON literal (\"bob\", "
                               "30, true, [\"a\",\"b\"] for in); none for isnull/notnull")
                   ->type_name("'FIELD OP VALUE'")
                   ->allow_extra_args(false);
  or_opt_ = sub->add_flag("--or",
                          "Join the --where conditions before and after it by OR: --where A "
                          "--where B --or --where C is (A and B) or C");
}

void Conditions::parse(const CLI::App *sub) {
  // CLI11 keeps each option's values apart; the parse order tells where the --or flags were.
  size_t next = 0;
  bool open_group = false;
  for (const CLI::Option *opt : sub->parse_order()) {
    if (opt == where_opt_ && next < where_.size()) {
      conditions_.push_back(parse_where(where_[next++]));
      open_group = true;
    } else if (opt == or_opt_) {
      if (!open_group) usage_error("--or needs a --where before it");
      conditions_.push_back(std::nullopt);
      open_group = false;
    }
  }
  if (!conditions_.empty() && !open_group) usage_error("--or needs a --where after it");
}

void Conditions::apply(bdb_query *query) const {
  for (const auto &c : conditions_)
    check(c ? bdb_query_where(query, c->field.c_str(), c->op.c_str(),
                              c->value ? c->value->c_str() : nullptr)
            : bdb_query_or(query));
}

}  // namespace bdbcli
