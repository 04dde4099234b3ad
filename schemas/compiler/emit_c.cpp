#include <cctype>
#include <sstream>

#include "descriptor.h"
#include "emit.h"
#include "names.h"

#ifndef BDB_SCHEMAC_VERSION
#define BDB_SCHEMAC_VERSION "dev"
#endif

namespace schemac {

namespace {

// ISO C99 promises string literals of 4095 characters; longer descriptors become char arrays
// so the header stays clean under -Wpedantic.
constexpr size_t kMaxLiteral = 4000;

std::string base_name(const std::string &path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

class CEmitter {
 public:
  CEmitter(const TableModel &t, std::ostringstream &out)
      : t_(t), n_(names_for(t)), out_(out), table_(c_string_literal(t.name)) {}

  void emit() {
    banner();
    structure();
    descriptor();
    init_and_register();
    check();
    encode();
    decode();
    doc_bridges();
  }

 private:
  bool nullable(size_t i) const { return !t_.fields[i].key; }
  const std::string &m(size_t i) const { return n_.members[i]; }
  std::string fname(size_t i) const { return c_string_literal(t_.fields[i].name); }
  std::string fn(const std::string &suffix) const { return n_.c_type + "_" + suffix; }

  void banner() {
    out_ << "/* ---- table " << t_.name << ", version " << t_.version << " (" << base_name(t_.file)
         << ":" << t_.line << "): " << t_.fields.size() << " fields, rows of " << t_.row_width
         << " bytes ---- */\n\n";
    const std::string &p = n_.c_macro;
    out_ << "#define " << p << "_TABLE " << table_ << "\n";
    out_ << "#define " << p << "_VERSION " << t_.version << "u\n";
    out_ << "#define " << p << "_FIELD_COUNT " << t_.fields.size() << "u\n";
    out_ << "#define " << p << "_ROW_WIDTH " << t_.row_width << "u\n\n";
  }

  void structure() {
    out_ << "/* One record of " << t_.name << ". Every field but the primary key may be null:\n"
         << " * has.<field> says whether it holds a value. Text and bytes are pointer + length,\n"
         << " * not copied: they must stay valid until the record is encoded. A decoded record\n"
         << " * points into the heap it was decoded from. */\n";
    out_ << "typedef struct " << n_.c_type << " {\n";
    for (size_t i = 0; i < t_.fields.size(); i++)
      out_ << "  " << c_type_of(t_.fields[i].type_id) << " " << m(i) << "; /* "
           << field_comment(t_, i) << " */\n";
    bool any = false;
    for (size_t i = 0; i < t_.fields.size(); i++) any = any || nullable(i);
    if (any) {
      out_ << "  struct {\n";
      for (size_t i = 0; i < t_.fields.size(); i++)
        if (nullable(i)) out_ << "    bool " << m(i) << ";\n";
      out_ << "  } has; /* true: the field holds a value; false: it is null */\n";
    }
    out_ << "} " << n_.c_type << ";\n\n";
  }

  void descriptor() {
    std::string json = canonical_json(t_);
    out_ << "/* The schema as the engine registers it (its canonical JSON form). */\n";
    out_ << "static inline const char *" << fn("descriptor") << "(void) {\n";
    if (json.size() <= kMaxLiteral) {
      out_ << "  return";
      for (size_t at = 0; at < json.size(); at += 80)
        out_ << "\n      " << c_string_literal(json.substr(at, 80));
      out_ << ";\n";
    } else {
      out_ << "  static const char text[] = {";
      for (size_t i = 0; i < json.size(); i++) {
        if (i % 16 == 0) out_ << "\n      ";
        out_ << static_cast<int>(static_cast<unsigned char>(json[i])) << ",";
      }
      out_ << " 0};\n  return text;\n";
    }
    out_ << "}\n\n";
  }

  void init_and_register() {
    out_ << "/* Every field null (the primary key zero or empty). set_<field> gives a nullable "
            "field a\n"
         << " * value and marks it present. */\n";
    out_ << "static inline void " << fn("init") << "(" << n_.c_type
         << " *v) { memset(v, 0, sizeof *v); }\n\n";
    for (size_t i = 0; i < t_.fields.size(); i++) {
      if (!nullable(i)) continue;
      out_ << "static inline void " << fn("set_") << m(i) << "(" << n_.c_type << " *v, "
           << c_type_of(t_.fields[i].type_id) << " value) {\n  v->" << m(i)
           << " = value;\n  v->has." << m(i) << " = true;\n}\n";
    }
    out_
        << "\n/* Registers this table version with the database (a no-op when it already is). */\n";
    out_ << "static inline bdb_status " << fn("register") << "(bdb_db *db) {\n"
         << "  return bdb_schema_register_json(db, " << fn("descriptor") << "());\n}\n\n";
  }

  void check() {
    out_ << "/* Checks every value as the engine does (UTF-8, maxLength, JSON text): BDB_OK, or\n"
         << " * BDB_E_TYPE / BDB_E_INVALID with the table and field in err (may be NULL). */\n";
    out_ << "static inline bdb_status " << fn("check") << "(const " << n_.c_type
         << " *v, bdbc_error *err) {\n";
    bool any = false;
    std::ostringstream body;
    for (size_t i = 0; i < t_.fields.size(); i++) {
      const FieldModel &f = t_.fields[i];
      if (!f.type->heap) continue;
      any = true;
      std::string call =
          f.type_id == 16
              ? "bdbc_check_bytes(v->" + m(i) + ", " + std::to_string(f.max_length) + "u, "
              : "bdbc_check_text(v->" + m(i) + ", " + std::to_string(f.type_id) + ", " +
                    std::to_string(f.max_length) + "u, ";
      call += table_ + ", " + fname(i) + ", err)";
      body << "  if (" << (nullable(i) ? "v->has." + m(i) + " && " : "") << "(st = " << call
           << ") != BDB_OK)\n    return st;\n";
    }
    if (any) {
      out_ << "  bdb_status st;\n" << body.str() << "  return BDB_OK;\n}\n\n";
    } else {
      out_ << "  (void)v;\n  (void)err;\n  return BDB_OK;\n}\n\n";
    }
  }

  std::string encode_value(size_t i, const std::string &indent) const {
    const FieldModel &f = t_.fields[i];
    std::string slot = "row + " + std::to_string(f.offset);
    std::string at = "row[" + std::to_string(f.offset) + "]";
    std::string v = "v->" + m(i);
    std::string w = std::to_string(f.type->width) + "u";
    switch (f.type_id) {
      case 1:
        return at + " = " + v + ";";
      case 13:
        return at + " = (uint8_t)" + v + ";";
      case 2:
      case 3:
      case 12:
        return "bdbc_put_le(" + slot + ", " + v + ", " + w + ");";
      case 4:
      case 5:
      case 8:
      case 14:
        return "bdbc_put_le(" + slot + ", (uint64_t)" + v + ", " + w + ");";
      case 6:
        return at + " = (uint8_t)(" + v + " ? 1 : 0);";
      case 15:
        return "bdbc_put_f32(" + slot + ", " + v + ");";
      case 7:
        return "bdbc_put_f64(" + slot + ", " + v + ");";
      case 11:
        return "memcpy(" + slot + ", " + v + ".bytes, 16);";
      default:  // json, varchar, bytes
        return "if ((st = bdbc_heap_put(b, " + slot + ", " + v + ".data, " + v + ".len, " + table_ +
               ", err)) != BDB_OK)\n" + indent + "  goto fail;";
    }
  }

  void encode() {
    bool heap = false;
    for (const auto &f : t_.fields) heap = heap || f.type->heap;
    out_ << "/* Checks the record, then appends its row to b->row and its text and bytes to\n"
         << " * b->heap, in field order (byte-identical to the engine's encoding). On failure\n"
         << " * the builder is left as it was. */\n";
    out_ << "static inline bdb_status " << fn("encode") << "(const " << n_.c_type
         << " *v, bdbc_builder *b,\n    bdbc_error *err) {\n";
    if (heap) out_ << "  size_t row_len0 = b->row_len, heap_len0 = b->heap_len;\n";
    out_ << "  uint8_t *row;\n  bdb_status st = " << fn("check") << "(v, err);\n"
         << "  if (st != BDB_OK) return st;\n"
         << "  row = bdbc_row_begin(b, " << n_.c_macro << "_ROW_WIDTH);\n"
         << "  if (!row) return bdbc_fail(err, BDB_E_NOMEM, \"table %s: out of memory\", " << table_
         << ");\n";
    for (size_t i = 0; i < t_.fields.size(); i++) {
      if (!nullable(i)) {
        out_ << "  " << encode_value(i, "  ") << "\n";
        continue;
      }
      out_ << "  if (v->has." << m(i) << ") {\n    " << encode_value(i, "    ") << "\n  } else {\n"
           << "    bdbc_set_null(row, " << i << "u);\n  }\n";
    }
    out_ << "  return BDB_OK;\n";
    if (heap) out_ << "fail:\n  bdbc_row_abort(b, row_len0, heap_len0);\n  return st;\n";
    out_ << "}\n\n";
  }

  std::string decode_value(size_t i, const std::string &indent) const {
    const FieldModel &f = t_.fields[i];
    std::string slot = "row + " + std::to_string(f.offset);
    std::string out = "out->" + m(i);
    std::string w = std::to_string(f.type->width) + "u";
    switch (f.type_id) {
      case 1:
        return out + " = row[" + std::to_string(f.offset) + "];";
      case 12:
        return out + " = (uint16_t)bdbc_get_le(" + slot + ", 2u);";
      case 2:
        return out + " = (uint32_t)bdbc_get_le(" + slot + ", 4u);";
      case 3:
        return out + " = bdbc_get_le(" + slot + ", 8u);";
      case 13:
        return out + " = (int8_t)bdbc_get_signed(" + slot + ", 1u);";
      case 14:
        return out + " = (int16_t)bdbc_get_signed(" + slot + ", 2u);";
      case 4:
        return out + " = (int32_t)bdbc_get_signed(" + slot + ", 4u);";
      case 5:
      case 8:
        return out + " = bdbc_get_signed(" + slot + ", 8u);";
      case 6:
        return out + " = row[" + std::to_string(f.offset) + "] != 0;";
      case 15:
        return out + " = bdbc_get_f32(" + slot + ");";
      case 7:
        return out + " = bdbc_get_f64(" + slot + ");";
      case 11:
        return "memcpy(" + out + ".bytes, " + slot + ", 16);";
      default:
        return std::string("if ((st = ") + (f.type_id == 16 ? "bdbc_get_bytes(" : "bdbc_get_str(") +
               slot + ", heap, heap_len, &" + out + ", " + table_ + ", " + fname(i) +
               ", err)) != BDB_OK)\n" + indent + "  return st;";
    }
  }

  void decode() {
    bool heap = false;
    for (const auto &f : t_.fields) heap = heap || f.type->heap;
    out_ << "/* Decodes one row (row_len must be " << t_.row_width
         << " bytes) without allocating: text and bytes\n"
         << " * point into `heap`. Heap references are bounds-checked (BDB_E_CORRUPT); values are\n"
         << " * not re-checked, call " << fn("check") << " for rows from untrusted sources. */\n";
    out_ << "static inline bdb_status " << fn("decode")
         << "(const void *row_data, size_t row_len,\n"
         << "    const void *heap_data, size_t heap_len, " << n_.c_type
         << " *out, bdbc_error *err) {\n"
         << "  const uint8_t *row = (const uint8_t *)row_data;\n";
    if (heap)
      out_ << "  const uint8_t *heap = (const uint8_t *)heap_data;\n  bdb_status st;\n";
    else
      out_ << "  (void)heap_data;\n  (void)heap_len;\n";
    out_ << "  if (!row || row_len != " << n_.c_macro << "_ROW_WIDTH)\n"
         << "    return bdbc_fail(err, BDB_E_CORRUPT, \"a row of table %s version %u is %u "
            "bytes, not %zu\",\n"
         << "                     " << table_ << ", " << t_.version << "u, " << t_.row_width
         << "u, row ? row_len : (size_t)0);\n";
    if (heap)
      out_ << "  if (!heap && heap_len)\n"
           << "    return bdbc_fail(err, BDB_E_INVALID, \"table %s: heap is NULL\", " << table_
           << ");\n";
    out_ << "  " << fn("init") << "(out);\n";
    out_ << "  if (bdbc_is_null(row, " << t_.primary_key << "u))\n"
         << "    return bdbc_fail(err, BDB_E_CORRUPT, \"a row of table %s has a null primary "
            "key\", "
         << table_ << ");\n";
    for (size_t i = 0; i < t_.fields.size(); i++) {
      if (!nullable(i)) {
        out_ << "  " << decode_value(i, "  ") << "\n";
        continue;
      }
      out_ << "  out->has." << m(i) << " = !bdbc_is_null(row, " << i << "u);\n";
      out_ << "  if (out->has." << m(i) << ") {\n    " << decode_value(i, "    ") << "\n  }\n";
    }
    out_ << "  return BDB_OK;\n}\n\n";
  }

  void doc_bridges() {
    out_ << "/* A library document of this version from the record (for bdb_batch_insert and\n"
         << " * friends); free it with bdb_doc_free. */\n";
    out_ << "static inline bdb_status " << fn("to_doc") << "(bdb_db *db, const " << n_.c_type
         << " *v, bdb_doc **out,\n    bdbc_error *err) {\n"
         << "  bdbc_builder b;\n  bdb_status st;\n  bdbc_builder_init(&b);\n"
         << "  st = " << fn("encode") << "(v, &b, err);\n"
         << "  if (st == BDB_OK) {\n"
         << "    st = bdb_doc_from_row(db, " << n_.c_macro << "_TABLE, " << n_.c_macro
         << "_VERSION, b.row, b.row_len, b.heap,\n"
         << "                          b.heap_len, out);\n"
         << "    if (st != BDB_OK) bdbc_fail(err, st, \"%s\", bdb_errmsg());\n  }\n"
         << "  bdbc_builder_free(&b);\n  return st;\n}\n\n";

    out_ << "/* Decodes a library document (e.g. from bdb_get) into *out, which then points into\n"
         << " * *storage: free that with bdbc_rowbuf_free when done with *out. The document must\n"
         << " * be of this table and version (bdb_get gives the newest version). */\n";
    out_ << "static inline bdb_status " << fn("from_doc") << "(const bdb_doc *doc, " << n_.c_type
         << " *out,\n    bdbc_rowbuf *storage, bdbc_error *err) {\n"
         << "  uint32_t version = 0;\n  bdb_status st;\n"
         << "  const char *table = bdb_doc_table(doc);\n"
         << "  memset(storage, 0, sizeof *storage);\n"
         << "  if (!table || strcmp(table, " << n_.c_macro << "_TABLE) != 0)\n"
         << "    return bdbc_fail(err, BDB_E_SCHEMA, \"a document of table %s is not one of %s\",\n"
         << "                     table ? table : \"(none)\", " << n_.c_macro << "_TABLE);\n"
         << "  st = bdb_doc_to_row(doc, &version, &storage->row, &storage->row_len, "
            "&storage->heap,\n"
         << "                      &storage->heap_len);\n"
         << "  if (st != BDB_OK) return bdbc_fail(err, st, \"%s\", bdb_errmsg());\n"
         << "  if (version != " << n_.c_macro << "_VERSION)\n"
         << "    return bdbc_fail(err, BDB_E_SCHEMA,\n"
         << "                     \"table %s: the document has schema version %lu, this codec "
            "version %lu \"\n"
         << "                     \"(regenerate it from the newest IDL)\",\n"
         << "                     " << n_.c_macro << "_TABLE, (unsigned long)version, "
         << "(unsigned long)" << n_.c_macro << "_VERSION);\n"
         << "  return " << fn("decode") << "(storage->row, storage->row_len, storage->heap,\n"
         << "      storage->heap_len, out, err);\n}\n\n";
  }

  const TableModel &t_;
  TableNames n_;
  std::ostringstream &out_;
  std::string table_;  // the table name as a C literal
};

}  // namespace

OutputNames output_names(const std::string &fbs_path) {
  std::string base = base_name(fbs_path);
  size_t dot = base.rfind('.');
  if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
  return {base + "_bdb.h", base + "_bdb.hpp"};
}

std::string c_string_literal(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

const char *c_type_of(int type_id) {
  switch (type_id) {
    case 1:
      return "uint8_t";
    case 2:
      return "uint32_t";
    case 3:
      return "uint64_t";
    case 4:
      return "int32_t";
    case 5:
      return "int64_t";
    case 6:
      return "bool";
    case 7:
      return "double";
    case 8:
      return "int64_t";
    case 9:   // json
    case 10:  // varchar
      return "bdbc_str";
    case 11:
      return "bdbc_blob_id";
    case 12:
      return "uint16_t";
    case 13:
      return "int8_t";
    case 14:
      return "int16_t";
    case 15:
      return "float";
    default:
      return "bdbc_bytes";
  }
}

std::string field_comment(const TableModel &t, size_t i) {
  const FieldModel &f = t.fields[i];
  std::string s = f.type->name;
  if (f.type_id == 8) s += " (ms since the Unix epoch)";
  if (f.type_id == 11) s += " (the managed object's id)";
  if (f.max_length)
    s += std::string(", maxLength ") + std::to_string(f.max_length) +
         (f.type_id == 10 ? " characters" : " bytes");
  if (f.key) s += ", primary key";
  if (f.indexed) s += ", indexed";
  return s;
}

std::string emit_c(const std::string &source, const OutputNames &names,
                   const std::vector<TableModel> &tables) {
  std::ostringstream out;
  std::string guard = guard_for(names.c_header);
  out << "/* " << names.c_header << ": generated by bucketdb-schemac " << BDB_SCHEMAC_VERSION
      << " from " << base_name(source) << ". Do not edit.\n"
      << " * Row codecs for BucketDB (C99): encode a record into the engine's row format and\n"
      << " * decode it back. See <bucketdb/codec.h> for the builder and error types. */\n"
      << "#ifndef " << guard << "\n#define " << guard << "\n\n"
      << "#include <bucketdb/codec.h>\n\n";
  for (const auto &t : tables) CEmitter(t, out).emit();
  out << "#endif /* " << guard << " */\n";
  return out.str();
}

}  // namespace schemac
