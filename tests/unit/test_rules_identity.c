/*
 * test_rules_identity.c - the server identity rules
 * (compare/rules/rules_identity.c): an Exchange or SharePoint generation
 * that is unknown or contradictory is reported, never guessed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_fixture.h"

/* Server identity (issue 10): generation from ranked evidence, unknown or
 * contradictory generations reported, never guessed. */
static void
test_identity(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;
	irmf_reg_key *k;

	rf_exch(fl, "EX01", "v15");
	/* no build: the v14 IRM subkeys alone say 2010 (their IRM parent
	 * has no values, as GenConnectorConfig's .reg files write it) */
	s = rf_exch(fl, "EX02", "v14");
	free(s->product_build);
	s->product_build = NULL;
	/* keys of both versions and nothing else: unknown */
	s = rf_exch(fl, "EX03", "v15");
	free(s->product_build);
	s->product_build = NULL;
	rf_reg(s, K_EXCH "\\v14\\IRM\\LicenseServerRedirection", TENANT, CONN);
	/* ExSetup.exe says 2010, Get-ExchangeServer 2016: contradictory */
	s = rf_exch(fl, "EX04", "v15");
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "14.3.389.1"), 0);
	/* the v15\Setup key (DWORDs) decides over the keys; both versions'
	 * keys present: GPO coexistence, info only */
	s = rf_exch(fl, "EX05", "v15");
	free(s->product_build);
	s->product_build = NULL;
	rf_reg(s, K_EXCH "\\v14\\IRM\\CertificationServerRedirection", TENANT,
	    CONN);
	rf_reg(s, K_EXCH "\\v14\\IRM\\LicenseServerRedirection", TENANT, CONN);
	assert_int_equal(irmf_snapshot_reg_key(s, K_EXCH "\\v15\\Setup", &k),
	    0);
	assert_int_equal(irmf_reg_key_set_num(k, "MsiProductMajor",
	    IRMF_REG_DWORD, 15), 0);
	/* SharePoint without a version key and with both clients' keys */
	s = rf_sp13(fl, "SP01");
	free(s->product_build);
	s->product_build = NULL;
	rf_reg(s, K_MSDRM "\\Activation", "", CONN "/_wmcs/certification");
	/* SharePoint 2010 by its Web Server Extensions\14.0 key: MSDRM */
	s = rf_msdrm_client(fl, "SP02", IRMF_ROLE_SHAREPOINT, NULL);
	rf_reg(s, "HKLM\\SOFTWARE\\Microsoft\\Shared Tools\\Web Server "
	    "Extensions\\14.0", "Version", "14.0.7015.1000");
	/* servers the documentation never configures for the connector
	 * (issue 15 item 9): an Edge Transport server and an Exchange 2010
	 * Mailbox-only server, without any IRM key, get no finding */
	s = rf_add(fl, "EDGE01", IRMF_ROLE_EXCHANGE, "15.2.1544.4");
	assert_int_equal(irmf_set_str(&s->exchange_roles, "Edge"), 0);
	s = rf_add(fl, "MBX10", IRMF_ROLE_EXCHANGE, NULL);
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "14.3.389.1"), 0);
	assert_int_equal(irmf_set_str(&s->exchange_roles, "Mailbox"), 0);
	rf_reg(s, "HKLM\\SOFTWARE\\Other", "x", "y");
	rf_expect(fl, "exchange-identity EX03 rule", "exchange-identity EX04 rule",
	    "exchange-key-version EX05 rule", "exchange-key-version EX05 rule",
	    "sharepoint-identity SP01 rule", NULL);
	assert_string_equal(irmf_cohort_of(fl->s[1]), "exchange-v14");
	assert_string_equal(irmf_cohort_of(fl->s[2]), "exchange-unknown");
	assert_string_equal(irmf_cohort_of(fl->s[3]), "exchange-unknown");
	assert_string_equal(irmf_cohort_of(fl->s[4]), "exchange-v15");
	assert_string_equal(irmf_cohort_of(fl->s[6]), "sharepoint-2010-fci");
	assert_int_equal(rf_find(fl, "exchange-key-version", "EX05")->severity,
	    IRMF_SEV_INFO);
	assert_string_equal(irmf_cohort_of(fl->s[7]), "exchange-not-configured");
	assert_string_equal(irmf_cohort_of(fl->s[8]), "exchange-not-configured");
	assert_non_null(strstr(rf_find(fl, "exchange-identity", "EX04")->value,
	    "conflict"));
}

/* Must run last: every rule of rules_identity.c fired above. */
static void
test_every_rule_fired(void **state)
{
	(void)state;
	rf_assert_module_fired("identity");
}

#define T(f) cmocka_unit_test_setup_teardown(f, rf_setup, rf_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_identity),
		cmocka_unit_test(test_every_rule_fired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
