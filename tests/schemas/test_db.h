// Helpers of the schemas.* GoogleTest suites: a memory: database with every test table
// registered, the run-time (JSON) path to a row, and row comparison with readable failures.
#pragma once

#include <ostream>
#include <string>

#include <bucketdb/codec.hpp>

struct Rows {
  std::string row;
  std::string heap;
  bool operator==(const Rows &o) const { return row == o.row && heap == o.heap; }
};

std::string hex(const std::string &bytes);
std::string describe(const Rows &r);
inline void PrintTo(const Rows &r, std::ostream *os) {
  *os << describe(r);
}
Rows rows_of(const bdbc_builder &b);

std::string base64(const std::string &bytes);

// One memory: database per test process, with all generated test schemas registered.
bdb_db *test_db();

// bdb_doc_from_json + bdb_doc_to_row: the engine's own encoding of a JSON document.
bdb_status runtime_rows(const char *table, const std::string &json, Rows *out);
// The engine's last error message.
std::string last_error();
