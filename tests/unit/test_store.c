/*
 * test_store.c - the SQLite history (compare/store/): recording runs,
 * dedupe by canonical hash, drift (added, removed, changed, failed, not
 * collected, new, absent), staleness, history and "since when", prune
 * keeping each server's latest state, forgetting a server (and only
 * it), schema version checks, and db check catching a tampered row.
 * Snapshots are built in C.  By file of the store: open.c (schema
 * checks, read-only open, migrations), canon.c (hash), record.c and
 * changes.c (record, drift), intervals.c and idmap.c (drift, many
 * settings), query.c (history, current, stale), prune.c (prune,
 * forget), check.c (tampering); db.c under all of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "testutil.h"
#include "error.h"
#include "snapshot_int.h"
#include "store_int.h"

#define V15 "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM"
#define REDIR V15 "\\LicenseServerRedirection"
#define MSDRM "HKLM\\SOFTWARE\\Microsoft\\MSDRM"
#define KEY_REDIR "reg:" REDIR
#define KEY_DWORD "reg:" MSDRM "\\DisableCertChainCache"
#define KEY_EXTRA "reg:" MSDRM "\\ExtraValue"

typedef struct fx {
	char *dir;
	char path[4200];
	irmf_store *st;
} fx;

static int
setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	irmf_store_options o = { .create = true };

	f->dir = tu_tempdir();
	snprintf(f->path, sizeof(f->path), "%s/h.db", f->dir);
	assert_int_equal(irmf_store_open(&f->st, f->path, &o), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	fx *f = *state;

	irmf_store_close(f->st);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static irmf_snapshot *
mk(const char *server, const char *url, const char *msipc)
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

#define GOOD "https://rmscon.contoso.com/_wmcs/licensing"
#define BAD "http://rmscon.contoso.com/_wmcs/licensing"

static void
record(fx *f, irmf_snapshot **snaps, size_t n, const char *at,
    irmf_run_summary *sum, irmf_changes *drift)
{
	int rc = irmf_store_record_run(f->st, snaps, n, NULL, 0, at, sum, drift);

	if (rc != 0)
		fail_msg("record_run: %s", irmf_error_last()->message);
}

static void
free_all(irmf_snapshot **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		irmf_snapshot_free(s[i]);
}

static int64_t
count(fx *f, const char *sql)
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

static void
exec_raw(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static size_t
check(fx *f)
{
	size_t n = 99;

	assert_int_equal(irmf_store_check(f->st, NULL, NULL, &n), 0);
	return n;
}

static const irmf_change *
find_change(const irmf_changes *d, irmf_change_kind k, const char *server,
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

static void
test_record_and_dedupe(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[2] = { mk("EX01", GOOD, "1.0.0"),
	    mk("EX02", GOOD, "1.0.0") };
	irmf_run_summary sum;
	irmf_changes d = { 0 };

	record(f, s, 2, "2026-11-01T00:00:00Z", &sum, &d);
	assert_int_equal(sum.run_id, 1);
	assert_int_equal(sum.prev_run_id, 0);
	assert_int_equal(sum.hosts_ok, 2);
	assert_int_equal(sum.snapshots_new, 2);
	assert_int_equal(d.n, 0);   /* first audit: baseline, no drift */
	int64_t ivs = count(f, "SELECT count(*) FROM intervals");
	assert_true(ivs >= 8);
	/* same content, only collected_at and provenance differ */
	assert_int_equal(irmf_snapshot_set_collected_at(s[0],
	    "2026-11-02T10:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_source(s[0], "ex01.reg", "ab",
	    "reg"), 0);
	record(f, s, 2, "2026-11-02T00:00:00Z", &sum, &d);
	assert_int_equal(sum.prev_run_id, 1);
	assert_int_equal(sum.snapshots_new, 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(count(f, "SELECT count(*) FROM snapshots"), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM intervals"), ivs);
	/* a seen-again server extends its sighting instead of adding one */
	assert_int_equal(count(f, "SELECT count(*) FROM sightings"), 2);
	assert_int_equal(count(f, "SELECT max(last_run) FROM sightings"), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM runs"), 2);
	assert_int_equal(check(f), 0);
	irmf_changes_clear(&d);
	free_all(s, 2);
}

/* Enough servers to flatten and hash on several threads. */
static void
test_record_many(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[200];
	irmf_run_summary sum;
	irmf_changes d = { 0 };
	char name[16];

	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "EX%03d", i);
		s[i] = mk(name, i == 150 ? BAD : GOOD, "1.0.0");
	}
	record(f, s, 200, "2026-11-01T00:00:00Z", &sum, &d);
	assert_int_equal(sum.hosts_ok, 200);
	assert_int_equal(sum.snapshots_new, 200);
	assert_int_equal(count(f, "SELECT count(DISTINCT server_id) FROM "
	    "intervals WHERE to_run IS NULL"), 200);
	/* flip every server: 200 changes of the same key */
	for (int i = 0; i < 200; i++) {
		irmf_snapshot_free(s[i]);
		snprintf(name, sizeof(name), "EX%03d", i);
		s[i] = mk(name, i == 150 ? GOOD : BAD, "1.0.0");
	}
	record(f, s, 200, "2026-11-02T00:00:00Z", &sum, &d);
	assert_int_equal(d.n, 200);
	for (size_t i = 0; i < d.n; i++) {
		assert_int_equal(d.items[i].kind, IRMF_CHANGE_CHANGED);
		assert_string_equal(d.items[i].setting, KEY_REDIR);
	}
	assert_string_equal(d.items[0].server, "EX000");   /* sorted */
	assert_int_equal(check(f), 0);
	irmf_changes_clear(&d);
	free_all(s, 200);
}

/* More settings per server than one batched insert takes (intervals.c)
 * and more keys and values than the id cache's first table (idmap.c):
 * recorded, then changed in part, then checked. */
static void
test_many_settings(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[3];
	irmf_run_summary sum;
	irmf_changes d = { 0 };
	irmf_reg_key *k;
	char name[32];

	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 3; i++) {
			snprintf(name, sizeof(name), "EX%d", i);
			s[i] = mk(name, GOOD, "1.0.0");
			assert_int_equal(irmf_snapshot_reg_key(s[i], MSDRM, &k),
			    0);
			for (int j = 0; j < 700; j++) {
				snprintf(name, sizeof(name), "V%03d", j);
				assert_int_equal(irmf_reg_key_set_num(k, name,
				    IRMF_REG_DWORD, (uint32_t)(j * 3 + i +
				    (round && j % 100 == 0))), 0);
			}
		}
		record(f, s, 3, round ? "2026-11-02T00:00:00Z" :
		    "2026-11-01T00:00:00Z", &sum, &d);
		free_all(s, 3);
	}
	/* 3 x 7 values changed, nothing else */
	assert_int_equal(d.n, 21);
	for (size_t i = 0; i < d.n; i++)
		assert_int_equal(d.items[i].kind, IRMF_CHANGE_CHANGED);
	assert_int_equal(count(f, "SELECT count(*) FROM intervals WHERE "
	    "to_run IS NULL"), 3 * 704);
	assert_int_equal(count(f, "SELECT count(*) FROM setting_keys"), 704);
	assert_int_equal(check(f), 0);
	irmf_changes_clear(&d);
}

static void
test_hash_ignores_time_and_provenance(void **state)
{
	irmf_snapshot *a = mk("EX01", GOOD, "1.0.0"), *b = mk("EX01", GOOD,
	    "1.0.0"), *c = mk("EX01", BAD, "1.0.0");
	char ha[65], hb[65], hc[65];

	(void)state;
	assert_int_equal(irmf_snapshot_set_collected_at(b,
	    "2027-01-01T00:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_set_collector(b, "irmfleet", "9.9"), 0);
	b->method = IRMF_METHOD_SSH;
	assert_int_equal(irmf_store_snapshot_hash(a, ha), 0);
	assert_int_equal(irmf_store_snapshot_hash(b, hb), 0);
	assert_int_equal(irmf_store_snapshot_hash(c, hc), 0);
	assert_int_equal(strlen(ha), 64);
	assert_string_equal(ha, hb);
	assert_string_not_equal(ha, hc);
	irmf_snapshot_free(a);
	irmf_snapshot_free(b);
	irmf_snapshot_free(c);
}

static void
test_drift_add_remove_change(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[2] = { mk("EX01", GOOD, "1.0.0"),
	    mk("EX02", GOOD, "1.0.0") };
	irmf_snapshot *t[2] = { mk("EX01", GOOD, "1.0.0"),
	    mk("EX02", BAD, NULL) };
	irmf_run_summary sum;
	irmf_changes d = { 0 };
	const irmf_change *c;
	irmf_reg_key *k;

	record(f, s, 2, "2026-11-01T00:00:00Z", &sum, &d);
	/* EX02: redirection changed, extra value added, msipc removed */
	k = irmf_snapshot_reg_find(t[1], MSDRM);
	assert_int_equal(irmf_reg_key_set_sz(k, "ExtraValue", IRMF_REG_SZ,
	    "x"), 0);
	/* msipc.dll gone, msdrm.dll instead */
	assert_int_equal(irmf_snapshot_file_set(t[1], "msdrm.dll", NULL,
	    "6.3.1"), 0);
	record(f, t, 2, "2026-11-02T00:00:00Z", &sum, &d);
	assert_int_equal(d.n, 4);
	c = find_change(&d, IRMF_CHANGE_CHANGED, "EX02", KEY_REDIR);
	assert_non_null(c);
	assert_non_null(strstr(c->old_value, "https://rmscon"));
	assert_non_null(strstr(c->new_value, "http://rmscon"));
	assert_string_equal(c->old_since, "2026-11-01T00:00:00Z");
	assert_string_equal(c->at, "2026-11-02T00:00:00Z");
	c = find_change(&d, IRMF_CHANGE_ADDED, "EX02", KEY_EXTRA);
	assert_non_null(c);
	assert_string_equal(c->new_value, "REG_SZ x");
	assert_null(c->old_value);
	c = find_change(&d, IRMF_CHANGE_REMOVED, "EX02", "file:msipc.dll");
	assert_non_null(c);
	assert_string_equal(c->old_value, "1.0.0");
	assert_non_null(find_change(&d, IRMF_CHANGE_ADDED, "EX02",
	    "file:msdrm.dll"));
	assert_null(find_change(&d, IRMF_CHANGE_CHANGED, "EX01", NULL));
	assert_int_equal(check(f), 0);
	irmf_changes_clear(&d);
	free_all(s, 2);
	free_all(t, 2);
}

static void
test_failed_host_is_not_no_change(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[2] = { mk("EX01", GOOD, "1.0.0"),
	    mk("EX02", GOOD, "1.0.0") };
	irmf_snapshot *t[1] = { mk("EX01", GOOD, "1.0.0") };
	irmf_snapshot *u[1];
	irmf_host_failure hf = { "EX02", "connection refused" };
	irmf_run_summary sum;
	irmf_changes d = { 0 };
	irmf_current cur;
	const irmf_change *c;

	record(f, s, 2, "2026-11-01T00:00:00Z", &sum, &d);
	/* EX01's snapshot says the host failed; EX02 is a listed failure */
	assert_int_equal(irmf_snapshot_add_error(t[0], "host",
	    IRMF_REASON_TIMEOUT, "timed out after 60 s"), 0);
	assert_int_equal(irmf_store_record_run(f->st, t, 1, &hf, 1,
	    "2026-11-02T00:00:00Z", &sum, &d), 0);
	assert_int_equal(sum.hosts_ok, 0);
	assert_int_equal(sum.hosts_failed, 2);
	assert_int_equal(d.n, 2);
	c = find_change(&d, IRMF_CHANGE_FAILED, "EX01", NULL);
	assert_non_null(c);
	assert_string_equal(c->message, "timed out after 60 s");
	c = find_change(&d, IRMF_CHANGE_FAILED, "EX02", NULL);
	assert_non_null(c);
	assert_string_equal(c->message, "connection refused");
	assert_int_equal(count(f, "SELECT count(*) FROM sightings WHERE "
	    "status = 'failed'"), 2);
	/* the last known value stays current, and no setting was removed */
	assert_int_equal(irmf_store_current(f->st, "EX02", KEY_REDIR, &cur), 0);
	assert_non_null(strstr(cur.value, "https://rmscon"));
	assert_string_equal(cur.since, "2026-11-01T00:00:00Z");
	irmf_current_clear(&cur);
	assert_int_equal(count(f, "SELECT count(*) FROM intervals WHERE "
	    "to_run IS NOT NULL"), 0);
	/* back to normal with the same content: no drift at all */
	u[0] = mk("EX01", GOOD, "1.0.0");
	record(f, u, 1, "2026-11-03T00:00:00Z", &sum, &d);
	assert_null(find_change(&d, IRMF_CHANGE_ADDED, "EX01", NULL));
	assert_null(find_change(&d, IRMF_CHANGE_FAILED, "EX01", NULL));
	assert_non_null(find_change(&d, IRMF_CHANGE_ABSENT, "EX02", NULL));
	assert_int_equal(check(f), 0);
	irmf_changes_clear(&d);
	free_all(s, 2);
	free_all(t, 1);
	free_all(u, 1);
}

static void
test_partial_error_keeps_settings(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[1] = { mk("EX01", GOOD, "1.0.0") };
	irmf_snapshot *t[1];
	irmf_run_summary sum;
	irmf_changes d = { 0 };

	record(f, s, 1, "2026-11-01T00:00:00Z", &sum, &d);
	/* Get-IRMConfiguration failed: irm:* are unknown, not removed */
	assert_int_equal(irmf_snapshot_new(&t[0], "EX01"), 0);
	t[0]->roles = IRMF_ROLE_EXCHANGE;
	assert_int_equal(irmf_snapshot_set_product(t[0], "Exchange Server 2019",
	    "15.2.1544.4"), 0);
	{
		irmf_reg_key *k;
		assert_int_equal(irmf_snapshot_reg_key(t[0], REDIR, &k), 0);
		assert_int_equal(irmf_reg_key_set_sz(k,
		    "https://11111111.rms.na.aadrm.com/_wmcs/licensing",
		    IRMF_REG_SZ, GOOD), 0);
		assert_int_equal(irmf_snapshot_reg_key(t[0], MSDRM, &k), 0);
		assert_int_equal(irmf_reg_key_set_num(k,
		    "DisableCertChainCache", IRMF_REG_DWORD, 1), 0);
	}
	assert_int_equal(irmf_snapshot_file_set(t[0], "msipc.dll", NULL,
	    "1.0.0"), 0);
	assert_int_equal(irmf_snapshot_add_error(t[0], "irm-config",
	    IRMF_REASON_ACCESS_DENIED, "access denied"), 0);
	record(f, t, 1, "2026-11-02T00:00:00Z", &sum, &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.items[0].kind, IRMF_CHANGE_NOT_COLLECTED);
	assert_string_equal(d.items[0].setting, "irm-config");
	assert_true(irmf_change_is_unchecked(d.items[0].kind));
	assert_int_equal(count(f, "SELECT count(*) FROM intervals WHERE "
	    "to_run IS NOT NULL"), 0);
	assert_int_equal(check(f), 0);
	irmf_changes_clear(&d);
	free_all(s, 1);
	free_all(t, 1);
}

static void
test_new_server_and_duplicates(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[1] = { mk("EX01", GOOD, "1.0.0") };
	irmf_snapshot *t[2] = { mk("EX01", GOOD, "1.0.0"),
	    mk("EX03", GOOD, "1.0.0") };
	irmf_snapshot *dup[2] = { mk("EX05", GOOD, "1.0.0"),
	    mk("ex05", GOOD, "1.0.0") };
	irmf_run_summary sum;
	irmf_changes d = { 0 };

	record(f, s, 1, "2026-11-01T00:00:00Z", &sum, &d);
	record(f, t, 2, "2026-11-02T00:00:00Z", &sum, &d);
	assert_int_equal(d.n, 1);   /* one summary item, not one per setting */
	assert_int_equal(d.items[0].kind, IRMF_CHANGE_NEW_SERVER);
	assert_string_equal(d.items[0].server, "EX03");
	/* a server twice in one run is refused and nothing is written */
	assert_int_equal(irmf_store_record_run(f->st, dup, 2, NULL, 0, NULL,
	    &sum, &d), IRMF_EUSAGE);
	assert_non_null(strstr(irmf_error_last()->message, "twice"));
	assert_int_equal(count(f, "SELECT count(*) FROM runs"), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM servers"), 2);
	irmf_changes_clear(&d);
	free_all(s, 1);
	free_all(t, 2);
	free_all(dup, 2);
}

static void
test_history_and_current(void **state)
{
	fx *f = *state;
	const char *days[] = { "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z",
	    "2026-11-03T00:00:00Z" };
	irmf_run_summary sum;
	irmf_changes d = { 0 }, h = { 0 };
	irmf_history_query q = { 0 };
	irmf_current cur;

	for (int day = 0; day < 3; day++) {
		/* EX07 goes to http on day 2; the others stay on https */
		irmf_snapshot *s[3] = { mk("EX01", GOOD, "1.0.0"),
		    mk("EX02", GOOD, "1.0.0"),
		    mk("EX07", day >= 1 ? BAD : GOOD, "1.0.0") };
		record(f, s, 3, days[day], &sum, &d);
		free_all(s, 3);
	}
	q.server = "ex07";
	assert_int_equal(irmf_store_history(f->st, &q, &h), 0);
	/* newest first: the change on day 2, then the server's first audit */
	assert_int_equal(h.n, 2);
	assert_int_equal(h.items[0].kind, IRMF_CHANGE_CHANGED);
	assert_string_equal(h.items[0].at, days[1]);
	assert_string_equal(h.items[0].setting, KEY_REDIR);
	assert_int_equal(h.items[1].kind, IRMF_CHANGE_NEW_SERVER);
	assert_string_equal(h.items[1].at, days[0]);
	q.setting = KEY_REDIR;
	assert_int_equal(irmf_store_history(f->st, &q, &h), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.items[1].kind, IRMF_CHANGE_ADDED);
	q.since = "2026-11-02T00:00:00Z";
	assert_int_equal(irmf_store_history(f->st, &q, &h), 0);
	assert_int_equal(h.n, 1);
	/* an unknown server or setting, alone or together: an error naming
	 * it, not an empty timeline */
	{
		irmf_history_query typo = { .server = "EX70" };
		assert_int_equal(irmf_store_history(f->st, &typo, &h),
		    IRMF_ENOTFOUND);
		assert_non_null(strstr(irmf_error_last()->message,
		    "server 'EX70' is not in the history"));
		assert_int_equal(h.n, 0);
		typo.server = NULL;
		typo.setting = KEY_REDIR "x";
		assert_int_equal(irmf_store_history(f->st, &typo, &h),
		    IRMF_ENOTFOUND);
		assert_non_null(strstr(irmf_error_last()->message, "setting"));
		typo.server = "EX07";
		assert_int_equal(irmf_store_history(f->st, &typo, &h),
		    IRMF_ENOTFOUND);
	}
	/* since when has EX07 differed? */
	assert_int_equal(irmf_store_current(f->st, "EX07", KEY_REDIR, &cur), 0);
	assert_non_null(strstr(cur.value, "http://rmscon"));
	assert_string_equal(cur.since, days[1]);
	assert_true(cur.differs);
	assert_string_equal(cur.differs_since, days[1]);
	assert_int_equal(cur.majority_count, 2);
	assert_int_equal(cur.others, 2);
	irmf_current_clear(&cur);
	assert_int_equal(irmf_store_current(f->st, "EX01", KEY_REDIR, &cur), 0);
	assert_false(cur.differs);
	irmf_current_clear(&cur);
	assert_int_equal(irmf_store_current(f->st, "EX99", KEY_REDIR, &cur),
	    IRMF_ENOTFOUND);
	irmf_changes_clear(&d);
	irmf_changes_clear(&h);
}

static void
test_stale(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[2] = { mk("EX01", GOOD, "1.0.0"),
	    mk("EX02", GOOD, "1.0.0") };
	irmf_run_summary sum;
	irmf_changes d = { 0 };

	assert_int_equal(irmf_snapshot_set_collected_at(s[1],
	    "2026-12-05T00:00:00Z"), 0);
	record(f, s, 2, "2026-12-05T00:00:00Z", &sum, &d);
	assert_int_equal(irmf_store_stale(f->st, "2026-12-06T00:00:00Z",
	    7 * 86400, &d), 0);
	/* EX01's snapshot was collected on 2026-11-01 */
	assert_int_equal(d.n, 1);
	assert_string_equal(d.items[0].server, "EX01");
	assert_int_equal(d.items[0].kind, IRMF_CHANGE_STALE);
	assert_string_equal(d.items[0].old_since, "2026-11-01T10:00:00Z");
	irmf_changes_clear(&d);
	free_all(s, 2);
}

static void
test_prune_keeps_latest(void **state)
{
	fx *f = *state;
	irmf_run_summary sum;
	irmf_changes d = { 0 }, h = { 0 };
	irmf_history_query q = { 0 };
	irmf_prune_stats ps;
	irmf_current cur;
	char at[32];

	/* EX01 flips every day for 10 days; EX02 never changes */
	for (int day = 1; day <= 10; day++) {
		irmf_snapshot *s[2] = { mk("EX01", day % 2 ? GOOD : BAD, "1.0.0"),
		    mk("EX02", GOOD, "1.0.0") };
		snprintf(at, sizeof(at), "2026-10-%02dT00:00:00Z", day);
		record(f, s, 2, at, &sum, &d);
		free_all(s, 2);
	}
	q.server = "EX01";
	assert_int_equal(irmf_store_history(f->st, &q, &h), 0);
	assert_int_equal(h.n, 10);
	{
		/* a dry run counts what a prune removes and removes nothing */
		irmf_prune_stats dry;

		assert_int_equal(irmf_store_prune(f->st,
		    "2026-10-08T00:00:00Z", true, &dry), 0);
		irmf_changes_clear(&h);
		assert_int_equal(irmf_store_history(f->st, &q, &h), 0);
		assert_int_equal(h.n, 10);
		assert_int_equal(irmf_store_prune(f->st,
		    "2026-10-08T00:00:00Z", false, &ps), 0);
		assert_memory_equal(&dry, &ps, sizeof(ps));
	}
	assert_true(ps.intervals >= 6);
	assert_true(ps.runs >= 1);
	assert_int_equal(irmf_store_history(f->st, &q, &h), 0);
	assert_true(h.n >= 2 && h.n <= 4);
	assert_int_equal(h.items[0].kind, IRMF_CHANGE_CHANGED);
	/* EX02's state from day 1 is the latest and survives */
	assert_int_equal(irmf_store_current(f->st, "EX02", KEY_REDIR, &cur), 0);
	assert_string_equal(cur.since, "2026-10-01T00:00:00Z");
	irmf_current_clear(&cur);
	/* prune everything: every server's latest state is still there */
	assert_int_equal(irmf_store_prune(f->st, "2030-01-01T00:00:00Z", false,
	    &ps), 0);
	assert_int_equal(irmf_store_current(f->st, "EX01", KEY_REDIR, &cur), 0);
	assert_non_null(strstr(cur.value, "http://rmscon"));   /* day 10 */
	irmf_current_clear(&cur);
	assert_int_equal(check(f), 0);
	/* and the next audit still diffs against it */
	{
		irmf_snapshot *s[2] = { mk("EX01", BAD, "1.0.0"),
		    mk("EX02", GOOD, "1.0.0") };
		record(f, s, 2, "2026-10-11T00:00:00Z", &sum, &d);
		assert_int_equal(d.n, 0);   /* day 10 was BAD too */
		free_all(s, 2);
	}
	assert_int_equal(check(f), 0);
	/* forgetting a server after a prune keeps the history consistent */
	{
		const char *name[] = { "EX01" };
		irmf_forget_stats fs;

		assert_int_equal(irmf_store_forget(f->st, name, 1, false, &fs,
		    NULL), 0);
		assert_true(fs.sightings >= 1 && fs.intervals >= 1);
		assert_int_equal(check(f), 0);
		assert_int_equal(irmf_store_current(f->st, "EX02", KEY_REDIR,
		    &cur), 0);
		assert_string_equal(cur.since, "2026-10-01T00:00:00Z");
		irmf_current_clear(&cur);
	}
	irmf_changes_clear(&d);
	irmf_changes_clear(&h);
}

/* A one-line description of every table's contents, to see that a call
 * changed nothing at all. */
static void
db_sig(fx *f, char *buf, size_t n)
{
	static const char q[] = "SELECT (SELECT count(*) || ',' || "
	    "total(hosts_ok) || ',' || total(hosts_failed) FROM runs) || '/' || "
	    "(SELECT count(*) FROM servers) || '/' || "
	    "(SELECT count(*) FROM snapshots) || '/' || "
	    "(SELECT count(*) FROM snapshot_errors) || '/' || "
	    "(SELECT count(*) || ',' || total(last_run) FROM sightings) || '/' "
	    "|| (SELECT count(*) || ',' || total(coalesce(to_run, 0)) FROM "
	    "intervals) || '/' || (SELECT count(*) FROM setting_keys) || '/' || "
	    "(SELECT count(*) FROM setting_values)";
	sqlite3 *db;
	sqlite3_stmt *s;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(buf, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* EX07: ok, failed, ok with a changed URL (two runs), then absent; it
 * alone has msipc 9.9.9 and the http URL, and it alone is in run 4. */
static void
forget_fleet(fx *f)
{
	irmf_host_failure hf = { "EX07", "connection refused" };
	irmf_run_summary sum;
	irmf_changes d = { 0 };

	for (int day = 1; day <= 5; day++) {
		irmf_snapshot *s[3] = { mk("EX01", GOOD, "1.0.0"),
		    mk("EX02", GOOD, "1.0.0"),
		    mk("EX07", day >= 3 ? BAD : GOOD, "9.9.9") };
		char at[32];
		size_t first = day == 4 ? 2 : 0;
		size_t n = day == 4 ? 1 : day == 2 || day == 5 ? 2 : 3;

		snprintf(at, sizeof(at), "2026-11-%02dT00:00:00Z", day);
		assert_int_equal(irmf_store_record_run(f->st, s + first, n,
		    day == 2 ? &hf : NULL, day == 2 ? 1 : 0, at, &sum, &d), 0);
		free_all(s, 3);
	}
	irmf_changes_clear(&d);
}

#define EX07_ROWS(t) "SELECT count(*) FROM " t " WHERE server_id = " \
	"(SELECT id FROM servers WHERE name = 'EX07')"
#define EX07_ONLY_VALUES "SELECT count(*) FROM setting_values v WHERE " \
	"EXISTS (SELECT 1 FROM intervals i JOIN servers s ON s.id = " \
	"i.server_id WHERE i.value_id = v.id AND s.name = 'EX07') AND NOT " \
	"EXISTS (SELECT 1 FROM intervals i JOIN servers s ON s.id = " \
	"i.server_id WHERE i.value_id = v.id AND s.name != 'EX07')"
#define OTHERS_ROWS "SELECT (SELECT count(*) FROM intervals i JOIN servers " \
	"s ON s.id = i.server_id WHERE s.name != 'EX07') * 1000 + (SELECT " \
	"count(*) FROM sightings g JOIN servers s ON s.id = g.server_id " \
	"WHERE s.name != 'EX07')"

static void
test_forget_removes_one_server(void **state)
{
	fx *f = *state;
	const char *names[] = { "ex07" };
	irmf_forget_stats fs;
	irmf_forget_shared sh;
	irmf_history_query q = { .server = "EX01" };
	irmf_changes h = { 0 }, d = { 0 };
	irmf_run_summary sum;
	int64_t ivs, only, others;
	size_t hist01;

	forget_fleet(f);
	assert_int_equal(check(f), 0);
	ivs = count(f, EX07_ROWS("intervals"));
	only = count(f, EX07_ONLY_VALUES);
	others = count(f, OTHERS_ROWS);
	assert_true(ivs > 4);   /* its settings, plus the URL change */
	assert_true(only >= 2);   /* msipc 9.9.9 and the http URL */
	assert_int_equal(irmf_store_history(f->st, &q, &h), 0);
	hist01 = h.n;
	assert_int_equal(irmf_store_stale(f->st, "2026-12-31T00:00:00Z",
	    86400, &d), 0);
	assert_non_null(find_change(&d, IRMF_CHANGE_STALE, "EX07", NULL));

	assert_int_equal(irmf_store_forget(f->st, names, 1, false, &fs, &sh),
	    0);
	assert_int_equal(fs.runs, 4);        /* runs 1 to 4 */
	assert_int_equal(fs.sightings, 3);   /* ok, failed, ok (runs 3-4) */
	assert_int_equal(fs.snapshots, 2);   /* https and http contents */
	assert_int_equal(fs.intervals, (size_t)ivs);
	assert_int_equal(sh.runs, 1);        /* run 4 saw only EX07 */
	assert_int_equal(sh.values, (size_t)only);
	assert_int_equal(sh.keys, 0);        /* EX01 has every key too */

	/* nothing of EX07 is left, everything of the others is */
	assert_int_equal(count(f, "SELECT count(*) FROM servers WHERE "
	    "name = 'EX07'"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM snapshots"), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM snapshot_errors"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM runs"), 4);
	assert_int_equal(count(f, "SELECT count(*) FROM setting_values WHERE "
	    "value LIKE '%9.9.9%' OR value LIKE '%http://%'"), 0);
	/* the value EX07 shared with the others survives */
	assert_true(count(f, "SELECT count(*) FROM setting_values WHERE "
	    "value LIKE '%https://rmscon%'") >= 1);
	assert_int_equal(count(f, OTHERS_ROWS), others);
	assert_int_equal(count(f, "SELECT hosts_ok * 10 + hosts_failed FROM "
	    "runs WHERE id = 2"), 20);
	assert_int_equal(irmf_store_history(f->st, &q, &h), 0);
	assert_int_equal(h.n, hist01);
	/* forgotten: the history no longer knows the name at all */
	q.server = "EX07";
	assert_int_equal(irmf_store_history(f->st, &q, &h), IRMF_ENOTFOUND);
	assert_int_equal(h.n, 0);
	irmf_changes_clear(&d);   /* stale appends */
	assert_int_equal(irmf_store_stale(f->st, "2026-12-31T00:00:00Z",
	    86400, &d), 0);
	assert_null(find_change(&d, IRMF_CHANGE_STALE, "EX07", NULL));
	assert_int_equal(d.n, 2);
	assert_int_equal(check(f), 0);

	/* seen again, it is a new server */
	{
		irmf_snapshot *s[3] = { mk("EX01", GOOD, "1.0.0"),
		    mk("EX02", GOOD, "1.0.0"), mk("EX07", BAD, "9.9.9") };
		record(f, s, 3, "2026-11-06T00:00:00Z", &sum, &d);
		free_all(s, 3);
	}
	assert_int_equal(d.n, 1);
	assert_int_equal(d.items[0].kind, IRMF_CHANGE_NEW_SERVER);
	assert_string_equal(d.items[0].server, "EX07");
	assert_int_equal(irmf_store_history(f->st, &q, &h), 0);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.items[0].at, "2026-11-06T00:00:00Z");
	assert_int_equal(check(f), 0);
	irmf_changes_clear(&h);
	irmf_changes_clear(&d);
}

static void
test_forget_dry_run_and_unknown(void **state)
{
	fx *f = *state;
	const char *twice[] = { "EX07", "ex07" };
	const char *bad[] = { "EX07", "EX99", "EX01", "nope" };
	irmf_forget_stats dry[2], fs[4], real[2];
	irmf_forget_shared sh, sh_real;
	char before[256], after[256];

	forget_fleet(f);
	db_sig(f, before, sizeof(before));

	/* dry run: the counts of the real thing, and no change at all */
	assert_int_equal(irmf_store_forget(f->st, twice, 2, true, dry, &sh),
	    0);
	db_sig(f, after, sizeof(after));
	assert_string_equal(before, after);
	assert_int_equal(dry[0].sightings, 3);
	assert_int_equal(dry[1].sightings, 3);   /* one server, named twice */
	assert_int_equal(sh.runs, 1);

	/* one unknown name: an error naming it, nothing removed */
	assert_int_equal(irmf_store_forget(f->st, bad, 4, false, fs, &sh_real),
	    IRMF_ENOTFOUND);
	assert_non_null(strstr(irmf_error_last()->message, "'EX99', 'nope'"));
	assert_null(strstr(irmf_error_last()->message, "'EX01'"));
	assert_int_equal(fs[0].sightings, 0);
	db_sig(f, after, sizeof(after));
	assert_string_equal(before, after);
	assert_int_equal(irmf_store_forget(f->st, bad, 0, false, fs, NULL),
	    IRMF_EUSAGE);

	/* the real run removes what the dry run announced */
	assert_int_equal(irmf_store_forget(f->st, twice, 2, false, real,
	    &sh_real), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(real[i].runs, dry[i].runs);
		assert_int_equal(real[i].sightings, dry[i].sightings);
		assert_int_equal(real[i].intervals, dry[i].intervals);
		assert_int_equal(real[i].snapshots, dry[i].snapshots);
	}
	assert_int_equal(real[0].runs, 4);
	assert_true(real[0].intervals > 4);
	assert_int_equal(sh_real.values, sh.values);
	assert_int_equal(sh_real.runs, sh.runs);
	db_sig(f, after, sizeof(after));
	assert_string_not_equal(before, after);
	assert_int_equal(count(f, "SELECT count(*) FROM servers"), 2);
	assert_int_equal(check(f), 0);
	/* and a second time it is unknown */
	assert_int_equal(irmf_store_forget(f->st, twice, 1, false, real, NULL),
	    IRMF_ENOTFOUND);
	assert_non_null(strstr(irmf_error_last()->message, "'EX07'"));
}

static void
test_check_detects_tampering(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[1] = { mk("EX01", GOOD, "1.0.0") };
	irmf_run_summary sum;
	irmf_changes d = { 0 };

	record(f, s, 1, NULL, &sum, &d);
	assert_int_equal(check(f), 0);
	exec_raw(f->path, "UPDATE setting_values SET value = 'REG_DWORD 0x2' "
	    "WHERE value = 'REG_DWORD 0x1'");
	assert_int_equal(check(f), 1);
	exec_raw(f->path, "UPDATE runs SET finished_at = NULL");
	assert_true(check(f) >= 2);
	irmf_changes_clear(&d);
	free_all(s, 1);
}

static void
test_newer_schema_refused(void **state)
{
	fx *f = *state;
	irmf_store *st2 = NULL;

	exec_raw(f->path, "PRAGMA user_version = 99");
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
	exec_raw(other, "CREATE TABLE t (x)");
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
		exec_raw(other, foreign[i]);
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
	irmf_snapshot *s[1] = { mk("EX01", GOOD, "1.0.0") };
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
	record(f, s, 1, "2026-11-01T00:00:00Z", &sum, &d);
	irmf_store_close(f->st);
	f->st = NULL;
	assert_int_equal(irmf_store_open(&st2, f->path, &ro), 0);
	assert_int_equal(irmf_store_history(st2, &q, &h), 0);
	assert_true(h.n > 0);
	irmf_changes_clear(&h);
	irmf_store_close(st2);
	/* version 1: refused, not migrated */
	exec_raw(f->path, "DROP TABLE meta; DROP INDEX intervals_open; "
	    "PRAGMA user_version = 1; PRAGMA journal_mode = DELETE");
	before = slurp(f->path, &blen);
	assert_int_equal(irmf_store_open(&st2, f->path, &ro), IRMF_EUNSUPPORTED);
	assert_non_null(strstr(irmf_error_last()->message, "older"));
	expect_unchanged(f->path, before, blen);
	free(before);
	irmf_changes_clear(&d);
	free_all(s, 1);
}

static void
test_migrates_v1(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[1] = { mk("EX01", GOOD, "1.0.0") };
	irmf_run_summary sum;
	irmf_changes d = { 0 };

	record(f, s, 1, "2026-11-01T00:00:00Z", &sum, &d);
	irmf_store_close(f->st);
	f->st = NULL;
	/* turn it into a version 1 database: no meta table, no index on
	 * open intervals (what migration 1 -> 2 adds) */
	exec_raw(f->path, "DROP TABLE meta; DROP INDEX intervals_open; "
	    "PRAGMA user_version = 1");
	assert_int_equal(count(f, "PRAGMA user_version"), 1);
	assert_int_equal(irmf_store_open(&f->st, f->path, NULL), 0);
	assert_int_equal(count(f, "PRAGMA user_version"),
	    IRMF_STORE_SCHEMA_VERSION);
	assert_int_equal(count(f, "SELECT count(*) FROM sqlite_master WHERE "
	    "name IN ('meta', 'intervals_open')"), 2);
	/* the recorded data survived and is still consistent */
	assert_int_equal(count(f, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(check(f), 0);
	record(f, s, 1, "2026-11-02T00:00:00Z", &sum, &d);
	assert_int_equal(d.n, 0);
	irmf_changes_clear(&d);
	free_all(s, 1);
}

static void
test_time_parse(void **state)
{
	time_t t;
	int64_t d;
	char buf[32];

	(void)state;
	assert_int_equal(irmf_time_parse("2026-11-25T14:36:10Z", 0, &t), 0);
	irmf_time_format(t, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-25T14:36:10Z");
	assert_int_equal(irmf_time_parse("2026-11-25T16:36:10.123+02:00", 0,
	    &t), 0);
	irmf_time_format(t, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-25T14:36:10Z");
	assert_int_equal(irmf_time_parse("2026-11-25", 0, &t), 0);
	irmf_time_format(t, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-25T00:00:00Z");
	assert_int_equal(irmf_time_parse("7d", 1000000, &t), 0);
	assert_int_equal(t, 1000000 - 7 * 86400);
	assert_int_equal(irmf_time_parse("yesterday", 0, &t), IRMF_EUSAGE);
	assert_int_equal(irmf_time_parse("2026-13-01", 0, &t), IRMF_EUSAGE);
	assert_int_equal(irmf_duration_parse("24h", &d), 0);
	assert_int_equal(d, 86400);
	assert_int_equal(irmf_duration_parse("2w", &d), 0);
	assert_int_equal(d, 14 * 86400);
	assert_int_equal(irmf_duration_parse("90", &d), 0);
	assert_int_equal(d, 90);
	assert_int_equal(irmf_duration_parse("7x", &d), IRMF_EUSAGE);
	assert_int_equal(irmf_duration_parse("-1d", &d), IRMF_EUSAGE);
	assert_int_equal(irmf_duration_parse("7dd", &d), IRMF_EUSAGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_and_dedupe, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_record_many, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_many_settings, setup,
		    teardown),
		cmocka_unit_test(test_hash_ignores_time_and_provenance),
		cmocka_unit_test_setup_teardown(test_drift_add_remove_change,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_host_is_not_no_change,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_error_keeps_settings,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_server_and_duplicates,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_and_current, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prune_keeps_latest, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_forget_removes_one_server,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_forget_dry_run_and_unknown,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_detects_tampering,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_foreign_and_missing_db_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_db_untouched,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only_open,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrates_v1, setup,
		    teardown),
		cmocka_unit_test(test_time_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
