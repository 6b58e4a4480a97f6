#!/bin/bash
# test_genconfig.sh - a fleet configured exactly as Microsoft's server
# configuration tool (GenConnectorConfig.ps1 -CreateRegEditFiles) writes
# it must come out clean: its .reg files (UTF-16LE, no parent-key headers,
# capital V14/V15; tests/fixtures/genconfig/make-genconfig.py) imported
# for Exchange 2010 and 2013+, SharePoint 2010 and 2013+ and FCI servers,
# with https and with http connector URLs, give no finding at all and put
# every server in its own generation's cohort (issue 10).
# Usage: test_genconfig.sh IRMFLEET SOURCE_DIR
set -u
bin=$1
src=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

command -v python3 >/dev/null || { echo "FAIL: python3 not installed"; exit 1; }

# import NAME ROLE FILE...: one snapshot into $tmp/$fleet
import() {
	local name=$1 role=$2
	shift 2
	"$bin" import --server "$name" --role "$role" --out "$tmp/$fleet" "$@" \
	    >/dev/null 2>"$tmp/err" || { bad "import $name: $(cat "$tmp/err")"; }
}

build_fleet() {   # build_fleet NAME CONNECTOR
	fleet=$1
	python3 "$src/tests/fixtures/genconfig/make-genconfig.py" \
	    "$tmp/reg-$fleet" "$2" || { bad "generator"; return; }
	local r=$tmp/reg-$fleet
	for s in EX10A EX10B; do
		import $s exchange "$r/Exchange2010RedirectionConfiguration.reg"
	done
	for s in EX01 EX02 EX03; do
		import $s exchange "$r/Exchange2013RedirectionConfiguration.reg"
	done
	import SP10A sharepoint "$r/SharePoint2010RedirectionConfiguration.reg"
	for s in SP01 SP02; do
		import $s sharepoint "$r/SharePoint2013RedirectionConfiguration.reg"
	done
	for s in FS01 FS02; do
		import $s fci "$r/FCI2012RedirectionConfiguration.reg"
	done
}

for conn in https://rmsconnector.contoso.com http://rmsconnector.contoso.com/; do
	tag=${conn%%:*}
	build_fleet "gc-$tag" "$conn"
	"$bin" compare --format json "$tmp/gc-$tag" >"$tmp/$tag.json" 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq 0 ] && ok "$tag: compare exits 0" ||
	    bad "$tag: compare exit $rc: $(cat "$tmp/err")"
	python3 - "$tmp/$tag.json" <<'PY' && ok "$tag: no finding, generations right" || bad "$tag: findings or cohorts wrong"
import json, sys
d = json.load(open(sys.argv[1]))
f = d["findings"]
for x in f:
    print("  unexpected:", x.get("server"), x.get("setting"), x.get("rule"), x.get("severity"))
cohorts = {c["name"]: len(c["servers"]) for c in d["cohorts"]}
want = {"exchange-v14": 2, "exchange-v15": 3, "sharepoint-2010-fci": 3,
        "sharepoint-2013+": 2}
if cohorts != want:
    print("  cohorts:", cohorts)
sys.exit(0 if not f and cohorts == want else 1)
PY
done

exit $fail
