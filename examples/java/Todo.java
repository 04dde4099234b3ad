import io.bucketdb.Batch;
import io.bucketdb.BucketDb;
import io.bucketdb.BucketDbException;
import io.bucketdb.Cursor;
import io.bucketdb.Record;
import java.time.Instant;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A todo list on BucketDB, from Java. The same app exists in examples/go and examples/ruby;
 * any of them can work on the same list.
 *
 * <pre>
 *   java -cp bucketdb.jar:. Todo [--db URI] add TEXT...   add an item
 *   java -cp bucketdb.jar:. Todo [--db URI] list          list the items
 *   java -cp bucketdb.jar:. Todo [--db URI] done ID       mark an item done
 *   java -cp bucketdb.jar:. Todo [--db URI] remove ID     remove an item
 * </pre>
 *
 * URI defaults to file:./todo-db. bucketdb.jar carries its native code and loads it itself.
 */
public final class Todo {
  static final String TODOS =
      "{\"name\":\"todos\",\"version\":1,\"primaryKey\":\"id\",\"fields\":{"
          + "\"id\":{\"typeId\":3},\"title\":{\"typeId\":10,\"maxLength\":200},"
          + "\"done\":{\"typeId\":6},\"created\":{\"typeId\":8}}}";
  static final String COUNTERS =
      "{\"name\":\"counters\",\"version\":1,\"primaryKey\":\"name\",\"fields\":{"
          + "\"name\":{\"typeId\":10,\"maxLength\":40},\"value\":{\"typeId\":3}}}";

  public static void main(String[] argv) {
    String uri = "file:./todo-db";
    String[] args = argv;
    if (args.length >= 2 && args[0].equals("--db")) {
      uri = args[1];
      args = Arrays.copyOfRange(args, 2, args.length);
    }
    if (args.length == 0) {
      System.err.println("usage: Todo [--db URI] add TEXT... | list | done ID | remove ID");
      System.exit(2);
    }
    // readStalenessMs=0: see what other processes wrote a moment ago.
    try (BucketDb db = BucketDb.open(uri,
        new BucketDb.Options().readStaleness(Duration.ZERO).logLevel("warn"))) {
      db.registerSchema(TODOS); // a no-op once registered
      db.registerSchema(COUNTERS);
      switch (args[0]) {
        case "add":
          String title = String.join(" ", Arrays.copyOfRange(args, 1, args.length));
          System.out.println("added #" + add(db, title));
          break;
        case "list":
          try (Cursor c = db.query("todos").orderBy("id").cursor()) {
            for (Record t : c) { // typed accessors: no map for each row
              try (t) {
                System.out.println("[" + (t.getBoolean("done") ? "x" : " ") + "] #"
                    + Long.toUnsignedString(t.getUnsignedLong("id")) + " " + t.getString("title"));
              }
            }
          }
          break;
        case "done":
        case "remove":
          if (args.length != 2) throw new IllegalArgumentException(args[0] + " takes one ID");
          long id = Long.parseUnsignedLong(args[1]);
          if (db.get("todos", id).isEmpty()) {
            throw new BucketDbException(BucketDbException.Code.NOT_FOUND, "no todo #" + args[1]);
          }
          if (args[0].equals("done")) db.patch("todos", Map.of("id", id, "done", true));
          else db.delete("todos", id);
          break;
        default:
          throw new IllegalArgumentException("unknown command " + args[0]);
      }
    } catch (BucketDbException | IllegalArgumentException e) {
      System.err.println("todo: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Takes the next id from a counter row and inserts the item in the same batch. The counter
   * update expects the version it read, so two processes adding at once never get the same
   * id: the loser's commit fails with CONFLICT and it tries again.
   */
  static long add(BucketDb db, String title) throws BucketDbException {
    while (true) {
      long next = 1, version = 0;
      Optional<Record> counter = db.getRecord("counters", "todos");
      if (counter.isPresent()) {
        try (Record c = counter.get()) {
          next = c.getUnsignedLong("value") + 1;
          version = c.version();
        }
      }
      try (Batch b = db.batch()) {
        b.update("counters", Map.of("name", "todos", "value", next)).expectVersion(version);
        b.insert("todos",
            Map.of("id", next, "title", title, "done", false, "created", Instant.now()));
        b.commit();
        return next;
      } catch (BucketDbException e) {
        if (e.code() != BucketDbException.Code.CONFLICT) throw e;
      }
    }
  }
}
