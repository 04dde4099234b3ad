package io.bucketdb;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.bucketdb.BucketDbException.Code;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Every call of io.bucketdb and its error paths, on in-process databases. */
public class BucketDbTest {
  static final String ALL =
      "{\"name\":\"all\",\"version\":1,\"fields\":{"
          + "\"id\":{\"typeId\":10,\"maxLength\":36},"
          + "\"u8\":{\"typeId\":1},\"u16\":{\"typeId\":12},\"u32\":{\"typeId\":2},\"u64\":{\"typeId\":3},"
          + "\"i8\":{\"typeId\":13},\"i16\":{\"typeId\":14},\"i32\":{\"typeId\":4},\"i64\":{\"typeId\":5},"
          + "\"b\":{\"typeId\":6},\"f64\":{\"typeId\":7},\"f32\":{\"typeId\":15},\"ts\":{\"typeId\":8},"
          + "\"js\":{\"typeId\":9},\"name\":{\"typeId\":10,\"maxLength\":8},\"blob\":{\"typeId\":11},"
          + "\"raw\":{\"typeId\":16}},\"primaryKey\":\"id\"}";
  static final String USERS =
      "{\"name\":\"users\",\"version\":1,\"fields\":{"
          + "\"id\":{\"typeId\":10,\"maxLength\":36},\"name\":{\"typeId\":10,\"maxLength\":50},"
          + "\"age\":{\"typeId\":1},\"score\":{\"typeId\":7}},\"primaryKey\":\"id\"}";
  static final BigInteger U64_MAX = new BigInteger("18446744073709551615");

  BucketDb db;

  static BucketDb openMemory() throws BucketDbException {
    BucketDb db = BucketDb.open("memory:", new BucketDb.Options().autoMerge(false).logLevel("silent"));
    db.registerSchema(ALL);
    db.registerSchema(USERS);
    return db;
  }

  @Before
  public void setUp() throws BucketDbException {
    db = openMemory();
  }

  @After
  public void tearDown() throws BucketDbException {
    db.close();
  }

  interface Body {
    void run() throws Exception;
  }

  /** Asserts body throws a BucketDbException with code want whose message has every part. */
  static BucketDbException expect(Code want, Body body, String... parts) {
    try {
      body.run();
    } catch (BucketDbException e) {
      assertEquals(e.getMessage(), want, e.code());
      assertEquals(want.value(), e.status());
      for (String p : parts) {
        assertTrue("'" + e.getMessage() + "' lacks '" + p + "'", e.getMessage().contains(p));
      }
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected a BucketDbException " + want + ", got " + e, e);
    }
    throw new AssertionError("expected a BucketDbException " + want + ", got none");
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  long[] seedUsers() throws BucketDbException {
    return new long[] {
      db.insert("users", map("id", "u1", "name", "Alice", "age", 30, "score", 1.5)),
      db.insert("users", map("id", "u2", "name", "Bob", "age", 41)),
      db.insert("users", map("id", "u3", "name", "Carol", "age", 25, "score", 9.0)),
      db.insert("users", map("id", "u4", "name", "Anna", "age", 17, "score", -2.0)),
      db.insert("users", map("id", "u5", "name", "Dave")),
    };
  }

  static List<String> ids(Query q) throws BucketDbException {
    List<String> out = new ArrayList<>();
    try (Query query = q) {
      for (Map<String, Object> row : query.list()) out.add((String) row.get("id"));
    }
    return out;
  }

  // ---- library, codes, open --------------------------------------------------------------------

  // gc lists the bucket, and every list of this store takes 5 s (the faulty: layer's delay):
  // another thread's interrupt stops it; later calls run normally.
  @Test
  public void interruptStopsACallOfAnotherThread() throws Exception {
    try (BucketDb plain = BucketDb.open("memory:java-interrupt")) {
      plain.registerSchema(USERS);
    }
    String slow = "faulty:memory:java-interrupt?faulty.every=1&faulty.ops=list&faulty.action=delay"
        + "&faulty.delay_ms=5000";
    try (BucketDb slowDb = BucketDb.open(slow, new BucketDb.Options().logLevel("silent"))) {
      Thread t = new Thread(() -> {
        try {
          Thread.sleep(200);
          slowDb.interrupt();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      t.start();
      long start = System.nanoTime();
      expect(Code.INTERRUPTED, slowDb::gc, "bdb_db_gc: interrupted");
      t.join();
      assertTrue((System.nanoTime() - start) / 1_000_000 < 2500);
      slowDb.insert("users", map("id", "u1"));
      assertTrue(slowDb.get("users", "u1").isPresent());
    }
  }

  @Test
  public void versions() {
    assertFalse(BucketDb.version().isEmpty());
    assertEquals(BucketDb.headerAbiVersion(), BucketDb.abiVersion());
    assertTrue(BucketDb.abiVersion() >= 1);
  }

  @Test
  public void codesAndTypesMatchTheHeader() {
    int[] header = {
      bdb_status.BDB_E_NOT_FOUND, bdb_status.BDB_E_INVALID, bdb_status.BDB_E_SCHEMA,
      bdb_status.BDB_E_TYPE, bdb_status.BDB_E_JSON, bdb_status.BDB_E_EXISTS,
      bdb_status.BDB_E_CONFLICT, bdb_status.BDB_E_CORRUPT, bdb_status.BDB_E_IO,
      bdb_status.BDB_E_PERMISSION, bdb_status.BDB_E_URI, bdb_status.BDB_E_NOMEM,
      bdb_status.BDB_E_NO_SPACE, bdb_status.BDB_E_BUSY, bdb_status.BDB_E_INTERNAL,
      bdb_status.BDB_E_INTERRUPTED
    };
    Code[] codes = Code.values();
    for (int i = 0; i < header.length; i++) assertEquals(header[i], codes[i].value());
    assertEquals(Code.UNKNOWN, Code.of(99));
    int[] types = {
      bdb_type.BDB_TYPE_UINT8, bdb_type.BDB_TYPE_UINT32, bdb_type.BDB_TYPE_UINT64,
      bdb_type.BDB_TYPE_INT32, bdb_type.BDB_TYPE_INT64, bdb_type.BDB_TYPE_BOOL,
      bdb_type.BDB_TYPE_FLOAT64, bdb_type.BDB_TYPE_TIMESTAMP, bdb_type.BDB_TYPE_JSON,
      bdb_type.BDB_TYPE_VARCHAR, bdb_type.BDB_TYPE_BLOB, bdb_type.BDB_TYPE_UINT16,
      bdb_type.BDB_TYPE_INT8, bdb_type.BDB_TYPE_INT16, bdb_type.BDB_TYPE_FLOAT32,
      bdb_type.BDB_TYPE_BYTES
    };
    FieldType[] ft = FieldType.values();
    for (int i = 0; i < types.length; i++) assertEquals(types[i], ft[i].id());
    assertNull(FieldType.of(0));
    BucketDbException e = new BucketDbException(Code.BUSY, "slow");
    assertEquals("BucketDbException[BUSY]: slow", e.toString());
    UncheckedBucketDbException u = new UncheckedBucketDbException(e);
    assertEquals(Code.BUSY, u.code());
    assertEquals(e, u.getCause());
  }

  @Test
  public void openErrors() {
    expect(Code.URI, () -> BucketDb.open("bogus:whatever"), "bogus");
    expect(Code.URI, () -> BucketDb.open("no-scheme"));
    expect(Code.INVALID, () -> BucketDb.open("memory:", new BucketDb.Options().set("noSuchOption", "1")), "noSuchOption");
    expect(Code.INVALID, () -> BucketDb.open("memory:", new BucketDb.Options().nodeId(999)), "nodeId");
    expect(Code.INVALID, () -> BucketDb.open("memory:", new BucketDb.Options().ringSize(1000)), "ringSize");
    expect(Code.INVALID, () -> BucketDb.open("memory:", new BucketDb.Options().logLevel("loud")), "logLevel");
    expect(Code.INVALID, () -> BucketDb.open(null));
  }

  @Test
  public void optionsAndPrefixes() throws Exception {
    Path dir = Files.createTempDirectory("bdb-java-");
    BucketDb.Options opts =
        new BucketDb.Options().prefix("a").nodeId(3).ringSize(4).autoMerge(false)
            .readStaleness(java.time.Duration.ZERO).logLevel("silent");
    assertEquals("a", opts.asMap().get("dbPrefix"));
    assertEquals("0", opts.asMap().get("readStalenessMs"));
    try (BucketDb a = BucketDb.open("file:" + dir, opts);
        BucketDb b = BucketDb.open("file:" + dir, new BucketDb.Options().prefix("b").logLevel("silent"))) {
      a.registerSchema(USERS);
      a.insert("users", map("id", "x"));
      expect(Code.SCHEMA, () -> b.get("users", "x"), "users");
      assertTrue(Files.isDirectory(dir.resolve("a")));
    }
  }

  @Test
  public void closeIsIdempotentAndFinal() throws Exception {
    seedUsers();
    Batch batch = db.batch();
    Query query = db.query("users");
    Cursor cursor = db.query("users").cursor();
    Record rec = db.getRecord("users", "u1").get();
    assertTrue(db.isOpen());
    db.close();
    db.close();
    assertFalse(db.isOpen());
    expect(Code.INVALID, () -> db.get("users", "u1"), "closed");
    expect(Code.INVALID, () -> db.registerSchema(USERS), "closed");
    expect(Code.INVALID, () -> db.batch(), "closed");
    expect(Code.INVALID, () -> db.query("users"), "closed");
    expect(Code.INVALID, () -> batch.insertJson("users", "{\"id\":\"z\"}"), "database");
    expect(Code.INVALID, () -> batch.commit(), "database");
    expect(Code.INVALID, () -> query.count(), "database");
    expect(Code.INVALID, () -> query.explain(), "database");
    expect(Code.INVALID, () -> cursor.nextRecord(), "database");
    assertEquals("Alice", rec.getString("name")); // records do not depend on the database
    batch.close();
    batch.close();
    query.close();
    cursor.close();
    rec.close();
    rec.close();
    expect(Code.INVALID, () -> batch.clear(), "closed");
    expect(Code.INVALID, () -> query.limit(1), "closed");
    assertNull(cursor.nextRecord());
    expect(Code.INVALID, () -> rec.getString("name"), "closed");
    assertEquals("Record(closed)", rec.toString());
  }

  @Test
  public void schemas() throws Exception {
    db.registerSchema(USERS);
    expect(Code.SCHEMA, () -> db.registerSchema(USERS.replace("\"maxLength\":50", "\"maxLength\":60")), "users");
    expect(Code.JSON, () -> db.registerSchema("{\"name\":"));
    String v2 = USERS.replace("\"version\":1", "\"version\":2")
        .replace("\"score\":{\"typeId\":7}", "\"score\":{\"typeId\":7},\"email\":{\"typeId\":10}");
    db.registerSchema(v2);
    String list = db.schemas();
    assertTrue(list, list.contains("\"all\"") && list.contains("\"users\""));
    try (Record r = db.newRecord("users")) {
      assertEquals(2, r.schemaVersion());
      assertEquals(FieldType.VARCHAR, r.type("email"));
      assertNull(r.type("nope"));
    }
  }

  static Map<String, Object> extremes() {
    return map(
        "id", "max", "u8", 255, "u16", 65535, "u32", 4294967295L, "u64", U64_MAX,
        "i8", -128, "i16", -32768, "i32", Integer.MIN_VALUE, "i64", Long.MIN_VALUE, "b", true,
        "f64", Double.MIN_VALUE, "f32", 3.25f, "ts", Instant.ofEpochMilli(1709251198123L),
        "js", "{\"big\":18446744073709551615,\"list\":[1,\"two\",null]}", "name", "Zoë 😀",
        "raw", new byte[] {0, 1, 2, (byte) 255});
  }

  static void assertRowEquals(Map<String, Object> want, Map<String, Object> got) {
    assertEquals(want.keySet(), got.keySet());
    for (Map.Entry<String, Object> e : want.entrySet()) {
      Object w = e.getValue(), g = got.get(e.getKey());
      if (w instanceof byte[]) assertArrayEquals(e.getKey(), (byte[]) w, (byte[]) g);
      else assertEquals(e.getKey(), w, g);
    }
  }

  @Test
  public void roundTripEveryType() throws Exception {
    long seq = db.insert("all", extremes());
    Map<String, Object> want = extremes();
    // Every integer field comes back as Long, uint64 as BigInteger; floats as Double.
    for (String k : new String[] {"u8", "u16", "i8", "i16", "i32"}) want.put(k, ((Number) want.get(k)).longValue());
    want.put("f32", 3.25);
    assertRowEquals(want, db.get("all", "max").get());
    String json = db.getJson("all", "max").get();
    assertTrue(json, json.contains("\"u64\":18446744073709551615"));
    assertTrue(json, json.contains("\"i64\":-9223372036854775808"));
    assertTrue(json, json.contains("Zoë 😀"));
    try (Record r = db.getRecord("all", "max").get()) {
      assertEquals(seq, r.version());
      assertTrue(r.misc() > 0);
      assertTrue(r.commitTime().isAfter(Instant.parse("2020-01-01T00:00:00Z")));
      assertEquals("all", r.table());
      assertTrue(r.toString().startsWith("Record{"));
    }
    // Other Java values: BigInteger into a signed field, Date, Map and List for json,
    // String for bytes, byte[] for varchar, nulls left out, NaN and infinities.
    db.update("all", map("id", "other", "i64", BigInteger.valueOf(-5), "ts", new java.util.Date(1000),
        "js", map("a", Arrays.asList(1, 2), "n", null), "raw", "text as bytes",
        "name", "bytes".getBytes(), "b", false, "f64", Double.NEGATIVE_INFINITY, "f32", Float.NaN,
        "u8", null, "u64", 0L));
    Map<String, Object> got = db.get("all", "other").get();
    assertEquals(-5L, got.get("i64"));
    assertEquals(Instant.ofEpochMilli(1000), got.get("ts"));
    assertEquals("{\"a\":[1,2],\"n\":null}", got.get("js"));
    assertArrayEquals("text as bytes".getBytes(), (byte[]) got.get("raw"));
    assertEquals("bytes", got.get("name"));
    assertEquals(false, got.get("b"));
    assertEquals(Double.NEGATIVE_INFINITY, got.get("f64"));
    assertTrue(Double.isNaN((Double) got.get("f32")));
    assertFalse(got.containsKey("u8"));
    assertEquals(BigInteger.ZERO, got.get("u64"));
  }

  @Test
  public void mapWriteErrors() throws Exception {
    Object[][] cases = {
      {map("id", "a", "nope", 1), Code.SCHEMA, "nope"},
      {map("id", "a", "u8", 256), Code.TYPE, "u8"},
      {map("id", "a", "u8", -1), Code.TYPE, "u8"},
      {map("id", "a", "u64", U64_MAX.add(BigInteger.ONE)), Code.TYPE, "u64"},
      {map("id", "a", "i64", U64_MAX), Code.TYPE, "i64"},
      {map("id", "a", "u32", 1.5), Code.TYPE, "u32"},
      {map("id", "a", "name", "123456789"), Code.TYPE, "name"},
      {map("id", "a", "b", "yes"), Code.TYPE, "b"},
      {map("id", "a", "js", new Object()), Code.TYPE, "java.lang.Object"},
      {map("id", "a", "js", "{not json"), Code.TYPE, "js"},
      {map("id", "a", "blob", "not-a-uuid"), Code.TYPE, "blob"},
      {map("id", "a", "ts", "yesterday"), Code.TYPE, "ts"},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      Map<String, Object> row = (Map<String, Object>) c[0];
      expect((Code) c[1], () -> db.insert("all", row), (String) c[2]);
    }
    expect(Code.SCHEMA, () -> db.insert("nope", map("id", "a")), "nope");
    try (Query q = db.query("all")) {
      assertEquals(0, q.count());
    }
  }

  @Test
  public void typedAccessors() throws Exception {
    try (Record r = db.newRecord("all")) {
      assertEquals(0, r.version());
      assertEquals(0, r.misc());
      assertFalse(r.has("id"));
      assertEquals(FieldType.UINT8, r.type("u8"));
      assertEquals(17, r.fields().size());
      assertEquals("id", r.fields().get(0));
      r.setString("id", "k1").setUnsignedLong("u64", -1L).setLong("i64", Long.MIN_VALUE)
          .setLong("u8", 7).setBoolean("b", true).setDouble("f64", 0.1).setDouble("f32", 2)
          .setInstant("ts", Instant.ofEpochMilli(-1)).setJson("js", "[1, 2,  3]")
          .setBytes("raw", new byte[0]).set("name", "ok").setJson("i32", "-7")
          .setBlob("blob", "blob bytes".getBytes()).setBigInteger("u32", BigInteger.TEN);
      assertEquals(-1L, r.getUnsignedLong("u64"));
      assertEquals(U64_MAX, r.getBigInteger("u64"));
      assertEquals(BigInteger.valueOf(Long.MIN_VALUE), r.getBigInteger("i64"));
      assertEquals(Long.MIN_VALUE, r.getLong("i64"));
      assertEquals(7, r.getLong("u8"));
      assertTrue(r.getBoolean("b"));
      assertEquals(0.1, r.getDouble("f64"), 0);
      assertEquals(7.0, r.getDouble("u8"), 0);
      assertEquals(Instant.ofEpochMilli(-1), r.getInstant("ts"));
      assertEquals("[1,2,3]", r.getString("js"));
      assertEquals("[1,2,3]", r.getJson("js"));
      assertEquals("18446744073709551615", r.getJson("u64"));
      assertArrayEquals(new byte[0], r.getBytes("raw"));
      assertEquals("ok", r.getString("name"));
      assertEquals(36, r.getBlobId("blob").length());
      assertEquals(10, r.getLong("u32"));
      assertTrue(r.toJson().contains("\"i32\":-7"));
      r.setString("js", "{ \"a\" : 1 }");
      assertEquals("{ \"a\" : 1 }", r.getString("js"));
      // Error paths.
      expect(Code.TYPE, () -> r.getLong("u64"), "u64");
      r.setLong("i32", -1);
      expect(Code.TYPE, () -> r.getUnsignedLong("i32"), "i32");
      expect(Code.TYPE, () -> r.getBoolean("u8"), "u8");
      expect(Code.TYPE, () -> r.getString("u8"), "u8");
      expect(Code.TYPE, () -> r.getBytes("u8"), "u8");
      expect(Code.TYPE, () -> r.getDouble("name"), "name");
      expect(Code.TYPE, () -> r.getBlobId("name"), "name");
      expect(Code.SCHEMA, () -> r.getLong("nope"), "nope");
      r.setNull("u8");
      expect(Code.NOT_FOUND, () -> r.getLong("u8"), "u8");
      expect(Code.NOT_FOUND, () -> r.getBigInteger("u8"), "u8");
      expect(Code.NOT_FOUND, () -> r.getJson("u8"), "u8");
      expect(Code.NOT_FOUND, () -> r.getInstant("u8"), "u8");
      expect(Code.TYPE, () -> r.setUnsignedLong("u8", 256), "u8");
      expect(Code.TYPE, () -> r.setLong("u8", -1), "u8");
      expect(Code.TYPE, () -> r.setDouble("u8", 0.5), "u8");
      expect(Code.TYPE, () -> r.setString("raw", "x"), "raw");
      expect(Code.TYPE, () -> r.setBytes("name", new byte[] {1}), "name");
      expect(Code.TYPE, () -> r.setString("name", "way too long"), "name");
      expect(Code.JSON, () -> r.setJson("js", "{"));
      expect(Code.SCHEMA, () -> r.setBoolean("nope", true), "nope");
      expect(Code.SCHEMA, () -> r.setNull("nope"), "nope");
      expect(Code.SCHEMA, () -> r.set("nope", 1), "nope");
      expect(Code.TYPE, () -> r.setBlob("name", new byte[] {1}), "name");
      long seq = db.update("all", map("id", "k0"));
      try (Batch b = db.batch()) {
        b.update(r);
        long seq2 = b.commit();
        assertTrue(seq2 > seq);
        try (Record got = db.getRecord("all", "k1").get()) {
          assertEquals(seq2, got.version());
          assertFalse(got.has("u8"));
          assertArrayEquals("blob bytes".getBytes(), db.readBlob(got.getBlobId("blob")));
        }
      }
    }
  }

  @Test
  public void keysAndGets() throws Exception {
    for (String k : new String[] {"\"quoted\"", "", "42", "with space", "ünï 😀"}) {
      db.insert("users", map("id", k, "name", "n"));
      assertEquals(k, db.get("users", k).get().get("id"));
      assertTrue(db.getJson("users", k).get().contains("\"name\":\"n\""));
    }
    assertFalse(db.get("users", "missing").isPresent());
    assertFalse(db.getJson("users", "missing").isPresent());
    assertFalse(db.getRecord("users", "missing").isPresent());
    expect(Code.SCHEMA, () -> db.get("nope", "x"), "nope");
    expect(Code.SCHEMA, () -> db.getJson("nope", "x"), "nope");
    expect(Code.TYPE, () -> db.get("users", new Object()));
    expect(Code.TYPE, () -> db.getJson("users", new Object()));
    // bucketdb.h reads unquoted key text of a varchar key verbatim: 42 is the key "42".
    assertEquals("42", db.get("users", 42).get().get("id"));
    try (Record k = db.newRecord("users")) {
      k.setString("id", "42");
      try (Record row = db.lookup(k).get()) {
        assertEquals("n", row.getString("name"));
      }
    }
    Record closed = db.keyRecord("users", "42");
    closed.close();
    expect(Code.INVALID, () -> db.lookup(closed), "closed");
    expect(Code.TYPE, () -> db.recordFromJson("users", "{\"id\":\"j\",\"age\":300}"), "age");
    expect(Code.JSON, () -> db.recordFromJson("users", "{\"id\":"));
    try (Record j = db.recordFromJson("users", "{\"id\":\"j\",\"age\":3}")) {
      assertEquals(map("id", "j", "age", 3L), j.toMap());
    }
    expect(Code.TYPE, () -> db.record("users", map("id", "x", "age", "old")), "age");
    expect(Code.SCHEMA, () -> db.record("nope", map()));
  }

  @Test
  public void batches() throws Exception {
    try (Batch b = db.batch()) {
      b.insert("users", map("id", "a", "name", "A", "age", 1))
          .insertJson("users", "{\"id\":\"b\",\"name\":\"B\",\"age\":2}")
          .updateJson("users", "{\"id\":\"c\",\"name\":\"C\",\"age\":3}")
          .update("users", map("id", "d", "name", "D"));
      assertEquals(4, b.size());
      long seq1 = b.commit();
      assertEquals(0, b.size());
      try (Record kd = db.keyRecord("users", "d")) {
        b.patch("users", map("id", "a", "age", 10)).expectVersion(seq1)
            .patchJson("users", "{\"id\":\"b\",\"name\":\"Bee\"}")
            .delete("users", "c").expectVersion(seq1)
            .delete(kd)
            .deleteKeyText("users", "absent");
        b.commit();
      }
      List<Map<String, Object>> rows = db.query("users").list();
      assertEquals(Arrays.asList(map("id", "a", "name", "A", "age", 10L), map("id", "b", "name", "Bee", "age", 2L)), rows);
      // A failed precondition applies nothing; the batch keeps its operations.
      b.patch("users", map("id", "a", "age", 11)).expectVersion(seq1).insert("users", map("id", "new"));
      expect(Code.CONFLICT, b::commit, "users");
      assertEquals(2, b.size());
      b.clear();
      assertEquals(0, b.size());
      b.update("users", map("id", "a")).expectVersion(0);
      expect(Code.CONFLICT, b::commit);
      b.clear();
      expect(Code.EXISTS, () -> db.insert("users", map("id", "a")), "a");
      expect(Code.NOT_FOUND, () -> db.patch("users", map("id", "missing", "age", 1)), "missing");
      expect(Code.INVALID, () -> b.expectVersion(1), "no operation");
      expect(Code.JSON, () -> b.insertJson("users", "{\"id\":"));
      expect(Code.SCHEMA, () -> b.insertJson("nope", "{}"), "nope");
      expect(Code.SCHEMA, () -> b.delete("nope", "x"), "nope");
      expect(Code.TYPE, () -> b.delete("users", new Object()));
      expect(Code.TYPE, () -> b.insert("users", map("id", "x", "age", -1)), "age");
      Record closed = db.newRecord("users");
      closed.close();
      expect(Code.INVALID, () -> b.insert(closed), "closed");
      try (Record d = db.record("users", map("id", "t", "name", "T"))) {
        b.insert(d);
        long seq3 = b.commit();
        d.set("age", 5);
        b.patch(d).expectVersion(seq3);
        b.commit();
      }
      assertEquals(5L, db.get("users", "t").get().get("age"));
      db.update("users", map("id", "t", "name", "T2"));
      db.delete("users", "t");
      assertFalse(db.get("users", "t").isPresent());
      b.delete("users", "never-there");
      assertTrue(b.commit() > 0);
      b.commit(); // empty
    }
    Batch b = db.batch();
    b.close();
    expect(Code.INVALID, () -> b.insert("users", map("id", "late")), "closed");
    expect(Code.INVALID, b::commit, "closed");
    expect(Code.INVALID, b::size, "closed");
  }

  @Test
  public void pageTokens() throws Exception {
    seedUsers();
    List<String> walked = new ArrayList<>();
    String token = "";
    for (int page = 0; page < 4; page++) {
      try (Query q = db.query("users").orderBy("age").limit(2).after(token);
          Cursor c = q.cursor()) {
        int n = 0;
        for (Map<String, Object> row : c.maps()) {
          walked.add((String) row.get("id"));
          n++;
        }
        String next = c.pageToken(); // readable after the cursor closed itself
        if (n == 0) assertEquals(token, next);
        token = next;
      }
    }
    assertEquals(Arrays.asList("u5", "u4", "u3", "u1", "u2"), walked);
    try (Query q = db.query("users");
        Cursor c = q.cursor()) {
      assertEquals("", c.pageToken());
    }
    try (Query q = db.query("users")) {
      expect(Code.INVALID, () -> q.after("not a token!"), "page token");
      q.after(token);
      expect(Code.INVALID, q::count, "ordered by age");
      q.after(null).orderBy("age");
      assertEquals(5, q.count());
    }
  }

  @Test
  public void queries() throws Exception {
    long[] seqs = seedUsers();
    Object[][] cases = {
      {db.query("users"), "u1 u2 u3 u4 u5"},
      {db.query("users").where("age", "=", 30), "u1"},
      {db.query("users").where("age", "!=", 30), "u2 u3 u4"},
      {db.query("users").where("age", "<", 25), "u4"},
      {db.query("users").where("age", "<=", 25), "u3 u4"},
      {db.query("users").where("age", ">", 30), "u2"},
      {db.query("users").where("age", ">=", 30), "u1 u2"},
      {db.query("users").where("name", "in", Arrays.asList("Bob", "Dave", "Zed")), "u2 u5"},
      {db.query("users").where("age", "in", new int[] {17, 41}), "u2 u4"},
      {db.query("users").where("age", "in", new Object[0]), ""},
      {db.query("users").where("name", "prefix", "A"), "u1 u4"},
      {db.query("users").where("score", "isnull", null), "u2 u5"},
      {db.query("users").where("age", "notnull", "ignored"), "u1 u2 u3 u4"},
      {db.query("users").where("name", "prefix", "A").where("age", ">", 20), "u1"},
      {db.query("users").where("score", ">", -1.5).where("score", "<", 2), "u1"},
      {db.query("users").orderBy("age"), "u5 u4 u3 u1 u2"},
      {db.query("users").orderBy("age", true), "u2 u1 u3 u4 u5"},
      {db.query("users").orderBy("id", true).limit(2), "u5 u4"},
      {db.query("users").orderBy("age", true).offset(1).limit(2), "u1 u3"},
      {db.query("users").offset(10), ""},
      {db.query("users").asOf(seqs[1]), "u1 u2"},
      {db.query("users").asOf(seqs[0]).where("age", ">", 0), "u1"},
      {db.query("users").where("age", "=", 30).or().where("name", "prefix", "A"), "u1 u4"},
      {db.query("users").where("age", ">", 30).or().where("score", "isnull", null), "u2 u5"},
    };
    for (Object[] c : cases) {
      assertEquals(c[1], String.join(" ", ids((Query) c[0])));
    }
    try (Query q = db.query("users")) {
      expect(Code.INVALID, () -> q.or(), "before it");
      q.where("age", "=", 30).or();
      expect(Code.INVALID, () -> q.count(), "after it");
    }
    try (Query q = db.query("users").select("name").where("id", "=", "u1")) {
      assertEquals(Arrays.asList(map("id", "u1", "name", "Alice")), q.list());
    }
    try (Query q = db.query("users").where("age", "notnull", null)) {
      assertEquals(4, q.count());
      q.offset(1).limit(2);
      assertEquals(2, q.count());
      assertEquals(2, q.count());
    }
    Instant at;
    try (Record r = db.getRecord("users", "u1").get()) {
      at = r.commitTime();
    }
    db.delete("users", "u1");
    assertEquals("u1", String.join(" ", ids(db.query("users").asOfTime(at).where("id", "=", "u1"))));
    assertEquals("", String.join(" ", ids(db.query("users").where("id", "=", "u1"))));
    expect(Code.SCHEMA, () -> db.query("nope"), "nope");
    try (Query q = db.query("users")) {
      expect(Code.SCHEMA, () -> q.where("nope", "=", 1), "nope");
      expect(Code.INVALID, () -> q.where("age", "~", 1), "~");
      expect(Code.TYPE, () -> q.where("age", "=", "x"), "age");
      expect(Code.TYPE, () -> q.where("age", "in", 5), "array");
      expect(Code.TYPE, () -> q.where("age", "=", new Object()));
      expect(Code.SCHEMA, () -> q.orderBy("nope"), "nope");
      expect(Code.SCHEMA, () -> q.select("nope"), "nope");
    }
    // History no longer retained.
    try (BucketDb s = BucketDb.open("memory:", new BucketDb.Options().set("gcGraceMs", "0").autoMerge(false))) {
      s.registerSchema(USERS);
      long old = s.insert("users", map("id", "a"));
      s.update("users", map("id", "a", "age", 2));
      assertTrue(s.merge() > 0);
      s.gc();
      try (Query q = s.query("users").asOf(old)) {
        expect(Code.NOT_FOUND, q::count, "retained");
        expect(Code.NOT_FOUND, q::cursor, "retained");
      }
    }
    // Explain: a primary-key lookup, or a scan of a field without an index.
    try (Query q = db.query("users").where("id", "=", "u2")) {
      assertTrue(q.explain(), q.explain().contains("primary key"));
    }
    try (Query q = db.query("users").where("age", ">", 1)) {
      assertTrue(q.explain(), q.explain().contains("full scan"));
    }
    Query closed = db.query("users");
    closed.close();
    expect(Code.INVALID, closed::count, "closed");
    expect(Code.INVALID, closed::cursor, "closed");
    expect(Code.INVALID, closed::list, "closed");
    expect(Code.INVALID, closed::explain, "closed");
  }

  @Test
  public void cursors() throws Exception {
    seedUsers();
    List<String> names = new ArrayList<>();
    List<Long> ages = new ArrayList<>();
    List<Record> kept = new ArrayList<>();
    try (Cursor c = db.query("users").where("age", ">=", 18).orderBy("age", true).cursor()) {
      for (Record r : c) {
        names.add(r.getString("name"));
        ages.add(r.getLong("age"));
        kept.add(r);
      }
      assertNull(c.nextRecord());
      assertFalse(c.iterator().hasNext());
    }
    assertEquals(Arrays.asList("Bob", "Alice", "Carol"), names);
    assertEquals(Arrays.asList(41L, 30L, 25L), ages);
    assertEquals("Bob", kept.get(0).getString("name")); // records outlive their cursor
    for (Record r : kept) r.close();
    try (Cursor c = db.query("users").select("age").cursor()) {
      List<Map<String, Object>> maps = new ArrayList<>();
      for (Map<String, Object> m : c.maps()) maps.add(m);
      assertEquals(5, maps.size());
      assertEquals(map("id", "u1", "age", 30L), maps.get(0));
      assertEquals(map("id", "u5"), maps.get(4));
      Iterator<Record> it = c.iterator();
      assertFalse(it.hasNext());
      try {
        it.next();
        fail();
      } catch (NoSuchElementException expected) {
        // at the end
      }
    }
    // A cursor reads the database as of its creation; closing early is fine.
    try (Cursor c = db.query("users").cursor()) {
      db.insert("users", map("id", "u0"));
      Map<String, Object> first = c.nextMap();
      assertEquals("u1", first.get("id"));
    }
    // Errors inside a for-each loop come out unchecked.
    Cursor c = db.query("users").cursor();
    db.close();
    try {
      for (Record r : c) fail("a row from a closed database: " + r);
      fail("no error");
    } catch (UncheckedBucketDbException e) {
      assertEquals(Code.INVALID, e.code());
    }
    c.close();
  }

  @Test
  public void blobs() throws Exception {
    byte[] big = new byte[300000];
    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 7);
    db.insert("all", map("id", "b1", "blob", big));
    Map<String, Object> row = db.get("all", "b1").get();
    String id = (String) row.get("blob");
    assertArrayEquals(big, db.readBlob(id));
    row.put("u8", 1);
    db.update("all", row);
    assertEquals(id, db.get("all", "b1").get().get("blob"));
    expect(Code.TYPE, () -> db.insert("all", map("id", "b2", "blob", id)), "blob", "one row");
    db.insert("all", map("id", "b3", "blob", new byte[0]));
    assertArrayEquals(new byte[0], db.readBlob((String) db.get("all", "b3").get().get("blob")));
    expect(Code.NOT_FOUND, () -> db.readBlob("00000000-0000-0000-0000-000000000000"));
    expect(Code.INVALID, () -> db.readBlob("not a uuid"));
  }

  @Test
  public void maintenance() throws Exception {
    seedUsers();
    assertEquals(7, db.merge()); // two schemas and five inserts
    assertEquals(0, db.merge());
    assertTrue(db.gc() >= 0);
    for (String what : new String[] {"block0", "log", "blocks"}) {
      String json = db.inspect(what);
      assertTrue(json, json.startsWith("{") || json.startsWith("["));
    }
    expect(Code.INVALID, () -> db.inspect("nope"), "nope");
    assertTrue(db.stats().startsWith("{"));
    db.refresh();
    try (Query q = db.query("users")) {
      assertEquals(5, q.count());
    }
  }

  @Test
  public void driverCheck() throws Exception {
    // A named memory store: every handle the checks open must see the same objects.
    String report = BucketDb.driverCheck("memory:driver-check");
    assertTrue(report, report.contains("\"driver\":\"memory\""));
    assertTrue(report, report.contains("\"checks\":[{"));
    expect(Code.URI, () -> BucketDb.driverCheck("bogus:whatever"), "bogus");
  }

  @Test
  public void rows() throws Exception {
    Map<String, Object> in = extremes();
    Row row;
    try (Record r = db.record("all", in)) {
      row = r.toRow();
      assertEquals(1, row.version());
      assertTrue(row.fixed().length > 0 && row.heap().length > 0);
      try (Record back = db.recordFromRow("all", row)) {
        assertEquals(r.toJson(), back.toJson());
      }
    }
    try {
      db.recordFromRow("all", new Row(1, new byte[] {1, 2, 3}, new byte[0])).close();
      fail("a truncated row decoded");
    } catch (BucketDbException expected) {
      // the code is the library's business
    }
    expect(Code.SCHEMA, () -> db.recordFromRow("all", new Row(9, row.fixed(), row.heap())));
    expect(Code.SCHEMA, () -> db.recordFromRow("nope", row), "nope");
  }

  /** One database shared by threads, closed while they run: calls work or fail with INVALID. */
  @Test
  public void concurrentUseAndClose() throws Exception {
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int g = 0; g < 4; g++) {
      final int id = g;
      Thread t = new Thread(() -> {
        try {
          for (int i = 0; i < 200; i++) {
            db.update("users", map("id", "t" + id + "-" + (i % 10), "age", i % 200));
            try (Query q = db.query("users").where("age", ">=", 0)) {
              q.count();
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    Thread.sleep(20);
    db.close();
    for (Thread t : threads) t.join();
    for (Throwable e : errors) {
      assertTrue(e.toString(), e instanceof BucketDbException);
      assertEquals(Code.INVALID, ((BucketDbException) e).code());
    }
  }

  @Test
  public void dropsVerifyExportImportAndProgress() throws Exception {
    seedUsers();
    db.registerSchema(
        USERS.replace("\"version\":1", "\"version\":2")
            .replace("\"primaryKey\"", "\"indexes\":[\"age\"],\"primaryKey\""));
    db.dropIndex("users", "age");
    assertTrue(db.schemas(), db.schemas().contains("\"version\":3"));
    expect(Code.SCHEMA, () -> db.dropIndex("users", "age"), "age");
    db.merge();
    assertTrue(db.verify(), db.verify().contains("\"ok\":true"));
    Path dir = Files.createTempDirectory("bdb-java-admin");
    String dump = dir.resolve("dump.ndjson").toString();
    assertEquals(5, db.exportTo(dump));
    ConcurrentLinkedQueue<String> tasks = new ConcurrentLinkedQueue<>();
    try (BucketDb copy =
        BucketDb.open(
            "file:" + dir.resolve("copy"),
            new BucketDb.Options().logLevel("silent").progress((t, d, n) -> tasks.add(t)))) {
      assertEquals(5, copy.importFrom(dump, 2));
      assertEquals(db.get("users", "u2"), copy.get("users", "u2"));
      expect(Code.EXISTS, () -> copy.importFrom(dump, 0), "line");
      assertEquals(5, copy.importFrom(dump, 0, BucketDb.ImportOption.UPSERT));
      assertTrue(copy.verify().contains("\"ok\":true"));
    }
    assertTrue(tasks.toString(), tasks.contains("import") && tasks.contains("verify"));
    db.dropTable("users");
    expect(Code.SCHEMA, () -> db.get("users", "u1"), "users");
    expect(Code.SCHEMA, () -> db.dropTable("users"), "users");
  }

  @Test
  public void expectExistsAndThenBy() throws Exception {
    seedUsers();
    try (Batch b = db.batch()) {
      b.delete("users", "u1").delete("users", "zzz").expectExists();
      expect(Code.NOT_FOUND, b::commit, "users", "zzz");
    }
    assertTrue(db.get("users", "u1").isPresent());
    db.insert("users", map("id", "u6", "name", "Anna", "age", 3));
    assertEquals(
        Arrays.asList("u1", "u4", "u6", "u2", "u3", "u5"),
        ids(db.query("users").orderBy("name").thenBy("age", true)));
    expect(Code.INVALID, () -> db.query("users").orderBy("name").thenBy("name"), "name");
  }

  @Test
  public void nativeLibraryIsLoadedByThePackage() {
    assertEquals("bucketdb_java", NativeLoader.NAME);
    NativeLoader.load(); // idempotent
  }

  @Test
  public void nativeCodeComesFromTheJar() throws Exception {
    // The tests run with -cp alone: the JNI library, libbucketdb and the plugins were
    // extracted from bucketdb.jar into the cache folder (extract() finds them there now).
    Path dir = NativeLoader.extract();
    assertNotNull("bucketdb.jar has no native code for " + NativeLoader.platform(), dir);
    assertTrue(dir.startsWith(System.getProperty("io.bucketdb.cache")));
    for (String f : new String[] {"libbucketdb_java.so", "libbucketdb.so.0"}) {
      assertTrue(f, Files.isRegularFile(dir.resolve(f)));
    }
    // The one-file build's jar (bindings.java says which) carries no driver plugin: memory: and
    // file: are served by the library itself.
    boolean onefile = Boolean.getBoolean("io.bucketdb.test.onefile");
    List<String> plugins = new ArrayList<>();
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("bucketdb-driver-"))
          .forEach(plugins::add);
    }
    if (onefile) assertEquals(new ArrayList<String>(), plugins);
    else assertTrue(plugins.toString(), plugins.contains("bucketdb-driver-file.so"));
  }
}
