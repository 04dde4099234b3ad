#!/usr/bin/env bash
# The README's performance table: installs what is missing, builds (release), starts the
# throw-away Ceph S3 server on loopback, runs every benchmark group side by side with its
# peer, and stops the server. Extra arguments go to bucketdb-bench (--json, --only GROUP,
# --rows N, --quick; --no-s3 here skips the server).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/release"
"$root/scripts/setup.sh" "$build" -DCMAKE_BUILD_TYPE=Release -DBDB_BUILD_TESTS=OFF -DBDB_WITH_BINDINGS=OFF

args=()
with_s3=1
for a in "$@"; do
  if [ "$a" = "--no-s3" ]; then with_s3=0; else args+=("$a"); fi
done
if [ "$with_s3" = 1 ]; then
  s3dir="$build/bench-s3-server"
  trap '"$root/scripts/s3-test-server.sh" stop "$s3dir" >/dev/null 2>&1 || true' EXIT
  "$root/scripts/s3-test-server.sh" start "$s3dir" >&2
  eval "$("$root/scripts/s3-test-server.sh" env "$s3dir")"
  args+=(--s3 "s3://$BDB_S3_BUCKET?endpoint=$AWS_ENDPOINT_URL&style=path")
fi
"$build/bin/bucketdb-bench" --dir "$build" "${args[@]}"
