#include "names.h"

#include <cctype>
#include <map>
#include <set>

namespace schemac {

namespace {

// C99 and C++17 keywords, alternative tokens, and macros a field name must not become.
const std::set<std::string> kReserved = {
    "alignas",   "alignof",   "and",           "and_eq",       "asm",
    "auto",      "bitand",    "bitor",         "bool",         "break",
    "case",      "catch",     "char",          "char8_t",      "char16_t",
    "char32_t",  "class",     "co_await",      "co_return",    "co_yield",
    "compl",     "concept",   "const",         "const_cast",   "consteval",
    "constexpr", "constinit", "continue",      "decltype",     "default",
    "delete",    "do",        "double",        "dynamic_cast", "else",
    "enum",      "explicit",  "export",        "extern",       "false",
    "float",     "for",       "friend",        "goto",         "if",
    "import",    "inline",    "int",           "long",         "module",
    "mutable",   "namespace", "new",           "noexcept",     "not",
    "not_eq",    "nullptr",   "operator",      "or",           "or_eq",
    "private",   "protected", "public",        "register",     "reinterpret_cast",
    "requires",  "restrict",  "return",        "short",        "signed",
    "sizeof",    "static",    "static_assert", "static_cast",  "struct",
    "switch",    "template",  "this",          "thread_local", "throw",
    "true",      "try",       "typedef",       "typeid",       "typename",
    "union",     "unsigned",  "using",         "virtual",      "void",
    "volatile",  "wchar_t",   "while",         "xor",          "xor_eq",
    "_Bool",     "_Complex",  "_Imaginary",    "errno",        "assert",
    "NULL",      "EOF",       "stdin",         "stdout",       "stderr",
    "offsetof",  "linux",     "unix",          "i386"};

// Methods and constants of every generated C++ class.
const std::set<std::string> kClassMembers = {
    "kTable", "kVersion", "kRowWidth", "CStruct",         "descriptor", "check", "encode",
    "decode", "to_doc",   "from_doc",  "register_schema", "c_struct",   "c_"};

std::string upper(const std::string &s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string pascal(const std::string &s) {
  std::string out;
  bool up = true;
  for (char c : s) {
    if (c == '_') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out.empty() ? "T" : out;
}

}  // namespace

TableNames names_for(const TableModel &t) {
  TableNames n;
  std::string prefix;
  for (const auto &part : t.ns) {
    prefix += part + "_";
    n.cpp_ns += (n.cpp_ns.empty() ? "" : "::") + part;
  }
  prefix += t.name;
  n.c_type = prefix + "_row";
  n.c_macro = upper(prefix);
  n.cpp_class = pascal(t.name) + "Row";
  for (const auto &f : t.fields)
    n.members.push_back(kReserved.count(f.name) ? f.name + "_" : f.name);
  return n;
}

void check_names(const std::vector<TableModel> &tables, Diagnostics &diag) {
  std::map<std::string, const TableModel *> c_types, c_macros, cpp_classes;
  for (const auto &t : tables) {
    TableNames n = names_for(t);
    auto table_clash = [&](std::map<std::string, const TableModel *> &seen, const std::string &name,
                           const char *what) {
      auto [it, fresh] = seen.emplace(name, &t);
      if (!fresh)
        diag.error(t.file, t.line,
                   "table '" + t.name + "': its generated " + what + " '" + name +
                       "' is also table '" + it->second->name + "''s (" + it->second->file +
                       "); rename one");
    };
    table_clash(c_types, n.c_type, "C type");
    table_clash(c_macros, n.c_macro, "C macro prefix");
    table_clash(cpp_classes, n.cpp_ns + "::" + n.cpp_class, "C++ class");

    // Every name a field contributes, and which field it came from.
    std::map<std::string, std::string> taken;
    for (const auto &m : kClassMembers) taken[m] = "";
    taken["has"] = "";  // the C struct's presence flags
    for (size_t i = 0; i < t.fields.size(); i++) {
      const FieldModel &f = t.fields[i];
      std::vector<std::string> mine = {n.members[i], "set_" + n.members[i]};
      if (!f.key) {
        mine.push_back("has_" + n.members[i]);
        mine.push_back("clear_" + n.members[i]);
      }
      for (const auto &name : mine) {
        auto [it, fresh] = taken.emplace(name, f.name);
        if (fresh) continue;
        diag.error(t.file, f.line,
                   "field '" + f.name + "' of table '" + t.name + "': the generated name '" + name +
                       "' collides with " +
                       (it->second.empty() ? std::string("a generated member")
                                           : "field '" + it->second + "''s accessors") +
                       "; rename the field");
        break;
      }
    }
  }
}

std::string guard_for(const std::string &file) {
  std::string g = "BDB_GENERATED_";
  for (char c : file)
    g += std::isalnum(static_cast<unsigned char>(c))
             ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
             : '_';
  return g + "_";
}

}  // namespace schemac
