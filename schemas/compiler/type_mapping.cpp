#include "type_mapping.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>

namespace schemac {

namespace fb = flatbuffers;

namespace {

constexpr size_t kMaxIdentifier = 128;  // the engine's limit for table and field names
constexpr size_t kMaxFields = 4096;

// FlatBuffers' own attributes that say nothing about the row: accepted and ignored.
const std::set<std::string> kHarmless = {"id",
                                         "shared",
                                         "hash",
                                         "cpp_type",
                                         "cpp_ptr_type",
                                         "cpp_ptr_type_get",
                                         "cpp_str_type",
                                         "cpp_str_flex_ctor",
                                         "native_inline",
                                         "native_custom_alloc",
                                         "native_type",
                                         "native_type_pack_name",
                                         "native_default",
                                         "private",
                                         "original_order",
                                         "csharp_partial",
                                         "force_align",
                                         "bit_flags",
                                         "streaming",
                                         "idempotent"};

const std::set<std::string> kFieldAttributes = {"bdb_index", "bdb_max_length", "bdb_timestamp",
                                                "bdb_json", "bdb_blob"};

bool starts_with(const std::string &s, const char *prefix) {
  return s.rfind(prefix, 0) == 0;
}

// An attribute's integer value in [min, max]; false when it has none or it is not one.
bool integer_value(const fb::Value &v, uint64_t min, uint64_t max, uint64_t *out) {
  if (!fb::IsInteger(v.type.base_type)) return false;
  const std::string &c = v.constant;
  if (c.empty() || c[0] == '-' || c.find_first_not_of("0123456789") != std::string::npos)
    return false;
  errno = 0;
  unsigned long long n = std::strtoull(c.c_str(), nullptr, 10);
  if (errno || n < min || n > max) return false;
  *out = n;
  return true;
}

// The default a field would take when absent. BucketDB has none (an absent value is null),
// so only the IDL's implicit zero, `= null` and `= false` map.
bool default_is_zero(const fb::FieldDef &fd) {
  const std::string &c = fd.value.constant;
  if (fd.IsOptional() && c == "null") return true;
  if (!fb::IsScalar(fd.value.type.base_type)) return true;
  if (c == "0" || c == "false") return true;
  char *end = nullptr;
  double d = std::strtod(c.c_str(), &end);
  return end && *end == '\0' && d == 0.0 && !std::signbit(d);
}

class TableMapper {
 public:
  TableMapper(const fb::StructDef &sd, const std::string &file, const SourceIndex &idx,
              Diagnostics &diag)
      : sd_(sd), file_(file), idx_(idx), diag_(diag) {
    qualified_ =
        sd.defined_namespace ? sd.defined_namespace->GetFullyQualifiedName(sd.name) : sd.name;
  }

  bool map(TableModel *out) {
    TableModel &t = *out;
    t.name = sd_.name;
    if (sd_.defined_namespace) t.ns = sd_.defined_namespace->components;
    t.file = file_;
    t.line = idx_.type_line(qualified_);
    if (t.name.size() > kMaxIdentifier)
      table_error("a table name is at most 128 bytes long (the engine's limit)");
    map_table_attributes(t);
    int keys = 0;
    for (const fb::FieldDef *fd : sd_.fields.vec) {
      FieldModel f;
      if (!map_field(*fd, &f)) continue;
      if (f.key) {
        keys++;
        t.primary_key = t.fields.size();
      }
      if (f.indexed) t.indexes.push_back(t.fields.size());
      t.fields.push_back(f);
    }
    if (keys == 0 && ok_)
      table_error(
          "no primary key: mark one field with (key); it must be an integer, timestamp, "
          "varchar or bytes field");
    if (t.fields.size() > kMaxFields) table_error("more than 4096 fields");
    if (ok_) compute_layout(t);
    return ok_;
  }

 private:
  void table_error(const std::string &msg) {
    diag_.error(file_, idx_.type_line(qualified_), "table '" + sd_.name + "': " + msg);
    ok_ = false;
  }

  void field_error(const fb::FieldDef &fd, const std::string &msg) {
    diag_.error(file_, idx_.field_line(qualified_, fd.name),
                "field '" + fd.name + "' of table '" + sd_.name + "': " + msg);
    ok_ = false;
  }

  void map_table_attributes(TableModel &t) {
    for (const auto &[name, value] : sd_.attributes.dict) {
      if (name == "bdb_version") {
        uint64_t v = 0;
        if (!integer_value(*value, 1, 0xffffffffu, &v))
          table_error("bdb_version must be an integer from 1 to 4294967295, not '" +
                      value->constant + "'");
        t.version = static_cast<uint32_t>(v);
      } else if (kFieldAttributes.count(name)) {
        table_error(name + " is a field attribute; put it on a field");
      } else if (starts_with(name, "bdb_")) {
        table_error("unknown BucketDB attribute " + name);
      }
    }
  }

  bool map_field(const fb::FieldDef &fd, FieldModel *f) {
    const fb::Type &type = fd.value.type;
    // A union field `u` comes with a hidden `u_type` field; the union itself is reported.
    if (type.base_type == fb::BASE_TYPE_UTYPE) return false;
    bool was_ok = ok_;
    ok_ = true;
    f->name = fd.name;
    f->key = fd.key;
    f->line = idx_.field_line(qualified_, fd.name);
    if (fd.name.size() > kMaxIdentifier)
      field_error(fd, "a field name is at most 128 bytes long (the engine's limit)");
    if (fd.deprecated)
      field_error(fd,
                  "'deprecated' does not map: a row has no unused slots; drop the field in a new "
                  "bdb_version instead");

    bool timestamp = false, json = false, blob = false;
    for (const auto &[name, value] : fd.attributes.dict) {
      bool has_value = value->type.base_type != fb::BASE_TYPE_NONE;
      if (name == "bdb_max_length") {
        uint64_t n = 0;
        if (!integer_value(*value, 1, 0x7fffffffu, &n))
          field_error(fd, "bdb_max_length must be an integer from 1 to 2147483647, not '" +
                              value->constant + "'");
        f->max_length = static_cast<uint32_t>(n);
      } else if (kFieldAttributes.count(name)) {
        if (has_value) field_error(fd, name + " takes no value (found '" + value->constant + "')");
        if (name == "bdb_index") f->indexed = true;
        if (name == "bdb_timestamp") timestamp = true;
        if (name == "bdb_json") json = true;
        if (name == "bdb_blob") blob = true;
      } else if (name == "bdb_version") {
        field_error(fd, "bdb_version is a table attribute: put it on the table");
      } else if (starts_with(name, "bdb_")) {
        field_error(fd, "unknown BucketDB attribute " + name);
      } else if (name == "required") {
        if (!fd.key)
          field_error(fd, "'required' does not map: every field but the primary key is nullable");
      } else if (name == "nested_flatbuffer" || name == "flexbuffer") {
        field_error(fd, "'" + name + "' does not map to a BucketDB type");
      }
    }

    f->type_id = map_type(fd, timestamp, json, blob);
    if (!f->type_id) return finish(was_ok);
    const TypeInfo *ti = type_info(f->type_id);
    if (timestamp && f->type_id != 8) field_error(fd, "bdb_timestamp applies to long fields only");
    if (json && f->type_id != 9) field_error(fd, "bdb_json applies to string fields only");
    if (blob && f->type_id != 11) field_error(fd, "bdb_blob applies to [ubyte] fields only");
    if (f->max_length && (!ti->heap))
      field_error(fd, "bdb_max_length applies to string and [ubyte] fields only, not to " +
                          std::string(ti->name));
    if (!default_is_zero(fd))
      field_error(fd, "default value " + fd.value.constant +
                          " does not map: an absent BucketDB field is null");
    if (f->key && !type_can_be_primary_key(f->type_id))
      field_error(fd, std::string("a primary key must be an integer, timestamp, varchar or "
                                  "bytes field, not ") +
                          ti->name);
    if (f->indexed && !type_can_be_indexed(f->type_id))
      field_error(fd, std::string("a ") + ti->name + " field cannot be indexed (bdb_index)");
    return finish(was_ok);
  }

  bool finish(bool was_ok) {
    bool field_ok = ok_;
    ok_ = was_ok && field_ok;
    return field_ok;
  }

  // The BucketDB type id, or 0 after reporting why there is none.
  int map_type(const fb::FieldDef &fd, bool timestamp, bool json, bool blob) {
    const fb::Type &t = fd.value.type;
    if (t.enum_def && t.base_type != fb::BASE_TYPE_UNION && t.base_type != fb::BASE_TYPE_VECTOR) {
      field_error(fd, "enum " + t.enum_def->name +
                          " does not map to a BucketDB type; use its underlying integer type");
      return 0;
    }
    switch (t.base_type) {
      case fb::BASE_TYPE_BOOL:
        return 6;
      case fb::BASE_TYPE_CHAR:
        return 13;
      case fb::BASE_TYPE_UCHAR:
        return 1;
      case fb::BASE_TYPE_SHORT:
        return 14;
      case fb::BASE_TYPE_USHORT:
        return 12;
      case fb::BASE_TYPE_INT:
        return 4;
      case fb::BASE_TYPE_UINT:
        return 2;
      case fb::BASE_TYPE_LONG:
        return timestamp ? 8 : 5;
      case fb::BASE_TYPE_ULONG:
        return 3;
      case fb::BASE_TYPE_FLOAT:
        return 15;
      case fb::BASE_TYPE_DOUBLE:
        return 7;
      case fb::BASE_TYPE_STRING:
        return json ? 9 : 10;
      case fb::BASE_TYPE_VECTOR:
        if (t.element == fb::BASE_TYPE_UCHAR && !t.enum_def) return blob ? 11 : 16;
        field_error(fd, "vectors other than [ubyte] do not map to a BucketDB type");
        return 0;
      case fb::BASE_TYPE_STRUCT:
        if (t.struct_def && t.struct_def->fixed)
          field_error(fd, "struct " + t.struct_def->name +
                              " does not map: a BucketDB row holds scalars, text and bytes; "
                              "inline its fields");
        else
          field_error(fd, "nested table " + (t.struct_def ? t.struct_def->name : std::string()) +
                              " does not map: store it in a table of its own, or as bdb_json");
        return 0;
      case fb::BASE_TYPE_UNION:
        field_error(fd, "unions do not map to a BucketDB type");
        return 0;
      case fb::BASE_TYPE_ARRAY:
        field_error(fd, "fixed-size arrays do not map to a BucketDB type");
        return 0;
      default:
        field_error(fd, "this type does not map to a BucketDB type");
        return 0;
    }
  }

  const fb::StructDef &sd_;
  const std::string &file_;
  const SourceIndex &idx_;
  Diagnostics &diag_;
  std::string qualified_;
  bool ok_ = true;
};

}  // namespace

std::vector<TableModel> map_tables(const IdlFile &file, SourceCache &sources, Diagnostics &diag) {
  std::vector<TableModel> out;
  const SourceIndex &idx = sources.get(file.path);
  for (const fb::StructDef *sd : file.parser->structs_.vec) {
    if (sd->fixed || sd->file != file.path) continue;  // structs, and tables of includes
    TableModel t;
    if (TableMapper(*sd, file.path, idx, diag).map(&t)) out.push_back(std::move(t));
  }
  return out;
}

}  // namespace schemac
