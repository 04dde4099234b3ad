#!/usr/bin/env bash
# cli.range: integers one past their type's range are refused with exit status 3 and a message
# naming the field, and nothing is written.
source "$(dirname "$0")/lib.sh"

setup_schemas

# refused TABLE JSON FIELD
refused() {
  status 3 bdb put "$1" "$2"
  contains "$ERR" "$3"
}

refused events '{"seq":18446744073709551616}' seq
refused events '{"seq":-1}' seq
refused events '{"seq":1,"delta":9223372036854775808}' delta
refused events '{"seq":1,"delta":-9223372036854775809}' delta
refused users '{"id":"x","age":256}' age
refused users '{"id":"x","age":-1}' age
refused users '{"id":"x","score":2147483648}' score
refused users '{"id":"x","score":-2147483649}' score
refused users '{"id":"x","age":1.5}' age
ok bdb query events --count
same "$OUT" 0
ok bdb query users --count
same "$OUT" 0

echo "cli.range: ok"
