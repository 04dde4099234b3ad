#!/usr/bin/env bash
# `cmake --install` of the build into a fresh prefix: the fixtures of the install.* tests of the
# bindings, and install.onefile's. With "onefile", the one-file choice: the install components
# "common" and "onefile" (the one-file library, shared and static) in place of the default install
# (BDB_INSTALL_ONEFILE, README.md "Install"); the prefix then holds one libbucketdb and no driver
# plugin (tests/onefile/natives.sh).
#   prefix.sh BUILD_DIR PREFIX [onefile]
set -euo pipefail
build=$1 prefix=$2 choice=${3:-}
rm -rf "$prefix"
if [ "$choice" = onefile ]; then
  cmake --install "$build" --prefix "$prefix" --component common >/dev/null
  cmake --install "$build" --prefix "$prefix" --component onefile >/dev/null
  find "$prefix" -type f | "$(dirname "$0")/../../onefile/natives.sh"
  ls "$prefix"/lib*/libbucketdb.a >/dev/null
else
  cmake --install "$build" --prefix "$prefix" >/dev/null
fi
echo "installed into $prefix"
