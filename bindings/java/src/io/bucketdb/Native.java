package io.bucketdb;

import java.lang.ref.Cleaner;
import java.util.function.LongConsumer;

/**
 * Frees native handles that a program forgets to close.
 *
 * <p>The cleaning action is registered on the SWIG proxy, not on the public wrapper: a proxy
 * is passed to every JNI call made on it (SWIG's {@code jarg1_}), so it stays reachable for the
 * whole call and is never freed under a running call. The action captures only the raw
 * pointer and a static free function.
 */
final class Native {
  private static final Cleaner CLEANER = Cleaner.create();

  private Native() {}

  static Cleaner.Cleanable track(Object proxy, long ptr, LongConsumer free) {
    return CLEANER.register(proxy, () -> free.accept(ptr));
  }

  /** Shim structs alive in the process (for the ownership tests). */
  static long liveHandles() {
    return BucketDbNative.liveHandles();
  }
}
