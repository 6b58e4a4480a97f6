#!/bin/bash
# test_inputs.sh - snapshot directories with things in them that are not
# snapshot files, and snapshot files named after another server
# (compare/core/fleet.c's loading, used by compare and audit; validate): a
# FIFO named *.xml must not hang, a link to /dev/zero must not be read,
# each skipped entry is named in a warning; "EX33.xml" holding EX03 is
# a warning naming both.
# Usage: test_inputs.sh IRMFLEET SOURCE_DIR
set -u
. "$(dirname "$0")/lib.sh" "$@"

expect() {  # expect NAME FILE REGEX
	if grep -qE -- "$3" "$2"; then
		echo "ok: $1"
	else
		echo "FAIL: $1: no /$3/ in output:"; sed 's/^/  | /' "$2"; fail=1
	fi
}

# 1. a FIFO and a link to /dev/zero among the snapshots: skipped, named
cp -r "$src/examples/fleet" "$tmp/fleet"
mkfifo "$tmp/fleet/EX98.xml"
ln -s /dev/zero "$tmp/fleet/EX99.xml"
for cmd in compare "audit --db $tmp/h.db --at 2026-03-02T00:00:00Z"; do
	# shellcheck disable=SC2086
	timeout 60 "$bin" $cmd "$tmp/fleet" >"$tmp/o" 2>"$tmp/e"
	rc=$?
	[ $rc = 124 ] && { echo "FAIL: $cmd hangs on a FIFO"; fail=1; continue; }
	check "$cmd: FIFO and device link skipped (findings as usual)" 1 $rc
	expect "$cmd: FIFO named" "$tmp/e" "warning: '$tmp/fleet/EX98.xml': skipped: not a regular file \(a FIFO\)"
	expect "$cmd: device link named" "$tmp/e" "warning: '$tmp/fleet/EX99.xml': skipped: not a regular file \(a character device\)"
done
# named explicitly, it is an input error at once, not a hang
timeout 60 "$bin" compare "$tmp/fleet/EX01.xml" "$tmp/fleet/EX98.xml" >/dev/null 2>"$tmp/e"
check "compare: a FIFO given as a file" 2 $?
expect "the FIFO is named" "$tmp/e" "EX98.xml: cannot read: not a regular file \(a FIFO\)"
# a directory with nothing usable says so, after the warnings
mkdir "$tmp/odd"
mkfifo "$tmp/odd/EX01.xml"
timeout 60 "$bin" compare "$tmp/odd" >/dev/null 2>"$tmp/e"
check "compare: only a FIFO" 2 $?
expect "warning first" "$tmp/e" "EX01.xml': skipped"
expect "then no snapshot" "$tmp/e" "no snapshot files"

# 2. a file named after another server
mkdir "$tmp/renamed"
cp "$src/examples/fleet/EX01.xml" "$src/examples/fleet/EX02.xml" "$tmp/renamed/"
cp "$src/examples/fleet/EX03.xml" "$tmp/renamed/EX33.xml"
want="warning: '$tmp/renamed/EX33.xml': the file is named 'EX33' but holds server 'EX03'"
"$bin" validate "$tmp/renamed/EX33.xml" "$tmp/renamed/EX01.xml" >"$tmp/o" 2>"$tmp/e"
check "validate: still valid" 0 $?
expect "validate: warns" "$tmp/e" "$want"
[ "$(grep -c warning "$tmp/e")" = 1 ] && echo "ok: validate: only the misnamed file" ||
	{ echo "FAIL: validate warned about a well-named file"; fail=1; }
"$bin" compare "$tmp/renamed" >"$tmp/o" 2>"$tmp/e"
check "compare: compared as usual (no findings)" 0 $?
expect "compare: warns" "$tmp/e" "$want"
"$bin" audit --db "$tmp/h2.db" --at 2026-03-02T00:00:00Z "$tmp/renamed" >"$tmp/o" 2>"$tmp/e"
check "audit: recorded as usual" 0 $?
expect "audit: warns" "$tmp/e" "$want"
# case alone is no mismatch (collect names files after the inventory)
mkdir "$tmp/case"
cp "$src/examples/fleet/EX01.xml" "$tmp/case/ex01.xml"
"$bin" validate "$tmp/case/ex01.xml" >/dev/null 2>"$tmp/e"
[ -s "$tmp/e" ] && { echo "FAIL: warning for a case difference"; fail=1; } ||
	echo "ok: no warning for a case difference"

[ $fail = 0 ] && echo "all input tests passed"
exit $fail
