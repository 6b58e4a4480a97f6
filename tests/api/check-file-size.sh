#!/bin/bash
# check-file-size.sh - no source file of the library, the tool or the unit
# tests is over 1,000 lines (issue 11): a file that grows past it is split
# along its sections, as the store, collect, rules and snapshot files were.
#
# usage: check-file-size.sh SOURCE_DIR
set -u
cd "$1" || exit 2
big=$(find collector compare cli include tests/unit -name '*.[ch]' \
    -exec wc -l {} + | awk '$2 != "total" && $1 > 1000 { print "  " $2 ": " $1 " lines" }')
if [ -n "$big" ]; then
	echo "over 1,000 lines (split it along its sections):" >&2
	echo "$big" >&2
	exit 1
fi
echo "no source file over 1,000 lines"
