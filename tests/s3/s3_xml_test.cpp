// The XML scanner on real S3 and Ceph RGW answers, and on malformed input.
#include <gtest/gtest.h>

#include <random>

#include "s3_xml.h"

namespace bdbs3 {
namespace {

// As Ceph RGW 16 sends it, for keys "a b+c\nd\te\x01f" and "limited/x", encoding-type=url,
// max-keys=1: the key is url-encoded, the token is not, and holds "&#x01;" (not XML 1.0).
const char *kRgwPage =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult "
    "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><EncodingType>url</EncodingType>"
    "<Name>bdb-test</Name><Prefix></Prefix><MaxKeys>1</MaxKeys><IsTruncated>true</IsTruncated>"
    "<Contents><Key>a%20b%2Bc%0Ad%09e%01f</Key><LastModified>2026-11-25T18:32:23.407Z"
    "</LastModified><ETag>&quot;49f68a5c8493ec2c0bf489821c21fc3b&quot;</ETag><Size>2</Size>"
    "<StorageClass>STANDARD</StorageClass><Type>Normal</Type></Contents>"
    "<NextContinuationToken>a b+c\nd\te&#x01;f</NextContinuationToken><KeyCount>1</KeyCount>"
    "</ListBucketResult>";

TEST(S3Xml, ParsesAnRgwPageWithUrlEncodedKeysAndARawToken) {
  ListResult r;
  std::string why;
  ASSERT_TRUE(parse_list_result(kRgwPage, &r, &why)) << why;
  EXPECT_TRUE(r.url_encoded);
  EXPECT_TRUE(r.truncated);
  ASSERT_EQ(r.keys.size(), 1u);
  EXPECT_EQ(r.keys[0],
            "a b+c\nd\te\x01"
            "f");
  EXPECT_EQ(r.next_token,
            "a b+c\nd\te\x01"
            "f");
}

TEST(S3Xml, AwsEncodesSpacesAsPlus) {
  // AWS's url encoding of listed keys: ' ' as '+', '+' as %2B.
  const char *page =
      "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
      "<Contents><Key>a+b.txt</Key></Contents><Contents><Key>a%2Bb.txt</Key></Contents>"
      "<Contents><Key>%ED%95%9C/100%25.csv</Key></Contents></ListBucketResult>";
  ListResult r;
  std::string why;
  ASSERT_TRUE(parse_list_result(page, &r, &why)) << why;
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(r.keys, (std::vector<std::string>{"a b.txt", "a+b.txt", "\xED\x95\x9C/100%.csv"}));
  EXPECT_TRUE(r.next_token.empty());
}

TEST(S3Xml, KeysAreTakenAsIsWhenTheServerIgnoredEncodingType) {
  const char *page =
      "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a+b %41 &amp; "
      "&lt;&gt;&apos;&quot; &#233;&#x1F600;</Key></Contents></ListBucketResult>";
  ListResult r;
  std::string why;
  ASSERT_TRUE(parse_list_result(page, &r, &why)) << why;
  ASSERT_EQ(r.keys.size(), 1u);
  EXPECT_EQ(r.keys[0], "a+b %41 & <>'\" \xC3\xA9\xF0\x9F\x98\x80");
}

TEST(S3Xml, EmptyListAndSelfClosingElements) {
  ListResult r;
  std::string why;
  ASSERT_TRUE(parse_list_result(
      "<?xml version=\"1.0\"?>\n<!-- c -->\n<ListBucketResult><Prefix/><KeyCount>0</KeyCount>"
      "<IsTruncated>false</IsTruncated></ListBucketResult>\n",
      &r, &why))
      << why;
  EXPECT_TRUE(r.keys.empty());
}

TEST(S3Xml, CdataIsText) {
  ListResult r;
  std::string why;
  ASSERT_TRUE(
      parse_list_result("<ListBucketResult><IsTruncated>false</IsTruncated><Contents>"
                        "<Key><![CDATA[x<&>y]]></Key></Contents></ListBucketResult>",
                        &r, &why))
      << why;
  EXPECT_EQ(r.keys, std::vector<std::string>{"x<&>y"});
}

TEST(S3Xml, ErrorDocuments) {
  ErrorDoc e;
  ASSERT_TRUE(parse_error(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SignatureDoesNotMatch</Code>"
      "<Message>The request signature we calculated does not match</Message>"
      "<StringToSign>AWS4-HMAC-SHA256...</StringToSign><RequestId>tx1</RequestId></Error>",
      &e));
  EXPECT_EQ(e.code, "SignatureDoesNotMatch");
  EXPECT_EQ(e.message, "The request signature we calculated does not match");
  // RGW's AccessDenied has an empty message.
  ASSERT_TRUE(parse_error("<Error><Code>AccessDenied</Code><Message></Message></Error>", &e));
  EXPECT_EQ(e.code, "AccessDenied");
  EXPECT_EQ(e.message, "");
  ASSERT_TRUE(
      parse_error("<Error><Code>PermanentRedirect</Code><Region>eu-west-1</Region>"
                  "<Endpoint>b.s3.eu-west-1.amazonaws.com</Endpoint></Error>",
                  &e));
  EXPECT_EQ(e.region, "eu-west-1");
  EXPECT_EQ(e.endpoint, "b.s3.eu-west-1.amazonaws.com");
  EXPECT_FALSE(parse_error("", &e));
  EXPECT_FALSE(parse_error("<html><body>502 Bad Gateway</body></html>", &e));
  EXPECT_FALSE(parse_error("<Error><Message>no code</Message></Error>", &e));
}

TEST(S3Xml, MalformedDocumentsAreRefusedWithAReason) {
  for (const char *bad : {
           "",
           "not xml",
           "<ListBucketResult>",
           "<ListBucketResult><IsTruncated>false</ListBucketResult>",
           "<ListBucketResult><IsTruncated>maybe</IsTruncated></ListBucketResult>",
           "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult><x/>",
           "<Error><Code>x</Code></Error>",
           "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>&bogus;</Key>"
           "</Contents></ListBucketResult>",
           "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>&#0;</Key>"
           "</Contents></ListBucketResult>",
           "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>&#xD800;</Key>"
           "</Contents></ListBucketResult>",
           "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>&#x110000;</Key>"
           "</Contents></ListBucketResult>",
           "<!DOCTYPE x [<!ENTITY a \"b\">]><ListBucketResult><IsTruncated>false</IsTruncated>"
           "</ListBucketResult>",
           "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
           "<Contents><Key>bad%zzescape</Key></Contents></ListBucketResult>",
           "<ListBucketResult attr=\"unterminated><IsTruncated>false</IsTruncated>"
           "</ListBucketResult>",
       }) {
    ListResult r;
    std::string why;
    EXPECT_FALSE(parse_list_result(bad, &r, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

TEST(S3Xml, DeepNestingIsBounded) {
  std::string deep;
  for (int i = 0; i < 10000; i++) deep += "<a>";
  std::string why;
  EXPECT_FALSE(scan_xml(
      deep, [](const std::string &, const std::string &) {}, &why));
  EXPECT_EQ(why, "elements nested too deeply");
}

TEST(S3Xml, TruncationsAndRandomBytesNeverCrash) {
  // Run under ASan/UBSan: every prefix of a real page, and random mutations of it.
  std::string page = kRgwPage;
  for (size_t n = 0; n < page.size(); n++) {
    ListResult r;
    std::string why;
    parse_list_result(page.substr(0, n), &r, &why);
  }
  std::mt19937 rng(42);
  for (int i = 0; i < 3000; i++) {
    std::string m = page;
    for (int k = 0; k < 4; k++) m[rng() % m.size()] = static_cast<char>(rng() % 256);
    ListResult r;
    ErrorDoc e;
    std::string why;
    parse_list_result(m, &r, &why);
    parse_error(m, &e);
  }
}

TEST(S3Xml, UrlDecode) {
  std::string out;
  EXPECT_TRUE(url_decode("a%20b+c%2B%7e", &out));
  EXPECT_EQ(out, "a b c+~");
  EXPECT_FALSE(url_decode("%", &out));
  EXPECT_FALSE(url_decode("%4", &out));
  EXPECT_FALSE(url_decode("%g0", &out));
  EXPECT_TRUE(url_decode("", &out));
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace bdbs3
