#!/bin/bash
# test_collect_dns.sh - name lookups: a slow or dead one stalls only its own
# host: `irmfleet collect` looks names up on helper threads, so healthy
# hosts started with it are collected within their timeouts, a lookup
# slower than --connect-timeout fails that host as a timeout, and a name
# that does not resolve fails at once; when a name's first address
# refuses, the next one is tried.  DNS is simulated by an LD_PRELOAD shim
# (fakewin/slowdns.c) around getaddrinfo.
# Usage: test_collect_dns.sh IRMFLEET SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
here=$src/tests/integration
fx=$src/tests/fixtures
. "$here/fakewin/sshd.sh"

fw_test_setup

cc -shared -fPIC -O1 -o "$tmp/slowdns.so" "$here/fakewin/slowdns.c" -ldl ||
    fail "cannot build the DNS shim"
ssh-keygen -q -t ed25519 -N '' -C irmfleet-test -f "$tmp/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -C fleet-host -f "$tmp/hostkey"
cp "$tmp/id_ed25519.pub" "$tmp/authorized_keys"

read -r -a P <<<"$(fw_free_ports 4)"
fleet=$tmp/fleet
cat >"$tmp/spec" <<EOS
ex01 exchange 127.0.0.1 ${P[0]}
exlate exchange 127.0.0.1 ${P[1]}
ex02 exchange 127.0.0.1 ${P[2]}
exmulti exchange 127.0.0.1 ${P[3]}
EOS
"$FW_PY" "$here/fakewin/mkfleet.py" "$fx" "$fleet" "$tmp/spec" "$tmp/gen.ini"
fw_start fleet "$tmp/hostkey" "$tmp/authorized_keys" "$fleet" \
    "127.0.0.1:${P[0]}" "127.0.0.1:${P[1]}" "127.0.0.1:${P[2]}" \
    "127.0.0.1:${P[3]}"

# the dead lookup comes before the healthy hosts: before the fix, the
# engine's loop sat in getaddrinfo while their deadlines passed
cat >"$tmp/inventory.ini" <<EOS
[exchange]
exdead ansible_host=exdead.dead.test ansible_port=${P[0]}
ex01 ansible_host=127.0.0.1 ansible_port=${P[0]}
exnx ansible_host=exnx.invalid ansible_port=${P[0]}
exlate ansible_host=exlate.late.test ansible_port=${P[1]}
ex02 ansible_host=127.0.0.1 ansible_port=${P[2]}
exmulti ansible_host=exmulti.multi.test ansible_port=${P[3]}
EOS
kh=$tmp/known_hosts
{
  fw_known_line 127.0.0.1 "${P[0]}" "$tmp/hostkey.pub"
  fw_known_line exlate.late.test "${P[1]}" "$tmp/hostkey.pub"
  fw_known_line 127.0.0.1 "${P[2]}" "$tmp/hostkey.pub"
  fw_known_line exmulti.multi.test "${P[3]}" "$tmp/hostkey.pub"
} >"$kh"

# an ASan build wants its runtime first; the shim only wraps getaddrinfo
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
start=$(date +%s)
set +e
LD_PRELOAD=$tmp/slowdns.so SLOWDNS_LATE_MS=1500 SLOWDNS_DEAD_MS=15000 \
    "$bin" collect -i "$tmp/inventory.ini" -o "$tmp/out" --known-hosts "$kh" \
    --identity "$tmp/id_ed25519" --no-agent --parallel 8 \
    --connect-timeout 4 --command-timeout 60 >"$tmp/run.out" 2>"$tmp/run.err"
rc=$?
set -e
took=$(( $(date +%s) - start ))
cat "$tmp/run.out" "$tmp/run.err"
[ $rc -eq 3 ] || fail "exit status $rc, expected 3"
grep -q '^collected 4 of 6 hosts' "$tmp/run.out" || fail "summary count"
grep -E '^  exdead +timeout ' "$tmp/run.out" |
    grep -qF "the name lookup of 'exdead.dead.test' did not finish within 4.0 s" ||
    fail "exdead should time out in its name lookup"
grep -E '^  exnx +connection ' "$tmp/run.out" |
    grep -qF "cannot resolve 'exnx.invalid'" ||
    fail "exnx should fail to resolve"
# exmulti's first address refuses: the second one is tried
for h in ex01 exlate ex02 exmulti; do
  f=$tmp/out/$h.xml
  [ -f "$f" ] || fail "no snapshot for $h"
  grep -q '<error' "$f" && fail "$h has collection errors"
done
# the dead lookup (15 s) is not waited for: the run ends with its timeout
[ "$took" -lt 12 ] || fail "collect took ${took}s: it waited for the dead lookup"
echo "ok: slow and dead name lookups stall only their own hosts (${took}s)"
