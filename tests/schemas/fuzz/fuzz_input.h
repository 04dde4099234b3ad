/* How a decoder fuzz input is cut, shared by the fuzz target and the differential replay:
 * byte 0 picks the target (a table, or the JSON check), then comes the row (as long as that
 * table's rows, or whatever is left), then the heap. */
#ifndef BDB_SCHEMAS_FUZZ_INPUT_H
#define BDB_SCHEMAS_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "alltypes_bdb.h"
#include "keys_bdb.h"
#include "wide_bdb.h"

enum { FUZZ_ALL_TYPES, FUZZ_BY_NAME, FUZZ_K_TEXT, FUZZ_WIDE, FUZZ_JSON, FUZZ_TARGETS };

typedef struct fuzz_input {
  unsigned target;
  const uint8_t *row;
  size_t row_len;
  const uint8_t *heap;
  size_t heap_len;
} fuzz_input;

static inline size_t fuzz_row_width(unsigned target) {
  switch (target) {
    case FUZZ_ALL_TYPES:
      return BDBTEST_ALL_TYPES_ROW_WIDTH;
    case FUZZ_BY_NAME:
      return BDBTEST_BY_NAME_ROW_WIDTH;
    case FUZZ_K_TEXT:
      return BDBTEST_KEYS_K_TEXT_ROW_WIDTH;
    case FUZZ_WIDE:
      return WIDE_ROW_WIDTH;
    default:
      return (size_t)-1; /* JSON: all of it */
  }
}

static inline fuzz_input fuzz_split(const uint8_t *data, size_t size) {
  fuzz_input in;
  size_t width;
  in.target = size ? (unsigned)(data[0] % FUZZ_TARGETS) : (unsigned)FUZZ_JSON;
  in.row = size ? data + 1 : data;
  size = size ? size - 1 : 0;
  width = fuzz_row_width(in.target);
  in.row_len = size < width ? size : width;
  in.heap = in.row + in.row_len;
  in.heap_len = size - in.row_len;
  return in;
}

#endif
