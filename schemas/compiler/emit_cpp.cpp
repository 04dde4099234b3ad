#include <cctype>
#include <sstream>

#include "emit.h"
#include "names.h"

#ifndef BDB_SCHEMAC_VERSION
#define BDB_SCHEMAC_VERSION "dev"
#endif

namespace schemac {

namespace {

// The C++ type an accessor returns (views for text and bytes; not owning).
const char *cpp_value_type(int type_id) {
  switch (type_id) {
    case 9:
    case 10:
    case 16:
      return "std::string_view";
    default:
      return c_type_of(type_id);
  }
}

class CppEmitter {
 public:
  CppEmitter(const TableModel &t, std::ostringstream &out) : t_(t), n_(names_for(t)), out_(out) {}

  void emit() {
    const std::string &c = n_.cpp_class;
    const std::string &p = n_.c_macro;
    out_ << "// Table " << t_.name << ", version " << t_.version
         << ": a typed view over the C record " << n_.c_type << ".\n"
         << "// Text and bytes are std::string_view and are not copied: what you set must\n"
         << "// outlive encode(); what decode() gives points into the heap it decoded.\n";
    out_ << "class " << c << " {\n public:\n"
         << "  using CStruct = " << n_.c_type << ";\n"
         << "  static constexpr const char *kTable = " << p << "_TABLE;\n"
         << "  static constexpr uint32_t kVersion = " << p << "_VERSION;\n"
         << "  static constexpr size_t kRowWidth = " << p << "_ROW_WIDTH;\n\n"
         << "  " << c << "() { " << fn("init") << "(&c_); }\n"
         << "  explicit " << c << "(const " << n_.c_type << " &c) : c_(c) {}\n\n";
    for (size_t i = 0; i < t_.fields.size(); i++) accessors(i);
    out_ << "  // The schema as the engine registers it (canonical JSON).\n"
         << "  static const char *descriptor() { return " << fn("descriptor") << "(); }\n"
         << "  static bdb_status register_schema(bdb_db *db) { return " << fn("register")
         << "(db); }\n\n"
         << "  bdb_status check(bdbc_error *err = nullptr) const { return " << fn("check")
         << "(&c_, err); }\n"
         << "  // Appends the row and its heap values to `out` (see " << fn("encode") << ").\n"
         << "  bdb_status encode(bdbc::RowBuilder &out, bdbc_error *err = nullptr) const {\n"
         << "    return " << fn("encode") << "(&c_, out.get(), err);\n  }\n"
         << "  bdb_status decode(const void *row, size_t row_len, const void *heap, size_t "
            "heap_len,\n"
         << "                    bdbc_error *err = nullptr) {\n"
         << "    return " << fn("decode") << "(row, row_len, heap, heap_len, &c_, err);\n  }\n"
         << "  bdb_status decode(std::string_view row, std::string_view heap, bdbc_error *err = "
            "nullptr) {\n"
         << "    return decode(row.data(), row.size(), heap.data(), heap.size(), err);\n  }\n"
         << "  bdb_status to_doc(bdb_db *db, bdb_doc **out, bdbc_error *err = nullptr) const {\n"
         << "    return " << fn("to_doc") << "(db, &c_, out, err);\n  }\n"
         << "  // Views into `storage`, which must outlive this record's text and bytes.\n"
         << "  bdb_status from_doc(const bdb_doc *doc, bdbc::RowBuf &storage, bdbc_error *err = "
            "nullptr) {\n"
         << "    return " << fn("from_doc") << "(doc, &c_, storage.reset(), err);\n  }\n\n"
         << "  const " << n_.c_type << " &c_struct() const { return c_; }\n"
         << "  " << n_.c_type << " &c_struct() { return c_; }\n\n"
         << " private:\n  " << n_.c_type << " c_;\n};\n\n";
  }

 private:
  std::string fn(const char *suffix) const { return n_.c_type + "_" + suffix; }

  void accessors(size_t i) {
    const FieldModel &f = t_.fields[i];
    const std::string &m = n_.members[i];
    const std::string &c = n_.cpp_class;
    std::string type = cpp_value_type(f.type_id);
    bool text = f.type_id == 9 || f.type_id == 10 || f.type_id == 16;
    std::string get = text ? std::string("bdbc::view(c_.") + m + ")" : "c_." + m;
    std::string put = f.type_id == 16 ? "bdbc::bytes(v)" : text ? "bdbc::str(v)" : "v";
    std::string param = text ? "std::string_view v" : "const " + type + " &v";
    if (!text && f.type_id != 11) param = type + " v";
    out_ << "  // " << f.name << ": " << field_comment(t_, i) << "\n";
    if (f.key) {
      out_ << "  " << type << " " << m << "() const { return " << get << "; }\n"
           << "  " << c << " &set_" << m << "(" << param << ") {\n"
           << "    c_." << m << " = " << put << ";\n    return *this;\n  }\n";
    } else {
      out_ << "  bool has_" << m << "() const { return c_.has." << m << "; }\n"
           << "  std::optional<" << type << "> " << m << "() const {\n"
           << "    if (!c_.has." << m << ") return std::nullopt;\n"
           << "    return " << get << ";\n  }\n"
           << "  " << c << " &set_" << m << "(" << param << ") {\n"
           << "    c_." << m << " = " << put << ";\n    c_.has." << m
           << " = true;\n    return *this;\n  }\n"
           << "  " << c << " &clear_" << m << "() {\n"
           << "    c_." << m << " = " << c_type_of(f.type_id) << "();\n    c_.has." << m
           << " = false;\n    return *this;\n  }\n";
    }
    if (text) {
      // A literal picks this overload; a temporary std::string would dangle, so it is refused.
      out_ << "  " << c << " &set_" << m << "(const char *v) { return set_" << m
           << "(std::string_view(v)); }\n"
           << "  " << c << " &set_" << m << "(std::string &&) = delete;\n";
    }
    out_ << "\n";
  }

  const TableModel &t_;
  TableNames n_;
  std::ostringstream &out_;
};

}  // namespace

std::string emit_cpp(const std::string &source, const OutputNames &names,
                     const std::vector<TableModel> &tables) {
  std::ostringstream out;
  std::string guard = guard_for(names.cpp_header);
  size_t slash = source.find_last_of("/\\");
  std::string base = slash == std::string::npos ? source : source.substr(slash + 1);
  out << "// " << names.cpp_header << ": generated by bucketdb-schemac " << BDB_SCHEMAC_VERSION
      << " from " << base << ". Do not edit.\n"
      << "// Row codecs for BucketDB (C++17): one class per table over the C record of\n"
      << "// " << names.c_header << ", with std::string_view accessors.\n"
      << "#ifndef " << guard << "\n#define " << guard << "\n\n"
      << "#include <cstddef>\n#include <cstdint>\n#include <optional>\n#include <string>\n"
      << "#include <string_view>\n\n"
      << "#include <bucketdb/codec.hpp>\n\n"
      << "#include \"" << names.c_header << "\"\n\n";
  // Tables in the same namespace share one block; namespaces follow the IDL.
  std::string open;
  for (const auto &t : tables) {
    TableNames n = names_for(t);
    if (n.cpp_ns != open) {
      if (!open.empty()) out << "}  // namespace " << open << "\n\n";
      if (!n.cpp_ns.empty()) out << "namespace " << n.cpp_ns << " {\n\n";
      open = n.cpp_ns;
    }
    CppEmitter(t, out).emit();
  }
  if (!open.empty()) out << "}  // namespace " << open << "\n\n";
  out << "#endif  // " << guard << "\n";
  return out.str();
}

}  // namespace schemac
