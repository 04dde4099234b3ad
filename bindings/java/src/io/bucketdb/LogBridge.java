package io.bucketdb;

import java.nio.charset.StandardCharsets;

/**
 * Hands the library's log lines to a {@link System.Logger}. The library calls {@link #log} from
 * its own threads (attached to the JVM for the call), several at once; it must not throw back
 * into them.
 */
final class LogBridge {
  private static final System.Logger.Level[] LEVELS = {
    System.Logger.Level.DEBUG,
    System.Logger.Level.INFO,
    System.Logger.Level.WARNING,
    System.Logger.Level.ERROR
  };

  private final System.Logger logger;

  LogBridge(System.Logger logger) {
    this.logger = logger;
  }

  /** level: bdb_log_level (0 debug ... 3 error); the texts are UTF-8. */
  void log(int level, byte[] subsystem, byte[] message) {
    try {
      System.Logger.Level l = level >= 0 && level < LEVELS.length ? LEVELS[level] : LEVELS[3];
      if (!logger.isLoggable(l)) return;
      logger.log(
          l,
          new String(subsystem, StandardCharsets.UTF_8)
              + ": "
              + new String(message, StandardCharsets.UTF_8));
    } catch (Throwable t) { // a logger that fails must not fail the library's thread
      System.err.println("bucketdb: the logger threw " + t);
    }
  }
}
