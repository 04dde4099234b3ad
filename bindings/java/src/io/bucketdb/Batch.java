package io.bucketdb;

import java.lang.ref.Cleaner;
import java.util.Map;

/**
 * Writes staged for one atomic commit (one log entry). Nothing touches storage before {@link
 * #commit}. A committed batch is empty again and can be reused. Close it to free it at once.
 */
public final class Batch implements AutoCloseable {
  private final BucketDb db; // keeps the database open while the batch is reachable
  private final NativeBatch n;
  private final Cleaner.Cleanable cleanable;
  private boolean closed;

  Batch(BucketDb db, NativeBatch n) {
    this.db = db;
    this.n = n;
    this.cleanable =
        Native.track(n, NativeBatch.getCPtr(n), BucketDbNativeJNI::delete_NativeBatch);
  }

  /** Frees the batch and what it holds. Closing twice is harmless. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      NativeBatch.swigRelease(n);
      cleanable.clean();
    }
  }

  private void stage(String table, Map<String, ?> values, int op) throws BucketDbException {
    try (Record r = db.record(table, values)) {
      stage(r, op);
    }
  }

  private void stage(Record r, int op) throws BucketDbException {
    NativeDoc d = r.live();
    switch (op) {
      case 0:
        n.insert(d);
        break;
      case 1:
        n.update(d);
        break;
      case 2:
        n.patch(d);
        break;
      default:
        n.remove(d);
    }
  }

  /** Stages an insert; commit fails with EXISTS if the key is taken. */
  public Batch insert(String table, Map<String, ?> values) throws BucketDbException {
    stage(table, values, 0);
    return this;
  }

  /** Stages an upsert of a whole row. */
  public Batch update(String table, Map<String, ?> values) throws BucketDbException {
    stage(table, values, 1);
    return this;
  }

  /** Stages new values for the given fields of an existing row (the map holds the key). */
  public Batch patch(String table, Map<String, ?> values) throws BucketDbException {
    stage(table, values, 2);
    return this;
  }

  /** Stages the deletion of the row with primary key {@code key}. */
  public Batch delete(String table, Object key) throws BucketDbException {
    n.deleteKey(table, Values.keyText(key));
    return this;
  }

  /** Stages an insert of a record built with typed setters (it is copied). */
  public Batch insert(Record r) throws BucketDbException {
    stage(r, 0);
    return this;
  }

  public Batch update(Record r) throws BucketDbException {
    stage(r, 1);
    return this;
  }

  public Batch patch(Record r) throws BucketDbException {
    stage(r, 2);
    return this;
  }

  /** Stages the deletion of the row with the record's key. */
  public Batch delete(Record key) throws BucketDbException {
    stage(key, 3);
    return this;
  }

  public Batch insertJson(String table, String json) throws BucketDbException {
    n.insertJson(table, json);
    return this;
  }

  public Batch updateJson(String table, String json) throws BucketDbException {
    n.updateJson(table, json);
    return this;
  }

  public Batch patchJson(String table, String json) throws BucketDbException {
    n.patchJson(table, json);
    return this;
  }

  /**
   * Stages a delete by bucketdb.h's key text: a JSON literal, or for a varchar or bytes key any
   * other text verbatim.
   */
  public Batch deleteKeyText(String table, String keyText) throws BucketDbException {
    n.deleteKey(table, keyText);
    return this;
  }

  /**
   * Makes the last staged operation apply only if the row's current version is {@code version}
   * (0: the row must not exist); otherwise commit fails with CONFLICT.
   */
  public Batch expectVersion(long version) throws BucketDbException {
    n.expectVersion(version);
    return this;
  }

  /**
   * The last staged operation applies only if its row exists; otherwise commit fails with {@code
   * NOT_FOUND} and nothing of the batch is written.
   */
  public Batch expectExists() throws BucketDbException {
    n.expectExists();
    return this;
  }

  /** The number of staged operations. */
  public int size() throws BucketDbException {
    return (int) n.size();
  }

  /** Drops every staged operation (e.g. after a failed commit). */
  public void clear() throws BucketDbException {
    n.clear();
  }

  /**
   * Writes the batch as one log entry and returns its sequence number, the version of the rows
   * it wrote. On failure nothing of it is visible and it keeps its operations.
   */
  public long commit() throws BucketDbException {
    return n.commit();
  }
}
