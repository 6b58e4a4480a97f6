#!/bin/bash
# test_audit_report.sh - `irmfleet audit` in every report format
# (cli/cmd_audit.c and cli/outputs.c over compare/report/report_audit*.c
# and html_drift.c): two audits of the example fleet with EX03 drifted in
# between (its connector URL to http, with a </script> in the value),
# written in one run as HTML, JUnit, Prometheus, JSON and nagios.  The
# HTML opened in Debian's headless Chromium names EX03 on its first
# screen, links it to its timeline, and the injected script did not run;
# JUnit validates against junit-10.xsd and has the audit suite;
# `promtool check metrics` passes; nagios exit codes are the plugin's
# (OK, WARNING for stale, CRITICAL, UNKNOWN) while the default codes are
# unchanged.  Fails (never skips) when a tool is missing.
# Usage: test_audit_report.sh IRMFLEET SOURCE_DIR
set -u
bin=$1
src=$2
fail=0
tmp=$(mktemp -d)
art=$(cd "$(dirname "$bin")" && pwd)/report-artifacts
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$art"
export SOURCE_DATE_EPOCH=1767225600

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
check() {   # check NAME EXPECTED-RC ACTUAL-RC
	if [ "$2" != "$3" ]; then bad "$1: exit $3, expected $2"; else ok "$1"; fi
}
for tool in python3 xmllint promtool chromium; do
	command -v $tool >/dev/null ||
		{ echo "FAIL: $tool not installed (.ci/install-deps)"; exit 1; }
done

cp -r "$src/examples/fleet" "$tmp/fleet"
db=$tmp/h.db
"$bin" audit --db "$db" --at 2026-03-02T00:00:00Z --stale 3650d \
	"$tmp/fleet" >/dev/null 2>&1
check "baseline audit" 1 $?
# EX03's certification URL to http, with markup that must stay text
sed -i 's|data="https://rmsconnector.contoso.com"/>|data="http://rmsconnector.contoso.com/\&lt;/script\&gt;\&lt;script\&gt;document.title=\&quot;pwned\&quot;\&lt;/script\&gt;"/>|' \
	"$tmp/fleet/EX03.xml"

# 1. one run, every format; the bare nagios one to standard output
"$bin" audit --db "$db" --at 2026-03-04T00:00:00Z --stale 3650d \
	--format nagios --format html:"$tmp/a.html" \
	--format junit:"$tmp/a.xml" --format prometheus:"$tmp/a.prom" \
	--format json:"$tmp/a.json" "$tmp/fleet" >"$tmp/nagios" 2>"$tmp/err"
check "nagios: an error finding is CRITICAL" 2 $?
grep -q '^IRMFLEET CRITICAL - 1 server changed since the previous audit (EX03), 0 stale; .* | .* changed=1;;;0' \
	"$tmp/nagios" && grep -q '^EX03: drift: 2 changes since the previous audit' "$tmp/nagios" &&
	ok "nagios: status line and long output carry the drift" ||
	{ bad "nagios output"; cat "$tmp/nagios" "$tmp/err"; }
for f in a.html a.xml a.prom a.json; do
	[ -s "$tmp/$f" ] || bad "$f not written"
done
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["format"]=="irmfleet-audit" and d["summary"]["changes"]==2' \
	"$tmp/a.json" && ok "json: the audit document" || bad "json"

# 2. JUnit: schema, then the audit suite
xmllint --noout --schema "$src/tests/fixtures/junit/junit-10.xsd" \
	"$tmp/a.xml" 2>"$tmp/xerr" && ok "junit: valid against junit-10.xsd" ||
	{ bad "junit: schema"; cat "$tmp/xerr"; }
python3 - "$tmp/a.xml" <<'PY' && ok "junit: audit suite, EX03 drifted" || bad "junit: content"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = [s for s in root.findall("testsuite") if s.get("name") == "audit"]
assert len(suite) == 1
cases = suite[0].findall("testcase")
assert len(cases) == 14 * 2, len(cases)
failed = [(c.get("classname"), c.get("name")) for c in cases
          if c.findall("failure") or c.findall("error")]
assert failed == [("audit.EX03", "no drift since the last audit")], failed
assert suite[0].get("tests") == "28" and suite[0].get("failures") == "1"
PY

# 3. Prometheus
promtool check metrics <"$tmp/a.prom" >"$tmp/perr" 2>&1 &&
	ok "prometheus: promtool check metrics" ||
	{ bad "prometheus: promtool"; cat "$tmp/perr"; }
grep -qx 'irmfleet_audit_changed_servers 1' "$tmp/a.prom" &&
	grep -qx 'irmfleet_audit_stale_servers 0' "$tmp/a.prom" &&
	grep -qx 'irmfleet_audit_last_run_timestamp_seconds 1772582400' "$tmp/a.prom" &&
	ok "prometheus: audit metrics" || bad "prometheus: audit metrics"

# 4. the HTML in a browser: first screen names EX03, links its timeline,
# the injected script did not run
flags=(--headless --no-sandbox --disable-gpu --no-first-run
	--disable-background-networking --disable-component-update
	--disable-sync)
timeout 120 chromium "${flags[@]}" --user-data-dir="$tmp/p1" --dump-dom \
	"file://$tmp/a.html" >"$tmp/a.dom" 2>"$tmp/cerr" ||
	{ bad "chromium --dump-dom failed"; tail -5 "$tmp/cerr"; }
timeout 120 chromium "${flags[@]}" --user-data-dir="$tmp/p2" \
	--screenshot="$art/audit.png" --window-size=1280,900 \
	"file://$tmp/a.html" >/dev/null 2>&1 && [ -s "$art/audit.png" ] &&
	ok "html: screenshot in $art/audit.png" || bad "html: no screenshot"
python3 - "$tmp/a.dom" <<'PY' && ok "html: EX03 on the first screen, linked to its timeline; script inert" || bad "html: DOM"
import sys
from html.parser import HTMLParser

class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.stack, self.changed, self.title = {}, [], [], ""
        self.in_changed = self.in_title = False
        self.first_findings = None
        self.timeline_text, self.cur_tl = {}, None
        self.order = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] = a.get("data-server")
            self.order.append(a["id"])
        if tag == "section" and a.get("id") == "changed":
            self.in_changed = True
        if tag == "section" and a.get("id") == "action":
            self.in_changed = False
        if tag == "li" and self.in_changed and a.get("class") == "changed":
            self.changed.append([a.get("data-server"), None])
        if tag == "a" and self.in_changed and self.changed and self.changed[-1][1] is None:
            self.changed[-1][1] = a.get("href")
        if tag == "article" and a.get("class") == "timeline":
            self.cur_tl = a.get("id")
            self.timeline_text[self.cur_tl] = ""
        if tag == "title":
            self.in_title = True
    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag == "article":
            self.cur_tl = None
    def handle_data(self, d):
        if self.in_title:
            self.title += d
        if self.cur_tl:
            self.timeline_text[self.cur_tl] += d

d = Dom()
d.feed(open(sys.argv[1], encoding="utf-8").read())
assert d.title == "irmfleet: RMS connector configuration drift", d.title
assert d.changed == [["EX03", "#t-0"]], d.changed
assert d.ids.get("t-0") == "EX03", d.ids.get("t-0")
# the first screen comes before the findings and the timeline
assert d.order.index("changed") < d.order.index("findings") < d.order.index("t-0")
t = d.timeline_text["t-0"]
assert "2026-03-04T00:00:00Z" in t and "changed" in t
assert "=> https://rmsconnector.contoso.com" in t           # old value
assert '</script><script>document.title="pwned"</script>' in t  # as text
PY

# 5. exit codes: the default ones unchanged, nagios OK / WARNING / UNKNOWN
"$bin" audit --db "$db" --at 2026-03-05T00:00:00Z --stale 3650d \
	--format html:"$tmp/b.html" "$tmp/fleet" >/dev/null 2>&1
check "default exit codes: findings only (1)" 1 $?
mkdir "$tmp/two"
cp "$src/examples/fleet/EX01.xml" "$src/examples/fleet/EX02.xml" "$tmp/two/"
"$bin" audit --db "$tmp/two.db" --at 2026-03-02T00:00:00Z --stale 3650d \
	--format nagios "$tmp/two" >"$tmp/n1" 2>&1
check "nagios: clean fleet is OK" 0 $?
grep -q '^IRMFLEET OK - ' "$tmp/n1" || { bad "nagios OK line"; cat "$tmp/n1"; }
"$bin" audit --db "$tmp/two.db" --at 2026-03-20T00:00:00Z --stale 1d \
	--format nagios "$tmp/two" >"$tmp/n2" 2>&1
check "nagios: stale servers are WARNING" 1 $?
grep -q '^IRMFLEET WARNING - 0 servers changed since the previous audit, 2 stale; ' "$tmp/n2" &&
	grep -q '^EX01: stale: last collected ' "$tmp/n2" &&
	ok "nagios: stale in the status line and long output" ||
	{ bad "nagios stale output"; cat "$tmp/n2"; }
"$bin" audit --db "$tmp/two.db" --at 2026-03-21T00:00:00Z --stale 1d \
	"$tmp/two" >/dev/null 2>&1
check "default exit codes: stale (3)" 3 $?
"$bin" audit --db "$tmp/two.db" --format nagios --stale bogus "$tmp/two" \
	>/dev/null 2>&1
check "nagios: bad usage is UNKNOWN" 3 $?
"$bin" audit --db "$tmp/two.db" --format nagios "$tmp/missing" \
	>/dev/null 2>&1
check "nagios: a missing input is UNKNOWN" 3 $?
"$bin" audit --db "$tmp/two.db" --format bogus "$tmp/two" >/dev/null 2>"$tmp/e"
check "unknown format: usage error" 2 $?
grep -q "^irmfleet audit: unknown report format 'bogus'" "$tmp/e" &&
	ok "unknown format named" || { bad "unknown format message"; cat "$tmp/e"; }
"$bin" audit --db "$tmp/two.db" --format html: "$tmp/two" >/dev/null 2>"$tmp/e"
check "html: without a file: usage error" 2 $?
exit $fail
