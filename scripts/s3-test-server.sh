#!/usr/bin/env bash
# A throw-away single-node Ceph RADOS Gateway (S3) on 127.0.0.1 for the S3 tests: one mon, one
# OSD keeping its data in RAM (memstore), no mgr, no cephx. Every file (config, data, logs,
# sockets, pid files) lives under one directory; nothing else on the machine is touched.
#
#   scripts/s3-test-server.sh install          install ceph-mon ceph-osd radosgw when missing
#   scripts/s3-test-server.sh start [DIR]      start (installing first when missing), wait until
#                                              ready, create the test users and bucket
#   scripts/s3-test-server.sh stop [DIR]       stop what start started, by PID; always safe
#   scripts/s3-test-server.sh env [DIR]        print the shell exports of a started server
#   scripts/s3-test-server.sh status [DIR]     exit 0 when the server answers
#
# DIR defaults to $BDB_S3_TEST_DIR or /tmp/bucketdb-s3-test; start wipes it, so it must be
# new, empty or one of ours. Ports: RGW from $BDB_S3_PORT (default: the first free port from
# 7480), its slow endpoint from $BDB_S3_SLOW_PORT (the next free one), mon from
# $BDB_S3_MON_PORT (first free from 3300), so several build trees can each run their own
# server (starts take turns through a lock file in $TMPDIR). Set BDB_S3_NO_INSTALL=1 to make
# start fail instead of installing packages.
#
# RGW's beast frontend listens twice. The endpoint the tests use sets tcp_nodelay=1: without it
# RGW writes the headers and a small body (a log entry, Block 0) in two segments, Nagle holds
# the second until the client's delayed ACK, and every small GET takes about 44 ms on loopback
# (real S3 has no such stall). The slow endpoint ($BDB_S3_SLOW_ENDPOINT) keeps that stall, for
# the tests that run against a slow server on purpose.
#
# Usage in a shell:  scripts/s3-test-server.sh start && eval "$(scripts/s3-test-server.sh env)"
set -euo pipefail

cmd=${1:-}
D=${2:-${BDB_S3_TEST_DIR:-/tmp/bucketdb-s3-test}}
BUCKET=bdb-test
AK=bdb-test-access-key
SK=bdb-test-secret-key
# A second user that may only get and put objects under limited/ (no s3:ListBucket), for the
# "403 instead of 404 on a missing key" test.
LIMITED_AK=bdb-limited-access-key
LIMITED_SK=bdb-limited-secret-key
PACKAGES=(ceph-mon ceph-osd radosgw)

log() { echo "s3-test-server: $*" >&2; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p=$1
  while port_in_use "$p"; do p=$((p + 1)); done
  echo "$p"
}

have_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || return 1
  done
}

do_install() {
  have_packages && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "installing ${PACKAGES[*]} (about 10 s)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${PACKAGES[@]}" >/dev/null
  # The packages start no service; nothing else to undo.
}

# pid_of NAME: the recorded PID, if it is still one of our daemons (its command line names our
# config file), so a PID reused by an unrelated process is never signalled.
pid_of() {
  local f="$D/run/$1.pid" p
  [ -f "$f" ] || return 1
  p=$(cat "$f")
  [[ "$p" =~ ^[0-9]+$ ]] || return 1
  { tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null | grep -qF -- "$D/ceph.conf" || return 1
  echo "$p"
}

# Stops the named daemons by PID: SIGTERM, up to GRACE tenths of a second, then SIGKILL.
stop_daemons() {
  local grace=$1 n p
  shift
  declare -A pids=()
  for n in "$@"; do
    if p=$(pid_of "$n"); then
      pids[$n]=$p
      kill "$p" 2>/dev/null || true
    fi
  done
  for n in "${!pids[@]}"; do
    p=${pids[$n]}
    for _ in $(seq 1 "$grace"); do
      kill -0 "$p" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$p" 2>/dev/null; then
      log "$n ($p) still running after SIGTERM: SIGKILL"
      kill -9 "$p" 2>/dev/null || true
    fi
  done
  for n in "$@"; do rm -f "$D/run/$n.pid"; done
}

do_stop() {
  [ -d "$D" ] || return 0
  # rgw and the OSD before the mon: a radosgw whose mon is gone ignores SIGTERM. radosgw 16
  # often sits in "shutting down" for its full 120 s alarm; the data is thrown away anyway,
  # so they get 3 s.
  stop_daemons 30 rgw osd
  stop_daemons 100 mon
  rm -f "$D/env"
}

# Starts a daemon in the foreground of a background job; its PID goes to $D/run/NAME.pid.
spawn() {
  local name=$1
  shift
  "$@" >"$D/log/$name.out" 2>&1 </dev/null 9>&- &  # 9: the start lock, not theirs to keep
  echo $! >"$D/run/$name.pid"
}

# A signed S3 request with curl (RGW checks signatures; curl needs the payload hash header
# and a query that is already sorted and encoded).
s3curl() {
  local method=$1 url=$2 ak=$3 sk=$4
  shift 4
  curl -sS -o "$D/log/curl.out" -w '%{http_code}' -X "$method" --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$ak:$sk" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@" "$url"
}

# A start that fails stops whatever it had started, and shows why.
on_start_exit() {
  local rc=$?
  [ "$rc" -eq 0 ] && return
  log "start failed; last log lines:"
  tail -n 15 "$D"/log/*.out >&2 || true
  do_stop
}

do_start() {
  if ! have_packages; then
    if [ "${BDB_S3_NO_INSTALL:-0}" = 1 ]; then
      log "ceph is not installed: run '$0 install' (or scripts/setup.sh)"
      exit 1
    fi
    do_install
  fi
  local t0=$SECONDS
  case "$D" in /?*) ;; *) log "DIR must be an absolute path: $D"; exit 1 ;; esac
  # Only a directory of ours is wiped: never someone's home by a typo.
  if [ -d "$D" ] && [ -n "$(ls -A "$D")" ] && [ ! -f "$D/.s3-test-server" ]; then
    log "$D exists and was not made by this script; choose another directory"
    exit 1
  fi
  do_stop  # leftovers of an earlier run in the same directory
  # Concurrent starts (several build trees) would pick the same free ports: one at a time
  # until the gateway listens.
  exec 9>"${TMPDIR:-/tmp}/bucketdb-s3-test-server.lock"
  flock 9
  local rgw_port slow_port mon_port
  rgw_port=${BDB_S3_PORT:-$(free_port 7480)}
  slow_port=${BDB_S3_SLOW_PORT:-$(free_port $((rgw_port + 1)))}
  mon_port=${BDB_S3_MON_PORT:-$(free_port 3300)}
  for p in "$rgw_port" "$slow_port" "$mon_port"; do
    if port_in_use "$p"; then log "port $p is already in use"; exit 1; fi
  done
  rm -rf "$D"
  mkdir -p "$D"/{mon.a,osd.0,run,log,rgw,crash}
  touch "$D/.s3-test-server"
  # From here on, a failure stops whatever was started.
  trap on_start_exit EXIT

  local fsid conf=$D/ceph.conf
  fsid=$(cat /proc/sys/kernel/random/uuid)
  cat >"$conf" <<CONF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind msgr2 = true
# no cephx: everything is on loopback and thrown away after the run
auth cluster required = none
auth service required = none
auth client required = none
# radosgw defaults ms_mon_client_mode to "secure", which cannot work without cephx: it would
# hang forever without opening its port
ms mon client mode = crc secure
keyring = $D/keyring
run dir = $D/run
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
crash dir = $D/crash
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
[mon.a]
mon data = $D/mon.a
[osd.0]
osd data = $D/osd.0
osd objectstore = memstore
memstore device bytes = 2147483648
[client.rgw.a]
rgw data = $D/rgw
# Two frontends: the tests' endpoint without Nagle's stall, and the slow one with it.
rgw frontends = beast endpoint=127.0.0.1:$rgw_port tcp_nodelay=1, beast endpoint=127.0.0.1:$slow_port
rgw dns name = localhost
CONF
  # -c on every command line: it keeps each daemon tied to this directory, and pid_of checks it.
  ceph-authtool -c "$conf" --create-keyring "$D/keyring" --gen-key -n mon. \
    --cap mon 'allow *' >/dev/null
  monmaptool -c "$conf" --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" \
    "$D/monmap" >/dev/null
  ceph-mon -c "$conf" --mkfs -i a --monmap "$D/monmap" --keyring "$D/keyring" \
    >"$D/log/mon.mkfs.out" 2>&1
  spawn mon ceph-mon -c "$conf" -i a -f
  local osd_uuid osd_id
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  osd_id=$(timeout 60 ceph -c "$conf" --connect-timeout 30 osd new "$osd_uuid")
  ceph-osd -c "$conf" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >"$D/log/osd.mkfs.out" 2>&1
  spawn osd ceph-osd -c "$conf" -i "$osd_id" -f
  spawn rgw radosgw -c "$conf" -n client.rgw.a -f
  local up=0
  for _ in $(seq 1 240); do  # up to 120 s; normally ready after about 8 s
    if curl -s -o /dev/null "http://127.0.0.1:$rgw_port/"; then up=1; break; fi
    pid_of rgw >/dev/null || break
    sleep 0.5
  done
  if [ $up != 1 ]; then log "RGW did not come up on 127.0.0.1:$rgw_port"; exit 1; fi
  # The second frontend may open its port a moment after the first answers.
  up=0
  for _ in $(seq 1 40); do
    if curl -s -o /dev/null "http://127.0.0.1:$slow_port/"; then up=1; break; fi
    pid_of rgw >/dev/null || break
    sleep 0.5
  done
  if [ $up != 1 ]; then
    log "RGW's slow endpoint did not come up on 127.0.0.1:$slow_port"
    exit 1
  fi
  exec 9>&-  # the port is taken now: the next start may look for its own

  radosgw-admin -c "$conf" user create --uid=bdb-test --display-name=bdb-test \
    --access-key="$AK" --secret-key="$SK" >"$D/log/user.json"
  radosgw-admin -c "$conf" user create --uid=bdb-limited --display-name=bdb-limited \
    --access-key="$LIMITED_AK" --secret-key="$LIMITED_SK" >"$D/log/user-limited.json"
  local ep="http://127.0.0.1:$rgw_port" code
  code=$(s3curl PUT "$ep/$BUCKET" "$AK" "$SK")
  if [ "$code" != 200 ]; then
    log "creating bucket $BUCKET: HTTP $code $(cat "$D/log/curl.out")"
    exit 1
  fi
  cat >"$D/policy.json" <<POLICY
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"AWS": ["arn:aws:iam:::user/bdb-limited"]},
  "Action": ["s3:GetObject", "s3:PutObject"],
  "Resource": ["arn:aws:s3:::$BUCKET/limited/*"]}]}
POLICY
  code=$(s3curl PUT "$ep/$BUCKET?policy=" "$AK" "$SK" --data-binary @"$D/policy.json")
  [ "$code" = 204 ] || [ "$code" = 200 ] ||
    { log "setting the bucket policy: HTTP $code $(cat "$D/log/curl.out")"; exit 1; }

  cat >"$D/env" <<ENV
export AWS_ENDPOINT_URL=$ep
export AWS_ACCESS_KEY_ID=$AK
export AWS_SECRET_ACCESS_KEY=$SK
export AWS_REGION=us-east-1
export BDB_S3_BUCKET=$BUCKET
export BDB_S3_PORT=$rgw_port
export BDB_S3_VHOST_ENDPOINT=http://localhost:$rgw_port
export BDB_S3_SLOW_PORT=$slow_port
export BDB_S3_SLOW_ENDPOINT=http://127.0.0.1:$slow_port
export BDB_S3_LIMITED_ACCESS_KEY_ID=$LIMITED_AK
export BDB_S3_LIMITED_SECRET_ACCESS_KEY=$LIMITED_SK
ENV
  trap - EXIT
  log "RGW ready on $ep in $((SECONDS - t0)) s (pids: mon $(pid_of mon) osd $(pid_of osd)" \
    "rgw $(pid_of rgw)); state in $D"
}

case "$cmd" in
  install) do_install ;;
  start) do_start ;;
  stop)
    t0=$SECONDS
    do_stop
    log "stopped in $((SECONDS - t0)) s ($D)"
    ;;
  env)
    [ -f "$D/env" ] || { log "no server started in $D"; exit 1; }
    cat "$D/env"
    ;;
  status)
    [ -f "$D/env" ] && pid_of rgw >/dev/null &&
      curl -s -o /dev/null "http://127.0.0.1:$(sed -n 's/^export BDB_S3_PORT=//p' "$D/env")/"
    ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
