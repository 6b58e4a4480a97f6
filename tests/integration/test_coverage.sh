#!/bin/bash
# test_coverage.sh - a server imported from fewer files than its peers is
# reported as not (fully) checked, area by area, and a fleet imported
# uniformly from the same partial files is not (issue 10, item 7).
# Real-format inputs: GenConnectorConfig's .reg files for Exchange 2013+
# (tests/fixtures/genconfig/make-genconfig.py), Get-Item msdrm.dll and
# (Get-Command ExSetup.exe).FileVersionInfo CLIXML exports and a
# Get-IRMConfiguration CLIXML export (tests/fixtures/clixml).
# Usage: test_coverage.sh IRMFLEET SOURCE_DIR
set -u
bin=$1
src=$2
fx=$src/tests/fixtures
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

command -v python3 >/dev/null || { echo "FAIL: python3 not installed"; exit 1; }

python3 "$fx/genconfig/make-genconfig.py" "$tmp/reg" \
    https://rmsconnector.contoso.com || { echo "FAIL: generator"; exit 1; }
REG=$tmp/reg/Exchange2013RedirectionConfiguration.reg
MSDRM=$fx/clixml/getitem-msdrm-utf16.xml
EXSETUP=$fx/clixml/CSS-Exchange__E19__Exchange__ExSetup.xml
IRM=$fx/clixml/irmconfig-connector-utf16.xml

# import FLEET NAME FILE...: one snapshot into $tmp/FLEET, its warnings
# into $tmp/FLEET-NAME.err; must exit 0
import() {
	local fleet=$1 name=$2
	shift 2
	"$bin" import --server "$name" --role exchange --out "$tmp/$fleet" \
	    "$@" >/dev/null 2>"$tmp/$fleet-$name.err" ||
	    bad "import $fleet/$name exit $?: $(cat "$tmp/$fleet-$name.err")"
}

# findings FLEET WANT_EXIT: compare's findings as "server|setting|kind|rule"
# lines, sorted, into $tmp/FLEET.got
findings() {
	local fleet=$1 want=$2 rc
	"$bin" compare --format json "$tmp/$fleet" >"$tmp/$fleet.json" \
	    2>"$tmp/$fleet.cerr"
	rc=$?
	[ "$rc" -eq "$want" ] && ok "$fleet: compare exits $want" ||
	    bad "$fleet: compare exit $rc, want $want: $(cat "$tmp/$fleet.cerr")"
	python3 - "$tmp/$fleet.json" >"$tmp/$fleet.got" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    print("%s|%s|%s|%s" % (f["server"], f["setting"], f["kind"],
                           f["rule"] or ""))
PY
	sort -o "$tmp/$fleet.got" "$tmp/$fleet.got"
}

same() {   # same FLEET: $tmp/FLEET.got equals stdin
	sort >"$tmp/$1.want"
	if diff -u "$tmp/$1.want" "$tmp/$1.got" >"$tmp/$1.diff"; then
		ok "$1: exactly the expected findings"
	else
		bad "$1: findings differ"
		cat "$tmp/$1.diff"
	fi
}

# 1. EX07 imported from Get-IRMConfiguration alone; its peers from the
#    .reg file, msdrm.dll and ExSetup.exe.  Its registry and file versions
#    are not-collected (its generation is the exchange-identity rule's);
#    the peers, which have no Get-IRMConfiguration, are covered by EX07's
#    export of the organisation's configuration.
for s in EX01 EX02 EX03; do
	import partial $s "$REG" "$MSDRM" "$EXSETUP"
done
import partial EX07 "$IRM"
[ -f "$tmp/partial/EX07.xml" ] && ok "partial: EX07 written" ||
    bad "partial: EX07 not written"
for want in "EX07: no registry export of the IRM keys" \
    'reg export HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\IRM irm.reg' \
    "EX07: no file versions (msdrm.dll, ExSetup.exe)" \
    "EX07: no generation evidence" "EX07: no computer account"; do
	grep -qF -- "$want" "$tmp/partial-EX07.err" &&
	    ok "import warns: $want" || bad "import does not warn: $want"
done
grep -q 'irmfleet import: warning: EX07: no Get-IRMConfiguration' \
    "$tmp/partial-EX07.err" && bad "import: EX07 has Get-IRMConfiguration"
grep -q 'EX01: no registry\|EX01: no file\|EX01: no generation' \
    "$tmp/partial-EX01.err" && bad "import: EX01 warned of what it has: $(cat "$tmp/partial-EX01.err")"
findings partial 3
same partial <<'EOF'
EX07|coverage:files|not-collected|
EX07|coverage:registry|not-collected|
EX07|identity:generation|rule|exchange-identity
EOF
python3 - "$tmp/partial.json" <<'PY' && ok "partial: explanation and fix" || bad "partial: explanation or fix wrong"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["setting"] == "coverage:registry"][0]
ok = (f["severity"] == "warning" and
      "its import has no registry export" in f["explanation"] and
      "3 of 3 peers have it" in f["explanation"] and
      "reg export HKLM\\SOFTWARE\\Microsoft\\MSDRM msdrm.reg" in f["remediation"] and
      "import it with the server's other files" in f["remediation"])
if not ok:
    print(f)
sys.exit(0 if ok else 1)
PY
"$bin" compare "$tmp/partial" >"$tmp/partial.txt" 2>&1
grep -q 'not-collected  coverage:registry' "$tmp/partial.txt" &&
    ok "partial: text report names coverage:registry" ||
    bad "partial: text report: $(cat "$tmp/partial.txt")"

# An accepted gap is suppressed like any finding and no longer makes
# compare exit 3.
printf '%s\n' 'accept EX07 coverage:* -- exported later' \
    'accept EX07 exchange-identity -- exported later' >"$tmp/sup.txt"
"$bin" compare --suppress "$tmp/sup.txt" "$tmp/partial" >/dev/null 2>&1
rc=$?
[ "$rc" -eq 0 ] && ok "partial: suppressed gaps exit 0" ||
    bad "partial: suppressed gaps exit $rc"

# 2. The same servers, every one from the .reg file alone: nobody
#    exported more, so nothing is known to be missing.
for s in EX01 EX02 EX03 EX07; do
	import regonly $s "$REG"
done
findings regonly 0
same regonly </dev/null

# 3. EX07 from the .reg file alone among peers with file versions: its
#    generation comes from the IRM keys only, so the missing ExSetup.exe
#    is a coverage finding of its own (exchange-v15 cohort).
for s in EX01 EX02 EX03; do
	import genev $s "$REG" "$MSDRM" "$EXSETUP"
done
import genev EX07 "$REG"
findings genev 3
same genev <<'EOF'
EX07|coverage:files|not-collected|
EX07|coverage:generation|not-collected|
EOF

exit $fail
