#include "keypath.h"

#include <bucketdb/driver.h>
#include <limits.h>

#include <cstring>

namespace filedrv {

std::string encode_segment(const std::string &segment) {
  std::string out;
  out.reserve(segment.size() + 2);
  for (size_t i = 0; i < segment.size(); i++) {
    char c = segment[i];
    if (c == '%') {
      out += "%25";
    } else if (c == '.' && i == 0) {
      out += "%2E";
    } else {
      out += c;
    }
  }
  return out;
}

bool decode_name(const std::string &name, std::string *segment) {
  if (name.empty() || name[0] == '.') return false;
  std::string out;
  for (size_t i = 0; i < name.size(); i++) {
    if (name[i] != '%') {
      out += name[i];
    } else if (name.compare(i, 3, "%25") == 0) {
      out += '%';
      i += 2;
    } else if (i == 0 && name.compare(0, 3, "%2E") == 0) {
      out += '.';
      i += 2;
    } else {
      return false;
    }
  }
  if (out == "." || out == "..") return false;
  *segment = std::move(out);
  return true;
}

bool key_to_path(const char *key, std::string *rel, std::string *why) {
  if (!key || !*key) {
    *why = "empty key";
    return false;
  }
  size_t len = std::strlen(key);
  if (len > BDB_DRV_MAX_KEY) {
    *why = "key longer than " + std::to_string(BDB_DRV_MAX_KEY) + " bytes";
    return false;
  }
  if (key[0] == '/') {
    *why = "absolute key (starts with '/')";
    return false;
  }
  rel->clear();
  const char *p = key;
  while (true) {
    const char *slash = std::strchr(p, '/');
    std::string seg = slash ? std::string(p, slash) : std::string(p);
    if (seg.empty()) {
      *why = "empty path segment (leading, trailing or double '/')";
      return false;
    }
    if (seg == "." || seg == "..") {
      *why = "'" + seg + "' segment (the file driver refuses keys that could leave its directory)";
      return false;
    }
    std::string enc = encode_segment(seg);
    if (enc.size() > NAME_MAX) {
      *why = "a segment longer than " + std::to_string(NAME_MAX) + " bytes once escaped";
      return false;
    }
    if (!rel->empty()) *rel += '/';
    *rel += enc;
    if (!slash) break;
    p = slash + 1;
  }
  return true;
}

void split_path(const std::string &rel, std::string *dir, std::string *leaf) {
  size_t slash = rel.rfind('/');
  if (slash == std::string::npos) {
    dir->clear();
    *leaf = rel;
  } else {
    *dir = rel.substr(0, slash);
    *leaf = rel.substr(slash + 1);
  }
}

}  // namespace filedrv
