// The little XML S3 answers with: ListObjectsV2 results and error documents.
//
// A small hand-written scanner rather than a general parser: S3 documents are flat, have no
// DTD and no entities beyond the predefined ones, and a conforming parser (expat, libxml2)
// must reject what Ceph RGW 16 really sends for keys with control characters (e.g.
// "&#x01;" in NextContinuationToken, which XML 1.0 forbids). The scanner decodes every numeric
// reference, never expands anything else, is bounded in depth, and fails cleanly on anything
// malformed.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace bdbs3 {

struct ListResult {
  std::vector<std::string> keys;  // decoded, in the order the server sent them
  bool truncated = false;
  std::string next_token;
  bool url_encoded = false;  // the server url-encoded the keys (EncodingType url)
};

struct ErrorDoc {
  std::string code;      // "NoSuchKey", "SignatureDoesNotMatch", ...
  std::string message;   // may be empty
  std::string region;    // <Region> of a PermanentRedirect / AuthorizationHeaderMalformed
  std::string endpoint;  // <Endpoint> of a PermanentRedirect
};

// Parses a ListBucketResult; false (with *why) on malformed XML or another root element.
bool parse_list_result(std::string_view xml, ListResult *out, std::string *why);
// Parses an <Error> document; false when the body is not one.
bool parse_error(std::string_view xml, ErrorDoc *out);

// Decodes %XX escapes and '+' (a space, in S3's url encoding of listed keys); false on a
// malformed escape.
bool url_decode(std::string_view in, std::string *out);

// Calls on_text(path, text) for the character data directly inside every element, with path
// the names of the open elements joined by '/' ("ListBucketResult/Contents/Key"). Entities and
// character references are decoded; CDATA is taken as is. False (with *why) on malformed input.
using XmlTextFn = std::function<void(const std::string &path, const std::string &text)>;
bool scan_xml(std::string_view xml, const XmlTextFn &on_text, std::string *why);

}  // namespace bdbs3
