#!/bin/bash
# test_audit_kill.sh - SIGKILL at random points during `irmfleet audit`
# never loses or corrupts a committed audit and never leaves a
# half-recorded run (compare/store/record.c: one BEGIN IMMEDIATE transaction per
# run, WAL, synchronous=FULL).
#
# A synthetic fleet (bench/gen-audit-fleet.py) is audited over and over,
# alternating between two variants so that every run writes thousands of
# setting changes; each audit is killed after a random delay drawn from
# [0, 1.2 x the duration of an unkilled audit].  After every kill the run
# either committed completely or not at all; at the end `db check` must
# pass and the recorded runs, host counts and one server's history must
# be exactly those of the audits known to have committed.
# Usage: test_audit_kill.sh IRMFLEET SOURCE_DIR
set -u
bin=$1
src=$2
kills=${IRMF_KILLS:-50}
nsrv=${IRMF_KILL_FLEET:-200}
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/h.db
key='reg:HKLM\SOFTWARE\Microsoft\MSIPC\Setting00'

command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 CLI missing"; exit 1; }
python3 "$src/bench/gen-audit-fleet.py" "$tmp/f0" "$nsrv" || exit 1
python3 "$src/bench/gen-audit-fleet.py" "$tmp/f1" "$nsrv" --variant 1 || exit 1

runs() { sqlite3 "$db" 'SELECT count(*) FROM runs'; }
committed=0      # runs known to be in the database
expect_times=()  # their --at times, in order
at_of() { printf '2026-03-01T%02d:%02d:00Z' $(( $1 / 60 )) $(( $1 % 60 )); }

audit() {   # audit ITERATION -> starts in background, sets $pid
	local variant=$(( committed % 2 ))
	"$bin" audit --db "$db" --stale 10000d --at "$(at_of "$1")" \
	    "$tmp/f$variant" >/dev/null 2>"$tmp/err" &
	pid=$!
}

# calibrate: two unkilled audits (the second writes a full variant swap)
for i in 0 1; do
	t0=$(date +%s%N)
	audit $i
	wait $pid; rc=$?
	t1=$(date +%s%N)
	if [ $rc -ne 0 ] && [ $rc -ne 4 ]; then
		echo "FAIL: calibration audit $i exited $rc"; cat "$tmp/err"; exit 1
	fi
	committed=$((committed + 1)); expect_times+=("$(at_of $i)")
done
dur_ms=$(( (t1 - t0) / 1000000 ))
echo "info: unkilled audit of $nsrv servers takes ${dur_ms} ms"
maxdelay=$(( dur_ms * 12 / 10 ))

mid=0 after=0 done_=0
for ((i = 2; i < kills + 2; i++)); do
	before=$(runs)
	audit $i
	delay=$(( RANDOM * 32768 + RANDOM ))
	delay=$(( delay % (maxdelay + 1) ))
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	if kill -9 "$pid" 2>/dev/null; then
		wait $pid 2>/dev/null; rc=$?
	else
		wait $pid; rc=$?
	fi
	now=$(runs)
	if [ "$rc" -eq 137 ]; then
		if [ "$now" = "$before" ]; then
			mid=$((mid + 1))
		elif [ "$now" = $((before + 1)) ]; then
			after=$((after + 1))   # killed after COMMIT
		fi
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ]; then
		echo "FAIL: audit $i exited $rc"; cat "$tmp/err"; fail=1
	else
		done_=$((done_ + 1))
	fi
	if [ "$now" = $((before + 1)) ]; then
		committed=$((committed + 1)); expect_times+=("$(at_of $i)")
	elif [ "$now" != "$before" ]; then
		echo "FAIL: runs went from $before to $now"; fail=1
	fi
done
echo "info: $kills kills: $mid before commit, $after after commit," \
    "$done_ finished first"
[ "$mid" -ge 3 ] || { echo "FAIL: only $mid kills landed inside an audit"; fail=1; }

# nothing committed was lost, nothing half-recorded remains
"$bin" db check --db "$db" >"$tmp/check" 2>&1
rc=$?
if [ $rc -ne 0 ]; then echo "FAIL: db check exit $rc"; cat "$tmp/check"; fail=1
else echo "ok: db check after $kills kills"; fi
got=$(sqlite3 "$db" 'SELECT started_at FROM runs ORDER BY id' | tr '\n' ' ')
want="${expect_times[*]} "
if [ "$got" = "$want" ]; then echo "ok: exactly the $committed committed runs"
else echo "FAIL: runs differ"; echo "  got:  $got"; echo "  want: $want"; fail=1; fi
bad=$(sqlite3 "$db" "SELECT count(*) FROM runs WHERE finished_at IS NULL
    OR hosts_ok != $nsrv OR hosts_failed != 0")
[ "$bad" = 0 ] && echo "ok: every run complete" ||
	{ echo "FAIL: $bad incomplete runs"; fail=1; }
# one server's history: a change in every committed run after the first
n=$("$bin" history --db "$db" --server SRV00007 --setting "$key" --format json |
    python3 -c 'import json,sys; d=json.load(sys.stdin);
print(sum(c["kind"] == "changed" for c in d["changes"]))')
if [ "$n" = $((committed - 1)) ]; then echo "ok: history has every committed change"
else echo "FAIL: $n changes in history, expected $((committed - 1))"; fail=1; fi
# and the next audit still works and sees no drift against the last run
variant=$(( (committed - 1) % 2 ))
"$bin" audit --db "$db" --stale 10000d --at 2026-03-02T00:00:00Z \
    "$tmp/f$variant" >"$tmp/last" 2>&1
rc=$?
if [ $rc -eq 0 ]; then echo "ok: audit after the kills, no drift"
else echo "FAIL: audit after the kills exited $rc"; tail -5 "$tmp/last"; fail=1; fi
exit $fail
