package io.bucketdb;

import java.nio.charset.StandardCharsets;

/**
 * A failure reported by BucketDB: a {@link Code} and the library's message, which names the
 * table, field, key or object involved.
 */
public class BucketDbException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The status codes of bucketdb.h. */
  public enum Code {
    NOT_FOUND(1),
    INVALID(2),
    SCHEMA(3),
    TYPE(4),
    JSON(5),
    EXISTS(6),
    CONFLICT(7),
    CORRUPT(8),
    IO(9),
    PERMISSION(10),
    URI(11),
    NO_MEMORY(12),
    NO_SPACE(13),
    BUSY(14),
    INTERNAL(15),
    /** bdb_db_interrupt stopped the call. */
    INTERRUPTED(16),
    /** A code this binding does not know (a newer library). */
    UNKNOWN(-1);

    private final int value;

    Code(int value) {
      this.value = value;
    }

    /** The number bucketdb.h gives the code. */
    public int value() {
      return value;
    }

    public static Code of(int value) {
      for (Code c : values()) {
        if (c.value == value) return c;
      }
      return UNKNOWN;
    }
  }

  private final Code code;
  private final int status;

  public BucketDbException(Code code, String message) {
    super(message);
    this.code = code;
    this.status = code.value();
  }

  /** Thrown from native code: the status and the message's UTF-8 bytes. */
  BucketDbException(int status, byte[] message) {
    super(new String(message, StandardCharsets.UTF_8));
    this.code = Code.of(status);
    this.status = status;
  }

  public Code code() {
    return code;
  }

  /** The raw status number (differs from code().value() only for UNKNOWN). */
  public int status() {
    return status;
  }

  @Override
  public String toString() {
    return "BucketDbException[" + code + "]: " + getMessage();
  }
}
