/*
 * test_store_prune.c - shrinking and checking the history
 * (compare/store/prune.c, check.c): prune keeps each server's latest
 * state, forget removes one server and only it (and a dry run or an
 * unknown name changes nothing), db check catches a tampered row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_fixture.h"

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
		irmf_snapshot *s[2] = { stf_mk("EX01", day % 2 ? GOOD : BAD, "1.0.0"),
		    stf_mk("EX02", GOOD, "1.0.0") };
		snprintf(at, sizeof(at), "2026-10-%02dT00:00:00Z", day);
		stf_record(f, s, 2, at, &sum, &d);
		stf_free_all(s, 2);
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
	assert_int_equal(stf_check(f), 0);
	/* and the next audit still diffs against it */
	{
		irmf_snapshot *s[2] = { stf_mk("EX01", BAD, "1.0.0"),
		    stf_mk("EX02", GOOD, "1.0.0") };
		stf_record(f, s, 2, "2026-10-11T00:00:00Z", &sum, &d);
		assert_int_equal(d.n, 0);   /* day 10 was BAD too */
		stf_free_all(s, 2);
	}
	assert_int_equal(stf_check(f), 0);
	/* forgetting a server after a prune keeps the history consistent */
	{
		const char *name[] = { "EX01" };
		irmf_forget_stats fs;

		assert_int_equal(irmf_store_forget(f->st, name, 1, false, &fs,
		    NULL), 0);
		assert_true(fs.sightings >= 1 && fs.intervals >= 1);
		assert_int_equal(stf_check(f), 0);
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
		irmf_snapshot *s[3] = { stf_mk("EX01", GOOD, "1.0.0"),
		    stf_mk("EX02", GOOD, "1.0.0"),
		    stf_mk("EX07", day >= 3 ? BAD : GOOD, "9.9.9") };
		char at[32];
		size_t first = day == 4 ? 2 : 0;
		size_t n = day == 4 ? 1 : day == 2 || day == 5 ? 2 : 3;

		snprintf(at, sizeof(at), "2026-11-%02dT00:00:00Z", day);
		assert_int_equal(irmf_store_record_run(f->st, s + first, n,
		    day == 2 ? &hf : NULL, day == 2 ? 1 : 0, at, &sum, &d), 0);
		stf_free_all(s, 3);
	}
	irmf_changes_clear(&d);
}

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
	assert_int_equal(stf_check(f), 0);
	ivs = stf_count(f, EX07_ROWS("intervals"));
	only = stf_count(f, EX07_ONLY_VALUES);
	others = stf_count(f, OTHERS_ROWS);
	assert_true(ivs > 4);   /* its settings, plus the URL change */
	assert_true(only >= 2);   /* msipc 9.9.9 and the http URL */
	assert_int_equal(irmf_store_history(f->st, &q, &h), 0);
	hist01 = h.n;
	assert_int_equal(irmf_store_stale(f->st, "2026-12-31T00:00:00Z",
	    86400, &d), 0);
	assert_non_null(stf_find_change(&d, IRMF_CHANGE_STALE, "EX07", NULL));

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
	assert_int_equal(stf_count(f, "SELECT count(*) FROM servers WHERE "
	    "name = 'EX07'"), 0);
	assert_int_equal(stf_count(f, "SELECT count(*) FROM snapshots"), 2);
	assert_int_equal(stf_count(f, "SELECT count(*) FROM snapshot_errors"), 0);
	assert_int_equal(stf_count(f, "SELECT count(*) FROM runs"), 4);
	assert_int_equal(stf_count(f, "SELECT count(*) FROM setting_values WHERE "
	    "value LIKE '%9.9.9%' OR value LIKE '%http://%'"), 0);
	/* the value EX07 shared with the others survives */
	assert_true(stf_count(f, "SELECT count(*) FROM setting_values WHERE "
	    "value LIKE '%https://rmscon%'") >= 1);
	assert_int_equal(stf_count(f, OTHERS_ROWS), others);
	assert_int_equal(stf_count(f, "SELECT hosts_ok * 10 + hosts_failed FROM "
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
	assert_null(stf_find_change(&d, IRMF_CHANGE_STALE, "EX07", NULL));
	assert_int_equal(d.n, 2);
	assert_int_equal(stf_check(f), 0);

	/* seen again, it is a new server */
	{
		irmf_snapshot *s[3] = { stf_mk("EX01", GOOD, "1.0.0"),
		    stf_mk("EX02", GOOD, "1.0.0"), stf_mk("EX07", BAD, "9.9.9") };
		stf_record(f, s, 3, "2026-11-06T00:00:00Z", &sum, &d);
		stf_free_all(s, 3);
	}
	assert_int_equal(d.n, 1);
	assert_int_equal(d.items[0].kind, IRMF_CHANGE_NEW_SERVER);
	assert_string_equal(d.items[0].server, "EX07");
	assert_int_equal(irmf_store_history(f->st, &q, &h), 0);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.items[0].at, "2026-11-06T00:00:00Z");
	assert_int_equal(stf_check(f), 0);
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
	assert_int_equal(stf_count(f, "SELECT count(*) FROM servers"), 2);
	assert_int_equal(stf_check(f), 0);
	/* and a second time it is unknown */
	assert_int_equal(irmf_store_forget(f->st, twice, 1, false, real, NULL),
	    IRMF_ENOTFOUND);
	assert_non_null(strstr(irmf_error_last()->message, "'EX07'"));
}

static void
test_check_detects_tampering(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[1] = { stf_mk("EX01", GOOD, "1.0.0") };
	irmf_run_summary sum;
	irmf_changes d = { 0 };

	stf_record(f, s, 1, NULL, &sum, &d);
	assert_int_equal(stf_check(f), 0);
	stf_exec_raw(f->path, "UPDATE setting_values SET value = 'REG_DWORD 0x2' "
	    "WHERE value = 'REG_DWORD 0x1'");
	assert_int_equal(stf_check(f), 1);
	stf_exec_raw(f->path, "UPDATE runs SET finished_at = NULL");
	assert_true(stf_check(f) >= 2);
	irmf_changes_clear(&d);
	stf_free_all(s, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_prune_keeps_latest, stf_setup,
		    stf_teardown),
		cmocka_unit_test_setup_teardown(test_forget_removes_one_server,
		    stf_setup, stf_teardown),
		cmocka_unit_test_setup_teardown(test_forget_dry_run_and_unknown,
		    stf_setup, stf_teardown),
		cmocka_unit_test_setup_teardown(test_check_detects_tampering,
		    stf_setup, stf_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
