/* The generated C codecs compiled as C99 (roundtrip_c.c), for the C++ property tests: the
 * "generated C" path of the round trip is this code, not the same headers seen by C++. */
#ifndef BDB_SCHEMAS_TEST_ROUNDTRIP_C_H
#define BDB_SCHEMAS_TEST_ROUNDTRIP_C_H

#include "alltypes_bdb.h"
#include "keys_bdb.h"
#include "wide_bdb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* NOLINTBEGIN(bugprone-macro-parentheses): `type` names a type, which parentheses break */
#define RT_DECLARE(type)                                                                           \
  bdb_status c_##type##_encode(const type *v, bdbc_builder *b, bdbc_error *err);                   \
  bdb_status c_##type##_decode(const void *row, size_t row_len, const void *heap, size_t heap_len, \
                               type *out, bdbc_error *err);                                        \
  bdb_status c_##type##_check(const type *v, bdbc_error *err);
/* NOLINTEND(bugprone-macro-parentheses) */

RT_DECLARE(bdbtest_all_types_row)
RT_DECLARE(bdbtest_by_name_row)
RT_DECLARE(bdbtest_keys_k_u8_row)
RT_DECLARE(bdbtest_keys_k_i8_row)
RT_DECLARE(bdbtest_keys_k_u16_row)
RT_DECLARE(bdbtest_keys_k_i16_row)
RT_DECLARE(bdbtest_keys_k_u32_row)
RT_DECLARE(bdbtest_keys_k_i32_row)
RT_DECLARE(bdbtest_keys_k_i64_row)
RT_DECLARE(bdbtest_keys_k_ts_row)
RT_DECLARE(bdbtest_keys_k_text_row)
RT_DECLARE(wide_row)

/* The runtime's JSON check, as C compiles it. */
int c_json_accept(const char *text, size_t len);

#ifdef __cplusplus
}
#endif

#endif
