#!/usr/bin/env bash
# Installs the build into a throw-away prefix, then builds a C program outside the tree
# against it twice (find_package(BucketDB) and pkg-config) and runs both, and the installed
# command-line program, on one file: database.
#   run.sh BUILD_DIR SOURCE_DIR "EXTRA_C_FLAGS"
set -euo pipefail
build=$1 src=$2 cflags=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"

cmake --install "$build" --prefix "$prefix" >/dev/null
test -f "$prefix/include/bucketdb/bucketdb.h"
test -f "$prefix/include/bucketdb/driver.h"
ls "$prefix"/lib*/bucketdb/bucketdb-driver-file.so >/dev/null

# 1. CMake package.
cmake -S "$src/examples/c" -B "$tmp/cmake-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_FLAGS="$cflags" -DCMAKE_EXE_LINKER_FLAGS="$cflags" >/dev/null
cmake --build "$tmp/cmake-build" >/dev/null
out=$("$tmp/cmake-build/bucketdb-quickstart" "file:$tmp/db")
echo "$out"
grep -q 'get u1: {"id":"u1","name":"Alice","age":30,"active":true}' <<<"$out"
grep -q '2 users are 30 or older' <<<"$out"

# 2. pkg-config, plain cc.
libdir=$(dirname "$(ls "$prefix"/lib*/pkgconfig/bucketdb.pc)")
export PKG_CONFIG_PATH="$libdir"
cc -std=c99 -Wall -Werror $cflags "$src/examples/c/quickstart.c" -o "$tmp/quickstart-pc" \
  $(pkg-config --cflags --libs bucketdb) -Wl,-rpath,"$(pkg-config --variable=libdir bucketdb)"
"$tmp/quickstart-pc" "file:$tmp/db" | grep -q '2 users are 30 or older'

# 3. The installed command-line program finds its plugins beside the installed library.
"$prefix/bin/bucketdb" --db "file:$tmp/db" get users u2 | grep -q '"name":"Bob"'
echo "install test: ok"
