/*
 * store_fixture.c - shared by the history store's tests
 * (test_store_*.c): a fresh database in a temporary directory per test
 * (stf_setup/stf_teardown), a small Exchange snapshot whose redirection
 * URL and msipc.dll version the tests vary, recording a run, and raw
 * SQLite access to count rows or edit the file behind the store's back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_fixture.h"


int
stf_setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	irmf_store_options o = { .create = true };

	f->dir = tu_tempdir();
	snprintf(f->path, sizeof(f->path), "%s/h.db", f->dir);
	assert_int_equal(irmf_store_open(&f->st, f->path, &o), 0);
	*state = f;
	return 0;
}

int
stf_teardown(void **state)
{
	fx *f = *state;

	irmf_store_close(f->st);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

irmf_snapshot *
stf_mk(const char *server, const char *url, const char *msipc)
{
	irmf_snapshot *s;
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_new(&s, server), 0);
	s->roles = IRMF_ROLE_EXCHANGE;
	assert_int_equal(irmf_snapshot_set_product(s, "Exchange Server 2019",
	    "15.2.1544.4"), 0);
	assert_int_equal(irmf_snapshot_set_collected_at(s,
	    "2026-11-01T10:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_reg_key(s, REDIR, &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k,
	    "https://11111111.rms.na.aadrm.com/_wmcs/licensing", IRMF_REG_SZ,
	    url), 0);
	assert_int_equal(irmf_snapshot_reg_key(s, MSDRM, &k), 0);
	assert_int_equal(irmf_reg_key_set_num(k, "DisableCertChainCache",
	    IRMF_REG_DWORD, 1), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "InternalLicensingEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
	if (msipc != NULL)
		assert_int_equal(irmf_snapshot_file_set(s, "msipc.dll", NULL,
		    msipc), 0);
	return s;
}

void
stf_record(fx *f, irmf_snapshot **snaps, size_t n, const char *at,
    irmf_run_summary *sum, irmf_changes *drift)
{
	int rc = irmf_store_record_run(f->st, snaps, n, NULL, 0, at, sum, drift);

	if (rc != 0)
		fail_msg("record_run: %s", irmf_error_last()->message);
}

void
stf_free_all(irmf_snapshot **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		irmf_snapshot_free(s[i]);
}

int64_t
stf_count(fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t n = -1;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

void
stf_exec_raw(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

size_t
stf_check(fx *f)
{
	size_t n = 99;

	assert_int_equal(irmf_store_check(f->st, NULL, NULL, &n), 0);
	return n;
}

const irmf_change *
stf_find_change(const irmf_changes *d, irmf_change_kind k, const char *server,
    const char *setting)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].kind == k &&
		    strcmp(d->items[i].server, server) == 0 &&
		    (setting == NULL || (d->items[i].setting &&
		    strcmp(d->items[i].setting, setting) == 0)))
			return &d->items[i];
	return NULL;
}
