#!/bin/bash
# check-public-symbols.sh - the shared library exports exactly the
# functions the public headers declare: no internal irmf_* function leaks
# into the ABI, and no header documents a function that does not exist.
#
# usage: check-public-symbols.sh LIBIRMFLEET_SO PUBLIC_LIST
set -u
so=$1 list=$2
exported=$(nm -D --defined-only "$so" | awk '$2 == "T" { print $3 }' | sort -u)
declared=$(sort -u "$list")
extra=$(comm -23 <(echo "$exported") <(echo "$declared"))
missing=$(comm -13 <(echo "$exported") <(echo "$declared"))
rc=0
if [ -n "$extra" ]; then
	echo "exported but not declared in include/irmfleet:" >&2
	echo "$extra" | sed 's/^/  /' >&2
	rc=1
fi
if [ -n "$missing" ]; then
	echo "declared in include/irmfleet but not defined:" >&2
	echo "$missing" | sed 's/^/  /' >&2
	rc=1
fi
n=$(echo "$declared" | wc -l)
[ "$n" -ge 20 ] || { echo "only $n public functions: the list is wrong" >&2; rc=1; }
[ $rc -eq 0 ] && echo "public API: $n functions, all defined, nothing else exported"
exit $rc
