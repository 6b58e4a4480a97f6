#!/bin/bash
# test_ssh_config.sh - `irmfleet collect -F FILE` with an OpenSSH client
# configuration, against real sshd instances on loopback (fakewin/):
#  (a) a host alias (Host ex01 -> HostName, Port, User, IdentityFile) is
#      collected with nothing but the alias in the inventory;
#  (b) a host reached only through a jump host: the target sshd runs in
#      its own network namespace, where the client cannot connect (the
#      direct attempt is shown to fail); the jump host is an sshd started
#      per connection inside that namespace by a bridge listening on
#      loopback, so only the jump's direct-tcpip reaches the target;
#      and the same through two hops (the second one an sshd inside the
#      namespace, reached through the first one's channel);
#  (c) a jump host whose key changed is refused, naming the jump;
#  (d) a ProxyCommand (unsupported) is reported and the host not
#      connected to;
# and `inventory check -F` shows where each value came from.
# Usage: test_ssh_config.sh IRMFLEET SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
here=$src/tests/integration
fx=$src/tests/fixtures
. "$here/fakewin/sshd.sh"

tmp=$(mktemp -d)
NSPID=
INNERPID=
BRIDGES=()
stop_servers() {
  for p in "${BRIDGES[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$INNERPID" ] && kill "$INNERPID" 2>/dev/null || true
  [ -n "$NSPID" ] && kill "$NSPID" 2>/dev/null || true
  fw_stop_all
}
cleanup() { stop_servers; rm -rf "$tmp"; }
cleanup_keep() { stop_servers; echo "kept $tmp"; }
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap "cleanup_keep" EXIT
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }

command -v unshare >/dev/null && command -v nsenter >/dev/null &&
    command -v ip >/dev/null ||
    fail "needs unshare, nsenter (util-linux) and ip (iproute2)"
me=$(id -un)

ssh-keygen -q -t ed25519 -N '' -C irmfleet-test -f "$tmp/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -C fleet-host -f "$tmp/hostkey"
ssh-keygen -q -t ed25519 -N '' -C jump-host -f "$tmp/jumpkey"
ssh-keygen -q -t ed25519 -N '' -C reinstalled -f "$tmp/jumpkey2"
cp "$tmp/id_ed25519.pub" "$tmp/authorized_keys"

read -r -a P <<<"$(fw_free_ports 6)"
A=${P[0]}    # ex01, reached directly as an alias
T=${P[1]}    # the target, listening only inside the namespace
J=${P[2]}    # the jump host's bridge
J2=${P[3]}   # a jump host with a changed key
J3=${P[4]}   # a second hop, listening only inside the namespace
T2=${P[5]}   # the target's second listener (extwo's data)
fleet=$tmp/fleet
mkdir -p "$fleet"
cat >"$tmp/spec" <<EOF
ex01 exchange 127.0.0.1 $A
ex02 exchange 127.0.0.1 $T
extwo exchange 127.0.0.1 $T2
EOF
"$FW_PY" "$here/fakewin/mkfleet.py" "$fx" "$fleet" "$tmp/spec" "$tmp/mk.ini"
fw_start alias "$tmp/hostkey" "$tmp/authorized_keys" "$fleet" "127.0.0.1:$A"

# the target: an sshd in a new network namespace (its own loopback)
fw_conf() {   # fw_conf HOSTKEY LISTEN EXTRA: an sshd_config on stdout
  cat <<EOF
${2:+ListenAddress $2}
HostKey $1
PidFile none
AuthorizedKeysFile $tmp/authorized_keys
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
$3
X11Forwarding no
PrintMotd no
UseDNS no
LogLevel ERROR
SetEnv SHLVL=1
EOF
}
fw_conf "$tmp/hostkey" "127.0.0.1:$T
ListenAddress 127.0.0.1:$T2" "AllowTcpForwarding no
ForceCommand $FW_PY -I -S $here/fakewin/responder.py $fleet" >"$tmp/target.conf"
mkdir -p /run/sshd
unshare -n bash -c 'ip link set lo up && exec "$0" -D -e -f "$1"' \
    /usr/sbin/sshd "$tmp/target.conf" 2>>"$tmp/target.log" &
NSPID=$!
for _ in $(seq 100); do
  nsenter -t "$NSPID" -n bash -c "exec 3<>/dev/tcp/127.0.0.1/$T" \
      2>/dev/null && break
  sleep 0.05
done
nsenter -t "$NSPID" -n bash -c "exec 3<>/dev/tcp/127.0.0.1/$T" ||
    fail "target sshd did not start: $(cat "$tmp/target.log")"

# the jump hosts: per connection, `sshd -i` inside the namespace, its
# stdin/stdout the connection accepted on the host's loopback
cat >"$tmp/bridge.py" <<'EOF'
import signal, socket, subprocess, sys
port, log, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(16)
print("ready", flush=True)
with open(log, "ab") as err:
    while True:
        c, _ = s.accept()
        subprocess.Popen(cmd, stdin=c.fileno(), stdout=c.fileno(),
                         stderr=err, close_fds=True)
        c.close()
EOF
start_jump() {   # start_jump PORT HOSTKEY
  fw_conf "$2" "" "AllowTcpForwarding yes" >"$tmp/jump-$1.conf"
  "$FW_PY" "$tmp/bridge.py" "$1" "$tmp/jump.log" nsenter -t "$NSPID" -n \
      /usr/sbin/sshd -i -e -f "$tmp/jump-$1.conf" >"$tmp/bridge-$1.out" &
  BRIDGES+=($!)
  for _ in $(seq 100); do
    grep -q ready "$tmp/bridge-$1.out" 2>/dev/null && return 0
    sleep 0.05
  done
  fail "bridge on $1 did not start"
}
start_jump "$J" "$tmp/jumpkey"
start_jump "$J2" "$tmp/jumpkey2"
fw_conf "$tmp/jumpkey" "127.0.0.1:$J3" "AllowTcpForwarding yes" \
    >"$tmp/inner.conf"
nsenter -t "$NSPID" -n /usr/sbin/sshd -D -e -f "$tmp/inner.conf" \
    2>>"$tmp/inner.log" &
INNERPID=$!
for _ in $(seq 100); do
  nsenter -t "$NSPID" -n bash -c "exec 3<>/dev/tcp/127.0.0.1/$J3" \
      2>/dev/null && break
  sleep 0.05
done

# known_hosts: the alias, the target as the jump reaches it, both jumps
# with the jump key (so the second one's new key is a change)
{
  fw_known_line 127.0.0.1 "$A" "$tmp/hostkey.pub"
  fw_known_line 127.0.0.1 "$T" "$tmp/hostkey.pub"
  fw_known_line 127.0.0.1 "$T2" "$tmp/hostkey.pub"
  fw_known_line 127.0.0.1 "$J" "$tmp/jumpkey.pub"
  fw_known_line 127.0.0.1 "$J2" "$tmp/jumpkey.pub"
  fw_known_line 127.0.0.1 "$J3" "$tmp/jumpkey.pub"
} >"$tmp/known_hosts"

mkdir -p "$tmp/home/.ssh"
cat >"$tmp/ssh_config" <<EOF
# the admin's aliases
Host ex01
  HostName 127.0.0.1
  Port $A
  User $me
  IdentityFile $tmp/id_ed25519
Host bastion bastion2
  HostName 127.0.0.1
  User $me
Host bastion
  Port $J
Host bastion2
  Port $J2
Host ex02 exdirect exrekey
  HostName 127.0.0.1
  Port $T
  User $me
Host ex02
  ProxyJump bastion
Host exrekey
  ProxyJump bastion2
Host exproxy
  HostName 127.0.0.1
  Port $A
  ProxyCommand nc %h %p
Host extwo
  HostName 127.0.0.1
  Port $T2
  ProxyJump bastion,$me@inner:$J3
Host inner
  HostName 127.0.0.1
Host *
  IdentityFile $tmp/id_ed25519
  StrictHostKeyChecking accept-new
EOF
cat >"$tmp/inv.ini" <<EOF
[exchange]
ex01
ex02
exdirect
exrekey
exproxy
extwo
EOF

echo "== inventory check shows where each value comes from"
HOME=$tmp/home "$bin" inventory check -F "$tmp/ssh_config" "$tmp/inv.ini" \
    >"$tmp/check.out" 2>&1 || { cat "$tmp/check.out"; fail "inventory check"; }
grep -Eq "^  port +$A +ssh_config $tmp/ssh_config:4\$" "$tmp/check.out" ||
    { cat "$tmp/check.out"; fail "port origin of ex01"; }
grep -Eq "^  proxyjump +bastion +ssh_config $tmp/ssh_config:19\$" \
    "$tmp/check.out" || fail "proxyjump origin of ex02"
grep -q "jump 1: 127.0.0.1 port $J as '$me' (bastion:$J)" "$tmp/check.out" ||
    fail "jump hop of ex02"
grep -q "exproxy ($tmp/ssh_config:25): ProxyCommand 'nc %h %p' is not supported" \
    "$tmp/check.out" || fail "ProxyCommand not reported by inventory check"
grep -q "StrictHostKeyChecking accept-new is not applied" "$tmp/check.out" ||
    fail "StrictHostKeyChecking weakening not reported"
ok "inventory check"

echo "== collect through the ssh configuration"
set +e
HOME=$tmp/home "$bin" collect -q -F "$tmp/ssh_config" -i "$tmp/inv.ini" \
    -o "$tmp/out" --known-hosts "$tmp/known_hosts" --no-agent \
    --connect-timeout 30 >"$tmp/run.out" 2>"$tmp/run.err"
rc=$?
set -e
cat "$tmp/run.out" "$tmp/run.err" >"$tmp/run.all"
[ $rc -eq 3 ] || { cat "$tmp/run.all"; fail "exit status $rc, want 3"; }
grep -q "collected 3 of 6 hosts" "$tmp/run.all" ||
    { cat "$tmp/run.all"; fail "want ex01, ex02 and extwo collected"; }
for h in ex01 ex02 extwo; do
  grep -Eq "^  $h " "$tmp/run.all" && fail "$h not collected"
  grep -q '<sources>' "$tmp/out/$h.xml" || fail "$h snapshot"
done
ok "(a) alias ex01 collected via HostName/Port/User/IdentityFile"
# the snapshot of ex02 holds the target's data (served by its listener)
grep -q "EX02" "$tmp/out/ex02.xml" || fail "ex02 snapshot is not the target's"
ok "(b) ex02 collected through the jump host"
ok "(b) extwo collected through two jump hosts"
grep -Eq "^  exdirect +connection .*connect to 127.0.0.1 port $T: Connection refused" \
    "$tmp/run.all" || { cat "$tmp/run.all"; fail "direct attempt not refused"; }
ok "(b) the target is not reachable directly"
grep -Eq "^  exrekey +host-key +'exrekey': jump bastion2:$J2: HOST KEY CHANGED" \
    "$tmp/run.all" || { cat "$tmp/run.all"; fail "changed jump key"; }
ok "(c) changed host key at the jump refused, naming the jump"
grep -Eq "^  exproxy +ssh-config +'exproxy': ProxyCommand \($tmp/ssh_config:25\) is not supported" \
    "$tmp/run.all" || { cat "$tmp/run.all"; fail "ProxyCommand"; }
grep -q "^warning: exproxy ($tmp/ssh_config:25): ProxyCommand" "$tmp/run.err" ||
    fail "ProxyCommand warning on stderr"
ok "(d) unsupported ProxyCommand reported, host not connected to"

echo "== -F none: the aliases are unknown names"
set +e
HOME=$tmp/home "$bin" collect -q -F none -i "$tmp/inv.ini" -o "$tmp/out2" \
    --known-hosts "$tmp/known_hosts" --no-agent --identity "$tmp/id_ed25519" \
    --connect-timeout 5 >"$tmp/none.out" 2>&1
rc=$?
set -e
[ $rc -eq 3 ] || { cat "$tmp/none.out"; fail "-F none: exit $rc"; }
grep -q "collected 0 of 6 hosts" "$tmp/none.out" ||
    { cat "$tmp/none.out"; fail "-F none still read the configuration"; }
ok "-F none"

echo "== a bad configuration is a usage error naming file:line"
printf 'Host x\n  Port nope\n' >"$tmp/bad_config"
set +e
"$bin" collect -F "$tmp/bad_config" -i "$tmp/inv.ini" -o "$tmp/out3" \
    >"$tmp/bad.out" 2>&1
rc=$?
set -e
[ $rc -eq 2 ] || { cat "$tmp/bad.out"; fail "bad config: exit $rc"; }
grep -q "$tmp/bad_config:2: bad port 'nope'" "$tmp/bad.out" ||
    { cat "$tmp/bad.out"; fail "bad config message"; }
ok "bad configuration"
echo "PASS"
