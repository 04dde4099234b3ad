#!/usr/bin/env bash
# schemas.install_consumer: after `cmake --install`, projects outside the tree (copies of
# examples/c-generated and examples/cpp-generated) find the compiler with
# find_package(BucketDB), generate their codecs with bucketdb_add_schema, build and run. A
# rebuild with nothing changed runs no compiler; touching the .fbs, or a file it includes,
# runs it again. The installed `bucketdb schema add x.fbs` finds the installed compiler.
#   install_consumer.sh BUILD_DIR SOURCE_DIR "EXTRA_FLAGS"
set -euo pipefail
build=$1 src=$2 flags=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "FAIL: $*"; for f in "$tmp"/log*; do [[ -e $f ]] && { echo "--- $f"; cat "$f"; }; done; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/bucketdb-schemac share/bucketdb/bucketdb.fbs include/bucketdb/codec.h \
  include/bucketdb/codec.hpp; do
  [[ -e $prefix/$f ]] || fail "$f is not installed"
done
ls "$prefix"/lib*/cmake/BucketDB/BucketDBSchema.cmake >/dev/null || fail "no BucketDBSchema.cmake"

# C: configure, build, run.
cp -r "$src/examples/c-generated" "$tmp/c"
cmake -S "$tmp/c" -B "$tmp/c-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >"$tmp/log-configure"
build_c() { cmake --build "$tmp/c-build" >"$tmp/log-build" 2>&1 || fail "build"; }
ran_compiler() { grep -q "bucketdb-schemac tasks.fbs" "$tmp/log-build"; }
build_c
ran_compiler || fail "the first build did not run bucketdb-schemac"
"$tmp/c-build/bucketdb-c-generated" "file:$tmp/db" >"$tmp/log-run" || fail "the C example failed"
grep -qx "2 open tasks" "$tmp/log-run" || fail "unexpected output of the C example"

# Reruns only when an input changes: the .fbs, or what it includes (from the depfile).
build_c
ran_compiler && fail "a rebuild with nothing changed ran the compiler"
sleep 1
touch "$tmp/c/tasks.fbs"
build_c
ran_compiler || fail "changing tasks.fbs did not run the compiler"
build_c
ran_compiler && fail "the compiler ran twice for one change"
sleep 1
touch "$prefix/share/bucketdb/bucketdb.fbs"
build_c
ran_compiler || fail "changing the included bucketdb.fbs did not run the compiler"

# C++.
cp -r "$src/examples/cpp-generated" "$tmp/cpp"
cmake -S "$tmp/cpp" -B "$tmp/cpp-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >"$tmp/log-configure"
cmake --build "$tmp/cpp-build" >"$tmp/log-build" 2>&1 || fail "C++ build"
"$tmp/cpp-build/bucketdb-cpp-generated" "file:$tmp/db" >"$tmp/log-run" || fail "C++ example"
grep -qx "orders total 124.5" "$tmp/log-run" || fail "unexpected output of the C++ example"

# The installed command line registers a .fbs through the installed compiler.
"$prefix/bin/bucketdb" --db "file:$tmp/db" schema add "$tmp/cpp/events.fbs" || fail "schema add"
"$prefix/bin/bucketdb" --db "file:$tmp/db" schema list | grep -q '"name":"events"' ||
  fail "events not registered"
echo "install consumer: ok"
