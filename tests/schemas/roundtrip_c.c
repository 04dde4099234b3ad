/* See roundtrip_c.h. */
#include "roundtrip_c.h"

/* NOLINTBEGIN(bugprone-macro-parentheses): `type` names a type, which parentheses break */
#define RT_DEFINE(type)                                                                            \
  bdb_status c_##type##_encode(const type *v, bdbc_builder *b, bdbc_error *err) {                  \
    return type##_encode(v, b, err);                                                               \
  }                                                                                                \
  bdb_status c_##type##_decode(const void *row, size_t row_len, const void *heap, size_t heap_len, \
                               type *out, bdbc_error *err) {                                       \
    return type##_decode(row, row_len, heap, heap_len, out, err);                                  \
  }                                                                                                \
  bdb_status c_##type##_check(const type *v, bdbc_error *err) {                                    \
    return type##_check(v, err);                                                                   \
  }
/* NOLINTEND(bugprone-macro-parentheses) */

RT_DEFINE(bdbtest_all_types_row)
RT_DEFINE(bdbtest_by_name_row)
RT_DEFINE(bdbtest_keys_k_u8_row)
RT_DEFINE(bdbtest_keys_k_i8_row)
RT_DEFINE(bdbtest_keys_k_u16_row)
RT_DEFINE(bdbtest_keys_k_i16_row)
RT_DEFINE(bdbtest_keys_k_u32_row)
RT_DEFINE(bdbtest_keys_k_i32_row)
RT_DEFINE(bdbtest_keys_k_i64_row)
RT_DEFINE(bdbtest_keys_k_ts_row)
RT_DEFINE(bdbtest_keys_k_text_row)
RT_DEFINE(wide_row)

int c_json_accept(const char *text, size_t len) {
  return bdbc_json_accept(text, len);
}
