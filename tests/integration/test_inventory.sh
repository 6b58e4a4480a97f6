#!/bin/bash
# test_inventory.sh - `irmfleet inventory check` on the three forms of one
# inventory (examples/inventory.ini, inventory.yml with group_vars/ and
# host_vars/, and inventory.json, the output of ansible-inventory --list
# for it): the same hosts, addresses, ports, users, keys and roles; the
# winrm host reported; a YAML inventory no longer read as INI; errors
# naming file:line(:column) (collector/collect/inventory*.c).
# Usage: test_inventory.sh IRMFLEET SOURCE_DIR
set -u
bin=$1
src=$2
ex=$src/examples
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

# the host table (before the sources), sorted: the forms list hosts in
# their own order
table() { sed -n '1,/^$/p' "$1" | sed 's/ ([a-z]* inventory)$//' | sort; }

for f in ini yml json; do
	"$bin" inventory check "$ex/inventory.$f" >"$tmp/$f.out" 2>"$tmp/$f.err"
	rc=$?
	[ $rc -eq 0 ] || bad "inventory check inventory.$f: exit $rc"
	table "$tmp/$f.out" >"$tmp/$f.table"
done
grep -q '^9 hosts, 9 with a role, 1 of them not over SSH' "$tmp/yml.out" ||
    bad "yml summary: $(grep hosts, "$tmp/yml.out")"
for f in ini json; do
	if diff "$tmp/yml.table" "$tmp/$f.table" >"$tmp/diff"; then
		ok "inventory.$f resolves as inventory.yml"
	else
		bad "inventory.$f differs from inventory.yml:"; cat "$tmp/diff"
	fi
done
# group_vars/all.yml beats the inventory's vars, host_vars/ the rest
grep -q '^rms2.contoso.com  *10.0.2.12  *22 CONTOSO\\irmaudit ~/.ssh/irmfleet_rms.pem connector' \
    "$tmp/yml.out" || bad "rms2 from host_vars: $(grep ^rms2 "$tmp/yml.out")"
grep -q '^sp01.contoso.com .*CONTOSO\\spadmin ' "$tmp/ini.out" ||
    bad "a quoted INI backslash is kept"
grep -q 'user group_vars/all.yml:3' "$tmp/yml.out" ||
    bad "sources name group_vars/all.yml:3"
grep -q "warning: host 'ex05.contoso.com' is not collected: ansible_connection=winrm (inventory.ini:11).*export-script" \
    "$tmp/ini.err" || bad "winrm host message: $(cat "$tmp/ini.err")"

# the issue's report: a YAML inventory was read as INI ("bad port ''")
cat >"$tmp/inv.yml" <<'YML'
all:
  hosts:
    ex01:
      ansible_port: 2201
  children:
    exchange:
      hosts:
        ex01:
YML
"$bin" inventory check "$tmp/inv.yml" >"$tmp/out" 2>&1 ||
    bad "inv.yml: $(cat "$tmp/out")"
grep -q '^ex01  *ex01  *2201 .*exchange$' "$tmp/out" && ok "inv.yml read as YAML" ||
    bad "inv.yml: $(cat "$tmp/out")"

# an unquoted backslash on an INI host line: Ansible drops it, so does
# irmfleet, with a warning naming the line
printf '[exchange]\nex01 ansible_user=CONTOSO\\svc\n' >"$tmp/bs.ini"
"$bin" inventory check "$tmp/bs.ini" >"$tmp/out" 2>"$tmp/err"
grep -q 'CONTOSOsvc' "$tmp/out" || bad "backslash: $(cat "$tmp/out")"
grep -q "warning: bs.ini:2: the backslash before 's' is dropped" "$tmp/err" &&
    ok "dropped backslash warned" || bad "backslash warning: $(cat "$tmp/err")"

# YAML syntax errors name file:line:column; exit 2
printf 'all:\n  hosts:\n    ex01: [\n' >"$tmp/broken.yml"
"$bin" inventory check "$tmp/broken.yml" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 2 ] || bad "broken.yml: exit $rc"
grep -q 'broken.yml:4:1: ' "$tmp/out" && ok "YAML error names line:column" ||
    bad "broken.yml: $(cat "$tmp/out")"
exit $fail
