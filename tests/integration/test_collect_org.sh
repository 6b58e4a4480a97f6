#!/bin/bash
# test_collect_org.sh - `irmfleet collect --plan script --password-auth`:
# the organisation-wide Exchange objects (Get-IRMConfiguration, the
# server's Get-ExchangeServer entry) read once per run, from one Exchange
# server logged on by password (docs/remote-commands.md), against real
# OpenSSH servers on loopback playing Windows (fakewin/responder.py) that
# check a real password (sshd.sh FW_PASSWORD) and tell the responder the
# method that logged the session on (ExposeAuthInfo, $SSH_USER_AUTH):
#  - the first Exchange host in inventory order cannot be reached: the
#    next one reads the organisation, by password although a key would
#    also log it on; every other Exchange host records "collected once per
#    run from" it; compare runs the irm-* rules on what was read;
#  - a wrong password: that host's items are failed with the reason, the
#    host itself is collected over its key, nobody else tries;
#  - the reader's endpoint refuses: its items fail, nobody else tries;
#  - under a key logon nothing changes (the note, every item skipped).
# Usage: test_collect_org.sh IRMFLEET SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
here=$src/tests/integration
fx=$src/tests/fixtures
. "$here/fakewin/sshd.sh"

fw_test_setup

ssh-keygen -q -t ed25519 -N '' -C irmfleet-test -f "$tmp/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -C fleet-host -f "$tmp/hostkey"
cp "$tmp/id_ed25519.pub" "$tmp/authorized_keys"

read -r -a P <<<"$(fw_free_ports 6)"
fleet=$tmp/fleet
mkdir -p "$fleet"
# exdown first: port 1, which nothing listens on (test_collect_script.sh)
cat >"$tmp/spec" <<EOF
rms1 connector 127.0.0.3 ${P[0]}
exdown exchange 127.0.0.5 1
ex02 exchange 127.0.0.1 ${P[1]} normal irm-off
ex03 exchange 127.0.0.1 ${P[2]}
ex04 exchange 127.0.0.2 ${P[3]}
EOF
cat >"$tmp/spec.orgfail" <<EOF
ex05 exchange 127.0.0.2 ${P[4]} normal org-fail
ex06 exchange 127.0.0.2 ${P[5]}
EOF
"$FW_PY" "$here/fakewin/mkfleet.py" "$fx" "$fleet" "$tmp/spec" "$tmp/fleet.ini"
"$FW_PY" "$here/fakewin/mkfleet.py" "$fx" "$fleet" "$tmp/spec.orgfail" \
    "$tmp/orgfail.ini"
touch "$fleet/keep-docs"   # the responder keeps each document it sends

listen=("127.0.0.3:${P[0]}" "127.0.0.1:${P[1]}" "127.0.0.1:${P[2]}"
        "127.0.0.2:${P[3]}" "127.0.0.2:${P[4]}" "127.0.0.2:${P[5]}")
FW_PASSWORD=Winter-2026 fw_start fleet "$tmp/hostkey" \
    "$tmp/authorized_keys" "$fleet" "${listen[@]}"
grep -qx 'PasswordAuthentication yes' "$fleet/sshd-fleet/sshd_config" ||
    fail "the test server does not take passwords"
kh=$tmp/known_hosts
fw_known_hosts "$tmp/hostkey.pub" "$tmp/spec" "$tmp/spec.orgfail" >"$kh"

collect() {   # INVENTORY OUT [options]
  local inv=$1 out=$2
  shift 2
  set +e
  "$bin" collect -i "$inv" -o "$out" --known-hosts "$kh" \
      --identity "$tmp/id_ed25519" --no-agent --parallel 8 \
      --connect-timeout 60 --command-timeout 60 --plan script "$@" \
      >"$out.out" 2>&1
  rc=$?
  set -e
  cat "$out.out"
}
doc() {   # HOST: the export document the fake host sent last
  local d
  d=$(grep -lx "$1" "$fleet"/hosts/*/name)
  cat "$(dirname "$d")/export.irmfleet.xml"
}
org_item() {   # HOST ID: the item element of the organisation item ID
  doc "$1" | grep -o "<item id=\"$2\"[^>]*>\\(<error [^>]*>\\)\\?"
}
rules() {   # DIR: the rules of compare's findings, one a line
  set +e
  "$bin" compare --format json "$1" >"$1.json"
  set -e
  "$FW_PY" -c 'import json, sys
r = json.load(open(sys.argv[1]))
print("\n".join(sorted({f.get("rule") or "" for f in r.get("findings", [])})))' \
      "$1.json"
}

echo "== a password: the first reachable Exchange host reads the organisation"
IRMFLEET_SSH_PASSWORD=Winter-2026 collect "$tmp/fleet.ini" "$tmp/pw" \
    --password-auth
[ $rc -eq 3 ] || fail "exit $rc (exdown is down: 3)"
grep -qE '^  exdown +connection ' "$tmp/pw.out" || fail "exdown not reported"
grep -q 'not collected for the organisation' "$tmp/pw.out" &&
    fail "organisation note although ex02 read it"
grep -q 'Get-IRMConfiguration' "$tmp/pw/ex02.xml" 2>/dev/null ||
    grep -q '<irmConfiguration' "$tmp/pw/ex02.xml" ||
    fail "ex02: no IRM configuration"
grep -q '<error' "$tmp/pw/ex02.xml" && fail "ex02 has collection errors"
for h in ex03 ex04 rms1; do
  grep -q '<irmConfiguration' "$tmp/pw/$h.xml" &&
      fail "$h: the organisation was read again"
done
# exactly one Exchange snapshot holds it
[ "$(grep -l '<irmConfiguration' "$tmp"/pw/*.xml | wc -l)" -eq 1 ] ||
    fail "IRM configuration in more than one snapshot"
for id in irm-config exchange-server; do
  org_item ex02 "$id" | grep -q 'status="ok"' || fail "ex02 $id not ok"
  for h in ex03 ex04; do
    org_item "$h" "$id" | grep -q 'status="skipped".*message="collected once per run from ex02"' ||
        fail "$h $id: $(org_item "$h" "$id")"
    # and the snapshot keeps it as not collected, with the reason
    grep -A1 "<skip item=\"$id\">" "$tmp/pw/$h.xml" |
        grep -qF '<message>collected once per run from ex02' ||
        fail "$h.xml: no <skip> record of $id"
  done
done
# ex02 logged on by password (although its key would do), the others by
# their key, as sshd saw it
logon() {   # HOST: the methods of the calls the fake host answered
  local d
  d=$(dirname "$(grep -lx "$1" "$fleet"/hosts/*/name)")
  sed -n 's/.*\[logon: \(.*\)\]$/\1/p' "$d/calls.log" | sort -u
}
[ "$(logon ex02)" = password ] || fail "ex02 logon: $(logon ex02)"
for h in ex03 ex04 rms1; do
  [ "$(logon "$h")" = publickey ] || fail "$h logon: $(logon "$h")"
done
rules "$tmp/pw" >"$tmp/pw.rules"
cat "$tmp/pw.rules"
grep -qx 'irm-internal-licensing' "$tmp/pw.rules" ||
    fail "compare did not judge the IRM configuration read"

rm -f "$fleet"/hosts/*/calls.log

echo "== a key logon: nothing changes"
collect "$tmp/fleet.ini" "$tmp/key"
[ $rc -eq 3 ] || fail "key: exit $rc"
grep -q '^not collected for the organisation: Get-IRMConfiguration and Get-ExchangeServer need the export script or a password logon' \
    "$tmp/key.out" || fail "key: no organisation note"
grep -q '<irmConfiguration' "$tmp"/key/*.xml && fail "key: organisation read"
for h in ex02 ex03 ex04; do
  org_item "$h" irm-config | grep -q 'status="skipped".*message="not collected over SSH: needs the export script or a password logon"' ||
      fail "key $h: $(org_item "$h" irm-config)"
done
rules "$tmp/key" >"$tmp/key.rules"
grep -qx 'irm-internal-licensing' "$tmp/key.rules" &&
    fail "key: an IRM finding without the IRM configuration"

rm -f "$fleet"/hosts/*/calls.log

echo "== a wrong password: recorded on that host, nobody else tries"
IRMFLEET_SSH_PASSWORD=wrong collect "$tmp/fleet.ini" "$tmp/bad" \
    --password-auth
[ $rc -eq 3 ] || fail "bad: exit $rc"
grep -q '^not collected for the organisation: Get-IRMConfiguration and Get-ExchangeServer: not collected in this run: the password logon to ex02, the host chosen to read it once per run, failed' \
    "$tmp/bad.out" || fail "bad: no organisation line"
grep -qE '^  ex02 +partial .*authentication failed' "$tmp/bad.out" ||
    fail "bad: ex02 not partial with the refusal"
grep -q '<irmConfiguration' "$tmp"/bad/*.xml && fail "bad: organisation read"
grep -q 'CertificationServerRedirection' "$tmp/bad/ex02.xml" ||
    fail "bad: ex02 not collected over its key"
[ "$(logon ex02)" = publickey ] || fail "bad ex02 logon: $(logon ex02)"
org_item ex02 irm-config | grep -q 'status="failed".*errorId="PasswordLogonRefused".*authentication failed for user' ||
    fail "bad ex02: $(org_item ex02 irm-config)"
for h in ex03 ex04; do
  org_item "$h" irm-config | grep -q 'status="skipped".*message="not collected in this run: the password logon to ex02' ||
      fail "bad $h: $(org_item "$h" irm-config)"
done

echo "== the reader's endpoint refuses: its items fail, nobody else tries"
IRMFLEET_SSH_PASSWORD=Winter-2026 collect "$tmp/orgfail.ini" "$tmp/of" \
    --password-auth
[ $rc -eq 3 ] || fail "orgfail: exit $rc"
grep -qE '^  ex05 +partial .*irm-config' "$tmp/of.out" ||
    fail "orgfail: ex05 not partial"
grep -q 'not collected for the organisation' "$tmp/of.out" &&
    fail "orgfail: ex05 read it (and failed): no note"
org_item ex05 irm-config | grep -q 'status="failed".*AccessDenied,PSSessionOpenFailed' ||
    fail "orgfail ex05: $(org_item ex05 irm-config)"
org_item ex06 irm-config | grep -q 'status="skipped".*message="collected once per run from ex05"' ||
    fail "orgfail ex06: $(org_item ex06 irm-config)"
grep -q '<error' "$tmp/of/ex06.xml" && fail "orgfail: ex06 has errors"
echo "OK"
