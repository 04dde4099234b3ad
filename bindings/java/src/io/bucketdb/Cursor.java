package io.bucketdb;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The rows of a query, in a for-each loop:
 *
 * <pre>{@code
 * try (Cursor c = db.query("users").where("age", ">=", 18).cursor()) {
 *   for (Record r : c) { ... }              // or: for (Map<String, Object> m : c.maps())
 * }
 * }</pre>
 *
 * A cursor is read once; it closes itself at the end. Each {@link Record} is the caller's (it
 * may outlive the cursor). Iterators throw {@link UncheckedBucketDbException} on errors.
 */
public final class Cursor implements Iterable<Record>, AutoCloseable {
  private final BucketDb db;
  private final NativeCursor n;
  private final Cleaner.Cleanable cleanable;
  private boolean closed;
  private String token = ""; // kept when the cursor closes, for pageToken()
  private BucketDbException tokenError; // why it could not be kept

  Cursor(BucketDb db, NativeCursor n) {
    this.db = db;
    this.n = n;
    this.cleanable =
        Native.track(n, NativeCursor.getCPtr(n), BucketDbNativeJNI::delete_NativeCursor);
  }

  @Override
  public void close() {
    if (!closed) {
      try {
        token = n.pageToken();
      } catch (BucketDbException e) {
        tokenError = e; // closing never fails; pageToken() reports it
      }
      closed = true;
      NativeCursor.swigRelease(n);
      cleanable.clean();
    }
  }

  /**
   * Where the rows returned so far end: pass it to the next page's {@link Query#after}. Still
   * readable once the cursor has closed (at its end, or by {@link #close}).
   */
  public String pageToken() throws BucketDbException {
    if (!closed) return n.pageToken();
    if (tokenError != null) throw tokenError;
    return token;
  }

  /** The next row, or null at the end (the cursor is closed then). */
  public Record nextRecord() throws BucketDbException {
    if (closed) return null;
    NativeDoc d = n.next();
    if (d == null) {
      close();
      return null;
    }
    return new Record(db, d);
  }

  /** The next row as a map, or null at the end. */
  public Map<String, Object> nextMap() throws BucketDbException {
    Record r = nextRecord();
    if (r == null) return null;
    try (Record rec = r) {
      return rec.toMap();
    }
  }

  private interface Fetch<T> {
    T next() throws BucketDbException;
  }

  private static <T> Iterator<T> iterate(Fetch<T> fetch) {
    return new Iterator<T>() {
      private T ahead;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (ahead == null && !done) {
          try {
            ahead = fetch.next();
          } catch (BucketDbException e) {
            done = true;
            throw new UncheckedBucketDbException(e);
          }
          done = ahead == null;
        }
        return ahead != null;
      }

      @Override
      public T next() {
        if (!hasNext()) throw new NoSuchElementException();
        T t = ahead;
        ahead = null;
        return t;
      }
    };
  }

  @Override
  public Iterator<Record> iterator() {
    return iterate(this::nextRecord);
  }

  /** The rows as maps (each record is converted and freed at once). */
  public Iterable<Map<String, Object>> maps() {
    return () -> iterate(this::nextMap);
  }
}
