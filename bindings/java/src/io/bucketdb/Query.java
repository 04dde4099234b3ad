package io.bucketdb;

import java.lang.ref.Cleaner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A query on one table: conditions joined by AND, an order, offset, limit, projection and a
 * point in history. The builder methods return the query; it can run several times.
 */
public final class Query implements AutoCloseable {
  private final BucketDb db;
  private final NativeQuery n;
  private final Cleaner.Cleanable cleanable;
  private boolean closed;

  Query(BucketDb db, NativeQuery n) {
    this.db = db;
    this.n = n;
    this.cleanable =
        Native.track(n, NativeQuery.getCPtr(n), BucketDbNativeJNI::delete_NativeQuery);
  }

  /** Frees the query; cursors it made stay open. Closing twice is harmless. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      NativeQuery.swigRelease(n);
      cleanable.clean();
    }
  }

  /**
   * Adds a condition. {@code op}: "=", "!=", "<", "<=", ">", ">=", "in" (value: a collection or
   * array), "prefix" (a string, or byte[] for a bytes field), "isnull", "notnull" (value
   * ignored). Comparisons with null follow SQL: only isnull matches a null.
   */
  public Query where(String field, String op, Object value) throws BucketDbException {
    boolean noValue = "isnull".equals(op) || "notnull".equals(op);
    n.where(field, op, noValue ? "" : Values.json(value));
    return this;
  }

  /**
   * Closes the group of conditions added so far: the ones added after it form an alternative,
   * so {@code where(a).where(b).or().where(c)} matches (a AND b) OR c. Each side needs a
   * condition; the query unites the sides' index lookups, or scans when a side has none.
   */
  public Query or() throws BucketDbException {
    n.orGroup();
    return this;
  }

  /** Sorts ascending by one field (a later call replaces it). */
  public Query orderBy(String field) throws BucketDbException {
    return orderBy(field, false);
  }

  /** Sorts by one field; ties keep primary-key order; nulls first ascending, last descending. */
  public Query orderBy(String field, boolean descending) throws BucketDbException {
    n.order(field, descending ? 1 : 0);
    return this;
  }

  /** A further sort key: rows equal in the keys before are ordered by this one. */
  public Query thenBy(String field) throws BucketDbException {
    return thenBy(field, false);
  }

  public Query thenBy(String field, boolean descending) throws BucketDbException {
    n.orderThen(field, descending ? 1 : 0);
    return this;
  }

  public Query limit(long limit) throws BucketDbException {
    n.limit(limit);
    return this;
  }

  public Query offset(long offset) throws BucketDbException {
    n.offset(offset);
    return this;
  }

  /**
   * Reads the database as it was just after log entry {@code seq} while that is retained
   * (gcGraceMs); NOT_FOUND at count or cursor when it is not any more.
   */
  public Query asOf(long seq) throws BucketDbException {
    n.asOf(seq);
    return this;
  }

  /** Reads the database as it was after the last commit stamped at or before {@code time}. */
  public Query asOfTime(Instant time) throws BucketDbException {
    n.asOfTime(time.toEpochMilli());
    return this;
  }

  /** Restricts the fields returned; the primary key always is. */
  public Query select(String... fields) throws BucketDbException {
    for (String f : fields) n.selectField(f);
    return this;
  }

  /**
   * Keyset pagination: continues after the position a cursor's {@link Cursor#pageToken} gave,
   * for a query on the same table with the same order (the conditions may differ). {@code ""} or
   * null starts from the beginning. Unlike {@link #offset}, pages stay right and cheap while
   * rows are added or removed.
   */
  public Query after(String token) throws BucketDbException {
    n.after(token);
    return this;
  }

  /** The number of rows the query returns (offset and limit apply). */
  public long count() throws BucketDbException {
    return n.count();
  }

  /**
   * How the query would run (primary-key lookup, index or scan) and the objects it would read
   * at most, as one line.
   */
  public String explain() throws BucketDbException {
    return n.explain();
  }

  /** Runs the query; the cursor reads the database as of this call. */
  public Cursor cursor() throws BucketDbException {
    return new Cursor(db, n.exec());
  }

  /** Runs the query and returns every row as a map. */
  public List<Map<String, Object>> list() throws BucketDbException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Cursor c = cursor()) {
      Record r;
      while ((r = c.nextRecord()) != null) {
        try (Record rec = r) {
          rows.add(rec.toMap());
        }
      }
    }
    return rows;
  }
}
