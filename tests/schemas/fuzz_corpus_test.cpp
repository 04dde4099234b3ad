// The decoder fuzz corpus (fuzz/corpus, crash regressions included) replayed against the
// engine: for every input the generated decoder + check and bdb_doc_from_row both accept or
// both refuse it, and what they accept they re-encode to the same bytes.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "alltypes_bdb.hpp"
#include "fuzz_input.h"
#include "keys_bdb.hpp"
#include "roundtrip_c.h"
#include "test_db.h"
#include "wide_bdb.hpp"

namespace {

template <typename Row>
void compare(const fuzz_input &in, const std::string &name) {
  SCOPED_TRACE(name);
  Row x;
  bdbc_error err{};
  bdb_status codec = x.decode(in.row, in.row_len, in.heap, in.heap_len, &err);
  if (codec == BDB_OK) codec = x.check(&err);
  bdb_doc *doc = nullptr;
  bdb_status engine = bdb_doc_from_row(test_db(), Row::kTable, Row::kVersion, in.row, in.row_len,
                                       in.heap, in.heap_len, &doc);
  std::string engine_msg = engine == BDB_OK ? "" : last_error();
  ASSERT_EQ(engine == BDB_OK, codec == BDB_OK)
      << "engine: " << engine_msg << "\ncodec: " << err.message;
  if (engine != BDB_OK) return;
  bdbc::RowBuilder b;
  ASSERT_EQ(BDB_OK, x.encode(b, &err)) << err.message;
  void *row = nullptr, *heap = nullptr;
  size_t row_len = 0, heap_len = 0;
  ASSERT_EQ(BDB_OK, bdb_doc_to_row(doc, nullptr, &row, &row_len, &heap, &heap_len));
  Rows from_engine{std::string(static_cast<char *>(row), row_len),
                   std::string(static_cast<char *>(heap), heap_len)};
  EXPECT_EQ(rows_of(*b.get()), from_engine);
  bdb_free(row);
  bdb_free(heap);
  bdb_doc_free(doc);
}

TEST(FuzzCorpus, GeneratedDecoderAgreesWithTheEngine) {
  int inputs = 0;
  for (const auto &entry : std::filesystem::directory_iterator(BDB_FUZZ_CORPUS)) {
    std::ifstream f(entry.path(), std::ios::binary);
    std::stringstream data;
    data << f.rdbuf();
    std::string bytes = data.str();
    fuzz_input in = fuzz_split(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
    std::string name = entry.path().filename().string();
    inputs++;
    switch (in.target) {
      case FUZZ_ALL_TYPES:
        compare<bdbtest::AllTypesRow>(in, name);
        break;
      case FUZZ_BY_NAME:
        compare<bdbtest::ByNameRow>(in, name);
        break;
      case FUZZ_K_TEXT:
        compare<bdbtest::keys::KTextRow>(in, name);
        break;
      case FUZZ_WIDE:
        compare<WideRow>(in, name);
        break;
      default: {
        std::string text(reinterpret_cast<const char *>(in.row), in.row_len);
        EXPECT_EQ(nlohmann::json::accept(text), c_json_accept(text.data(), text.size()) == 1)
            << name;
      }
    }
  }
  EXPECT_GT(inputs, 20);
}

}  // namespace
