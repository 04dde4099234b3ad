/* bdb_driver_check: the driver conformance checks through the C ABI. */
#include "helper.h"

#include <stdio.h>
#include <string.h>

static void passes_on_a_good_store(void **state) {
  (void)state;
  char uri[128];
  h_memory_uri(uri, sizeof uri);
  char *json = NULL;
  h_ok(bdb_driver_check(uri, &json));
  assert_non_null(json);
  assert_non_null(strstr(json, "\"driver\":\"memory\""));
  assert_non_null(strstr(json, "\"capabilities\":[\"conditional_put\""));
  assert_non_null(strstr(json, "\"failed\":0,"));
  assert_non_null(strstr(json, "\"name\":\"put-if-absent from 8 threads has one winner\""));
  assert_null(strstr(json, "\"result\":\"fail\""));
  bdb_free(json);
}

static void reports_failures_of_a_broken_store(void **state) {
  (void)state;
  char *json = NULL;
  /* Every other read comes back with a flipped byte. */
  h_ok(
      bdb_driver_check("faulty:memory:abi-broken?faulty.ops=get&faulty.action=corrupt&"
                       "faulty.every=2",
                       &json));
  assert_non_null(json);
  assert_null(strstr(json, "\"failed\":0,"));
  assert_non_null(strstr(json, "\"result\":\"fail\",\"message\":\"get 'over/write' returned"));
  bdb_free(json);
}

static void refuses_what_it_cannot_open(void **state) {
  (void)state;
  char *json = (char *)"untouched";
  h_expect_err(bdb_driver_check("plugin:/nonexistent/x.so?a=b", &json), BDB_E_URI, "does not exist",
               NULL);
  assert_null(json);
  h_expect_err(bdb_driver_check("nosuchscheme:x", &json), BDB_E_URI, "no driver for", NULL);
  h_expect_err(bdb_driver_check(NULL, &json), BDB_E_INVALID, "uri", NULL);
  h_expect_err(bdb_driver_check("memory:", NULL), BDB_E_INVALID, "out_json", NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(passes_on_a_good_store),
      cmocka_unit_test(reports_failures_of_a_broken_store),
      cmocka_unit_test(refuses_what_it_cannot_open),
  };
  return cmocka_run_group_tests_name("driver_check", tests, NULL, NULL);
}
