#!/bin/bash
# test_collect_resume.sh - collect under a low open-file limit, and a
# collect that is killed half-way:
#  - with `ulimit -n 64` and --parallel 100, 120 hosts are all collected
#    (parallelism bounded by the limit; no "Too many open files", no
#    snapshot lost);
#  - a run killed while one host hangs leaves a state file naming that host
#    as not finished: compare says so (exit 3) and --retry-failed resumes
#    from it.
# Every command of these loopback sshd's answers nothing (FW_FORCE): the
# hosts end "partial", with a snapshot, which is all that is checked here.
# Usage: test_collect_resume.sh IRMFLEET SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
here=$src/tests/integration
. "$here/fakewin/sshd.sh"

tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  fw_stop_all; rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

ssh-keygen -q -t ed25519 -N '' -C client -f "$tmp/id"
ssh-keygen -q -t ed25519 -N '' -C host -f "$tmp/hk"
cp "$tmp/id.pub" "$tmp/authorized_keys"
user=$(id -un)
read -r PF PH <<<"$(fw_free_ports 2)"
mkdir -p "$tmp/fleet"
FW_FORCE=/bin/true fw_start fast "$tmp/hk" "$tmp/authorized_keys" \
    "$tmp/fleet" "127.0.0.1:$PF"
FW_FORCE="/bin/sleep 120" fw_start hang "$tmp/hk" "$tmp/authorized_keys" \
    "$tmp/fleet" "127.0.0.1:$PH"
echo "[127.0.0.1]:$PF $(cut -d' ' -f1,2 "$tmp/hk.pub")" >"$tmp/kh"
echo "[127.0.0.1]:$PH $(cut -d' ' -f1,2 "$tmp/hk.pub")" >>"$tmp/kh"

run() {   # inventory outdir [options]
  local inv=$1 out=$2
  shift 2
  "$bin" collect -i "$inv" -o "$out" --known-hosts "$tmp/kh" \
      --identity "$tmp/id" --no-agent --user "$user" "$@"
}

echo "== 120 hosts, --parallel 100, ulimit -n 64"
{
  echo "[exchange]"
  for i in $(seq -w 1 120); do
    echo "ex$i ansible_host=127.0.0.1 ansible_port=$PF"
  done
} >"$tmp/many.ini"
set +e
( ulimit -n 64; run "$tmp/many.ini" "$tmp/many" --parallel 100 \
    --connect-timeout 60 --command-timeout 60 ) >"$tmp/many.out" 2>&1
rc=$?
set -e
tail -5 "$tmp/many.out"
[ $rc -eq 3 ] || fail "exit $rc (expected 3: the hosts are partial)"
grep -q 'Too many open files' "$tmp/many.out" && fail "ran out of descriptors"
grep -qE '^  ex[0-9]+ +(connection|save|protocol) ' "$tmp/many.out" &&
    fail "hosts failed"
[ "$(ls "$tmp/many"/*.xml | wc -l)" -eq 120 ] || fail "snapshots lost"
grep -q 'sessions at once, not 100: the open-file limit' "$tmp/many.out" ||
    fail "the bound is not reported"

echo "== a run killed half-way"
cat >"$tmp/kill.ini" <<EOF
[exchange]
ex01 ansible_host=127.0.0.1 ansible_port=$PF
ex02 ansible_host=127.0.0.1 ansible_port=$PF
exhang ansible_host=127.0.0.1 ansible_port=$PH
EOF
run "$tmp/kill.ini" "$tmp/k" --parallel 3 --connect-timeout 60 \
    --command-timeout 120 >"$tmp/kill.out" 2>&1 &
pid=$!
# the state is rewritten at most once a second: wait until it shows the
# two quick hosts finished (partial: their commands answer nothing)
st=$tmp/k/.irmfleet-collect-state
for _ in $(seq 1 600); do
  if [ "$(grep -c '^ex0[12]	partial	' "$st" 2>/dev/null)" = 2 ]; then
    break
  fi
  sleep 0.1
done
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
pid=
cat "$tmp/k/.irmfleet-collect-state"
grep -q "^exhang	not-finished	" "$tmp/k/.irmfleet-collect-state" ||
    fail "the state does not name the unfinished host"
[ ! -f "$tmp/k/exhang.xml" ] || fail "exhang has a snapshot"
set +e
"$bin" compare "$tmp/k" >"$tmp/cmp.out" 2>"$tmp/cmp.err"
rc=$?
set -e
cat "$tmp/cmp.err"
[ $rc -eq 3 ] || fail "compare exit $rc, expected 3"
grep -q "host 'exhang' not collected" "$tmp/cmp.err" ||
    fail "compare does not name the missing host"
grep -q "host 'ex01'" "$tmp/cmp.err" && fail "compare names a collected host"
[ "$(grep -c '^ex0[12]	partial	' "$st")" = 2 ] ||
    fail "the state was not rewritten as hosts finished"
# resume: the run's hosts not collected, exhang among them (it hangs
# again: a short timeout); before, a killed run left nothing to resume
# from ("no previous collect run")
set +e
run "$tmp/kill.ini" "$tmp/k" --retry-failed --command-timeout 1 \
    --connect-timeout 30 >"$tmp/retry.out" 2>&1
set -e
cat "$tmp/retry.out"
grep -q '^collected 0 of 3 hosts' "$tmp/retry.out" || fail "retry did not resume"
grep -qE '^  exhang ' "$tmp/retry.out" || fail "retry did not take exhang"
echo "ok"
