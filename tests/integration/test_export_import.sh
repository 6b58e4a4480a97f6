#!/bin/bash
# test_export_import.sh - a folder of export documents (as the export
# script writes them on Windows: tests/fixtures/psdoc, from make-psdoc.py)
# imported with `irmfleet import --out DIR FOLDER` becomes one snapshot
# per server, named and typed by the documents; the document cut short is
# reported as incomplete and not imported (exit 2), the others are; and
# compare of the result finds the drifted server (EX03's redirection keys
# point at another connector).
# Usage: test_export_import.sh IRMFLEET SOURCE_DIR
set -u
. "$(dirname "$0")/lib.sh" "$@"
fx=$src/tests/fixtures/psdoc

has() {     # has NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then echo "ok: $1"
	else echo "FAIL: $1: '$3' not in $2"; cat "$2"; fail=1; fi
}

# the fixtures are what the generator writes
python3 "$fx/make-psdoc.py" "$tmp/gen" >/dev/null
for f in "$fx"/*.irmfleet.xml "$fx"/EX04.cut.xml; do
	cmp -s "$f" "$tmp/gen/$(basename "$f")" ||
	    { echo "FAIL: $f differs from make-psdoc.py's output"; fail=1; }
done

"$bin" import --out "$tmp/snap" "$fx" >"$tmp/out" 2>"$tmp/err"
check "import of the folder (one incomplete document)" 2 $?
has "incomplete document reported" "$tmp/err" \
    "EX04.cut.xml: incomplete export document"
for s in EX01 EX02 EX03 RMSCON01; do
	[ -f "$tmp/snap/$s.xml" ] || { echo "FAIL: no snapshot for $s"; fail=1; }
done
[ ! -e "$tmp/snap/EX04.xml" ] || { echo "FAIL: EX04 imported"; fail=1; }
has "roles from the document" "$tmp/snap/RMSCON01.xml" "<role>connector</role>"
has "source format psdoc" "$tmp/snap/EX01.xml" 'format="psdoc"'
# exchange-server was skipped by the script: recorded as not collected
# (<skipped>, with the script's reason), never a collection error
if grep -q '<error item="exchange-server"' "$tmp/snap/EX01.xml"; then
	echo "FAIL: a skipped item became a collection error"; fail=1
elif ! grep -A1 '<skip item="exchange-server">' "$tmp/snap/EX01.xml" |
    grep -q '<message>not collected: run the script from the Exchange Management Shell'; then
	echo "FAIL: the skipped item is not recorded as not collected"; fail=1
else
	echo "ok: skipped item recorded as not collected"
fi
has "denied event query is a collection error" "$tmp/snap/RMSCON01.xml" \
    'item="events" reason="access-denied"'
"$bin" validate "$tmp/snap"/*.xml >/dev/null
check "snapshots validate" 0 $?

# compare finds the drifted server
"$bin" compare --format json "$tmp/snap" >"$tmp/cmp.json" 2>/dev/null
rc=$?
[ $rc -eq 1 ] || [ $rc -eq 3 ] ||
    { echo "FAIL: compare exit $rc (expected findings)"; fail=1; }
python3 - "$tmp/cmp.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
fs = d["findings"]
drift = [f for f in fs if f.get("server") == "EX03" and
         "LicenseServerRedirection" in f.get("setting", "")]
other = [f for f in fs if f.get("server") in ("EX01", "EX02") and
         "Redirection" in f.get("setting", "")]
if not drift:
    print("FAIL: no finding for EX03's LicenseServerRedirection"); sys.exit(1)
if other:
    print("FAIL: EX01/EX02 reported for their redirection keys"); sys.exit(1)
print("ok: compare finds the drifted server EX03 and only it")
PY

# a single document named on the command line, and a file that is none
"$bin" import --out "$tmp/one" "$fx/EX02.irmfleet.xml" >/dev/null 2>&1
check "import of one document" 0 $?
"$bin" import --out "$tmp/one" "$src/tests/fixtures/psdoc/PROVENANCE.md" \
    >/dev/null 2>"$tmp/err2"
check "a file that is no export document" 2 $?
has "named as not an export document" "$tmp/err2" "not an export document"

[ $fail -eq 0 ] && echo "PASS" || echo "FAILED"
exit $fail
