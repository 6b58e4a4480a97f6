#!/bin/bash
# test_collect.sh - `irmfleet collect` against real OpenSSH servers on
# loopback, each playing a Windows server (fakewin/responder.py):
#  - a fleet of 12 healthy hosts (10 Exchange on several ports and
#    127.0.0.x addresses, 2 connector nodes) with one planted drift;
#  - the faults: a host that is down, one whose host key changed, one that
#    refuses our key, one that hangs, one that dies mid-output, one that
#    answers garbage, one whose PowerShell command fails;
# every fault must be reported for its host with the right reason while
# the others are collected; then --retry-failed re-collects only the
# failed hosts.  All with the commands plan (`--plan commands`, no longer
# the default); the default one-script plan has the same faults in
# test_collect_script.sh.
# Usage: test_collect.sh IRMFLEET SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
here=$src/tests/integration
fx=$src/tests/fixtures
. "$here/fakewin/sshd.sh"

fw_test_setup

# keys: ours, a stranger's, two host keys
ssh-keygen -q -t ed25519 -N '' -C irmfleet-test -f "$tmp/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -C stranger -f "$tmp/stranger"
ssh-keygen -q -t ed25519 -N '' -C fleet-host -f "$tmp/hostkey"
ssh-keygen -q -t ed25519 -N '' -C reinstalled -f "$tmp/hostkey2"
cp "$tmp/id_ed25519.pub" "$tmp/authorized_keys"
cp "$tmp/stranger.pub" "$tmp/authorized_keys_stranger"

read -r -a P <<<"$(fw_free_ports 16)"
# (P[12], the hanging host, is added to the spec after the main run)
fleet=$tmp/fleet
mkdir -p "$fleet"
# name role address port [mode] [drift]
cat >"$tmp/spec" <<EOF
ex01 exchange 127.0.0.1 ${P[0]}
ex02 exchange 127.0.0.1 ${P[1]} normal irmtest
ex03 exchange 127.0.0.1 ${P[2]}
ex04 exchange 127.0.0.1 ${P[3]}
ex05 exchange 127.0.0.2 ${P[4]}
ex06 exchange 127.0.0.2 ${P[5]}
ex07 exchange 127.0.0.3 ${P[6]} normal drift
ex08 exchange 127.0.0.3 ${P[7]}
ex09 exchange 127.0.0.4 ${P[8]}
ex10 exchange 127.0.0.4 ${P[9]}
rms1 connector 127.0.0.5 ${P[10]}
rms2 connector 127.0.0.5 ${P[11]}
exdie exchange 127.0.0.6 ${P[13]} die
exjunk exchange 127.0.0.6 ${P[14]} garbage
exfail exchange 127.0.0.6 ${P[15]} fail-irm
EOF
read -r -a Q <<<"$(fw_free_ports 3)"
cat >>"$tmp/spec" <<EOF
exdown exchange 127.0.0.7 1
exrekey exchange 127.0.0.7 ${Q[1]}
exstranger exchange 127.0.0.7 ${Q[2]}
EOF
"$FW_PY" "$here/fakewin/mkfleet.py" "$fx" "$fleet" "$tmp/spec" "$tmp/inventory.ini"

# the hanging host: in the fleet's data, not yet in the inventory
echo "exhang exchange 127.0.0.6 ${P[12]} hang" >"$tmp/spec.hang"
"$FW_PY" "$here/fakewin/mkfleet.py" "$fx" "$fleet" "$tmp/spec.hang" \
    "$tmp/hang.ini"
listen=()
for i in $(seq 0 15); do
  addr=$(cat "$tmp/spec" "$tmp/spec.hang" |
      awk -v p="${P[$i]}" '$4 == p { print $3 }')
  listen+=("$addr:${P[$i]}")
done
fw_start fleet "$tmp/hostkey" "$tmp/authorized_keys" "$fleet" "${listen[@]}"
# exdown: port 1, which nothing listens on and no test can take (a port
# free now may be taken by another test's sshd before collect connects)
fw_start rekey "$tmp/hostkey2" "$tmp/authorized_keys" "$fleet" "127.0.0.7:${Q[1]}"
fw_start stranger "$tmp/hostkey" "$tmp/authorized_keys_stranger" "$fleet" \
    "127.0.0.7:${Q[2]}"

# known_hosts: every host with the fleet key (so exrekey's new key is a
# change); half of the entries hashed, as Debian's ssh writes them
kh=$tmp/known_hosts
: >"$kh.plain"
: >"$kh.hashed"
n=0
while read -r name role addr port rest; do
  if [ $((n % 2)) -eq 0 ]; then
    fw_known_line "$addr" "$port" "$tmp/hostkey.pub" >>"$kh.plain"
  else
    fw_known_line "$addr" "$port" "$tmp/hostkey.pub" >>"$kh.hashed"
  fi
  n=$((n + 1))
done < <(cat "$tmp/spec" "$tmp/spec.hang")
ssh-keygen -q -H -f "$kh.hashed" >/dev/null 2>&1
cat "$kh.plain" "$kh.hashed" >"$kh"
grep -q '^|1|' "$kh" || fail "known_hosts has no hashed entry"

"$bin" inventory check "$tmp/inventory.ini" >"$tmp/inv.out"
grep -q '^18 hosts, 18 with a role' "$tmp/inv.out" || fail "inventory check"

# Generous timeouts: a loaded machine may take seconds to start the
# responder; the timeout itself is tested on the hanging host alone below.
collect() {
  "$bin" collect --plan commands -i "$tmp/inventory.ini" -o "$tmp/out" --known-hosts "$kh" \
      --identity "$tmp/id_ed25519" --no-agent --parallel 32 \
      --connect-timeout 60 --command-timeout 60 "$@"
}

echo "== collect the fleet with faults"
start=$(date +%s)
set +e
collect >"$tmp/run1.out" 2>"$tmp/run1.err"
rc=$?
set -e
cat "$tmp/run1.out" "$tmp/run1.err"
[ $rc -eq 3 ] || fail "exit status $rc, expected 3 (some hosts not collected)"
[ $(( $(date +%s) - start )) -lt 40 ] || fail "collect took too long"
grep -q '^collected 12 of 18 hosts' "$tmp/run1.out" || fail "summary count"
grep -q '^not collected (6):' "$tmp/run1.out" || fail "failed count"
expect_fail() {   # host reason text
  grep -E "^  $1 +$2 " "$tmp/run1.out" | grep -qF "$3" ||
      fail "$1 should be reported as $2 ($3)"
}
expect_fail exdown connection "connect to 127.0.0.7 port 1: Connection refused"
expect_fail exrekey host-key "HOST KEY CHANGED for 127.0.0.7 port ${Q[1]}"
expect_fail exstranger auth "authentication failed for user"
expect_fail exdie connection-lost "connection lost"
expect_fail exjunk partial "parse-error"
expect_fail exfail partial "irm-config (command-failed)"

# every healthy host has a valid snapshot with its data
for h in ex01 ex02 ex03 ex04 ex05 ex06 ex07 ex08 ex09 ex10 rms1 rms2; do
  f=$tmp/out/$h.xml
  [ -f "$f" ] || fail "no snapshot for $h"
  grep -q '<error' "$f" && fail "$h has collection errors"
  grep -q '<method>ssh</method>' "$f" || fail "$h: method"
done
"$bin" validate "$tmp"/out/*.xml >/dev/null || fail "snapshots do not validate"
for h in ex01 ex02 ex03 ex04 ex05 ex06 ex07 ex08 ex09 ex10; do
  f=$tmp/out/$h.xml
  grep -qF "<fqdn>$h.contoso.com</fqdn>" "$f" || fail "$h: fqdn"
  grep -qF '<computerAccount>CONTOSO\'"${h^^}"'$</computerAccount>' "$f" ||
      fail "$h: computer account"
  grep -q 'name="InternalLicensingEnabled" type="bool"' "$f" || fail "$h: irm"
  grep -q '<file name="msdrm.dll"' "$f" || fail "$h: files"
  grep -q 'servercertification.asmx' "$f" || fail "$h: probes"
  grep -qF 'CertificationServerRedirection' "$f" || fail "$h: registry"
done
# Test-IRMConfiguration only where the inventory names a sender
grep -q '<irmTest pass="false"' "$tmp/out/ex02.xml" || fail "ex02: irm test"
grep -qF 'Failed to acquire a use license' "$tmp/out/ex02.xml" ||
    fail "ex02: irm test step"
grep -q '<irmTest' "$tmp/out/ex01.xml" && fail "ex01: irm test without sender"
grep -q '<event ' "$tmp/out/rms1.xml" || grep -q '<events' "$tmp/out/rms1.xml" ||
    fail "rms1: events"
grep -qF 'http://proxy.contoso.com:8080' "$tmp/out/rms2.xml" || fail "rms2: proxy"
# the planted drift: ex07's license redirection, and only there
drifted=$(grep -l 'data="http://rmsconnector.contoso.com"' "$tmp"/out/*.xml || true)
[ "$drifted" = "$tmp/out/ex07.xml" ] || fail "drift found in: $drifted"

# failed hosts: snapshots say so, never stale data
grep -q '<error item="host" reason="connection"' "$tmp/out/exdown.xml" ||
    fail "exdown snapshot lacks the host error"
grep -q 'reason="access-denied"' "$tmp/out/exstranger.xml" || fail "exstranger"
grep -q 'item="irm-config" reason="command-failed"' "$tmp/out/exfail.xml" ||
    fail "exfail: item error"
grep -qF 'CertificationServerRedirection' "$tmp/out/exfail.xml" ||
    fail "exfail: the other items were collected"
grep -q 'reason="connection"' "$tmp/out/exdie.xml" || fail "exdie: lost"
grep -q 'reason="parse-error"' "$tmp/out/exjunk.xml" || fail "exjunk"
# the state file lists exactly the failed hosts
state=$tmp/out/.irmfleet-collect-state
[ "$(grep -vc '^#' "$state")" -eq 6 ] || fail "state file"

echo "== a host that hangs: the command timeout"
set +e
"$bin" collect --plan commands -i "$tmp/hang.ini" -o "$tmp/outhang" --known-hosts "$kh" \
    --identity "$tmp/id_ed25519" --no-agent --connect-timeout 60 \
    --command-timeout 2 >"$tmp/hang.out" 2>&1
rc=$?
set -e
cat "$tmp/hang.out"
[ $rc -eq 3 ] || fail "hang: exit $rc"
grep -E '^  exhang +timeout ' "$tmp/hang.out" |
    grep -qF "command did not finish in time" || fail "exhang not a timeout"
grep -q 'reason="timeout"' "$tmp/outhang/exhang.xml" || fail "exhang: snapshot"

echo "== collect --compare on the healthy fleet finds the planted drift"
grep -E '^(ex(0[1-9]|10)|rms[12]) ' "$tmp/inventory.ini" >"$tmp/healthy.hosts"
{ echo "[exchange]"; grep '^ex' "$tmp/healthy.hosts"
  echo "[connector]"; grep '^rms' "$tmp/healthy.hosts"; } >"$tmp/healthy.ini"
set +e
"$bin" collect --plan commands -i "$tmp/healthy.ini" -o "$tmp/cmp" --known-hosts "$kh" \
    --identity "$tmp/id_ed25519" --no-agent --compare >"$tmp/cmp.out" 2>&1
rc=$?
"$bin" compare --format json "$tmp/cmp" >"$tmp/cmp.json"
set -e
cat "$tmp/cmp.out"
[ $rc -eq 1 ] || fail "collect --compare: exit $rc, expected 1 (findings)"
grep -q '^collected 12 of 12 hosts' "$tmp/cmp.out" || fail "compare run count"
"$FW_PY" - "$tmp/cmp.json" <<'PYEOF' || fail "compare did not find exactly the drift"
import json, sys
doc = json.load(open(sys.argv[1]))
fs = doc["findings"]
drift = [f for f in fs if f.get("kind") in ("outlier", "missing", "split")]
assert len(drift) == 1, "expected one consensus finding, got %r" % drift
text = json.dumps(drift[0]).lower()
assert "ex07" in text and "licenseserverredirection" in text, drift[0]
PYEOF
grep -qi 'ex07' "$tmp/cmp.out" || fail "collect --compare output does not name ex07"

echo "== localized Windows: an absent key told by the existence check"
# exen: English, v15\IRM absent; exde: the same on a German Windows (reg.exe
# says so in German, CP850); the unsure cases, where the German "not
# found" must not count as absent: exdeok (the check says the key is
# present), exdeomit (its answer lacks the key), exdefail (the check
# failed); exdeden: German, the check says denied.
read -r -a L <<<"$(fw_free_ports 9)"
cat >"$tmp/spec.loc" <<EOF
exl1 exchange 127.0.0.8 ${L[0]}
exl2 exchange 127.0.0.8 ${L[1]}
exl3 exchange 127.0.0.8 ${L[2]}
exen exchange 127.0.0.8 ${L[3]} normal noirm
exde exchange 127.0.0.8 ${L[4]} normal noirm lang=de
exdeok exchange 127.0.0.8 ${L[5]} normal noirm lang=de irm-present
exdeden exchange 127.0.0.8 ${L[6]} normal noirm lang=de irm-denied
exdeomit exchange 127.0.0.8 ${L[7]} normal noirm lang=de irm-omit
exdefail exchange 127.0.0.8 ${L[8]} normal noirm lang=de irm-fail
EOF
"$FW_PY" "$here/fakewin/mkfleet.py" "$fx" "$fleet" "$tmp/spec.loc" \
    "$tmp/loc-all.ini"
loc=()
: >"$tmp/kh.loc"
for i in $(seq 0 8); do
  loc+=("127.0.0.8:${L[$i]}")
  fw_known_line 127.0.0.8 "${L[$i]}" "$tmp/hostkey.pub" >>"$tmp/kh.loc"
done
fw_start loc "$tmp/hostkey" "$tmp/authorized_keys" "$fleet" "${loc[@]}"
[ "$(cat "$fleet/hosts/127.0.0.8_${L[4]}/lang")" = de ] ||
    fail "mkfleet: exde is not German"
"$bin" collect --plan commands --print-plan exchange >"$tmp/plan.txt"
[ "$(head -c 31 "$tmp/plan.txt")" = "registry-exists	powershell.exe " ] ||
    fail "--print-plan does not show the existence check first"
{ echo "[exchange]"; grep -E '^ex(l[123]|en|de) ' "$tmp/loc-all.ini"; } \
    >"$tmp/loc.ini"
set +e
"$bin" collect --plan commands -i "$tmp/loc.ini" -o "$tmp/loc" --known-hosts "$tmp/kh.loc" \
    --identity "$tmp/id_ed25519" --no-agent --connect-timeout 60 \
    --command-timeout 60 --compare >"$tmp/loc.out" 2>&1
rc=$?
"$bin" compare --format json "$tmp/loc" >"$tmp/loc.json"
set -e
cat "$tmp/loc.out"
[ $rc -eq 1 ] || fail "localized collect --compare: exit $rc, expected 1"
grep -q '^collected 5 of 5 hosts' "$tmp/loc.out" || fail "localized: count"
irm_item='item="registry:HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\ExchangeServer\v15\IRM"'
for h in exen exde; do
  grep -q '<error' "$tmp/loc/$h.xml" && fail "$h: absent key recorded as error"
  grep -qF 'LicenseServerRedirection' "$tmp/loc/$h.xml" &&
      fail "$h: has IRM data although the key is absent"
  grep -qF "<source ${irm_item/item=/file=}" "$tmp/loc/$h.xml" ||
      fail "$h: the absent key's source is not recorded"
  grep -qF '<source file="registry-exists"' "$tmp/loc/$h.xml" ||
      fail "$h: the existence check's source is not recorded"
done
# the German host gets exactly the findings of the English one
"$FW_PY" - "$tmp/loc.json" <<'PYEOF' || fail "localized: findings differ"
import json, sys
doc = json.load(open(sys.argv[1]))
def of(host):
    return sorted((f["kind"], f.get("rule") or "", f["setting"])
                  for f in doc["findings"] if f["server"].lower() == host)
en, de = of("exen"), of("exde")
assert en, "no finding for the English host without the IRM key"
assert any(k == "missing" and "licenseserverredirection" in s.lower()
           for k, r, s in en), en
assert de == en, "German %r != English %r" % (de, en)
assert not doc["not_checked"], doc["not_checked"]
assert doc["summary"]["not_checked_servers"] == 0, doc["summary"]
assert not any(f["server"].lower().startswith("exl")
               for f in doc["findings"]), "finding on a healthy host"
PYEOF
grep -qi 'exde' "$tmp/loc.out" || fail "localized: compare does not name exde"
grep -q 'not-collected' "$tmp/loc.out" && fail "localized: a key not checked"
# unsure: the check says present (or denied): never absent
{ echo "[exchange]"; grep -E '^exde(ok|den|omit|fail) ' "$tmp/loc-all.ini"; } \
    >"$tmp/loc2.ini"
set +e
# (IRMFLEET_CODEPAGE: the fleet's OEM code page, for reg.exe's messages)
IRMFLEET_CODEPAGE=850 \
"$bin" collect --plan commands -i "$tmp/loc2.ini" -o "$tmp/loc2" --known-hosts "$tmp/kh.loc" \
    --identity "$tmp/id_ed25519" --no-agent --connect-timeout 60 \
    --command-timeout 60 >"$tmp/loc2.out" 2>&1
rc=$?
set -e
cat "$tmp/loc2.out"
[ $rc -eq 3 ] || fail "present-but-failing: exit $rc, expected 3"
grep -F "<error $irm_item" "$tmp/loc2/exdeok.xml" |
    grep -q 'reason="command-failed"' ||
    fail "exdeok: a present key whose query failed must be command-failed"
grep -qF 'Registrierungsschlüssel bzw. Wert wurde nicht gefunden. (existence check: the key exists)' \
    "$tmp/loc2/exdeok.xml" || fail "exdeok: message does not say why"
[ "$(grep -c '<error ' "$tmp/loc2/exdeok.xml")" -eq 1 ] ||
    fail "exdeok: only the IRM key should have failed"
grep -qF 'nicht gefunden. (existence check: no answer for the key)' \
    "$tmp/loc2/exdeomit.xml" || fail "exdeomit: not command-failed with why"
grep -qF 'nicht gefunden. (existence check failed: exit status 1: Exception calling "OpenSubKey"' \
    "$tmp/loc2/exdefail.xml" || fail "exdefail: not command-failed with why"
for h in exdeomit exdefail; do
  grep -F "<error $irm_item" "$tmp/loc2/$h.xml" |
      grep -q 'reason="command-failed"' || fail "$h: must be command-failed"
done
[ "$(grep -c '<error ' "$tmp/loc2/exdeomit.xml")" -eq 1 ] ||
    fail "exdeomit: only the IRM key should have failed"
# without an answer every key reg.exe did not find (in German) stays
# failed: MSIPC\ServiceLocation, MSIPC\CurrentVersion, both IRM keys,
# both Setup keys (the fake host has neither); the failed check is no
# collection error of its own
[ "$(grep -c '<error ' "$tmp/loc2/exdefail.xml")" -eq 6 ] ||
    fail "exdefail: expected the 6 keys reg.exe did not find as errors"
[ "$(grep -c '<error [^>]*reason="command-failed"' "$tmp/loc2/exdefail.xml")" -eq 6 ] ||
    fail "exdefail: not all command-failed"
grep -qF 'item="registry-exists"' "$tmp/loc2/exdefail.xml" &&
    fail "exdefail: the existence check recorded as an item"
grep -F "<error $irm_item" "$tmp/loc2/exdeden.xml" |
    grep -q 'reason="access-denied"' ||
    fail "exdeden: a denied key must be access-denied"

echo "== retry only the failed hosts (exdie repaired)"
rm "$fleet/hosts/127.0.0.6_${P[13]}/mode"
touch -d '2001-01-01' "$tmp/out/ex01.xml"
set +e
collect --retry-failed >"$tmp/run2.out" 2>&1
rc=$?
set -e
cat "$tmp/run2.out"
[ $rc -eq 3 ] || fail "retry: exit $rc"
grep -q '^collected 1 of 6 hosts' "$tmp/run2.out" || fail "retry: count"
grep -qE '^  exdie ' "$tmp/run2.out" && fail "exdie still failing"
[ "$(stat -c %Y "$tmp/out/ex01.xml")" -lt 1000000000 ] ||
    fail "retry re-collected a healthy host"
grep -q '<error' "$tmp/out/exdie.xml" && fail "exdie snapshot has errors"
[ "$(grep -vc '^#' "$state")" -eq 5 ] || fail "state after retry"

echo "== unknown host keys: refused, then --accept-new"
cat >"$tmp/two.ini" <<EOF
[exchange]
ex01 ansible_host=127.0.0.1 ansible_port=${P[0]}
ex05 ansible_host=127.0.0.2 ansible_port=${P[4]}
EOF
set +e
"$bin" collect --plan commands -i "$tmp/two.ini" -o "$tmp/out2" --known-hosts "$tmp/kh2" \
    --identity "$tmp/id_ed25519" --no-agent >"$tmp/run3.out" 2>&1
rc=$?
set -e
[ $rc -eq 3 ] || fail "unknown keys: exit $rc"
grep -q 'is not known (ssh-ed25519 SHA256:' "$tmp/run3.out" || fail "unknown msg"
[ ! -s "$tmp/kh2" ] || fail "known_hosts written without --accept-new"
"$bin" collect --plan commands -i "$tmp/two.ini" -o "$tmp/out2" --known-hosts "$tmp/kh2" \
    --identity "$tmp/id_ed25519" --no-agent --accept-new >/dev/null
[ "$(wc -l <"$tmp/kh2")" -eq 2 ] || fail "accept-new did not record 2 keys"
grep -qF "[127.0.0.2]:${P[4]} ssh-ed25519 $(cut -d' ' -f2 "$tmp/hostkey.pub")" \
    "$tmp/kh2" || fail "recorded line"
ssh-keygen -F "[127.0.0.1]:${P[0]}" -f "$tmp/kh2" >/dev/null ||
    fail "OpenSSH cannot read what was recorded"
"$bin" collect --plan commands -i "$tmp/two.ini" -o "$tmp/out2" --known-hosts "$tmp/kh2" \
    --identity "$tmp/id_ed25519" --no-agent >/dev/null || fail "second run"

echo "== bounded output per command"
set +e
"$bin" collect --plan commands -i "$tmp/two.ini" -o "$tmp/outmax" --known-hosts "$tmp/kh2" \
    --identity "$tmp/id_ed25519" --no-agent --max-output 4K >"$tmp/max.out" 2>&1
rc=$?
set -e
[ $rc -eq 3 ] || fail "max-output: exit $rc"
grep -q 'item="irm-config" reason="command-failed"' "$tmp/outmax/ex01.xml" ||
    fail "max-output: irm-config should fail"
grep -qF 'output exceeds 4096 bytes' "$tmp/outmax/ex01.xml" || fail "max-output msg"
# the small outputs of the same session were still collected
grep -qF 'CertificationServerRedirection' "$tmp/outmax/ex01.xml" ||
    fail "max-output: other items lost"

echo "== progress line on a terminal"
if command -v script >/dev/null; then
  script -qec "'$bin' collect --plan commands -i '$tmp/two.ini' -o '$tmp/outp' \
      --known-hosts '$tmp/kh2' --identity '$tmp/id_ed25519' --no-agent" \
      /dev/null >"$tmp/tty.out" 2>&1 </dev/null || fail "collect on a tty"
  grep -q 'irmfleet collect: 2/2 hosts done, 0 not collected, 0 in flight, [0-9:]* elapsed, ETA 0:00' "$tmp/tty.out" ||
      fail "no progress line on a terminal"
  "$bin" collect --plan commands -i "$tmp/two.ini" -o "$tmp/outp" --known-hosts "$tmp/kh2" \
      --identity "$tmp/id_ed25519" --no-agent >"$tmp/notty.out" 2>&1
  grep -q 'in flight' "$tmp/notty.out" && fail "progress line without a terminal"
else
  echo "SKIP progress line: script(1) not installed"
fi

echo "== ssh-agent authentication"
eval "$(ssh-agent -s)" >/dev/null
trap 'kill $SSH_AGENT_PID 2>/dev/null; fw_test_cleanup' EXIT
ssh-add -q "$tmp/id_ed25519" 2>/dev/null
HOME=$tmp/nohome "$bin" collect --plan commands -i "$tmp/two.ini" -o "$tmp/out3" \
    --known-hosts "$tmp/kh2" >"$tmp/run4.out" 2>&1 || {
  cat "$tmp/run4.out"; fail "agent authentication"; }

echo "== passphrase-protected key, passphrase from the environment"
ssh-keygen -q -t ed25519 -N 'correct horse' -f "$tmp/id_pass"
cat "$tmp/id_pass.pub" >>"$tmp/authorized_keys"
IRMFLEET_SSH_PASSPHRASE='correct horse' "$bin" collect --plan commands -i "$tmp/two.ini" \
    -o "$tmp/out4" --known-hosts "$tmp/kh2" --identity "$tmp/id_pass" \
    --no-agent >"$tmp/run5.out" 2>&1 </dev/null || {
  cat "$tmp/run5.out"; fail "encrypted key"; }
grep -rq 'correct horse' "$tmp/out4" && fail "passphrase leaked into output"
set +e
"$bin" collect --plan commands -i "$tmp/two.ini" -o "$tmp/out4" --known-hosts "$tmp/kh2" \
    --identity "$tmp/id_pass" --no-agent </dev/null >"$tmp/run6.out" 2>&1
rc=$?
set -e
[ $rc -eq 2 ] || [ $rc -eq 3 ] || fail "no passphrase: exit $rc"

echo "== usage errors"
set +e
"$bin" collect --plan commands -i "$tmp/nope.ini" -o "$tmp/out" >/dev/null 2>&1
[ $? -eq 2 ] || fail "missing inventory should be a usage error"
printf '[exchange\n' >"$tmp/bad.ini"
"$bin" collect --plan commands -i "$tmp/bad.ini" -o "$tmp/out" 2>"$tmp/bad.err"
[ $? -eq 2 ] || fail "bad inventory exit"
grep -q 'bad.ini:1:' "$tmp/bad.err" || fail "bad inventory message"
# a bad value is named with its option, whichever way it is given
for arg in "--connect-timeout -1" "--connect-timeout=-1"; do
	# shellcheck disable=SC2086
	"$bin" collect --plan commands -i "$tmp/two.ini" -o "$tmp/out" $arg 2>"$tmp/opt.err"
	[ $? -eq 2 ] || fail "$arg: exit"
	grep -q "^irmfleet collect: --connect-timeout: '-1' is not a number" \
	    "$tmp/opt.err" || { cat "$tmp/opt.err"; fail "$arg: message"; }
done
# a user name with a control character (a pasted newline) is refused
"$bin" collect --plan commands -i "$tmp/two.ini" -o "$tmp/out" --user "$(printf 'irm\naudit')" \
    2>"$tmp/user.err"
[ $? -eq 2 ] || fail "--user with a newline: exit"
grep -q 'control character 0x0a in the user name' "$tmp/user.err" ||
    fail "--user with a newline: message"
"$bin" audit --inventory "$tmp/two.ini" --out "$tmp/out" \
    --user "$(printf 'irm\taudit')" 2>"$tmp/user.err"
[ $? -eq 2 ] || fail "audit --user with a tab: exit"
grep -q 'control character 0x09' "$tmp/user.err" || fail "audit --user message"
set -e
echo "test_collect: ok"
