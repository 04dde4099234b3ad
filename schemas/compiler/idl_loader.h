// Parsing .fbs files with FlatBuffers' own parser (flatbuffers::Parser, 2.0.8), one parser per
// input file, includes resolved like flatc does: beside the including file, then -I dirs, then
// the directory that holds bucketdb.fbs.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <flatbuffers/idl.h>

#include "diagnostics.h"
#include "source_index.h"

namespace schemac {

struct IdlFile {
  std::string path;  // as given on the command line
  std::unique_ptr<flatbuffers::Parser> parser;
  std::vector<std::string> inputs;  // the file and every file it includes, for depfiles
};

// Source text indexes, read once per file.
class SourceCache {
 public:
  const SourceIndex &get(const std::string &file);

 private:
  std::map<std::string, SourceIndex> indexes_;
};

// nullptr when the file does not parse; the parser's error (with the field it is about, when
// the line declares one) is in diag.
std::unique_ptr<IdlFile> load_idl(const std::string &path,
                                  const std::vector<std::string> &include_dirs,
                                  SourceCache &sources, Diagnostics &diag);

}  // namespace schemac
