#!/usr/bin/env bash
# The style and static-analysis gate: clang-format on every tracked C and C++ file (the
# checked-in .clang-format), then clang-tidy (the checked-in .clang-tidy) on the library's own
# sources (core, abi, conformance, plugins, builtin, schemas, tools), using BUILD_DIR's
# compile_commands.json.
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
mapfile -t units < <(git ls-files 'core/*.cpp' 'abi/*.cpp' 'conformance/*.cpp' 'plugins/*.cpp' \
  'schemas/*.cpp' 'tools/*.cpp' 'builtin/*.cpp')
# run-clang-tidy runs one clang-tidy per unit, nproc at a time, and fails when one does.
if ! run-clang-tidy -quiet -p "$build" -j "$(nproc)" "${units[@]/#/$root/}" \
    >/tmp/bdb-tidy.$$ 2>&1; then
  grep -E '(warning|error):' /tmp/bdb-tidy.$$ | sort -u >&2 || tail -20 /tmp/bdb-tidy.$$ >&2
  status=1
fi
rm -f /tmp/bdb-tidy.$$
[ "$status" -eq 0 ] && echo "lint: clang-format and clang-tidy clean"
exit "$status"
