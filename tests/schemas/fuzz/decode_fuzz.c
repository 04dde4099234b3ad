/* Decoder fuzz target (libFuzzer, or replay_main.c without it): arbitrary rows and heaps go
 * through the generated decoders; whatever decodes and passes the checks must encode, decode
 * again and re-encode to the very same bytes. The JSON check gets arbitrary text. Nothing may
 * crash, read out of bounds or leak. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_bytes(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len) {
  return a_len == b_len && (a_len == 0 || memcmp(a, b, a_len) == 0);
}

#define FUZZ_TABLE(type)                                                                          \
  static void fuzz_##type(const fuzz_input *in) {                                                 \
    type first, second;                                                                           \
    bdbc_error err;                                                                               \
    bdbc_builder once, twice;                                                                     \
    if (type##_decode(in->row, in->row_len, in->heap, in->heap_len, &first, &err) != BDB_OK)      \
      return;                                                                                     \
    if (type##_check(&first, &err) != BDB_OK) return;                                             \
    bdbc_builder_init(&once);                                                                     \
    bdbc_builder_init(&twice);                                                                    \
    if (type##_encode(&first, &once, &err) != BDB_OK) abort();                                    \
    if (type##_decode(once.row, once.row_len, once.heap, once.heap_len, &second, &err) != BDB_OK) \
      abort();                                                                                    \
    if (type##_encode(&second, &twice, &err) != BDB_OK) abort();                                  \
    if (!same_bytes(once.row, once.row_len, twice.row, twice.row_len) ||                          \
        !same_bytes(once.heap, once.heap_len, twice.heap, twice.heap_len))                        \
      abort();                                                                                    \
    bdbc_builder_free(&once);                                                                     \
    bdbc_builder_free(&twice);                                                                    \
  }

FUZZ_TABLE(bdbtest_all_types_row)
FUZZ_TABLE(bdbtest_by_name_row)
FUZZ_TABLE(bdbtest_keys_k_text_row)
FUZZ_TABLE(wide_row)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_input in = fuzz_split(data, size);
  switch (in.target) {
    case FUZZ_ALL_TYPES:
      fuzz_bdbtest_all_types_row(&in);
      break;
    case FUZZ_BY_NAME:
      fuzz_bdbtest_by_name_row(&in);
      break;
    case FUZZ_K_TEXT:
      fuzz_bdbtest_keys_k_text_row(&in);
      break;
    case FUZZ_WIDE:
      fuzz_wide_row(&in);
      break;
    default:
      (void)bdbc_json_accept((const char *)in.row, in.row_len);
      (void)bdbc_utf8_length((const char *)in.row, in.row_len);
      break;
  }
  return 0;
}
