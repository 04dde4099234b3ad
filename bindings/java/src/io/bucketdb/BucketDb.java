package io.bucketdb;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An open BucketDB database: an embedded document database whose durable state lives in object
 * storage (S3 and compatibles, or a local directory).
 *
 * <pre>{@code
 * try (BucketDb db = BucketDb.open("file:./data")) {
 *   db.registerSchema(schemaJson);
 *   long seq = db.update("users", Map.of("id", "u1", "age", 30));
 *   Optional<Map<String, Object>> user = db.get("users", "u1");
 *   try (Cursor c = db.query("users").where("age", ">=", 18).orderBy("age", true).cursor()) {
 *     for (Record r : c) System.out.println(r.getString("id") + " " + r.getLong("age"));
 *   }
 * }
 * }</pre>
 *
 * <p>A BucketDb is safe to share between threads; a {@link Batch}, {@link Query}, {@link
 * Cursor} or {@link Record} belongs to one thread at a time. Every failure is a {@link
 * BucketDbException} with the library's code and message. {@code close()} releases the native
 * resources at once; what a program forgets to close is released once it is unreachable (a
 * {@link java.lang.ref.Cleaner}), children before their database whatever order that happens
 * in.
 */
public final class BucketDb implements AutoCloseable {
  final NativeDatabase n;
  private final Map<String, TableInfo> tables = new ConcurrentHashMap<>();

  /** Options for {@link #open(String, Options)}; names as in bucketdb.h. */
  public static final class Options {
    private final Map<String, String> values = new LinkedHashMap<>();

    /** Sets any option by its bucketdb.h name, e.g. {@code set("gcGraceMs", "60000")}. */
    public Options set(String name, String value) {
      values.put(name, value);
      return this;
    }

    /** dbPrefix: root of this database in the bucket (default "main"). */
    public Options prefix(String prefix) {
      return set("dbPrefix", prefix);
    }

    public Options nodeId(int id) {
      return set("nodeId", Integer.toString(id));
    }

    public Options ringSize(int size) {
      return set("ringSize", Integer.toString(size));
    }

    /** autoMerge: merge in the background (default) or only on {@link #merge()}. */
    public Options autoMerge(boolean on) {
      return set("autoMerge", on ? "1" : "0");
    }

    /** readStalenessMs: how old a read's view may be; zero checks the log before every read. */
    public Options readStaleness(Duration d) {
      return set("readStalenessMs", Long.toString(d.toMillis()));
    }

    /** logLevel: debug, info, warn, error or silent. */
    public Options logLevel(String level) {
      return set("logLevel", level);
    }

    /**
     * createIfMissing: opening a database that does not exist creates it (the default here, as
     * {@code sqlite3} does); {@code false} makes it fail with {@code NOT_FOUND} instead.
     */
    public Options createIfMissing(boolean create) {
      return set("createIfMissing", create ? "1" : "0");
    }

    /**
     * readOnly: a handle that sends only GETs and LISTs and never creates anything; commits,
     * schema registration, merge and gc fail with {@code INVALID}.
     */
    public Options readOnly(boolean readOnly) {
      return set("readOnly", readOnly ? "1" : "0");
    }

    /**
     * maxRequestsInFlight: storage requests kept in flight at once for read-ahead, merges, log
     * catch-up and collection (1 to 1024, default 64).
     */
    public Options maxRequestsInFlight(int n) {
      return set("maxRequestsInFlight", Integer.toString(n));
    }

    /**
     * The database's log lines (engine and drivers alike, filtered by logLevel) go to {@code
     * logger} instead of stderr, as "SUBSYSTEM: message" at DEBUG, INFO, WARNING or ERROR, from
     * the library's own threads. {@code null} restores stderr.
     */
    public Options logger(System.Logger logger) {
      this.logger = logger;
      return this;
    }

    /**
     * The progress of long work (task "merge TABLE", "gc", "verify", "export" or "import", done
     * of total, total 0 when not known yet) goes to {@code progress}, from the thread doing the
     * work; it must return quickly. {@code null}: none.
     */
    public Options progress(Progress progress) {
      this.progress = progress;
      return this;
    }

    public Map<String, String> asMap() {
      return Collections.unmodifiableMap(values);
    }

    private System.Logger logger;
    private Progress progress;

    /** The shim's options; the caller deletes them. */
    NativeOptions toNative() throws BucketDbException {
      NativeOptions o = new NativeOptions();
      try {
        for (Map.Entry<String, String> e : values.entrySet()) o.set(e.getKey(), e.getValue());
        if (logger != null) o.setLogger(new LogBridge(logger));
        if (progress != null) o.setProgress(new ProgressBridge(progress));
        return o;
      } catch (BucketDbException | RuntimeException e) {
        o.delete();
        throw e;
      }
    }
  }

  /** Receives the progress of long work (see {@link Options#progress}). */
  @FunctionalInterface
  public interface Progress {
    void report(String task, long done, long total);
  }

  /** How {@link #importFrom} treats rows whose key exists. */
  public enum ImportOption {
    /** Replace them (otherwise the import fails with {@code EXISTS}). */
    UPSERT
  }

  /** How {@link #registerSchema(String, SchemaOption...)} treats a new version of a table. */
  public enum SchemaOption {
    /**
     * Register a version that drops a field, narrows a maxLength or changes a type in a way
     * some value could not survive (refused with {@code SCHEMA} otherwise): reads convert what
     * fits and null the rest. The primary key never changes.
     */
    ALLOW_LOSSY
  }

  /** What {@link #recover} may do beyond reporting. */
  public enum RecoverOption {
    /** Rebuild what is missing (a lost Block 0) from what remains, creating only absent objects. */
    WRITE,
    /** With WRITE: give up missing log entries for good (each becomes an empty entry). */
    ACCEPT_LOST_ENTRIES
  }

  private BucketDb(NativeDatabase n) {
    this.n = n;
    // close() frees the database itself; the shim's small shell goes once n is unreachable.
    Native.track(n, NativeDatabase.getCPtr(n), BucketDbNativeJNI::delete_NativeDatabase);
  }

  /**
   * Opens the database at {@code uri}: "file:PATH", "memory:", "memory:NAME", "s3://...",
   * "plugin:/path/driver.so?config", or any "scheme:..." whose driver plugin is installed.
   */
  public static BucketDb open(String uri) throws BucketDbException {
    return open(uri, new Options());
  }

  public static BucketDb open(String uri, Options options) throws BucketDbException {
    NativeOptions o = options.toNative();
    try {
      return new BucketDb(new NativeDatabase(uri, o));
    } finally {
      o.delete();
    }
  }

  /**
   * Examines the database at {@code uri} (under the options' prefix) without opening it, as
   * SQLite's .recover does, and returns the report: "block0" ("present" or "missing"), "log"
   * ({"entries", "first", "last", "missing"}), "tables", "problems", "actions" and "written"
   * (numbers as Long). {@link RecoverOption#WRITE} rebuilds a lost Block 0 from what remains;
   * {@code schemasJson} (one schema or an array, or null) describes tables no remaining log
   * entry registers. Throws {@code CORRUPT}, writing nothing, when a problem stands in the way.
   */
  public static Map<String, Object> recover(
      String uri, Options options, String schemasJson, RecoverOption... flags)
      throws BucketDbException {
    int f = 0;
    for (RecoverOption r : flags) {
      f |=
          r == RecoverOption.WRITE
              ? BucketDbNative.BDB_RECOVER_WRITE
              : BucketDbNative.BDB_RECOVER_ACCEPT_LOST_ENTRIES;
    }
    NativeOptions o = options.toNative();
    try {
      return Json.object(
          BucketDbNative.recoverJson(uri, o, schemasJson == null ? "" : schemasJson, f));
    } finally {
      o.delete();
    }
  }

  /** {@link #recover(String, Options, String, RecoverOption...)} without schemas. */
  public static Map<String, Object> recover(String uri, Options options, RecoverOption... flags)
      throws BucketDbException {
    return recover(uri, options, null, flags);
  }

  /**
   * Runs the storage-driver conformance checks against the store of {@code uri} (any URI
   * {@link #open} takes) under a scratch key prefix it deletes afterwards. Returns the report as
   * JSON ({"driver","capabilities","passed","failed","skipped","checks":[...]}); throws only
   * when the driver cannot be loaded or opened. Takes seconds.
   */
  public static String driverCheck(String uri) throws BucketDbException {
    return BucketDbNative.driverCheck(uri);
  }

  /** The library's version, e.g. "0.1.0". */
  public static String version() {
    return BucketDbNative.version();
  }

  /** The ABI version of the loaded library. */
  public static int abiVersion() {
    return BucketDbNative.abiVersion();
  }

  /** BDB_ABI_VERSION of the bucketdb.h the binding was compiled against. */
  public static int headerAbiVersion() {
    return BucketDbNative.headerAbiVersion();
  }

  /**
   * Waits for calls under way and background work, runs the merge at close when one is due, and
   * closes the database: later calls on it, and on its batches, queries and cursors, fail with
   * {@code INVALID}. A merge at close that failed is thrown ({@code IO}, ...), yet loses
   * nothing: every commit is in the log, and the database is closed all the same. Records stay
   * usable. Closing twice is harmless. (What a program forgets to close is closed once
   * unreachable, and such a failure is only logged.)
   */
  @Override
  public void close() throws BucketDbException {
    n.close();
  }

  public boolean isOpen() {
    return n.isOpen() != 0;
  }

  /**
   * Registers a table schema in its JSON form, e.g. {@code {"name":"users","version":1,
   * "fields":{"id":{"typeId":10,"maxLength":36},"age":{"typeId":1}},"primaryKey":"id"}}, or a
   * JSON array of them (all or none). Registering the same version again with the same
   * definition does nothing. A new version that would lose values of the newest one fails with
   * {@code SCHEMA} naming each field, unless {@link SchemaOption#ALLOW_LOSSY} is given.
   */
  public void registerSchema(String schemaJson, SchemaOption... options)
      throws BucketDbException {
    int flags = 0;
    for (SchemaOption o : options) {
      if (o == SchemaOption.ALLOW_LOSSY) flags |= BucketDbNative.BDB_SCHEMA_ALLOW_LOSSY;
    }
    n.registerSchema(schemaJson, flags);
  }

  /** Every registered schema version, as a JSON array. */
  public String schemas() throws BucketDbException {
    return n.schemasJson();
  }

  // ---- documents -----------------------------------------------------------------------------

  /** An empty record for the newest schema of {@code table}. */
  public Record newRecord(String table) throws BucketDbException {
    return new Record(this, n.newDoc(table));
  }

  /** A record of {@code table} with the fields of {@code values} (see {@link Record#set}). */
  public Record record(String table, Map<String, ?> values) throws BucketDbException {
    Record r = newRecord(table);
    try {
      r.setAll(values);
      return r;
    } catch (BucketDbException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  /** A record parsed from a JSON object. */
  public Record recordFromJson(String table, String json) throws BucketDbException {
    return new Record(this, n.docFromJson(table, json));
  }

  /** A record decoded from an encoded row (see {@link Record#toRow}). */
  public Record recordFromRow(String table, Row row) throws BucketDbException {
    return new Record(this, n.docFromRow(table, row.version(), row.fixed(), row.heap()));
  }

  /** A record holding only the primary key {@code key}. */
  public Record keyRecord(String table, Object key) throws BucketDbException {
    return new Record(this, n.keyDoc(table, Values.keyText(key)));
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** The row of {@code table} with primary key {@code key}, as a map; empty when none. */
  public Optional<Map<String, Object>> get(String table, Object key) throws BucketDbException {
    Optional<Record> r = getRecord(table, key);
    if (r.isEmpty()) return Optional.empty();
    try (Record rec = r.get()) {
      return Optional.of(rec.toMap());
    }
  }

  /** {@link #get} returning the record, for its typed accessors. */
  public Optional<Record> getRecord(String table, Object key) throws BucketDbException {
    try (Record k = keyRecord(table, key)) {
      return lookup(k);
    }
  }

  /** The row with the primary key that {@code key} holds (a key record or any record). */
  public Optional<Record> lookup(Record key) throws BucketDbException {
    try {
      return Optional.of(new Record(this, n.get(key.live())));
    } catch (BucketDbException e) {
      if (e.code() == BucketDbException.Code.NOT_FOUND) return Optional.empty();
      throw e;
    }
  }

  /** The row as a JSON object; empty when none. */
  public Optional<String> getJson(String table, Object key) throws BucketDbException {
    try {
      return Optional.of(n.getJson(table, Values.keyText(key)));
    } catch (BucketDbException e) {
      if (e.code() == BucketDbException.Code.NOT_FOUND) return Optional.empty();
      throw e;
    }
  }

  /** Starts a query on {@code table}. */
  public Query query(String table) throws BucketDbException {
    return new Query(this, n.query(table));
  }

  /** The bytes of a managed blob (see {@link Record#getBlobId}). At most 2 GiB in Java. */
  public byte[] readBlob(String blobId) throws BucketDbException {
    return n.blobRead(blobId);
  }

  // ---- writes --------------------------------------------------------------------------------

  /** Starts a batch of writes, applied atomically by {@link Batch#commit}. */
  public Batch batch() throws BucketDbException {
    return new Batch(this, n.batch());
  }

  private interface Stage {
    void apply(Batch b) throws BucketDbException;
  }

  private long write(Stage stage) throws BucketDbException {
    try (Batch b = batch()) {
      stage.apply(b);
      return b.commit();
    }
  }

  /** Commits one insert (fails with EXISTS if the key is taken); returns its sequence number. */
  public long insert(String table, Map<String, ?> values) throws BucketDbException {
    return write(b -> b.insert(table, values));
  }

  /** Commits one upsert of a whole row. */
  public long update(String table, Map<String, ?> values) throws BucketDbException {
    return write(b -> b.update(table, values));
  }

  /** Commits new values for some fields of an existing row. */
  public long patch(String table, Map<String, ?> values) throws BucketDbException {
    return write(b -> b.patch(table, values));
  }

  /** Commits the deletion of the row with primary key {@code key}. */
  public long delete(String table, Object key) throws BucketDbException {
    return write(b -> b.delete(table, key));
  }

  // ---- maintenance ---------------------------------------------------------------------------

  /** Folds the committed log into data blocks now; returns how many entries it folded. */
  public long merge() throws BucketDbException {
    return n.merge();
  }

  /** Deletes garbage older than gcGraceMs; returns how many objects it deleted. */
  public long gc() throws BucketDbException {
    return n.gc();
  }

  /** Describes "block0", "log" or "blocks" as JSON. */
  public String inspect(String what) throws BucketDbException {
    return n.inspectJson(what);
  }

  /** Counters (objects, bytes, requests by kind, commits, merges) as JSON. */
  public String stats() throws BucketDbException {
    return n.statsJson();
  }

  /** Makes the next read look at the log whatever readStalenessMs says. */
  public void refresh() throws BucketDbException {
    n.refresh();
  }

  /**
   * Stops every call on this database under way, from any thread (bdb_db_interrupt, as
   * sqlite3_interrupt): each throws {@code INTERRUPTED} soon; calls started later run normally.
   * An interrupted commit either landed (no exception) or left its batch intact.
   */
  public void interrupt() throws BucketDbException {
    n.interrupt();
  }

  /**
   * Drops a table: its rows, schema versions and indexes are gone from the next read on, and its
   * name is free. {@code SCHEMA} for an unknown table.
   */
  public void dropTable(String table) throws BucketDbException {
    n.dropTable(table);
    // A table registered later under the name starts again, with fields of its own.
    tables.keySet().removeIf(k -> k.startsWith(table + "\0"));
  }

  /** Drops the index on {@code field}: registers the table's next version without it. */
  public void dropIndex(String table, String field) throws BucketDbException {
    n.dropIndex(table, field);
  }

  /**
   * Reads and checks every object the database reaches, straight from storage; the report as
   * JSON: ok, objects, bytes, rows, checked (by kind), damaged ([{key, kind, problem}]).
   */
  public String verify() throws BucketDbException {
    return n.verifyJson();
  }

  /** Writes the whole database to the file at {@code path} as NDJSON; returns the rows. */
  public long exportTo(String path) throws BucketDbException {
    return n.exportTo(path);
  }

  /**
   * Reads an export into the database, committing every {@code batchRows} rows (0: one batch);
   * a row whose key exists is {@code EXISTS} unless {@link ImportOption#UPSERT}. Returns the
   * rows imported.
   */
  public long importFrom(String path, long batchRows, ImportOption... options)
      throws BucketDbException {
    int flags = 0;
    for (ImportOption o : options) {
      if (o == ImportOption.UPSERT) flags |= BucketDbNative.BDB_IMPORT_UPSERT;
    }
    return n.importFrom(path, batchRows, flags);
  }

  // ---- field layouts, cached by table and schema version --------------------------------------

  static final class TableInfo {
    final String[] names;
    final Map<String, FieldType> types;

    TableInfo(String[] names, Map<String, FieldType> types) {
      this.names = names;
      this.types = types;
    }
  }

  TableInfo tableInfo(NativeDoc d) throws BucketDbException {
    String key = d.table() + "\0" + d.schemaVersion();
    TableInfo info = tables.get(key);
    if (info != null) return info;
    int count = (int) d.fieldCount();
    String[] names = new String[count];
    Map<String, FieldType> types = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      names[i] = d.fieldName(i);
      types.put(names[i], FieldType.of(d.fieldType(names[i])));
    }
    info = new TableInfo(names, Collections.unmodifiableMap(types));
    tables.putIfAbsent(key, info);
    return info;
  }
}
