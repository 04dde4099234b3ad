#!/usr/bin/env bash
# examples/driver, a user-written driver plugin, built outside the tree against an install of
# BucketDB (cmake --install into a throw-away prefix), then checked with the installed
# `bucketdb driver-check`: by path, and by its scheme once installed in the plugin directory.
#   driver_example.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"

cmake --install "$build" --prefix "$prefix" >/dev/null
cmake -S "$src/examples/driver" -B "$tmp/driver-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$tmp/driver-build" >/dev/null
plugin="$tmp/driver-build/bucketdb-driver-sqlite.so"
test -f "$plugin"
# Exports exactly its entry point.
syms=$(nm -D --defined-only "$plugin" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sort -u)
[ "$syms" = "bdb_driver_entry" ] || { echo "the plugin exports: $syms" >&2; exit 1; }

check() {
  local out rc=0
  out=$("$prefix/bin/bucketdb" driver-check "$1" 2>&1) || rc=$?
  echo "$out"
  [ "$rc" = 0 ] || { echo "driver-check '$1' exited $rc" >&2; exit 1; }
  grep -q '^driver sqlite (conditional_put, strong_list' <<<"$out"
  # Every check of the conformance suite ran and none failed (a few may skip, with reasons).
  grep -Eq '^[0-9]+ checks: [0-9]+ passed, 0 failed' <<<"$out"
  awk '/^[0-9]+ checks: / {exit !($1 >= 40 && $3 >= $1 - 3)}' <<<"$out"
}
check "plugin:$plugin?path=$tmp/by-path.sqlite&page=3"

# Installed beside the built-in drivers, "sqlite:" finds it; a database runs on it.
cmake --install "$tmp/driver-build" >/dev/null
ls "$prefix"/lib*/bucketdb/bucketdb-driver-sqlite.so >/dev/null
check "sqlite:$tmp/by-scheme.sqlite"
db="sqlite:$tmp/app.sqlite"
"$prefix/bin/bucketdb" --db "$db" schema add - <<'JSON' >/dev/null
{"name":"notes","version":1,"fields":{"id":{"typeId":10,"maxLength":20},"text":{"typeId":10,"maxLength":100}},"primaryKey":"id"}
JSON
"$prefix/bin/bucketdb" --db "$db" put notes '{"id":"n1","text":"stored in SQLite"}' >/dev/null
"$prefix/bin/bucketdb" --db "$db" get notes n1 | grep -q 'stored in SQLite'
echo "driver example test: ok"
