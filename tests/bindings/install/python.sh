#!/usr/bin/env bash
# install.python: `pip install` of the installed wheel into a fresh virtual environment (no
# package index), then a script outside the tree that imports bucketdb. BDB_ONEFILE_PACKAGES=1:
# the wheel carries the one-file library and no driver plugin.
#   python.sh PREFIX PYTHON "RUN_ENV"   (RUN_ENV: what the script runs with, e.g. LD_PRELOAD=...)
set -euo pipefail
prefix=$1 python=$2 run_env=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wheel=$(ls "$prefix"/share/bucketdb/bucketdb-*.whl)
if [ "${BDB_ONEFILE_PACKAGES:-}" = 1 ]; then
  "$python" -m zipfile -l "$wheel" | awk '{print $1}' | "$(dirname "$0")/../../onefile/natives.sh"
fi
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --no-index --disable-pip-version-check "$wheel"
cat >"$work/app.py" <<'PY'
import sys

import bucketdb

with bucketdb.open(sys.argv[1], log_level="warn") as db:
    db.register_schema({"name": "users", "version": 1, "primaryKey": "id",
                        "fields": {"id": {"typeId": 10}, "age": {"typeId": 3}}})
    db.insert("users", {"id": "u1", "age": 1 << 63})
    db.insert("users", {"id": "u2", "age": 20})
    row = db.fetch("users", "u1")
    n = db.query("users").where("age", ">=", 18).count()
    try:
        db.fetch("users", "nope")
        missing = False
    except bucketdb.NotFound:
        missing = True
    print(f"get u1: {row['age']}, {n} adults, missing: {str(missing).lower()}")
PY
cd "$work"
for uri in "file:$work/db" memory:install; do
  out=$(env $run_env "$work/venv/bin/python" app.py "$uri")
  echo "$uri: $out"
  test "$out" = "get u1: 9223372036854775808, 2 adults, missing: true"
done
echo "install.python: ok"
