// The one reading of a driver's config (plugins/common/uri_options.h) that every driver and
// layer uses: decoded values, the base as written, errors that name the option.
#include "uri_options.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace {

using Options = std::map<std::string, std::string>;

TEST(UriOptions, ValuesArePercentDecodedAndPlusStays) {
  std::string base, why;
  Options o;
  ASSERT_TRUE(bdbdrv::parse_config("/data/x?a=1%262&b=%3Fq%3Dv&c=a+b&d=%25", &base, &o, &why));
  EXPECT_EQ(base, "/data/x");
  EXPECT_EQ(o, (Options{{"a", "1&2"}, {"b", "?q=v"}, {"c", "a+b"}, {"d", "%"}}));
}

TEST(UriOptions, BaseIsReturnedAsWritten) {
  std::string base, why;
  Options o;
  ASSERT_TRUE(bdbdrv::parse_config("dir%20one/a+b", &base, &o, &why));
  EXPECT_EQ(base, "dir%20one/a+b");
  EXPECT_TRUE(o.empty());
}

TEST(UriOptions, EmptyItemsAreSkippedAndTheLastOfARepeatedNameWins) {
  std::string base, why;
  Options o;
  ASSERT_TRUE(bdbdrv::parse_config("x?&a=1&&a=2&b=&", &base, &o, &why));
  EXPECT_EQ(o, (Options{{"a", "2"}, {"b", ""}}));
}

TEST(UriOptions, MalformedItemsAreRefusedByNameWithoutTheirValue) {
  std::string base, why;
  Options o;
  EXPECT_FALSE(bdbdrv::parse_config("x?page", &base, &o, &why));
  EXPECT_NE(why.find("malformed option 'page'"), std::string::npos) << why;
  EXPECT_FALSE(bdbdrv::parse_config("x?=1", &base, &o, &why));
  EXPECT_NE(why.find("expected name=value"), std::string::npos) << why;
  EXPECT_FALSE(bdbdrv::parse_config("x?secret=ab%zzcd", &base, &o, &why));
  EXPECT_NE(why.find("'secret'"), std::string::npos) << why;
  EXPECT_EQ(why.find("ab"), std::string::npos) << "the value leaked: " << why;
  EXPECT_FALSE(bdbdrv::parse_config("x?k=%4", &base, &o, &why));
}

TEST(UriOptions, LayersTakeTheirOwnOptionsAndPassTheRestOnAsWritten) {
  std::string inner, why;
  Options o;
  ASSERT_TRUE(bdbdrv::split_layer_config(
      "file:/d?page=2&tiered.fast=memory:f%3Fpage%3D1&x=a%26b&tiered.mirror=1", "tiered", &inner,
      &o, &why));
  EXPECT_EQ(inner, "file:/d?page=2&x=a%26b");  // still encoded: the inner driver decodes it
  EXPECT_EQ(o, (Options{{"fast", "memory:f?page=1"}, {"mirror", "1"}}));
  // The inner URI parsed in turn gives the inner driver its decoded values.
  std::string base;
  Options inner_opts;
  ASSERT_TRUE(bdbdrv::parse_config(inner.substr(5), &base, &inner_opts, &why));
  EXPECT_EQ(inner_opts, (Options{{"page", "2"}, {"x", "a&b"}}));
}

TEST(UriOptions, ALayersMalformedOptionIsNamed) {
  std::string inner, why;
  Options o;
  EXPECT_FALSE(bdbdrv::split_layer_config("file:/d?crypt.key", "crypt", &inner, &o, &why));
  EXPECT_NE(why.find("'crypt.key'"), std::string::npos) << why;
  EXPECT_NE(why.find("crypt.name=value"), std::string::npos) << why;
  EXPECT_FALSE(bdbdrv::split_layer_config("file:/d?crypt.=1", "crypt", &inner, &o, &why));
}

}  // namespace
