#!/bin/bash
# test_cli.sh - the command line as a whole (cli/main.c, cli/exit.c):
#  - `irmfleet help CMD` prints exactly what `irmfleet CMD --help` prints,
#    for every command of the table; -V, --version and version agree;
#  - one error prefix, "irmfleet CMD: ", for getopt's messages and the
#    library's errors alike;
#  - the one exit-code map: a missing file is 2 and an I/O error 5 in
#    compare, a schema error is 2 in import as in compare;
#  - prune --dry-run counts and changes nothing;
#  - the bash completion (completions/irmfleet) completes commands,
#    options and formats from the tool itself;
#  - collect's progress line moves before the first host finishes (hosts
#    in flight, elapsed time, ETA), and the retry hint is a full command.
# Usage: test_cli.sh IRMFLEET SOURCE_DIR
set -u
bin=$1
src=$2
fleet=$src/examples/fleet
fail=0
tmp=$(mktemp -d)
listener=
cleanup() { [ -n "$listener" ] && kill "$listener" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap "echo kept $tmp" EXIT
unset IRMFLEET_SCHEMA_DIR

bad() { echo "FAIL: $*"; fail=1; }
check() {   # check NAME EXPECTED-RC ACTUAL-RC
	if [ "$2" != "$3" ]; then bad "$1: exit $3, expected $2"; else echo "ok: $1"; fi
}

echo "== help CMD is CMD --help"
cmds=$("$bin" help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ "$(echo "$cmds" | wc -l)" -ge 12 ] || bad "help lists $(echo "$cmds" | wc -l) commands"
for c in $cmds; do
	"$bin" help "$c" >"$tmp/h1" 2>&1; r1=$?
	"$bin" "$c" --help >"$tmp/h2" 2>&1; r2=$?
	[ $r1 -eq 0 ] && [ $r2 -eq 0 ] || bad "help $c: exit $r1, $c --help: exit $r2"
	cmp -s "$tmp/h1" "$tmp/h2" || bad "help $c differs from $c --help"
	grep -q "^usage: irmfleet $c" "$tmp/h1" || bad "help $c: no usage line"
done
echo "ok: help CMD for $(echo $cmds | wc -w) commands"
"$bin" help nosuch 2>"$tmp/e"; check "help of an unknown command" 2 $?
grep -q "^irmfleet help: unknown command 'nosuch'" "$tmp/e" || bad "help nosuch: $(cat "$tmp/e")"
v=$("$bin" version)
[ "$("$bin" -V)" = "$v" ] && [ "$("$bin" --version)" = "$v" ] &&
    [[ $v == "irmfleet "[0-9]* ]] || bad "-V / --version / version: '$v'"
echo "ok: -V"

echo "== one error prefix"
"$bin" compare --bogus "$fleet" >/dev/null 2>"$tmp/e"; check "unknown option" 2 $?
grep -q "^irmfleet compare: unrecognized option '--bogus'" "$tmp/e" || bad "getopt prefix: $(head -1 "$tmp/e")"
"$bin" prune --keep 7d --db "$tmp/none.db" 2>"$tmp/e"; check "prune of a missing database" 2 $?
grep -q "^irmfleet prune: " "$tmp/e" || bad "library error prefix: $(cat "$tmp/e")"
"$bin" inventory check "$tmp/none.ini" 2>"$tmp/e"; check "inventory check of a missing file" 2 $?
grep -q "^irmfleet inventory: " "$tmp/e" || bad "inventory prefix: $(cat "$tmp/e")"

echo "== one exit-code map"
"$bin" compare "$tmp/missing.xml" >/dev/null 2>"$tmp/e"; check "compare: a missing snapshot is an input error" 2 $?
grep -q "^irmfleet compare: .*missing.xml" "$tmp/e" || bad "compare missing: $(cat "$tmp/e")"
if [ -r /proc/self/mem ]; then
	# a regular file whose read fails with EIO: a runtime failure (5),
	# no longer "usage" (2)
	"$bin" compare /proc/self/mem >/dev/null 2>"$tmp/e"; check "compare: an I/O error is a runtime failure" 5 $?
fi
mkdir -p "$tmp/badxsd"
echo '<not-a-schema/>' >"$tmp/badxsd/snapshot.xsd"
IRMFLEET_SCHEMA_DIR=$tmp/badxsd "$bin" compare "$fleet" >/dev/null 2>&1
check "compare: a schema error" 2 $?
IRMFLEET_SCHEMA_DIR=$tmp/badxsd "$bin" import --server EX01 --role exchange \
    --out "$tmp/imp" "$src/tests/fixtures/regfile/ex-v15-irm.reg" >/dev/null 2>&1
check "import: a schema error is 2 as elsewhere (was 5)" 2 $?

echo "== prune --dry-run"
# EX01's URLs go to http for a month and back: history before the cut
cp -r "$fleet" "$tmp/fleet2"
sed -i 's/https:/http:/g' "$tmp/fleet2/EX01.xml"
for at in 2026-01-01 2026-02-01 2026-03-01; do
	f=$fleet; [ $at = 2026-02-01 ] && f=$tmp/fleet2
	"$bin" audit --db "$tmp/h.db" --at ${at}T00:00:00Z "$f" >/dev/null 2>&1
done
before=$(sha256sum <"$tmp/h.db")
"$bin" prune --db "$tmp/h.db" --dry-run --keep 1d >"$tmp/dry" 2>&1; check "prune --dry-run" 0 $?
[ "$(sha256sum <"$tmp/h.db")" = "$before" ] || bad "prune --dry-run changed the database"
grep '^would prune history before .*: [0-9]* runs\?, ' "$tmp/dry" |
    grep -qv ': 0 runs, 0 sightings, 0 setting intervals, 0 snapshot contents' ||
    bad "dry run counts: $(cat "$tmp/dry")"
grep -q '^dry run: nothing changed' "$tmp/dry" || bad "dry run: no 'nothing changed'"
"$bin" prune --db "$tmp/h.db" --keep 1d >"$tmp/real" 2>&1; check "prune" 0 $?
# the cut is "now - 1d" at each run: the two runs may straddle a second
[ "$(sed 's/^would prune/pruned/; s/would be removed/removed/; s/before [^:]*T[0-9:]*Z/before T/' "$tmp/dry" | head -1)" = \
    "$(sed 's/before [^:]*T[0-9:]*Z/before T/' "$tmp/real")" ] ||
    bad "dry run and prune count differently: $(cat "$tmp/dry" "$tmp/real")"

echo "== bash completion"
mkdir -p "$tmp/path"
ln -s "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$tmp/path/irmfleet"
PATH=$tmp/path:$PATH bash -c '
. "$1/completions/irmfleet"
c() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _irmfleet; echo "${COMPREPLY[*]}"; }
[ "$(c irmfleet co)" = "collect compare" ] || { echo "commands: $(c irmfleet co)"; exit 1; }
f=" $(c irmfleet compare --format "") "
for w in text json html; do [[ $f == *" $w "* ]] || { echo "formats: $f"; exit 1; }; done
a=$(c irmfleet audit --format "")   # audit has every format compare has
[ "$a" = "text json html junit prometheus nagios" ] && [ "$a" = "$(c irmfleet compare --format "")" ] || { echo "audit formats: $a"; exit 1; }
[[ " $(c irmfleet audit --o) " == *" --output "* ]] || { echo "audit --output not completed"; exit 1; }
[ "$(c irmfleet history --format j)" = "json" ] || { echo "history formats"; exit 1; }
[ "$(c irmfleet prune --d)" = "--db --dry-run" ] || { echo "prune options: $(c irmfleet prune --d)"; exit 1; }
[ "$(c irmfleet help for)" = "forget" ] || { echo "help CMD"; exit 1; }
[ "$(c irmfleet db "")" = "check" ] || { echo "db check"; exit 1; }
' _ "$src" >"$tmp/compl" 2>&1 && echo "ok: completion" || bad "completion: $(cat "$tmp/compl")"

echo "== collect: progress before the first host finishes, full retry command"
if command -v script >/dev/null && command -v python3 >/dev/null; then
	# a host that accepts the connection and never says a word: it
	# finishes only at --connect-timeout, so every progress line before
	# that is one with no host done
	python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
conns = []
end = time.time() + 60
s.settimeout(1)
while time.time() < end:
    try: conns.append(s.accept()[0])
    except OSError: pass
' >"$tmp/port" &
	listener=$!
	for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
	port=$(cat "$tmp/port")
	printf '[exchange]\nmute ansible_host=127.0.0.1 ansible_port=%s\n' "$port" >"$tmp/inv.ini"
	mkdir -p "$tmp/home"
	script -qec "HOME='$tmp/home' '$bin' collect -i '$tmp/inv.ini' -o '$tmp/out dir' --no-agent --known-hosts '$tmp/kh' --connect-timeout 3" \
	    /dev/null </dev/null >"$tmp/tty.out" 2>&1
	tr '\r' '\n' <"$tmp/tty.out" >"$tmp/lines"
	n=$(grep '^irmfleet collect: 0/1 host done, 0 not collected, 1 in flight, [0-9:]* elapsed, ETA --' "$tmp/lines" | sed 's/ *$//' | sort -u | wc -l)
	[ "$n" -ge 2 ] || { bad "progress did not move before the first host finished ($n distinct lines)"; cat "$tmp/lines"; }
	grep -q '^irmfleet collect: 1/1 host done, 1 not collected, 0 in flight, .* ETA 0:00' "$tmp/lines" || bad "final progress line"
	hint=$(grep '^rerun only these with: ' "$tmp/lines" | sed 's/^rerun only these with: //; s/ *$//')
	[ "$hint" = "irmfleet collect -i $tmp/inv.ini -o '$tmp/out dir' --no-agent --known-hosts $tmp/kh --connect-timeout 3 --retry-failed" ] ||
	    bad "retry hint: '$hint'"
	# the hint pastes as is (run it with this binary) and retries the host
	(export HOME=$tmp/home; eval "\"$bin\"${hint#irmfleet}") >"$tmp/retry.out" 2>&1
	check "the pasted retry command" 3 $?
	grep -q '^collected 0 of 1 host ' "$tmp/retry.out" || bad "retry: $(cat "$tmp/retry.out")"
	echo "ok: progress and retry hint"
else
	bad "script(1) or python3 missing (.ci/install-deps)"
fi

exit $fail
