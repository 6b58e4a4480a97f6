# sshd.sh - start and stop loopback OpenSSH servers playing Windows hosts
# for the collect tests (sourced by tests/integration/test_collect*.sh).
#
# Each server gets its own config, host key and authorized_keys in the
# test's temp dir, runs in the foreground (-D) in the background of the
# test shell, and answers every command through responder.py
# (ForceCommand with an absolute interpreter path; SetEnv SHLVL=1 keeps
# bash from sourcing the account's ~/.bashrc, see below).  fw_stop_all kills every
# server started; the tests call it from an EXIT trap.
#
# FW_PASSWORD, if set, makes the server also take that password for the
# test's own user, checked by sshd itself (UsePAM no: crypt() against the
# shadow entry), and say which method logged a session on (ExposeAuthInfo:
# the responder reads $SSH_USER_AUTH).  No system password is set: sshd
# runs in a mount namespace of its own (unshare -m) where a copy of
# /etc/shadow with that password's hash for the user is bind-mounted over
# /etc/shadow; nothing outside that sshd sees it.  It needs root (as sshd
# does to log users on); where that is not possible it fails loudly.

FW_PIDS=()
FW_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FW_SSHD=/usr/sbin/sshd
# the system interpreter: a version-manager shim would add its own
# start-up cost to every remote command
FW_PY=/usr/bin/python3
[ -x "$FW_PY" ] || FW_PY=$(command -v python3)

# fw_test_setup: the collect tests' common start: $tmp, a scratch folder
# removed, and every server stopped, when the test exits (fw_test_cleanup,
# the EXIT trap; KEEP=1 keeps the folder and says where), and `fail MSG`,
# which stops the test.
fw_test_setup() {
  tmp=$(mktemp -d)
  trap fw_test_cleanup EXIT
  fail() { echo "FAIL: $*"; exit 1; }
}

fw_test_cleanup() {
  fw_stop_all
  if [ -n "${KEEP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}

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
    # sshd takes the first value of a keyword: these win over the below
    if [ -n "${FW_PASSWORD:-}" ]; then
      echo "PasswordAuthentication yes"
      echo "PermitRootLogin yes"
      echo "ExposeAuthInfo yes"
    fi
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
  if [ -n "${FW_PASSWORD:-}" ]; then
    fw_shadow "$dir/shadow" || return 1
    # unshare execs sh, which execs sshd: one pid to stop
    unshare -m sh -c 'mount --bind "$1" /etc/shadow && shift && exec "$@"' \
        sh "$dir/shadow" "$FW_SSHD" -D -e -f "$conf" 2>>"$dir/log" &
  else
    "$FW_SSHD" -D -e -f "$conf" 2>>"$dir/log" &
  fi
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

# fw_shadow FILE: /etc/shadow with FW_PASSWORD's hash (SHA-512 crypt) for
# the user running the test, for fw_start's private mount namespace.
fw_shadow() {
  local user hash
  user=$(id -un)
  if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
    echo "FW_PASSWORD: a server checking a password needs root and" \
        "unshare -m (mount namespaces); not available here"
    return 1
  fi
  hash=$(printf '%s\n' "$FW_PASSWORD" | openssl passwd -6 -stdin) || return 1
  awk -F: -v OFS=: -v u="$user" -v h="$hash" '
      $1 == u { $2 = h; $3 = ""; $5 = ""; $8 = ""; seen = 1 } { print }
      END { if (!seen) print u ":" h "::0:::::" }' /etc/shadow >"$1" &&
  chmod 600 "$1"
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

# fw_known_hosts PUBKEY SPEC...: the known_hosts lines of every host of
# the fleet spec files (NAME ROLE ADDR PORT ...), all with PUBKEY.
fw_known_hosts() {
  local key=$1 _n _r addr port _rest
  shift
  cat "$@" | while read -r _n _r addr port _rest; do
    fw_known_line "$addr" "$port" "$key"
  done
}
