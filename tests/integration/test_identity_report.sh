#!/bin/bash
# test_identity_report.sh - every server's identity in compare's and
# audit's reports (issue 10), end to end on the example fleet: the JSON
# "servers" list names each server's generation, build and evidence, the
# text headers and summary and the HTML servers table show them; a fleet
# mixing snapshot format versions 1 and 2 reads alike; and a server whose
# only change is its snapshot's format (1 -> 2) is not drift in audit.
# Usage: test_identity_report.sh IRMFLEET SOURCE_DIR
set -u
# reports carry their generation time: fix it so that two runs compare
export SOURCE_DATE_EPOCH=1767225600
bin=$1
src=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
check() {   # check NAME EXPECTED-RC ACTUAL-RC
	if [ "$2" != "$3" ]; then bad "$1: exit $3, expected $2"; else ok "$1"; fi
}

# the example fleet (format 2), and the same fleet in format 1: no
# <generation>, formatVersion="1" (what irmfleet before version 2 wrote)
cp -r "$src/examples/fleet" "$tmp/v2"
mkdir "$tmp/v1"
for f in "$tmp"/v2/*.xml; do
	sed -e 's/formatVersion="2"/formatVersion="1"/' \
	    -e '/<generation /,/<\/generation>/d' "$f" >"$tmp/v1/${f##*/}"
done
grep -q '<generation' "$tmp"/v1/*.xml && bad "v1 copies still have <generation>"
grep -q '<evidence' "$tmp"/v1/*.xml && bad "v1 copies still have <evidence>"
# a fleet of both: EX01-EX05 in format 1, the rest in format 2
mkdir "$tmp/mixed"
cp "$tmp"/v2/*.xml "$tmp/mixed/"
cp "$tmp"/v1/EX0[1-5].xml "$tmp/mixed/"

# 1. JSON: every server's generation, build and evidence
"$bin" compare --format json "$tmp/mixed" >"$tmp/mixed.json" 2>"$tmp/err"
check "compare --format json (mixed formats)" 1 $?
if python3 - "$tmp/mixed.json" <<'PY'; then ok "json servers: generation, build, evidence"; else bad "json servers"; fi
import json, sys
d = json.load(open(sys.argv[1]))
servers = {s["name"]: s for s in d["servers"]}
assert len(d["servers"]) == d["summary"]["servers"] == 14, len(d["servers"])
keys = {"name", "cohort", "product", "generation", "build", "build_source",
        "build_exact", "identity", "evidence", "collected_at", "reached"}
for s in d["servers"]:
    assert set(s) == keys, s
for n in ["EX%02d" % i for i in range(1, 11)]:
    s = servers[n]
    assert s["cohort"] == "exchange-v15", s
    assert s["generation"] == "exchange-2013+", s
    assert s["build_source"] == "ExSetup.exe" and s["build_exact"] is True, s
    assert s["build"] == ("15.1.2507.39" if n <= "EX04" else "15.2.1544.11"), s
    ranks = [e["rank"] for e in s["evidence"]]
    assert ranks == ["file", "product", "config-keys"], ranks
    assert s["evidence"][0] == {"rank": "file", "source": "file:ExSetup.exe",
                                "value": s["build"], "says": "exchange-2013+"}
    assert s["identity"] == "Exchange 2013 or later from ExSetup.exe " + s["build"], s
for n in ("SP01", "SP02"):
    s = servers[n]
    assert s["generation"] == "sharepoint-2013+" and s["build_source"] == "product build", s
    assert [e["rank"] for e in s["evidence"]] == ["product", "config-keys"], s
for n in ("RMSCON01", "RMSCON02"):
    s = servers[n]
    assert s["generation"] == "none" and s["evidence"] == [] and s["build"] is None, s
PY
# the same fleet all in format 2 gives the same report
"$bin" compare --format json "$tmp/v2" >"$tmp/v2.json" 2>"$tmp/err"
check "compare --format json (format 2)" 1 $?
cmp -s "$tmp/v2.json" "$tmp/mixed.json" && ok "formats 1 and 2 report alike" ||
	{ bad "formats 1 and 2 report differently"; diff "$tmp/v2.json" "$tmp/mixed.json" | head; }

# 2. text: the header of EX07 (the drifted server) and the cohort counts
"$bin" compare "$tmp/mixed" >"$tmp/text" 2>&1
check "compare text" 1 $?
grep -qx '  EX07 (exchange-v15; Exchange 2013 or later from ExSetup.exe 15.2.1544.11)' "$tmp/text" &&
	ok "text header shows the identity" || { bad "text header"; cat "$tmp/text"; }
grep -qx '  exchange-v15           10 servers  (10 by ExSetup.exe)' "$tmp/text" &&
	ok "text summary counts identities" || { bad "text summary"; head "$tmp/text"; }
grep -q 'generation unknown' "$tmp/text" && bad "unknown-generation line without cause"

# 3. HTML: the servers table
"$bin" compare --format html "$tmp/mixed" >"$tmp/r.html" 2>&1
check "compare html" 1 $?
grep -q '<h2>Servers</h2>' "$tmp/r.html" && grep -q '<li>file:ExSetup.exe 15.2.1544.11 says Exchange 2013 or later \[file\]</li>' "$tmp/r.html" &&
	ok "html servers table with evidence" || bad "html servers table"

# 4. audit: format 1, then the same content in format 2: no drift, and the
# embedded comparison lists the servers
db=$tmp/h.db
"$bin" audit --db "$db" --at 2026-03-02T00:00:00Z "$tmp/v1" >"$tmp/a1" 2>&1
check "audit of the format 1 fleet" 1 $?
"$bin" audit --db "$db" --format json --at 2026-03-03T00:00:00Z "$tmp/v2" >"$tmp/a2.json" 2>"$tmp/err"
check "audit of its format 2 rewrite: findings, no drift" 1 $?
if python3 - "$tmp/a2.json" <<'PY'; then ok "format change is not drift"; else bad "audit after the format change"; cat "$tmp/a2.json" | head -40; fi
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["changes"] == 0, d["summary"]
assert d["run"]["new_contents"] == 0, d["run"]
assert d["drift"] == [], d["drift"]
assert len(d["comparison"]["servers"]) == 14
PY
"$bin" audit --db "$db" --at 2026-03-04T00:00:00Z "$tmp/v2" >"$tmp/a3" 2>&1
check "audit text" 1 $?
grep -q '  EX07 (exchange-v15; Exchange 2013 or later from ExSetup.exe 15.2.1544.11)' "$tmp/a3" &&
	ok "audit's text report shows identities" || { bad "audit text identity"; cat "$tmp/a3"; }

exit $fail
