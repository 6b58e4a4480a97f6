#!/bin/bash
# ab-cpu.sh - CPU time of two irmfleet binaries on the same fleet, in one
# run: `compare --format json` and a first `audit` into a fresh database,
# best of ROUNDS, the two binaries interleaved so that a busy machine
# disturbs both alike.  For refactorings that must not cost speed
# (issue 11); the absolute benches are compare-bench.sh, audit-bench.sh
# and collect-bench.sh.
#
# usage: bench/ab-cpu.sh OLD NEW [N] [ROUNDS]   (N snapshots, default 5000)
set -eu
[ $# -ge 2 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
old=$(readlink -f "$1") new=$(readlink -f "$2") n=${3:-5000} rounds=${4:-3}
here=$(cd "$(dirname "$0")" && pwd)
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gen-fleet.py" "$tmp/fleet" "$n" --plant $((n / 200 + 1)) \
    >/dev/null
for ((r = 0; r < rounds; r++)); do
	for side in old new; do
		bin=$old
		[ $side = new ] && bin=$new
		"$TIME" -f "compare $side %U %S" -a -o "$tmp/t" "$bin" compare \
		    --format json "$tmp/fleet" >/dev/null || true
		rm -f "$tmp/h.db"
		"$TIME" -f "audit $side %U %S" -a -o "$tmp/t" "$bin" audit \
		    --db "$tmp/h.db" --format json --at 2026-01-01T00:00:00Z \
		    "$tmp/fleet" >/dev/null || true
	done
done
echo "$n snapshots, best of $rounds (user+sys seconds):"
awk '{ k = $1 " " $2; c = $3 + $4; if (!(k in b) || c < b[k]) b[k] = c }
    END { for (m in b) if (m ~ / old$/) { sub(/ old$/, "", m);
        printf "  %-8s old %.2f s  new %.2f s  new/old %.2f\n", m,
        b[m " old"], b[m " new"], b[m " new"] / b[m " old"] } }' "$tmp/t"
