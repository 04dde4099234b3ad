#!/usr/bin/env bash
# Runs a command against the test S3 server started in DIR (scripts/s3-test-server.sh start DIR):
# exports its endpoint and keys, then NAME=VALUE pairs in which @ENDPOINT@, @VHOST_ENDPOINT@,
# @SLOW_ENDPOINT@ (the endpoint that keeps RGW's 44 ms stall on small bodies) and @BUCKET@ are
# replaced by the running server's values (its ports are chosen at start).
#   with_s3_server.sh DIR [NAME=VALUE...] -- COMMAND [ARGS...]
set -euo pipefail
dir=${1:?usage: with_s3_server.sh DIR [NAME=VALUE...] -- COMMAND...}
shift
if [ ! -f "$dir/env" ]; then
  echo "with_s3_server: no S3 test server running in $dir (the s3.server.start test starts it)" >&2
  exit 1
fi
# shellcheck disable=SC1091
. "$dir/env"
# Loopback only, whatever proxy the environment names.
export NO_PROXY=127.0.0.1,localhost,.localhost no_proxy=127.0.0.1,localhost,.localhost
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  value=${1#*=}
  value=${value//@ENDPOINT@/$AWS_ENDPOINT_URL}
  value=${value//@VHOST_ENDPOINT@/$BDB_S3_VHOST_ENDPOINT}
  value=${value//@SLOW_ENDPOINT@/$BDB_S3_SLOW_ENDPOINT}
  value=${value//@BUCKET@/$BDB_S3_BUCKET}
  export "${1%%=*}=$value"
  shift
done
[ "${1:-}" = "--" ] && shift
exec "$@"
