// bucketdb-schemac: FlatBuffers IDL -> BucketDB row codecs (C99 and C++17 headers), schema
// descriptors, and schema-evolution checks. See schemas/README.md.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "compat.h"
#include "core/util/error.h"
#include "descriptor.h"
#include "diagnostics.h"
#include "emit.h"
#include "idl_loader.h"
#include "names.h"
#include "type_mapping.h"

#ifndef BDB_SCHEMAC_VERSION
#define BDB_SCHEMAC_VERSION "dev"
#endif
#ifndef BDB_SCHEMAC_SHARE_REL
#define BDB_SCHEMAC_SHARE_REL "../share/bucketdb"
#endif

namespace fs = std::filesystem;

namespace schemac {
namespace {

enum Exit { kOk = 0, kInputError = 1, kUsage = 2, kIncompatible = 3 };

const char *kUsageText =
    "usage: bucketdb-schemac [options] FILE.fbs...\n"
    "Generates, for every table of each FILE.fbs, a C99 header (FILE_bdb.h) and a C++17 header\n"
    "(FILE_bdb.hpp) with row codecs and the schema descriptor.\n"
    "  -o, --out-dir DIR        write the headers to DIR (default: .)\n"
    "  -I, --include DIR        look for included .fbs files in DIR too (repeatable)\n"
    "      --depfile FILE       also write a Makefile-style dependency file\n"
    "      --emit-json          print each table's descriptor (canonical JSON), one per line,\n"
    "                           and write no code\n"
    "      --check-compatible OLD\n"
    "                           say whether the tables can be registered beside OLD (the\n"
    "                           previous .fbs, or JSON descriptors as `bucketdb schema list`\n"
    "                           prints them) and what the migration does; write no code\n"
    "      --version, -h, --help\n"
    "Exit status: 0 ok, 1 errors in the input, 2 usage, 3 incompatible or lossy\n"
    "(--check-compatible).\n";

struct Options {
  std::vector<std::string> inputs;
  std::vector<std::string> include_dirs;
  std::string out_dir = ".";
  std::string depfile;
  std::string check_against;
  bool emit_json = false;
  bool allow_lossy = false;
};

[[noreturn]] void usage_error(const std::string &msg) {
  std::cerr << "bucketdb-schemac: " << msg << "\n" << kUsageText;
  std::exit(kUsage);
}

Options parse_args(int argc, char **argv) {
  Options o;
  auto value = [&](int &i, const std::string &flag) -> std::string {
    if (i + 1 >= argc) usage_error(flag + " needs a value");
    return argv[++i];
  };
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::cout << kUsageText;
      std::exit(kOk);
    } else if (a == "--version") {
      std::cout << "bucketdb-schemac " << BDB_SCHEMAC_VERSION << "\n";
      std::exit(kOk);
    } else if (a == "-o" || a == "--out-dir") {
      o.out_dir = value(i, a);
    } else if (a == "-I" || a == "--include") {
      o.include_dirs.push_back(value(i, a));
    } else if (a.rfind("-I", 0) == 0 && a.size() > 2) {
      o.include_dirs.push_back(a.substr(2));
    } else if (a == "--depfile") {
      o.depfile = value(i, a);
    } else if (a == "--emit-json") {
      o.emit_json = true;
    } else if (a == "--check-compatible") {
      o.check_against = value(i, a);
    } else if (a == "--allow-lossy") {
      o.allow_lossy = true;
    } else if (!a.empty() && a[0] == '-') {
      usage_error("unknown option " + a);
    } else {
      o.inputs.push_back(a);
    }
  }
  if (o.inputs.empty()) usage_error("no .fbs file given");
  if (o.emit_json && !o.check_against.empty())
    usage_error("--emit-json and --check-compatible do not go together");
  if (o.allow_lossy && o.check_against.empty())
    usage_error("--allow-lossy goes with --check-compatible");
  return o;
}

// bucketdb.fbs lives in <prefix>/share/bucketdb, found from this executable's own place, so
// the build tree (build/bin + build/share) and an install behave alike.
std::string share_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  return (exe.parent_path() / BDB_SCHEMAC_SHARE_REL).lexically_normal().string();
}

struct Compiled {
  std::vector<std::unique_ptr<IdlFile>> files;
  std::vector<std::vector<TableModel>> tables;  // per file
};

// Parses and maps every input; false (with diagnostics) when anything does not map.
// `for_code`: generated names must not collide, and a table name appears once.
bool compile(const std::vector<std::string> &inputs, const std::vector<std::string> &includes,
             bool for_code, SourceCache &sources, Diagnostics &diag, Compiled *out) {
  std::vector<TableModel> all;
  for (const auto &path : inputs) {
    auto file = load_idl(path, includes, sources, diag);
    if (!file) continue;
    auto tables = map_tables(*file, sources, diag);
    all.insert(all.end(), tables.begin(), tables.end());
    out->files.push_back(std::move(file));
    out->tables.push_back(std::move(tables));
  }
  if (!for_code) return diag.ok();
  std::map<std::string, const TableModel *> seen;
  for (const auto &t : all) {
    auto [it, fresh] = seen.emplace(t.name, &t);
    if (!fresh)
      diag.error(t.file, t.line,
                 "table '" + t.name + "' is also declared at " + it->second->file + ":" +
                     std::to_string(it->second->line) +
                     " (a database has one table per name, whatever the namespace)");
  }
  check_names(all, diag);
  return diag.ok();
}

// An unchanged header keeps its timestamp, so the code including it is not rebuilt when an
// edit to the .fbs (a comment, say) changes nothing generated.
bool write_if_changed(const fs::path &path, const std::string &text) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::ostringstream old;
    old << in.rdbuf();
    if (old.str() == text) return true;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) std::cerr << "bucketdb-schemac: cannot write " << path.string() << "\n";
  return static_cast<bool>(out);
}

std::string depfile_escape(const std::string &path) {
  std::string out;
  for (char c : path) {
    if (c == ' ' || c == '#') out += '\\';
    if (c == '$') out += '$';
    out += c;
  }
  return out;
}

int generate(const Options &o, const Compiled &c) {
  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  if (ec) {
    std::cerr << "bucketdb-schemac: cannot create " << o.out_dir << ": " << ec.message() << "\n";
    return kInputError;
  }
  std::map<std::string, std::string> written;  // output name -> input
  std::vector<std::string> outputs, inputs;
  for (size_t i = 0; i < c.files.size(); i++) {
    const IdlFile &f = *c.files[i];
    OutputNames names = output_names(f.path);
    auto [it, fresh] = written.emplace(names.c_header, f.path);
    if (!fresh) {
      std::cerr << f.path << ": error: its headers would overwrite those of " << it->second
                << " (same file name); rename one\n";
      return kInputError;
    }
    fs::path c_path = fs::path(o.out_dir) / names.c_header;
    fs::path cpp_path = fs::path(o.out_dir) / names.cpp_header;
    if (!write_if_changed(c_path, emit_c(f.path, names, c.tables[i])) ||
        !write_if_changed(cpp_path, emit_cpp(f.path, names, c.tables[i])))
      return kInputError;
    outputs.push_back(fs::absolute(c_path).lexically_normal().string());
    outputs.push_back(fs::absolute(cpp_path).lexically_normal().string());
    inputs.insert(inputs.end(), f.inputs.begin(), f.inputs.end());
  }
  if (!o.depfile.empty()) {
    std::ostringstream dep;
    for (size_t i = 0; i < outputs.size(); i++) dep << (i ? " " : "") << depfile_escape(outputs[i]);
    dep << ":";
    for (const auto &in : inputs) dep << " \\\n  " << depfile_escape(in);
    dep << "\n";
    if (!write_if_changed(o.depfile, dep.str())) return kInputError;
  }
  return kOk;
}

// Removes headers an earlier run wrote, so a failed build cannot go on with stale code.
void remove_outputs(const Options &o) {
  std::error_code ec;
  for (const auto &in : o.inputs) {
    OutputNames names = output_names(in);
    fs::remove(fs::path(o.out_dir) / names.c_header, ec);
    fs::remove(fs::path(o.out_dir) / names.cpp_header, ec);
  }
}

bool ends_with(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int check_against(const Options &o, const Compiled &c, SourceCache &sources) {
  Diagnostics diag;
  std::vector<TableModel> old_tables;
  if (ends_with(o.check_against, ".fbs")) {
    Compiled old;
    std::vector<std::string> includes = o.include_dirs;
    includes.push_back(share_dir());
    if (compile({o.check_against}, includes, false, sources, diag, &old))
      for (auto &ts : old.tables) old_tables.insert(old_tables.end(), ts.begin(), ts.end());
  } else {
    std::ifstream in(o.check_against, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in)
      diag.raw(o.check_against + ": error: cannot read the file");
    else
      tables_from_json(text.str(), o.check_against, &old_tables, diag);
  }
  if (!diag.ok()) {
    for (const auto &e : diag.errors()) std::cerr << e << "\n";
    return kInputError;
  }
  std::vector<TableModel> fresh;
  for (const auto &ts : c.tables) fresh.insert(fresh.end(), ts.begin(), ts.end());
  try {
    return check_compatible(old_tables, fresh, o.allow_lossy, std::cout) ? kOk : kIncompatible;
  } catch (const bucketdb::Error &e) {  // a table the engine itself would not accept
    std::cerr << "bucketdb-schemac: " << e.what() << "\n";
    return kInputError;
  }
}

int run(int argc, char **argv) {
  Options o = parse_args(argc, argv);
  std::vector<std::string> includes = o.include_dirs;
  std::string share = share_dir();
  if (!share.empty()) includes.push_back(share);
  SourceCache sources;
  Diagnostics diag;
  Compiled compiled;
  bool for_code = !o.emit_json && o.check_against.empty();
  if (!compile(o.inputs, includes, for_code, sources, diag, &compiled)) {
    for (const auto &e : diag.errors()) std::cerr << e << "\n";
    std::cerr << "bucketdb-schemac: " << diag.errors().size()
              << (diag.errors().size() == 1 ? " error" : " errors") << "; no code written\n";
    if (for_code) remove_outputs(o);
    return kInputError;
  }
  if (o.emit_json) {
    for (const auto &ts : compiled.tables)
      for (const auto &t : ts) std::cout << canonical_json(t) << "\n";
    return kOk;
  }
  if (!o.check_against.empty()) return check_against(o, compiled, sources);
  return generate(o, compiled);
}

}  // namespace
}  // namespace schemac

int main(int argc, char **argv) {
  return schemac::run(argc, argv);
}
