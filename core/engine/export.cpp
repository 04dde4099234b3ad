// Whole-database export and import as NDJSON (bdb_db_export, bdb_db_import):
//   {"bucketdb":"export","format":1,"seq":N,"tables":T}   the header: the log position read
//   {"schema":{...}}                                      every schema version, by table, oldest
//   first
//   {"table":"users","row":{...}}                         every row, by table, in key order
// Rows are the documents' JSON, with each blob's bytes inline ({"base64": ...}) instead of its
// id, so an import into another database is whole. One snapshot is read: the export is the
// database as of one log position.
#include <istream>
#include <ostream>

#include <nlohmann/json.hpp>

#include "core/codec/json_values.h"
#include "core/codec/text.h"
#include "core/engine/database.h"
#include "core/engine/row_source.h"
#include "core/util/error.h"
#include "core/util/json_text.h"

namespace bucketdb {

namespace {

using ojson = nlohmann::ordered_json;

constexpr int kExportFormat = 1;

void write_line(std::ostream &out, const std::string &line) {
  out.write(line.data(), static_cast<std::streamsize>(line.size()));
  out.put('\n');
  if (!out) fail(BDB_E_IO, "export: writing the output failed");
}

std::string dump(const ojson &j) {
  return j.dump(-1, ' ', false, ojson::error_handler_t::strict);
}

}  // namespace

uint64_t Database::export_ndjson(std::ostream &out) {
  ensure_fresh(false);
  SnapshotPtr s = pinned(snapshot());
  const auto &tables = s->schemas->tables();
  write_line(out, dump(ojson{{"bucketdb", "export"},
                             {"format", kExportFormat},
                             {"seq", s->last_seq},
                             {"tables", tables.size()}}));
  for (const auto &[table, versions] : tables)
    for (const auto &[v, schema] : versions)
      write_line(out, "{\"schema\":" + schema->canonical_json() + "}");
  uint64_t rows = 0;
  for (const auto &[table, versions] : tables) {
    SchemaPtr newest = versions.rbegin()->second;
    auto source = retry_if_collected(
        [&] { return scan_source(*this, s, newest, {}, nullptr, false, /*reads_all=*/true); });
    Values values;
    uint64_t seq = 0, misc = 0;
    while (source->next(values, seq, misc)) {
      ojson row = Document::from_values(newest, values, seq, misc).to_json_value();
      for (size_t i = 0; i < newest->fields().size(); i++) {
        const Field &f = newest->field(i);
        if (f.type_id != BDB_TYPE_BLOB || is_null(values[i])) continue;
        row[f.name] =
            ojson{{"base64", base64_encode(read_blob(uuid_text(std::get<Id128>(values[i]))))}};
      }
      write_line(out, dump(ojson{{"table", table}, {"row", std::move(row)}}));
      if (++rows % 1024 == 0) opts_.progress("export", rows, 0);
    }
  }
  opts_.progress("export", rows, rows);
  return rows;
}

uint64_t Database::import_ndjson(std::istream &in, const std::string &name, uint64_t batch_rows,
                                 bool upsert) {
  require_writable("import");
  uint64_t line_no = 0, committed = 0, committed_through = 0, staged = 0, first_staged = 0;
  std::string schemas;  // a JSON array's members, registered before the first row
  bool registered = false;
  Batch batch;
  auto where = [&](uint64_t line) { return "import " + name + " line " + std::to_string(line); };
  // The error, and how far the import got: rows up to a line are in, none after it.
  auto failed = [&](const std::string &at, const Error &e) {
    std::string done = committed ? " (rows up to line " + std::to_string(committed_through) +
                                       " were imported, none after)"
                                 : " (nothing was imported)";
    fail(e.status(), at + ": " + e.what() + done);
  };
  auto register_schemas = [&] {
    if (registered) return;
    registered = true;
    if (schemas.empty()) return;
    // The versions as the exporting database held them, lossy steps included.
    try {
      register_schema("[" + schemas + "]", /*allow_lossy=*/true);
    } catch (const Error &e) {
      failed("import " + name + " schemas", e);
    }
  };
  auto commit = [&] {
    if (batch.ops.empty()) return;
    try {
      this->commit(batch);
    } catch (const Error &e) {
      failed("import " + name + " lines " + std::to_string(first_staged) + "-" +
                 std::to_string(line_no),
             e);
    }
    committed += staged;
    committed_through = line_no;
    staged = 0;
    opts_.progress("import", committed, 0);
  };

  std::string line;
  bool header = false;
  while (std::getline(in, line)) {
    line_no++;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      if (line.find('\0') != std::string::npos) fail(BDB_E_JSON, "the line holds a NUL byte");
      ojson j = parse_json_text<ojson>(line, "the line");
      if (!header) {
        if (!j.is_object() || !j.contains("bucketdb") || j["bucketdb"] != "export")
          fail(BDB_E_INVALID,
               "not a BucketDB export (its first line must be the header "
               "{\"bucketdb\":\"export\",...} that bucketdb export writes)");
        if (!j.contains("format") || j["format"] != kExportFormat)
          fail(BDB_E_INVALID, "an export of format " +
                                  (j.contains("format") ? j["format"].dump() : "?") +
                                  "; this build reads format " + std::to_string(kExportFormat));
        header = true;
        continue;
      }
      if (j.is_object() && j.size() == 1 && j.contains("schema")) {
        if (registered)
          fail(BDB_E_INVALID, "a schema after the first row (an export lists them first)");
        schemas += (schemas.empty() ? "" : ",") + dump(j["schema"]);
        continue;
      }
      if (!j.is_object() || j.size() != 2 || !j.contains("table") || !j["table"].is_string() ||
          !j.contains("row"))
        fail(BDB_E_INVALID, "expected {\"schema\":{...}} or {\"table\":\"NAME\",\"row\":{...}}");
      register_schemas();
      Document d(table_schema(j["table"].get<std::string>()));
      // Exact integers: nlohmann::json and ordered_json keep the same number kinds.
      d.set_json_object(nlohmann::json(j["row"]));
      batch.stage(upsert ? StagedOp::kUpdate : StagedOp::kInsert, d);
    } catch (const Error &e) {
      failed(where(line_no), e);
    }
    if (staged++ == 0) first_staged = line_no;
    if (batch_rows && staged >= batch_rows) commit();
  }
  if (in.bad())
    fail(BDB_E_IO, "import " + name + ": reading failed after line " + std::to_string(line_no));
  if (!header) fail(BDB_E_INVALID, "import " + name + ": empty, not a BucketDB export");
  register_schemas();
  commit();
  opts_.progress("import", committed, committed);
  return committed;
}

}  // namespace bucketdb
