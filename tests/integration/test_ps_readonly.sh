#!/bin/bash
# test_ps_readonly.sh - the PowerShell irmfleet runs on Windows servers
# changes nothing there and keeps to what Windows PowerShell 3.0 and the
# documented Windows behaviour allow (docs/remote-commands.md, "Windows
# behaviour the script relies on").  No PowerShell runs here: this reads
# the generated text (comments removed) of the export script and the
# collect script of each role set, and the decoded PowerShell of every
# -EncodedCommand of `collect --print-plan`, and fails on:
#   - a cmdlet that is not on the read-only allow-list below (any Set-,
#     New-Item, Remove-, Move-, Copy-, Start-, Stop-, Invoke-Expression
#     ...), except the export's own output file in -OutDir (its .partial
#     file and the rename) and, in the commands plan, Export-Clixml's
#     temporary file;
#   - a .NET or external-program write: RegistryKey SetValue /
#     CreateSubKey / Delete*, SetAccessControl, [IO.File]/[IO.Directory]
#     writes, reg add/delete/import, wevtutil cl/sl, sc config ...;
#   - in the scripts (which say "Windows PowerShell 3.0 or later"): 5.0
#     syntax (::new(), using namespace), 4.0 methods (.Where( .ForEach(),
#     Add-PSSnapin, -EncodedCommand, Export-Clixml, reg.exe, wevtutil,
#     [adsisearcher] (AD from a key logon has no credentials), $e.HResult
#     (protected on .NET 4.0, which PowerShell 3.0 may run on);
#   - a date formatted without a culture (.ToString('yyyy...') alone):
#     the culture's time separator and calendar would reach the document.
# Each rule is shown to catch a sample line, so an empty match cannot
# pass for a clean script.
# Usage: test_ps_readonly.sh IRMFLEET SOURCE_DIR
set -u
bin=$1
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# cmdlets that only read, convert, format or talk to the console; and the
# session ones, which change nothing on a server: Invoke-Command runs the
# same read-only per-server block in a remoting session, and a password
# logon may open the Exchange Management Shell's remote session (its
# commands run as jobs, so that a time limit holds)
read_only='^((Wait|Receive|Remove|Stop)-Job|Get-[A-Za-z]+|Test-[A-Za-z]+|Join-Path|Split-Path|Resolve-Path|Sort-Object|ForEach-Object|Where-Object|Select-Object|Select-String|Measure-Object|Group-Object|Compare-Object|Add-Member|Format-[A-Za-z]+|Out-String|Out-Null|ConvertTo-[A-Za-z]+|ConvertFrom-[A-Za-z]+|Set-StrictMode|New-Object|New-TimeSpan|Start-Sleep|Write-(Host|Progress|Verbose|Warning|Debug|Error|Output|Information)|Invoke-Command|(New|Remove|Enter|Exit|Import)-PSSession|New-PSSessionOption|Import-Module)$'
# the few writes allowed, each as the exact statement
allowed_writes=(
	# the export's own document in -OutDir: written as .partial, renamed
	'Move-Item -LiteralPath $tmp -Destination $file -Force'
	'Remove-Item -LiteralPath $tmp -Force -ErrorAction SilentlyContinue'
	# the commands plan: Export-Clixml's temporary file, removed at once
	'Export-Clixml -LiteralPath $f -Depth 2'
	'Remove-Item -LiteralPath $f -Force -EA SilentlyContinue'
	# the commands plan loads the Exchange snap-in (this session only; the
	# script plan never does)
	'Add-PSSnapin $n'
	# the commands plan's probe: one GET, nothing saved
	'Invoke-WebRequest -Uri $t -UseBasicParsing -UseDefaultCredentials -TimeoutSec 15'
)
net_writes='\.(SetValue|SetValueKind|CreateSubKey|DeleteValue|DeleteSubKey|DeleteSubKeyTree|SetAccessControl|Persist)\(|\[(System\.)?IO\.(File|Directory)\]::(Write|Append|Delete|Move|Copy|Replace|Create|Set|Encrypt|Decrypt)|\[(System\.)?Environment\]::SetEnvironmentVariable|\b(reg(\.exe)?[[:space:]]+(add|delete|import|restore|load|unload|copy)|wevtutil(\.exe)?[[:space:]]+(cl|sl|im|um|clear-log|set-log)|sc(\.exe)?[[:space:]]+(config|create|delete|stop|start)|net(\.exe)?[[:space:]]+(stop|start|user|localgroup)|schtasks|icacls|takeown|iex)\b|Invoke-Expression'
not_ps3='::new\(|^[[:space:]]*using[[:space:]]+namespace|\.Where\(|\.ForEach\(|-PipelineVariable|New-TemporaryFile|Add-PSSnapin|-EncodedCommand|Export-Clixml|\breg(\.exe)?[[:space:]]+query|wevtutil|\[adsi(searcher)?\]|\$[A-Za-z_]+\.HResult\b'
no_culture="\\.ToString\\('[^']*(yyyy|HH|mm|ss)[^']*'\\)"

# PowerShell text without <# #> blocks and # comments, CR removed,
# leading blanks trimmed (so an allowed statement matches however indented)
strip() {
	tr -d '\r' <"$1" | awk '
		/<#/ { inblock = 1 }
		inblock { if ($0 ~ /#>/) inblock = 0; next }
		{ sub(/(^|[ \t])#.*$/, ""); sub(/^[ \t]+/, ""); print }'
}

printf '%s\n' "${allowed_writes[@]}" | grep -v '^#' >"$tmp/allowed.txt"

# every Verb-Noun word of a line that is neither read-only, one of the
# script's own functions (*-Irmf*, checked as the code they are), nor on
# a line holding an allowed statement: "LINE<TAB>CMDLET<TAB>TEXT"
writes_of() {
	awk -v ro="$read_only" -v allowed="$tmp/allowed.txt" '
		BEGIN { while ((getline a < allowed) > 0) ok[a] = 1 }
		{
			s = $0
			while (match(s, /[A-Z][A-Za-z]+-[A-Z][A-Za-z]+/)) {
				c = substr(s, RSTART, RLENGTH)
				s = substr(s, RSTART + RLENGTH)
				if (c ~ /-Irmf/ || c ~ ro) continue
				hit = 0
				for (a in ok) if (index($0, a)) hit = 1
				if (!hit) printf "%d\t%s\t%s\n", NR, c, $0
			}
		}' "$1"
}

# check FILE KIND: KIND is "script" (export or collect) or "plan"
check() {
	local f=$1 kind=$2 bad=0 line cmd k n
	strip "$f" >"$tmp/s.txt"
	writes_of "$tmp/s.txt" >"$tmp/w.txt"
	while IFS=$'\t' read -r n cmd line; do
		echo "FAIL: $f:$n: '$cmd' is not read-only: $line"; bad=1
	done <"$tmp/w.txt"
	if grep -nE "$net_writes" "$tmp/s.txt" >"$tmp/m.txt"; then
		sed "s|^|FAIL: $f: writes: |" "$tmp/m.txt"; bad=1
	fi
	if [ "$kind" = script ]; then
		if grep -nE "$not_ps3" "$tmp/s.txt" >"$tmp/m.txt"; then
			sed "s|^|FAIL: $f: not for PowerShell 3.0 / not per issue 16: |" \
			    "$tmp/m.txt"; bad=1
		fi
		if grep -nE "$no_culture" "$tmp/s.txt" >"$tmp/m.txt"; then
			sed "s|^|FAIL: $f: date without a culture: |" "$tmp/m.txt"
			bad=1
		fi
	fi
	return $bad
}

roles="exchange sharepoint fci connector exchange,sharepoint,fci,connector"
n=0
for r in $roles; do
	args=()
	for x in ${r//,/ }; do args+=(--role "$x"); done
	"$bin" export-script "${args[@]}" --output "$tmp/export-$r.ps1" ||
	    { echo "FAIL: export-script $r"; fail=1; }
	"$bin" collect --plan script --print-plan "$r" >"$tmp/collect-$r.ps1" ||
	    { echo "FAIL: collect --plan script --print-plan $r"; fail=1; }
	check "$tmp/export-$r.ps1" script || fail=1
	check "$tmp/collect-$r.ps1" script || fail=1
	"$bin" collect --plan commands --print-plan "$r" >"$tmp/plan-$r.txt" ||
	    { echo "FAIL: collect --print-plan $r"; fail=1; }
	i=0
	while IFS=$'\t' read -r item command; do
		case $command in *-EncodedCommand*) ;; *) continue ;; esac
		i=$((i + 1))
		printf '%s' "${command##* }" | base64 -d |
		    iconv -f UTF-16LE -t UTF-8 >"$tmp/plan-$r-$i.ps1" ||
		    { echo "FAIL: cannot decode $item"; fail=1; }
		check "$tmp/plan-$r-$i.ps1" plan || fail=1
		n=$((n + 1))
	done <"$tmp/plan-$r.txt"
	n=$((n + 2))
done
# 10 scripts and at least one PowerShell command per role set
[ $n -ge 15 ] || { echo "FAIL: only $n PowerShell texts checked"; fail=1; }
echo "checked $n PowerShell texts"

# Each rule catches its sample (so a rule that matches nothing fails here).
sample() {   # sample NAME LINE: a script with LINE appended must fail
	{ tr -d '\r' <"$tmp/export-exchange.ps1"; printf '%s\n' "$2"; } \
	    >"$tmp/bad-$1.ps1"
	if check "$tmp/bad-$1.ps1" script >/dev/null; then
		echo "FAIL: sample $1 not caught: $2"; fail=1
	else
		echo "ok: sample $1 caught"
	fi
}
sample set-item "Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\X' -Name A -Value 1"
sample new-item "New-Item -Path C:\\x -ItemType File"
sample remove "Remove-Item -LiteralPath C:\\x"
sample service "Restart-Service MSExchangeTransport"
sample iex "Invoke-Expression \$x"
sample setvalue "\$k.SetValue('A', 1)"
sample subkey "\$hklm.CreateSubKey('SOFTWARE\\X')"
sample file "[IO.File]::WriteAllText('C:\\x', 'y')"
sample reg "reg add HKLM\\SOFTWARE\\X /v A /d 1"
sample wevtutil-cl "wevtutil cl Application"
sample new "\$e = [Text.UTF8Encoding]::new(\$false)"
sample snapin "Add-PSSnapin Microsoft.Exchange.Management.PowerShell.SnapIn"
sample where "\$a.Where({ \$_ })"
sample hresult "\$h = '{0:X8}' -f \$e.HResult"
sample culture "\$t = [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ')"
# and a comment mentioning a write verb is not code
printf '%s\n' "# never Remove-Item here" "<#" "Set-Item in a block comment" "#>" \
    >"$tmp/comment.ps1"
check "$tmp/comment.ps1" script >/dev/null ||
    { echo "FAIL: a comment was read as code"; fail=1; }

[ $fail -eq 0 ] && echo "PASS" || echo "FAILED"
exit $fail
