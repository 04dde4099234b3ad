#!/usr/bin/env bash
# onefile.symbols: in the one-file library the built-in drivers and the engine share one link,
# so no two of them may define one symbol with external linkage. Two strong definitions fail the
# link; two of an inline function or a class member (weak symbols) would merge silently, one body
# serving both: this finds those. Shared on purpose: the standard library and the header-only
# helpers of plugins/common (namespace bdbdrv), the same code everywhere.
#   symbols.sh NAME=FILE:FILE... ...   (object files or static libraries)
set -euo pipefail
shared='^DW\.ref\.|^([^ (]+ )?(std|__gnu_cxx|bdbdrv)::|^(typeinfo|typeinfo name|vtable|VTT|guard variable) for (std|__gnu_cxx|bdbdrv)::'
for group in "$@"; do
  name=${group%%=*}
  IFS=: read -ra files <<<"${group#*=}"
  nm --defined-only "${files[@]}" | awk '$2 ~ /^[TWVDBRu]$/ {print $3}' | c++filt |
    { grep -Ev "$shared" || true; } | sort -u | sed "s/^/$name\t/"
done >symbols.txt
clashes=$(cut -f2 symbols.txt | sort | uniq -d)
if [ -n "$clashes" ]; then
  echo "defined by more than one of the linked parts:"
  while IFS= read -r sym; do
    printf '  %s: %s\n' "$sym" "$(awk -F'\t' -v s="$sym" '$2 == s {print $1}' symbols.txt | tr '\n' ' ')"
  done <<<"$clashes"
  exit 1
fi
echo "$(cut -f1 symbols.txt | sort -u | paste -sd" "): $(wc -l <symbols.txt) symbols, none defined twice"
