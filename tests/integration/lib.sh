# lib.sh - what the integration scripts that count their failures share:
# their two arguments (the irmfleet binary, the source tree), a scratch
# folder removed on exit, and the two checks (check: an exit status;
# expect_in: a text in a file), each printing "ok: NAME" or "FAIL: ...".
# The script ends with `exit $fail`.  Sourced, with the script's
# arguments, right after its `set` line:
#     . "$(dirname "$0")/lib.sh" "$@"
# (not a test itself: CMake registers only test_*.sh)
bin=$1
src=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {   # check NAME EXPECTED-RC ACTUAL-RC
	if [ "$2" != "$3" ]; then
		echo "FAIL: $1: exit $3, expected $2"; fail=1
	else
		echo "ok: $1"
	fi
}

expect_in() {   # expect_in NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then
		echo "ok: $1"
	else
		echo "FAIL: $1: '$3' not in $2:"; cat "$2"; fail=1
	fi
}
