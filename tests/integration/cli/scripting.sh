#!/usr/bin/env bash
# cli.scripting: what a script needs in its first hour. Compare-and-set with the version get
# prints; patch; delete by key (status 1 when absent) and by query; keys read as they print
# (bytes keys as base64); blobs to and from files; orders of several keys.
source "$(dirname "$0")/lib.sh"

setup_schemas
ok bdb put users - <"$HERE/users.ndjson"

# get --with-version, then compare-and-set: the right version writes (printing the new one),
# a stale one is refused (status 3) and writes nothing.
ok bdb get users u1 --with-version
json_valid "$OUT"
[[ $OUT =~ ^\{\"version\":([0-9]+),\"misc\":[0-9]+,\"doc\":\{\"id\":\"u1\" ]] ||
  fail "get --with-version: expected {\"version\":N,\"misc\":MS,\"doc\":{...}}"
v1=${BASH_REMATCH[1]}
ok bdb put users '{"id":"u1","age":31}' --expect-version "$v1"
[[ $OUT =~ ^[0-9]+$ && $OUT -gt $v1 ]] || fail "put --expect-version prints the new version"
v2=$OUT
status 3 bdb put users '{"id":"u1","age":99}' --expect-version "$v1"
contains "$ERR" "expected version $v1, found $v2"
ok bdb get users u1
same "$OUT" '{"id":"u1","age":31}'
# 0: only if there is no row.
status 3 bdb put users '{"id":"u1"}' --expect-version 0
ok bdb put users '{"id":"fresh"}' --expect-version 0
status 2 bdb put users - --expect-version 3 </dev/null
contains "$ERR" "one document"

# patch: some fields of an existing row; a missing row is status 1.
ok bdb patch users '{"id":"u1","nick":"robert"}'
ok bdb get users u1
same "$OUT" '{"id":"u1","age":31,"nick":"robert"}'
ok bdb patch users '{"id":"u1","age":null}'
ok bdb get users u1
same "$OUT" '{"id":"u1","nick":"robert"}'
status 1 bdb patch users '{"id":"nobody","age":1}'
contains "$ERR" "no such row"
ok bdb get users u1 --with-version
v3=$(sed -E 's/^\{"version":([0-9]+).*/\1/' <<<"$OUT")
status 3 bdb patch users '{"id":"u1","age":7}' --expect-version "$v1"
ok bdb patch users '{"id":"u1","age":7}' --expect-version "$v3"
printf '{"id":"u3","age":41}\n{"id":"u5","nick":"caroline"}\n' >patch.ndjson
ok bdb patch users - <patch.ndjson
ok bdb get users u5
contains "$OUT" '"nick":"caroline"'

# delete by key: status 1 when there is nothing; --expect-version guards it too.
status 1 bdb delete users nobody
contains "$ERR" 'delete from users "nobody": no such row'
ok bdb get users u4 --with-version
v4=$(sed -E 's/^\{"version":([0-9]+).*/\1/' <<<"$OUT")
status 3 bdb delete users u4 --expect-version 1
ok bdb delete users u4 --expect-version "$v4"
status 1 bdb get users u4

# delete by query: one atomic batch, or batches of --batch; prints how many.
for i in $(seq 1 25); do echo "{\"id\":\"t$i\",\"age\":$((i % 5))}"; done >many.ndjson
ok bdb put users - <many.ndjson
ok bdb delete users --where 'id prefix "t"' --where 'age = 0'
same "$OUT" 5
ok bdb query users --where 'id prefix "t"' --count
same "$OUT" 20
ok bdb delete users --where 'age = 1' --or --where 'age = 2' --batch 3
same "$OUT" 10
ok bdb query users --where 'id prefix "t"' --count
same "$OUT" 10
ok bdb delete users --where 'id prefix "zzz"'
same "$OUT" 0
status 2 bdb delete users
contains "$ERR" "KEY or --where"
status 2 bdb delete users u1 --where 'age = 1'
status 2 bdb delete users --where 'age = 1' --expect-version 3
status 2 bdb delete users u1 --batch 3
status 2 bdb delete users --where 'age'

# Keys read the way they print: a bytes key's base64, bare or quoted, finds its row.
ok bdb schema add - <<<'{"name":"bin","version":1,"fields":{"k":{"typeId":16},"blob":{"typeId":11}},"primaryKey":"k"}'
ok bdb put bin '{"k":"AAEC/w=="}'
ok bdb query bin
same "$OUT" '{"k":"AAEC/w=="}'
ok bdb get bin AAEC/w==
same "$OUT" '{"k":"AAEC/w=="}'
ok bdb get bin '"AAEC/w=="'
status 3 bdb get bin 'not base64!'
contains "$ERR" "field 'k'"

# Blobs to and from files, bytes exact (every byte value, a NUL included).
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 300)' >in.bin
ok bdb blob put bin AAEC/w== blob in.bin
[[ $OUT =~ ^[0-9a-f-]{36}$ ]] || fail "blob put prints the blob's id"
ok bdb blob get bin AAEC/w== blob out.bin
cmp in.bin out.bin || fail "blob get wrote other bytes"
[[ $(bdb blob get bin AAEC/w== blob - | md5sum) == $(md5sum <in.bin) ]] ||
  fail "blob get - wrote other bytes"
ok bdb blob put bin AAEC/w== blob - <<<"small"
ok bdb blob get bin AAEC/w== blob -
same "$OUT" small
status 1 bdb blob put bin AAAA blob in.bin
status 1 bdb blob get bin AAAA blob out.bin
ok bdb put bin '{"k":"AAAA"}'
status 1 bdb blob get bin AAAA blob out.bin
contains "$ERR" "holds no blob"
status 3 bdb blob put bin AAEC/w== blob missing.bin
contains "$ERR" missing.bin

# Orders of several keys, each breaking the ties of those before; pages keep the order.
ok bdb put users - <<<$'{"id":"o1","age":9,"nick":"b"}\n{"id":"o2","age":9,"nick":"a"}\n{"id":"o3","age":8,"nick":"b"}'
ok bdb query users --where 'id prefix "o"' --order age:desc,nick
same "$(ids "$OUT")" o2,o1,o3
ok bdb query users --where 'id prefix "o"' --order nick --order age
same "$(ids "$OUT")" o2,o3,o1
ok bdb query users --where 'id prefix "o"' --order nick,age --limit 2 --page-token
token=$(tail -1 <<<"$OUT")
ok bdb query users --where 'id prefix "o"' --order nick,age --after "$token"
same "$(ids "$OUT")" o1
status 3 bdb query users --where 'id prefix "o"' --order nick --after "$token"
contains "$ERR" "nick, age"
status 3 bdb query users --order nick,nick:desc
contains "$ERR" twice
echo "cli.scripting: ok"
