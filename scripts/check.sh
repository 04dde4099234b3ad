#!/usr/bin/env bash
# Installs what is missing, builds everything with AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs every test (CTest: GoogleTest, cmocka, driver
# conformance, command line, install). Then builds a second tree with ThreadSanitizer, only
# the targets whose tests run threads, and runs those (CTest label "threads"), and last
# scripts/lint.sh (clang-format, clang-tidy). CI runs this (.ci/run). Arguments go to the
# first ctest and skip the ThreadSanitizer tree and the lint.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/asan"
"$root/scripts/setup.sh" "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBDB_SANITIZE=ON \
  -DBDB_ONEFILE=ON
# intercept_tls_get_addr=0: LeakSanitizer guesses the layout of dynamic TLS (a dlopen'ed
# library's thread_local) from its address and, on some machines, scans a bogus range and
# crashes at exit (google/sanitizers#1322); the plugins keep no thread_local for that reason.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:intercept_tls_get_addr=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build" -j"$(nproc)" --output-on-failure --timeout 300 "$@"
[ "$#" -eq 0 ] || exit 0

tsan="$root/build/tsan"
if [ ! -f "$tsan/build.ninja" ]; then
  # -O1 -g1: ThreadSanitizer's advice, and line tables only, to keep CI's compile time short.
  cmake -S "$root" -B "$tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBDB_TSAN=ON \
    -DBDB_WITH_BINDINGS=OFF -DBDB_WITH_S3=OFF -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" >/dev/null
fi
cmake --build "$tsan" -j"$(nproc)" --target bdb_unit_tests bdb_driver_tests bdb_abi_threads \
  bdb_abi_lifetime bdb_abi_driver_register bdb_abi_interrupt
TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1} \
  ctest --test-dir "$tsan" -L threads -j"$(nproc)" --output-on-failure --timeout 300
"$root/scripts/lint.sh" "$build"
