#!/bin/bash
# test_import.sh - `irmfleet import` end to end (cli/cmd_import.c,
# collector/parse/import.c): several files of one server become one snapshot
# that validates (irmfleet validate and xmllint --schema) and records each
# file's SHA-256; a broken or unknown file exits non-zero and leaves no
# snapshot (and does not touch an older one).
# Usage: test_import.sh IRMFLEET SOURCE_DIR
set -u
. "$(dirname "$0")/lib.sh" "$@"
fx=$src/tests/fixtures

get="$fx/irmtext/onprem-Get-IRMConfiguration-fl.txt"
test_fail="$fx/irmtext/onprem-Test-IRMConfiguration-fail.txt"
gp="$fx/groups/EX01-gpresult-scope-computer-r.txt"
cx="$fx/clixml/irmconfig-connector-utf16.xml"
reg="$fx/regfile/irmf-exchange-irm-regedit5.reg"
rq="$fx/regquery/irmf-msdrm-s.txt"
out="$tmp/snaps"

# --- several files of one server -> one snapshot
"$bin" import --server EX01 --fqdn ex01.contoso.com --out "$out" \
    "$reg" "$rq" "$get" "$test_fail" "$gp" "$cx" >"$tmp/o" 2>&1
check "import six files" 0 $?
[ -f "$out/EX01.xml" ] || { echo "FAIL: no $out/EX01.xml"; fail=1; }
expect_in "reports the file written" "$tmp/o" "EX01.xml: 6 files imported"

"$bin" validate "$out/EX01.xml" >"$tmp/v" 2>&1
check "irmfleet validate accepts it" 0 $?
xmllint --noout --schema "$src/schemas/snapshot.xsd" "$out/EX01.xml" \
    >"$tmp/xl" 2>&1
check "xmllint --schema accepts it" 0 $?

# provenance: one <source> per file, in order, with the file's SHA-256
i=1
for f in "$reg" "$rq" "$get" "$test_fail" "$gp" "$cx"; do
	want=$(sha256sum "$f" | cut -d' ' -f1)
	got=$(xmllint --xpath "string((//*[local-name()='source'])[$i]/@sha256)" \
	    "$out/EX01.xml" 2>/dev/null)
	name=$(xmllint --xpath "string((//*[local-name()='source'])[$i]/@file)" \
	    "$out/EX01.xml" 2>/dev/null)
	if [ "$want" = "$got" ] && [ "$name" = "$(basename "$f")" ]; then
		echo "ok: source $i is $name with its sha256"
	else
		echo "FAIL: source $i: '$name' '$got', expected" \
		    "'$(basename "$f")' '$want'"; fail=1
	fi
	i=$((i + 1))
done
formats=$(xmllint --xpath "//*[local-name()='source']/@format" \
    "$out/EX01.xml" 2>/dev/null | tr -s ' \n' ' ')
case "$formats" in
*regfile*regquery*irmconfig-text*irmtest-text*gpresult*clixml*)
	echo "ok: formats recorded" ;;
*) echo "FAIL: formats '$formats'"; fail=1 ;;
esac
expect_in "role inferred" "$out/EX01.xml" "<role>exchange</role>"
expect_in "method import" "$out/EX01.xml" "<method>import</method>"
expect_in "computer account from gpresult" "$out/EX01.xml" 'CONTOSO\EX01$'
expect_in "registry from the .reg file" "$out/EX01.xml" 'ExchangeServer\v15\IRM'
expect_in "registry from reg query" "$out/EX01.xml" 'MSDRM\ServiceLocation'

# --- a killed import's temporary file goes, a live writer's stays
sh -c 'exit 0' & deadpid=$!; wait $deadpid
touch "$out/.EX01.xml.tmp-$deadpid-0" "$out/.EX01.xml.tmp-$$-0"
"$bin" import --server EX01 --out "$out" "$reg" >"$tmp/o" 2>&1
check "import over a stale temporary file" 0 $?
[ ! -e "$out/.EX01.xml.tmp-$deadpid-0" ] && echo "ok: stale temporary file removed" ||
    { echo "FAIL: stale temporary file left"; fail=1; }
[ -e "$out/.EX01.xml.tmp-$$-0" ] && echo "ok: live temporary file kept" ||
    { echo "FAIL: live writer's temporary file removed"; fail=1; }
rm -f "$out/.EX01.xml.tmp-$$-0"
"$bin" import --server EX01 --fqdn ex01.contoso.com --out "$out" \
    "$reg" "$rq" "$get" "$test_fail" "$gp" "$cx" >"$tmp/o" 2>&1

# --- a broken file: exit 2, nothing written, old snapshot untouched
cp "$out/EX01.xml" "$tmp/before.xml"
"$bin" import --server EX01 --out "$out" "$get" \
    "$fx/irmtext/bad/Test-IRMConfiguration-cut-short.txt" >"$tmp/o" 2>&1
check "broken file fails" 2 $?
expect_in "error names file and line" "$tmp/o" \
    "Test-IRMConfiguration-cut-short.txt:12: no 'OVERALL RESULT: PASS|FAIL' line"
expect_in "says nothing was written" "$tmp/o" "(nothing written)"
cmp -s "$out/EX01.xml" "$tmp/before.xml" && echo "ok: old snapshot kept" ||
    { echo "FAIL: old snapshot changed"; fail=1; }

"$bin" import --server EX02 --out "$out" "$get" \
    "$fx/authlist/bad/unterminated-quote.csv" >"$tmp/o" 2>&1
check "broken authorization list fails" 2 $?
[ ! -e "$out/EX02.xml" ] && echo "ok: no EX02.xml left" ||
    { echo "FAIL: EX02.xml left behind"; fail=1; }
expect_in "error names line and column" "$tmp/o" \
    "unterminated-quote.csv:2:1: expected a closing"

# --- an unknown file
printf 'just some notes\n' >"$tmp/notes.txt"
"$bin" import --server EX03 --out "$out" "$tmp/notes.txt" >"$tmp/o" 2>&1
check "unknown file fails" 2 $?
expect_in "unknown file message" "$tmp/o" \
    "notes.txt: not a recognised export (expected one of:"
[ ! -e "$out/EX03.xml" ] && echo "ok: no EX03.xml left" ||
    { echo "FAIL: EX03.xml left behind"; fail=1; }

# no temporary files left in the output directory
left=$(find "$out" -type f ! -name EX01.xml | wc -l)
[ "$left" -eq 0 ] && echo "ok: no temporary files" ||
    { echo "FAIL: stray files:"; ls -la "$out"; fail=1; }

# --- connector: authorization list, role inferred
"$bin" import --server RMSC01 --out "$out" \
    "$fx/authlist/connector-authorizations.csv" >"$tmp/o" 2>&1
check "import an authorization list" 0 $?
expect_in "connector role inferred" "$out/RMSC01.xml" "<role>connector</role>"
"$bin" validate "$out/RMSC01.xml" >/dev/null 2>&1
check "connector snapshot validates" 0 $?

# --- usage errors
"$bin" import --out "$out" "$get" >"$tmp/o" 2>&1
check "missing --server" 2 $?
"$bin" import --server EX01 "$get" >"$tmp/o" 2>&1
check "missing --out" 2 $?
"$bin" import --server EX01 --role mailbox --out "$out" "$get" >"$tmp/o" 2>&1
check "unknown role" 2 $?
expect_in "unknown role message" "$tmp/o" "unknown role 'mailbox'"
"$bin" import --server 'a/b' --out "$out" "$get" >"$tmp/o" 2>&1
check "server name with a slash" 2 $?
"$bin" import --server SP01 --out "$out" \
    "$fx/groups/SP01-whoami-groups-fo-csv.txt" >"$tmp/o" 2>&1
check "role cannot be inferred" 2 $?
"$bin" import --server SP01 --role sharepoint --out "$out" \
    "$fx/groups/SP01-whoami-groups-fo-csv.txt" >"$tmp/o" 2>&1
check "--role given" 0 $?
"$bin" import --help >"$tmp/o" 2>&1
check "--help" 0 $?
expect_in "help lists formats" "$tmp/o" "gpresult"

# --- .reg files apply in order: a later file's deletions remove what an
# earlier file set (as regedit importing them one after the other)
"$bin" import --server EX98 --role exchange --out "$out" \
    "$fx/regfile/irmf-merge-1.reg" "$fx/regfile/irmf-merge-2.reg" >"$tmp/o" 2>&1
check "reg deletions across files" 0 $?
expect_in "value kept" "$out/EX98.xml" 'data="https://rmsconnector.contoso.com"'
if grep -qi 'old-connector\|MSDRM' "$out/EX98.xml"; then
	echo "FAIL: deleted value or key survived the later file"; fail=1
else
	echo "ok: deleted value and key are gone"
fi

# --- an empty event export (no connector events) is imported when its
# format is named; without the name it is refused as empty
: >"$tmp/empty-events.xml"
"$bin" import --server RMSCON09 --role connector --out "$out" \
    "$tmp/empty-events.xml" >"$tmp/o" 2>&1
check "empty file refused" 2 $?
expect_in "empty file hint" "$tmp/o" "evtxml:FILE"
"$bin" import --server RMSCON09 --role connector --out "$out" \
    "evtxml:$tmp/empty-events.xml" >"$tmp/o" 2>&1
check "empty event export with evtxml:" 0 $?
expect_in "events collected, none found" "$out/RMSCON09.xml" "<events/>"
expect_in "forced format recorded" "$out/RMSCON09.xml" 'format="evtxml"'

# --- a CLIXML export of another cmdlet parses, carries nothing irmfleet
# uses: a warning, kept as a source, the import goes on
"$bin" import --server SOLO-E19A --out "$out" \
    "$fx/clixml/CSS-Exchange__E19__Exchange__GetIrmConfiguration.xml" \
    "$fx/clixml/CSS-Exchange__E19__OS__GetNetIPConfiguration.xml" \
    "$fx/clixml/CSS-Exchange__E19__Exchange__GetExchangeServer.xml" >"$tmp/o" 2>&1
check "unused CLIXML is a warning" 0 $?
expect_in "warning names the file and type" "$tmp/o" "GetNetIPConfiguration.xml: CLIXML object of type 'NetIPConfiguration' carries nothing irmfleet uses"
expect_in "unused file recorded as source" "$out/SOLO-E19A.xml" "GetNetIPConfiguration.xml"
expect_in "IRM config still imported" "$out/SOLO-E19A.xml" "InternalLicensingEnabled"

exit $fail
