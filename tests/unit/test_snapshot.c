/*
 * test_snapshot.c - the in-memory snapshot model (collector/snapshot/snapshot.c):
 * case-insensitive registry lookups, root canonicalisation, deletions,
 * event summaries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "snapshot_int.h"
#include "error.h"

static void
test_canonical_path(void **state)
{
	char *p;

	(void)state;
	p = irmf_reg_canonical_path("HKLM\\SOFTWARE\\Microsoft\\");
	assert_string_equal(p, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft");
	free(p);
	p = irmf_reg_canonical_path("hkey_local_machine\\X");
	assert_string_equal(p, "HKEY_LOCAL_MACHINE\\X");
	free(p);
	assert_null(irmf_reg_canonical_path("HKXX\\SOFTWARE"));
}

static void
test_key_lookup_case_insensitive(void **state)
{
	irmf_snapshot *s;
	irmf_reg_key *k, *k2;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	assert_int_equal(irmf_snapshot_reg_key(s,
	    "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\V15\\IRM", &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://T.rms.na.aadrm.com",
	    IRMF_REG_SZ, "https://rmscon.contoso.com"), 0);
	k2 = irmf_snapshot_reg_find(s,
	    "hkey_local_machine\\software\\microsoft\\exchangeserver\\v15\\irm");
	assert_ptr_equal(k, k2);
	assert_non_null(irmf_reg_key_find_value(k2, "HTTPS://t.rms.na.aadrm.com"));
	/* same key again: no duplicate */
	assert_int_equal(irmf_snapshot_reg_key(s,
	    "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\ExchangeServer\\v15\\irm",
	    &k2), 0);
	assert_int_equal(s->nkeys, 1);
	irmf_snapshot_free(s);
}

static void
test_many_keys_and_delete(void **state)
{
	irmf_snapshot *s;
	irmf_reg_key *k;
	char path[128];

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	for (int i = 0; i < 2000; i++) {
		snprintf(path, sizeof(path), "HKLM\\SOFTWARE\\A\\K%d", i);
		assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
		assert_int_equal(irmf_reg_key_set_num(k, "", IRMF_REG_DWORD,
		    (uint64_t)i), 0);
	}
	assert_int_equal(irmf_snapshot_reg_key(s, "HKLM\\SOFTWARE\\B", &k), 0);
	assert_int_equal(s->nkeys, 2001);
	k = irmf_snapshot_reg_find(s, "HKLM\\software\\a\\k1999");
	assert_non_null(k);
	assert_int_equal(k->values[0].num, 1999);
	/* one key removed (the index is rebuilt, key hashes computed again):
	 * every other key is still found, the removed one can be added back,
	 * and adding an existing key does not duplicate it */
	assert_int_equal(irmf_snapshot_reg_delete_key(s,
	    "HKLM\\SOFTWARE\\A\\K7"), 0);
	assert_int_equal(s->nkeys, 2000);
	for (int i = 0; i < 2000; i++) {
		snprintf(path, sizeof(path), "HKLM\\SOFTWARE\\A\\K%d", i);
		k = irmf_snapshot_reg_find(s, path);
		if (i == 7) {
			assert_null(k);
			continue;
		}
		assert_non_null(k);
		assert_int_equal(k->values[0].num, i);
	}
	assert_int_equal(irmf_snapshot_reg_key(s, "HKLM\\SOFTWARE\\A\\K7",
	    &k), 0);
	assert_int_equal(k->nvalues, 0);
	assert_int_equal(irmf_snapshot_reg_key(s, "HKLM\\SOFTWARE\\A\\K8",
	    &k), 0);
	assert_int_equal(k->values[0].num, 8);
	assert_int_equal(s->nkeys, 2001);
	/* deleting A removes A's subkeys but not "AB"-like siblings */
	assert_int_equal(irmf_snapshot_reg_delete_key(s, "HKLM\\SOFTWARE\\A"), 0);
	assert_int_equal(s->nkeys, 1);
	assert_non_null(irmf_snapshot_reg_find(s, "HKLM\\SOFTWARE\\B"));
	assert_null(irmf_snapshot_reg_find(s, "HKLM\\SOFTWARE\\A\\K5"));
	irmf_snapshot_free(s);
}

static void
test_value_replace_and_delete(void **state)
{
	irmf_snapshot *s;
	irmf_reg_key *k;
	char *items[] = { "a", "", "c" };

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "SP01"), 0);
	assert_int_equal(irmf_snapshot_reg_key(s, "HKLM\\X", &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "", IRMF_REG_SZ, "one"), 0);
	assert_int_equal(irmf_reg_key_set_multi(k, "", items, 3), 0);
	assert_int_equal(k->nvalues, 1);
	assert_int_equal(k->values[0].type, IRMF_REG_MULTI_SZ);
	assert_int_equal(k->values[0].nmulti, 3);
	assert_string_equal(k->values[0].multi[1], "");
	assert_int_equal(irmf_reg_key_delete_value(k, ""), 0);
	assert_int_equal(k->nvalues, 0);
	irmf_snapshot_free(s);
}

static void
test_events_summarized(void **state)
{
	irmf_snapshot *s;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "RMSCON1"), 0);
	assert_int_equal(irmf_snapshot_add_event(s, 1002, "CONTOSO\\EX01$",
	    "EX01.contoso.com", "2026-01-02T10:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_event(s, 1002, "contoso\\ex01$",
	    "ex01.contoso.com", "2026-01-01T10:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_event(s, 2001, "CONTOSO\\EX07$",
	    NULL, NULL), 0);
	assert_int_equal(s->nevents, 2);
	assert_int_equal(s->events[0].count, 2);
	assert_string_equal(s->events[0].first, "2026-01-01T10:00:00Z");
	assert_string_equal(s->events[0].last, "2026-01-02T10:00:00Z");
	irmf_snapshot_free(s);
}

static void
test_error_last(void **state)
{
	irmf_role r;

	(void)state;
	assert_int_equal(irmf_role_parse("Exchange", &r), 0);
	assert_int_equal(r, IRMF_ROLE_EXCHANGE);
	assert_int_equal(irmf_role_parse("mailbox", &r), IRMF_EUSAGE);
	assert_int_equal(irmf_error_last()->code, IRMF_EUSAGE);
	assert_non_null(strstr(irmf_error_last()->message, "mailbox"));
	assert_string_equal(irmf_error_name(IRMF_EPARSE), "parse");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_path),
		cmocka_unit_test(test_key_lookup_case_insensitive),
		cmocka_unit_test(test_many_keys_and_delete),
		cmocka_unit_test(test_value_replace_and_delete),
		cmocka_unit_test(test_events_summarized),
		cmocka_unit_test(test_error_last),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
