#!/usr/bin/env bash
# The Node benchmark beside the C ABI: one table row per call, calls per second on each side.
#   bench/node/run.sh BUILD_DIR [ROWS] [GETS] [QUERIES]
# BUILD_DIR is a build tree (a release one for figures: scripts/bench.sh builds build/release);
# a sanitized tree needs the ASan runtime preloaded, which this script does when it sees one.
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [ROWS] [GETS] [QUERIES]}
rows=${2:-200000} gets=${3:-200000} queries=${4:-50000}
here=$(cd "$(dirname "$0")" && pwd)
env=()
if [[ $(ldd "$build/lib/libbucketdb.so") == *libasan* ]]; then
  env=(LD_PRELOAD="$(gcc -print-file-name=libasan.so):$(g++ -print-file-name=libstdc++.so.6)"
       ASAN_OPTIONS=detect_leaks=0:handle_segv=0)
fi
c=$(env "${env[@]}" "$build/bin/bucketdb-node-bench-c" "$rows" "$gets" "$queries")
node=$(env "${env[@]}" NODE_PATH="$build/bindings/node/node_modules" node "$here/bench.js" "$rows" "$gets" "$queries")
node - "$c" "$node" "$rows" <<'JS'
const [c, n, rows] = process.argv.slice(2);
const C = JSON.parse(c), N = JSON.parse(n);
const f = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M/s` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k/s` : `${x}/s`);
const line = (what, node, cabi) => console.log(`| ${what} | ${f(node)} | ${f(cabi)} | ${(node / cabi).toFixed(2)}x |`);
console.log(`| ${rows} rows, memory driver | Node | C ABI | Node / C |`);
console.log('| --- | --- | --- | --- |');
line('insert, batches of 1000 (rows)', N.insert, C.insert);
line('point get by primary key, one at a time', N.get, C.get);
line('point get, 64 in flight', N.getConcurrent, C.get);
line('indexed equality query (~10 rows), one at a time', N.query, C.query);
line('indexed equality query, 64 in flight', N.queryConcurrent, C.query);
JS
