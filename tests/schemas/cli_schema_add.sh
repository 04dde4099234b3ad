#!/usr/bin/env bash
# schemas.cli_schema_add: `bucketdb schema add FILE.fbs` registers every table of an IDL file
# (through bucketdb-schemac --emit-json beside the program), exactly as the compiler's
# descriptor; versions, key changes, IDL errors and a missing compiler behave.
#   cli_schema_add.sh BUCKETDB SCHEMAC SOURCE_DIR WORK_DIR
set -euo pipefail
bin=$1 schemac=$2 src=$3 work=$4
samples=$src/schemas/samples
rm -rf "$work"
mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: $*"; echo "--- stdout:"; cat out; echo "--- stderr:"; cat err; exit 1; }
run() {
  local want=$1
  shift
  set +e
  "$@" >out 2>err
  local rc=$?
  set -e
  [[ $rc == "$want" ]] || fail "$* gave status $rc, expected $want"
  if grep -q Sanitizer err; then fail "sanitizer report"; fi
}
bdb() { "$bin" --db "file:$work/db" "$@"; }

run 0 bdb schema add "$samples/users.fbs"
run 0 bdb schema list
"$schemac" --emit-json "$samples/users.fbs" >expected
diff -u expected out || fail "schema list differs from the compiler's descriptor"
run 0 bdb schema add "$samples/users.fbs"  # the same version again: a no-op
run 3 bdb schema add "$src/tests/schemas/compat/users_v2_lossy.fbs"
grep -qF "field 'age' (uint8) is dropped" err || fail "expected the lossy field named"
run 0 bdb schema add "$samples/users_v2.fbs"
run 0 bdb schema list
[[ $(wc -l <out) == 2 ]] || fail "expected versions 1 and 2"
run 0 bdb put users '{"id":"u1","name":"Ada","birth_year":1815,"score":1.5}'
run 0 bdb get users u1
grep -qF '"birth_year":1815' out || fail "the document of version 2"

# What the engine refuses, and what does not map, fail with status 3 and say why.
run 3 bdb schema add "$src/tests/schemas/compat/users_new_key.fbs"
grep -qF "primary key" err || fail "expected the primary key message"
run 3 bdb schema add "$src/tests/schemas/bad/unions_structs_vectors.fbs"
grep -qF "unions_structs_vectors.fbs:13: error: field 'u' of table 'things'" err ||
  fail "expected the compiler's error with file, line and field"
[[ $(head -c 10 err) == "bucketdb: " ]] || fail "errors start with 'bucketdb: '"
BUCKETDB_SCHEMAC=/nonexistent/bucketdb-schemac run 3 bdb schema add "$samples/users.fbs"
grep -qF "cannot run the schema compiler" err || fail "expected a missing-compiler message"

# Includes beside the file are found; others need -I.
mkdir -p inc
echo 'attribute "my_tool";' >inc/tool.fbs
printf 'include "bucketdb.fbs";\ninclude "tool.fbs";\ntable notes { id: int (key); body: string (my_tool); }\n' >notes.fbs
run 3 bdb schema add notes.fbs
grep -qF "tool.fbs" err || fail "expected the missing include named"
run 0 bdb schema add -I inc notes.fbs
run 0 bdb put notes '{"id":1,"body":"hi"}'
echo "cli schema add: ok"
