package io.bucketdb;

/** Field type ids (bdb_type in bucketdb.h), with the Java type {@link Record#toMap} uses. */
public enum FieldType {
  /** Long */
  UINT8(1),
  /** Long */
  UINT32(2),
  /** java.math.BigInteger (exact over the whole range) */
  UINT64(3),
  /** Long */
  INT32(4),
  /** Long */
  INT64(5),
  /** Boolean */
  BOOLEAN(6),
  /** Double */
  FLOAT64(7),
  /** java.time.Instant (millisecond precision) */
  TIMESTAMP(8),
  /** String: the JSON text */
  JSON(9),
  /** String */
  VARCHAR(10),
  /** String: the blob's id ({@link BucketDb#readBlob} reads it) */
  BLOB(11),
  /** Long */
  UINT16(12),
  /** Long */
  INT8(13),
  /** Long */
  INT16(14),
  /** Double */
  FLOAT32(15),
  /** byte[] */
  BYTES(16);

  private final int id;

  FieldType(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  /** The type with this id, or null. */
  public static FieldType of(int id) {
    for (FieldType t : values()) {
      if (t.id == id) return t;
    }
    return null;
  }

  boolean isUnsigned() {
    return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64;
  }
}
