/*
 * test_store_query.c - reading the history (compare/store/query.c):
 * history and "since when" of a setting, the current value, stale
 * servers, and the time and duration arguments those queries take.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_fixture.h"

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
		irmf_snapshot *s[3] = { stf_mk("EX01", GOOD, "1.0.0"),
		    stf_mk("EX02", GOOD, "1.0.0"),
		    stf_mk("EX07", day >= 1 ? BAD : GOOD, "1.0.0") };
		stf_record(f, s, 3, days[day], &sum, &d);
		stf_free_all(s, 3);
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
	irmf_snapshot *s[2] = { stf_mk("EX01", GOOD, "1.0.0"),
	    stf_mk("EX02", GOOD, "1.0.0") };
	irmf_run_summary sum;
	irmf_changes d = { 0 };

	assert_int_equal(irmf_snapshot_set_collected_at(s[1],
	    "2026-12-05T00:00:00Z"), 0);
	stf_record(f, s, 2, "2026-12-05T00:00:00Z", &sum, &d);
	assert_int_equal(irmf_store_stale(f->st, "2026-12-06T00:00:00Z",
	    7 * 86400, &d), 0);
	/* EX01's snapshot was collected on 2026-11-01 */
	assert_int_equal(d.n, 1);
	assert_string_equal(d.items[0].server, "EX01");
	assert_int_equal(d.items[0].kind, IRMF_CHANGE_STALE);
	assert_string_equal(d.items[0].old_since, "2026-11-01T10:00:00Z");
	irmf_changes_clear(&d);
	stf_free_all(s, 2);
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
		cmocka_unit_test_setup_teardown(test_history_and_current, stf_setup,
		    stf_teardown),
		cmocka_unit_test_setup_teardown(test_stale, stf_setup, stf_teardown),
		cmocka_unit_test(test_time_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
