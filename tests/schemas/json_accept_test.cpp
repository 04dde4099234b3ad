// The runtime's JSON check (bdbc_json_accept, compiled as C) against the engine's own
// (nlohmann's grammar, and no number a double would turn into 0): the same verdict on
// hand-picked edge cases and on many random texts, so generated encoders refuse exactly what
// the engine's parser would.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/util/json_text.h"
#include "roundtrip_c.h"
#include "test_db.h"

namespace {

// nlohmann's grammar, without a number a double would turn into 0 (the engine's own check).
// The engine's other refusals of a json field's text (integers past 64 bits, nesting past 256,
// a key twice) are its own, at commit; the runtime does not repeat them.
bool engine_accepts(const std::string &s) {
  std::string why;
  return nlohmann::json::accept(s) && (bucketdb::json_text_valid(s, &why) ||
                                       why.find("too small for a double") == std::string::npos);
}
bool codec_accepts(const std::string &s) {
  return c_json_accept(s.data(), s.size()) == 1;
}

TEST(JsonAccept, EdgeCases) {
  const std::string threshold =  // 2^1024 - 2^970: rounds to infinity
      "17976931348623158079372897140530341507993413271003782693617377898044496829276475094664901"
      "79775872070963302864166928879109465555478519404026306574886715058206819089020007083836762"
      "73854845817711531764475730270069855571366959622842914819860834936475292719074168444365510"
      "704342711559699508093042880177904174497792";
  std::string below = threshold;
  below.back() = '1';
  std::vector<std::string> texts = {
      "",
      " ",
      "null",
      "nul",
      "nulll",
      "true",
      "false",
      "0",
      "-0",
      "-",
      "01",
      "1.",
      ".5",
      "1e",
      "1e+",
      "1E-2",
      "-1.5e+10",
      "1e308",
      "1e309",
      "-1e309",
      "1e-400",
      "[-1e-400]",
      "2.4703282292062327e-324",  // below half the smallest subnormal: 0
      "2.4703282292062328e-324",  // above: the smallest subnormal
      ("0."
       "24703282292062327208828439643411068618252990130716238221279284125033775363510437593264991e-"
       "323"),  // one number over three lines
      "4.9e-324",
      "0.0000000000000000000001e-302",
      "0.0000000000000000000001e-301",
      "0e99999999999999999999",
      "0.000e400",
      "123456789012345678901234567890",
      std::string(400, '9'),
      "1.7976931348623157e308",
      "1.7976931348623158e308",
      "1.797693134862315808e308",
      threshold,
      below,
      "0." + threshold + "e309",
      "0." + below + "e309",
      "0.00" + threshold + "e311",
      "-" + threshold,
      threshold + ".0",
      threshold + "e-1",
      "[]",
      "[",
      "]",
      "[1,]",
      "[,1]",
      "[1 2]",
      "{}",
      "{\"a\":1}",
      "{\"a\":1,}",
      "{a:1}",
      "{\"a\" 1}",
      "{\"a\":}",
      "{\"a\":1 \"b\":2}",
      "[{\"a\":[{}]}]",
      "[1]]",
      "[[1]",
      "{}}",
      "\"\"",
      "\"",
      "\"\\\"",
      "\"\\u0000\"",
      "\"\\u00e9\"",
      "\"\\uD83D\\uDE00\"",
      "\"\\ud83d\"",
      "\"\\ude00\"",
      "\"\\ud83d\\u0041\"",
      "\"\\ud83dx\"",
      "\"\\u12\"",
      "\"\\x41\"",
      "\"\\/\"",
      "\"\t\"",
      "\"\x7f\"",
      "\"\xc3\xa9\"",
      "\"\xc3\"",
      "\"\xe0\x80\x80\"",
      "\"\xed\xa0\x80\"",
      "\"\xf4\x90\x80\x80\"",
      "\"\xf0\x9f\x98\x80\"",
      "\xef\xbb\xbf{}",
      "\xef\xbb{}",
      "\xef",
      "\xef\xbb\xbf",
      " \xef\xbb\xbf{}",
      "{} ",
      "\t\n\r 1 \r\n",
      "1 2",
      "//x\n1",
      "/*x*/1",
      std::string("1\0", 2),
      std::string("\"a\0\"", 4),
      std::string("{}\0 x", 5),
      std::string("\0", 1),
      std::string("[1\0]", 4),
      "[" + std::string(3000, '[') + std::string(3001, ']'),
      std::string(2000, '[') + std::string(2000, ']'),
      std::string(5000, '{'),
      "{\"a\":" + std::string(1500, '[') + std::string(1500, ']') + "}",
      "tRue",
      "True",
      "NaN",
      "Infinity",
      "-Infinity",
      "+1",
      "0x10"};
  for (const auto &t : texts)
    EXPECT_EQ(engine_accepts(t), codec_accepts(t)) << "[" << hex(t) << "] " << t.substr(0, 80);
}

// Random texts from JSON's own alphabet: short ones hit every grammar corner, longer ones
// nesting and numbers.
TEST(JsonAccept, RandomTextsAgreeWithTheEngine) {
  static const char *kPieces[] = {
      "{",    "}",     "[",     "]",     ",",    ":", "\"", "\"a\"",    "\\",   "\\u",
      "00",   "d8",    "dc",    "3d",    "0",    "1", "9",  "-",        "+",    ".",
      "e",    "E",     "true",  "false", "null", " ", "\n", "\xc3\xa9", "\xff", "\xed\xa0\x80",
      "\x01", "1e308", "1e309", "\"k\":"};
  std::mt19937_64 rng(12345);
  int accepted = 0;
  for (int i = 0; i < 60000; i++) {
    std::string s;
    size_t n = rng() % 12;
    for (size_t k = 0; k < n; k++) s += kPieces[rng() % std::size(kPieces)];
    bool e = engine_accepts(s);
    accepted += e;
    ASSERT_EQ(e, codec_accepts(s)) << "[" << hex(s) << "] " << s;
  }
  EXPECT_GT(accepted, 100);  // the generator does reach valid texts
}

}  // namespace
