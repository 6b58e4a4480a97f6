/*
 * test_cohort.c - which servers are compared with each other
 * (compare/core/cohort.c): the cohort of each role and generation, a
 * server of unknown or contradictory generation in a cohort of its own
 * kind that is compared with nobody, Exchange roles the connector
 * documentation does not configure, the remembered cohort and when it is
 * recomputed, and what the generation means for a fix (the
 * GenConnectorConfig switch, how the MSIPC keys get written).
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "settings.h"
#include "snapshot_int.h"

/* A server of `roles` whose product build is `build` (NULL: no evidence
 * of its generation at all). */
static irmf_snapshot *
server(unsigned roles, const char *product, const char *build)
{
	irmf_snapshot *s;

	assert_int_equal(irmf_snapshot_new(&s, "S1"), 0);
	s->roles = roles;
	if (build != NULL)
		assert_int_equal(irmf_snapshot_set_product(s, product, build),
		    0);
	return s;
}

static void
expect_cohort(unsigned roles, const char *product, const char *build,
    const char *cohort, const char *genswitch)
{
	irmf_snapshot *s = server(roles, product, build);

	assert_string_equal(irmf_cohort_of(s), cohort);
	if (genswitch != NULL)
		assert_string_equal(irmf_genconfig_switch(s), genswitch);
	irmf_snapshot_free(s);
}

static void
test_cohort_per_role_and_generation(void **state)
{
	(void)state;
	expect_cohort(IRMF_ROLE_EXCHANGE, "Exchange Server 2010", "14.3.389.1",
	    "exchange-v14", "-SetExchange2010");
	expect_cohort(IRMF_ROLE_EXCHANGE, "Exchange Server 2013", "15.0.1497.2",
	    "exchange-v15", "-SetExchange2013");
	/* 2016 and 2019 share 2013's keys and cohort */
	expect_cohort(IRMF_ROLE_EXCHANGE, "Exchange Server 2019", "15.2.1544.4",
	    "exchange-v15", "-SetExchange2013");
	expect_cohort(IRMF_ROLE_SHAREPOINT, "SharePoint Server 2010",
	    "14.0.7015.1000", "sharepoint-2010-fci", "-SetSharePoint2010");
	expect_cohort(IRMF_ROLE_SHAREPOINT, "SharePoint Server 2016",
	    "16.0.5056.1000", "sharepoint-2013+", "-SetSharePoint2013");
	/* an FCI file server shares SharePoint 2010's MSDRM keys, but the
	 * tool has its own switch for it */
	expect_cohort(IRMF_ROLE_FCI, NULL, NULL, "sharepoint-2010-fci",
	    "-SetFCI2012");
	expect_cohort(IRMF_ROLE_CONNECTOR, NULL, NULL, "connector",
	    "with the switch for this server's role");
	expect_cohort(0, NULL, NULL, "unknown",
	    "with the switch for this server's role");
}

/* No evidence, or evidence that contradicts itself: a cohort of its own
 * kind, never compared, and a fix that names both switches. */
static void
test_unknown_generation_cohort(void **state)
{
	irmf_snapshot *s;
	const char *sw;

	(void)state;
	s = server(IRMF_ROLE_EXCHANGE, NULL, NULL);
	assert_string_equal(irmf_cohort_of(s), "exchange-unknown");
	sw = irmf_genconfig_switch(s);
	assert_non_null(strstr(sw, "-SetExchange2010"));
	assert_non_null(strstr(sw, "-SetExchange2013"));
	assert_non_null(strstr(sw, "generation is unknown"));
	irmf_snapshot_free(s);

	s = server(IRMF_ROLE_SHAREPOINT, NULL, NULL);
	assert_string_equal(irmf_cohort_of(s), "sharepoint-unknown");
	sw = irmf_genconfig_switch(s);
	assert_non_null(strstr(sw, "-SetSharePoint2010"));
	assert_non_null(strstr(sw, "-SetSharePoint2013"));
	irmf_snapshot_free(s);

	/* ExSetup.exe says 2010, Get-ExchangeServer says 2019: a conflict
	 * is as unknown as no evidence */
	s = server(IRMF_ROLE_EXCHANGE, "Exchange Server 2019", "15.2.1544.4");
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "14.3.389.1"), 0);
	assert_string_equal(irmf_cohort_of(s), "exchange-unknown");
	irmf_snapshot_free(s);

	assert_true(irmf_cohort_unidentified("exchange-unknown"));
	assert_true(irmf_cohort_unidentified("sharepoint-unknown"));
	assert_false(irmf_cohort_unidentified("exchange-v15"));
	assert_false(irmf_cohort_unidentified("unknown"));
	assert_false(irmf_cohort_compared("exchange-unknown"));
	assert_false(irmf_cohort_compared("sharepoint-unknown"));
	assert_false(irmf_cohort_compared("exchange-not-configured"));
	assert_true(irmf_cohort_compared("exchange-v14"));
	assert_true(irmf_cohort_compared("sharepoint-2013+"));
	assert_true(irmf_cohort_compared("connector"));
}

/* Exchange roles from Get-ExchangeServer: an Edge Transport server, and
 * a 2010 Mailbox-only one, are not configured by the documentation. */
static void
test_exchange_roles_configured(void **state)
{
	static const struct {
		const char *build, *roles, *cohort;
	} cases[] = {
		{ "15.2.1544.4", "Edge", "exchange-not-configured" },
		{ "15.2.1544.4", "Mailbox", "exchange-v15" },
		{ "15.0.1497.2", "ClientAccess, Mailbox", "exchange-v15" },
		{ "14.3.389.1", "Mailbox", "exchange-not-configured" },
		{ "14.3.389.1", "Mailbox, HubTransport", "exchange-v14" },
		{ "14.3.389.1", "ClientAccess", "exchange-v14" },
		/* a role name inside another is not that role */
		{ "14.3.389.1", "MailboxClientAccessX", "exchange-not-configured" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		irmf_snapshot *s = server(IRMF_ROLE_EXCHANGE, "Exchange",
		    cases[i].build);

		assert_non_null(s->exchange_roles = strdup(cases[i].roles));
		if (strcmp(irmf_cohort_of(s), cases[i].cohort) != 0)
			fail_msg("%s %s: cohort %s, want %s", cases[i].build,
			    cases[i].roles, irmf_cohort_of(s), cases[i].cohort);
		irmf_snapshot_free(s);
	}
}

/* The remembered cohort is used while roles, keys and files are
 * unchanged, and recomputed once they change. */
static void
test_remembered_cohort(void **state)
{
	irmf_snapshot *s = server(IRMF_ROLE_EXCHANGE, "Exchange Server 2019",
	    "15.2.1544.4");
	irmf_reg_key *k;

	(void)state;
	irmf_cohort_remember(s);
	assert_string_equal(irmf_cohort_of(s), "exchange-v15");
	assert_ptr_equal(irmf_cohort_of(s), s->cohort_memo);
	s->roles = IRMF_ROLE_CONNECTOR;
	assert_string_equal(irmf_cohort_of(s), "connector");
	s->roles = IRMF_ROLE_EXCHANGE;
	/* a file that changes the evidence: ExSetup.exe says 2010 */
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "14.3.389.1"), 0);
	assert_string_equal(irmf_cohort_of(s), "exchange-unknown");
	irmf_cohort_remember(s);
	assert_int_equal(irmf_snapshot_reg_key(s, "HKLM\\SOFTWARE\\X", &k), 0);
	assert_string_equal(irmf_cohort_of(s), "exchange-unknown");
	irmf_snapshot_free(s);
}

/* MSIPC keys: written by hand on Exchange, by the tool's
 * -SetSharePoint2013 elsewhere. */
static void
test_msipc_via(void **state)
{
	irmf_snapshot *s;

	(void)state;
	s = server(IRMF_ROLE_EXCHANGE, "Exchange Server 2019", "15.2.1544.4");
	assert_non_null(strstr(irmf_msipc_via(s), "set them by hand"));
	assert_null(strstr(irmf_msipc_via(s), "GenConnectorConfig"));
	irmf_snapshot_free(s);
	s = server(IRMF_ROLE_SHAREPOINT, "SharePoint Server 2016",
	    "16.0.5056.1000");
	assert_non_null(strstr(irmf_msipc_via(s),
	    ".\\GenConnectorConfig.ps1 -ConnectorUri <connector URL> "
	    "-SetSharePoint2013"));
	irmf_snapshot_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cohort_per_role_and_generation),
		cmocka_unit_test(test_unknown_generation_cohort),
		cmocka_unit_test(test_exchange_roles_configured),
		cmocka_unit_test(test_remembered_cohort),
		cmocka_unit_test(test_msipc_via),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
