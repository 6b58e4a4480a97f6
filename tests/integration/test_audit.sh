#!/bin/bash
# test_audit.sh - `irmfleet audit`, `history`, `prune` and `db check` end
# to end on copies of the example fleet (cli/cmd_audit.c, cmd_history.c,
# cmd_prune.c, cmd_db.c over compare/store/): exit codes (0/1/2/3/4),
# drift output in text and JSON, a failed host shown as failed, stale
# servers, "since when", bad input writing nothing, a newer schema
# refused, version 0 and 1 databases migrated.
# Usage: test_audit.sh IRMFLEET SOURCE_DIR
set -u
. "$(dirname "$0")/lib.sh" "$@"
db=$tmp/h.db
redir='reg:HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\IRM\CertificationServerRedirection'

expect() {  # expect NAME FILE REGEX
	if grep -qE -- "$3" "$2"; then
		echo "ok: $1"
	else
		echo "FAIL: $1: no /$3/ in output:"; sed 's/^/  | /' "$2"; fail=1
	fi
}
runs() { sqlite3 "$db" 'SELECT count(*) FROM runs'; }

command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 CLI missing"; exit 1; }
command -v python3 >/dev/null || { echo "FAIL: python3 missing"; exit 1; }
cp -r "$src/examples/fleet" "$tmp/fleet"

# 1. baseline: the example fleet has findings (EX07), no drift yet
"$bin" audit --db "$db" --at 2026-03-02T00:00:00Z "$tmp/fleet" >"$tmp/o1" 2>&1
check "first audit: findings, no drift" 1 $?
expect "first audit is the baseline" "$tmp/o1" "first audit in this database"
"$bin" audit --db "$db" --at 2026-03-03T00:00:00Z "$tmp/fleet" >"$tmp/o2" 2>&1
check "unchanged fleet: findings only" 1 $?
expect "unchanged fleet: no change" "$tmp/o2" "no change since the previous audit"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM snapshots')" = 14 ] ||
	{ echo "FAIL: unchanged content was stored again"; fail=1; }

# 2. drift: EX03's certification redirection goes to http
sed -i 's|data="https://rmsconnector.contoso.com"/>|data="http://rmsconnector.contoso.com"/>|' \
    "$tmp/fleet/EX03.xml"
"$bin" audit --db "$db" --at 2026-03-04T00:00:00Z "$tmp/fleet" >"$tmp/o3" 2>&1
check "drift wins over findings" 4 $?
expect "drift names EX03 changed" "$tmp/o3" "^EX03 +changed +reg:"
expect "drift shows the old value and since when" "$tmp/o3" \
    "was: .*=> https://rmsconnector.contoso.com \(since 2026-03-02T00:00:00Z\)"
expect "drift shows the new value" "$tmp/o3" "now: .*=> http://rmsconnector"

# 3. JSON: same run shape, comparison embedded
"$bin" audit --db "$db" --at 2026-03-05T00:00:00Z --format json \
    "$tmp/fleet" >"$tmp/o4.json" 2>"$tmp/o4.err"
check "json audit with no change and findings" 1 $?
python3 - "$tmp/o4.json" <<'EOF' || { echo "FAIL: audit JSON shape"; fail=1; }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "irmfleet-audit" and d["version"] == 1, d
assert d["run"]["id"] == 4 and d["run"]["previous_id"] == 3, d["run"]
assert d["run"]["hosts_ok"] == 14 and d["run"]["hosts_failed"] == 0
assert d["drift"] == [] and d["stale"] == [], d["drift"]
assert d["summary"]["exit"] == 1 and d["summary"]["findings"] >= 1
assert d["comparison"]["format"] == "irmfleet-compare"
print("ok: audit JSON shape")
EOF

# 4. a failed host is recorded as failed, never as "no change"
cat >"$tmp/fleet/EX05.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<snapshot xmlns="urn:irmfleet:snapshot:1" formatVersion="1">
  <identity>
    <server>EX05</server>
    <roles><role>exchange</role></roles>
    <collectedAt>2026-03-06T00:00:00Z</collectedAt>
    <method>ssh</method>
  </identity>
  <errors>
    <error item="host" reason="connection"><message>connect: connection refused</message></error>
  </errors>
</snapshot>
EOF
"$bin" audit --db "$db" --at 2026-03-06T00:00:00Z --format json \
    "$tmp/fleet" >"$tmp/o5.json" 2>"$tmp/o5.err"
check "failed host: not checked" 3 $?
python3 - "$tmp/o5.json" <<'EOF' || { echo "FAIL: failed host JSON"; cat "$tmp/o5.err"; fail=1; }
import json, sys
d = json.load(open(sys.argv[1]))
f = [c for c in d["drift"] if c["server"] == "EX05"]
assert len(f) == 1 and f[0]["kind"] == "failed", f
assert "connection refused" in f[0]["message"]
assert d["run"]["hosts_failed"] == 1 and d["run"]["hosts_ok"] == 13
print("ok: failed host in JSON drift")
EOF
"$bin" history --db "$db" --server ex05 >"$tmp/o6" 2>&1
check "history of the failed host" 0 $?
expect "history shows the failure" "$tmp/o6" "2026-03-06T00:00:00Z +EX05 +failed"

# 5. since when has EX03 differed?
"$bin" history --db "$db" --server EX03 --setting "$redir" >"$tmp/o7" 2>&1
check "history for a server and setting" 0 $?
expect "current value" "$tmp/o7" "current value: .*=> http://rmsconnector"
expect "since" "$tmp/o7" "since: 2026-03-04T00:00:00Z"
expect "differs since" "$tmp/o7" "EX03 differs from the majority since 2026-03-04T00:00:00Z"
"$bin" history --db "$db" --since 2026-03-04 --format json >"$tmp/o8.json"
check "history json since a date" 0 $?
python3 - "$tmp/o8.json" <<'EOF' || { echo "FAIL: history JSON"; fail=1; }
import json, sys
d = json.load(open(sys.argv[1]))
ats = [c["at"] for c in d["changes"]]
assert ats == sorted(ats, reverse=True), ats          # newest first
assert all(a >= "2026-03-04" for a in ats), ats
kinds = {(c["server"], c["kind"]) for c in d["changes"]}
assert ("EX03", "changed") in kinds and ("EX05", "failed") in kinds, kinds
print("ok: history JSON newest first, filtered")
EOF
"$bin" history --db "$db" --server NOPE --setting "$redir" >/dev/null 2>"$tmp/o9"
check "unknown server" 2 $?
"$bin" history --db "$db" --since yesterday >/dev/null 2>"$tmp/o9"
check "bad --since" 2 $?

# 6. stale: nothing collected for more than --stale
cp "$src/examples/fleet/EX05.xml" "$tmp/fleet/EX05.xml"
"$bin" audit --db "$db" --at 2026-03-20T00:00:00Z --stale 7d \
    "$tmp/fleet" >"$tmp/o10" 2>&1
check "stale servers: not checked" 3 $?
# every snapshot of the run is old: an old export, not a dead fleet
expect "all stale: listed" "$tmp/o10" \
    "^EX01 +stale +last collected 2026-03-01T02:00:00Z$"
expect "all stale: said once" "$tmp/o10" \
    "^every snapshot of this audit was collected more than 7d ago"
if grep -q "decommissioned" "$tmp/o10"; then
	echo "FAIL: all stale: no forget hint expected"; fail=1
fi
# one server collected again: the others look gone, each with the hint
sed -i 's|<collectedAt>[^<]*</collectedAt>|<collectedAt>2026-03-19T12:00:00Z</collectedAt>|' \
    "$tmp/fleet/EX02.xml"
"$bin" audit --db "$db" --at 2026-03-20T00:00:00Z --stale 7d \
    "$tmp/fleet" >"$tmp/o10" 2>&1
check "stale servers beside a fresh one: not checked" 3 $?
expect "stale listed, with how to forget it" "$tmp/o10" \
    "^EX01 +stale +last collected 2026-03-01T02:00:00Z \(if it was decommissioned: irmfleet forget --db $db EX01\)$"
if grep -qE "^EX02 +stale" "$tmp/o10"; then
	echo "FAIL: EX02 was collected a day ago, not stale"; fail=1
fi

# 7. bad input aborts before anything is written
before=$(runs)
cp "$src/tests/fixtures/snapshot/broken-element.xml" "$tmp/fleet/ZZ.xml"
"$bin" audit --db "$db" --at 2026-03-21T00:00:00Z "$tmp/fleet" >"$tmp/o11" 2>&1
check "invalid snapshot: input error" 2 $?
expect "error names the file" "$tmp/o11" "ZZ.xml"
[ "$(runs)" = "$before" ] || { echo "FAIL: a run was recorded"; fail=1; }
"$bin" audit --db "$tmp/new.db" "$tmp/fleet" >/dev/null 2>&1
check "invalid snapshot, new database" 2 $?
[ ! -e "$tmp/new.db" ] || { echo "FAIL: database created for bad input"; fail=1; }
rm "$tmp/fleet/ZZ.xml"

# 8. db check and prune
"$bin" db check --db "$db" >"$tmp/o12" 2>&1
check "db check" 0 $?
expect "db check ok" "$tmp/o12" "^ok$"
"$bin" prune --db "$db" --keep 1d >"$tmp/o13" 2>&1
check "prune everything older than a day" 0 $?
"$bin" history --db "$db" --server EX03 --setting "$redir" >"$tmp/o14" 2>&1
check "history after prune" 0 $?
expect "latest state survives prune" "$tmp/o14" "since: 2026-03-04T00:00:00Z"
"$bin" db check --db "$db" >/dev/null 2>&1
check "db check after prune" 0 $?
"$bin" prune --db "$db" >/dev/null 2>&1
check "prune without --keep" 2 $?
"$bin" db check --db "$tmp/none.db" >/dev/null 2>"$tmp/o15"
check "db check of a missing file" 2 $?

# 9. tampering is found by db check
cp "$db" "$tmp/t.db"
sqlite3 "$tmp/t.db" "UPDATE setting_values SET value = value || 'x' WHERE id = (SELECT min(value_id) FROM intervals WHERE to_run IS NULL)"
"$bin" db check --db "$tmp/t.db" >"$tmp/o16" 2>&1
check "db check finds a tampered value" 1 $?
expect "names the server" "$tmp/o16" "latest state does not reconstruct"

# 10. schema versions: newer refused, version 0 and 1 migrated
cp "$db" "$tmp/newer.db"
sqlite3 "$tmp/newer.db" 'PRAGMA user_version = 99'
"$bin" audit --db "$tmp/newer.db" --at 2026-03-21T00:00:00Z "$tmp/fleet" >/dev/null 2>"$tmp/o17"
check "newer schema refused" 2 $?
expect "clear message" "$tmp/o17" "schema version 99, newer than this irmfleet supports"
[ "$(sqlite3 "$tmp/newer.db" 'PRAGMA user_version')" = 99 ] ||
	{ echo "FAIL: newer database was modified"; fail=1; }
sqlite3 "$tmp/v0.db" 'VACUUM'     # an empty database: version 0
"$bin" audit --db "$tmp/v0.db" --at 2026-03-02T00:00:00Z "$tmp/fleet" >/dev/null 2>&1
check "version 0 (empty) database migrated" 1 $?
cp "$db" "$tmp/v1.db"
sqlite3 "$tmp/v1.db" 'DROP TABLE meta; DROP INDEX intervals_open;
    PRAGMA user_version = 1'
"$bin" audit --db "$tmp/v1.db" --at 2026-03-21T00:00:00Z --stale 100d \
    "$tmp/fleet" >"$tmp/o18" 2>&1
check "version 1 database migrated and audited" 1 $?
[ "$(sqlite3 "$tmp/v1.db" 'PRAGMA user_version')" = 2 ] ||
	{ echo "FAIL: v1 not migrated to 2"; fail=1; }
"$bin" db check --db "$tmp/v1.db" >/dev/null 2>&1
check "db check after migration" 0 $?
sqlite3 "$tmp/other.db" 'CREATE TABLE t (x)'
"$bin" audit --db "$tmp/other.db" "$tmp/fleet" >/dev/null 2>"$tmp/o19"
check "foreign database refused" 2 $?
expect "says so" "$tmp/o19" "not an irmfleet history database"

# 11. --inventory collects first (collect.h); an unreachable host is
# recorded as failed, not skipped
printf '[exchange]\nexdown ansible_host=127.0.0.1 ansible_port=1\n' >"$tmp/inv.ini"
: >"$tmp/known_hosts"
"$bin" audit --db "$tmp/inv.db" --inventory "$tmp/inv.ini" --out "$tmp/coll" \
    --known-hosts "$tmp/known_hosts" --user audit --format json \
    >"$tmp/o21.json" 2>"$tmp/o21.err"
check "audit --inventory with an unreachable host" 3 $?
python3 - "$tmp/o21.json" <<'EOF2' || { echo "FAIL: inventory audit JSON"; cat "$tmp/o21.err"; fail=1; }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["run"]["hosts_failed"] == 1 and d["run"]["hosts_ok"] == 0, d["run"]
f = d["drift"][0]
assert f["server"] == "exdown" and f["kind"] == "failed", f
assert "refused" in f["message"], f
print("ok: collected host recorded as failed")
EOF2
[ -f "$tmp/coll/exdown.xml" ] || { echo "FAIL: no collected snapshot"; fail=1; }
"$bin" audit --db "$tmp/inv.db" --inventory "$tmp/inv.ini" >/dev/null 2>&1
check "--inventory without --out" 2 $?

# 12. usage
"$bin" audit --db "$db" --at 2026-03-01T00:00:00Z "$tmp/fleet" >/dev/null 2>"$tmp/o20"
check "run time before the latest run" 2 $?
expect "says so" "$tmp/o20" "before the latest recorded run"
"$bin" audit --db "$db" >/dev/null 2>&1
check "audit without snapshots" 2 $?
"$bin" audit --db "$db" --stale 7x "$tmp/fleet" >/dev/null 2>&1
check "bad --stale" 2 $?
"$bin" db frob >/dev/null 2>&1
check "db without check" 2 $?

exit $fail
