#!/usr/bin/env bash
# scripts/tidy.py on a small git tree of its own: a finding fails it and is reported once; a
# source the build compiles twice is checked once; a clean unit is checked once and then
# taken from the cache; an edit to a header it includes, a comment too, checks it again.
#   tidy_test.sh SOURCE_DIR
set -euo pipefail
tidy="$1/scripts/tidy.py"
tmp=$(mktemp -d /tmp/bdb-tidy-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
git init -q .
cat >.clang-tidy <<'EOF'
Checks: '-*,bugprone-implicit-widening-of-multiplication-result'
WarningsAsErrors: '*'
HeaderFilterRegex: '/src/'
EOF
mkdir src build
printf '/* probe */\nstatic inline long widen(int i) { return i * 1000 * 1000; }\n' >src/probe.h
printf '#include "probe.h"\nlong f(int i) { return widen(i); }\n' >src/a.c
git add .
python3 - "$tmp" <<'EOF'
import json, sys
t = sys.argv[1]
unit = f"{t}/src/a.c"
json.dump([{"directory": t, "file": unit, "command": f"cc {d} -c {unit} -o a.o"}
           for d in ("-DONE", "-DTWO")], open("build/compile_commands.json", "w"))
EOF
fail() {
  echo "tidy_test: $1; scripts/tidy.py said:" >&2
  cat out.txt >&2
  exit 1
}
run() { "$tidy" build >out.txt 2>&1; }
said() { grep -q -- "$1" out.txt || fail "expected '$1'"; }

if run; then fail "a finding passed"; fi
said "probe.h:2:.*implicit-widening-of-multiplication-result"
[ "$(grep -c 'probe.h:2' out.txt)" -eq 1 ] || fail "the finding is not reported once"
said "tidy: 1 units, 0 unchanged"
python3 -c 'import json,sys; sys.exit(len(json.load(open("build/tidy-db/compile_commands.json"))) != 1)' ||
  fail "a.c has more than one command in the database clang-tidy reads"

sed -i 's/return i \* 1000/return (long)i * 1000/' src/probe.h
run || fail "the fixed tree did not pass"
said "tidy: 1 units, 0 unchanged"
run || fail "the second run did not pass"
said "tidy: 1 units, 1 unchanged"
sed -i 's|/\* probe \*/|/* probe, edited */|' src/probe.h
run || fail "the edited tree did not pass"
said "tidy: 1 units, 0 unchanged"
echo "tidy_test: ok"
