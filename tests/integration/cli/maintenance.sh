#!/usr/bin/env bash
# cli.maintenance: merge folds the log and every query answers the same; inspect and stats
# print valid JSON; gc deletes only past the grace period.
source "$(dirname "$0")/lib.sh"

setup_schemas
ok bdb put users - --batch 2 <"$HERE/users.ndjson"
ok bdb put events '{"seq":18446744073709551615,"delta":-9223372036854775808}'
ok bdb delete users u2

snapshot() {
  local out=""
  ok bdb query users; out+="$OUT"$'\n'
  ok bdb query users --where 'age >= 30'; out+="$OUT"$'\n'
  ok bdb query users --order score:desc; out+="$OUT"$'\n'
  ok bdb query users --where 'nick prefix "b"' --select nick; out+="$OUT"$'\n'
  ok bdb query users --count; out+="$OUT"$'\n'
  ok bdb query events; out+="$OUT"$'\n'
  ok bdb get events 18446744073709551615; out+="$OUT"$'\n'
  SNAP=$out
}

# inspect: each section is valid JSON; before a merge the log holds unmerged entries.
for what in block0 log blocks; do
  ok bdb inspect "$what"
  json_valid "$OUT"
  same "$(wc -l <<<"$OUT")" 1 "inspect $what: one line when stdout is not a terminal"
done
ok bdb inspect
contains "$OUT" '"appliedSeq":0' "inspect defaults to block0"
ok bdb inspect log
contains "$OUT" '"merged":false'

snapshot
before=$SNAP

# merge: prints the number of entries folded (schemas, 3 batches, 1 put, 1 delete), then 0.
ok bdb merge
[[ $OUT =~ ^[0-9]+$ && $OUT -ge 5 ]] || fail "merge: expected a count of at least 5"
folded=$OUT
ok bdb merge
same "$OUT" 0 "nothing left to merge"
snapshot
same "$SNAP" "$before" "queries after merge"

ok bdb inspect block0
json_valid "$OUT"
contains "$OUT" "\"appliedSeq\":$folded"
ok bdb inspect blocks
json_valid "$OUT"
contains "$OUT" '"table":"users"'
contains "$OUT" '"table":"events"'
ok bdb inspect log
json_valid "$OUT"

# Writes after the merge sit in the log on top of the blocks; queries see both.
ok bdb put users '{"id":"u7","age":30,"score":7}'
ok bdb delete users u1
ok bdb query users --where 'age = 30'
same "$(ids "$OUT")" u5,u7
ok bdb merge
same "$OUT" 2
ok bdb query users --where 'age = 30'
same "$(ids "$OUT")" u5,u7

# stats: valid JSON naming the tables.
ok bdb stats
json_valid "$OUT"
contains "$OUT" '"tables"'
contains "$OUT" '"name":"users"'

# gc: nothing is old enough under the default grace of an hour; with a grace of 0 the merged
# log entries go, and every answer stays the same.
ok bdb gc
same "$OUT" 0
snapshot
before=$SNAP
ok bdb --option gcGraceMs=0 gc
[[ $OUT =~ ^[0-9]+$ && $OUT -gt 0 ]] || fail "gc: expected a positive count"
ok bdb --option gcGraceMs=0 gc
snapshot
same "$SNAP" "$before" "queries after gc"

# History: --as-of SEQ reads the database as it was after that commit, across merges;
# --as-of-time takes milliseconds or ISO 8601; states older than the grace are gone.
ok bdb put users '{"id":"hist","nick":"one","age":1}'
ok bdb inspect log
seq=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["lastSeq"])' "$OUT")
ok bdb merge
ok bdb put users '{"id":"hist","nick":"two","age":2}'
ok bdb query users --where 'id = "hist"' --as-of "$seq"
same "$OUT" '{"id":"hist","age":1,"nick":"one"}'
ok bdb query users --where 'id = "hist"' --as-of "$((seq - 1))"
same "$OUT" ""
ok bdb query users --where 'id = "hist"'
same "$OUT" '{"id":"hist","age":2,"nick":"two"}'
ok bdb query users --where 'id = "hist"' --as-of-time "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
same "$OUT" '{"id":"hist","age":2,"nick":"two"}'
status 2 bdb query users --as-of-time yesterday
status 2 bdb query users --as-of 1 --as-of-time 5
ok bdb merge
ok bdb --option gcGraceMs=0 gc
status 3 bdb query users --as-of "$seq"
contains "$ERR" "no longer retained"

# --option autoMerge=1 is accepted and the process still ends cleanly.
ok bdb --option autoMerge=1 --option mergeIntervalMs=0 query users --count
same "$OUT" 5

echo "cli.maintenance: ok"
