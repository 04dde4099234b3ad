package io.bucketdb;

/**
 * Loads the JNI library (libbucketdb_java.so, which links libbucketdb) once, before the first
 * native call. Programs never call System.loadLibrary themselves.
 *
 * <p>Where it looks: the system property {@code io.bucketdb.library} or the environment
 * variable {@code BUCKETDB_JAVA_LIBRARY} (a file path), else {@code java.library.path}
 * (which includes LD_LIBRARY_PATH).
 */
final class NativeLoader {
  static final String NAME = "bucketdb_java";
  private static boolean loaded;

  private NativeLoader() {}

  static synchronized void load() {
    if (loaded) return;
    String path = System.getProperty("io.bucketdb.library");
    if (path == null || path.isEmpty()) path = System.getenv("BUCKETDB_JAVA_LIBRARY");
    if (path != null && !path.isEmpty()) {
      System.load(path);
    } else {
      System.loadLibrary(NAME);
    }
    loaded = true;
  }
}
