#!/usr/bin/env bash
# The check every package test of the one-file build makes: the package's native files (paths or
# names, as arguments or one a line on stdin) hold one libbucketdb and no driver plugin.
#   natives.sh FILE...   or   LISTING | natives.sh
set -euo pipefail
if (($#)); then names=$(printf '%s\n' "$@"); else names=$(cat); fi
names=$(sed 's|.*/||' <<<"$names" | sort -u)
libs=$(grep -c '^libbucketdb\.so' <<<"$names" || true)
plugins=$(grep '^bucketdb-driver-' <<<"$names" | paste -sd' ' || true)
echo "native files: $(grep -E '\.(so|node)(\.|$)' <<<"$names" | paste -sd' ')"
if [ "$libs" != 1 ] || [ -n "$plugins" ]; then
  echo "expected one libbucketdb and no driver plugin; found $libs libbucketdb, plugins:" \
    "${plugins:-none}" >&2
  exit 1
fi
