# Helpers sourced by the cli.* tests: `source lib.sh BIN WORKDIR`.
# Every check fails fast with the command, its status, stdout and stderr.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)  # before the cd below
BIN=$1
WORK=$2
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"
DB="file:$WORK/db"

fail() {
  {
    echo "FAIL: $*"
    echo "  command: ${LAST_CMD:-}"
    echo "  status:  ${RC:-}"
    echo "  stdout:  ${OUT:-}"
    echo "  stderr:  ${ERR:-}"
  } >&2
  exit 1
}

# run CMD...: sets RC, OUT and ERR. Redirect stdin on the call itself (run ... < file):
# a pipe into a function would run it in a subshell and lose the variables.
run() {
  LAST_CMD="$*"
  set +e
  "$@" >"$WORK/.out" 2>"$WORK/.err"
  RC=$?
  set -e
  OUT=$(cat "$WORK/.out")
  ERR=$(cat "$WORK/.err")
  # A sanitizer report (leaks included) is a failure whatever the exit status.
  if grep -q 'Sanitizer' "$WORK/.err"; then fail "sanitizer report"; fi
}

bdb() { "$BIN" --db "$DB" "$@"; }

# ok CMD...: status 0, nothing on stderr.
ok() {
  run "$@"
  [[ $RC == 0 ]] || fail "expected status 0"
  [[ -z $ERR ]] || fail "expected an empty stderr"
}

# status N CMD...: exactly status N; for a failure, stderr must be 'bucketdb: ...'.
status() {
  local want=$1
  shift
  run "$@"
  [[ $RC == "$want" ]] || fail "expected status $want"
  if [[ $want != 0 && $ERR != bucketdb:* ]]; then fail "expected 'bucketdb: <message>' on stderr"; fi
}

same() { [[ $1 == "$2" ]] || fail "expected [$2], got [$1]${3:+ ($3)}"; }
contains() { [[ $1 == *"$2"* ]] || fail "expected [$1] to contain [$2]${3:+ ($3)}"; }

# The ids of NDJSON rows whose first field is a string "id", joined by commas.
ids() { sed -E 's/^\{"id":"([^"]*)".*/\1/' <<<"$1" | paste -sd, -; }

json_valid() {
  if command -v python3 >/dev/null; then
    python3 -m json.tool <<<"$1" >/dev/null || fail "not valid JSON: ${1:0:200}"
  elif command -v jq >/dev/null; then
    jq -e . <<<"$1" >/dev/null || fail "not valid JSON: ${1:0:200}"
  fi
}

# Registers the schemas in schemas.json (users with a varchar key, events with a uint64 key).
setup_schemas() {
  ok bdb schema add "$HERE/schemas.json"
}
