/*
 * test_rules_org.c - Get-IRMConfiguration findings once per organisation
 * (compare/rules/rules_org.c): the irm-* findings of all Exchange servers
 * merged into one, and exports that disagree reported as such, never
 * "fixed" toward a stale majority.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_fixture.h"

/* Right after an admin enables IRM, two of three servers still read the
 * old value: the majority is stale, so no fix may follow it. */
static void
test_irm_replication_lag(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	for (int i = 0; i < 3; i++) {
		char name[8];
		snprintf(name, sizeof(name), "EX0%d", i + 1);
		s = rf_exch(fl, name, "v15");
		rf_irm_ok(s);
		if (i > 0)
			assert_int_equal(irmf_snapshot_prop_set(s,
			    "InternalLicensingEnabled", IRMF_PROP_BOOL, "False",
			    false), 0);
	}
	rf_expect(fl, "irm-internal-licensing - rule", "irm-exports-agree - rule",
	    NULL);
	/* the documented expected value, never the stale majority's */
	assert_non_null(strstr(rf_find(fl, "irm-internal-licensing",
	    NULL)->remediation, "Set-IRMConfiguration "
	    "-InternalLicensingEnabled $true"));
	assert_null(strstr(rf_find(fl, "irm-internal-licensing", NULL)->remediation,
	    "$false"));
	assert_non_null(strstr(rf_find(fl, "irm-exports-agree", NULL)->value,
	    "EX01: True; EX02: False; EX03: False"));
}

/* Seven exports that agree on a wrong value: one finding for the
 * organisation (not seven), naming at most five servers, with no note
 * about exports that disagree; and no irm-exports-agree. */
static void
test_org_one_finding(void **state)
{
	rf_fleet *fl = *state;
	const irmf_finding *f;

	for (int i = 1; i <= 7; i++) {
		char name[8];
		irmf_snapshot *s;
		snprintf(name, sizeof(name), "EX0%d", i);
		s = rf_exch(fl, name, "v15");
		rf_irm_ok(s);
		assert_int_equal(irmf_snapshot_prop_set(s,
		    "ClientAccessServerEnabled", IRMF_PROP_BOOL, "False",
		    false), 0);
	}
	rf_expect(fl, "irm-client-access-server - rule", NULL);
	f = rf_find(fl, "irm-client-access-server", NULL);
	assert_string_equal(f->cohort, "organization");
	assert_string_equal(f->distribution, "7 of 7 Exchange servers' "
	    "exports: EX01, EX02, EX03, EX04, EX05, ...");
	assert_non_null(strstr(f->explanation, "reported once"));
	assert_null(strstr(f->explanation, "other servers' exports"));
}

/* Test-IRMConfiguration runs on each server: its failures stay per
 * server, next to an organisation-wide finding. */
static void
test_org_irm_test_per_server(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	for (int i = 1; i <= 2; i++) {
		char name[8];
		snprintf(name, sizeof(name), "EX0%d", i);
		s = rf_exch(fl, name, "v15");
		rf_irm_ok(s);
		assert_int_equal(irmf_snapshot_prop_set(s,
		    "InternalLicensingEnabled", IRMF_PROP_BOOL, "False",
		    false), 0);
		assert_int_equal(irmf_snapshot_irm_test_add(s,
		    "Acquiring RMS Templates ...", false, "failed"), 0);
		s->has_irm_test = true;
		s->irm_test_pass = false;
	}
	rf_expect(fl, "irm-internal-licensing - rule",
	    "irm-test-pass EX01 rule", "irm-test-pass EX02 rule", NULL);
	assert_non_null(strstr(rf_find(fl, "irm-internal-licensing",
	    NULL)->distribution, "2 of 2 Exchange servers' exports: EX01, "
	    "EX02"));
}

/* Must run last: every rule of rules_org.c fired above. */
static void
test_every_rule_fired(void **state)
{
	(void)state;
	rf_assert_module_fired("org");
}

#define T(f) cmocka_unit_test_setup_teardown(f, rf_setup, rf_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_irm_replication_lag),
		T(test_org_one_finding),
		T(test_org_irm_test_per_server),
		cmocka_unit_test(test_every_rule_fired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
