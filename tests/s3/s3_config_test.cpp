// The s3 URI and the AWS environment variables.
#include <bucketdb/driver.h>
#include <gtest/gtest.h>

#include <map>

#include "s3_config.h"

namespace bdbs3 {
namespace {

struct Env {
  std::map<std::string, std::string> vars = {{"AWS_ACCESS_KEY_ID", "AKID"},
                                             {"AWS_SECRET_ACCESS_KEY", "SECRET"}};
  EnvFn fn() const {
    return [this](const char *name) -> const char * {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

Config parse_ok(const std::string &uri, const Env &env = Env()) {
  Config c;
  std::string why;
  EXPECT_EQ(parse_config(uri, env.fn(), &c, &why), BDB_DRV_OK) << uri << ": " << why;
  return c;
}

std::string parse_error(const std::string &uri, int want = BDB_DRV_INVALID,
                        const Env &env = Env()) {
  Config c;
  std::string why;
  EXPECT_EQ(parse_config(uri, env.fn(), &c, &why), want) << uri;
  return why;
}

TEST(S3Config, AwsDefaults) {
  Env env;
  env.vars["AWS_REGION"] = "eu-west-1";
  Config c = parse_ok("//my-bucket", env);
  EXPECT_EQ(c.bucket, "my-bucket");
  EXPECT_EQ(c.key_prefix, "");
  EXPECT_EQ(c.region, "eu-west-1");
  EXPECT_EQ(c.scheme, "https");
  EXPECT_EQ(c.host, "s3.eu-west-1.amazonaws.com");
  EXPECT_TRUE(c.virtual_host);
  EXPECT_EQ(c.origin(), "https://my-bucket.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(c.path_for("a b/c"), "/a%20b/c");
  EXPECT_EQ(c.credentials.access_key_id, "AKID");
  EXPECT_EQ(c.credentials.secret_access_key, "SECRET");
  EXPECT_FALSE(c.unsigned_payload);
  EXPECT_EQ(c.if_match, IfMatchForm::kAuto);
}

TEST(S3Config, EndpointOptionPathStyleAndPrefix) {
  Config c = parse_ok(
      "//bdb-test/tenant%20one/db/?endpoint=http://127.0.0.1:7480&style=path"
      "&region=us-east-1");
  EXPECT_EQ(c.key_prefix, "tenant one/db/");
  EXPECT_EQ(c.scheme, "http");
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.port, 7480);
  EXPECT_FALSE(c.virtual_host);
  EXPECT_EQ(c.host_header(), "127.0.0.1:7480");
  EXPECT_EQ(c.origin(), "http://127.0.0.1:7480");
  EXPECT_EQ(c.path_for("k+1"), "/bdb-test/k%2B1");
  EXPECT_EQ(c.path_for(""), "/bdb-test");
}

TEST(S3Config, CustomEndpointsDefaultToPathStyle) {
  Config c = parse_ok("//b-1?endpoint=https%3A%2F%2Fminio.example.com%3A9000%2F");
  EXPECT_EQ(c.host, "minio.example.com");
  EXPECT_EQ(c.port, 9000);
  EXPECT_FALSE(c.virtual_host);
  c = parse_ok("//b-1?endpoint=http://localhost:7480&style=virtual");
  EXPECT_EQ(c.host_header(), "b-1.localhost:7480");
  EXPECT_EQ(c.path_for("x"), "/x");
  // Default ports are left out of the Host header, as curl would send it.
  c = parse_ok("//b-1?endpoint=https://r2.example.com:443");
  EXPECT_EQ(c.port, 0);
  EXPECT_EQ(c.host_header(), "r2.example.com");
  c = parse_ok("//b-1?endpoint=http://[::1]:9000");
  EXPECT_EQ(c.host, "[::1]");
  EXPECT_EQ(c.host_header(), "[::1]:9000");
}

TEST(S3Config, EnvironmentEndpointAndRegion) {
  Env env;
  env.vars["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1";
  env.vars["AWS_DEFAULT_REGION"] = "auto";
  Config c = parse_ok("//bkt", env);
  EXPECT_EQ(c.port, 1);
  EXPECT_EQ(c.region, "auto");
  env.vars["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:2";
  env.vars["AWS_REGION"] = "us-west-2";
  c = parse_ok("//bkt", env);
  EXPECT_EQ(c.port, 2);
  EXPECT_EQ(c.region, "us-west-2");
  // The URI wins over the environment.
  c = parse_ok("//bkt?endpoint=http://127.0.0.1:3&region=x-1", env);
  EXPECT_EQ(c.port, 3);
  EXPECT_EQ(c.region, "x-1");
}

TEST(S3Config, Options) {
  Env env;
  env.vars["AWS_SESSION_TOKEN"] = "TOKEN";
  env.vars["AWS_CA_BUNDLE"] = "/etc/ca.pem";
  Config c = parse_ok(
      "bkt?payload=unsigned&if_match=unquoted&connect_timeout_ms=250&timeout_ms=1000&retries=0"
      "&retry_base_ms=5&retry_max_ms=50&page=2&conditional_writes=off",
      env);
  EXPECT_TRUE(c.unsigned_payload);
  EXPECT_EQ(c.if_match, IfMatchForm::kUnquoted);
  EXPECT_EQ(c.connect_timeout_ms, 250);
  EXPECT_EQ(c.request_timeout_ms, 1000);
  EXPECT_EQ(c.max_retries, 0);
  EXPECT_EQ(c.retry_base_ms, 5);
  EXPECT_EQ(c.retry_max_ms, 50);
  EXPECT_EQ(c.page_size, 2);
  EXPECT_FALSE(c.conditional_writes);
  EXPECT_EQ(c.credentials.session_token, "TOKEN");
  EXPECT_EQ(c.ca_bundle, "/etc/ca.pem");
  EXPECT_EQ(parse_ok("bkt?ca_bundle=/x.pem", env).ca_bundle, "/x.pem");
}

TEST(S3Config, BadUrisAreRefusedWithAReason) {
  EXPECT_NE(parse_error("//").find("no bucket"), std::string::npos);
  EXPECT_NE(parse_error("//b?style=sideways").find("style"), std::string::npos);
  EXPECT_NE(parse_error("//bkt?colour=red").find("unknown option 'colour'"), std::string::npos);
  EXPECT_NE(parse_error("//bkt?page=0").find("page"), std::string::npos);
  EXPECT_NE(parse_error("//bkt?page=1001").find("page"), std::string::npos);
  EXPECT_NE(parse_error("//bkt?retries=-1").find("retries"), std::string::npos);
  EXPECT_NE(parse_error("//bkt?endpoint=ftp://x").find("scheme"), std::string::npos);
  EXPECT_NE(parse_error("//bkt?endpoint=http://x/path").find("no path"), std::string::npos);
  EXPECT_NE(parse_error("//bkt?endpoint=http://x:99999").find("port"), std::string::npos);
  EXPECT_NE(parse_error("//Bad_Bucket?style=virtual").find("bucket name"), std::string::npos);
  EXPECT_NE(parse_error("//b%zz").find("percent"), std::string::npos);
  EXPECT_NE(parse_error("//bkt?if_match=maybe").find("if_match"), std::string::npos);
  EXPECT_NE(parse_error("//bkt?endpoint=http://127.0.0.1:7480&style=virtual").find("DNS name"),
            std::string::npos);
  // Path style takes legacy names.
  EXPECT_EQ(parse_ok("//Legacy_Bucket?endpoint=http://127.0.0.1:1").bucket, "Legacy_Bucket");
}

TEST(S3Config, MissingCredentialsAreAPermissionError) {
  Env env;
  env.vars.erase("AWS_SECRET_ACCESS_KEY");
  EXPECT_NE(parse_error("//bkt", BDB_DRV_PERMISSION, env).find("AWS_SECRET_ACCESS_KEY"),
            std::string::npos);
}

TEST(S3Config, MessagesNeverEchoASecretValue) {
  // A secret pasted into the URI by mistake is not repeated in the error.
  std::string why = parse_error("//bkt?secret_key=SUPERSECRET");
  EXPECT_EQ(why.find("SUPERSECRET"), std::string::npos) << why;
  Config c = parse_ok("//bkt?endpoint=http://127.0.0.1:1");
  EXPECT_EQ(c.describe().find("SECRET"), std::string::npos);
  EXPECT_EQ(c.describe(), "s3://bkt/ at http://127.0.0.1:1");
}

}  // namespace
}  // namespace bdbs3
