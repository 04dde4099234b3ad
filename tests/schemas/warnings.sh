#!/usr/bin/env bash
# schemas.warnings: every generated header compiles without a single warning under
# -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow, the C headers as C99 and
# the C++ headers as C++17, with the project's compilers and with clang when installed. Every
# generated C function is referenced, so each is compiled, not just parsed.
#   warnings.sh WORK_DIR "C_COMPILERS" "CXX_COMPILERS" -I... -- HEADER...   (lists: ';' or ' ')
set -euo pipefail
work=$1 ccs=${2//;/ } cxxs=${3//;/ }
shift 3
includes=()
while [[ $1 != -- ]]; do includes+=("$1"); shift; done
shift
rm -rf "$work"
mkdir -p "$work"
flags=(-Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Werror -O2)

{
  echo "#include <bucketdb/codec.h>"
  for h in "$@"; do [[ $h == *.h ]] && echo "#include \"$h\""; done
  echo "typedef void (*any_fn)(void);"
  echo "any_fn bdb_generated_functions[] = {"
  for h in "$@"; do
    [[ $h == *.h ]] || continue
    sed -n 's/^static inline [^(]*[ *]\([A-Za-z_][A-Za-z0-9_]*\)(.*/  (any_fn)\1,/p' "$h"
  done
  echo "  0};"
} >"$work/all_c.c"
{
  echo "#include <bucketdb/codec.hpp>"
  for h in "$@"; do [[ $h == *.hpp ]] && echo "#include \"$h\""; done
  echo "int main() { bdbc::RowBuilder b; return b.rows().empty() ? 0 : 1; }"
} >"$work/all_cpp.cpp"

n=0
for cc in $ccs; do
  command -v "$cc" >/dev/null || continue
  echo "$cc -std=c99 ${flags[*]}"
  "$cc" -std=c99 "${flags[@]}" "${includes[@]}" -c "$work/all_c.c" -o "$work/c.o"
  n=$((n + 1))
done
for cxx in $cxxs; do
  command -v "$cxx" >/dev/null || continue
  echo "$cxx -std=c++17 ${flags[*]}"
  "$cxx" -std=c++17 "${flags[@]}" "${includes[@]}" -c "$work/all_cpp.cpp" -o "$work/cpp.o"
  n=$((n + 1))
done
((n >= 2)) || { echo "FAIL: no compiler ran"; exit 1; }
echo "$(grep -c 'any_fn)' "$work/all_c.c") generated C functions; $n compilations without a warning"
