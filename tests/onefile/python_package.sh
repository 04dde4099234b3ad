#!/usr/bin/env bash
# onefile.python: the Python package staged by the one-file build (bindings/python) carries the
# one-file library as libbucketdb.so.0 beside its native module, and no plugin (natives.sh).
# With the plugin path a folder that holds no driver of BucketDB's, it commits and reads a row
# through memory:, file: and crypt:compress:file:, and through a user's own driver, which still
# loads from the plugin path (a plugin's copy under a scheme of its own, mine:).
#   python_package.sh STAGED_PACKAGE_DIR PYTHON A_DRIVER_PLUGIN
set -euo pipefail
pkg=$1 python=$2 plugin=$3
"$(dirname "$0")/natives.sh" "$pkg"/*
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/plugins" "$work/d"
cp "$plugin" "$work/plugins/bucketdb-driver-mine.so"
BUCKETDB_PLUGIN_PATH=$work/plugins PYTHONPATH=$(dirname "$pkg") PYTHONDONTWRITEBYTECODE=1 \
  "$python" - "$work/d" <<'PY'
import sys

import bucketdb

d = sys.argv[1]
with open(d + "/keys", "w") as f:
    f.write("onefile:" + "a" * 64 + "\n")
for uri in ("memory:onefile", "file:" + d + "/f",
            "crypt:compress:file:" + d + "/c?crypt.key_file=" + d + "/keys", "mine:onefile"):
    with bucketdb.open(uri) as db:
        db.register_schema({"name": "kv", "version": 1, "primaryKey": "k",
                            "fields": {"k": {"typeId": 10}, "v": {"typeId": 10}}})
        db.insert("kv", {"k": "x", "v": uri})
    with bucketdb.open(uri) as db:
        assert db.get("kv", "x") == {"k": "x", "v": uri}, db.get("kv", "x")
    print("committed and read through", uri.split("?")[0])
PY
