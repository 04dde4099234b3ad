#!/usr/bin/env bash
# cli.errors: help and version, usage errors (status 2), and failures (status 3) whose message
# names the table, field or file involved. Usage errors never touch the database.
source "$(dirname "$0")/lib.sh"

# Help and version.
ok "$BIN" --help
contains "$OUT" query
contains "$OUT" --db
for cmd in "schema add" "schema list" put get delete query merge gc inspect stats; do
  # shellcheck disable=SC2086
  ok "$BIN" $cmd --help
  contains "$OUT" "Usage: bucketdb $cmd"
done
ok "$BIN" query --help
contains "$OUT" --where
ok "$BIN" --version
[[ $OUT =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "--version: expected a version number"

# Usage errors: status 2, before any database is opened (the store stays absent).
usage() {
  status 2 bdb "$@"
  [[ ! -e db ]] || fail "a usage error created the database"
}
usage
usage frob
contains "$ERR" "unknown command 'frob'"
usage schema
usage schema frob x
usage --frob stats
usage get users
usage put users
usage put users - --batch 0
usage put users - --batch x
usage query
usage query users --limit -1
usage query users --offset x
usage query users --order age:sideways
usage query users --order ''
usage inspect frob
usage --option autoMerge stats
usage --option autoMerge=2 stats
contains "$ERR" autoMerge
usage --option noSuchOption=1 stats
contains "$ERR" noSuchOption
usage --node 256 stats
usage --node x stats
usage --ring 0 stats

# Bad --where: the split, the operator, the presence of VALUE, VALUE as JSON.
for w in 'age' 'age =' 'age=30' 'age == 30' 'age like "a%"' 'age IN [1]' 'age isnull 1' \
  'age notnull null' 'age in 3' 'nick = bob' 'age > ' '' '   '; do
  usage query users --where "$w"
  contains "$ERR" "--where"
done

# Failures: status 3 with a message naming what is wrong.
setup_schemas
status 3 bdb query nosuch
contains "$ERR" nosuch
status 3 bdb get nosuch k
contains "$ERR" nosuch
status 3 bdb put nosuch '{"id":"x"}'
contains "$ERR" nosuch
status 3 bdb delete nosuch k
contains "$ERR" nosuch
status 3 bdb query users --where 'zzz = 1'
contains "$ERR" zzz
status 3 bdb query users --order zzz
contains "$ERR" zzz
status 3 bdb query users --select zzz
contains "$ERR" zzz
status 3 bdb query users --where 'age = "x"'
contains "$ERR" age
status 3 bdb put users '{"id":"x","zzz":1}'
contains "$ERR" zzz
status 3 bdb put users '{"id":"x","age":"old"}'
contains "$ERR" age
status 3 bdb put users '{"id":'
contains "$ERR" JSON
status 3 bdb put users '[1,2]'
status 3 bdb put users '{"age":3}'
contains "$ERR" id
printf '{"id":"ok"}\n{"id":"x","nick":"this nickname is far too long"}\n' >long.ndjson
status 3 bdb put users - <long.ndjson
contains "$ERR" "line 2"
contains "$ERR" nick
status 1 bdb get users ok

# Schemas: a .fbs that does not map names its file, line and field; bad files name themselves.
printf 'table T {\n  id: string (key);\n  tags: [string];\n}\n' >t.fbs
status 3 bdb schema add t.fbs
contains "$ERR" "t.fbs:3: error: field 'tags' of table 'T'"
status 3 bdb schema add missing.json
contains "$ERR" missing.json
echo '{"name":' >bad.json
status 3 bdb schema add bad.json
contains "$ERR" JSON
echo '{"name":"users","version":1,"fields":{"id":{"typeId":10}},"primaryKey":"id"}' >changed.json
status 3 bdb schema add changed.json
contains "$ERR" users

# A URI with no driver.
status 3 "$BIN" --db nosuchdriver:x stats
contains "$ERR" nosuchdriver

# Nothing above wrote a document.
ok bdb query users --count
same "$OUT" 0

# memory: lives and dies with its process: a schema added in one run is gone in the next.
ok "$BIN" --db memory: schema add "$HERE/users.json"
status 3 "$BIN" --db memory: schema list
contains "$ERR" "no database at memory:"
status 3 "$BIN" --db memory: query users
contains "$ERR" "no database at memory:"

# --log-level: a store without conditional writes warns at the default level, not at error;
# a bad level is a usage error naming the option.
NOCOND="faulty:file:$WORK/nocond?faulty.conditional=0"
ok "$BIN" --db "$NOCOND" --log-level silent schema add "$HERE/users.json"
run "$BIN" --db "$NOCOND" stats
same "$RC" 0
contains "$ERR" "bucketdb: engine: warning: storage"
contains "$ERR" "no conditional writes"
ok "$BIN" --db "$NOCOND" --log-level error stats
ok "$BIN" --db "$NOCOND" stats --log-level silent
status 2 "$BIN" --db "$NOCOND" --log-level loud stats
contains "$ERR" logLevel

echo "cli.errors: ok"
