#!/usr/bin/env bash
# cli.query: every --where operator, --order, --limit/--offset, --count, --select, and exact
# 64-bit integers, each query in a process of its own (reading what another one wrote).
source "$(dirname "$0")/lib.sh"

setup_schemas
ok bdb put users - <"$HERE/users.ndjson"

# q EXPECTED_IDS ARGS...: the ids (commas) that `query users ARGS...` prints.
q() {
  local want=$1
  shift
  ok bdb query users "$@"
  same "$(ids "$OUT")" "$want" "query users $*"
}

# Default order is the primary key ascending.
q u1,u2,u3,u4,u5
# Comparisons skip null values, as in SQL.
q u1,u5 --where 'age = 30'
q u2,u3 --where 'age != 30'
q u3 --where 'age > 30'
q u1,u3,u5 --where 'age >= 30'
q u2 --where 'age < 30'
q u1,u2,u5 --where 'age <= 30'
q u1,u5 --where 'nick in ["bob","carol"]'
q u2,u3 --where 'age in [20, 40]'
q u1,u3 --where 'nick prefix "bo"'
q u4 --where 'age isnull'
q u1,u2,u3,u5 --where 'age notnull'
q u1,u5 --where 'active = true'
q u2 --where 'active = false'
q u2 --where 'score < 0'
q u2 --where 'nick = "alice"'
# Whitespace runs separate FIELD, OP and VALUE; the VALUE keeps its own spaces.
q u1,u5 --where '  age   =    30  '
ok bdb put users '{"id":"u6","nick":"two words"}'
q u6 --where 'nick = "two words"'
ok bdb delete users u6
# Conditions are joined by AND.
q u1,u3 --where 'age >= 30' --where 'nick prefix "b"'
q "" --where 'age > 30' --where 'age < 30'
# --or joins the groups of conditions before and after it: (A and B) or C.
q u2,u3,u4 --where 'age > 30' --or --where 'age < 30' --or --where 'age isnull'
q u1,u2 --where 'age >= 30' --where 'nick = "bob"' --or --where 'active = false'
ok bdb query users --count --where 'age = 30' --or --where 'nick prefix "bo"'
same "$OUT" 3
ok bdb query users --explain --where 'age = 30' --or --where 'nick = "bob"'
contains "$OUT" "2 groups joined by OR"
status 2 bdb query users --or --where 'age = 30'
contains "$ERR" "--or needs a --where before it"
status 2 bdb query users --where 'age = 30' --or
contains "$ERR" "--or needs a --where after it"

# Order by a field, ascending (default or :asc) and :desc.
q u2,u5,u1,u3 --where 'score notnull' --order score
q u2,u5,u1,u3 --where 'score notnull' --order score:asc
q u3,u1,u5,u2 --where 'score notnull' --order score:desc
q u5,u4,u3,u2,u1 --order id:desc
q u2,u1,u3,u5 --where 'nick notnull' --order nick

# Limit and offset, after the order.
q u5,u1 --where 'score notnull' --order score --limit 2 --offset 1
q u1,u2 --limit 2
q u4,u5 --offset 3
q "" --offset 10
q "" --limit 0

# Keyset pagination: --page-token prints the token that --after continues from.
ok bdb query users --order score:desc --limit 2 --page-token
same "$(ids "$(head -n2 <<<"$OUT")")" u3,u1
T1=$(tail -n1 <<<"$OUT")
[[ "$T1" =~ ^[A-Za-z0-9_-]+$ ]] || fail "page token is not base64url: $T1"
ok bdb query users --order score:desc --limit 2 --after "$T1" --page-token
same "$(ids "$(head -n2 <<<"$OUT")")" u5,u2
T2=$(tail -n1 <<<"$OUT")
ok bdb query users --order score:desc --limit 2 --after "$T2" --page-token
same "$(head -n1 <<<"$OUT")" '{"id":"u4"}' "nulls come last in descending order"
T3=$(tail -n1 <<<"$OUT")
ok bdb query users --order score:desc --limit 2 --after "$T3" --page-token
same "$OUT" "$T3" "an empty page keeps its position"
ok bdb query users --count --order score:desc --after "$T1"
same "$OUT" 3
status 3 bdb query users --order score --after "$T1"
contains "$ERR" "page token was made for a query ordered by score descending"
status 3 bdb query users --after 'garbage!'
contains "$ERR" "page token"
status 2 bdb query users --count --page-token
contains "$ERR" "--page-token"

# Count: one number.
ok bdb query users --count
same "$OUT" 5
ok bdb query users --count --where 'age >= 30'
same "$OUT" 3
ok bdb query users --count --where 'age > 99'
same "$OUT" 0

# Select: the chosen fields plus the primary key, in schema order.
ok bdb query users --where 'age = 30' --select nick
same "$OUT" $'{"id":"u1","nick":"bob"}\n{"id":"u5","nick":"carol"}'
ok bdb query users --where 'id = "u3"' --select nick,age
same "$OUT" '{"id":"u3","age":40,"nick":"bobby"}'
ok bdb query users --where 'id = "u3"' --select score --select active
same "$OUT" '{"id":"u3","score":10}'

# 64-bit integers stay exact: uint64 max and int64 min, as values and as keys.
E1='{"seq":18446744073709551615,"delta":-9223372036854775808,"note":"extremes"}'
E2='{"seq":9007199254740993,"delta":9223372036854775807}'
ok bdb put events "$E1"
printf '%s\n{"seq":0,"delta":0}\n' "$E2" >events.ndjson
ok bdb put events - <events.ndjson
ok bdb get events 18446744073709551615
same "$OUT" "$E1"
ok bdb get events 9007199254740993
same "$OUT" "$E2" "2^53+1 survives (no double on the way)"
status 1 bdb get events 9007199254740992
ok bdb query events --where 'seq = 18446744073709551615'
same "$OUT" "$E1"
ok bdb query events --where 'delta = -9223372036854775808'
same "$OUT" "$E1"
ok bdb query events --where 'seq > 9007199254740993'
same "$OUT" "$E1"
ok bdb query events --order delta:desc --select delta
same "$OUT" $'{"seq":9007199254740993,"delta":9223372036854775807}\n{"seq":0,"delta":0}\n{"seq":18446744073709551615,"delta":-9223372036854775808}'
ok bdb query events --where 'seq in [0, 18446744073709551615]' --count
same "$OUT" 2
# Bytes print as base64, blobs as their UUID (schema from stdin this time).
ok bdb schema add - <<<'{"name":"files","version":1,"fields":{"id":{"typeId":4},"data":{"typeId":11},"raw":{"typeId":16}},"primaryKey":"id"}'
# A blob is uploaded from {"base64": ...} and prints as its id; naming another row's blob id
# is refused (a blob belongs to one row).
ok bdb put files '{"id":-7,"data":{"base64":"d29ybGQ="},"raw":"aGVsbG8="}'
ok bdb get files -7
[[ "$OUT" =~ ^\{\"id\":-7,\"data\":\"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\",\"raw\":\"aGVsbG8=\"\}$ ]] ||
  fail "unexpected blob row"
F1=$OUT
ok bdb query files --where 'raw notnull'
same "$OUT" "$F1"
status 3 bdb put files '{"id":-8,"data":"123e4567-e89b-12d3-a456-426614174000"}'

# --explain names the plan: the primary key, an index, or a scan.
ok bdb merge
ok bdb query users --where 'id = "u1"' --explain
contains "$OUT" "primary key of users"
ok bdb query users --where 'age >= 30' --explain
contains "$OUT" "index on users.age"
ok bdb query users --where 'age = 30' --or --where 'id in ["u2", "u4"]' --explain
contains "$OUT" "union of 2 plans, one per group joined by OR (index on users.age: 1 range; primary key of users: 2 ranges)"
q u1,u2,u4,u5 --where 'age = 30' --or --where 'id in ["u2", "u4"]'
ok bdb query users --where 'nick prefix "b"' --explain
contains "$OUT" "full scan of users"

echo "cli.query: ok"
