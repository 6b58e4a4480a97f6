#!/bin/bash
# compare-bench.sh - `irmfleet compare` on a synthetic fleet, end to end,
# against the time `xmllint --noout` takes merely to parse the same files,
# measured in the same run (see bench/README.md).
#
#   bench/compare-bench.sh [IRMFLEET] [N] [K] [ROUNDS]
#
# IRMFLEET defaults to build/irmfleet, N (snapshots) to 10000, K (planted
# outliers) to 25, ROUNDS to 3 (each measurement is the best of ROUNDS,
# interleaved, so that a busy machine disturbs both sides alike).
# Checks that exactly the K planted outliers are found, and that peak
# memory grows linearly (N/4, N/2 and N snapshots).  Exit status 1 if a
# check fails; the time ratio is reported against the goal (<= 1.5x).
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-build/irmfleet}")
n=${2:-10000}
k=${3:-25}
rounds=${4:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v xmllint >/dev/null || { echo "xmllint not installed (libxml2-utils)"; exit 2; }
[ -x "$bin" ] || { echo "no irmfleet binary at $bin"; exit 2; }

echo "generating $n snapshots with $k planted outliers..."
python3 "$here/gen-fleet.py" "$tmp/fleet" "$n" --plant "$k" >"$tmp/planted"
half=$((n / 2))
quarter=$((n / 4))
mkdir "$tmp/half" "$tmp/quarter"
ls "$tmp/fleet" | sort | head -n "$half" | while read -r f; do
	ln "$tmp/fleet/$f" "$tmp/half/$f"
done
ls "$tmp/half" | sort | head -n "$quarter" | while read -r f; do
	ln "$tmp/fleet/$f" "$tmp/quarter/$f"
done
cat "$tmp/fleet"/*.xml >/dev/null   # same warm page cache for both sides

# run.py CMD...: run once, print "wall cpu maxrss_kb exit" of the child
cat >"$tmp/run.py" <<'PY'
import os, sys, time
t = time.monotonic()
pid = os.fork()
if pid == 0:
    fd = os.open(os.environ.get("RUN_STDOUT", os.devnull),
                 os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
print("%.3f %.3f %d %d" % (time.monotonic() - t, ru.ru_utime + ru.ru_stime,
                           ru.ru_maxrss, os.waitstatus_to_exitcode(status)))
PY
run() { python3 "$tmp/run.py" "$@"; }

# xmllint gets every file on one command line (one process, like ours)
ls "$tmp/fleet"/*.xml >"$tmp/files"
best() {   # best NAME: min wall and min cpu over the rounds in $tmp/NAME
	sort -n "$tmp/$1" | head -1 | cut -d' ' -f1
	sort -k2 -n "$tmp/$1" | head -1 | cut -d' ' -f2
}
for r in $(seq "$rounds"); do
	run sh -c 'xargs -a "$1" xmllint --noout' sh "$tmp/files" >>"$tmp/xmllint"
	RUN_STDOUT=$tmp/report.json run "$bin" compare --format json "$tmp/fleet" >>"$tmp/irmfleet"
	IRMFLEET_THREADS=1 run "$bin" compare --format json "$tmp/fleet" >>"$tmp/irmfleet1"
done
run "$bin" compare --format json "$tmp/half" >"$tmp/halfrun"
run "$bin" compare --format json "$tmp/quarter" >"$tmp/quarterrun"

fail=0
read -r xw < <(best xmllint | head -1); xc=$(best xmllint | tail -1)
read -r iw < <(best irmfleet | head -1); ic=$(best irmfleet | tail -1)
read -r sw < <(best irmfleet1 | head -1); sc=$(best irmfleet1 | tail -1)
rc=$(cut -d' ' -f4 "$tmp/irmfleet" | sort -u)
rss=$(sort -k3 -n "$tmp/irmfleet" | tail -1 | cut -d' ' -f3)
hrss=$(cut -d' ' -f3 "$tmp/halfrun")
qrss=$(cut -d' ' -f3 "$tmp/quarterrun")
python3 - "$tmp/report.json" "$tmp/planted" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted("%s|%s" % (f["server"], f["setting"]) for f in d["findings"]
             if f["kind"] == "outlier")
others = [f for f in d["findings"] if f["kind"] != "outlier"]
want = sorted(open(sys.argv[2]).read().split())
print("planted outliers: %d, found: %d, other findings: %d"
      % (len(want), len(got), len(others)))
if got != want or others:
    print("FAIL: findings differ from the planted outliers")
    sys.exit(1)
print("ok: exactly the planted outliers were found")
PY
[ "$rc" = 1 ] || { echo "FAIL: exit status $rc, expected 1"; fail=1; }
awk -v n="$n" -v k="$k" -v r="$rounds" -v xw="$xw" -v xc="$xc" \
    -v iw="$iw" -v ic="$ic" -v sw="$sw" -v sc="$sc" -v cpus="$(nproc)" '
BEGIN {
	printf "%d snapshots, best of %d rounds, %d CPUs\n", n, r, cpus
	printf "%-34s %8s %8s %8s\n", "", "wall s", "cpu s", "ratio"
	printf "%-34s %8.2f %8.2f %8s\n", "xmllint --noout (parse only)", xw, xc, "1.00x"
	printf "%-34s %8.2f %8.2f %7.2fx\n", "irmfleet compare (default)", iw, ic, iw / xw
	printf "%-34s %8.2f %8.2f %7.2fx\n", "irmfleet compare (1 thread)", sw, sc, sw / xw
	printf "CPU ratio: %.2fx (default), %.2fx (1 thread)\n", ic / xc, sc / xc
	printf "goal <= 1.5x wall: %s\n", (iw / xw <= 1.5) ? "met" : "NOT met"
}'
awk -v n="$n" -v h="$half" -v q="$quarter" -v a="$rss" -v b="$hrss" \
    -v c="$qrss" 'BEGIN {
	printf "peak RSS: %d snapshots %.0f MiB, %d: %.0f MiB, %d: %.0f MiB\n",
	    n, a / 1024, h, b / 1024, q, c / 1024
	# linear = constant + per-snapshot cost: the growth from N/2 to N
	# is twice the growth from N/4 to N/2, whatever the constant
	g = (a - b) / (b - c > 0 ? b - c : 1)
	printf "%.1f KiB per snapshot; growth N/2->N is %.2fx growth N/4->N/2 (linear: 2)\n",
	    (a - b) / (n - h), g
	if (g < 1.6 || g > 2.4) { print "FAIL: memory does not grow linearly"; exit 1 }
	print "ok: memory grows linearly"
}' || fail=1
exit $fail
