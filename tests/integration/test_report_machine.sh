#!/bin/bash
# test_report_machine.sh - the outputs machines read (compare/report/
# report_junit.c, report_monitor.c, report_brief.c and cli/cmd_compare.c):
# JUnit validates against the common junit-10.xsd and parses back to one
# testcase per server and check with the findings as failures; the
# Prometheus textfile passes `promtool check metrics`; --format nagios
# states OK/WARNING/CRITICAL/UNKNOWN in its status line and exit code;
# several --format FMT:FILE outputs in one run; --brief.  Fails (never
# skips) when xmllint or promtool is missing: .ci/install-deps installs
# them.
# Usage: test_report_machine.sh IRMFLEET SOURCE_DIR
set -u
bin=$1
src=$2
fleets=$src/tests/fixtures/fleets
example=$src/examples/fleet
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1767225600

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
check() {   # check NAME EXPECTED-RC ACTUAL-RC
	if [ "$2" != "$3" ]; then bad "$1: exit $3, expected $2"; else ok "$1"; fi
}
for tool in python3 xmllint promtool; do
	command -v $tool >/dev/null ||
		{ echo "FAIL: $tool not installed (.ci/install-deps)"; exit 1; }
done

# 1. JUnit: schema, then the content parsed back
"$bin" compare --format junit "$example" >"$tmp/junit.xml"
check "junit: exit status as text" 1 $?
xmllint --noout --schema "$src/tests/fixtures/junit/junit-10.xsd" \
	"$tmp/junit.xml" 2>"$tmp/err" && ok "junit: valid against junit-10.xsd" ||
	{ bad "junit: schema"; cat "$tmp/err"; }
python3 - "$tmp/junit.xml" <<'PY' && ok "junit: parses back" || bad "junit: content"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites"
cases = root.findall("testsuite/testcase")
assert len(cases) == 14 * 6, len(cases)          # 14 servers x 6 checks
failed = {(c.get("classname"), c.get("name")): c.findall("failure")
          for c in cases if c.findall("failure")}
assert list(failed) == [("exchange-v15.EX07", "connector URLs")], failed
fs = failed[("exchange-v15.EX07", "connector URLs")]
assert len(fs) == 3, len(fs)
assert any("differs from its peers" in f.get("message") for f in fs)
assert all("fix:" in f.text for f in fs)
for s in root.findall("testsuite"):
    n = len(s.findall("testcase"))
    f = sum(1 for c in s.findall("testcase") if c.findall("failure"))
    assert s.get("tests") == str(n) and s.get("failures") == str(f), s.get("name")
PY
"$bin" compare --format junit "$fleets/failed-collection" >"$tmp/nc.xml"
xmllint --noout --schema "$src/tests/fixtures/junit/junit-10.xsd" "$tmp/nc.xml" 2>/dev/null &&
	grep -q '<error type="warning not-collected"' "$tmp/nc.xml" &&
	ok "junit: a failed collection is an <error>" || bad "junit: not-collected"

# 2. Prometheus textfile
"$bin" compare --format prometheus --output "$tmp/irmfleet.prom" "$example"
check "prometheus: exit status" 1 $?
promtool check metrics <"$tmp/irmfleet.prom" >"$tmp/err" 2>&1 &&
	ok "prometheus: promtool check metrics" || { bad "promtool"; cat "$tmp/err"; }
grep -qx 'irmfleet_findings{severity="error"} 1' "$tmp/irmfleet.prom" &&
	grep -qx 'irmfleet_drifted_servers 1' "$tmp/irmfleet.prom" &&
	grep -qx 'irmfleet_servers_not_checked 0' "$tmp/irmfleet.prom" &&
	[ "$(grep -c '^irmfleet_server_last_collection_timestamp_seconds{' "$tmp/irmfleet.prom")" -eq 14 ] &&
	ok "prometheus: the documented metrics" || { bad "prometheus content"; cat "$tmp/irmfleet.prom"; }
"$bin" compare --format prometheus "$fleets/failed-collection" >"$tmp/nc.prom"
promtool check metrics <"$tmp/nc.prom" >/dev/null 2>&1 &&
	grep -qx 'irmfleet_servers_not_checked 1' "$tmp/nc.prom" &&
	ok "prometheus: not-checked server counted" || bad "prometheus: not checked"
ls "$tmp" | grep -q '^irmfleet.prom.' && bad "temporary file left" || ok "prometheus: written atomically, no leftovers"

# 3. nagios: status line, perfdata, plugin exit codes
"$bin" compare --format nagios "$example" >"$tmp/nag"
check "nagios: CRITICAL exits 2" 2 $?
head -1 "$tmp/nag" | grep -q '^IRMFLEET CRITICAL - 1 of 14 servers drifted (EX07), 1 error, 2 warnings | servers=14;;;0 drifted=1;;;0 ' &&
	ok "nagios: status line with perfdata" || { bad "nagios status"; cat "$tmp/nag"; }
"$bin" compare --format nagios "$fleets/case-only" >"$tmp/nag"
check "nagios: OK exits 0" 0 $?
grep -q '^IRMFLEET OK - ' "$tmp/nag" && ok "nagios: OK line" || bad "nagios: OK line"
"$bin" compare --format nagios "$fleets/failed-collection" >"$tmp/nag"
check "nagios: a server not checked is WARNING (1)" 1 $?
"$bin" compare --format nagios "$tmp/no-such-dir" >"$tmp/nag" 2>/dev/null
check "nagios: bad input is UNKNOWN (3)" 3 $?
"$bin" compare --format nagios --bogus "$example" >/dev/null 2>&1
check "nagios: usage error is UNKNOWN (3)" 3 $?

# 4. several outputs in one run; a bare --format keeps its meaning
"$bin" compare --format json:"$tmp/r.json" --format html:"$tmp/r.html" \
	--format junit:"$tmp/r.xml" "$example" >"$tmp/stdout"
check "multiple outputs: exit status" 1 $?
[ ! -s "$tmp/stdout" ] && ok "only FMT:FILE outputs: nothing on stdout" || bad "stdout not empty"
"$bin" compare --format json "$example" >"$tmp/plain.json"
cmp -s "$tmp/r.json" "$tmp/plain.json" && ok "json:FILE is --format json" || bad "json:FILE content"
grep -q '<h1>RMS connector configuration' "$tmp/r.html" && [ -s "$tmp/r.xml" ] &&
	ok "html:FILE and junit:FILE written" || bad "html/junit file"
"$bin" compare --format text --format json:"$tmp/r2.json" "$example" >"$tmp/text"
head -1 "$tmp/text" | grep -q '^irmfleet compare: 14 servers' && cmp -s "$tmp/r2.json" "$tmp/plain.json" &&
	ok "bare --format and FMT:FILE together" || bad "bare + FMT:FILE"
"$bin" compare --format yaml:"$tmp/x" "$example" 2>"$tmp/err"
check "unknown format in FMT:FILE is a usage error" 2 $?
grep -q "unknown report format 'yaml'" "$tmp/err" && ok "names the format" || { bad "message"; cat "$tmp/err"; }
"$bin" compare --format json: "$example" 2>/dev/null
check "FMT: without a file is a usage error" 2 $?

# 5. --brief: one line per server that needs action
"$bin" compare --brief "$example" >"$tmp/brief"
check "brief: exit status" 1 $?
printf '%s\n' 'EX07: error: reg:HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\IRM\LicenseServerRedirection differs from its peers (3 findings)' >"$tmp/want"
diff "$tmp/want" "$tmp/brief" >/dev/null && ok "brief: one line for EX07" || { bad "brief"; diff "$tmp/want" "$tmp/brief"; }
"$bin" compare --brief "$fleets/case-only" >"$tmp/brief"
grep -q '^no server needs action' "$tmp/brief" && ok "brief: nothing to do" || bad "brief: clean fleet"

# 6. JSON and HTML carry the tool version, generation and collection times
python3 - "$tmp/plain.json" <<'PY' && ok "json: tool, generated_at, collected_at" || bad "json meta"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["tool"]["name"] == "irmfleet" and d["tool"]["version"]
assert d["generated_at"] == "2026-01-01T00:00:00Z", d["generated_at"]
assert all(s["collected_at"] and s["reached"] for s in d["servers"])
PY

[ $fail -eq 0 ] && echo "all machine-output checks passed"
exit $fail
