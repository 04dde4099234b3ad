package io.bucketdb;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.Test;

/**
 * Handles a program forgets to close are freed once unreachable, whatever order the cleaner
 * runs in. The shim counts its live structs (each owns exactly one C handle); in the sanitized
 * build (ASan runtime preloaded) a double free or a use after free in any of this aborts the
 * JVM. (LeakSanitizer cannot look inside a JVM: its stop-the-world tracer crashes there, so the
 * LSan checks of the shim are in the Go and Ruby suites.)
 */
public class OwnershipTest {
  static void forget(Path dir) throws Exception {
    for (int i = 0; i < 10; i++) {
      String uri = i % 2 == 0 ? "memory:" : "file:" + dir;
      BucketDb db = BucketDb.open(uri, new BucketDb.Options().logLevel("silent"));
      db.registerSchema(BucketDbTest.ALL);
      db.update("all", Map.of("id", "k", "blob", "blob".getBytes(), "u8", i));
      Batch b = db.batch();
      b.update("all", Map.of("id", "staged", "raw", new byte[] {1}));
      Query q = db.query("all").where("u8", ">=", 0);
      Cursor c = q.cursor();
      Record first = c.nextRecord();
      Record r = db.getRecord("all", "k").get();
      r.toRow();
      Record k = db.keyRecord("all", "k");
      Record n = db.newRecord("all").setBlob("blob", "staged blob".getBytes());
      if (i % 3 == 0) db.close(); // children outlive their database's handle
      if (first == null || k == null || n == null) throw new AssertionError();
    }
  }

  @Test
  public void forgottenHandlesAreFreed() throws Exception {
    forget(Files.createTempDirectory("bdb-java-own-"));
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (Native.liveHandles() != 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals("shim handles alive after collection", 0, Native.liveHandles());
  }
}
