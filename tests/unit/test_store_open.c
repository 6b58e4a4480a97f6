/*
 * test_store_open.c - opening the history (compare/store/open.c, db.c):
 * a newer schema, a foreign or missing database refused (and a foreign
 * file left untouched), read-only opening, migration of a version 1
 * database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store_fixture.h"

static void
test_newer_schema_refused(void **state)
{
	fx *f = *state;
	irmf_store *st2 = NULL;

	stf_exec_raw(f->path, "PRAGMA user_version = 99");
	assert_int_equal(irmf_store_open(&st2, f->path, NULL), IRMF_EUNSUPPORTED);
	assert_null(st2);
	assert_non_null(strstr(irmf_error_last()->message, "newer"));
	assert_non_null(strstr(irmf_error_last()->message, "99"));
}

static void
test_foreign_and_missing_db_refused(void **state)
{
	fx *f = *state;
	irmf_store *st2 = NULL;
	irmf_store_options o = { .create = true };
	char other[4300];

	snprintf(other, sizeof(other), "%s/other.db", f->dir);
	stf_exec_raw(other, "CREATE TABLE t (x)");
	assert_int_equal(irmf_store_open(&st2, other, &o), IRMF_EUNSUPPORTED);
	assert_non_null(strstr(irmf_error_last()->message,
	    "not an irmfleet history"));
	snprintf(other, sizeof(other), "%s/none.db", f->dir);
	assert_int_equal(irmf_store_open(&st2, other, NULL), IRMF_ENOTFOUND);
	assert_non_null(strstr(irmf_error_last()->message, "none.db"));
}

/* The whole file, to prove an open that failed changed nothing. */
static char *
slurp(const char *path, size_t *len)
{
	return tu_read_fixture(path, len);
}

static void
expect_unchanged(const char *path, const char *before, size_t blen)
{
	size_t len;
	char *now = slurp(path, &len);
	char wal[4400];
	struct stat sb;

	assert_int_equal(len, blen);
	assert_memory_equal(now, before, blen);
	free(now);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	assert_int_equal(stat(wal, &sb), -1);
}

/* Foreign SQLite files are refused before anything writes to them (the
 * WAL switch changed bytes 18-19 of the header), by every kind of open;
 * a file that is no SQLite database at all is refused as foreign too. */
static void
test_foreign_db_untouched(void **state)
{
	static const char *const foreign[] = {
		"CREATE TABLE t (x)",
		"PRAGMA user_version = 1",   /* no tables, not ours either */
		"PRAGMA application_id = 42; CREATE TABLE t (x)",
	};
	fx *f = *state;
	irmf_store_options opts[] = {
		{ .create = true }, { .create = false }, { .read_only = true },
	};
	irmf_store *st2 = NULL;
	char other[4300], *before;
	size_t blen;
	FILE *txt;

	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
		snprintf(other, sizeof(other), "%s/foreign%zu.db", f->dir, i);
		stf_exec_raw(other, foreign[i]);
		before = slurp(other, &blen);
		for (size_t j = 0; j < sizeof(opts) / sizeof(opts[0]); j++) {
			assert_int_equal(irmf_store_open(&st2, other, &opts[j]),
			    IRMF_EUNSUPPORTED);
			assert_null(st2);
			assert_non_null(strstr(irmf_error_last()->message,
			    "not an irmfleet history database"));
			expect_unchanged(other, before, blen);
		}
		free(before);
	}
	snprintf(other, sizeof(other), "%s/notes.txt", f->dir);
	assert_non_null(txt = fopen(other, "w"));
	fputs("these are not the droids you are looking for\n", txt);
	assert_int_equal(fclose(txt), 0);
	before = slurp(other, &blen);
	for (size_t j = 0; j < sizeof(opts) / sizeof(opts[0]); j++) {
		assert_int_equal(irmf_store_open(&st2, other, &opts[j]),
		    IRMF_EUNSUPPORTED);
		assert_non_null(strstr(irmf_error_last()->message,
		    "not an SQLite database"));
		expect_unchanged(other, before, blen);
	}
	free(before);
	/* a FIFO is refused at once (SQLite would wait for a writer) */
	snprintf(other, sizeof(other), "%s/fifo.db", f->dir);
	assert_int_equal(mkfifo(other, 0600), 0);
	assert_int_equal(irmf_store_open(&st2, other, &opts[0]),
	    IRMF_EUNSUPPORTED);
	assert_non_null(strstr(irmf_error_last()->message, "FIFO"));
}

/* Read-only opens never write: an empty file stays empty (no history
 * yet), an old schema is not migrated, the history itself is readable
 * and stays in its journal mode's files. */
static void
test_read_only_open(void **state)
{
	fx *f = *state;
	irmf_store_options ro = { .read_only = true };
	irmf_snapshot *s[1] = { stf_mk("EX01", GOOD, "1.0.0") };
	irmf_run_summary sum;
	irmf_changes d = { 0 }, h = { 0 };
	irmf_history_query q = { 0 };
	irmf_store *st2 = NULL;
	char other[4300], *before;
	size_t blen;
	FILE *e;

	snprintf(other, sizeof(other), "%s/empty.db", f->dir);
	assert_non_null(e = fopen(other, "w"));
	assert_int_equal(fclose(e), 0);
	assert_int_equal(irmf_store_open(&st2, other, &ro), IRMF_ENOTFOUND);
	assert_non_null(strstr(irmf_error_last()->message, "no history"));
	before = slurp(other, &blen);
	assert_int_equal(blen, 0);
	free(before);
	snprintf(other, sizeof(other), "%s/none.db", f->dir);
	assert_int_equal(irmf_store_open(&st2, other, &ro), IRMF_ENOTFOUND);
	/* a recorded history reads fine */
	stf_record(f, s, 1, "2026-11-01T00:00:00Z", &sum, &d);
	irmf_store_close(f->st);
	f->st = NULL;
	assert_int_equal(irmf_store_open(&st2, f->path, &ro), 0);
	assert_int_equal(irmf_store_history(st2, &q, &h), 0);
	assert_true(h.n > 0);
	irmf_changes_clear(&h);
	irmf_store_close(st2);
	/* version 1: refused, not migrated */
	stf_exec_raw(f->path, "DROP TABLE meta; DROP INDEX intervals_open; "
	    "PRAGMA user_version = 1; PRAGMA journal_mode = DELETE");
	before = slurp(f->path, &blen);
	assert_int_equal(irmf_store_open(&st2, f->path, &ro), IRMF_EUNSUPPORTED);
	assert_non_null(strstr(irmf_error_last()->message, "older"));
	expect_unchanged(f->path, before, blen);
	free(before);
	irmf_changes_clear(&d);
	stf_free_all(s, 1);
}

static void
test_migrates_v1(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[1] = { stf_mk("EX01", GOOD, "1.0.0") };
	irmf_run_summary sum;
	irmf_changes d = { 0 };

	stf_record(f, s, 1, "2026-11-01T00:00:00Z", &sum, &d);
	irmf_store_close(f->st);
	f->st = NULL;
	/* turn it into a version 1 database: no meta table, no index on
	 * open intervals (what migration 1 -> 2 adds) */
	stf_exec_raw(f->path, "DROP TABLE meta; DROP INDEX intervals_open; "
	    "PRAGMA user_version = 1");
	assert_int_equal(stf_count(f, "PRAGMA user_version"), 1);
	assert_int_equal(irmf_store_open(&f->st, f->path, NULL), 0);
	assert_int_equal(stf_count(f, "PRAGMA user_version"),
	    IRMF_STORE_SCHEMA_VERSION);
	assert_int_equal(stf_count(f, "SELECT count(*) FROM sqlite_master WHERE "
	    "name IN ('meta', 'intervals_open')"), 2);
	/* the recorded data survived and is still consistent */
	assert_int_equal(stf_count(f, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(stf_check(f), 0);
	stf_record(f, s, 1, "2026-11-02T00:00:00Z", &sum, &d);
	assert_int_equal(d.n, 0);
	irmf_changes_clear(&d);
	stf_free_all(s, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_newer_schema_refused, stf_setup,
		    stf_teardown),
		cmocka_unit_test_setup_teardown(
		    test_foreign_and_missing_db_refused, stf_setup, stf_teardown),
		cmocka_unit_test_setup_teardown(test_foreign_db_untouched,
		    stf_setup, stf_teardown),
		cmocka_unit_test_setup_teardown(test_read_only_open,
		    stf_setup, stf_teardown),
		cmocka_unit_test_setup_teardown(test_migrates_v1, stf_setup,
		    stf_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
