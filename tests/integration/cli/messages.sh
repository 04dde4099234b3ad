#!/usr/bin/env bash
# cli.messages: every error in the project's own words, once, whole. No text of the command-line
# library reaches the user; a NUL byte cuts nothing; a directory given as a schema file says so;
# --as-of a log position not yet written names the newest; a full disk prints its error once; a
# database of a storage layer opened without it names the layer; JSON nested too deep gets the
# library's error; `bench` passes its arguments through.
source "$(dirname "$0")/lib.sh"

# CLI11's own phrases never show, whatever the slip.
raw='required but received|A subcommand is required|was not expected|were not expected|Could not convert|is not an allowed value|Expected exactly|Expected at least|is required$|not in \{'
usage_words() {
  status 2 "$@"
  if grep -Eq "$raw" <<<"$ERR"; then fail "a command-line library's own text reached the user"; fi
  contains "$ERR" "--help"
}
usage_words bdb schema
contains "$ERR" "bucketdb schema needs a command: add, list"
usage_words bdb blob
usage_words bdb get users a b
contains "$ERR" "does not take 'b'"
usage_words bdb query users extra1 extra2
contains "$ERR" "does not take these: extra1 extra2"
usage_words bdb get users
contains "$ERR" "missing KEY"
usage_words bdb query users --limit 1 --limit 2
usage_words bdb --db a --db b stats
usage_words bdb query users --limit
usage_words bdb inspect frob
contains "$ERR" "'frob' is not one of block0, log, blocks"
usage_words bdb put users '{}' --batch 0
usage_words bdb query users --as-of x

# A NUL byte: in an NDJSON line (the text after it would have been dropped), in a schema file.
printf '{"id":"a"}\0{"id":"b","age":"not a number"}\n' >nul.ndjson
setup_schemas
status 3 bdb put users - <nul.ndjson
contains "$ERR" "line 1: the line holds a NUL byte"
status 1 bdb get users a
printf '{"name":"t","version":1,"fields":{"id":{"typeId":10}},"primaryKey":"id"}\0junk' >nul.json
status 3 bdb schema add nul.json
contains "$ERR" "holds a NUL byte"
# A NUL inside JSON text (escaped) reaches the message as \0, with what follows it.
status 3 bdb put users '{"id":"a","ni\u0000ck":1}'
contains "$ERR" "'ni\\0ck'"

# A directory given as a schema file.
mkdir -p schemas.d
status 3 bdb schema add schemas.d
contains "$ERR" "schemas.d is a directory"

# A duplicated key and maxLength 0 in a schema file, as one object, an array, or lines.
echo '{"name":"d","version":1,"fields":{"id":{"typeId":10},"id":{"typeId":1}},"primaryKey":"id"}' >dup.json
status 3 bdb schema add dup.json
contains "$ERR" "'id' appears twice"
echo "[$(cat dup.json)]" >dup-array.json
status 3 bdb schema add dup-array.json
contains "$ERR" "'id' appears twice"
printf '%s\n%s\n' "$(cat "$HERE/users.json" | tr -d '\n')" "$(cat dup.json)" >dup-lines.json
status 3 bdb schema add dup-lines.json
contains "$ERR" "'id' appears twice"
echo '{"name":"z","version":1,"fields":{"id":{"typeId":10,"maxLength":0}},"primaryKey":"id"}' >zero.json
status 3 bdb schema add zero.json
contains "$ERR" "maxLength 0"
status 3 bdb put users '{"id":"x","age":1,"age":2}'
contains "$ERR" "'age' appears twice"

# Numbers no double holds: out of range, or so small they would be 0; never "not JSON".
status 2 bdb query users --where 'age > 1e400'
contains "$ERR" "the number 1e400 is out of range"
status 3 bdb put users '{"id":"tiny","nick":"t","age":1e-400}'
contains "$ERR" "field 'age'"

# --as-of a position not yet written: an error naming the newest.
ok bdb put users '{"id":"h1"}'
ok bdb inspect log
newest=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["lastSeq"])' <<<"$OUT")
ok bdb query users --as-of "$newest" --count
status 3 bdb query users --as-of $((newest + 5))
contains "$ERR" "has not been written yet (the newest is $newest)"

# Deep JSON: the library's error, never a crash, at the shell's own parsers too.
# 60,000 levels crash a recursive parser, and 120,000 characters stay within the 128 KiB a
# single argument may have.
deep=$(python3 -c 'print("[" * 60000 + "]" * 60000)')
status 2 bdb query users --where "nick = $deep"
contains "$ERR" "nested deeper than 256"
printf '%s' "$deep" >deep.json
status 3 bdb schema add deep.json
contains "$ERR" "nested deeper than 256"
status 3 bdb put users "{\"id\":\"d\",\"nick\":$deep}"
contains "$ERR" "nested deeper than 256"

# A full disk: the error once (not again as a failed merge at close, nor as a log line).
FULL="faulty:file:$WORK/full?faulty.every=1&faulty.ops=put&faulty.status=no_space"
ok "$BIN" --db "file:$WORK/full" schema add "$HERE/users.json"
status 3 "$BIN" --db "$FULL" --option mergeThresholdEntries=1 put users '{"id":"f"}'
same "$(grep -c . <<<"$ERR")" 1 "one line of error"
contains "$ERR" "bucketdb: "
# The commit lands, the merge runs out of space (at close, or in the background service the
# commit woke, whichever starts first): status 0, one warning.
PARTIAL="faulty:file:$WORK/full?faulty.ops=put&faulty.nth=2&faulty.status=no_space"
run "$BIN" --db "$PARTIAL" --option mergeThresholdEntries=1 put users '{"id":"g"}'
same "$RC" 0 "the commit landed"
same "$(grep -c . <<<"$ERR")" 1 "one line of warning"
contains "$ERR" "warning: "
contains "$ERR" "nothing is lost"
ok "$BIN" --db "file:$WORK/full" get users g
# At --log-level error the warning is not shown, whichever merge met the full disk.
run "$BIN" --db "$PARTIAL" --log-level error --option mergeThresholdEntries=1 put users '{"id":"h"}'
same "$RC" 0 "the commit landed"
same "$ERR" "" "no warning at --log-level error"

# A database written through crypt: or compress:, opened without the layer.
export BUCKETDB_CRYPT_KEY=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
if "$BIN" --db "crypt:file:$WORK/secret" schema add "$HERE/users.json" 2>/dev/null; then
  status 3 "$BIN" --db "file:$WORK/secret" query users
  contains "$ERR" "crypt: layer"
fi
ok "$BIN" --db "compress:file:$WORK/packed?compress.min_size=1" schema add "$HERE/users.json"
status 3 "$BIN" --db "file:$WORK/packed" query users
contains "$ERR" "compress: layer"

# bench passes every argument through to bucketdb-bench (found beside bucketdb).
run "$BIN" bench --quick --help
if grep -Eq "$raw" <<<"$ERR"; then fail "bench: its arguments were parsed by the shell"; fi
echo "cli.messages: ok"
