// Values the engine refuses (too long, invalid UTF-8, not JSON) are refused by the generated C
// and C++ codecs too, with the same status and the field named: never truncated. And rows
// that do not decode are errors, not crashes.
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "alltypes_bdb.hpp"
#include "roundtrip_c.h"
#include "test_db.h"

namespace {

struct Case {
  const char *field;
  std::string value;
};

const std::vector<Case> &bad_values() {
  static const std::vector<Case> cases = {
      {"name", "abcdefghi"},  // 9 characters, maxLength 8
      {"name",
       "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
       "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"},
      {"name", "\xff"},
      {"name", "\xc0\x80"},            // overlong NUL
      {"name", "\xed\xa0\x80"},        // a surrogate
      {"name", "\xe2\x82"},            // truncated
      {"text", "ok\xf4\x90\x80\x80"},  // above U+10FFFF
      {"text", std::string("\x80", 1)},
      {"doc", ""},
      {"doc", "{"},
      {"doc", "[1,]"},
      {"doc", "01"},
      {"doc", "1e400"},
      {"doc", "-1e309"},
      {"doc", "1e-400"},                      // not zero, yet a zero double: changed silently
      {"doc", "[-2.4703282292062327e-324]"},  // just below half the smallest subnormal
      {"doc", "0.000000000000000000001e-310"},
      {"doc", std::string(400, '9')},
      {"doc", "{\"a\" 1}"},
      {"doc", "tru"},
      {"doc", "\"\\ud800\""},
      {"doc", "\"\\udc00\""},
      {"doc", "[1] 2"},
      {"doc", "\xef\xbb{}"},
      {"doc", "\"\xff\""},
      {"doc", "\"\x01\""},
      {"doc", "// c\n1"},
      {"short_doc", "\"" + std::string(15, 'x') + "\""},  // 17 bytes, maxLength 16
      {"raw4", "12345"},
  };
  return cases;
}

// The C record with one text/bytes field set to `value`, everything else null.
bdbtest_all_types_row with_field(const Case &c) {
  bdbtest_all_types_row r;
  bdbtest_all_types_row_init(&r);
  r.id = 1;
  std::string f = c.field;
  bdbc_str s = bdbc_str_of(c.value.data(), c.value.size());
  if (f == "name") {
    r.name = s;
    r.has.name = true;
  } else if (f == "text") {
    r.text = s;
    r.has.text = true;
  } else if (f == "doc") {
    r.doc = s;
    r.has.doc = true;
  } else if (f == "short_doc") {
    r.short_doc = s;
    r.has.short_doc = true;
  } else {
    r.raw4 = bdbc_bytes_of(c.value.data(), c.value.size());
    r.has.raw4 = true;
  }
  return r;
}

bdb_status runtime_set(const Case &c) {
  bdb_doc *doc = nullptr;
  EXPECT_EQ(BDB_OK, bdb_doc_new(test_db(), "all_types", &doc));
  bdb_status st = std::string(c.field) == "raw4"
                      ? bdb_doc_set_bytes(doc, c.field, c.value.data(), c.value.size())
                      : bdb_doc_set_string(doc, c.field, c.value.data(), c.value.size());
  bdb_doc_free(doc);
  return st;
}

TEST(Errors, RefusedByGeneratedCAndCppAndTheEngineAlike) {
  for (const Case &c : bad_values()) {
    SCOPED_TRACE(std::string(c.field) + " = [" + hex(c.value) + "]");
    bdbtest_all_types_row r = with_field(c);
    bdbc::RowBuilder b;
    bdbc_error err{};
    bdb_status from_c = c_bdbtest_all_types_row_encode(&r, b.get(), &err);
    EXPECT_EQ(BDB_E_TYPE, from_c);
    EXPECT_NE(std::string(err.message).find(std::string("field '") + c.field + "'"),
              std::string::npos)
        << err.message;
    EXPECT_EQ(0u, b.get()->row_len);  // nothing half-written
    EXPECT_EQ(0u, b.get()->heap_len);

    bdbtest::AllTypesRow x(r);
    EXPECT_EQ(BDB_E_TYPE, x.encode(b, &err));
    EXPECT_EQ(BDB_E_TYPE, x.check(&err));

    bdb_status engine = runtime_set(c);
    EXPECT_EQ(BDB_E_TYPE, engine) << last_error();
    EXPECT_NE(last_error().find(c.field), std::string::npos) << last_error();
  }
}

TEST(Errors, EdgeValuesAcceptedByAllAlike) {
  const std::vector<Case> good = {
      {"name", "abcdefgh"},
      {"name", std::string("\0\0\0\0\0\0\0\0", 8)},
      {"name", "\xf4\x8f\xbf\xbf"},
      {"doc", "\xef\xbb\xbf{}"},  // a byte order mark, as nlohmann takes it
      {"doc", " [1, {\"a\": null}]\n"},
      {"doc", "1.7976931348623157e308"},
      {"doc", "-1.797693134862315807e308"},  // just below the overflow threshold
      {"doc", "2.4703282292062328e-324"},    // just above: the smallest subnormal
      {"doc", "4.9e-324"},
      {"doc", "0.0e-400"},
      {"doc", "0e999999999999"},
      {"doc", "\"\\ud83d\\ude00\\u0000\""},
      {"short_doc", "\"" + std::string(14, 'x') + "\""},
      {"raw4", std::string("\0\0\0\0", 4)},
  };
  for (const Case &c : good) {
    SCOPED_TRACE(std::string(c.field) + " = [" + hex(c.value) + "]");
    bdbtest_all_types_row r = with_field(c);
    bdbc::RowBuilder b;
    bdbc_error err{};
    EXPECT_EQ(BDB_OK, c_bdbtest_all_types_row_encode(&r, b.get(), &err)) << err.message;
    EXPECT_EQ(BDB_OK, runtime_set(c)) << last_error();
  }
}

TEST(Errors, NullPointerWithALengthIsInvalid) {
  bdbtest_all_types_row r;
  bdbtest_all_types_row_init(&r);
  r.text = bdbc_str_of(nullptr, 3);
  r.has.text = true;
  bdbc::RowBuilder b;
  bdbc_error err{};
  EXPECT_EQ(BDB_E_INVALID, bdbtest_all_types_row_encode(&r, b.get(), &err));
  r.text = bdbc_str_of(nullptr, 0);  // NULL and 0 is the empty string
  EXPECT_EQ(BDB_OK, bdbtest_all_types_row_encode(&r, b.get(), &err)) << err.message;
}

class DecodeErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    bdbtest::AllTypesRow x;
    x.set_id(5).set_name("abc").set_text("hello");
    ASSERT_EQ(BDB_OK, x.encode(b_));
    row_ = std::string(b_.rows());
    heap_ = std::string(b_.heap());
  }
  bdb_status decode(const std::string &row, const std::string &heap) {
    bdbtest_all_types_row out;
    return c_bdbtest_all_types_row_decode(row.data(), row.size(), heap.data(), heap.size(), &out,
                                          &err_);
  }
  bdbc::RowBuilder b_;
  std::string row_, heap_;
  bdbc_error err_{};
};

TEST_F(DecodeErrors, WrongWidth) {
  EXPECT_EQ(BDB_E_CORRUPT, decode(row_.substr(1), heap_));
  EXPECT_EQ(BDB_E_CORRUPT, decode(row_ + "x", heap_));
  EXPECT_EQ(BDB_E_CORRUPT, decode("", ""));
  EXPECT_NE(std::string(err_.message).find("all_types"), std::string::npos) << err_.message;
}

TEST_F(DecodeErrors, HeapReferencesOutOfBounds) {
  EXPECT_EQ(BDB_OK, decode(row_, heap_));
  EXPECT_EQ(BDB_E_CORRUPT, decode(row_, heap_.substr(0, heap_.size() - 1)));
  EXPECT_EQ(BDB_E_CORRUPT, decode(row_, ""));
  EXPECT_NE(std::string(err_.message).find("outside the heap"), std::string::npos) << err_.message;
  // Offsets and lengths near 2^32 anywhere in the row must not wrap around.
  for (size_t at = 3; at + 4 <= row_.size(); at++) {
    std::string r = row_;
    r[at] = '\xff';
    r[at + 1] = '\xff';
    r[at + 2] = '\xff';
    r[at + 3] = '\xff';
    bdbtest_all_types_row out;
    // Must never crash or read outside; either decodes or says why.
    bdb_status st =
        c_bdbtest_all_types_row_decode(r.data(), r.size(), heap_.data(), heap_.size(), &out, &err_);
    EXPECT_TRUE(st == BDB_OK || st == BDB_E_CORRUPT);
  }
}

TEST_F(DecodeErrors, NullPrimaryKey) {
  std::string row = row_;
  row[0] = static_cast<char>(row[0] | 1);
  EXPECT_EQ(BDB_E_CORRUPT, decode(row, heap_));
  EXPECT_NE(std::string(err_.message).find("null primary key"), std::string::npos) << err_.message;
}

}  // namespace
