#!/usr/bin/env bash
# schemas.check_compatible: bucketdb-schemac --check-compatible against the previous IDL and
# against stored descriptors (what `bucketdb schema list` prints).
#   compat.sh SCHEMAC SAMPLES_DIR COMPAT_DIR WORK_DIR
set -euo pipefail
schemac=$1 samples=$2 compat=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*"; echo "--- output:"; cat "$work/out" "$work/err" 2>/dev/null; exit 1; }
# run STATUS ARGS...: runs the compiler, expects STATUS.
run() {
  local want=$1
  shift
  set +e
  "$schemac" "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  set -e
  [[ $rc == "$want" ]] || fail "bucketdb-schemac $* gave status $rc, expected $want"
}
has() { grep -qF -- "$1" "$work/out" || fail "expected output line: $1"; }

# v1 -> v2 from the IDL: compatible, and the migration says what changes.
run 0 --check-compatible "$samples/users.fbs" "$samples/users_v2.fbs"
has "users: version 2 can be registered beside version 1"
has "~ name: varchar(50) -> varchar(80): every value converts"
has "+ birth_year (uint16): added; rows written before read it as null"
has "+ index on created"
has "- index on email"
has "Rows keep version 1 until a merge rewrites them"

# The same against the stored descriptor (one JSON per line, as `schema list` prints).
run 0 --emit-json "$samples/users.fbs"
cp "$work/out" "$work/registered.ndjson"
run 0 --check-compatible "$work/registered.ndjson" "$samples/users_v2.fbs"
has "users: version 2 can be registered beside version 1"
has "+ birth_year (uint16): added"
# ...and as one JSON array.
(echo "["; cat "$work/registered.ndjson"; echo "]") >"$work/registered.json"
run 0 --check-compatible "$work/registered.json" "$samples/users_v2.fbs"
has "+ birth_year (uint16): added"

# A version that would lose values: status 3 naming each field, unless --allow-lossy.
run 3 --check-compatible "$samples/users.fbs" "$compat/users_v2_lossy.fbs"
has "INCOMPATIBLE: table users version 2 would lose data"
has "~ score: float64 -> float32: values beyond float32's range become null"
has "- age (uint8): dropped; reads no longer return its values [loses data]"
run 0 --allow-lossy --check-compatible "$samples/users.fbs" "$compat/users_v2_lossy.fbs"
has "- age (uint8): dropped"

# Both versions already registered: registering v2 again is a no-op.
run 0 --emit-json "$samples/users.fbs" "$samples/users_v2.fbs"
cp "$work/out" "$work/both.ndjson"
[[ $(wc -l <"$work/both.ndjson") == 2 ]] || fail "expected two descriptors"
run 0 --check-compatible "$work/both.ndjson" "$samples/users_v2.fbs"
has "version 2 is already registered with this definition"
run 0 --check-compatible "$work/both.ndjson" "$samples/users.fbs"
has "version 1 is already registered with this definition"
# A lower version than the newest one registered: refused.
run 3 --check-compatible "$samples/users_v2.fbs" "$samples/users.fbs"
has "INCOMPATIBLE: version 1 is older than the registered version 2"

# A new primary key, and a changed definition under the same version: refused (status 3).
run 3 --check-compatible "$samples/users.fbs" "$compat/users_new_key.fbs"
has "changes the primary key from 'id' (varchar) to 'uid' (uint64)"
run 3 --check-compatible "$samples/users.fbs" "$compat/users_v1_changed.fbs"
has "version 1 is already registered with a different definition"
has "- email (varchar(254)): dropped"

# A table the old side does not have is simply new.
echo '{"name":"orders","version":1,"fields":{"id":{"typeId":3}},"primaryKey":"id","indexes":[]}' \
  >"$work/orders.json"
run 0 --check-compatible "$work/orders.json" "$samples/users.fbs"
has "users: version 1 is a new table"

# What is not a descriptor is an input error (status 1), naming the file.
echo '{"name":"x"' >"$work/bad.json"
run 1 --check-compatible "$work/bad.json" "$samples/users.fbs"
grep -qF "bad.json" "$work/err" || fail "the error should name bad.json"
echo "check-compatible: ok"
