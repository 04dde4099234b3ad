// Package leakcheck asks LeakSanitizer, when the process runs with the ASan runtime (the
// sanitized build preloads it), whether any malloc'd block is unreachable right now.
//
// The Go heap is not a root LSan scans, so a C object still referenced only from Go counts as
// leaked: call Check only once everything under test has been freed.
package leakcheck

// #cgo LDFLAGS: -ldl
// #include <dlfcn.h>
// #include <stdlib.h>
// static int available(void) { return dlsym(RTLD_DEFAULT, "__lsan_do_recoverable_leak_check") != NULL; }
// static int check(void) {
//   int (*f)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "__lsan_do_recoverable_leak_check");
//   return f ? f() : 0;
// }
// static void leak(size_t n) { volatile char *p = (char *)malloc(n); if (p) p[0] = 1; p = NULL; }
import "C"

// Available tells whether the ASan runtime is loaded (and so Check means something).
func Available() bool { return C.available() != 0 }

// Check runs a leak check now: true if LSan found unreachable blocks (and printed them). It
// finds nothing when leak detection is off (ASAN_OPTIONS=detect_leaks=0).
func Check() bool { return C.check() != 0 }

// Leak mallocs n bytes and drops the pointer: the control that proves Check works.
func Leak(n int) { C.leak(C.size_t(n)) }
