#include "s3_xml.h"

#include <cstdint>

namespace bdbs3 {

namespace {

constexpr size_t kMaxDepth = 32;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_name_char(char c) {
  return !is_space(c) && c != '/' && c != '>' && c != '<' && c != '=' && c != '"' && c != '\'' &&
         c != '&';
}

void append_utf8(uint32_t cp, std::string *out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes the reference starting at xml[i] == '&' into out; advances i past the ';'.
bool decode_reference(std::string_view xml, size_t *i, std::string *out, std::string *why) {
  size_t semi = xml.find(';', *i);
  if (semi == std::string_view::npos || semi - *i > 12) {
    *why = "unterminated character reference";
    return false;
  }
  std::string_view ref = xml.substr(*i + 1, semi - *i - 1);
  *i = semi + 1;
  if (ref == "lt") return *out += '<', true;
  if (ref == "gt") return *out += '>', true;
  if (ref == "amp") return *out += '&', true;
  if (ref == "quot") return *out += '"', true;
  if (ref == "apos") return *out += '\'', true;
  if (ref.size() >= 2 && ref[0] == '#') {
    bool hex = ref[1] == 'x' || ref[1] == 'X';
    std::string_view digits = ref.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 8) {
      *why = "bad character reference";
      return false;
    }
    uint32_t cp = 0;
    for (char c : digits) {
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (hex && c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (hex && c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        *why = "bad character reference";
        return false;
      }
      cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
    }
    // Control characters are accepted on purpose (RGW writes them into tokens); NUL, surrogates
    // and out-of-range code points are not characters at all.
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      *why = "character reference out of range";
      return false;
    }
    append_utf8(cp, out);
    return true;
  }
  *why = "unknown entity &" + std::string(ref) + ";";
  return false;
}

// Skips to just past `end`; false when it never comes.
bool skip_past(std::string_view xml, size_t *i, std::string_view end) {
  size_t at = xml.find(end, *i);
  if (at == std::string_view::npos) return false;
  *i = at + end.size();
  return true;
}

struct Frame {
  std::string name;
  std::string text;
};

std::string path_of(const std::vector<Frame> &stack) {
  std::string p;
  for (const auto &f : stack) {
    if (!p.empty()) p += '/';
    p += f.name;
  }
  return p;
}

// Parses "<name attr='v' ...>" or ".../>" at xml[*i] == '<'. Sets *self_closing.
bool parse_start_tag(std::string_view xml, size_t *i, std::string *name, bool *self_closing,
                     std::string *why) {
  size_t p = *i + 1;
  size_t start = p;
  while (p < xml.size() && is_name_char(xml[p])) p++;
  if (p == start) {
    *why = "bad start tag";
    return false;
  }
  *name = std::string(xml.substr(start, p - start));
  for (;;) {
    while (p < xml.size() && is_space(xml[p])) p++;
    if (p >= xml.size()) break;
    if (xml[p] == '>') {
      *self_closing = false;
      *i = p + 1;
      return true;
    }
    if (xml[p] == '/' && p + 1 < xml.size() && xml[p + 1] == '>') {
      *self_closing = true;
      *i = p + 2;
      return true;
    }
    // An attribute: name = "value" (ignored).
    size_t a = p;
    while (p < xml.size() && is_name_char(xml[p])) p++;
    if (p == a) break;
    while (p < xml.size() && is_space(xml[p])) p++;
    if (p >= xml.size() || xml[p] != '=') break;
    p++;
    while (p < xml.size() && is_space(xml[p])) p++;
    if (p >= xml.size() || (xml[p] != '"' && xml[p] != '\'')) break;
    size_t close = xml.find(xml[p], p + 1);
    if (close == std::string_view::npos) break;
    p = close + 1;
  }
  *why = "malformed start tag <" + *name;
  return false;
}

}  // namespace

bool scan_xml(std::string_view xml, const XmlTextFn &on_text, std::string *why) {
  std::vector<Frame> stack;
  bool seen_root = false;
  size_t i = 0;
  while (i < xml.size()) {
    char c = xml[i];
    if (c == '&') {
      std::string decoded;
      if (!decode_reference(xml, &i, &decoded, why)) return false;
      if (!stack.empty()) stack.back().text += decoded;
      continue;
    }
    if (c != '<') {
      size_t next = i;
      while (next < xml.size() && xml[next] != '<' && xml[next] != '&') next++;
      if (!stack.empty()) {
        stack.back().text.append(xml.data() + i, next - i);
      } else {
        for (size_t k = i; k < next; k++) {
          if (!is_space(xml[k])) {
            *why = "text outside the root element";
            return false;
          }
        }
      }
      i = next;
      continue;
    }
    std::string_view rest = xml.substr(i);
    if (rest.substr(0, 2) == "<?") {
      if (!skip_past(xml, &i, "?>")) return *why = "unterminated <?", false;
    } else if (rest.substr(0, 4) == "<!--") {
      if (!skip_past(xml, &i, "-->")) return *why = "unterminated comment", false;
    } else if (rest.substr(0, 9) == "<![CDATA[") {
      size_t start = i + 9;
      if (!skip_past(xml, &i, "]]>")) return *why = "unterminated CDATA", false;
      if (stack.empty()) return *why = "CDATA outside the root element", false;
      stack.back().text.append(xml.data() + start, i - 3 - start);
    } else if (rest.substr(0, 2) == "<!") {
      // DOCTYPE and its entity definitions: S3 never sends them, and expanding them is how
      // parsers get attacked.
      return *why = "DOCTYPE is not supported", false;
    } else if (rest.substr(0, 2) == "</") {
      size_t p = i + 2, start = p;
      while (p < xml.size() && is_name_char(xml[p])) p++;
      std::string_view name = xml.substr(start, p - start);
      while (p < xml.size() && is_space(xml[p])) p++;
      if (p >= xml.size() || xml[p] != '>') return *why = "malformed end tag", false;
      if (stack.empty() || stack.back().name != name)
        return *why = "mismatched end tag </" + std::string(name) + ">", false;
      on_text(path_of(stack), stack.back().text);
      stack.pop_back();
      i = p + 1;
    } else {
      std::string name;
      bool self_closing = false;
      if (!parse_start_tag(xml, &i, &name, &self_closing, why)) return false;
      if (stack.empty() && seen_root) return *why = "more than one root element", false;
      if (stack.size() >= kMaxDepth) return *why = "elements nested too deeply", false;
      seen_root = true;
      stack.push_back(Frame{std::move(name), {}});
      if (self_closing) {
        on_text(path_of(stack), std::string());
        stack.pop_back();
      }
    }
  }
  if (!stack.empty()) return *why = "document ends inside <" + stack.back().name + ">", false;
  if (!seen_root) return *why = "no root element", false;
  return true;
}

bool url_decode(std::string_view in, std::string *out) {
  out->clear();
  out->reserve(in.size());
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < in.size(); i++) {
    if (in[i] == '+') {
      *out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = nibble(in[i + 1]), lo = nibble(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      *out += in[i];
    }
  }
  return true;
}

bool parse_list_result(std::string_view xml, ListResult *out, std::string *why) {
  *out = ListResult{};
  std::string root, truncated, encoding;
  bool ok = scan_xml(
      xml,
      [&](const std::string &path, const std::string &text) {
        if (path.find('/') == std::string::npos) {
          root = path;
          return;
        }
        if (path == "ListBucketResult/Contents/Key") {
          out->keys.push_back(text);
        } else if (path == "ListBucketResult/IsTruncated") {
          truncated = text;
        } else if (path == "ListBucketResult/NextContinuationToken") {
          out->next_token = text;
        } else if (path == "ListBucketResult/EncodingType") {
          encoding = text;
        }
      },
      why);
  if (!ok) return false;
  if (root != "ListBucketResult") {
    *why = "expected a ListBucketResult, got <" + root + ">";
    return false;
  }
  if (truncated != "true" && truncated != "false") {
    *why = "IsTruncated is '" + truncated + "'";
    return false;
  }
  out->truncated = truncated == "true";
  out->url_encoded = encoding == "url";
  if (out->url_encoded) {
    for (auto &k : out->keys) {
      std::string decoded;
      if (!url_decode(k, &decoded)) {
        *why = "bad url encoding in key '" + k + "'";
        return false;
      }
      k = std::move(decoded);
    }
  }
  return true;
}

bool parse_error(std::string_view xml, ErrorDoc *out) {
  *out = ErrorDoc{};
  std::string root, why;
  bool ok = scan_xml(
      xml,
      [&](const std::string &path, const std::string &text) {
        if (path == "Error") root = path;
        if (path == "Error/Code") out->code = text;
        if (path == "Error/Message") out->message = text;
        if (path == "Error/Region") out->region = text;
        if (path == "Error/Endpoint") out->endpoint = text;
      },
      &why);
  return ok && root == "Error" && !out->code.empty();
}

}  // namespace bdbs3
