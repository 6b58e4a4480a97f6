#!/bin/bash
# test_forget.sh - `irmfleet forget` end to end (cli/cmd_forget.c over
# compare/store/prune.c): a server whose snapshot stops coming is reported as
# absent, then stale with a hint naming the forget command; a dry run
# changes nothing; an unknown name is exit 2 and removes nothing;
# forgetting it brings the audit back to a clean exit, `history --server`
# no longer knows it, `db check` stays ok, and seen again it is new.
# Usage: test_forget.sh IRMFLEET SOURCE_DIR
set -u
. "$(dirname "$0")/lib.sh" "$@"
db=$tmp/h.db

expect() {  # expect NAME FILE REGEX
	if grep -qE -- "$3" "$2"; then
		echo "ok: $1"
	else
		echo "FAIL: $1: no /$3/ in output:"; sed 's/^/  | /' "$2"; fail=1
	fi
}
absent() {  # absent NAME FILE REGEX
	if grep -qE -- "$3" "$2"; then
		echo "FAIL: $1: /$3/ in output:"; sed 's/^/  | /' "$2"; fail=1
	else
		echo "ok: $1"
	fi
}
sig() {     # every table's row count, to see that nothing changed
	sqlite3 "$db" "SELECT (SELECT count(*) FROM runs) || '/' ||
	    (SELECT total(hosts_ok) FROM runs) || '/' ||
	    (SELECT count(*) FROM servers) || '/' ||
	    (SELECT count(*) FROM snapshots) || '/' ||
	    (SELECT count(*) FROM sightings) || '/' ||
	    (SELECT count(*) FROM intervals) || '/' ||
	    (SELECT count(*) FROM setting_values)"
}

command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 CLI missing"; exit 1; }
cp -r "$src/examples/fleet" "$tmp/fleet"
# every example snapshot says collectedAt 2026-03-01; --at and --stale
# make each audit's "now" and staleness deterministic

# 1. two audits of the whole fleet (EX07 has findings: exit 1)
"$bin" audit --db "$db" --at 2026-03-02T00:00:00Z --stale 7d "$tmp/fleet" \
    >"$tmp/o1" 2>&1
check "first audit" 1 $?
"$bin" audit --db "$db" --at 2026-03-03T00:00:00Z --stale 7d "$tmp/fleet" \
    >"$tmp/o2" 2>&1
check "second audit" 1 $?

# 2. EX07 is decommissioned: its snapshot no longer comes
rm "$tmp/fleet/EX07.xml"
"$bin" audit --db "$db" --at 2026-03-04T00:00:00Z --stale 7d "$tmp/fleet" \
    >"$tmp/o3" 2>&1
check "audit without EX07: not checked" 3 $?
expect "EX07 reported absent" "$tmp/o3" "^EX07 +absent"
# the others are collected again later; EX07 never is
# (with their events: a node's list refreshes, 1004, follow its clock)
sed -i -e 's|<collectedAt>2026-03-01T|<collectedAt>2026-03-20T|' \
    -e 's|last="2026-03-01T|last="2026-03-20T|' "$tmp"/fleet/*.xml
"$bin" audit --db "$db" --at 2026-03-20T12:00:00Z --stale 7d "$tmp/fleet" \
    >"$tmp/o4" 2>&1
check "audit with EX07 stale: not checked" 3 $?
expect "EX07 stale, with the forget hint on the same line" "$tmp/o4" \
    "^EX07 +stale +last collected 2026-03-01T[0-9:]+Z \(if it was decommissioned: irmfleet forget --db $db EX07\)$"
absent "only EX07 is stale" "$tmp/o4" "^(EX0[1-689]|EX10|SP0|RMSCON).* stale "
"$bin" audit --db "$db" --at 2026-03-21T12:00:00Z --stale 7d "$tmp/fleet" \
    >"$tmp/o5" 2>&1
check "it stays stale on every run" 3 $?

# 3. a dry run and an unknown name change nothing
before=$(sig)
# typed in lower case, reported as recorded
"$bin" forget --db "$db" --dry-run ex07 >"$tmp/o6" 2>&1
check "dry run" 0 $?
expect "dry run counts" "$tmp/o6" \
    "^would forget EX07: seen in 2 audits; 1 sighting, [1-9][0-9]* setting intervals, 1 snapshot content$"
expect "dry run says so" "$tmp/o6" "^dry run: nothing changed$"
[ "$(sig)" = "$before" ] && echo "ok: dry run changed nothing" ||
	{ echo "FAIL: dry run changed the database"; fail=1; }
"$bin" forget --db "$db" EX07 EX99 >"$tmp/o7" 2>&1
check "unknown server: usage error" 2 $?
expect "the unknown server is named" "$tmp/o7" "server 'EX99' is not in the history; nothing forgotten"
[ "$(sig)" = "$before" ] && echo "ok: unknown name removed nothing" ||
	{ echo "FAIL: a failed forget changed the database"; fail=1; }
"$bin" forget --db "$db" >/dev/null 2>&1
check "no server named" 2 $?
"$bin" forget --db "$tmp/none.db" EX07 >/dev/null 2>&1
check "no such database" 2 $?

# 4. forget it
"$bin" forget --db "$db" EX07 >"$tmp/o8" 2>&1
check "forget EX07" 0 $?
expect "forget reports what it removed" "$tmp/o8" "^forgot EX07: seen in 2 audits; 1 sighting"
[ "$(sqlite3 "$db" "SELECT count(*) FROM servers WHERE name = 'EX07'")" = 0 ] &&
	echo "ok: EX07 gone from the database" || { echo "FAIL: EX07 still there"; fail=1; }
"$bin" db check --db "$db" >"$tmp/o9" 2>&1
check "db check after forget" 0 $?
expect "db check ok" "$tmp/o9" "^ok$"

# 5. the next audit no longer reports it: the rest of the fleet has no
# findings and no drift, so the exit status is 0
"$bin" audit --db "$db" --at 2026-03-22T12:00:00Z --stale 7d "$tmp/fleet" \
    >"$tmp/o10" 2>&1
check "audit after forget: clean" 0 $?
absent "EX07 not reported" "$tmp/o10" "EX07"
expect "nothing unchecked" "$tmp/o10" "audit result: 0 changes, 0 not checked"
"$bin" history --db "$db" --server EX07 >"$tmp/o11" 2>"$tmp/o11.err"
check "history of a forgotten server: unknown" 2 $?
expect "history knows nothing of it" "$tmp/o11.err" "server 'EX07' is not in the history"
[ -s "$tmp/o11" ] && { echo "FAIL: history printed a timeline"; fail=1; }
"$bin" history --db "$db" >"$tmp/o12" 2>&1
absent "full history has no EX07" "$tmp/o12" "EX07"
expect "full history still has the others" "$tmp/o12" "EX01 +new-server"

# 6. seen again, it is a new server
cp "$src/examples/fleet/EX07.xml" "$tmp/fleet/EX07.xml"
sed -i 's|<collectedAt>2026-03-01T|<collectedAt>2026-03-23T|' "$tmp/fleet/EX07.xml"
"$bin" audit --db "$db" --at 2026-03-23T12:00:00Z --stale 7d "$tmp/fleet" \
    >"$tmp/o13" 2>&1
check "EX07 back: drift" 4 $?
expect "EX07 is a new server" "$tmp/o13" "^EX07 +new-server"
"$bin" history --db "$db" --server EX07 >"$tmp/o14" 2>&1
expect "its history starts now" "$tmp/o14" "^2026-03-23T12:00:00Z +EX07 +new-server"
"$bin" db check --db "$db" >/dev/null 2>&1
check "db check at the end" 0 $?

[ $fail = 0 ] && echo "all forget tests passed"
exit $fail
