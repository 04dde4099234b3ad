#!/usr/bin/env bash
# cli.interrupt: Ctrl-C (SIGINT) or SIGTERM while a command waits on a slow store (the faulty:
# layer's delay) stops it long before the delay ends, with status 130 and "interrupted" on
# stderr; the database still opens and verifies.
source "$(dirname "$0")/lib.sh" "$@"

cat >"$WORK/v1.json" <<'JSON'
{"name":"users","version":1,"fields":{"id":{"typeId":10,"maxLength":36},
 "name":{"typeId":10,"maxLength":50}},"primaryKey":"id"}
JSON
ok bdb schema add "$WORK/v1.json"
ok bdb put users '{"id":"u1","name":"Ann"}'

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# signalled SIG AFTER_MS CMD...: runs CMD, sends SIG after AFTER_MS; sets RC, OUT, ERR and
# TOOK_MS (from the signal to the exit).
signalled() {
  local sig=$1 after=$2
  shift 2
  LAST_CMD="$*"
  "$@" >"$WORK/.out" 2>"$WORK/.err" &
  local pid=$!
  sleep "$(printf '%d.%03d' $((after / 1000)) $((after % 1000)))"
  local sent
  sent=$(now_ms)
  kill -"$sig" "$pid"
  set +e
  wait "$pid"
  RC=$?
  set -e
  TOOK_MS=$(($(now_ms) - sent))
  OUT=$(cat "$WORK/.out")
  ERR=$(cat "$WORK/.err")
  if grep -q 'Sanitizer' "$WORK/.err"; then fail "sanitizer report"; fi
}

# gc lists the bucket; every list takes 20 s. The open (GETs only) is quick, so the signal
# comes while gc waits for its listing: the call is interrupted, named in the message.
SLOW_LIST="faulty:file:$WORK/db?faulty.every=1&faulty.ops=list&faulty.action=delay&faulty.delay_ms=20000"
signalled INT 2500 "$BIN" --db "$SLOW_LIST" gc
[[ $RC == 130 ]] || fail "expected status 130"
[[ $ERR == "bucketdb: interrupted"* ]] || fail "expected 'bucketdb: interrupted' on stderr"
contains "$ERR" "bdb_db_gc"
((TOOK_MS < 10000)) || fail "took $TOOK_MS ms after SIGINT (the listing takes 20000)"

# Every request takes 20 s; SIGTERM whenever it comes (in the open or in the read).
SLOW_ALL="faulty:file:$WORK/db?faulty.every=1&faulty.action=delay&faulty.delay_ms=20000"
signalled TERM 1000 "$BIN" --db "$SLOW_ALL" query users
[[ $RC == 130 ]] || fail "expected status 130"
contains "$ERR" "bucketdb: interrupted"
((TOOK_MS < 10000)) || fail "took $TOOK_MS ms after SIGTERM (a request takes 20000)"

# Nothing was lost or damaged.
ok bdb verify
ok bdb get users u1
contains "$OUT" '"name":"Ann"'
