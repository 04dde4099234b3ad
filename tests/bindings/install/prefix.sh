#!/usr/bin/env bash
# The fixture of the install.* tests of the bindings: `cmake --install` of the build into a
# fresh prefix, which each test then uses from a new folder outside the tree.
#   prefix.sh BUILD_DIR PREFIX
set -euo pipefail
build=$1 prefix=$2
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
echo "installed into $prefix"
