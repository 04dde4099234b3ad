// An external sort of query rows by one field or several (SPEC section 7: a cursor streams
// rows in bounded memory whatever the result size).
//
// Rows arrive in primary-key order and leave ordered by the keys, each ascending or
// descending in the total order of compare_values (nulls first ascending, last descending),
// a key breaking the ties of those before it, remaining ties in arrival order. Each row is
// held encoded: a sort key (append_nullable_key of each key's value, every byte of it
// complemented when that key is descending: the encodings are prefix-free, so the
// concatenation orders as the keys do; then the 8-byte big-endian arrival number) and the row in
// the row codec's layout. While the rows fit the budget they stay in memory; beyond it the buffered
// rows are sorted and written as a run to a temporary file (created in $TMPDIR, else the system's
// temporary directory, and unlinked at once so nothing is left behind even after a crash). At the
// end the runs are merged k ways through a heap, streaming; when there are more runs than the
// budget affords read buffers for, whole passes merge them first (two files, each emptied once
// read).
//
// Memory: rows in memory (their encoded bytes, 16 bytes of sort index each, and the unused
// end of an arena block left behind) stay within row_capacity() = budget - one I/O buffer;
// the I/O buffers of a spill (one) or of a merge (fan-in readers + one writer) stay within the
// budget too. The only excess is the current row of each run being merged (one row per run).
// A single row larger than the budget is still sorted (a run of its own).
//
// Every I/O failure (no space, I/O error, a short read) is BDB_E_IO naming the temporary
// directory and the system's reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/codec/value.h"
#include "core/engine/order_key.h"
#include "core/schema/schema.h"

namespace bucketdb {

class RowSorter {
 public:
  // Orders rows of `schema` (the layout of every row added) by field `field`.
  // budget_bytes: memory for rows and I/O buffers, as above. io_buffer_bytes: the size of one
  // read or write buffer of a temporary file; 0 picks budget/32 within [4 KiB, 256 KiB].
  RowSorter(SchemaPtr schema, size_t field, bool descending, uint64_t budget_bytes,
            size_t io_buffer_bytes = 0);
  // Orders by several keys, each breaking the ties of those before it.
  RowSorter(SchemaPtr schema, std::vector<OrderKey> keys, uint64_t budget_bytes,
            size_t io_buffer_bytes = 0);
  ~RowSorter();
  RowSorter(const RowSorter &) = delete;
  RowSorter &operator=(const RowSorter &) = delete;

  // A row, in arrival order (values already checked against `schema`).
  void add(const Values &values, uint64_t seq, uint64_t misc);
  // No more rows: sorts what is in memory, or spills it and merges the runs down to one pass.
  void finish();
  // The next row in sorted order, or false at the end (after finish()).
  bool next(Values &values, uint64_t &seq, uint64_t &misc);
  // Passes over the next row without decoding it; false at the end.
  bool skip();

  uint64_t rows() const;           // rows added
  uint64_t runs_spilled() const;   // runs written to temporary files from memory
  uint64_t merge_passes() const;   // whole passes over the runs before the final merge
  uint64_t bytes_spilled() const;  // bytes of those runs
  uint64_t memory_bytes() const;   // bytes of rows held in memory now, as counted
  uint64_t row_capacity() const;   // the most memory_bytes() may reach (beyond one row)
  size_t fan_in() const;           // runs merged at once
  const std::string &temp_dir() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace bucketdb
