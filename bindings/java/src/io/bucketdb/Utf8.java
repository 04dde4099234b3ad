package io.bucketdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strings across JNI as real UTF-8. JNI's own string functions use modified UTF-8, which
 * mangles characters outside the Basic Multilingual Plane (emoji, for one).
 */
final class Utf8 {
  private Utf8() {}

  /** UTF-8 bytes with a terminating NUL, for a C string; null stays null. */
  static byte[] encodeZ(String s) {
    if (s == null) return null;
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(b, b.length + 1);
  }

  static byte[] encode(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  static String decode(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }
}
