# shellcheck shell=bash
# fakefleet.sh - the loopback fleet of fake Exchange servers that the
# collect benchmarks share (sourced by bench/collect-script-bench.sh and
# bench/collect-bench.sh).
#
# The servers are the integration tests' own fake Windows hosts
# (tests/integration/fakewin: real OpenSSH sshd on 127.0.0.1-4, every
# command answered by responder.py from per-host data written by
# mkfleet.py), so a benchmark measures the client against the same
# servers the tests check it against.  One helper per step, each working
# in the benchmark's temp dir D:
#   fb_keys D              client key D/id, host key D/hostkey,
#                          D/authorized_keys
#   fb_fleet D SRC N       N Exchange servers: D/spec ("exNNN exchange
#                          ADDR PORT" per line), D/fleet (their data),
#                          D/inventory.ini, D/known_hosts
#   fb_start_sshds D       ceil(N/16) sshds over D/spec (OpenSSH allows 16
#                          listen sockets per daemon); FW_FORCE/FW_EXTRA as
#                          for fw_start
# fw_stop_all (sshd.sh) stops them; the caller puts it in its EXIT trap.

fb_keys() {
  ssh-keygen -q -t ed25519 -N '' -f "$1/id"
  ssh-keygen -q -t ed25519 -N '' -f "$1/hostkey"
  cp "$1/id.pub" "$1/authorized_keys"
}

fb_fleet() {
  local d=$1 src=$2 n=$3 i P _n _r addr port
  mkdir -p "$d/fleet"
  read -r -a P <<<"$(fw_free_ports "$n")"
  : >"$d/spec"
  for ((i = 0; i < n; i++)); do
    printf 'ex%03d exchange 127.0.0.%d %s\n' "$i" $((i % 4 + 1)) "${P[$i]}" \
        >>"$d/spec"
  done
  "$FW_PY" "$src/tests/integration/fakewin/mkfleet.py" "$src/tests/fixtures" \
      "$d/fleet" "$d/spec" "$d/inventory.ini"
  fw_known_hosts "$d/hostkey.pub" "$d/spec" >"$d/known_hosts"
}

fb_start_sshds() {
  local d=$1 n=0 listen=() _n _r addr port
  while read -r _n _r addr port; do
    listen+=("$addr:$port")
    if [ ${#listen[@]} -eq 16 ]; then
      fw_start "b$n" "$d/hostkey" "$d/authorized_keys" "$d/fleet" \
          "${listen[@]}" || return 1
      listen=(); n=$((n + 1))
    fi
  done <"$d/spec"
  [ ${#listen[@]} -eq 0 ] ||
      fw_start "b$n" "$d/hostkey" "$d/authorized_keys" "$d/fleet" "${listen[@]}"
}
