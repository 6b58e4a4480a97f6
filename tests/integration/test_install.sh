#!/bin/bash
# test_install.sh - irmfleet installs like a tool: `cmake --install` into a
# temporary prefix and the Debian package (`cpack -G DEB`) unpacked with
# `dpkg-deb -x` into a temporary root each give a binary that, run from
# another directory with IRMFLEET_SCHEMA_DIR unset, compares the installed
# example fleet and validates it (the schema is built in: nothing points
# back to the source tree), and a manual page that man and groff -ww read
# without a warning.  The package's Depends name the Debian runtime
# libraries.
# Usage: test_install.sh IRMFLEET SOURCE_DIR
set -u
bin=$1
src=$2
build=$(cd "$(dirname "$bin")" && pwd)
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset IRMFLEET_SCHEMA_DIR

bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

# run_installed ROOT PREFIX: the installed tool, from a directory that is
# neither the source nor the build tree
run_installed() {
	local root=$1 prefix=$2 tool=$1$2/bin/irmfleet
	local fleet=$1$2/share/doc/irmfleet/examples/fleet
	mkdir -p "$tmp/elsewhere"
	(cd "$tmp/elsewhere" && "$tool" compare "$fleet") >"$tmp/cmp.out" 2>&1
	rc=$?
	# the example fleet has planted findings: exit 1, EX07's http URL
	if [ $rc -eq 1 ] && grep -q 'EX07' "$tmp/cmp.out"; then
		ok "$root: installed compare on the example fleet"
	else
		bad "$root: compare exit $rc"; cat "$tmp/cmp.out"
	fi
	(cd "$tmp/elsewhere" && "$tool" validate "$fleet"/*.xml) \
	    >"$tmp/val.out" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && ! grep -qv ': ok$' "$tmp/val.out"; then
		ok "$root: installed validate (built-in schema)"
	else
		bad "$root: validate exit $rc"; cat "$tmp/val.out"
	fi
	# the installed schema directory still overrides; a wrong one fails
	(cd "$tmp/elsewhere" && IRMFLEET_SCHEMA_DIR=$1$2/share/irmfleet/schemas \
	    "$tool" validate "$fleet/EX01.xml") >/dev/null 2>&1 ||
	    bad "$root: IRMFLEET_SCHEMA_DIR=installed schemas"
	(cd "$tmp/elsewhere" && IRMFLEET_SCHEMA_DIR=$tmp/elsewhere \
	    "$tool" validate "$fleet/EX01.xml") >"$tmp/val2.out" 2>&1
	grep -q 'snapshot.xsd' "$tmp/val2.out" ||
	    bad "$root: a wrong IRMFLEET_SCHEMA_DIR is not named"
	"$tool" --version | grep -q '^irmfleet [0-9]' ||
	    bad "$root: --version"
	# the manual page, with no warning from man or groff
	local page=$1$2/share/man/man1/irmfleet.1
	[ -f "$page" ] || page=$page.gz
	if [ -f "$page" ]; then
		MANWIDTH=80 man -l "$page" >"$tmp/man.out" 2>"$tmp/man.err"
		[ -s "$tmp/man.err" ] && { bad "$root: man -l warns"; cat "$tmp/man.err"; }
		grep -q 'ENVIRONMENT' "$tmp/man.out" || bad "$root: man -l output"
		if [ "${page%.gz}" = "$page" ]; then
			groff -ww -man -Tutf8 "$page" 2>"$tmp/groff.err" >/dev/null
		else
			zcat "$page" | groff -ww -man -Tutf8 2>"$tmp/groff.err" >/dev/null
		fi
		[ -s "$tmp/groff.err" ] && { bad "$root: groff -ww warns"; cat "$tmp/groff.err"; }
		ok "$root: manual page"
	else
		bad "$root: no manual page"
	fi
	for f in share/irmfleet/schemas/snapshot.xsd share/doc/irmfleet/README.md \
	    share/doc/irmfleet/scheduling.md \
	    share/bash-completion/completions/irmfleet; do
		[ -f "$1$2/$f" ] || bad "$root: $f not installed"
	done
}

echo "== cmake --install into a temporary prefix"
if cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1; then
	run_installed "$tmp/prefix" ""
else
	bad "cmake --install"; cat "$tmp/install.log"
fi

echo "== cpack -G DEB, unpacked with dpkg-deb -x"
if ! command -v dpkg-deb >/dev/null || ! command -v cpack >/dev/null; then
	bad "dpkg-deb or cpack not installed (.ci/install-deps)"
elif (cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" \
    -B "$tmp/pkg") >"$tmp/cpack.log" 2>&1; then
	deb=$(ls "$tmp"/pkg/irmfleet_*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		bad "no .deb"; cat "$tmp/cpack.log"
	else
		deps=$(dpkg-deb -f "$deb" Depends)
		echo "Depends: $deps"
		for p in libssh2-1 libxml2 libsqlite3-0 libjansson4 libssl3 libc6; do
			echo "$deps" | grep -q "\b$p\b" || bad "Depends lacks $p"
		done
		dpkg-deb -x "$deb" "$tmp/root" || bad "dpkg-deb -x"
		[ -x "$tmp/root/usr/bin/irmfleet" ] || bad "no /usr/bin/irmfleet"
		run_installed "$tmp/root" /usr
	fi
else
	bad "cpack"; cat "$tmp/cpack.log"
fi

exit $fail
