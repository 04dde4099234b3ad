#include "idl_loader.h"

#include <cctype>

#include <flatbuffers/util.h>

namespace schemac {

const SourceIndex &SourceCache::get(const std::string &file) {
  auto it = indexes_.find(file);
  if (it != indexes_.end()) return it->second;
  std::string text;
  flatbuffers::LoadFile(file.c_str(), false, &text);
  return indexes_.emplace(file, index_source(text)).first->second;
}

namespace {

// FlatBuffers says "file:line: col: error: text" without naming the field; add it.
std::string explain_parse_error(const std::string &error, SourceCache &sources) {
  std::string first = error.substr(0, error.find('\n'));
  std::string out = first;
  // The file name may hold ':'; the line is the first ":<digits>: " after it.
  for (size_t at = first.find(':'); at != std::string::npos; at = first.find(':', at + 1)) {
    size_t end = at + 1;
    while (end < first.size() && std::isdigit(static_cast<unsigned char>(first[end]))) end++;
    if (end == at + 1 || first.compare(end, 2, ": ") != 0) continue;
    const SourceIndex &idx = sources.get(first.substr(0, at));
    auto it = idx.field_at_line.find(std::stoi(first.substr(at + 1, end - at - 1)));
    if (it != idx.field_at_line.end())
      out += " (field '" + it->second.second + "' of table '" + it->second.first + "')";
    break;
  }
  if (first.find("must be declared before use: bdb_") != std::string::npos)
    out += " (add include \"bucketdb.fbs\"; to declare BucketDB's attributes)";
  return out;
}

}  // namespace

std::unique_ptr<IdlFile> load_idl(const std::string &path,
                                  const std::vector<std::string> &include_dirs,
                                  SourceCache &sources, Diagnostics &diag) {
  auto file = std::make_unique<IdlFile>();
  file->path = path;
  std::string source;
  if (!flatbuffers::LoadFile(path.c_str(), false, &source)) {
    diag.raw(path + ": error: cannot read the file");
    return nullptr;
  }
  flatbuffers::IDLOptions opts;
  file->parser = std::make_unique<flatbuffers::Parser>(opts);
  std::vector<std::string> dirs;
  dirs.push_back(flatbuffers::StripFileName(path));
  dirs.insert(dirs.end(), include_dirs.begin(), include_dirs.end());
  std::vector<const char *> dir_ptrs;
  dir_ptrs.reserve(dirs.size() + 1);
  for (const auto &d : dirs) dir_ptrs.push_back(d.c_str());
  dir_ptrs.push_back(nullptr);
  if (!file->parser->Parse(source.c_str(), dir_ptrs.data(), path.c_str())) {
    diag.raw(explain_parse_error(file->parser->error_, sources));
    return nullptr;
  }
  for (const auto &dep : file->parser->GetIncludedFilesRecursive(path))
    file->inputs.push_back(flatbuffers::AbsolutePath(dep));
  return file;
}

}  // namespace schemac
