#!/usr/bin/env bash
# schemas.compile_errors: every IDL in bad/ fails to compile (status 1) with, for each
# "// expect: LINE: TEXT" comment it carries, an error on that line of that file containing
# TEXT; no header is left behind.
#   compile_errors.sh SCHEMAC BAD_DIR WORK_DIR
set -euo pipefail
schemac=$1 bad=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
failures=0
for fbs in "$bad"/*.fbs; do
  name=$(basename "$fbs")
  before=$failures
  out="$work/${name%.fbs}"
  mkdir -p "$out"
  touch "$out/${name%.fbs}_bdb.h"  # a stale header from an earlier good run
  set +e
  "$schemac" -o "$out" "$fbs" >"$out/stdout" 2>"$out/stderr"
  rc=$?
  set -e
  if [[ $rc != 1 ]]; then
    echo "FAIL $name: status $rc, expected 1"; failures=$((failures + 1))
  fi
  if [[ -e "$out/${name%.fbs}_bdb.h" || -e "$out/${name%.fbs}_bdb.hpp" ]]; then
    echo "FAIL $name: headers left behind after a failed compile"; failures=$((failures + 1))
  fi
  while IFS= read -r expect; do
    line=${expect%%: *}
    text=${expect#*: }
    if ! grep -F "$name:$line: " "$out/stderr" | grep -qF -- "$text"; then
      echo "FAIL $name: no error at line $line containing: $text"
      failures=$((failures + 1))
    fi
  done < <(sed -n 's|^// expect: ||p' "$fbs")
  if ((failures > before)); then sed 's/^/    /' "$out/stderr"; fi
done
if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "compile errors: ok"
