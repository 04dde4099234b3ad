#!/usr/bin/env bash
# The style and static-analysis gate: clang-format on every tracked C and C++ file (the
# checked-in .clang-format), then clang-tidy (the checked-in .clang-tidy) on every tracked C and
# C++ source but SWIG's generated *_wrap.* (the library, bench, bindings, examples and tests)
# and on the tree's headers, with BUILD_DIR's compile commands (scripts/tidy.py: each source
# once, and not again while nothing it reads changed since it was found clean).
#   scripts/lint.sh [BUILD_DIR]      (default build/asan; scripts/check.sh calls it)
#   scripts/lint.sh --fix            rewrites the files clang-format would change, and stops
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# Generated and vendored code keeps its generator's style.
mapfile -t sources < <(git ls-files '*.c' '*.cc' '*.cpp' '*.h' '*.hpp' | grep -v '_wrap\.')

if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${sources[@]}"
  exit 0
fi
build=${1:-build/asan}

status=0
if ! clang-format --dry-run --Werror "${sources[@]}" 2>/tmp/bdb-format.$$; then
  grep -E '^[^ ]+:[0-9]+:[0-9]+: (error|warning): ' /tmp/bdb-format.$$ | cut -d: -f1 | sort -u |
    sed 's/^/lint: not formatted: /' >&2
  echo "lint: run scripts/lint.sh --fix (clang-format -i) and commit the result" >&2
  status=1
fi
rm -f /tmp/bdb-format.$$

[ -f "$build/compile_commands.json" ] || {
  echo "lint: $build/compile_commands.json is missing; configure that tree first" >&2
  exit 1
}
scripts/tidy.py "$build" || status=1
[ "$status" -eq 0 ] && echo "lint: clang-format and clang-tidy clean"
exit "$status"
