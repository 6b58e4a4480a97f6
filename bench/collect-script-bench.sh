#!/bin/bash
# collect-script-bench.sh - issue 16's figures in one run on one fleet:
# `irmfleet collect` with today's command plan (--plan commands: 12
# commands per Exchange server, five of them powershell.exe, two loading
# the Exchange snap-in), with the one-script plan (--plan script: one
# powershell.exe per host, the export script on its stdin), and the same
# script sent by OpenSSH (`xargs -P PARALLEL ssh`, one ssh per host) and by
# pssh (`parallel-ssh -p PARALLEL -I`).
#
# Usage: bench/collect-script-bench.sh [--no-latency] [--skip-pssh]
#            [--strict] BUILD_DIR [HOSTS] [PARALLEL]
#   --no-latency  the fake hosts answer at once (the CI smoke: the code
#                 paths run, the goals are not judged)
#   --skip-pssh   run without the pssh baseline (says so); without it a
#                 missing parallel-ssh is an error (exit 2)
#   --strict      exit 1 when a goal is missed (default: report only)
#
# The fleet (bench/fakefleet.sh): HOSTS (default 200) fake Exchange servers
# played by tests/integration/fakewin/responder.py, the integration tests'
# fake hosts, ceil(HOSTS/16) sshd processes.  With the latency model
# (FLEET/latency = windows) each powershell.exe start costs 1 s, loading
# the Exchange snap-in 8 s more, reg.exe and wevtutil.exe 0.05 s.
#
# The baselines send exactly what irmfleet sends: the command line and the
# script come from `irmfleet collect --plan script --print-plan exchange`,
# and before measuring, one capture host (an sshd whose ForceCommand saves
# the command line and stdin) receives the script from each tool; the
# bytes must be identical, and the sshd's log shows the algorithms each
# client negotiated.  Every baseline output must hold a whole document
# (begin and end markers), as irmfleet's "collected N of N" says for it.
#
# Reported per tool: wall time, hosts/s, client CPU ms per host (user+sys
# of the client process and all the children it waited for, GNU time:
# for OpenSSH that is xargs, its sh wrappers and every ssh), then the
# ratios against the goals with PASS/FAIL.
set -euo pipefail

latency=1 skip_pssh=0 strict=0
while [ $# -gt 0 ]; do
  case $1 in
    --no-latency) latency=0 ;;
    --skip-pssh) skip_pssh=1 ;;
    --strict) strict=1 ;;
    -*) echo "collect-script-bench: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
[ $# -ge 1 ] || { sed -n 10,16p "$0" >&2; exit 2; }
build=$(cd "$1" && pwd)
hosts=${2:-200}
par=${3:-32}
src=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/irmfleet
. "$src/tests/integration/fakewin/sshd.sh"
. "$src/bench/fakefleet.sh"
TIME=/usr/bin/time
SSH=/usr/bin/ssh
[ -x "$TIME" ] || { echo "needs GNU time (/usr/bin/time): apt-get install -y time"; exit 2; }
[ -x "$SSH" ] || { echo "needs the OpenSSH client ($SSH)"; exit 2; }
PSSH=$(command -v parallel-ssh || true)
if [ $skip_pssh = 1 ]; then
  PSSH=
elif [ -z "$PSSH" ]; then
  echo "the pssh baseline needs parallel-ssh: apt-get install -y pssh" \
      "(or pass --skip-pssh to run without it)" >&2
  exit 2
fi

tmp=$(mktemp -d)
cleanup() { fw_stop_all; rm -rf "$tmp"; }
trap cleanup EXIT

fb_keys "$tmp"
fb_fleet "$tmp" "$src" "$hosts"
[ $latency = 0 ] || echo windows >"$tmp/fleet/latency"
fb_start_sshds "$tmp"

# --- what irmfleet sends: line 1 "# ITEM<TAB>COMMAND", line 2 a comment,
# then the script byte for byte (docs/remote-commands.md)
"$bin" collect --plan script --print-plan exchange >"$tmp/plan"
CMD=$(head -n 1 "$tmp/plan" | cut -f2-)
tail -n +3 "$tmp/plan" >"$tmp/script.ps1"
grep -q '^\$Stdout = \[switch\]\$true' "$tmp/script.ps1" ||
    { echo "the printed script lacks the \$Stdout line"; exit 1; }

# one ssh client configuration for both baselines: the run's key, known
# hosts and user, no agent (irmfleet runs with --no-agent), strict host
# keys, and the algorithms libssh2 1.10 and OpenSSH 9.2 negotiate (the
# capture below shows what each client really used)
cat >"$tmp/ssh_config" <<EOF
Host *
  User $(id -un)
  BatchMode yes
  StrictHostKeyChecking yes
  UserKnownHostsFile $tmp/known_hosts
  GlobalKnownHostsFile /dev/null
  IdentityFile $tmp/id
  IdentitiesOnly yes
  IdentityAgent none
  KexAlgorithms curve25519-sha256
  HostKeyAlgorithms ssh-ed25519
  Ciphers aes128-ctr
  MACs hmac-sha2-256
  ConnectTimeout 120
  LogLevel ERROR
EOF
while read -r name _ addr port; do
  echo "$name $addr $port" >>"$tmp/hostlist"
  echo "$addr:$port" >>"$tmp/pssh-hosts"
done <"$tmp/spec"
# per host: sh redirects the script and the output, then becomes ssh
cat >"$tmp/ssh-one.sh" <<'EOF'
# ssh-one.sh NAME ADDR PORT (environment: BCFG BCMD BSCRIPT BOUT)
exec /usr/bin/ssh -F "$BCFG" -p "$3" "$2" "$BCMD" <"$BSCRIPT" >"$BOUT/$1" 2>"$BOUT/$1.err"
EOF
export BCFG=$tmp/ssh_config BCMD=$CMD BSCRIPT=$tmp/script.ps1

# --- the tools ------------------------------------------------------
irmfleet_run() {   # PLAN INVENTORY OUTDIR
  "$bin" collect -q -i "$2" -o "$3" --known-hosts "$tmp/known_hosts" \
      --identity "$tmp/id" --no-agent --parallel "$par" \
      --connect-timeout 120 --command-timeout 120 --plan "$1"
}
openssh_run() {    # HOSTLIST OUTDIR
  mkdir -p "$2"
  BOUT=$2 xargs -P "$par" -L 1 /bin/sh "$tmp/ssh-one.sh" <"$1"
}
pssh_run() {       # HOSTSFILE OUTDIR
  "$PSSH" -h "$1" -p "$par" -t 120 -I -o "$2" -e "$2.err" \
      -x "-F $tmp/ssh_config" "$CMD" <"$tmp/script.ps1" >/dev/null
}

export -f irmfleet_run openssh_run pssh_run
export tmp bin par PSSH CMD

# --- the capture host: every tool sends the same bytes ----------------
cap=$tmp/cap
mkdir -p "$cap"
read -r cport <<<"$(fw_free_ports 1)"
fw_known_line 127.0.0.1 "$cport" "$tmp/hostkey.pub" >>"$tmp/known_hosts"
printf '[exchange]\ncap000 ansible_host=127.0.0.1 ansible_port=%s\n' "$cport" \
    >"$cap/inventory.ini"
echo "cap000 127.0.0.1 $cport" >"$cap/hostlist"
echo "127.0.0.1:$cport" >"$cap/pssh-hosts"
FW_FORCE="cat >$cap/stdin; echo \"\$SSH_ORIGINAL_COMMAND\" >$cap/cmd" \
FW_EXTRA="LogLevel DEBUG1" \
    fw_start cap "$tmp/hostkey" "$tmp/authorized_keys" "$cap" "127.0.0.1:$cport"
caplog=$cap/sshd-cap/log
printf '%s\n' "$CMD" >"$cap/cmd.expected"
capture() {   # LABEL CMD...: run CMD against the capture host, check bytes
  local label=$1 kex
  shift
  rm -f "$cap/stdin" "$cap/cmd"
  : >"$caplog"
  "$@" >"$cap/$label.log" 2>&1 || true   # the capture host answers nothing
  [ -f "$cap/cmd" ] || { cat "$cap/$label.log" "$caplog"
      echo "$label: sent nothing to the capture host"; exit 1; }
  cmp -s "$cap/stdin" "$tmp/script.ps1" ||
      { echo "$label: the script it sent differs from irmfleet's"; exit 1; }
  cmp -s "$cap/cmd" "$cap/cmd.expected" ||
      { echo "$label: the command line it sent differs:"; cat "$cap/cmd"; exit 1; }
  kex=$(sed -n 's/.*kex: \(algorithm: [^ ]*\).*/\1/p; s/.*kex: \(host key algorithm: [^ ]*\).*/\1/p; s/.*kex: client->server \(cipher: [^ ]* MAC: [^ ]*\).*/\1/p' \
      "$caplog" | tr '\n' ' ')
  printf '%-8s same command line and script (%s bytes); %s\n' "$label" \
      "$(wc -c <"$cap/stdin")" "$kex"
  # the same cryptography for every client, or the CPU figures compare
  # different work
  [ -n "$kex" ] || { echo "$label: no algorithms in the capture sshd's log"; exit 1; }
  [ -f "$cap/kex" ] || echo "$kex" >"$cap/kex"
  [ "$kex" = "$(cat "$cap/kex")" ] ||
      { echo "$label: negotiated other algorithms than irmfleet"; exit 1; }
}

echo "## collect-script-bench: $hosts hosts, --parallel $par, $(nproc) CPUs," \
    "$(date -u +%Y-%m-%dT%H:%MZ)"
echo "latency model: $([ $latency = 1 ] && echo "windows (powershell.exe 1 s, snap-in +8 s, reg.exe 0.05 s)" || echo none)"
echo "sshd processes: $(( (hosts + 15) / 16 )) + 1 capture; ulimit -n $(ulimit -n)"
capture irmfleet irmfleet_run script "$cap/inventory.ini" "$cap/out"
capture ssh openssh_run "$cap/hostlist" "$cap/ssh-out"
if [ -n "$PSSH" ]; then
  capture pssh pssh_run "$cap/pssh-hosts" "$cap/pssh-out"
fi

# --- measure ----------------------------------------------------------
# CPU seconds of the fake servers so far: each sshd reaps its connection
# processes (which reaped their shell and responder), so their CPU time
# adds up in the listener's cutime/cstime
fleet_cpu() {
  local p
  for p in "${FW_PIDS[@]}"; do
    sed 's/.*) //' "/proc/$p/stat"
  done | awk -v hz="$(getconf CLK_TCK)" \
      '{ t += $12 + $13 + $14 + $15 } END { printf "%.2f\n", t / hz }'
}
measure() {   # KEY CMD...: "$tmp/KEY.time" gets "wall user sys", rc kept
  local key=$1 rc c0
  shift
  echo "load before $key: $(cut -d' ' -f1-3 /proc/loadavg)"
  c0=$(fleet_cpu)
  set +e
  # GNU time runs bash running the tool's function: bash's start-up is
  # counted once per run, not per host
  "$TIME" -f "%e %U %S" -o "$tmp/$key.time" bash -c '"$@"' bash "$@" \
      >"$tmp/$key.log" 2>&1
  rc=$?
  set -e
  echo "$rc" >"$tmp/$key.rc"
  awk -v a="$c0" -v b="$(fleet_cpu)" 'BEGIN { print b - a }' >"$tmp/$key.server"
}
complete_docs() {   # DIR: how many files hold a whole document
  local d=$1 f n=0
  for f in "$d"/*; do
    case $f in *.err) continue ;; esac
    grep -q -- '-----BEGIN IRMFLEET EXPORT-----' "$f" &&
        grep -q -- '-----END IRMFLEET EXPORT-----' "$f" && n=$((n + 1))
  done
  echo "$n"
}
check_irmfleet() {   # KEY
  grep -q "^collected $hosts of $hosts hosts" "$tmp/$1.log" ||
      { cat "$tmp/$1.log"; echo "$1: not every host collected (rc $(cat "$tmp/$1.rc"))"; exit 1; }
}
check_docs() {   # KEY DIR
  local n
  n=$(complete_docs "$2")
  [ "$n" -eq "$hosts" ] || { cat "$tmp/$1.log"
      echo "$1: $n of $hosts outputs hold a whole document (rc $(cat "$tmp/$1.rc"))"; exit 1; }
}

measure commands irmfleet_run commands "$tmp/inventory.ini" "$tmp/out-commands"
check_irmfleet commands
measure script irmfleet_run script "$tmp/inventory.ini" "$tmp/out-script"
check_irmfleet script
measure openssh openssh_run "$tmp/hostlist" "$tmp/ssh-out"
check_docs openssh "$tmp/ssh-out"
keys="commands script openssh"
if [ -n "$PSSH" ]; then
  measure pssh pssh_run "$tmp/pssh-hosts" "$tmp/pssh-out"
  check_docs pssh "$tmp/pssh-out"
  keys="$keys pssh"
else
  echo "pssh baseline SKIPPED (--skip-pssh)"
fi

# --- report -----------------------------------------------------------
label() {
  case $1 in
    commands) echo "irmfleet --plan commands" ;;
    script) echo "irmfleet --plan script" ;;
    openssh) echo "xargs -P $par ssh (same script)" ;;
    pssh) echo "parallel-ssh -p $par -I (same script)" ;;
  esac
}
echo
echo "| tool | hosts | wall s | hosts/s | client CPU ms/host | fake servers' CPU ms/host |"
echo "|---|---|---|---|---|---|"
for k in $keys; do
  read -r w u s <"$tmp/$k.time"
  echo "$w $u $s" >"$tmp/$k.nums"
  awk -v l="$(label "$k")" -v n="$hosts" -v w="$w" -v u="$u" -v s="$s" \
      -v f="$(cat "$tmp/$k.server")" \
      'BEGIN { if (w < 0.01) w = 0.01
               printf "| %-36s | %5d | %7.2f | %7.2f | %6.2f | %6.1f |\n",
               l, n, w, n / w, (u + s) * 1000 / n, f * 1000 / n }'
done
# the two floors under any tool's wall time on this machine
awk -v n="$hosts" -v p="$par" -v f="$(cat "$tmp/script.server")" \
    -v c="$(nproc)" -v lat=$latency 'BEGIN {
  r = int((n + p - 1) / p)
  printf "\nfloors for the script: modelled latency %d rounds of %d hosts x 1 s = %d s;", r, p, lat * r
  printf " the fake servers'"'"' CPU on %d CPUs = %.2f s\n", c, f / c }'

wall() { cut -d' ' -f1 "$tmp/$1.nums"; }
cpu() { awk -v n="$hosts" '{ print ($2 + $3) * 1000 / n }' "$tmp/$1.nums"; }
missed=0
goal() {   # TEXT MEASURED OP BOUND UNIT
  local verdict
  if [ $latency = 0 ]; then
    verdict="not judged (no latency model)"
  elif awk -v m="$2" -v b="$4" -v op="$3" \
      'BEGIN { exit !((op == ">=") ? (m >= b) : (m <= b)) }'; then
    verdict=PASS
  else
    verdict=FAIL; missed=1
  fi
  printf '| %-58s | %8.2f%s | %s %s%s | %s |\n' "$1" "$2" "$5" "$3" "$4" "$5" "$verdict"
}
ratio() { awk -v a="$(wall "$1")" -v b="$(wall "$2")" \
    'BEGIN { if (b < 0.01) b = 0.01; print a / b }'; }
echo
echo "| goal (issue 16) | measured | goal | result |"
echo "|---|---|---|---|"
goal "wall: --plan commands / --plan script" "$(ratio commands script)" ">=" 3 x
goal "client CPU per host, --plan script" "$(cpu script)" "<=" 6 " ms"
goal "per-host latency, --plan script (wall x parallel / hosts)" \
    "$(awk -v w="$(wall script)" -v p="$par" -v n="$hosts" \
        'BEGIN { print w * (n < p ? n : p) / n }')" "<=" 2 " s"
goal "wall: OpenSSH / --plan script" "$(ratio openssh script)" ">=" 2 x
if [ -n "$PSSH" ]; then
  goal "wall: pssh / --plan script" "$(ratio pssh script)" ">=" 5 x
else
  echo "| wall: pssh / --plan script | skipped | >= 5x | not measured |"
fi
echo
printf 'client CPU per host against --plan script: OpenSSH %.1fx' \
    "$(awk -v a="$(cpu openssh)" -v b="$(cpu script)" 'BEGIN { print a / b }')"
[ -z "$PSSH" ] || printf ', pssh %.1fx' \
    "$(awk -v a="$(cpu pssh)" -v b="$(cpu script)" 'BEGIN { print a / b }')"
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ $missed = 1 ] && [ $strict = 1 ]; then
  echo "a goal was missed (--strict)"
  exit 1
fi
exit 0
