// Owning wrappers for ABI handles, so that every path (errors included) frees what it got:
// the ASan build treats a leak as a failure.
#pragma once

#include <memory>
#include <string>

#include <bucketdb/bucketdb.h>

namespace bdbcli {

// Closing runs the merge a write command's handle makes at close when one is due. Its failure
// is kept, not printed: after a failed command it is the same trouble again (a full disk
// would be reported twice), and after a successful one main says it once, as a warning.
void close_database(bdb_db *db);
// The failure of the last close_database, or "".
const std::string &close_failure();

struct DbCloser {
  void operator()(bdb_db *p) const { close_database(p); }
};
struct OptionsFreer {
  void operator()(bdb_options *p) const { bdb_options_free(p); }
};
struct BatchFreer {
  void operator()(bdb_batch *p) const { bdb_batch_free(p); }
};
struct DocFreer {
  void operator()(bdb_doc *p) const { bdb_doc_free(p); }
};
struct QueryFreer {
  void operator()(bdb_query *p) const { bdb_query_free(p); }
};
struct CursorFreer {
  void operator()(bdb_cursor *p) const { bdb_cursor_free(p); }
};
struct BdbFreer {
  void operator()(char *p) const { bdb_free(p); }
};

using Db = std::unique_ptr<bdb_db, DbCloser>;
using Options = std::unique_ptr<bdb_options, OptionsFreer>;
using Batch = std::unique_ptr<bdb_batch, BatchFreer>;
using Doc = std::unique_ptr<bdb_doc, DocFreer>;
using Query = std::unique_ptr<bdb_query, QueryFreer>;
using Cursor = std::unique_ptr<bdb_cursor, CursorFreer>;
// A string the library allocated (JSON text); freed with bdb_free.
using BdbString = std::unique_ptr<char, BdbFreer>;

}  // namespace bdbcli
