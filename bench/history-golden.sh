#!/bin/bash
# history-golden.sh - show that two irmfleet binaries give the same bytes
# for the history commands (audit, history, db check, prune, forget): one
# scripted session of audits with drift, a failed host, stale servers, bad
# input, text and JSON output, then history queries, prune, forget and db
# check, run by each binary in the same directory (paths appear in the
# output), plus one audit of every tests/fixtures fleet.  Every command's
# stdout, stderr and exit status is kept; the two sets must be equal.
#
# Written for the split of compare/store/store.c and the move of audit
# into the library (issue 11): run it with the binary built before a
# refactoring and the one built after.
#
# Usage: bench/history-golden.sh OLD_IRMFLEET NEW_IRMFLEET
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ $# -eq 2 ] || { echo "usage: $0 OLD_IRMFLEET NEW_IRMFLEET" >&2; exit 2; }
old=$(realpath "$1")
new=$(realpath "$2")

base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT
work=$base/w
redir='reg:HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\IRM\CertificationServerRedirection'

n=0
run() {     # run CMD...: keep stdout, stderr and the exit status
	n=$((n + 1))
	local rc=0
	"$bin" "$@" >"$out/$n.out" 2>"$out/$n.err" || rc=$?
	# prune names its cut-off, now minus --keep: not the same twice
	sed -i 's/before [0-9T:-]*Z:/before (cut-off):/' "$out/$n.out"
	echo "$* => $rc" >>"$out/status"
}

session() { # session BINARY OUTDIR
	bin=$1 out=$2 n=0
	rm -rf "$work"
	mkdir -p "$work" "$out"
	cp -r "$root/examples/fleet" "$work/fleet"
	local db=$work/h.db
	run audit --db "$db" --at 2026-03-02T00:00:00Z "$work/fleet"
	run audit --db "$db" --at 2026-03-03T00:00:00Z --format json \
	    "$work/fleet"
	sed -i 's|data="https://rmsconnector.contoso.com"/>|data="http://rmsconnector.contoso.com"/>|' \
	    "$work/fleet/EX03.xml"
	run audit --db "$db" --at 2026-03-04T00:00:00Z "$work/fleet"
	run audit --db "$db" --at 2026-03-05T00:00:00Z --format json \
	    "$work/fleet"
	rm "$work/fleet/EX09.xml"
	run audit --db "$db" --at 2026-03-06T00:00:00Z --stale 2d \
	    -s "$root/tests/fixtures/suppress/known.supp" "$work/fleet"
	run audit --db "$db" --at 2026-03-07T00:00:00Z --stale 2d \
	    --format json "$work/fleet"
	sed -i 's|<collectedAt>[^<]*</collectedAt>|<collectedAt>2026-03-19T12:00:00Z</collectedAt>|' \
	    "$work/fleet/EX02.xml"
	run audit --db "$db" --at 2026-03-20T00:00:00Z "$work/fleet"
	run audit --db "$db" --at 2026-03-20T00:00:00Z --format json \
	    "$work/fleet/EX01.xml" "$work/fleet/EX02.xml"
	cp "$root/tests/fixtures/snapshot/broken-element.xml" "$work/fleet/ZZ.xml"
	run audit --db "$db" --at 2026-03-21T00:00:00Z "$work/fleet"
	cp "$work/fleet/ZZ.xml" "$work/fleet/ZY.xml"
	run audit --db "$db" --at 2026-03-21T00:00:00Z "$work/fleet"
	rm "$work/fleet/ZZ.xml" "$work/fleet/ZY.xml"
	mkdir "$work/renamed"
	cp "$work/fleet/EX01.xml" "$work/renamed/old-ex01.xml"
	run audit --db "$work/renamed.db" --at 2026-03-02T00:00:00Z \
	    "$work/renamed"
	run audit --db "$db" --at 2026-03-01T00:00:00Z "$work/fleet"
	run audit --db "$db" "$work/nothere"
	run audit --db "$db" --stale 7x "$work/fleet"
	run audit --db "$db" --format xml "$work/fleet"
	run audit --db "$db"
	run audit --db "$db" --at 2026-03-22T00:00:00Z "$work/fleet/EX01.xml" \
	    "$work/fleet/EX01.xml"
	run history --db "$db"
	run history --db "$db" --format json
	run history --db "$db" --server ex03
	run history --db "$db" --server EX03 --setting "$redir"
	run history --db "$db" --server EX03 --setting "$redir" --format json
	run history --db "$db" --setting "$redir" --limit 3
	run history --db "$db" --since 2026-03-05 --format json
	run history --db "$db" --server NOPE
	run history --db "$db" --since yesterday
	run db check --db "$db"
	run forget --db "$db" --dry-run EX09 NOPE
	run forget --db "$db" --dry-run EX09
	run forget --db "$db" EX09 ex09
	run history --db "$db" --server EX09
	run prune --db "$db" --keep 10d
	run prune --db "$db"
	run db check --db "$db"
	run history --db "$db" --format json
	for f in "$root"/tests/fixtures/fleets/*/; do
		local name
		name=$(basename "$f")
		run audit --db "$work/$name.db" --at 2026-03-02T00:00:00Z "$f"
		run audit --db "$work/$name.db" --at 2026-03-03T00:00:00Z \
		    --format json "$f"
	done
}

session "$old" "$base/old"
session "$new" "$base/new"
if diff -r "$base/old" "$base/new"; then
	sed "s/^/  /" "$base/new/status"
	echo "ok: $(wc -l <"$base/old/status") commands, same bytes"
else
	echo "FAIL: outputs differ"
	exit 1
fi
