#!/bin/bash
# test_histdb.sh - what the history commands do with a --db that is not
# an irmfleet history, and with names the history does not know
# (cli/histcli.c, cmd_history.c, cmd_db.c over compare/store/): exit 2
# as the README says, and a foreign file is never changed, not even its
# header (the switch to WAL used to happen before the check).
# Usage: test_histdb.sh IRMFLEET SOURCE_DIR
set -u
. "$(dirname "$0")/lib.sh" "$@"
db=$tmp/h.db
redir='reg:HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\IRM\CertificationServerRedirection'

expect() {  # expect NAME FILE REGEX
	if grep -qE -- "$3" "$2"; then
		echo "ok: $1"
	else
		echo "FAIL: $1: no /$3/ in output:"; sed 's/^/  | /' "$2"; fail=1
	fi
}
unchanged() {   # unchanged NAME FILE COPY
	if cmp -s "$2" "$3" && [ ! -e "$2-wal" ]; then
		echo "ok: $1"
	else
		echo "FAIL: $1: the file was changed"; fail=1
	fi
}

command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 CLI missing"; exit 1; }
"$bin" audit --db "$db" --at 2026-03-02T00:00:00Z "$src/examples/fleet" \
    >/dev/null 2>&1
check "audit records the example fleet" 1 $?

# 1. unknown names are exit 2, named; known ones are 0
"$bin" history --db "$db" --server EX70 >"$tmp/o" 2>"$tmp/e"
check "history --server unknown" 2 $?
expect "names the server" "$tmp/e" "server 'EX70' is not in the history"
"$bin" history --db "$db" --setting "${redir}x" >"$tmp/o" 2>"$tmp/e"
check "history --setting unknown alone" 2 $?
expect "names the setting" "$tmp/e" "setting '.*x' is not in the history"
"$bin" history --db "$db" --server ex07 >"$tmp/o" 2>&1
check "history --server known (any case)" 0 $?
"$bin" history --db "$db" --setting "$redir" >"$tmp/o" 2>&1
check "history --setting known" 0 $?

# 2. a file that is no SQLite database: exit 2 for every history command
echo "not a database" >"$tmp/notes.txt"
cp "$tmp/notes.txt" "$tmp/notes.copy"
for cmd in "history" "db check" "prune --keep 90d" "forget EX01"; do
	# shellcheck disable=SC2086
	"$bin" $cmd --db "$tmp/notes.txt" >/dev/null 2>"$tmp/e"
	check "$cmd: non-SQLite --db" 2 $?
	expect "$cmd: says so" "$tmp/e" "notes.txt': not an irmfleet history database"
done
"$bin" audit --db "$tmp/notes.txt" "$src/examples/fleet" >/dev/null 2>"$tmp/e"
check "audit: non-SQLite --db" 2 $?
unchanged "non-SQLite file untouched" "$tmp/notes.txt" "$tmp/notes.copy"

# 3. another program's SQLite database: refused before anything changes
sqlite3 "$tmp/other.db" 'CREATE TABLE t (x); INSERT INTO t VALUES (1)'
cp "$tmp/other.db" "$tmp/other.copy"
for cmd in "history" "db check" "prune --keep 90d" "forget EX01"; do
	# shellcheck disable=SC2086
	"$bin" $cmd --db "$tmp/other.db" >/dev/null 2>"$tmp/e"
	check "$cmd: foreign --db" 2 $?
	unchanged "$cmd: foreign file untouched" "$tmp/other.db" "$tmp/other.copy"
done
"$bin" audit --db "$tmp/other.db" "$src/examples/fleet" >/dev/null 2>"$tmp/e"
check "audit: foreign --db" 2 $?
unchanged "audit: foreign file untouched" "$tmp/other.db" "$tmp/other.copy"

# 4. read-only commands never write: an empty file stays empty, and a
# history in rollback-journal mode is not switched to WAL
: >"$tmp/empty.db"
"$bin" history --db "$tmp/empty.db" >/dev/null 2>"$tmp/e"
check "history on an empty file" 2 $?
expect "no history yet" "$tmp/e" "no history recorded"
[ ! -s "$tmp/empty.db" ] && echo "ok: empty file left empty" ||
	{ echo "FAIL: empty file written"; fail=1; }
cp "$db" "$tmp/ro.db"
sqlite3 "$tmp/ro.db" 'PRAGMA journal_mode = DELETE' >/dev/null
cp "$tmp/ro.db" "$tmp/ro.copy"
"$bin" history --db "$tmp/ro.db" >/dev/null 2>&1
check "history read-only" 0 $?
"$bin" db check --db "$tmp/ro.db" >/dev/null 2>&1
check "db check read-only" 0 $?
unchanged "history and db check wrote nothing" "$tmp/ro.db" "$tmp/ro.copy"

[ $fail = 0 ] && echo "all history database tests passed"
exit $fail
