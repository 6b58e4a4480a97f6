#!/bin/bash
# test_knownhosts_conformance.sh - irmfleet's host-key decisions against
# OpenSSH's own, on the same known_hosts files and the same real servers.
#
# Two loopback sshd's (own keys and config in a temp dir, stopped at the
# end): A with an ed25519 host key only, B with ed25519 and ECDSA keys,
# each on 127.0.0.1-3 so that patterns can tell hosts apart.  Each case is
# a known_hosts file, a host and a StrictHostKeyChecking mode; it is run
# through `ssh -o StrictHostKeyChecking=yes|accept-new` and through
# `irmfleet collect` (--accept-new for accept-new), and both must agree
# (and agree with what the case expects, so that a test where both always
# refuse cannot pass).  Under accept-new both must also agree on whether
# the key was recorded, and what irmfleet recorded must be found by
# `ssh-keygen -F`.  ssh-keygen -F must also find (or not) the host in each
# file as irmfleet decides it is known.
# Usage: test_knownhosts_conformance.sh IRMFLEET SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
here=$src/tests/integration
. "$here/fakewin/sshd.sh"

for t in ssh ssh-keygen "$FW_SSHD"; do
  command -v "$t" >/dev/null || { echo "FAIL: $t is required"; exit 1; }
done
tmp=$(mktemp -d)
cleanup() { fw_stop_all; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

ssh-keygen -q -t ed25519 -N '' -C client -f "$tmp/id"
ssh-keygen -q -t ed25519 -N '' -C hostA -f "$tmp/hkA"
ssh-keygen -q -t ed25519 -N '' -C hostB -f "$tmp/hkB"
ssh-keygen -q -t ecdsa -b 256 -N '' -C hostB-ecdsa -f "$tmp/hkB_ec"
ssh-keygen -q -t ed25519 -N '' -C impostor -f "$tmp/other"
ssh-keygen -q -t ecdsa -b 256 -N '' -C impostor-ecdsa -f "$tmp/other_ec"
cp "$tmp/id.pub" "$tmp/authorized_keys"
user=$(id -un)

read -r PA PB <<<"$(fw_free_ports 2)"
mkdir -p "$tmp/fleet"
# every command answers nothing: irmfleet gets past the host key and logs
# in (its items then fail to parse, which is not what is checked here)
export FW_FORCE=/bin/true
fw_start A "$tmp/hkA" "$tmp/authorized_keys" "$tmp/fleet" \
    "127.0.0.1:$PA" "127.0.0.2:$PA" "127.0.0.3:$PA"
FW_EXTRA="HostKey $tmp/hkB_ec" fw_start B "$tmp/hkB" "$tmp/authorized_keys" \
    "$tmp/fleet" "127.0.0.1:$PB"

key() { cut -d' ' -f1,2 "$1.pub"; }

# ssh's decision: accept (logged in), refuse (host key), or error.
ssh_decides() {   # kh host port mode
  local out rc
  set +e
  out=$(ssh -F /dev/null -o BatchMode=yes -o "StrictHostKeyChecking=$4" \
      -o "UserKnownHostsFile=$1" -o GlobalKnownHostsFile=/dev/null \
      -o HashKnownHosts=no -o CheckHostIP=no -o ConnectTimeout=30 \
      -o IdentitiesOnly=yes -o IdentityAgent=none -i "$tmp/id" \
      -p "$3" "$user@$2" true 2>&1)
  rc=$?
  set -e
  if [ $rc -eq 0 ]; then
    echo accept
  elif grep -qiE 'host key verification failed|host key for .* has changed|revoked' <<<"$out"; then
    echo refuse
  else
    echo "error: $out" | tr '\n' ' '
  fi
}

# irmfleet's decision, from its run summary.
irmfleet_decides() {   # kh host port mode
  local inv=$tmp/inv.ini out
  printf '[exchange]\nh ansible_host=%s ansible_port=%s ansible_user=%s\n' \
      "$2" "$3" "$user" >"$inv"
  rm -rf "$tmp/out"
  set +e
  out=$("$bin" collect -i "$inv" -o "$tmp/out" --known-hosts "$1" \
      --identity "$tmp/id" --no-agent --connect-timeout 30 \
      --command-timeout 30 $([ "$4" = accept-new ] && echo --accept-new) \
      2>&1)
  set -e
  if grep -qE '^  h +host-key ' <<<"$out"; then
    echo refuse
  elif grep -qE '^  h +(connection|auth|protocol) ' <<<"$out"; then
    echo "error: $out" | tr '\n' ' '
  else
    echo accept
  fi
}

n=0
# case NAME EXPECTED MODE HOST PORT < known_hosts text
case_() {
  local name=$1 want=$2 mode=$3 host=$4 port=$5 look s i
  n=$((n + 1))
  cat >"$tmp/kh.$n"
  if [ "${HASH:-}" = 1 ]; then
    ssh-keygen -q -H -f "$tmp/kh.$n" >/dev/null 2>&1
    rm -f "$tmp/kh.$n.old"
    grep -q '^|1|' "$tmp/kh.$n" || fail "$name: nothing hashed"
  fi
  cp "$tmp/kh.$n" "$tmp/kh.$n.ssh"
  cp "$tmp/kh.$n" "$tmp/kh.$n.irm"
  s=$(ssh_decides "$tmp/kh.$n.ssh" "$host" "$port" "$mode")
  i=$(irmfleet_decides "$tmp/kh.$n.irm" "$host" "$port" "$mode")
  printf '%-40s %-10s ssh=%-7s irmfleet=%-7s expected=%s\n' "$name" \
      "$mode" "$s" "$i" "$want"
  [ "$s" = "$want" ] || fail "$name: ssh decided '$s', the case expects '$want'"
  [ "$i" = "$s" ] || fail "$name: irmfleet decided '$i', ssh '$s'"
  # both recorded a key, or neither
  [ "$(wc -l <"$tmp/kh.$n.ssh")" = "$(wc -l <"$tmp/kh.$n.irm")" ] ||
      fail "$name: ssh and irmfleet disagree on recording the key"
  look="[$host]:$port"
  if [ "$(wc -l <"$tmp/kh.$n.irm")" != "$(wc -l <"$tmp/kh.$n")" ]; then
    ssh-keygen -F "$look" -f "$tmp/kh.$n.irm" >/dev/null ||
        fail "$name: ssh-keygen -F does not find what irmfleet recorded"
  fi
}

# ssh-keygen -F finds HOST in the file exactly when WANT is found
lookup_() {   # WANT FILE NAME
  local got=found
  ssh-keygen -F "$3" -f "$2" >/dev/null 2>&1 || got=absent
  [ "$got" = "$1" ] || fail "ssh-keygen -F $3 in $(basename "$2"): $got, expected $1"
}

echo "== the cases"
case_ "plain [host]:port" accept yes 127.0.0.1 "$PA" <<EOF
[127.0.0.1]:$PA $(key "$tmp/hkA")
EOF
lookup_ found "$tmp/kh.$n" "[127.0.0.1]:$PA"
HASH=1 case_ "hashed" accept yes 127.0.0.1 "$PA" <<EOF
[127.0.0.1]:$PA $(key "$tmp/hkA")
EOF
lookup_ found "$tmp/kh.$n" "[127.0.0.1]:$PA"
case_ "[host]:port of another port" refuse yes 127.0.0.1 "$PA" <<EOF
[127.0.0.1]:$PB $(key "$tmp/hkA")
EOF
lookup_ absent "$tmp/kh.$n" "[127.0.0.1]:$PA"
case_ "wildcard *" accept yes 127.0.0.2 "$PA" <<EOF
[127.0.0.*]:$PA $(key "$tmp/hkA")
EOF
case_ "wildcard ?" accept yes 127.0.0.3 "$PA" <<EOF
[127.0.0.?]:$PA $(key "$tmp/hkA")
EOF
case_ "pattern list, host not in it" refuse yes 127.0.0.3 "$PA" <<EOF
[127.0.0.1]:$PA,[127.0.0.2]:$PA $(key "$tmp/hkA")
EOF
case_ "negation" refuse yes 127.0.0.3 "$PA" <<EOF
[127.0.0.*]:$PA,![127.0.0.3]:$PA $(key "$tmp/hkA")
EOF
case_ "negation, other host" accept yes 127.0.0.2 "$PA" <<EOF
[127.0.0.*]:$PA,![127.0.0.3]:$PA $(key "$tmp/hkA")
EOF
case_ "negation under accept-new" accept accept-new 127.0.0.3 "$PA" <<EOF
[127.0.0.*]:$PA,![127.0.0.3]:$PA $(key "$tmp/other")
EOF
case_ "@revoked" refuse yes 127.0.0.1 "$PA" <<EOF
[127.0.0.1]:$PA $(key "$tmp/hkA")
@revoked * $(key "$tmp/hkA")
EOF
case_ "@revoked under accept-new" refuse accept-new 127.0.0.1 "$PA" <<EOF
@revoked * $(key "$tmp/hkA")
EOF
case_ "changed key, same type" refuse yes 127.0.0.1 "$PA" <<EOF
[127.0.0.1]:$PA $(key "$tmp/other")
EOF
case_ "changed key, same type, accept-new" refuse accept-new 127.0.0.1 "$PA" <<EOF
[127.0.0.1]:$PA $(key "$tmp/other")
EOF
case_ "known by other key type, accept-new" refuse accept-new 127.0.0.1 "$PA" <<EOF
[127.0.0.1]:$PA $(key "$tmp/other_ec")
EOF
case_ "recorded type negotiated first" accept yes 127.0.0.1 "$PB" <<EOF
[127.0.0.1]:$PB $(key "$tmp/hkB_ec")
EOF
case_ "recorded type changed (server has both)" refuse accept-new 127.0.0.1 "$PB" <<EOF
[127.0.0.1]:$PB $(key "$tmp/other_ec")
EOF
case_ "unknown host, yes" refuse yes 127.0.0.1 "$PA" </dev/null
case_ "unknown host, accept-new" accept accept-new 127.0.0.1 "$PA" </dev/null
case_ "upper-case pattern" accept yes 127.0.0.1 "$PA" <<EOF
[LOCALHOST]:1,[127.0.0.1]:$PA $(key "$tmp/hkA")
EOF
echo "$n cases: irmfleet and OpenSSH agree"
