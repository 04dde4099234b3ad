#!/usr/bin/env bash
# Quick start: installs what is missing, builds (release), and runs a short demo on the
# embedded file driver: register a schema, write, read back, query.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/release"
"$root/scripts/setup.sh" "$build" -DCMAKE_BUILD_TYPE=Release -DBDB_BUILD_TESTS=OFF -DBDB_WITH_BINDINGS=OFF

db="file:$build/demo-db"
rm -rf "$build/demo-db"
bucketdb() { "$build/bin/bucketdb" --db "$db" "$@"; }
show() { echo "\$ bucketdb $*"; bucketdb "$@"; }

echo "== the C API (examples/c/quickstart.c)"
"$build/bin/bucketdb-quickstart" "$db"
echo
echo "== the command-line program, on the same database"
show schema add "$root/examples/schemas/users.json"
printf '%s\n' \
  '{"id":"u4","name":"Dave","age":52,"active":false,"score":71.5,"created":1700000000000}' \
  '{"id":"u5","name":"Erin","age":19,"active":true,"score":88.25,"created":1700000100000}' |
  { echo '$ bucketdb put users - <<NDJSON'; bucketdb put users -; }
show get users u2
show query users --where 'age >= 25' --order age:desc --limit 3
show query users --where 'name prefix "E"'
show query users --count
show merge
show query users --where 'active = true'
show stats
