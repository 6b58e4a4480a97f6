#!/bin/bash
# test_ps_grammar.sh - every PowerShell script irmfleet generates parses
# with a real PowerShell grammar (tree-sitter-powershell) and uses nothing
# newer than Windows PowerShell 5.1 (tests/ps/check-grammar.mjs): the
# export script for each role and for all roles, the script `collect
# --plan script` sends for the same role sets, and every PowerShell
# command of `collect --print-plan`.  A broken script and each newer
# construct must make the check fail.  node and the npm packages are
# required (.ci/install-deps installs them into $IRMFLEET_NODE_MODULES,
# default ~/.cache/irmfleet-node): without them this test FAILS.
# Usage: test_ps_grammar.sh IRMFLEET SOURCE_DIR
set -u
bin=$1
src=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export IRMFLEET_NODE_MODULES=${IRMFLEET_NODE_MODULES:-$HOME/.cache/irmfleet-node}
# --liftoff-only: V8 would otherwise optimise the grammar's 1 MB of
# WebAssembly in the background and hold the exit for minutes of CPU
node_run() { node --liftoff-only "$src/tests/ps/check-grammar.mjs" "$@"; }

if ! command -v node >/dev/null; then
	echo "FAIL: node is not installed (run .ci/install-deps)"; exit 1
fi
for p in web-tree-sitter tree-sitter-powershell; do
	if [ ! -d "$IRMFLEET_NODE_MODULES/node_modules/$p" ]; then
		echo "FAIL: npm package $p missing in $IRMFLEET_NODE_MODULES" \
		    "(run .ci/install-deps)"; exit 1
	fi
done

roles="exchange sharepoint fci connector exchange,sharepoint,fci,connector"
scripts=() plans=()
for r in $roles; do
	args=()
	for x in ${r//,/ }; do args+=(--role "$x"); done
	"$bin" export-script "${args[@]}" --output "$tmp/export-$r.ps1" ||
	    { echo "FAIL: export-script $r"; fail=1; }
	"$bin" collect --plan commands --print-plan "$r" >"$tmp/plan-$r.txt" ||
	    { echo "FAIL: collect --print-plan $r"; fail=1; }
	# the one-script plan: two comment lines, then the script sent
	"$bin" collect --plan script --print-plan "$r" \
	    >"$tmp/collect-$r.ps1" ||
	    { echo "FAIL: collect --plan script --print-plan $r"; fail=1; }
	# the script of the host that reads the organisation (password)
	"$bin" collect --plan script --password-auth --print-plan "$r" \
	    >"$tmp/reader-$r.ps1" &&
	    grep -qF '$Organisation = [switch]$true' "$tmp/reader-$r.ps1" ||
	    { echo "FAIL: collect --plan script --password-auth --print-plan $r"; fail=1; }
	scripts+=("$tmp/export-$r.ps1" "$tmp/collect-$r.ps1" "$tmp/reader-$r.ps1")
	plans+=("$tmp/plan-$r.txt")
done

node_run "${scripts[@]}" --plan "${plans[@]}" >"$tmp/good.out" 2>&1
rc=$?
cat "$tmp/good.out"
if [ $rc -ne 0 ]; then
	echo "FAIL: a generated script does not pass the grammar checks"; fail=1
elif ! grep -q "^check-grammar: [0-9]* scripts parsed, 0 failed" \
    "$tmp/good.out"; then
	echo "FAIL: no summary from the checker"; fail=1
else
	echo "ok: generated scripts parse as Windows PowerShell 5.1"
fi
n=$(sed -n 's/^check-grammar: \([0-9]*\) scripts.*/\1/p' "$tmp/good.out")
# 5 export scripts, 5 collect scripts, 5 reader scripts + the plans'
# PowerShell commands (at least 2 each)
[ "${n:-0}" -ge 25 ] || { echo "FAIL: only ${n:-0} scripts checked"; fail=1; }

# Each broken variant of the exchange script must fail, with its reason.
# (LF line ends, so that the edits below can anchor at line ends)
good="$tmp/good.ps1"
tr -d '\r' <"$tmp/export-exchange.ps1" >"$good"
bad() {   # bad NAME EXPECTED-TEXT SED-EXPRESSION
	sed "$3" "$good" >"$tmp/bad-$1.ps1"
	cmp -s "$good" "$tmp/bad-$1.ps1" &&
	    { echo "FAIL: the $1 edit changed nothing"; fail=1; }
	names+=("$1") want+=("$2")
}
names=() want=()
bad brace "missing }" '0,/^function Test-IrmfHost {$/s//function Test-IrmfHost {{/'
bad coalesce "syntax error" '0,/^\$plan = /s//$plan = $null ?? /'
bad ternary "syntax error" '0,/^\$names = \$targets$/s//$names = $x ? $targets : 1/'
bad chain "pipeline chain" '0,/^Test-IrmfHost$/s//Test-IrmfHost \&\& Test-IrmfHost/'
bad parallel "-Parallel" '0,/^Test-IrmfHost$/s//1..2 | ForEach-Object -Parallel { $_ }/'
bad class "class definitions" '0,/^Test-IrmfHost$/s//class Irmf { [int]$a }/'
bad enum "enum definitions" '0,/^Test-IrmfHost$/s//enum Irmf { A }/'
bad nullcond "syntax error" '0,/^\$targets = @(Get-IrmfTargets)$/s//$targets = $plan?.Roles/'
files=()
for n in "${names[@]}"; do files+=("$tmp/bad-$n.ps1"); done
node_run "${files[@]}" >"$tmp/bad.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: broken scripts gave exit $rc, not 1"; fail=1; }
for i in "${!names[@]}"; do
	if grep "bad-${names[$i]}.ps1" "$tmp/bad.out" | grep -qF -- "${want[$i]}"; then
		echo "ok: broken script (${names[$i]}) rejected"
	else
		echo "FAIL: broken script (${names[$i]}) not rejected for" \
		    "'${want[$i]}'"; fail=1
	fi
done
grep -q "scripts parsed, ${#names[@]} failed" "$tmp/bad.out" ||
    { echo "FAIL: not every broken script failed"; cat "$tmp/bad.out"; fail=1; }

# A plan listing without any PowerShell command is an error too.
printf 'x\treg query "HKLM\\SOFTWARE"\n' >"$tmp/noplan.txt"
node_run --plan "$tmp/noplan.txt" >/dev/null 2>&1
[ $? -eq 1 ] || { echo "FAIL: plan listing without PowerShell accepted"; fail=1; }

[ $fail -eq 0 ] && echo "PASS" || echo "FAILED"
exit $fail
