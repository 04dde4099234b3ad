package io.bucketdb;

import java.lang.ref.Cleaner;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A document (a row) of one table, with typed accessors by field name. Getters throw {@code
 * NOT_FOUND} when the field is null, {@code SCHEMA} when unknown and {@code TYPE} when the
 * value does not convert. Records do not depend on their database staying open. Close a record
 * to free it at once; otherwise it is freed once unreachable.
 */
public final class Record implements AutoCloseable {
  final BucketDb db;
  private final NativeDoc n;
  private final Cleaner.Cleanable cleanable;
  private boolean closed;

  Record(BucketDb db, NativeDoc n) throws BucketDbException {
    if (n == null) throw new BucketDbException(BucketDbException.Code.INTERNAL, "no document");
    this.db = db;
    this.n = n;
    this.cleanable = Native.track(n, NativeDoc.getCPtr(n), BucketDbNativeJNI::delete_NativeDoc);
  }

  /** The native document, or an INVALID error once closed. */
  NativeDoc live() throws BucketDbException {
    if (closed) {
      throw new BucketDbException(BucketDbException.Code.INVALID, "the document is closed");
    }
    return n;
  }

  /** Frees the record. Closing twice is harmless. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      NativeDoc.swigRelease(n); // later calls see a null handle, not a freed one
      cleanable.clean();
    }
  }

  public String table() throws BucketDbException {
    return live().table();
  }

  /** The version of the table's schema the record is laid out in. */
  public int schemaVersion() throws BucketDbException {
    return (int) live().schemaVersion();
  }

  /** The table's fields in declaration order. */
  public List<String> fields() throws BucketDbException {
    return Collections.unmodifiableList(Arrays.asList(info().names));
  }

  /** The type of a field, or null if the table has none of that name. */
  public FieldType type(String field) throws BucketDbException {
    return FieldType.of(live().fieldType(field));
  }

  /** Whether the field holds a value (false when null, unset or unknown). */
  public boolean has(String field) throws BucketDbException {
    return live().has(field) != 0;
  }

  /** The log sequence number that last wrote the row (0 for a new record). */
  public long version() throws BucketDbException {
    return live().version();
  }

  /** The MISC stamp of that commit, ms since the epoch (0 for a new record). */
  public long misc() throws BucketDbException {
    return live().misc();
  }

  public Instant commitTime() throws BucketDbException {
    return Instant.ofEpochMilli(misc());
  }

  /** The record as one JSON object (fields with a value only). */
  public String toJson() throws BucketDbException {
    return live().toJson();
  }

  /** The fields that hold a value, as Java values (see {@link FieldType}). */
  public Map<String, Object> toMap() throws BucketDbException {
    BucketDb.TableInfo info = info();
    NativeDoc d = live();
    byte[] present = d.present();
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < present.length && i < info.names.length; i++) {
      if (present[i] == 0) continue;
      m.put(info.names[i], Values.get(d, FieldType.of(present[i]), info.names[i]));
    }
    return m;
  }

  /** The record encoded as a row in its own schema version, for generated codecs. */
  public Row toRow() throws BucketDbException {
    NativeRow r = live().toRow();
    try {
      return new Row((int) r.version(), r.fixed(), r.heap());
    } finally {
      r.delete();
    }
  }

  private BucketDb.TableInfo info() throws BucketDbException {
    return db.tableInfo(live());
  }

  // ---- setters -------------------------------------------------------------------------------

  /**
   * Sets a field from a Java value, by the field's type: null; Boolean; Byte, Short, Integer,
   * Long and BigInteger (exact, range-checked) for integer, float and timestamp fields; Float
   * and Double; Instant or java.util.Date for a timestamp; String (varchar text, JSON text for a
   * json field, the blob's id for a blob field it already holds); byte[] (bytes, or new content
   * for a blob field); Map, List or arrays for a json field (written as JSON).
   */
  public Record set(String field, Object value) throws BucketDbException {
    Values.set(live(), info().types.get(field), field, value);
    return this;
  }

  /** Sets every entry of {@code values} (see {@link #set}). */
  public Record setAll(Map<String, ?> values) throws BucketDbException {
    NativeDoc d = live();
    Map<String, FieldType> types = info().types;
    for (Map.Entry<String, ?> e : values.entrySet()) {
      Values.set(d, types.get(e.getKey()), e.getKey(), e.getValue());
    }
    return this;
  }

  public Record setNull(String field) throws BucketDbException {
    live().setNull(field);
    return this;
  }

  public Record setBoolean(String field, boolean value) throws BucketDbException {
    live().setBool(field, value ? 1 : 0);
    return this;
  }

  /** Any integer (or float, or timestamp) field; out of range is a TYPE error. */
  public Record setLong(String field, long value) throws BucketDbException {
    live().setInt(field, value);
    return this;
  }

  /** An integer field from the unsigned 64-bit value {@code bits} (see Long.toUnsignedString). */
  public Record setUnsignedLong(String field, long bits) throws BucketDbException {
    live().setUint(field, bits);
    return this;
  }

  /** An integer field from a BigInteger, exactly. */
  public Record setBigInteger(String field, BigInteger value) throws BucketDbException {
    Values.set(live(), FieldType.UINT64, field, value);
    return this;
  }

  public Record setDouble(String field, double value) throws BucketDbException {
    live().setDouble(field, value);
    return this;
  }

  /** A varchar field, or a json field to this JSON text verbatim. */
  public Record setString(String field, String value) throws BucketDbException {
    live().setString(field, Utf8.encode(value));
    return this;
  }

  public Record setBytes(String field, byte[] value) throws BucketDbException {
    live().setBytes(field, value);
    return this;
  }

  /** A field from JSON: a literal of its type, or any JSON for a json field. */
  public Record setJson(String field, String json) throws BucketDbException {
    live().setJson(field, json);
    return this;
  }

  /** Stages bytes for a blob field, uploaded when the batch commits. */
  public Record setBlob(String field, byte[] data) throws BucketDbException {
    live().setBlob(field, data);
    return this;
  }

  public Record setInstant(String field, Instant value) throws BucketDbException {
    live().setInt(field, value.toEpochMilli());
    return this;
  }

  // ---- getters -------------------------------------------------------------------------------

  public boolean getBoolean(String field) throws BucketDbException {
    return live().getBool(field) != 0;
  }

  /** An integer field as a long (TYPE error for a uint64 beyond Long.MAX_VALUE). */
  public long getLong(String field) throws BucketDbException {
    return live().getInt(field);
  }

  /** An integer field's unsigned 64-bit value as raw bits (TYPE error below zero). */
  public long getUnsignedLong(String field) throws BucketDbException {
    return live().getUint(field);
  }

  /** Any integer field, exactly. */
  public BigInteger getBigInteger(String field) throws BucketDbException {
    NativeDoc d = live();
    FieldType t = FieldType.of(d.fieldType(field));
    if (t != null && t.isUnsigned()) return Values.unsigned(d.getUint(field));
    return BigInteger.valueOf(d.getInt(field));
  }

  public double getDouble(String field) throws BucketDbException {
    return live().getDouble(field);
  }

  /** A varchar field, or a json field's text. */
  public String getString(String field) throws BucketDbException {
    return Utf8.decode(live().getString(field));
  }

  public byte[] getBytes(String field) throws BucketDbException {
    return live().getBytes(field);
  }

  public Instant getInstant(String field) throws BucketDbException {
    return Instant.ofEpochMilli(live().getInt(field));
  }

  /** Any field as JSON text (a json field: its text). */
  public String getJson(String field) throws BucketDbException {
    return live().getJson(field);
  }

  /** A blob field's id, for {@link BucketDb#readBlob}. */
  public String getBlobId(String field) throws BucketDbException {
    return live().getBlobId(field);
  }

  @Override
  public String toString() {
    try {
      return closed ? "Record(closed)" : "Record" + toJson();
    } catch (BucketDbException e) {
      return "Record(" + e.getMessage() + ")";
    }
  }
}
