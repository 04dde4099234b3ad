#!/usr/bin/env bash
# The README's performance tables: installs what is missing, builds (release), starts the
# throw-away Ceph S3 server on loopback with the delay proxy in front of it
# (tests/s3/delay_proxy.py, 25 ms each way), runs the benchmark groups, and stops both. Extra
# arguments go to bucketdb-bench (--json, --only GROUP, --rows N, --quick; --no-s3 here skips
# the server). The latency group: scripts/bench.sh --only latency [--rows 1000000].
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/release"
"$root/scripts/setup.sh" "$build" -DCMAKE_BUILD_TYPE=Release -DBDB_BUILD_TESTS=OFF -DBDB_WITH_BINDINGS=OFF

args=()
with_s3=1
for a in "$@"; do
  if [ "$a" = "--no-s3" ]; then with_s3=0; else args+=("$a"); fi
done
bench=("$build/bin/bucketdb-bench" --dir "$build")
if [ "$with_s3" = 1 ]; then
  s3dir="$build/bench-s3-server"
  trap '"$root/scripts/s3-test-server.sh" stop "$s3dir" >/dev/null 2>&1 || true' EXIT
  "$root/scripts/s3-test-server.sh" start "$s3dir" >&2
  eval "$("$root/scripts/s3-test-server.sh" env "$s3dir")"
  args+=(--s3 "s3://$BDB_S3_BUCKET?endpoint=$AWS_ENDPOINT_URL&style=path"
         --s3-delayed "s3://$BDB_S3_BUCKET?endpoint=@DELAYED_ENDPOINT@&style=path" --s3-rt-ms 50)
  bench=("$root/tests/s3/with_delay_proxy.sh" 25 -- "${bench[@]}")
fi
"${bench[@]}" "${args[@]}"
