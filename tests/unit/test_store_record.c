/*
 * test_store_record.c - recording runs into the history
 * (compare/store/record.c, changes.c, canon.c, intervals.c, idmap.c):
 * dedupe by canonical hash (collection time and provenance ignored), many
 * servers and settings, drift (added, removed, changed, failed, not
 * collected, new), a failed or partly failed host never read as "no
 * change", duplicate server names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_fixture.h"

static void
test_record_and_dedupe(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[2] = { stf_mk("EX01", GOOD, "1.0.0"),
	    stf_mk("EX02", GOOD, "1.0.0") };
	irmf_run_summary sum;
	irmf_changes d = { 0 };

	stf_record(f, s, 2, "2026-11-01T00:00:00Z", &sum, &d);
	assert_int_equal(sum.run_id, 1);
	assert_int_equal(sum.prev_run_id, 0);
	assert_int_equal(sum.hosts_ok, 2);
	assert_int_equal(sum.snapshots_new, 2);
	assert_int_equal(d.n, 0);   /* first audit: baseline, no drift */
	int64_t ivs = stf_count(f, "SELECT count(*) FROM intervals");
	assert_true(ivs >= 8);
	/* same content, only collected_at and provenance differ */
	assert_int_equal(irmf_snapshot_set_collected_at(s[0],
	    "2026-11-02T10:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_source(s[0], "ex01.reg", "ab",
	    "reg"), 0);
	stf_record(f, s, 2, "2026-11-02T00:00:00Z", &sum, &d);
	assert_int_equal(sum.prev_run_id, 1);
	assert_int_equal(sum.snapshots_new, 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(stf_count(f, "SELECT count(*) FROM snapshots"), 2);
	assert_int_equal(stf_count(f, "SELECT count(*) FROM intervals"), ivs);
	/* a seen-again server extends its sighting instead of adding one */
	assert_int_equal(stf_count(f, "SELECT count(*) FROM sightings"), 2);
	assert_int_equal(stf_count(f, "SELECT max(last_run) FROM sightings"), 2);
	assert_int_equal(stf_count(f, "SELECT count(*) FROM runs"), 2);
	assert_int_equal(stf_check(f), 0);
	irmf_changes_clear(&d);
	stf_free_all(s, 2);
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
		s[i] = stf_mk(name, i == 150 ? BAD : GOOD, "1.0.0");
	}
	stf_record(f, s, 200, "2026-11-01T00:00:00Z", &sum, &d);
	assert_int_equal(sum.hosts_ok, 200);
	assert_int_equal(sum.snapshots_new, 200);
	assert_int_equal(stf_count(f, "SELECT count(DISTINCT server_id) FROM "
	    "intervals WHERE to_run IS NULL"), 200);
	/* flip every server: 200 changes of the same key */
	for (int i = 0; i < 200; i++) {
		irmf_snapshot_free(s[i]);
		snprintf(name, sizeof(name), "EX%03d", i);
		s[i] = stf_mk(name, i == 150 ? GOOD : BAD, "1.0.0");
	}
	stf_record(f, s, 200, "2026-11-02T00:00:00Z", &sum, &d);
	assert_int_equal(d.n, 200);
	for (size_t i = 0; i < d.n; i++) {
		assert_int_equal(d.items[i].kind, IRMF_CHANGE_CHANGED);
		assert_string_equal(d.items[i].setting, KEY_REDIR);
	}
	assert_string_equal(d.items[0].server, "EX000");   /* sorted */
	assert_int_equal(stf_check(f), 0);
	irmf_changes_clear(&d);
	stf_free_all(s, 200);
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
			s[i] = stf_mk(name, GOOD, "1.0.0");
			assert_int_equal(irmf_snapshot_reg_key(s[i], MSDRM, &k),
			    0);
			for (int j = 0; j < 700; j++) {
				snprintf(name, sizeof(name), "V%03d", j);
				assert_int_equal(irmf_reg_key_set_num(k, name,
				    IRMF_REG_DWORD, (uint32_t)(j * 3 + i +
				    (round && j % 100 == 0))), 0);
			}
		}
		stf_record(f, s, 3, round ? "2026-11-02T00:00:00Z" :
		    "2026-11-01T00:00:00Z", &sum, &d);
		stf_free_all(s, 3);
	}
	/* 3 x 7 values changed, nothing else */
	assert_int_equal(d.n, 21);
	for (size_t i = 0; i < d.n; i++)
		assert_int_equal(d.items[i].kind, IRMF_CHANGE_CHANGED);
	assert_int_equal(stf_count(f, "SELECT count(*) FROM intervals WHERE "
	    "to_run IS NULL"), 3 * 704);
	assert_int_equal(stf_count(f, "SELECT count(*) FROM setting_keys"), 704);
	assert_int_equal(stf_check(f), 0);
	irmf_changes_clear(&d);
}

static void
test_hash_ignores_time_and_provenance(void **state)
{
	irmf_snapshot *a = stf_mk("EX01", GOOD, "1.0.0"), *b = stf_mk("EX01", GOOD,
	    "1.0.0"), *c = stf_mk("EX01", BAD, "1.0.0");
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
	irmf_snapshot *s[2] = { stf_mk("EX01", GOOD, "1.0.0"),
	    stf_mk("EX02", GOOD, "1.0.0") };
	irmf_snapshot *t[2] = { stf_mk("EX01", GOOD, "1.0.0"),
	    stf_mk("EX02", BAD, NULL) };
	irmf_run_summary sum;
	irmf_changes d = { 0 };
	const irmf_change *c;
	irmf_reg_key *k;

	stf_record(f, s, 2, "2026-11-01T00:00:00Z", &sum, &d);
	/* EX02: redirection changed, extra value added, msipc removed */
	k = irmf_snapshot_reg_find(t[1], MSDRM);
	assert_int_equal(irmf_reg_key_set_sz(k, "ExtraValue", IRMF_REG_SZ,
	    "x"), 0);
	/* msipc.dll gone, msdrm.dll instead */
	assert_int_equal(irmf_snapshot_file_set(t[1], "msdrm.dll", NULL,
	    "6.3.1"), 0);
	stf_record(f, t, 2, "2026-11-02T00:00:00Z", &sum, &d);
	assert_int_equal(d.n, 4);
	c = stf_find_change(&d, IRMF_CHANGE_CHANGED, "EX02", KEY_REDIR);
	assert_non_null(c);
	assert_non_null(strstr(c->old_value, "https://rmscon"));
	assert_non_null(strstr(c->new_value, "http://rmscon"));
	assert_string_equal(c->old_since, "2026-11-01T00:00:00Z");
	assert_string_equal(c->at, "2026-11-02T00:00:00Z");
	c = stf_find_change(&d, IRMF_CHANGE_ADDED, "EX02", KEY_EXTRA);
	assert_non_null(c);
	assert_string_equal(c->new_value, "REG_SZ x");
	assert_null(c->old_value);
	c = stf_find_change(&d, IRMF_CHANGE_REMOVED, "EX02", "file:msipc.dll");
	assert_non_null(c);
	assert_string_equal(c->old_value, "1.0.0");
	assert_non_null(stf_find_change(&d, IRMF_CHANGE_ADDED, "EX02",
	    "file:msdrm.dll"));
	assert_null(stf_find_change(&d, IRMF_CHANGE_CHANGED, "EX01", NULL));
	assert_int_equal(stf_check(f), 0);
	irmf_changes_clear(&d);
	stf_free_all(s, 2);
	stf_free_all(t, 2);
}

static void
test_failed_host_is_not_no_change(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[2] = { stf_mk("EX01", GOOD, "1.0.0"),
	    stf_mk("EX02", GOOD, "1.0.0") };
	irmf_snapshot *t[1] = { stf_mk("EX01", GOOD, "1.0.0") };
	irmf_snapshot *u[1];
	irmf_host_failure hf = { "EX02", "connection refused" };
	irmf_run_summary sum;
	irmf_changes d = { 0 };
	irmf_current cur;
	const irmf_change *c;

	stf_record(f, s, 2, "2026-11-01T00:00:00Z", &sum, &d);
	/* EX01's snapshot says the host failed; EX02 is a listed failure */
	assert_int_equal(irmf_snapshot_add_error(t[0], "host",
	    IRMF_REASON_TIMEOUT, "timed out after 60 s"), 0);
	assert_int_equal(irmf_store_record_run(f->st, t, 1, &hf, 1,
	    "2026-11-02T00:00:00Z", &sum, &d), 0);
	assert_int_equal(sum.hosts_ok, 0);
	assert_int_equal(sum.hosts_failed, 2);
	assert_int_equal(d.n, 2);
	c = stf_find_change(&d, IRMF_CHANGE_FAILED, "EX01", NULL);
	assert_non_null(c);
	assert_string_equal(c->message, "timed out after 60 s");
	c = stf_find_change(&d, IRMF_CHANGE_FAILED, "EX02", NULL);
	assert_non_null(c);
	assert_string_equal(c->message, "connection refused");
	assert_int_equal(stf_count(f, "SELECT count(*) FROM sightings WHERE "
	    "status = 'failed'"), 2);
	/* the last known value stays current, and no setting was removed */
	assert_int_equal(irmf_store_current(f->st, "EX02", KEY_REDIR, &cur), 0);
	assert_non_null(strstr(cur.value, "https://rmscon"));
	assert_string_equal(cur.since, "2026-11-01T00:00:00Z");
	irmf_current_clear(&cur);
	assert_int_equal(stf_count(f, "SELECT count(*) FROM intervals WHERE "
	    "to_run IS NOT NULL"), 0);
	/* back to normal with the same content: no drift at all */
	u[0] = stf_mk("EX01", GOOD, "1.0.0");
	stf_record(f, u, 1, "2026-11-03T00:00:00Z", &sum, &d);
	assert_null(stf_find_change(&d, IRMF_CHANGE_ADDED, "EX01", NULL));
	assert_null(stf_find_change(&d, IRMF_CHANGE_FAILED, "EX01", NULL));
	assert_non_null(stf_find_change(&d, IRMF_CHANGE_ABSENT, "EX02", NULL));
	assert_int_equal(stf_check(f), 0);
	irmf_changes_clear(&d);
	stf_free_all(s, 2);
	stf_free_all(t, 1);
	stf_free_all(u, 1);
}

static void
test_partial_error_keeps_settings(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[1] = { stf_mk("EX01", GOOD, "1.0.0") };
	irmf_snapshot *t[1];
	irmf_run_summary sum;
	irmf_changes d = { 0 };

	stf_record(f, s, 1, "2026-11-01T00:00:00Z", &sum, &d);
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
	stf_record(f, t, 1, "2026-11-02T00:00:00Z", &sum, &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.items[0].kind, IRMF_CHANGE_NOT_COLLECTED);
	assert_string_equal(d.items[0].setting, "irm-config");
	assert_true(irmf_change_is_unchecked(d.items[0].kind));
	assert_int_equal(stf_count(f, "SELECT count(*) FROM intervals WHERE "
	    "to_run IS NOT NULL"), 0);
	assert_int_equal(stf_check(f), 0);
	irmf_changes_clear(&d);
	stf_free_all(s, 1);
	stf_free_all(t, 1);
}

static void
test_new_server_and_duplicates(void **state)
{
	fx *f = *state;
	irmf_snapshot *s[1] = { stf_mk("EX01", GOOD, "1.0.0") };
	irmf_snapshot *t[2] = { stf_mk("EX01", GOOD, "1.0.0"),
	    stf_mk("EX03", GOOD, "1.0.0") };
	irmf_snapshot *dup[2] = { stf_mk("EX05", GOOD, "1.0.0"),
	    stf_mk("ex05", GOOD, "1.0.0") };
	irmf_run_summary sum;
	irmf_changes d = { 0 };

	stf_record(f, s, 1, "2026-11-01T00:00:00Z", &sum, &d);
	stf_record(f, t, 2, "2026-11-02T00:00:00Z", &sum, &d);
	assert_int_equal(d.n, 1);   /* one summary item, not one per setting */
	assert_int_equal(d.items[0].kind, IRMF_CHANGE_NEW_SERVER);
	assert_string_equal(d.items[0].server, "EX03");
	/* a server twice in one run is refused and nothing is written */
	assert_int_equal(irmf_store_record_run(f->st, dup, 2, NULL, 0, NULL,
	    &sum, &d), IRMF_EUSAGE);
	assert_non_null(strstr(irmf_error_last()->message, "twice"));
	assert_int_equal(stf_count(f, "SELECT count(*) FROM runs"), 2);
	assert_int_equal(stf_count(f, "SELECT count(*) FROM servers"), 2);
	irmf_changes_clear(&d);
	stf_free_all(s, 1);
	stf_free_all(t, 2);
	stf_free_all(dup, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_and_dedupe, stf_setup,
		    stf_teardown),
		cmocka_unit_test_setup_teardown(test_record_many, stf_setup,
		    stf_teardown),
		cmocka_unit_test_setup_teardown(test_many_settings, stf_setup,
		    stf_teardown),
		cmocka_unit_test(test_hash_ignores_time_and_provenance),
		cmocka_unit_test_setup_teardown(test_drift_add_remove_change,
		    stf_setup, stf_teardown),
		cmocka_unit_test_setup_teardown(test_failed_host_is_not_no_change,
		    stf_setup, stf_teardown),
		cmocka_unit_test_setup_teardown(test_partial_error_keeps_settings,
		    stf_setup, stf_teardown),
		cmocka_unit_test_setup_teardown(test_new_server_and_duplicates,
		    stf_setup, stf_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
