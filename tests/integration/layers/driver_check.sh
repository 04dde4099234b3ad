#!/usr/bin/env bash
# `bucketdb driver-check URI`: passes (exit 0, every check "ok") on layered stores and on a
# plugin given by path, and on a broken store names the failing checks (exit 3).
#   driver_check.sh BUCKETDB CRYPT_PLUGIN_SO
set -euo pipefail
bin=$1 crypt_plugin=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export BUCKETDB_CRYPT_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f

fail() {
  echo "FAIL: $*" >&2
  echo "--- output:" >&2
  cat "$tmp/out" >&2 || true
  exit 1
}

# check EXPECTED_STATUS URI: runs driver-check, output in $tmp/out.
check() {
  local want=$1 uri=$2 rc=0
  "$bin" driver-check "$uri" >"$tmp/out" 2>&1 || rc=$?
  [ "$rc" = "$want" ] || fail "driver-check '$uri' exited $rc, expected $want"
  if grep -q Sanitizer "$tmp/out"; then fail "sanitizer report for '$uri'"; fi
}

# 1. Every layer stacked over file: stores, and a plugin given by its path (the crypt layer
#    built here: for plugin: URIs the config is what follows the first '?', here its inner URI
#    with a query of its own).
for uri in \
  "compress:crypt:cache:tiered:file:$tmp/slow?cache.dir=$tmp/cache&tiered.fast=file:$tmp/fast" \
  "plugin:$crypt_plugin?file:$tmp/plugin-store?crypt.key_id=check"; do
  check 0 "$uri"
  grep -q '^41 checks: 3[89] passed, 0 failed' "$tmp/out" || fail "not all checks passed for '$uri'"
  if grep -q FAIL "$tmp/out"; then fail "a FAIL line for '$uri'"; fi
done
grep -q '^driver crypt (conditional_put, strong_list' "$tmp/out" || fail "no driver line"
# The checks delete what they wrote.
for d in slow fast plugin-store; do
  [ -z "$(find "$tmp/$d" -type f ! -name .bucketdb-lock)" ] || fail "driver-check left objects behind in $d"
done

# 2. --json gives the same report as JSON.
"$bin" driver-check --json "memory:json-check" >"$tmp/out" 2>&1 || fail "--json failed"
grep -q '"driver":"memory"' "$tmp/out" || fail "--json: no driver field"
grep -q '"failed":0' "$tmp/out" || fail "--json: failures"

# 3. A store that corrupts every other read: the failing checks are named, with a reason.
check 3 "faulty:memory:broken?faulty.ops=get&faulty.action=corrupt&faulty.every=2"
grep -q '^  FAIL  overwrite replaces data and ETag (.*): get .over/write. returned' "$tmp/out" || fail "the failing check is not named"
grep -q 'checks failed' "$tmp/out" || fail "no summary of failures"

# 4. A plugin that cannot be loaded: a clear error, not a report.
check 3 "plugin:$tmp/no-such-driver.so"
grep -q 'does not exist' "$tmp/out" || fail "no reason given for a missing plugin"
echo "driver-check test: ok"
