package io.bucketdb;

import static io.bucketdb.BucketDbTest.USERS;
import static io.bucketdb.BucketDbTest.expect;
import static io.bucketdb.BucketDbTest.map;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.bucketdb.BucketDbException.Code;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.Test;

/**
 * Opening and closing: creating or not, read-only handles, a close that reports its failed
 * merge, lossy schema versions and schema arrays, recovery of a lost Block 0, and the engine's
 * log through a System.Logger.
 */
public class LifecycleTest {
  static final AtomicInteger NAMES = new AtomicInteger();

  static BucketDb.Options quiet() {
    return new BucketDb.Options().logLevel("silent");
  }

  @Test
  public void createIfMissingAndReadOnly() throws Exception {
    String uri = "file:" + Files.createTempDirectory("bdb-java-ro-");
    expect(Code.NOT_FOUND, () -> BucketDb.open(uri, quiet().createIfMissing(false)), "no database");
    expect(Code.NOT_FOUND, () -> BucketDb.open(uri, quiet().readOnly(true)), "no database");
    try (BucketDb db = BucketDb.open(uri, quiet())) { // created
      db.registerSchema(USERS);
      db.insert("users", map("id", "u1", "age", 7));
    }
    try (BucketDb ro = BucketDb.open(uri, quiet().readOnly(true))) {
      assertEquals(7L, ro.get("users", "u1").get().get("age"));
      expect(Code.INVALID, () -> ro.insert("users", map("id", "u2")), "read-only");
      expect(Code.INVALID, () -> ro.registerSchema(USERS.replace("\"users\"", "\"others\"")), "read-only");
      expect(Code.INVALID, () -> ro.merge(), "read-only");
      expect(Code.INVALID, () -> ro.gc(), "read-only");
    }
  }

  @Test
  public void maxRequestsInFlight() throws Exception {
    expect(Code.INVALID, () -> BucketDb.open("memory:", quiet().maxRequestsInFlight(2000)), "maxRequestsInFlight");
    try (BucketDb db = BucketDb.open("memory:", quiet().maxRequestsInFlight(1))) {
      db.registerSchema(USERS);
      db.insert("users", map("id", "a"));
    }
  }

  /** A memory store of its own with two rows, and that store with every put failing. */
  static String[] failingMerge() throws BucketDbException {
    String plain = "memory:java-close-" + NAMES.incrementAndGet();
    try (BucketDb db = BucketDb.open(plain, quiet())) {
      db.registerSchema(USERS);
      db.insert("users", map("id", "a", "age", 1));
      db.insert("users", map("id", "b", "age", 2));
    }
    return new String[] {plain, "faulty:" + plain + "?faulty.ops=put&faulty.every=1&faulty.status=io"};
  }

  static BucketDb.Options mergeDue(BucketDb.Options o) {
    return o.set("mergeThresholdEntries", "1").set("writeForwardInterval", "60000");
  }

  @Test
  public void closeThrowsAFailedMergeAndLosesNothing() throws Exception {
    String[] uris = failingMerge();
    BucketDb db = BucketDb.open(uris[1], mergeDue(quiet()));
    expect(Code.IO, db::close, "merge at close failed", "injected");
    assertFalse(db.isOpen());
    db.close(); // closing again is harmless
    expect(Code.INVALID, () -> db.get("users", "a"), "closed");
    try (BucketDb again = BucketDb.open(uris[0], quiet())) {
      assertEquals(2L, again.get("users", "b").get().get("age"));
    }
  }

  /** A System.Logger that keeps what it is given. */
  static class Captured implements System.Logger {
    final List<String> lines = new ArrayList<>();
    final Level min;

    Captured(Level min) {
      this.min = min;
    }

    @Override
    public String getName() {
      return "captured";
    }

    @Override
    public boolean isLoggable(Level level) {
      return level.getSeverity() >= min.getSeverity();
    }

    @Override
    public synchronized void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(level + " " + msg);
    }

    @Override
    public synchronized void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(level + " " + format);
    }

    synchronized boolean has(String part) {
      return lines.stream().anyMatch(l -> l.contains(part));
    }
  }

  @Test
  public void engineLogGoesToTheSystemLogger() throws Exception {
    Captured c = new Captured(System.Logger.Level.ALL);
    String noConditions = "faulty:memory:?faulty.conditional=0";
    BucketDb.open(noConditions, new BucketDb.Options().logger(c)).close();
    assertTrue(c.lines.toString(), c.has("WARNING engine: storage faulty:memory:"));
    Captured errorsOnly = new Captured(System.Logger.Level.ERROR);
    BucketDb.open(noConditions, new BucketDb.Options().logger(errorsOnly)).close();
    assertTrue(errorsOnly.lines.toString(), errorsOnly.lines.isEmpty());
    // A logger that throws does not fail the library.
    System.Logger throwing =
        new Captured(System.Logger.Level.ALL) {
          @Override
          public synchronized void log(Level l, ResourceBundle b, String f, Object... p) {
            throw new IllegalStateException("boom");
          }
        };
    BucketDb.open(noConditions, new BucketDb.Options().logger(throwing)).close();
  }

  @Test
  public void forgottenDatabaseLogsItsFailedMerge() throws Exception {
    Captured c = new Captured(System.Logger.Level.ERROR);
    String[] uris = failingMerge();
    Supplier<Object> open =
        () -> {
          try {
            return BucketDb.open(uris[1], mergeDue(new BucketDb.Options().logger(c)));
          } catch (BucketDbException e) {
            throw new AssertionError(e);
          }
        };
    open.get(); // dropped at once
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!c.has("merge: merge at close failed") && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertTrue(c.lines.toString(), c.has("ERROR merge: merge at close failed"));
  }

  @Test
  public void lossyVersionsAndSchemaArrays() throws Exception {
    try (BucketDb db = BucketDbTest.openMemory()) {
      db.insert("users", map("id", "u1", "name", "Alice", "score", 2.5));
      String noScore =
          USERS.replace("\"version\":1", "\"version\":2").replace(",\"score\":{\"typeId\":7}", "");
      expect(Code.SCHEMA, () -> db.registerSchema(noScore), "score");
      db.registerSchema(noScore, BucketDb.SchemaOption.ALLOW_LOSSY);
      assertEquals(map("id", "u1", "name", "Alice"), db.get("users", "u1").get());

      String a = "{\"name\":\"a\",\"version\":1,\"fields\":{\"k\":{\"typeId\":10}},\"primaryKey\":\"k\"}";
      String bad = a.replace("\"a\"", "\"b\"").replace("10", "99");
      expect(Code.SCHEMA, () -> db.registerSchema("[" + a + "," + bad + "]"));
      expect(Code.SCHEMA, () -> db.newRecord("a"), "a");
      db.registerSchema("[" + a + "," + bad.replace("99", "10") + "]");
      db.newRecord("a").close();
      db.newRecord("b").close();
    }
  }

  @Test
  public void recoverALostBlock0() throws Exception {
    Path dir = Files.createTempDirectory("bdb-java-recover-");
    String uri = "file:" + dir;
    try (BucketDb db = BucketDb.open(uri, quiet().autoMerge(false))) {
      db.registerSchema(USERS);
      db.insert("users", map("id", "u1", "age", 30));
      db.merge();
      db.insert("users", map("id", "u2", "age", 40));
    }
    Files.delete(dir.resolve("main").resolve("block0"));
    expect(Code.CORRUPT, () -> BucketDb.open(uri, quiet()), "Block 0 missing");
    Map<String, Object> report = BucketDb.recover(uri, quiet());
    assertEquals("missing", report.get("block0"));
    assertEquals(Boolean.FALSE, report.get("written"));
    @SuppressWarnings("unchecked")
    Map<String, Object> log = (Map<String, Object>) report.get("log");
    assertTrue(report.toString(), (Long) log.get("entries") >= 1);
    report = BucketDb.recover(uri, quiet(), USERS, BucketDb.RecoverOption.WRITE);
    assertEquals(report.toString(), Boolean.TRUE, report.get("written"));
    try (BucketDb db = BucketDb.open(uri, quiet())) {
      assertEquals(30L, db.get("users", "u1").get().get("age"));
      assertEquals(40L, db.get("users", "u2").get().get("age"));
    }
    expect(Code.URI, () -> BucketDb.recover("bogus:x", quiet()), "bogus");
  }

  @Test
  public void jsonReader() throws Exception {
    Object v = Json.parse(" {\"a\":[1,-2,18446744073709551615,1.5e3,true,false,null],\"s\":\"\\u00e9\\n\\\"x\"} ");
    assertEquals(
        map("a", java.util.Arrays.asList(1L, -2L, new BigInteger("18446744073709551615"), 1500.0, true, false, null), "s", "é\n\"x"),
        v);
    expect(Code.INTERNAL, () -> Json.parse("{\"a\":}"));
    expect(Code.INTERNAL, () -> Json.parse("[1,2"));
    expect(Code.INTERNAL, () -> Json.parse("1 2"));
  }
}
