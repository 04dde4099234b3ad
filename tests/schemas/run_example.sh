#!/usr/bin/env bash
# schemas.example_c / schemas.example_cpp: runs an example twice on one fresh file: database
# (the second run finds the first one's data and upserts over it) and checks its output.
#   run_example.sh PROGRAM WORK_DIR EXPECTED_LINE...
set -euo pipefail
program=$1 work=$2
shift 2
rm -rf "$work"
mkdir -p "$work"
for run in 1 2; do
  "$program" "file:$work/db" >"$work/out.$run" 2>"$work/err.$run" || {
    echo "FAIL: run $run exited with $?"; cat "$work/out.$run" "$work/err.$run"; exit 1; }
  if [[ -s "$work/err.$run" ]]; then echo "FAIL: run $run wrote to stderr"; cat "$work/err.$run"; exit 1; fi
  for line in "$@"; do
    grep -qxF -- "$line" "$work/out.$run" || {
      echo "FAIL: run $run did not print: $line"; cat "$work/out.$run"; exit 1; }
  done
done
cat "$work/out.2"
