#!/usr/bin/env bash
# onefile.python: the Python package as a wheel built on the one-file library carries it, its
# own files and native module beside the one-file library as libbucketdb.so.0, and no plugin.
# It commits and reads a row through memory:, file: and crypt:compress:file:.
#   python_package.sh STAGED_PACKAGE_DIR ONEFILE_LIBRARY PYTHON
set -euo pipefail
pkg=$1 lib=$2 python=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$pkg" "$work/bucketdb"
rm -f "$work"/bucketdb/bucketdb-*.so "$work"/bucketdb/libbucketdb.so*
cp "$lib" "$work/bucketdb/libbucketdb.so.0"
mkdir "$work/no-plugins" "$work/d"
echo "package: $(cd "$work/bucketdb" && ls | grep -Ev '\.pyi?$|py\.typed' | paste -sd' ')"
BUCKETDB_PLUGIN_PATH=$work/no-plugins PYTHONPATH=$work PYTHONDONTWRITEBYTECODE=1 \
  "$python" - "$work/d" <<'PY'
import sys

import bucketdb

d = sys.argv[1]
with open(d + "/keys", "w") as f:
    f.write("onefile:" + "a" * 64 + "\n")
for uri in ("memory:onefile", "file:" + d + "/f",
            "crypt:compress:file:" + d + "/c?crypt.key_file=" + d + "/keys"):
    with bucketdb.open(uri) as db:
        db.register_schema({"name": "kv", "version": 1, "primaryKey": "k",
                            "fields": {"k": {"typeId": 10}, "v": {"typeId": 10}}})
        db.insert("kv", {"k": "x", "v": uri})
    with bucketdb.open(uri) as db:
        assert db.get("kv", "x") == {"k": "x", "v": uri}, db.get("kv", "x")
    print("committed and read through", uri.split("?")[0])
PY
