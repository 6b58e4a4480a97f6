#!/bin/bash
# collect-script-bench.sh - `irmfleet collect` with today's command plan
# (--plan commands: 12 commands per Exchange server, five of them
# powershell.exe, two loading the Exchange snap-in) against the one-script
# plan (--plan script: one powershell.exe per host, the export script on
# its stdin), on one loopback fleet, in one run.
#
# Usage: bench/collect-script-bench.sh BUILD_DIR [HOSTS] [PARALLEL]
#
# The fleet: HOSTS (default 200) fake Exchange servers played by
# tests/integration/fakewin/responder.py (the same fake hosts as the
# integration tests), with Windows' start-up latency modelled per command
# (FLEET/latency = windows): each powershell.exe start 1 s, loading the
# Exchange snap-in 8 s more, reg.exe and wevtutil.exe 0.05 s.  OpenSSH
# allows 16 listen sockets per sshd, so ceil(HOSTS/16) sshd processes.
# Reported per plan: wall time, hosts/s and client CPU ms per host
# (user+sys of the irmfleet process, GNU time), and the ratio of the wall
# times.  Goal (issue 16): the script plan >= 3x faster, <= 6 ms CPU/host.
set -euo pipefail
build=$(cd "$1" && pwd)
hosts=${2:-200}
par=${3:-32}
src=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/irmfleet
. "$src/tests/integration/fakewin/sshd.sh"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time (/usr/bin/time)"; exit 2; }

tmp=$(mktemp -d)
cleanup() { fw_stop_all; rm -rf "$tmp"; }
trap cleanup EXIT

ssh-keygen -q -t ed25519 -N '' -f "$tmp/id"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/hostkey"
cp "$tmp/id.pub" "$tmp/authorized_keys"

fleet=$tmp/fleet
mkdir -p "$fleet"
read -r -a P <<<"$(fw_free_ports "$hosts")"
: >"$tmp/spec"
for i in $(seq 0 $((hosts - 1))); do
  printf 'ex%03d exchange 127.0.0.%d %s\n' "$i" $((i % 4 + 1)) "${P[$i]}" \
      >>"$tmp/spec"
done
"$FW_PY" "$src/tests/integration/fakewin/mkfleet.py" "$src/tests/fixtures" \
    "$fleet" "$tmp/spec" "$tmp/inventory.ini"
echo windows >"$fleet/latency"

n=0
listen=()
: >"$tmp/known_hosts"
while read -r name role addr port; do
  fw_known_line "$addr" "$port" "$tmp/hostkey.pub" >>"$tmp/known_hosts"
  listen+=("$addr:$port")
  if [ ${#listen[@]} -eq 16 ]; then
    fw_start "b$n" "$tmp/hostkey" "$tmp/authorized_keys" "$fleet" "${listen[@]}"
    listen=(); n=$((n + 1))
  fi
done <"$tmp/spec"
[ ${#listen[@]} -eq 0 ] ||
    fw_start "b$n" "$tmp/hostkey" "$tmp/authorized_keys" "$fleet" "${listen[@]}"

run() {   # PLAN: prints "wall cpu_ms"
  local plan=$1 t0 t1 rc
  t0=$(date +%s.%N)
  set +e
  "$TIME" -f "%U %S" -o "$tmp/$plan.time" "$bin" collect -q \
      -i "$tmp/inventory.ini" -o "$tmp/out-$plan" --known-hosts "$tmp/known_hosts" \
      --identity "$tmp/id" --no-agent --parallel "$par" --connect-timeout 120 \
      --command-timeout 120 --plan "$plan" >"$tmp/$plan.out" 2>&1
  rc=$?
  set -e
  t1=$(date +%s.%N)
  grep -q "^collected $hosts of $hosts hosts" "$tmp/$plan.out" ||
      { cat "$tmp/$plan.out"; echo "$plan: not every host collected (rc $rc)"; exit 1; }
  read -r u s <"$tmp/$plan.time"
  echo "$(echo "$t1 - $t0" | bc -l) $(echo "($u + $s) * 1000 / $hosts" | bc -l)"
}

echo "collect-script-bench: $hosts hosts, --parallel $par, load $(cut -d' ' -f1-3 /proc/loadavg)"
read -r wc cc <<<"$(run commands)"
read -r ws cs <<<"$(run script)"
printf '%-10s %9s %9s %12s\n' plan wall_s hosts/s cpu_ms/host
printf '%-10s %9.1f %9.2f %12.2f\n' commands "$wc" "$(echo "$hosts / $wc" | bc -l)" "$cc"
printf '%-10s %9.1f %9.2f %12.2f\n' script "$ws" "$(echo "$hosts / $ws" | bc -l)" "$cs"
printf 'script plan: %.1fx faster wall\n' "$(echo "$wc / $ws" | bc -l)"
