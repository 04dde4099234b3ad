#!/usr/bin/env bash
# cli.admin: whole-database commands. export and import round-trip exactly; verify names each
# damaged object (status 3); drop table and drop index; progress on stderr only when it is a
# terminal.
source "$(dirname "$0")/lib.sh"

setup_schemas
ok bdb put users - <"$HERE/users.ndjson"
ok bdb put events '{"seq":18446744073709551615,"delta":-9223372036854775808,"note":"café"}'
ok bdb merge
ok bdb put users '{"id":"late","nick":"unmerged"}'

# export to stdout and to a file (the same lines), import into another database, export
# again: the same lines but the header's log position.
ok bdb export
head -1 <<<"$OUT" | grep -q '^{"bucketdb":"export","format":1,' || fail "export: a header first"
same "$(grep -c '^{"schema":' <<<"$OUT")" 2 "two schema versions"
same "$(grep -c '^{"table":' <<<"$OUT")" 7 "seven rows"
first=$OUT
ok bdb export dump.ndjson
same "$(cat dump.ndjson)" "$first" "export FILE writes what export prints"
echo "older content, longer than nothing" >appended.ndjson
bdb export >>appended.ndjson
same "$(head -1 appended.ndjson)" "older content, longer than nothing" "export >> appends"
COPY="file:$WORK/copy"
ok "$BIN" --db "$COPY" import dump.ndjson --batch 3
same "$OUT" 7
ok "$BIN" --db "$COPY" export
same "$(tail -n +2 <<<"$OUT")" "$(tail -n +2 <<<"$first")" "export of the import"
status 3 "$BIN" --db "$COPY" import dump.ndjson
contains "$ERR" "already exists"
contains "$ERR" "nothing was imported"
ok "$BIN" --db "$COPY" import --upsert - <dump.ndjson
same "$OUT" 7
printf '{"bucketdb":"export","format":1}\n{"table":"users","row":{"id":"x","id":"y"}}\n' >dup.ndjson
status 3 "$BIN" --db "$COPY" import dup.ndjson
contains "$ERR" "line 2"
contains "$ERR" "appears twice"
status 3 "$BIN" --db "$COPY" import "$HERE/users.ndjson"
contains "$ERR" "not a BucketDB export"

# verify: all sound; then each damaged object on a line of its own, status 3.
ok bdb verify
contains "$OUT" "all sound"
ok bdb verify --json
json_valid "$OUT"
contains "$OUT" '"ok":true'
# The hint writers leave when they contend (PREFIX/contended: digits and spaces) is sound.
printf '8123456789012 1765080000000' >"$WORK/db/main/contended"
ok bdb verify
contains "$OUT" "all sound"
ok bdb verify --json
contains "$OUT" '"contention hint":1'
printf 'garbage' >"$WORK/db/main/contended"
status 3 bdb verify
contains "$OUT" "damaged contention hint main/contended: not a contention hint"
rm "$WORK/db/main/contended"
block=$(find "$WORK/db/main/data" -type f | sort | head -1)
printf 'X' | dd of="$block" bs=1 seek=40 conv=notrunc status=none
manifest=$(find "$WORK/db/main/manifest" -type f | head -1)
status 3 bdb verify
contains "$OUT" "damaged data block main/data/"
contains "$ERR" "verify: 1 of"
contains "$ERR" "objects damaged"
rm "$manifest"
status 3 bdb verify
contains "$OUT" "damaged manifest page main/manifest/"
contains "$OUT" "missing"

# drop: a table goes at once, its name is free; an index drop registers the next version.
ok "$BIN" --db "$COPY" drop index users age
ok "$BIN" --db "$COPY" schema list
contains "$OUT" '"version":2'
status 3 "$BIN" --db "$COPY" drop index users age
contains "$ERR" "no index on 'age'"
ok "$BIN" --db "$COPY" query users --where 'age = 30' --explain
contains "$OUT" "full scan"
ok "$BIN" --db "$COPY" drop table events
status 3 "$BIN" --db "$COPY" query events
contains "$ERR" events
status 3 "$BIN" --db "$COPY" drop table events
ok "$BIN" --db "$COPY" schema add - <<<'{"name":"events","version":1,"fields":{"code":{"typeId":10}},"primaryKey":"code"}'
ok "$BIN" --db "$COPY" query events --count
same "$OUT" 0
status 2 "$BIN" --db "$COPY" drop
contains "$ERR" "table, index"

# Progress: on a terminal, long work reports on stderr; in a pipe, nothing (stderr stays empty
# above). `script` gives the command a terminal.
if command -v script >/dev/null; then
  script -qec "$BIN --db $COPY verify" /dev/null >tty.out 2>&1 || true
  grep -q 'bucketdb: verify: ' tty.out || fail "verify shows no progress on a terminal: $(cat tty.out)"
  script -qec "$BIN --db file:$WORK/copy2 import $WORK/dump.ndjson --batch 1" /dev/null >tty.out 2>&1 || true
  grep -q 'bucketdb: import: ' tty.out || fail "import shows no progress on a terminal: $(cat tty.out)"
fi
echo "cli.admin: ok"
