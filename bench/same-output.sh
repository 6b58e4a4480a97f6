#!/bin/bash
# same-output.sh - do two irmfleet binaries say the same thing?
#
# A refactoring (issue 11's layers, a split file, a shared helper) must not
# change what the tool writes.  This runs an OLD and a NEW binary on the
# same inputs and compares every output byte for byte, and every exit
# status:
#   compare   text, JSON and HTML of examples/fleet, every fleet under
#             tests/fixtures/ and a generated fleet of N servers
#             (bench/gen-fleet.py, drift planted on 1 in 50);
#   audit     two audits (--at fixed times, a server's value changed in
#             between) in text and JSON, then history (text and JSON) and
#             db check, on a fresh database per binary;
#   import    every single-file export under tests/fixtures/ that the
#             tool recognises, as one server's snapshot;
#   validate  every snapshot of the fleets above.
# collect is pinned by tests/integration/test_collect*.sh (real sshd and
# fake Windows hosts), not here.
#
# usage: bench/same-output.sh OLD_BINARY NEW_BINARY [SERVERS]
#        (SERVERS: size of the generated fleet, default 2000)
# exit: 0 all the same, 1 a difference (listed), 2 usage.
set -u
[ $# -ge 2 ] || { sed -n '2,20p' "$0" >&2; exit 2; }
old=$(readlink -f "$1") new=$(readlink -f "$2") n=${3:-2000}
root=$(cd "$(dirname "$0")/.." && pwd)
for b in "$old" "$new"; do
	[ -x "$b" ] || { echo "same-output: $b: not an executable" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export IRMFLEET_SCHEMA_DIR="$root/schemas" NO_COLOR=1

diffs=0 runs=0
# run TAG ARGS...: run both binaries with ARGS (the word @OUT@ becomes a
# per-binary output file) and compare stdout, stderr, exit status and
# the output file.
run() {
	local tag=$1 side bin args a
	shift
	for side in old new; do
		bin=$old
		[ "$side" = new ] && bin=$new
		args=()
		for a in "$@"; do
			args+=("${a//@OUT@/$work/$side.out}")
		done
		(cd "$work/$side.cwd" && "$bin" "${args[@]}") \
		    >"$work/$side.stdout" 2>"$work/$side.stderr"
		echo $? >"$work/$side.rc"
		# the binary's own path and the per-binary output paths in a
		# message are not a difference
		sed -i "s#$bin#BINARY#g; s#$work/$side#WORK/SIDE#g" \
		    "$work/$side.stdout" "$work/$side.stderr"
	done
	runs=$((runs + 1))
	local f
	for f in stdout stderr rc out; do
		[ -e "$work/old.$f" ] || [ -e "$work/new.$f" ] || continue
		if ! cmp -s "$work/old.$f" "$work/new.$f"; then
			diffs=$((diffs + 1))
			echo "DIFFERENT $tag ($f):"
			diff <(head -c 200000 "$work/old.$f") \
			    <(head -c 200000 "$work/new.$f") | head -8
		fi
	done
	rm -f "$work"/old.out "$work"/new.out
}

mkdir -p "$work/old.cwd" "$work/new.cwd" "$work/fleets"
fleets=("$root/examples/fleet")
for d in "$root"/tests/fixtures/fleets/*/ "$root"/tests/fixtures/rules/; do
	ls "$d"*.xml >/dev/null 2>&1 && fleets+=("${d%/}")
done
python3 "$root/bench/gen-fleet.py" "$work/fleets/gen" "$n" \
    --plant $((n / 50 < 1 ? 1 : n / 50)) \
    >/dev/null || exit 2
fleets+=("$work/fleets/gen")

for f in "${fleets[@]}"; do
	name=${f#"$root"/}
	for fmt in text json html; do
		run "compare $fmt $name" compare --format "$fmt" \
		    --output @OUT@ "$f"
	done
	run "compare stdout $name" compare "$f"
	run "validate $name" validate "$f"
done

# audit twice, with one value changed in between, then read the history
ex=$root/examples/fleet
mkdir -p "$work/a1" "$work/a2"
cp "$ex"/*.xml "$work/a1/" && cp "$ex"/*.xml "$work/a2/"
first=$(ls "$work/a2"/*.xml | head -1)
sed -i '0,/https:/s//http:/' "$first"
for side in old new; do rm -f "$work/$side.cwd/h.db"; done
run "audit 1 text" audit --db h.db --at 2026-01-01T00:00:00Z "$work/a1"
run "audit 2 json" audit --db h.db --format json \
    --at 2026-01-02T00:00:00Z "$work/a2"
run "audit 3 text" audit --db h.db --at 2026-01-03T00:00:00Z "$work/a2"
run "history text" history --db h.db
run "history json" history --db h.db --format json
run "db check" db check --db h.db

# import every recognisable single file
while IFS= read -r -d '' f; do
	name=${f#"$root"/}
	run "import $name" import --server S1 --out @OUT@.d "$f"
	for side in old new; do
		# the import time is the clock's, not the input's
		cat "$work/$side.out.d"/*.xml 2>/dev/null |
		    sed 's#<collectedAt>[^<]*</collectedAt>#<collectedAt/>#' \
		    >"$work/$side.snap"
		rm -rf "$work/$side.out.d"
	done
	if ! cmp -s "$work/old.snap" "$work/new.snap"; then
		diffs=$((diffs + 1))
		echo "DIFFERENT import snapshot $name"
	fi
	rm -f "$work"/*.snap
done < <(find "$root/tests/fixtures" -type f \( -name '*.reg' -o \
    -name '*.txt' -o -name '*.xml' -o -name '*.csv' -o -name '*.clixml' \) \
    -not -path '*/fleets/*' -not -path '*/rules/*' -size -2M -print0 | sort -z)

echo "same-output: $runs runs, $diffs differences" \
    "(old $old, new $new, generated fleet $n servers)"
[ "$diffs" -eq 0 ]
