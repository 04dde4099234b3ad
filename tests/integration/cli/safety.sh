#!/usr/bin/env bash
# cli.safety: nothing the command line does loses or hides data silently. Reads create
# nothing and write nothing; a lossy schema version needs --allow-lossy; a lost Block 0 or
# log entry is an error until `recover` repairs it.
source "$(dirname "$0")/lib.sh" "$@"

# A read of a database that does not exist: an error, and nothing appears on disk.
DB="file:$WORK/typo"
status 3 bdb query users
contains "$ERR" "no database at"
[[ ! -e $WORK/typo ]] || fail "a read created $WORK/typo"
status 3 bdb schema list
[[ ! -e $WORK/typo ]] || fail "schema list created $WORK/typo"

DB="file:$WORK/db"
cat >"$WORK/v1.json" <<'JSON'
{"name":"users","version":1,"fields":{"id":{"typeId":10,"maxLength":36},
 "name":{"typeId":10,"maxLength":50},"age":{"typeId":1}},"primaryKey":"id","indexes":["name"]}
JSON
ok bdb schema add "$WORK/v1.json"
ok bdb put users '{"id":"u10","name":"Bob","age":30}'
ok bdb put users '{"id":"u2","name":"Alice","age":31}'
ok bdb merge

# A version that narrows fields is refused, naming each; the rows stay whole.
cat >"$WORK/v2.json" <<'JSON'
{"name":"users","version":2,"fields":{"id":{"typeId":10,"maxLength":36},
 "name":{"typeId":10,"maxLength":3},"age":{"typeId":13}},"primaryKey":"id","indexes":["name"]}
JSON
status 3 bdb schema add "$WORK/v2.json"
contains "$ERR" "would lose data"
contains "$ERR" "field 'name' varchar(50) -> varchar(3)"
ok bdb merge
ok bdb get users u2
contains "$OUT" '"name":"Alice"'
ok bdb schema add --allow-lossy "$WORK/v2.json"
ok bdb get users u2
contains "$OUT" '"id":"u2"'

# A read whose close would merge (one entry is enough here) writes nothing.
ok bdb put users '{"id":"u3","name":"Cy","age":1}'
before=$(find "$WORK/db" -type f | sort | md5sum)
ok bdb --option mergeThresholdEntries=1 query users
ok bdb --option mergeThresholdEntries=1 stats
after=$(find "$WORK/db" -type f | sort | md5sum)
same "$after" "$before" "files after read commands"

# A lost Block 0: an error naming it, nothing replaced; recover rebuilds it.
rm "$WORK/db/main/block0"
status 3 bdb get users u2
contains "$ERR" "Block 0 missing"
[[ ! -e $WORK/db/main/block0 ]] || fail "a new Block 0 was written"
status 3 bdb put users '{"id":"u4","name":"Di","age":2}'
contains "$ERR" "Block 0 missing"
run bdb recover
[[ $RC == 0 ]] || fail "recover (a dry run) should succeed"
contains "$OUT" '"block0":"missing"'
contains "$ERR" "nothing was written"
[[ ! -e $WORK/db/main/block0 ]] || fail "recover without --write wrote"
ok bdb recover --write
ok bdb get users u3
contains "$OUT" '"name":"Cy"'
ok bdb get users u10
contains "$OUT" '"name":"Bob"'

# A lost log entry followed by others: a gap, reported until given up.
ok bdb --option autoMerge=0 put users '{"id":"u5","name":"Ed","age":5}'
ok bdb --option autoMerge=0 put users '{"id":"u6","name":"Flo","age":6}'
last=$(ls "$WORK/db/main/committed" | sort | tail -1)
gap=$(ls "$WORK/db/main/committed" | sort | tail -2 | head -1)
rm "$WORK/db/main/committed/$gap"
status 3 bdb get users u6
contains "$ERR" "gap in the log"
status 3 bdb recover --write
contains "$ERR" "is missing"
ok bdb recover --write --accept-lost-entries
ok bdb get users u6
status 1 bdb get users u5
echo "cli.safety: ok"
