#include "source_index.h"

#include <cctype>

namespace schemac {

int SourceIndex::type_line(const std::string &qualified) const {
  auto it = type_lines.find(qualified);
  return it == type_lines.end() ? 0 : it->second;
}

int SourceIndex::field_line(const std::string &qualified_table, const std::string &field) const {
  auto it = field_lines.find({qualified_table, field});
  return it == field_lines.end() ? 0 : it->second;
}

namespace {

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

}  // namespace

// A token scan, not a parser: it only has to agree with FlatBuffers on text that parsed. A
// field is the first identifier of a member (after '{' or ';') followed by ':' at depth 1.
SourceIndex index_source(const std::string &text) {
  SourceIndex idx;
  int line = 1, depth = 0, paren = 0;
  std::string ns, ns_building, keyword, body, candidate;
  bool building_ns = false, member_start = false;
  int candidate_line = 0;
  auto qualify = [&](const std::string &name) { return ns.empty() ? name : ns + "." + name; };
  size_t i = 0, n = text.size();
  while (i < n) {
    char c = text[i];
    if (c == '\n') {
      line++;
      i++;
    } else if (c == '/' && i + 1 < n && text[i + 1] == '/') {
      while (i < n && text[i] != '\n') i++;
    } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      i += 2;
      while (i < n && !(text[i] == '*' && i + 1 < n && text[i + 1] == '/')) {
        if (text[i] == '\n') line++;
        i++;
      }
      i += 2;
    } else if (c == '"') {
      for (i++; i < n && text[i] != '"' && text[i] != '\n'; i++)
        if (text[i] == '\\') i++;
      i++;
    } else if (ident_start(c)) {
      size_t start = i;
      while (i < n && ident_char(text[i])) i++;
      std::string word = text.substr(start, i - start);
      if (building_ns) {
        ns_building += word;
      } else if (depth == 0 && paren == 0) {
        if (word == "table" || word == "struct" || word == "union" || word == "enum" ||
            word == "rpc_service") {
          keyword = word;
        } else if (word == "namespace") {
          building_ns = true;
          ns_building.clear();
        } else if (!keyword.empty()) {
          body = qualify(word);
          idx.type_lines.emplace(body, line);
          keyword.clear();
        }
      } else if (depth == 1 && paren == 0 && member_start) {
        candidate = word;
        candidate_line = line;
        member_start = false;
      }
    } else {
      switch (c) {
        case '.':
          if (building_ns) ns_building += '.';
          break;
        case ';':
          if (building_ns) {
            ns = ns_building;
            building_ns = false;
          }
          if (depth == 1) member_start = true;
          candidate.clear();
          break;
        case ':':
          if (depth == 1 && paren == 0 && !candidate.empty()) {
            idx.field_lines.emplace(std::make_pair(body, candidate), candidate_line);
            idx.field_at_line.emplace(candidate_line, std::make_pair(body, candidate));
          }
          candidate.clear();
          break;
        case '{':
          depth++;
          if (depth == 1) member_start = true;
          break;
        case '}':
          if (depth > 0) depth--;
          if (depth == 0) body.clear();
          candidate.clear();
          break;
        case '(':
          paren++;
          break;
        case ')':
          if (paren > 0) paren--;
          break;
        default:
          break;
      }
      i++;
    }
  }
  return idx;
}

}  // namespace schemac
