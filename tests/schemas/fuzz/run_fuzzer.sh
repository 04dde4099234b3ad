#!/usr/bin/env bash
# schemas.fuzz_decode with libFuzzer: a bounded run over the checked-in corpus. New inputs go
# to a scratch directory (the checked-in corpus stays as it is); a crash leaves its input in
# WORK_DIR: add it to tests/schemas/fuzz/corpus as a regression test, then fix the bug.
#   run_fuzzer.sh FUZZER CORPUS_DIR WORK_DIR SECONDS
set -euo pipefail
fuzzer=$1 corpus=$2 work=$3 seconds=$4
rm -rf "$work"
mkdir -p "$work/new"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/" "$work/new" "$corpus"
