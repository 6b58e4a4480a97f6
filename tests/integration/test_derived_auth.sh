#!/bin/bash
# test_derived_auth.sh - the connector authorization list derived from
# the nodes' event 1004 (issue 16 #6), end to end: `import` of an event
# export writes <authorizations source="event-1004"> (valid against the
# schema); `compare` says which list it used and reports nodes whose
# lists differ; a typed CSV imported with the events wins, in either
# order.  The event exports are synthetic (tests/fixtures/wevtutil/
# PROVENANCE.md).
# Usage: test_derived_auth.sh IRMFLEET SOURCE_DIR
set -u
. "$(dirname "$0")/lib.sh" "$@"
fx=$src/tests/fixtures

expect_not_in() {   # expect_not_in NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then
		echo "FAIL: $1: '$3' in $2"; fail=1
	else
		echo "ok: $1"
	fi
}

ev1=$fx/wevtutil/rms-connector-1004-getwinevent.xml
ev2=$fx/wevtutil/rms-connector-rootless.xml
csv=$fx/authlist/connector-authorizations.csv
d=$tmp/derived
mkdir -p "$d"

# --- import: the newest 1004's accounts become a derived list
"$bin" import --server RMSCON01 --role connector --out "$d" "$ev1" \
    >"$tmp/o" 2>&1
check "import an event export" 0 $?
expect_in "derived list written" "$d/RMSCON01.xml" \
    '<authorizations source="event-1004" at="2026-11-20T10:15:02Z">'
expect_in "every account of the newest 1004" "$d/RMSCON01.xml" \
    '<authorization account="CONTOSO\FS01$" kind="computer" role="unknown"/>'
expect_not_in "not the older 1004's list" "$d/RMSCON01.xml" 'EX09$'
expect_in "import still asks for the typed list" "$tmp/o" \
    "event 1004 gives the accounts only"
"$bin" validate "$d/RMSCON01.xml" >/dev/null 2>&1
check "derived snapshot validates" 0 $?
xmllint --noout --schema "$src/schemas/snapshot.xsd" "$d/RMSCON01.xml" \
    >/dev/null 2>&1
check "derived snapshot validates against the XSD" 0 $?

# --- compare: two nodes whose newest 1004s differ have drifted
"$bin" import --server RMSCON02 --role connector --out "$d" "$ev2" \
    >/dev/null 2>&1
check "import a second node" 0 $?
"$bin" compare --format json "$d" >"$tmp/j" 2>"$tmp/e"
check "compare: findings" 1 $?
[ "$(jq -r .summary.authorization_list "$tmp/j")" = event-1004 ] &&
    echo "ok: JSON says the list came from event 1004" ||
    { echo "FAIL: authorization_list"; fail=1; }
[ "$(jq '[.findings[] | select(.rule == "auth-nodes-agree")] | length' \
    "$tmp/j")" = 2 ] && echo "ok: both nodes' lists differ (no majority)" ||
    { echo "FAIL: auth-nodes-agree"; jq .findings "$tmp/j"; fail=1; }
[ "$(jq '[.findings[] | select(.severity == "error" and
    (.rule // "" | startswith("auth-")))] | length' "$tmp/j")" = 0 ] &&
    echo "ok: no auth error rests on a derived list" ||
    { echo "FAIL: auth error from a derived list"; fail=1; }
"$bin" compare "$d" >"$tmp/t" 2>&1
expect_in "text summary says so" "$tmp/t" \
    "authorization list: derived from the connector nodes' event 1004"

# --- a typed CSV imported with the events wins, in either order
for order in csv-first events-first; do
	c=$tmp/$order
	mkdir -p "$c"
	if [ $order = csv-first ]; then set -- "$csv" "$ev1"; else set -- "$ev1" "$csv"; fi
	"$bin" import --server RMSCON01 --role connector --out "$c" "$@" \
	    >/dev/null 2>&1
	check "import CSV and events ($order)" 0 $?
	expect_in "typed list kept ($order)" "$c/RMSCON01.xml" "<authorizations>"
	expect_not_in "no derived list ($order)" "$c/RMSCON01.xml" 'source="event-1004"'
done
cp "$d/RMSCON02.xml" "$tmp/csv-first/"
"$bin" compare --format json "$tmp/csv-first" >"$tmp/j" 2>/dev/null
[ "$(jq -r .summary.authorization_list "$tmp/j")" = csv ] &&
    echo "ok: the typed list wins over another node's derived one" ||
    { echo "FAIL: authorization_list with a CSV"; fail=1; }
[ "$(jq '[.findings[] | select(.rule == "auth-nodes-agree")] | length' \
    "$tmp/j")" = 0 ] && echo "ok: a typed and a derived list are not compared" ||
    { echo "FAIL: typed vs derived compared"; fail=1; }

exit $fail
