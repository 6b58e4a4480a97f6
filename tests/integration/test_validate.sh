#!/bin/bash
# test_validate.sh - `irmfleet validate` end to end (cli/cmd_validate.c),
# and the example fleet: it validates with irmfleet and xmllint, and is
# exactly what examples/gen-fleet.py generates.
# Usage: test_validate.sh IRMFLEET SOURCE_DIR
set -u
. "$(dirname "$0")/lib.sh" "$@"
fx=$src/tests/fixtures/snapshot

"$bin" validate "$src"/examples/fleet/*.xml >"$tmp/out" 2>&1
check "example fleet validates" 0 $?
n=$(grep -c ': ok$' "$tmp/out")
[ "$n" -ge 14 ] || { echo "FAIL: only $n ok lines"; cat "$tmp/out"; fail=1; }

if command -v xmllint >/dev/null; then
	xmllint --noout --schema "$src/schemas/snapshot.xsd" \
	    "$src"/examples/fleet/*.xml 2>"$tmp/xl"
	check "xmllint accepts the example fleet" 0 $?
	xmllint --noout --schema "$src/schemas/snapshot.xsd" \
	    "$fx/broken-element.xml" 2>/dev/null
	check "xmllint rejects broken-element.xml" 3 $?
else
	echo "FAIL: xmllint not installed (libxml2-utils)"; fail=1
fi

if command -v python3 >/dev/null; then
	python3 "$src/examples/gen-fleet.py" "$tmp/gen"
	diff -r "$tmp/gen" "$src/examples/fleet" >"$tmp/diff"
	check "examples/fleet is what gen-fleet.py generates" 0 $?
else
	echo "FAIL: python3 not installed"; fail=1
fi

"$bin" validate "$fx/valid-ex01.xml" "$fx/broken-element.xml" >"$tmp/out" 2>&1
check "one broken file makes the run fail" 2 $?
grep -q "^$fx/valid-ex01.xml: ok$" "$tmp/out" ||
	{ echo "FAIL: valid file not reported ok"; cat "$tmp/out"; fail=1; }
grep -q "^$fx/broken-element.xml:9: Element 'vaule'" "$tmp/out" ||
	{ echo "FAIL: no file:line for the broken element"; cat "$tmp/out"; fail=1; }

"$bin" validate "$fx/broken-many.xml" >"$tmp/out" 2>&1
check "broken-many.xml" 2 $?
[ "$(grep -c "^$fx/broken-many.xml:[0-9]*: " "$tmp/out")" = 3 ] ||
	{ echo "FAIL: expected 3 errors"; cat "$tmp/out"; fail=1; }

"$bin" validate "$tmp/missing.xml" >"$tmp/out" 2>&1
check "missing file" 2 $?
grep -q "^$tmp/missing.xml: cannot open" "$tmp/out" ||
	{ echo "FAIL: missing file not named"; cat "$tmp/out"; fail=1; }

"$bin" validate >/dev/null 2>&1
check "no arguments is a usage error" 2 $?
"$bin" validate --bogus x >/dev/null 2>&1
check "unknown option" 2 $?
"$bin" validate --help >"$tmp/out" 2>&1
check "--help" 0 $?

# a hand-edited <generation> (format 2) is valid, but validate warns with
# file:line and what the content says; an untouched one or a version 1
# file gets no warning
"$bin" validate "$fx/valid-ex01.xml" "$fx/valid-ex01-v1.xml" >"$tmp/out" 2>"$tmp/err"
check "recorded generation agrees" 0 $?
grep -q "recorded generation" "$tmp/err" && { echo "FAIL: unexpected warning"; cat "$tmp/err"; fail=1; }
sed 's/<generation name="exchange-2013+"/<generation name="exchange-2010"/' \
    "$fx/valid-ex01.xml" >"$tmp/EX01.xml"
"$bin" validate "$tmp/EX01.xml" >"$tmp/out" 2>"$tmp/err"
check "edited generation is still valid" 0 $?
grep -q "^$tmp/EX01.xml: ok$" "$tmp/out" ||
	{ echo "FAIL: edited file not ok"; cat "$tmp/out"; fail=1; }
grep -q "^irmfleet validate: warning: $tmp/EX01.xml:10: recorded generation 'exchange-2010' build '15.2.1544.4' disagrees with the content, which says exchange-2013+: Exchange 2013 or later from Get-ExchangeServer 15.2.1544.4" "$tmp/err" &&
	echo "ok: edited generation warned about" ||
	{ echo "FAIL: no generation warning"; cat "$tmp/err"; fail=1; }

IRMFLEET_SCHEMA_DIR=$tmp "$bin" validate "$fx/valid-ex01.xml" >"$tmp/out" 2>&1
check "missing schema dir" 2 $?
grep -q "snapshot.xsd' not found" "$tmp/out" ||
	{ echo "FAIL: missing schema not explained"; cat "$tmp/out"; fail=1; }

exit $fail
