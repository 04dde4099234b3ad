/* BucketDB from C with generated codecs: the to-do list of tasks.fbs as a plain C struct,
 * written in one batch and read back by key and by query. No field names as strings, no
 * JSON: the struct is encoded straight into the engine's row format.
 *
 *   bucketdb-c-generated [URI]        (default: file:./c-generated-db)
 */
#include <stdio.h>
#include <string.h>

#include "tasks_bdb.h"

/* Library calls leave their message in bdb_errmsg(); codec calls in a bdbc_error. */
static int report(bdb_status st, const bdbc_error *err, const char *what) {
  if (st == BDB_OK) return 0;
  fprintf(stderr, "c-generated: %s failed: %s (%s)\n", what, err ? err->message : bdb_errmsg(),
          bdb_status_str(st));
  return 1;
}
#define CHECK_WITH(call, err, what)  \
  do {                               \
    if (report((call), err, what)) { \
      rc = 1;                        \
      goto done;                     \
    }                                \
  } while (0)
#define CHECK(call, what) CHECK_WITH(call, NULL, what)
#define CHECK_CODEC(call, what) CHECK_WITH(call, &err, what)

static void print_task(const todo_tasks_row *t) {
  printf("task %llu: %.*s", (unsigned long long)t->id, (int)t->title.len, t->title.data);
  if (t->has.due) printf(", due %lld", (long long)t->due);
  printf(", %s", t->has.done && t->done ? "done" : "open");
  if (t->has.tags) printf(", tags %.*s", (int)t->tags.len, t->tags.data);
  printf("\n");
}

int main(int argc, char **argv) {
  const char *uri = argc > 1 ? argv[1] : "file:./c-generated-db";
  static const char *titles[] = {"Write the report", "Water the plants", "Call the bank"};
  int rc = 0, i, open = 0;
  bdb_db *db = NULL;
  bdb_options *opts = NULL;
  bdb_batch *batch = NULL;
  bdb_doc *doc = NULL, *key = NULL;
  bdb_query *query = NULL;
  bdb_cursor *cursor = NULL;
  bdbc_error err;
  bdbc_rowbuf storage;
  todo_tasks_row task;

  memset(&storage, 0, sizeof storage);
  bdbc_error_clear(&err);
  CHECK(bdb_options_new(&opts), "options");
  CHECK(bdb_options_set(opts, "createIfMissing", "1"), "createIfMissing");
  CHECK(bdb_open(uri, opts, &db), "open");
  CHECK(todo_tasks_row_register(db), "register"); /* a no-op when already registered */

  /* Three tasks, one atomic batch. A field not set (has.<field> false) is null. */
  CHECK(bdb_batch_new(db, &batch), "batch");
  for (i = 0; i < 3; i++) {
    todo_tasks_row_init(&task);
    task.id = (uint64_t)i + 1;
    todo_tasks_row_set_title(&task, bdbc_str_c(titles[i]));
    todo_tasks_row_set_done(&task, i == 1);
    if (i != 2) todo_tasks_row_set_due(&task, 1700000000000 + i * 86400000LL);
    todo_tasks_row_set_tags(&task, bdbc_str_c(i == 0 ? "[\"work\",\"urgent\"]" : "[]"));
    CHECK_CODEC(todo_tasks_row_to_doc(db, &task, &doc, &err), "to_doc");
    CHECK(bdb_batch_update(batch, doc), "stage"); /* an upsert: reruns are fine */
    bdb_doc_free(doc);
    doc = NULL;
  }
  CHECK(bdb_batch_commit(batch, NULL), "commit");

  /* A value that does not fit is refused, never truncated. */
  todo_tasks_row_init(&task);
  task.id = 9;
  todo_tasks_row_set_title(&task,
                           bdbc_str_c("A title far longer than the forty characters it has"));
  if (todo_tasks_row_check(&task, &err) == BDB_E_TYPE) printf("refused: %s\n", err.message);

  /* Point read by key, decoded into the struct (its text points into `storage`). */
  CHECK(bdb_key_doc_from_text(db, TODO_TASKS_TABLE, "1", &key), "key");
  CHECK(bdb_get(db, key, &doc), "get");
  CHECK_CODEC(todo_tasks_row_from_doc(doc, &task, &storage, &err), "from_doc");
  printf("get 1 -> ");
  print_task(&task);
  bdbc_rowbuf_free(&storage);
  bdb_doc_free(doc);
  doc = NULL;

  /* The open tasks, through the index on done. */
  CHECK(bdb_query_new(db, TODO_TASKS_TABLE, &query), "query");
  CHECK(bdb_query_where(query, "done", "=", "false"), "where");
  CHECK(bdb_query_exec(query, &cursor), "exec");
  for (;;) {
    CHECK(bdb_cursor_next(cursor, &doc), "next");
    if (!doc) break;
    CHECK_CODEC(todo_tasks_row_from_doc(doc, &task, &storage, &err), "from_doc");
    print_task(&task);
    open++;
    bdbc_rowbuf_free(&storage);
    bdb_doc_free(doc);
    doc = NULL;
  }
  printf("%d open tasks\n", open);

done:
  bdb_options_free(opts);
  bdbc_rowbuf_free(&storage);
  bdb_cursor_free(cursor);
  bdb_query_free(query);
  bdb_doc_free(doc);
  bdb_doc_free(key);
  bdb_batch_free(batch);
  bdb_close(db);
  return rc;
}
