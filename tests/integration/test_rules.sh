#!/bin/bash
# test_rules.sh - the connector rules (compare/rules*.c) end to end: the
# example fleet (examples/fleet) is copied, rule violations are planted in
# the snapshot XML (registry, files, security, connector authorizations and
# events, probes), and `irmfleet compare --format json` must report exactly
# the planted rule findings on top of what it reports for the unmodified
# copy (no more, no fewer).  Comparing with the unmodified copy keeps the
# test independent of what the example fleet itself plants.
# Usage: test_rules.sh IRMFLEET SOURCE_DIR
set -u
bin=$1
src=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

command -v python3 >/dev/null || { echo "FAIL: python3 not installed"; exit 1; }

cp -r "$src/examples/fleet" "$tmp/base"
cp -r "$src/examples/fleet" "$tmp/planted"

# plant: edit one snapshot file, failing loudly if the text is not there
python3 - "$tmp/planted" <<'PY' || { echo "FAIL: planting"; exit 1; }
import sys
d = sys.argv[1]
TENANT = "https://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com"
def edit(server, old, new):
    p = "%s/%s.xml" % (d, server)
    s = open(p, encoding="utf-8").read()
    assert old in s, (server, old)
    open(p, "w", encoding="utf-8").write(s.replace(old, new, 1))
# EX02: license redirection sends the tenant URL to the tenant itself
edit("EX02", 'data="https://rmsconnector.contoso.com"/>\n    </key>\n  </registry>',
     'data="%s"/>\n    </key>\n  </registry>' % TENANT)
# EX03: no longer in the authorized group
edit("EX03", "<group>CONTOSO\\Exchange Servers</group>", "")
# EX04: an MSDRM client without Mode 2
edit("EX04", 'version="10.0.14393.6897"', 'version="6.0.6002.18005"')
# EX05: its probe of the connector gets no HTTP answer
edit("EX05", 'result="http" status="401"', 'result="dns"')
# SP02: MSIPC certification at the Microsoft RMS URL
edit("SP02", 'data="https://rmsconnector.contoso.com/_wmcs/certification"',
     'data="%s/_wmcs/certification"' % TENANT)
# connector nodes: RMSCON02 cannot download its list, RMSCON01 refused EX06
# (both after the last success: the node's last 1004, EX06's last 1002)
edit("RMSCON02", "<events>",
     '<events>\n    <event id="3001" count="4" first="2026-02-20T00:00:00Z" last="2026-03-01T02:00:00Z"/>')
edit("RMSCON01", "<events>",
     '<events>\n    <event id="2001" account="CONTOSO\\EX06$" count="9" first="2026-02-20T00:00:00Z" last="2026-03-01T02:00:00Z"/>')
PY

# the rule findings of a JSON report as sorted "server|rule|kind" lines
rules_of() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in sorted("%s|%s|%s" % (f["server"], f["rule"], f["kind"])
                for f in d["findings"] if f["rule"]):
    print(f)
PY
}

"$bin" compare --format json "$tmp/base" >"$tmp/base.json" 2>"$tmp/err"
rc=$?
if [ $rc -gt 1 ]; then bad "base fleet: exit $rc"; cat "$tmp/err"; fi
"$bin" compare --format json "$tmp/planted" >"$tmp/planted.json" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && ok "planted fleet: exit 1" || { bad "planted fleet: exit $rc"; cat "$tmp/err"; }

rules_of "$tmp/base.json" >"$tmp/base.rules" || bad "base report is not JSON"
rules_of "$tmp/planted.json" >"$tmp/planted.rules" || bad "planted report is not JSON"
comm -13 "$tmp/base.rules" "$tmp/planted.rules" >"$tmp/added"
comm -23 "$tmp/base.rules" "$tmp/planted.rules" >"$tmp/removed"
sort >"$tmp/want" <<'EOF'
EX02|exchange-redirection-data|rule
EX03|auth-not-authorized|rule
EX04|msdrm-mode2|rule
EX05|probe-unreachable|rule
EX06|events-unauthorized|rule
RMSCON02|connector-event-3001|rule
SP02|msipc-certification|rule
EOF
if diff -u "$tmp/want" "$tmp/added"; then
	ok "exactly the planted rule findings are added"
else
	bad "rule findings added by the plants differ (diff above)"
fi
if [ -s "$tmp/removed" ]; then
	bad "planting removed rule findings:"; cat "$tmp/removed"
else
	ok "no rule finding disappeared"
fi

# every rule finding explains itself and gives a concrete fix
python3 - "$tmp/planted.json" <<'PY' && ok "explanations and remediations" || bad "explanations and remediations"
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    if f["rule"] and f["kind"] == "rule":
        assert len(f["explanation"]) > 40 and len(f["remediation"]) > 20, f
        if f["setting"].startswith("reg:"):
            assert "reg add" in f["remediation"], f
PY

# The fleet-wide outage: no connector node logged a 1002 over its whole
# log (the window collect records), every server's probe still answers:
# one error finding on no server saying no server reaches the connector,
# nothing per server, exit status 1.
cp -r "$src/examples/fleet" "$tmp/outage"
python3 - "$tmp/outage" <<'PY' || { echo "FAIL: planting the outage"; exit 1; }
import re, sys
d = sys.argv[1]
for node in ("RMSCON01", "RMSCON02"):
    p = "%s/%s.xml" % (d, node)
    s = open(p, encoding="utf-8").read()
    s, n = re.subn(r'\n *<event id="100[23]"[^>]*/>', "", s)
    assert n > 0, node
    s = s.replace("<events>", '<events>\n    <window ids="1000 1001 1002 '
                  '1003" returned="0" wholeLog="true"/>', 1)
    open(p, "w", encoding="utf-8").write(s)
PY
"$bin" compare --format json "$tmp/outage" >"$tmp/outage.json" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && ok "outage fleet: exit 1" || { bad "outage fleet: exit $rc"; cat "$tmp/err"; }
python3 - "$tmp/base.json" "$tmp/outage.json" <<'PY' && ok "outage: one fleet-wide error" || bad "outage: one fleet-wide error"
import json, sys
base = json.load(open(sys.argv[1]))["findings"]
out = json.load(open(sys.argv[2]))["findings"]
key = lambda f: (f["server"], f["rule"], f["kind"], f["setting"])
seen = set(map(key, base))
added = [f for f in out if key(f) not in seen]
assert len(added) == 1, added
f = added[0]
assert f["server"] is None and f["rule"] == "connector-unreachable", f
assert f["severity"] == "error" and f["kind"] == "rule", f
assert f["value"].startswith("no server reaches the connector"), f
PY

exit $fail
