#!/usr/bin/env bash
# cli.basic: schemas, put (single and NDJSON with --batch), get, delete, across processes.
source "$(dirname "$0")/lib.sh"

# schema add: one object, then an array holding the same version again (a no-op) and another.
ok bdb schema add "$HERE/users.json"
ok bdb schema add "$HERE/schemas.json"
ok bdb schema list
same "$(wc -l <<<"$OUT")" 2 "schema list: one line per version, by table name"
contains "$(sed -n 1p <<<"$OUT")" '"name":"events"'
contains "$(sed -n 2p <<<"$OUT")" '"name":"users"'
json_valid "$(sed -n 2p <<<"$OUT")"
# What schema list prints, schema add takes back (one object per line).
printf '%s\n' "$OUT" >listed.ndjson
ok bdb schema add listed.ndjson

# put one document, get it from another process: the exact JSON line.
U1='{"id":"u1","age":30,"score":5,"active":true,"nick":"bob"}'
ok bdb put users "$U1"
same "$OUT" ""
ok bdb get users u1
same "$OUT" "$U1"
ok bdb get users '"u1"'
same "$OUT" "$U1" "key as a JSON literal"

# A missing document: status 1 and a message naming it.
status 1 bdb get users nobody
same "$OUT" ""
contains "$ERR" nobody

# put replaces the whole row (upsert); --insert refuses an existing key.
ok bdb put users '{"id":"u1","age":31}'
ok bdb get users u1
same "$OUT" '{"id":"u1","age":31}'
status 3 bdb put --insert users '{"id":"u1","age":32}'
contains "$ERR" u1
ok bdb put users --insert '{"id":"u9","age":9}'
ok bdb get users u9
same "$OUT" '{"id":"u9","age":9}'

# NDJSON from stdin (blank lines skipped), two documents per commit; quiet when not a terminal.
run bdb inspect log <"$HERE/users.ndjson"
before=$(grep -o '"seq":' <<<"$OUT" | wc -l)
ok bdb put users - --batch 2 <"$HERE/users.ndjson"
run bdb inspect log
after=$(grep -o '"seq":' <<<"$OUT" | wc -l)
same "$((after - before))" 3 "5 documents at --batch 2 make 3 log entries"
ok bdb query users
same "$(ids "$OUT")" u1,u2,u3,u4,u5,u9
ok bdb get users u3
same "$OUT" '{"id":"u3","age":40,"score":10,"nick":"bobby"}'
ok bdb get users u4
same "$OUT" '{"id":"u4"}'

# A larger load: the default batch is 1000 documents per commit.
for i in $(seq 1 2500); do echo "{\"id\":\"bulk$i\",\"score\":$i}"; done >bulk.ndjson
run bdb inspect log
before=$(grep -o '"seq":' <<<"$OUT" | wc -l)
ok bdb put users - <bulk.ndjson
run bdb inspect log
after=$(grep -o '"seq":' <<<"$OUT" | wc -l)
same "$((after - before))" 3 "2500 documents at the default --batch make 3 log entries"
ok bdb query users --where 'id prefix "bulk"' --count
same "$OUT" 2500

# A bad line stops the load; whole batches before it stay committed, and the message says so.
printf '{"id":"a1"}\n{"id":"a2"}\n{"id":"a3"}\n{"id":\n{"id":"a5"}\n' >bad.ndjson
status 3 bdb put users - --batch 2 <bad.ndjson
contains "$ERR" "line 4"
contains "$ERR" "lines up to 2 were committed"
ok bdb get users a2
status 1 bdb get users a3
status 1 bdb get users a5

# delete, from yet another process; deleting again says there was nothing (status 1).
ok bdb delete users u2
status 1 bdb get users u2
status 1 bdb delete users u2
contains "$ERR" 'delete from users "u2": no such row'
ok bdb query users --where 'id prefix "u"'
same "$(ids "$OUT")" u1,u3,u4,u5,u9

# Two nodes of one database: what node 1 writes, node 2 reads at once with --staleness 0.
ok bdb --node 1 --ring 2 put users '{"id":"n1","nick":"from node 1"}'
ok bdb --node 2 --ring 3 --staleness 0 get users n1
same "$OUT" '{"id":"n1","nick":"from node 1"}'

# Another --prefix is another database in the same store.
status 3 bdb --prefix other query users
contains "$ERR" "no database at"
contains "$ERR" "other/block0 not found"
ok bdb --prefix other schema add "$HERE/users.json"
ok bdb --prefix other query users --count
same "$OUT" 0

# Global flags may follow the command.
ok "$BIN" get users u1 --db "$DB"
same "$OUT" "$U1"

echo "cli.basic: ok"
