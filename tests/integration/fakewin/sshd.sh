# sshd.sh - start and stop loopback OpenSSH servers playing Windows hosts
# for the collect tests (sourced by tests/integration/test_collect*.sh).
#
# Each server gets its own config, host key and authorized_keys in the
# test's temp dir, runs in the foreground (-D) in the background of the
# test shell, and answers every command through responder.py
# (ForceCommand with an absolute interpreter path; SetEnv SHLVL=1 keeps
# bash from sourcing the account's ~/.bashrc, see below).  fw_stop_all kills every
# server started; the tests call it from an EXIT trap.

FW_PIDS=()
FW_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FW_SSHD=/usr/sbin/sshd
# the system interpreter: a version-manager shim would add its own
# start-up cost to every remote command
FW_PY=/usr/bin/python3
[ -x "$FW_PY" ] || FW_PY=$(command -v python3)

# fw_free_ports N: print N free TCP ports on loopback.
fw_free_ports() {
  "$FW_PY" - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# fw_start NAME HOSTKEY AUTHKEYS FLEETDIR LISTEN...
# (FW_FORCE, if set, replaces the responder command; FW_EXTRA, if set, is
# added to the config, e.g. a second HostKey line.)
# LISTEN is addr:port; one server may listen on many.
fw_start() {
  local name=$1 hostkey=$2 authkeys=$3 fleet=$4
  shift 4
  local dir=$fleet/sshd-$name conf
  mkdir -p "$dir" /run/sshd
  conf=$dir/sshd_config
  {
    for l in "$@"; do echo "ListenAddress $l"; done
    echo "HostKey $hostkey"
    if [ -n "${FW_EXTRA:-}" ]; then echo "$FW_EXTRA"; fi
    echo "PidFile none"
    echo "AuthorizedKeysFile $authkeys"
    echo "UsePAM no"
    echo "StrictModes no"
    echo "PermitRootLogin prohibit-password"
    echo "PubkeyAuthentication yes"
    echo "PasswordAuthentication no"
    echo "KbdInteractiveAuthentication no"
    echo "AllowTcpForwarding no"
    echo "X11Forwarding no"
    echo "PrintMotd no"
    echo "UseDNS no"
    echo "MaxStartups 2000:30:4000"
    echo "MaxSessions 64"
    echo "LoginGraceTime 30"
    echo "LogLevel ERROR"
    # sshd runs ForceCommand through the account's shell; Debian's bash
    # sources ~/.bashrc when started by sshd as a top-level shell (its
    # SSH_SOURCE_BASHRC), which on a developer's root account may run
    # version-manager hooks (pyenv init takes a lock: seconds per command
    # under load).  bash skips that when SHLVL says it is nested.
    echo "SetEnv SHLVL=1"
    # -I -S: no site packages, no user environment: faster and hermetic
  echo "ForceCommand ${FW_FORCE:-$FW_PY -I -S $FW_HERE/responder.py $fleet}"
  } >"$conf"
  "$FW_SSHD" -D -e -f "$conf" 2>>"$dir/log" &
  FW_PIDS+=($!)
  # wait until every listener accepts connections
  local l tries
  for l in "$@"; do
    tries=0
    until (exec 3<>"/dev/tcp/${l%:*}/${l##*:}") 2>/dev/null; do
      tries=$((tries + 1))
      if [ $tries -gt 100 ]; then
        echo "sshd $name did not start on $l:"; cat "$dir/log"; return 1
      fi
      sleep 0.05
    done
  done
}

fw_stop_all() {
  local p
  for p in "${FW_PIDS[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${FW_PIDS[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  FW_PIDS=()
}

# fw_known_line ADDR PORT PUBKEYFILE: the known_hosts line for a server.
fw_known_line() {
  echo "[$1]:$2 $(cut -d' ' -f1,2 "$3")"
}
