#!/bin/bash
# test_compare.sh - `irmfleet compare` end to end (cli/cmd_compare.c and
# compare/*.c) on the tiny fleets of tests/fixtures/fleets/: exit status
# and the complete list of findings of each case (no more, no fewer), the
# JSON shape, colours only on a terminal without NO_COLOR, --output,
# suppression files and input errors.
# Usage: test_compare.sh IRMFLEET SOURCE_DIR
set -u
# reports carry their generation time: fix it so that two runs compare
export SOURCE_DATE_EPOCH=1767225600
bin=$1
src=$2
fleets=$src/tests/fixtures/fleets
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
check() {   # check NAME EXPECTED-RC ACTUAL-RC
	if [ "$2" != "$3" ]; then bad "$1: exit $3, expected $2"; else ok "$1"; fi
}

command -v python3 >/dev/null || { echo "FAIL: python3 not installed"; exit 1; }

# findings of a JSON report as sorted "server|setting|kind|rule" lines,
# after checking the documented top-level shape
cat >"$tmp/findings.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "irmfleet-compare" and d["version"] == 1, "format"
for k in ("summary", "cohorts", "findings", "not_checked"):
    assert k in d, k
fields = {"server", "cohort", "setting", "kind", "severity", "rule", "value",
          "expected", "distribution", "explanation", "remediation",
          "suppressed", "reason"}
active = 0
for f in d["findings"]:
    assert set(f) == fields, sorted(set(f) ^ fields)
    assert f["explanation"] and f["remediation"], f["setting"]
    active += not f["suppressed"]
assert d["summary"]["findings"] == active, "summary count"
for f in sorted("%s|%s|%s|%s" % (f["server"] or "", f["setting"], f["kind"],
                                 f["rule"] or "") for f in d["findings"]):
    print(f)
PY

# 1. the fixtures are what make-fleets.py generates
python3 "$fleets/make-fleets.py" "$tmp/gen"
if diff -r -x make-fleets.py -x PROVENANCE.md -x __pycache__ "$tmp/gen" "$fleets" >"$tmp/diff"; then
	ok "fixtures match make-fleets.py"
else
	bad "fixtures differ from make-fleets.py"; cat "$tmp/diff"
fi

# 2. every case: exit status and exactly the expected findings
for dir in "$fleets"/*/; do
	name=$(basename "$dir")
	want_rc=$(sed -n '1s/^exit //p' "$dir/EXPECTED")
	"$bin" compare --format json "$dir" >"$tmp/$name.json" 2>"$tmp/err"
	check "$name: exit status" "$want_rc" $?
	if python3 "$tmp/findings.py" "$tmp/$name.json" >"$tmp/got" 2>"$tmp/err"; then
		tail -n +2 "$dir/EXPECTED" >"$tmp/want"
		if diff "$tmp/want" "$tmp/got" >"$tmp/diff"; then
			ok "$name: findings"
		else
			bad "$name: findings differ (- expected, + got)"; cat "$tmp/diff"
		fi
	else
		bad "$name: bad JSON"; cat "$tmp/err"
	fi
done

# 3. the distribution reads as documented
python3 - "$tmp/http-https.json" <<'PY' || bad "http-https: distribution"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["kind"] == "outlier"][0]
want = ("11 of 12 servers: https://contoso.rms.na.aadrm.com => "
        "https://rmscon.contoso.com; EX07: https://contoso.rms.na.aadrm.com"
        " => http://rmscon.contoso.com")
assert f["distribution"] == want, f["distribution"]
assert "reg add" in f["remediation"]
PY

# 4. text: summary first; colours only on a terminal, never with NO_COLOR
"$bin" compare "$fleets/split" >"$tmp/text" 2>&1
check "text report exit status" 1 $?
head -1 "$tmp/text" | grep -q '^irmfleet compare: 4 servers in 1 cohort$' &&
	ok "text starts with the summary" || { bad "text summary"; cat "$tmp/text"; }
grep -q $'\033' "$tmp/text" && bad "colour codes in a pipe" || ok "no colour in a pipe"
if script -qec "true" /dev/null >/dev/null 2>&1; then
	script -qec "env -u NO_COLOR '$bin' compare '$fleets/split'" /dev/null >"$tmp/tty"
	grep -q $'\033\\[' "$tmp/tty" && ok "colour on a terminal" || bad "no colour on a terminal"
	script -qec "env NO_COLOR=1 '$bin' compare '$fleets/split'" /dev/null >"$tmp/tty"
	grep -q $'\033\\[' "$tmp/tty" && bad "colour despite NO_COLOR" || ok "NO_COLOR honoured"
else
	bad "script(1) cannot allocate a terminal"
fi

# 5. --output writes the same report atomically; a bad path fails cleanly
"$bin" compare --format json --output "$tmp/out.json" "$fleets/split"
check "--output exit status" 1 $?
cmp -s "$tmp/out.json" "$tmp/split.json" && ok "--output content" || bad "--output content"
ls "$tmp" | grep -q '^out.json.' && bad "temporary file left behind" || ok "no temporary file"
"$bin" compare --format json --output - "$fleets/split" >"$tmp/dash.json"
check "--output - exit status" 1 $?
cmp -s "$tmp/dash.json" "$tmp/split.json" && ok "--output - is stdout" || bad "--output -"
"$bin" compare --output "$tmp/no/such/dir/r.txt" "$fleets/split" 2>"$tmp/err"
check "--output into a missing directory" 5 $?
# a FIFO or a device (here behind a link, as /dev/stdout is) is written
# in place, never replaced by a regular file
mkfifo "$tmp/fifo.json"
timeout 20 cat "$tmp/fifo.json" >"$tmp/fifo.out" &
reader=$!
timeout 20 "$bin" compare --format json --output "$tmp/fifo.json" "$fleets/split"
check "--output FIFO exit status" 1 $?
wait $reader
[ -p "$tmp/fifo.json" ] && ok "--output FIFO is still a FIFO" || bad "--output replaced the FIFO"
cmp -s "$tmp/fifo.out" "$tmp/split.json" && ok "--output FIFO content" || bad "--output FIFO content"
ln -s /dev/null "$tmp/null.json"
"$bin" compare --format json --output "$tmp/null.json" "$fleets/split"
check "--output link to /dev/null exit status" 1 $?
[ -L "$tmp/null.json" ] && [ -c /dev/null ] && ok "--output link to a device kept" ||
	bad "--output replaced the link to /dev/null"
# a killed run's temporary file is removed, a live writer's is not
sh -c 'exit 0' & deadpid=$!; wait $deadpid
touch "$tmp/.out.json.tmp-$deadpid-0" "$tmp/.out.json.tmp-$$-0"
"$bin" compare --format json --output "$tmp/out.json" "$fleets/split"
[ ! -e "$tmp/.out.json.tmp-$deadpid-0" ] && ok "dead writer's temporary file removed" ||
	bad "stale temporary file left"
[ -e "$tmp/.out.json.tmp-$$-0" ] && ok "live writer's temporary file kept" ||
	bad "live writer's temporary file removed"
rm -f "$tmp/.out.json.tmp-$$-0"

# 6. suppressions
printf '# accepted\nignore reg:*\\LicenseServerRedirection -- connector move CHG-1\n' >"$tmp/s1"
"$bin" compare --format json --suppress "$tmp/s1" "$fleets/split" >"$tmp/sup.json"
check "all findings suppressed" 0 $?
python3 - "$tmp/sup.json" <<'PY' || bad "suppressed finding shape"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["suppressed"] == 1 and d["summary"]["findings"] == 0
f = d["findings"][0]
assert f["suppressed"] is True and f["reason"] == "connector move CHG-1"
PY
printf 'accept EX07 %s -- pilot\naccept EX99 host -- gone\n' 'reg:*Activation*' >"$tmp/s2"
"$bin" compare --format json --suppress "$tmp/s2" "$fleets/single-outlier" \
    >"$tmp/sup2.json" 2>"$tmp/err"
check "one of several findings suppressed" 1 $?
grep -q "warning: $tmp/s2:2: suppression matches no finding" "$tmp/err" &&
	ok "stale suppression reported" || { bad "stale suppression"; cat "$tmp/err"; }
grep -q "s2:1:" "$tmp/err" && bad "used suppression reported as stale" || ok "used suppression quiet"
printf '# ok\nignore file:msipc.dll\n' >"$tmp/s3"
"$bin" compare --suppress "$tmp/s3" "$fleets/split" >/dev/null 2>"$tmp/err"
check "malformed suppression file" 2 $?
grep -q "$tmp/s3:2: missing reason" "$tmp/err" && ok "suppression error names file:line" ||
	{ bad "suppression error message"; cat "$tmp/err"; }

# 7. input errors: bad snapshot, duplicates, empty directory, usage
"$bin" compare "$fleets/split" "$src/tests/fixtures/snapshot/broken-element.xml" \
    >/dev/null 2>"$tmp/err"
check "invalid snapshot" 2 $?
grep -q "broken-element.xml:9" "$tmp/err" && ok "invalid snapshot named with its line" ||
	{ bad "invalid snapshot message"; cat "$tmp/err"; }
"$bin" compare "$fleets/split" "$fleets/split/ex01.xml" >/dev/null 2>"$tmp/err"
check "duplicate server" 2 $?
grep -q "two snapshots of server 'EX01'" "$tmp/err" && ok "duplicate named" ||
	{ bad "duplicate message"; cat "$tmp/err"; }
mkdir "$tmp/empty"
"$bin" compare "$tmp/empty" >/dev/null 2>"$tmp/err"
check "empty directory" 2 $?
"$bin" compare "$tmp/missing.xml" >/dev/null 2>"$tmp/err"
check "missing file" 2 $?
grep -q "missing.xml" "$tmp/err" && ok "missing file named" || bad "missing file message"
"$bin" compare >/dev/null 2>&1
check "no arguments" 2 $?
"$bin" compare --format yaml "$fleets/split" >/dev/null 2>&1
check "unknown format" 2 $?
"$bin" compare --help >/dev/null
check "--help" 0 $?

exit $fail
