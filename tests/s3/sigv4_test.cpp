// The SigV4 signer against the examples AWS publishes: the S3 worked examples of "Signature
// Calculations for the Authorization Header" and cases of the aws-sig-v4 test suite. The
// expected values are AWS's, not computed here.
#include <gtest/gtest.h>

#include "sigv4.h"

namespace bdbs3 {
namespace {

const char *kEmptySha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The test suite: AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service "service".
const Credentials kSuite{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};

SigningRequest suite(const std::string &method, const std::string &path, Pairs query = {},
                     const Pairs &extra = {}) {
  SigningRequest r;
  r.method = method;
  r.canonical_uri = path;
  r.query = std::move(query);
  r.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
  for (auto &h : extra) r.headers.push_back(h);
  r.payload_hash = kEmptySha;
  r.amz_date = "20150830T123600Z";
  r.region = "us-east-1";
  r.service = "service";
  return r;
}

// The S3 examples: AKIAIOSFODNN7EXAMPLE, 2013-05-24T00:00:00Z, us-east-1, bucket examplebucket.
const Credentials kS3{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};

SigningRequest s3(const std::string &method, const std::string &path, Pairs query,
                  const std::string &payload_hash, const Pairs &extra = {}) {
  SigningRequest r;
  r.method = method;
  r.canonical_uri = path;
  r.query = std::move(query);
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
               {"x-amz-date", "20130524T000000Z"},
               {"x-amz-content-sha256", payload_hash}};
  for (auto &h : extra) r.headers.push_back(h);
  r.payload_hash = payload_hash;
  r.amz_date = "20130524T000000Z";
  r.region = "us-east-1";
  r.service = "s3";
  return r;
}

TEST(SigV4, Sha256OfNothingAndOfTheS3PutExampleBody) {
  EXPECT_EQ(sha256_hex("", 0), kEmptySha);
  std::string body = "Welcome to Amazon S3.";
  EXPECT_EQ(sha256_hex(body.data(), body.size()),
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
}

TEST(SigV4, DerivedSigningKeyMatchesTheDocumentedExample) {
  // "Deriving the signing key": secret of the suite, 20150830, us-east-1, iam.
  SigningRequest r = suite("GET", "/");
  r.service = "iam";
  std::string key = signing_key(kSuite.secret_access_key, r);
  EXPECT_EQ(hex(reinterpret_cast<const unsigned char *>(key.data()), key.size()),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

TEST(SigV4, GetVanilla) {
  SigningRequest r = suite("GET", "/");
  EXPECT_EQ(canonical_request(r),
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\n" +
                std::string(kEmptySha));
  EXPECT_EQ(string_to_sign(r),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(authorization(r, kSuite),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4, PostVanilla) {
  EXPECT_EQ(signature(suite("POST", "/"), kSuite.secret_access_key),
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

TEST(SigV4, GetVanillaQueryOrderKeyCase) {
  SigningRequest r = suite("GET", "/", {{"Param2", "value2"}, {"Param1", "value1"}});
  EXPECT_EQ(canonical_query(r.query), "Param1=value1&Param2=value2");
  EXPECT_EQ(signature(r, kSuite.secret_access_key),
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4, GetVanillaQueryOrderEncodedSortsByEncodedName) {
  SigningRequest r =
      suite("GET", "/", {{"Param-3", "Value3"}, {"Param", "Value2"}, {"\xE1\x88\xB4", "Value1"}});
  EXPECT_EQ(canonical_query(r.query), "%E1%88%B4=Value1&Param=Value2&Param-3=Value3");
  EXPECT_EQ(signature(r, kSuite.secret_access_key),
            "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac");
}

TEST(SigV4, GetVanillaEmptyQueryKey) {
  EXPECT_EQ(signature(suite("GET", "/", {{"Param1", "value1"}}), kSuite.secret_access_key),
            "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb");
}

TEST(SigV4, GetVanillaQueryUnreservedStaysUnencoded) {
  std::string all = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  SigningRequest r = suite("GET", "/", {{all, all}});
  EXPECT_EQ(canonical_query(r.query), all + "=" + all);
  EXPECT_EQ(signature(r, kSuite.secret_access_key),
            "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
}

TEST(SigV4, GetVanillaUtf8Query) {
  SigningRequest r = suite("GET", "/", {{"\xE1\x88\xB4", "bar"}});
  EXPECT_EQ(canonical_query(r.query), "%E1%88%B4=bar");
  EXPECT_EQ(signature(r, kSuite.secret_access_key),
            "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
}

TEST(SigV4, GetUnreservedPath) {
  SigningRequest r = suite(
      "GET", uri_encode_path("-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"));
  EXPECT_EQ(signature(r, kSuite.secret_access_key),
            "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f");
}

TEST(SigV4, GetUtf8Path) {
  SigningRequest r = suite("GET", uri_encode_path("\xE1\x88\xB4"));
  EXPECT_EQ(r.canonical_uri, "/%E1%88%B4");
  EXPECT_EQ(signature(r, kSuite.secret_access_key),
            "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
}

TEST(SigV4, GetSpaceInPath) {
  SigningRequest r = suite("GET", uri_encode_path("example space/"));
  EXPECT_EQ(r.canonical_uri, "/example%20space/");
  EXPECT_EQ(signature(r, kSuite.secret_access_key),
            "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741");
}

TEST(SigV4, GetHeaderValueTrim) {
  // Leading/trailing blanks go, runs of inner spaces become one.
  SigningRequest r =
      suite("GET", "/", {}, {{"My-Header1", "  value1 "}, {"My-Header2", "\"a   b   c\""}});
  auto [lines, names] = canonical_headers(r.headers);
  EXPECT_EQ(lines,
            "host:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
            "x-amz-date:20150830T123600Z\n");
  EXPECT_EQ(names, "host;my-header1;my-header2;x-amz-date");
  EXPECT_EQ(signature(r, kSuite.secret_access_key),
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
}

TEST(SigV4, GetVanillaWithSessionToken) {
  SigningRequest r = suite("GET", "/", {},
                           {{"X-Amz-Security-Token",
                             "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"}});
  Credentials c = kSuite;
  c.session_token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
  EXPECT_EQ(authorization(r, c),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date;x-amz-security-token, "
            "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
}

TEST(SigV4, PostXWwwFormUrlencodedSignsTheBodyHash) {
  std::string body = "Param1=value1";
  SigningRequest r =
      suite("POST", "/", {}, {{"Content-Type", "application/x-www-form-urlencoded"}});
  r.payload_hash = sha256_hex(body.data(), body.size());
  EXPECT_EQ(r.payload_hash, "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  EXPECT_EQ(string_to_sign(r),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281");
  EXPECT_EQ(signature(r, kSuite.secret_access_key),
            "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

TEST(SigV4S3Examples, GetObjectWithRange) {
  SigningRequest r =
      s3("GET", uri_encode_path("test.txt"), {}, kEmptySha, {{"Range", "bytes=0-9"}});
  EXPECT_EQ(canonical_request(r),
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:" +
                std::string(kEmptySha) +
                "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n" +
                kEmptySha);
  EXPECT_EQ(string_to_sign(r),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(authorization(r, kS3),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4S3Examples, PutObjectEncodesTheDollarOnce) {
  std::string body = "Welcome to Amazon S3.";
  SigningRequest r = s3(
      "PUT", uri_encode_path("test$file.text"), {}, sha256_hex(body.data(), body.size()),
      {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}});
  EXPECT_EQ(r.canonical_uri, "/test%24file.text");
  EXPECT_EQ(canonical_headers(r.headers).second,
            "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class");
  EXPECT_EQ(signature(r, kS3.secret_access_key),
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4S3Examples, GetBucketLifecycleValuelessParameter) {
  SigningRequest r = s3("GET", "/", {{"lifecycle", ""}}, kEmptySha);
  EXPECT_EQ(canonical_query(r.query), "lifecycle=");
  EXPECT_EQ(signature(r, kS3.secret_access_key),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4S3Examples, ListObjectsSortsTheQuery) {
  SigningRequest r = s3("GET", "/", {{"prefix", "J"}, {"max-keys", "2"}}, kEmptySha);
  EXPECT_EQ(canonical_query(r.query), "max-keys=2&prefix=J");
  EXPECT_EQ(signature(r, kS3.secret_access_key),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4Encoding, EveryByteButTheUnreservedIsEscapedInUppercaseHex) {
  EXPECT_EQ(uri_encode("a b+c=d&e%f?g~h", false), "a%20b%2Bc%3Dd%26e%25f%3Fg~h");
  EXPECT_EQ(uri_encode("!'()*", false), "%21%27%28%29%2A");
  EXPECT_EQ(uri_encode("a/b", false), "a%2Fb");
  EXPECT_EQ(uri_encode("a/b", true), "a/b");
  EXPECT_EQ(uri_encode("\xC3\xA9\x01\n", false), "%C3%A9%01%0A");
  // S3 paths are not normalised: dot segments and double slashes stay.
  EXPECT_EQ(uri_encode_path("a//b/../c/./d"), "/a//b/../c/./d");
}

TEST(SigV4Encoding, QueryValuesAreEncodedAndSortedByValueWithinAName) {
  EXPECT_EQ(canonical_query({{"prefix", "dir one/ü"}, {"list-type", "2"}}),
            "list-type=2&prefix=dir%20one%2F%C3%BC");
  EXPECT_EQ(canonical_query({{"a", "2"}, {"a", "1"}}), "a=1&a=2");
  EXPECT_EQ(canonical_query({}), "");
}

TEST(SigV4Encoding, AmzDateIsUtc) {
  EXPECT_EQ(amz_date(1440938160), "20150830T123600Z");
  EXPECT_EQ(amz_date(0), "19700101T000000Z");
}

}  // namespace
}  // namespace bdbs3
