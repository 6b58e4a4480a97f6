#!/bin/bash
# test_collect_script.sh - `irmfleet collect --plan script` (one
# powershell.exe per host, the export script sent on its stdin) against
# real OpenSSH servers on loopback playing Windows (fakewin/responder.py):
#  - a small healthy fleet (4 Exchange servers, one drifted, and a
#    connector node) collected in the script mode gives the same findings
#    as importing the documents the same servers exported, and the same
#    registry findings as the 12-command plan;
#  - one command per host, the script arriving whole on stdin;
#  - the faults of test_collect.sh mapped onto the one command: down host,
#    changed host key, hang, connection lost mid-output, garbage, failing
#    PowerShell, each with its per-host reason;
#  - --print-plan prints the script of the mode;
#  - Get-IRMConfiguration, which a key logon cannot read, is recorded as
#    not collected and compare says so once for the organisation (exit 3).
# Usage: test_collect_script.sh IRMFLEET SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
here=$src/tests/integration
fx=$src/tests/fixtures
. "$here/fakewin/sshd.sh"

fw_test_setup

echo "== --print-plan prints the mode's script"
"$bin" collect --plan script --print-plan exchange >"$tmp/plan.txt"
head -1 "$tmp/plan.txt" | grep -qF 'powershell.exe -NoProfile -NonInteractive -Command "& ([scriptblock]::Create([Console]::In.ReadToEnd()))"' ||
    fail "print-plan: command line"
grep -qF '$Stdout = [switch]$true' "$tmp/plan.txt" || fail "print-plan: -Stdout"
grep -qF "SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM" "$tmp/plan.txt" ||
    fail "print-plan: registry key"
"$bin" collect --plan commands --print-plan exchange >"$tmp/plan-cmd.txt"
grep -q '^irm-config	powershell' "$tmp/plan-cmd.txt" ||
    fail "print-plan: commands mode unchanged"
# the script is the default plan
"$bin" collect --print-plan exchange >"$tmp/plan-default.txt"
cmp -s "$tmp/plan.txt" "$tmp/plan-default.txt" ||
    fail "print-plan: the default is not the script plan"
set +e
"$bin" collect --plan scripts --print-plan exchange 2>"$tmp/bad.err"
rc=$?
set -e
[ $rc -eq 2 ] && grep -qF "'scripts' is neither" "$tmp/bad.err" ||
    fail "--plan scripts: exit $rc"

ssh-keygen -q -t ed25519 -N '' -C irmfleet-test -f "$tmp/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -C fleet-host -f "$tmp/hostkey"
ssh-keygen -q -t ed25519 -N '' -C reinstalled -f "$tmp/hostkey2"
cp "$tmp/id_ed25519.pub" "$tmp/authorized_keys"

read -r -a P <<<"$(fw_free_ports 11)"
fleet=$tmp/fleet
mkdir -p "$fleet"
cat >"$tmp/spec" <<EOF
ex01 exchange 127.0.0.1 ${P[0]}
ex02 exchange 127.0.0.1 ${P[1]}
ex03 exchange 127.0.0.2 ${P[2]} normal drift
ex04 exchange 127.0.0.2 ${P[3]}
rms1 connector 127.0.0.3 ${P[4]}
EOF
cat >"$tmp/spec.faults" <<EOF
exdie exchange 127.0.0.4 ${P[5]} die
exjunk exchange 127.0.0.4 ${P[6]} garbage
exfail exchange 127.0.0.4 ${P[7]} fail-irm
exhang exchange 127.0.0.4 ${P[8]} hang
exrekey exchange 127.0.0.4 ${P[9]}
excut exchange 127.0.0.4 ${P[10]} cut
EOF
# exdown: port 1, which nothing listens on and no test can take (a port
# free now may be taken by another test's sshd before collect connects)
echo "exdown exchange 127.0.0.5 1" >>"$tmp/spec.faults"
"$FW_PY" "$here/fakewin/mkfleet.py" "$fx" "$fleet" "$tmp/spec" "$tmp/fleet.ini"
"$FW_PY" "$here/fakewin/mkfleet.py" "$fx" "$fleet" "$tmp/spec.faults" \
    "$tmp/faults.ini"
touch "$fleet/keep-docs"   # the responder keeps each document it sends

listen=()
for i in 0 1 2 3 4 5 6 7 8 10; do
  addr=$(cat "$tmp/spec" "$tmp/spec.faults" |
      awk -v p="${P[$i]}" '$4 == p { print $3 }')
  listen+=("$addr:${P[$i]}")
done
fw_start fleet "$tmp/hostkey" "$tmp/authorized_keys" "$fleet" "${listen[@]}"
fw_start rekey "$tmp/hostkey2" "$tmp/authorized_keys" "$fleet" \
    "127.0.0.4:${P[9]}"
kh=$tmp/known_hosts
fw_known_hosts "$tmp/hostkey.pub" "$tmp/spec" "$tmp/spec.faults" >"$kh"

collect() {   # INVENTORY OUT [options]
  local inv=$1 out=$2
  shift 2
  "$bin" collect -i "$inv" -o "$out" --known-hosts "$kh" \
      --identity "$tmp/id_ed25519" --no-agent --parallel 8 \
      --connect-timeout 60 --command-timeout 60 "$@"
}

echo "== the healthy fleet, both plans"
collect "$tmp/fleet.ini" "$tmp/cmd" --plan commands >"$tmp/cmd.out" 2>&1 ||
    { cat "$tmp/cmd.out"; fail "commands plan"; }
rm -f "$fleet"/hosts/*/calls.log
collect "$tmp/fleet.ini" "$tmp/scr" >"$tmp/scr.out" 2>&1 ||
    { cat "$tmp/scr.out"; fail "script plan"; }
cat "$tmp/scr.out"
grep -q '^collected 5 of 5 hosts' "$tmp/scr.out" || fail "script: count"
# the organisation's objects: said once, not a failed host
grep -q '^not collected for the organisation: Get-IRMConfiguration and Get-ExchangeServer need the export script or a password logon' \
    "$tmp/scr.out" || fail "script: no organisation note"
grep -q 'not collected for the organisation' "$tmp/cmd.out" &&
    fail "commands: organisation note"
# one command per host, and it is the one-script command
for d in "$fleet"/hosts/127.0.0.[123]_*; do
  [ "$(wc -l <"$d/calls.log")" -eq 1 ] || fail "$d: $(wc -l <"$d/calls.log") calls"
  grep -qF 'powershell.exe -NoProfile -NonInteractive -Command "&' \
      "$d/calls.log" || fail "$d: not the script command"
done
"$bin" validate "$tmp"/scr/*.xml >/dev/null || fail "snapshots do not validate"
grep -q '^not run: Test-IRMConfiguration' "$tmp/scr.out" &&
    fail "script: Test-IRMConfiguration note without a sender"

echo "== a host asking for Test-IRMConfiguration says it was not run"
sed 's/^\(ex04 .*\)$/\1 irmfleet_irm_test_sender=admin@contoso.com/' \
    "$tmp/fleet.ini" >"$tmp/sender.ini"
grep -q 'irmfleet_irm_test_sender' "$tmp/sender.ini" || fail "sender.ini"
collect "$tmp/sender.ini" "$tmp/sender" >"$tmp/sender.out" 2>&1 ||
    { cat "$tmp/sender.out"; fail "script plan with a sender"; }
grep -qx 'not run: Test-IRMConfiguration (irmfleet_irm_test_sender of 1 host) runs only with --plan commands' \
    "$tmp/sender.out" || { cat "$tmp/sender.out"; fail "no Test-IRMConfiguration note"; }
for h in ex01 ex02 ex03 ex04; do
  f=$tmp/scr/$h.xml
  grep -qF 'CertificationServerRedirection' "$f" || fail "$h: registry"
  grep -q '<file name="msdrm.dll"' "$f" || fail "$h: files"
  grep -qF '<computerAccount>CONTOSO\'"${h^^}"'$</computerAccount>' "$f" ||
      fail "$h: computer account"
  grep -q '<error' "$f" && fail "$h has collection errors"
  # Get-IRMConfiguration under a key logon: recorded as not collected,
  # with the script's reason (never absent, never failed)
  grep -A1 '<skip item="irm-config">' "$f" | grep -qF '<message>not collected over SSH: needs the export script or a password logon' ||
      fail "$h: irm-config not recorded as not collected"
  grep -q 'source file="export-document".*format="psdoc"' "$f" ||
      fail "$h: source"
done
grep -qF 'http://proxy.contoso.com:8080' "$tmp/scr/rms1.xml" || fail "rms1: proxy"
# both plans read the newest 1004 with its message: the accounts it lists
# become the node's derived authorization list (authorization-list.md)
for p in scr cmd; do
  grep -qF '<authorizations source="event-1004" at="2024-05-02T12:15:00Z">' \
      "$tmp/$p/rms1.xml" || fail "$p: rms1: no list derived from event 1004"
  grep -qF 'account="CONTOSO\SharePoint Farm" role="unknown"' \
      "$tmp/$p/rms1.xml" || fail "$p: rms1: derived list incomplete"
done
drifted=$(grep -l 'data="http://rmsconnector.contoso.com"' "$tmp"/scr/*.xml || true)
[ "$drifted" = "$tmp/scr/ex03.xml" ] || fail "drift found in: $drifted"

echo "== same findings as importing the exported documents"
mkdir -p "$tmp/docs"
for d in "$fleet"/hosts/127.0.0.[123]_*; do
  cp "$d/export.irmfleet.xml" "$tmp/docs/$(cat "$d/name").irmfleet.xml"
done
"$bin" import --out "$tmp/imp" "$tmp/docs" >/dev/null ||
    fail "import of the documents"
findings() {   # DIR: one line per finding, server and setting
  set +e
  "$bin" compare --format json "$1" >"$1.json"
  set -e
  "$FW_PY" - "$1.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
out = set()
for f in r.get("findings", []):
    for s in f.get("servers", []) or [f.get("server", "")]:
        name = s if isinstance(s, str) else (s or {}).get("name", "")
        out.add("%s %s %s" % (f.get("rule") or f.get("kind", ""),
                              f.get("setting", ""), name.lower()))
print("\n".join(sorted(out)))
EOF
}
findings "$tmp/scr" >"$tmp/scr.findings"
findings "$tmp/imp" >"$tmp/imp.findings"
findings "$tmp/cmd" >"$tmp/cmd.findings"
cat "$tmp/scr.findings"
[ -s "$tmp/scr.findings" ] || fail "no findings (the drift?)"
diff "$tmp/imp.findings" "$tmp/scr.findings" ||
    fail "script collect and import of the documents differ"
grep -qi 'LicenseServerRedirection.*ex03' "$tmp/scr.findings" ||
    fail "the planted drift is not found"
# the commands plan reads Get-IRMConfiguration; the script plan says once,
# for the organisation, that it did not
grep -v '^irm-config-collected ' "$tmp/scr.findings" |
    diff "$tmp/cmd.findings" - ||
    fail "the commands plan and the script plan differ"

echo "== Get-IRMConfiguration not collected: one finding, exit 3"
[ "$(grep -c '^irm-config-collected irm-config $' "$tmp/scr.findings")" -eq 1 ] ||
    fail "script plan: not one organisation finding for irm-config"
grep -q '^irm-config-collected' "$tmp/cmd.findings" &&
    fail "commands plan: irm-config reported as not collected"
set +e
"$bin" compare "$tmp/scr" >"$tmp/scr.txt"
rc=$?
set -e
[ $rc -eq 3 ] || { cat "$tmp/scr.txt"; fail "compare of the script plan: exit $rc, expected 3"; }
"$FW_PY" - "$tmp/scr.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
f = [f for f in r["findings"] if f["rule"] == "irm-config-collected"]
assert len(f) == 1, f
f = f[0]
assert f["kind"] == "not-collected" and f["server"] is None, f
assert f["cohort"] == "organization", f
want = "ex01, ex02, ex03, ex04 (4 servers: not collected over SSH: needs the export script or a password logon)"
assert f["value"].lower() == want.lower(), repr(f["value"])
for s in ("irmfleet export-script", "Exchange Management Shell",
          "irmfleet import", "--plan script --password-auth"):
    assert s in f["remediation"], s
EOF
grep -qF 'Get-IRMConfiguration' "$tmp/scr.txt" ||
    fail "text report: no word of Get-IRMConfiguration"
grep -qF 'irmfleet export-script' "$tmp/scr.txt" ||
    fail "text report: no fix"
# JUnit too (a dashboard reading only JUnit must not see a pass): a suite
# of its own, valid against the common schema
set +e
"$bin" compare --format junit "$tmp/scr" >"$tmp/scr.junit"
set -e
xmllint --noout --schema "$src/tests/fixtures/junit/junit-10.xsd" \
    "$tmp/scr.junit" 2>"$tmp/junit.err" ||
    { cat "$tmp/junit.err"; fail "junit: not valid against junit-10.xsd"; }
grep -q '<testsuite name="organization" tests="1" failures="0" errors="1"' \
    "$tmp/scr.junit" || fail "junit: no organization suite"
sed -n '/<testsuite name="organization"/,/<\/testsuite>/p' "$tmp/scr.junit" |
    grep -q '<error type="warning not-collected"' ||
    fail "junit: the organisation finding is not an error"

echo "== faults"
set +e
collect "$tmp/faults.ini" "$tmp/flt" --plan script --command-timeout 5 \
    >"$tmp/flt.out" 2>&1
rc=$?
set -e
cat "$tmp/flt.out"
[ $rc -eq 3 ] || fail "faults: exit $rc, expected 3"
grep -q '^not collected (7):' "$tmp/flt.out" || fail "faults: count"
expect_fail() {   # host reason text
  grep -E "^  $1 +$2 " "$tmp/flt.out" | grep -qF "$3" ||
      fail "$1 should be reported as $2 ($3)"
}
expect_fail exdown connection "Connection refused"
expect_fail exrekey host-key "HOST KEY CHANGED"
expect_fail exhang timeout "command did not finish in time"
expect_fail exdie connection-lost "connection lost"
expect_fail exjunk partial "parse-error"
expect_fail excut partial "incomplete export document: the output stops before the end marker"
expect_fail exfail partial "export-document (command-failed)"
grep -qF 'ConstrainedLanguage' "$tmp/flt.out" || fail "exfail: PowerShell's message"
grep -q 'reason="timeout"' "$tmp/flt/exhang.xml" || fail "exhang: snapshot"
grep -q 'item="export-document" reason="connection"' "$tmp/flt/exdie.xml" ||
    fail "exdie: snapshot"
for h in exdie excut; do
  grep -q '<key ' "$tmp/flt/$h.xml" && fail "$h: half a document was read"
done
grep -q 'item="export-document" reason="parse-error"' "$tmp/flt/excut.xml" ||
    fail "excut: snapshot"
echo "OK"
