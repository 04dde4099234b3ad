#!/usr/bin/env bash
# libbucketdb exports exactly the bdb_* C symbols, each driver plugin exactly bdb_driver_entry
# and the conformance module its bdb_conformance_* entry points (conformance/entry.h): no C++
# symbol (libstdc++ templates included) leaks through.
#   check.sh LIBRARY PLUGIN...
set -euo pipefail
lib=$1
shift
symbols() { nm -D --defined-only "$1" | awk '$2 ~ /^[TDBRVWi]$/ {print $3}' | sed 's/@.*//' | sort -u; }

bad=$(symbols "$lib" | grep -v '^bdb_' || true)
[ -z "$bad" ] || { echo "$lib exports non-bdb_ symbols:"; echo "$bad"; exit 1; }
count=$(symbols "$lib" | grep -c '^bdb_')
want=$(grep -cE '^BDB_API ' "$(dirname "$0")/../../../abi/include/bucketdb/bucketdb.h")
[ "$count" -eq "$want" ] || { echo "$lib exports $count bdb_ symbols, bucketdb.h declares $want"; exit 1; }
echo "$lib: $count bdb_* symbols, nothing else"

for plugin in "$@"; do
  got=$(symbols "$plugin" | tr '\n' ' ')
  want="bdb_driver_entry "
  case "$plugin" in
    */bucketdb-conformance.so) want="bdb_conformance_abi bdb_conformance_free bdb_conformance_run " ;;
  esac
  [ "$got" = "$want" ] || { echo "$plugin exports: $got"; exit 1; }
  echo "$plugin: $want"
done
