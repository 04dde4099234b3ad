#!/usr/bin/env bash
# install.onefile: the one-file choice installed into a throw-away prefix (prefix.sh onefile:
# one libbucketdb, shared and static, no driver plugin), then onefile/app.c built outside the
# tree against it four ways (the CMake package and pkg-config, each shared and static) and run,
# and the installed command-line program, on memory: and file: with the plugin path an empty
# folder.
#   onefile.sh BUILD_DIR SOURCE_DIR "EXTRA_C_FLAGS"
set -euo pipefail
build=$1 src=$2 cflags=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
"$src/tests/bindings/install/prefix.sh" "$build" "$prefix" onefile
mkdir "$tmp/no-plugins"
export BUCKETDB_PLUGIN_PATH="$tmp/no-plugins"

run() {  # run PROGRAM: both stores, each served by its built-in driver
  local out
  out=$("$1" memory:onefile "file:$tmp/db-$(basename "$1")")
  echo "$out"
  grep -qx 'memory:onefile: {"k":"a","v":"one file"}, "driver":"memory"' <<<"$out"
  grep -q '^file:.*: {"k":"a","v":"one file"}, "driver":"file"$' <<<"$out"
}

# 1. The CMake package: BucketDB::bucketdb and BucketDB::bucketdb_static.
cmake -S "$src/tests/integration/install/onefile" -B "$tmp/cmake-build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_FLAGS="$cflags" -DCMAKE_EXE_LINKER_FLAGS="$cflags" \
  >/dev/null
cmake --build "$tmp/cmake-build" >/dev/null
run "$tmp/cmake-build/app-shared"
run "$tmp/cmake-build/app-static"

# 2. pkg-config, plain cc: the shared library, and the archive with Libs.private.
export PKG_CONFIG_PATH=$(dirname "$(ls "$prefix"/lib*/pkgconfig/bucketdb.pc)")
libdir=$(pkg-config --variable=libdir bucketdb)
app="$src/tests/integration/install/onefile/app.c"
cc -std=c99 -Wall -Werror $cflags "$app" -o "$tmp/pc-shared" $(pkg-config --cflags --libs bucketdb) \
  -Wl,-rpath,"$libdir"
static_libs=$(pkg-config --static --libs-only-l bucketdb)
cc -std=c99 -Wall -Werror $cflags -DAPP_STATIC "$app" -o "$tmp/pc-static" \
  $(pkg-config --cflags bucketdb) "$libdir/libbucketdb.a" ${static_libs//-lbucketdb/}
run "$tmp/pc-shared"
run "$tmp/pc-static"
# The static programs carry the library: they need no libbucketdb at run time.
for p in "$tmp/cmake-build/app-static" "$tmp/pc-static"; do
  if readelf -d "$p" | grep -q 'NEEDED.*libbucketdb'; then
    echo "$p needs libbucketdb.so" >&2
    exit 1
  fi
done

# 3. The installed command-line program, on the installed one-file library.
schema='{"name":"kv","version":1,"primaryKey":"k","fields":{"k":{"typeId":10}}}'
for uri in memory: "file:$tmp/db-cli"; do
  "$prefix/bin/bucketdb" --db "$uri" --option createIfMissing=1 schema add - <<<"$schema"
done
"$prefix/bin/bucketdb" --db "file:$tmp/db-cli" stats | grep -q '"driver":"file"'
echo "install.onefile: ok"
