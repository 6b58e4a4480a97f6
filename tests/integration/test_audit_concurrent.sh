#!/bin/bash
# test_audit_concurrent.sh - two `irmfleet audit` processes started at the
# same moment on the same database both finish (compare/store/open.c: WAL, a
# busy timeout and BEGIN IMMEDIATE, so one waits for the other instead of
# failing with "database is locked").  Done on a fresh database (both race
# to create and migrate it) and on an existing one, several times.
# Usage: test_audit_concurrent.sh IRMFLEET SOURCE_DIR
set -u
bin=$1
src=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 CLI missing"; exit 1; }
python3 "$src/bench/gen-audit-fleet.py" "$tmp/a" 150 || exit 1
python3 "$src/bench/gen-audit-fleet.py" "$tmp/b" 150 --variant 1 || exit 1

pair() {   # pair DB ROUND: two audits at once, both must succeed
	local db=$1 r=$2
	"$bin" audit --db "$db" --stale 10000d "$tmp/a" >"$tmp/o1" 2>&1 &
	local p1=$!
	"$bin" audit --db "$db" --stale 10000d "$tmp/b" >"$tmp/o2" 2>&1 &
	local p2=$!
	wait $p1; local r1=$?
	wait $p2; local r2=$?
	for x in "1 $r1" "2 $r2"; do
		set -- $x
		case $2 in
		0|4) ;;
		*) echo "FAIL: round $r, audit $1 exited $2"; cat "$tmp/o$1"
		   fail=1 ;;
		esac
	done
	if grep -qi "locked\|busy" "$tmp/o1" "$tmp/o2"; then
		echo "FAIL: round $r: lock error reported"; fail=1
	fi
}

for r in 1 2 3 4 5; do
	db=$tmp/fresh$r.db
	pair "$db" "fresh $r"
	n=$(sqlite3 "$db" 'SELECT count(*) FROM runs')
	[ "$n" = 2 ] || { echo "FAIL: fresh $r: $n runs, expected 2"; fail=1; }
	"$bin" db check --db "$db" >/dev/null 2>&1 ||
		{ echo "FAIL: fresh $r: db check"; fail=1; }
done
db=$tmp/shared.db
for r in 1 2 3; do pair "$db" "shared $r"; done
n=$(sqlite3 "$db" 'SELECT count(*) FROM runs')
[ "$n" = 6 ] || { echo "FAIL: shared: $n runs, expected 6"; fail=1; }
"$bin" db check --db "$db" >"$tmp/check" 2>&1 ||
	{ echo "FAIL: shared: db check"; cat "$tmp/check"; fail=1; }
[ $fail = 0 ] && echo "ok: 16 concurrent audits in pairs all finished"
exit $fail
