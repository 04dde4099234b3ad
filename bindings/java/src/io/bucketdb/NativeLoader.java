package io.bucketdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Loads the JNI library (libbucketdb_java.so, which links libbucketdb) once, before the first
 * native call. Programs never call System.loadLibrary themselves.
 *
 * <p>Where it comes from, in this order:
 *
 * <ol>
 *   <li>the system property {@code io.bucketdb.library} or the environment variable {@code
 *       BUCKETDB_JAVA_LIBRARY} (a file path);
 *   <li>bucketdb.jar itself, as sqlite-jdbc does: the jar carries the JNI library,
 *       libbucketdb and the driver plugins (or the one-file library, drivers inside) under
 *       {@code io/bucketdb/native/OS-ARCH/}; they are extracted once into a per-user cache
 *       ({@code io.bucketdb.cache}, else {@code $XDG_CACHE_HOME/bucketdb}, else {@code
 *       ~/.cache/bucketdb}), in a folder named after their checksum, and loaded from there
 *       (libbucketdb finds its plugins beside itself);
 *   <li>{@code java.library.path} (which includes LD_LIBRARY_PATH).
 * </ol>
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
      Path dir = extract();
      if (dir != null) {
        System.load(dir.resolve("lib" + NAME + ".so").toString());
      } else {
        try {
          System.loadLibrary(NAME);
        } catch (UnsatisfiedLinkError e) {
          UnsatisfiedLinkError more = new UnsatisfiedLinkError(
              e.getMessage() + " (bucketdb.jar has no native code for " + platform()
                  + "; set -Dio.bucketdb.library=/path/to/lib" + NAME + ".so)");
          more.initCause(e);
          throw more;
        }
      }
    }
    loaded = true;
  }

  /** OS-ARCH as the jar's resource folder names it: linux-x86_64, linux-aarch64. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).replace(" ", "");
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (arch.equals("amd64")) arch = "x86_64";
    return os + "-" + arch;
  }

  /** The cache folder holding the jar's native files, extracted if need be; null if the jar
   * has none for this platform. */
  static Path extract() {
    String base = "/io/bucketdb/native/" + platform() + "/";
    String id = resource(base + "id");
    String list = resource(base + "files");
    if (id == null || list == null) return null;
    Path cache = cacheRoot();
    Path dir = cache.resolve(id.trim());
    if (Files.isDirectory(dir)) return dir;
    try {
      Files.createDirectories(cache);
      // Extract beside the final folder, then rename: a process that sees the folder sees it
      // whole, and two processes extracting at once both end with the same files.
      Path tmp = Files.createTempDirectory(cache, ".extract-");
      try {
        for (String name : list.split("\n")) {
          if (name.isEmpty()) continue;
          try (InputStream in = NativeLoader.class.getResourceAsStream(base + name)) {
            if (in == null) throw new IOException("bucketdb.jar lacks " + base + name);
            Files.copy(in, tmp.resolve(name));
          }
        }
        try {
          Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException
            | AtomicMoveNotSupportedException e) {
          if (!Files.isDirectory(dir)) throw e;
        }
      } finally {
        deleteTree(tmp);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot extract BucketDB's native library into " + cache + ": " + e.getMessage()
              + " (set -Dio.bucketdb.cache to a writable folder)",
          e);
    }
  }

  private static Path cacheRoot() {
    String dir = System.getProperty("io.bucketdb.cache");
    if (dir != null && !dir.isEmpty()) return Paths.get(dir);
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isEmpty()) return Paths.get(xdg, "bucketdb");
    return Paths.get(System.getProperty("user.home"), ".cache", "bucketdb");
  }

  private static String resource(String name) {
    try (InputStream in = NativeLoader.class.getResourceAsStream(name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
    }
    for (Path p : paths) Files.deleteIfExists(p);
  }
}
