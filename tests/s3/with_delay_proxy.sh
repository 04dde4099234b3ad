#!/usr/bin/env bash
# Runs a command with the delay proxy (delay_proxy.py) between it and the S3 server that
# $AWS_ENDPOINT_URL names (run it under with_s3_server.sh): starts the proxy on a free port of
# 127.0.0.1, exports BDB_S3_DELAYED_ENDPOINT, replaces @DELAYED_ENDPOINT@ and @BUCKET@ in the
# command's arguments, and stops the proxy by PID afterwards, whatever the command's outcome.
#   with_delay_proxy.sh HOLD_MS -- COMMAND [ARGS...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hold=${1:?usage: with_delay_proxy.sh HOLD_MS -- COMMAND...}
shift
[ "${1:-}" = "--" ] && shift
: "${AWS_ENDPOINT_URL:?with_delay_proxy: no AWS_ENDPOINT_URL (run under with_s3_server.sh)}"
upstream=${AWS_ENDPOINT_URL#http://}
upstream=${upstream%%/*}
work=$(mktemp -d "${TMPDIR:-/tmp}/bdb-delay-proxy.XXXXXX")
python3 "$here/delay_proxy.py" --upstream "$upstream" --hold-ms "$hold" \
  --port-file "$work/port" --stats-file "$work/stats.json" &
proxy=$!
trap 'kill "$proxy" 2>/dev/null || true; wait "$proxy" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  [ -f "$work/port" ] && break
  kill -0 "$proxy" 2>/dev/null || { echo "with_delay_proxy: the proxy did not start" >&2; exit 1; }
  sleep 0.05
done
[ -f "$work/port" ] || { echo "with_delay_proxy: the proxy wrote no port" >&2; exit 1; }
export BDB_S3_DELAYED_ENDPOINT="http://127.0.0.1:$(cat "$work/port")"
args=()
for a in "$@"; do
  a=${a//@DELAYED_ENDPOINT@/$BDB_S3_DELAYED_ENDPOINT}
  args+=("${a//@BUCKET@/${BDB_S3_BUCKET:-}}")
done
status=0
"${args[@]}" || status=$?
echo "with_delay_proxy: connections the proxy accepted: $(cat "$work/stats.json" 2>/dev/null)" >&2
exit $status
