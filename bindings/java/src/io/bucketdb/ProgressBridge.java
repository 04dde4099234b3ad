package io.bucketdb;

import java.nio.charset.StandardCharsets;

/**
 * Hands the progress of long work to a {@link BucketDb.Progress}. The shim delivers it as a log
 * line (the task, then "DONE TOTAL") through the loggers' way into the JVM, from the library's
 * threads; it must not throw back into them.
 */
final class ProgressBridge {
  private final BucketDb.Progress progress;

  ProgressBridge(BucketDb.Progress progress) {
    this.progress = progress;
  }

  void log(int level, byte[] task, byte[] numbers) {
    try {
      String[] n = new String(numbers, StandardCharsets.US_ASCII).split(" ");
      progress.report(
          new String(task, StandardCharsets.UTF_8),
          Long.parseUnsignedLong(n[0]),
          Long.parseUnsignedLong(n[1]));
    } catch (Throwable t) { // a progress function that fails must not fail the library's thread
      System.err.println("bucketdb: the progress function threw " + t);
    }
  }
}
