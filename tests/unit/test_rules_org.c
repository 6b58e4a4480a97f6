/*
 * test_rules_org.c - Get-IRMConfiguration findings once per organisation
 * (compare/rules/rules_org.c): the irm-* findings of all Exchange servers
 * merged into one, and exports that disagree reported as such, never
 * "fixed" toward a stale majority; Get-IRMConfiguration recorded as not
 * collected on every Exchange server is one finding for the fleet.
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

#define SSH_WHY "not collected over SSH: needs the export script or a " \
	"password logon"

/* A fleet collected with the one-script plan under a key logon: no
 * Exchange server holds Get-IRMConfiguration, each records why.  One
 * not-collected finding for the organisation (not one per server),
 * listing the servers by reason and saying what to run; servers of
 * other roles are not listed. */
static void
test_org_irm_not_collected(void **state)
{
	rf_fleet *fl = *state;
	const irmf_finding *f;

	for (int i = 1; i <= 7; i++) {
		char name[8];
		snprintf(name, sizeof(name), "EX0%d", i);
		assert_int_equal(irmf_snapshot_add_skipped(rf_exch(fl, name,
		    "v15"), "irm-config", SSH_WHY), 0);
	}
	/* imported without it, and no record of why */
	rf_exch(fl, "EX08", "v15");
	rf_sp13(fl, "SP01");
	rf_auth_ok(rf_node(fl, "RMS1"));
	rf_expect(fl, "irm-config-collected - not-collected", NULL);
	f = rf_find(fl, "irm-config-collected", NULL);
	assert_string_equal(f->cohort, "organization");
	assert_string_equal(f->setting, "irm-config");
	assert_int_equal(f->severity, IRMF_SEV_WARNING);
	assert_string_equal(f->value, "EX01, EX02, EX03, EX04, EX05, ... "
	    "(7 servers: " SSH_WHY "); EX08 (1 server: not in its snapshot)");
	assert_non_null(strstr(f->explanation, "unknown, not correct"));
	assert_null(strstr(f->explanation, "Get-ExchangeServer"));
	assert_non_null(strstr(f->remediation, "irmfleet export-script "
	    "--role exchange"));
	assert_non_null(strstr(f->remediation, "Exchange Management Shell"));
	assert_non_null(strstr(f->remediation, "irmfleet import --out DIR"));
	assert_non_null(strstr(f->remediation, "irmfleet collect --plan "
	    "script --password-auth"));
	/* Get-ExchangeServer skipped too: the roles are unknown, and the
	 * servers are judged as configured ones, as without an export */
	assert_int_equal(irmf_snapshot_add_skipped(fl->s[0], "exchange-server",
	    SSH_WHY), 0);
	rf_expect(fl, "irm-config-collected - not-collected", NULL);
	assert_non_null(strstr(rf_find(fl, "irm-config-collected",
	    NULL)->explanation, "Exchange roles unknown"));
}

/* One Exchange server's export covers the organisation: the others'
 * records say nothing more.  A fleet that records nothing (imports
 * without Get-IRMConfiguration, the old fixtures) gets no such finding:
 * absent is not "recorded as not collected".  Without Exchange servers
 * there is no organisation to speak of. */
static void
test_org_irm_covered(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	assert_int_equal(irmf_snapshot_add_skipped(rf_exch(fl, "EX01", "v15"),
	    "irm-config", SSH_WHY), 0);
	rf_irm_ok(rf_exch(fl, "EX02", "v15"));
	rf_expect(fl, NULL);
	rf_teardown(state);
	rf_setup(state);
	fl = *state;
	rf_exch(fl, "EX01", "v15");
	rf_exch(fl, "EX02", "v15");
	rf_expect(fl, NULL);
	rf_teardown(state);
	rf_setup(state);
	fl = *state;
	s = rf_sp13(fl, "SP01");
	assert_int_equal(irmf_snapshot_add_skipped(s, "irm-config", SSH_WHY),
	    0);
	rf_expect(fl, NULL);
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
		T(test_org_irm_not_collected),
		T(test_org_irm_covered),
		cmocka_unit_test(test_every_rule_fired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
