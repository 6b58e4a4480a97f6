/*
 * test_coverage.c - the table of areas each role's snapshot normally has
 * (collector/snapshot/coverage.c): names, what each role is expected to
 * have, which areas a snapshot holds or failed to collect, the gaps of
 * partial imports, and the texts (by generation, safe to paste).
 * Compare's coverage findings are in test_coverage_findings.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_fixture.h"

static void
test_area_names(void **state)
{
	static const char *const names[IRMF_AREA_COUNT] = {
		"registry", "irm-config", "files", "identity", "generation",
		"authorizations", "events", "probes"
	};

	(void)state;
	for (unsigned a = 0; a < IRMF_AREA_COUNT; a++) {
		assert_string_equal(irmf_area_name((irmf_area)a), names[a]);
		assert_int_equal(irmf_area_org_wide((irmf_area)a),
		    a == IRMF_AREA_IRM_CONFIG);
	}
}

static void
test_expected_per_role(void **state)
{
	/* expected areas per role, as bits (1u << area) */
	const unsigned exch = 1u << IRMF_AREA_REGISTRY |
	    1u << IRMF_AREA_IRM_CONFIG | 1u << IRMF_AREA_FILES |
	    1u << IRMF_AREA_IDENTITY | 1u << IRMF_AREA_GENERATION;
	const unsigned sp = exch & ~(1u << IRMF_AREA_IRM_CONFIG);
	const unsigned fci = sp & ~(1u << IRMF_AREA_GENERATION);
	const unsigned conn = 1u << IRMF_AREA_AUTHORIZATIONS |
	    1u << IRMF_AREA_EVENTS;
	const struct { unsigned role, want; } rows[] = {
		{ IRMF_ROLE_EXCHANGE, exch }, { IRMF_ROLE_SHAREPOINT, sp },
		{ IRMF_ROLE_FCI, fci }, { IRMF_ROLE_CONNECTOR, conn },
		{ 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		unsigned got = 0;
		for (unsigned a = 0; a < IRMF_AREA_COUNT; a++)
			if (irmf_area_expected((irmf_area)a, rows[i].role))
				got |= 1u << a;
		assert_int_equal(got, rows[i].want);
	}
	/* documented, never required */
	assert_true(irmf_area_optional(IRMF_AREA_PROBES, IRMF_ROLE_EXCHANGE));
	assert_true(irmf_area_optional(IRMF_AREA_REGISTRY,
	    IRMF_ROLE_CONNECTOR));
	assert_false(irmf_area_optional(IRMF_AREA_REGISTRY,
	    IRMF_ROLE_EXCHANGE | IRMF_ROLE_CONNECTOR));
}

static void
test_presence(void **state)
{
	irmf_snapshot *s = cov_snap("EX01", IRMF_ROLE_EXCHANGE);

	(void)state;
	/* nothing yet */
	for (unsigned a = 0; a < IRMF_AREA_COUNT; a++)
		assert_false(irmf_area_present(s, (irmf_area)a));
	/* a Setup key is generation evidence, not the IRM keys */
	cov_set_num(s, HKMS "ExchangeServer\\v15\\Setup", "MsiProductMajor", 15);
	assert_false(irmf_area_present(s, IRMF_AREA_REGISTRY));
	assert_true(irmf_area_present(s, IRMF_AREA_GENERATION));
	irmf_snapshot_free(s);

	/* the IRM keys alone: registry, but no generation evidence */
	s = cov_snap("EX02", IRMF_ROLE_EXCHANGE);
	cov_add_v15_keys(s);
	assert_true(irmf_area_present(s, IRMF_AREA_REGISTRY));
	assert_false(irmf_area_present(s, IRMF_AREA_GENERATION));
	/* a file that is not one of the RMS files does not count */
	assert_int_equal(irmf_snapshot_file_set(s, "System.dll", NULL,
	    "4.8.4084.0"), 0);
	assert_false(irmf_area_present(s, IRMF_AREA_FILES));
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "15.2.1544.4"), 0);
	assert_true(irmf_area_present(s, IRMF_AREA_FILES));
	assert_true(irmf_area_present(s, IRMF_AREA_GENERATION));
	assert_false(irmf_area_present(s, IRMF_AREA_IDENTITY));
	cov_add_groups(s);
	assert_true(irmf_area_present(s, IRMF_AREA_IDENTITY));
	assert_false(irmf_area_present(s, IRMF_AREA_IRM_CONFIG));
	cov_add_irm_config(s);
	assert_true(irmf_area_present(s, IRMF_AREA_IRM_CONFIG));
	irmf_snapshot_free(s);

	/* SharePoint: the Web Server Extensions key tells the generation;
	 * the Exchange keys are no SharePoint registry */
	s = cov_snap("SP01", IRMF_ROLE_SHAREPOINT);
	cov_add_v15_keys(s);
	assert_false(irmf_area_present(s, IRMF_AREA_REGISTRY));
	cov_set_sz(s, HKMS "Shared Tools\\Web Server Extensions\\16.0", "Version",
	    "16.0.10337.12109");
	assert_true(irmf_area_present(s, IRMF_AREA_GENERATION));
	cov_set_sz(s, HKMS "MSIPC\\ServiceLocation\\EnterpriseCertification", "",
	    CONN "/_wmcs/certification");
	assert_true(irmf_area_present(s, IRMF_AREA_REGISTRY));
	irmf_snapshot_free(s);

	/* connector: an empty event export is still events */
	s = cov_snap("RMSCON01", IRMF_ROLE_CONNECTOR);
	assert_false(irmf_area_present(s, IRMF_AREA_EVENTS));
	s->has_events = true;
	assert_true(irmf_area_present(s, IRMF_AREA_EVENTS));
	{
		/* a list derived from event 1004 has no roles: the typed
		 * list is still missing */
		static const char *const acc[] = { "CONTOSO\\EX01$" };
		assert_int_equal(irmf_snapshot_note_1004(s,
		    "2026-11-20T10:15:02Z", acc, 1), 0);
		assert_true(s->has_authorizations);
		assert_false(irmf_area_present(s, IRMF_AREA_AUTHORIZATIONS));
	}
	assert_int_equal(irmf_snapshot_add_authorization(s,
	    "CONTOSO\\Exchange Servers", IRMF_ACCOUNT_GROUP,
	    IRMF_ROLE_EXCHANGE), 0);
	assert_true(irmf_area_present(s, IRMF_AREA_AUTHORIZATIONS));
	irmf_snapshot_free(s);
}

static void
test_failed_areas(void **state)
{
	irmf_snapshot *s = cov_snap("EX01", IRMF_ROLE_EXCHANGE);

	(void)state;
	assert_int_equal(irmf_snapshot_add_error(s, "registry:HKEY_LOCAL_"
	    "MACHINE\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation",
	    IRMF_REASON_ACCESS_DENIED, "Access is denied."), 0);
	assert_int_equal(irmf_snapshot_add_error(s, "file:msdrm.dll",
	    IRMF_REASON_TIMEOUT, NULL), 0);
	assert_int_equal(irmf_snapshot_add_error(s, "exchange-server",
	    IRMF_REASON_COMMAND_FAILED, NULL), 0);
	assert_true(irmf_area_failed(s, IRMF_AREA_REGISTRY));
	assert_true(irmf_area_failed(s, IRMF_AREA_FILES));
	assert_true(irmf_area_failed(s, IRMF_AREA_GENERATION));
	assert_false(irmf_area_failed(s, IRMF_AREA_IRM_CONFIG));
	assert_false(irmf_area_failed(s, IRMF_AREA_IDENTITY));
	/* the failed ones are not gaps: they have their own finding */
	assert_int_equal(irmf_coverage_gaps(s), 1u << IRMF_AREA_IRM_CONFIG |
	    1u << IRMF_AREA_IDENTITY);
	/* a host not reached covers everything */
	assert_int_equal(irmf_snapshot_add_error(s, "host",
	    IRMF_REASON_CONNECTION, NULL), 0);
	for (unsigned a = 0; a < IRMF_AREA_COUNT; a++)
		assert_true(irmf_area_failed(s, (irmf_area)a));
	assert_int_equal(irmf_coverage_gaps(s), 0);
	irmf_snapshot_free(s);
}

static void
test_gaps_of_partial_imports(void **state)
{
	irmf_snapshot *s = cov_snap("EX07", IRMF_ROLE_EXCHANGE);

	(void)state;
	cov_add_irm_config(s);
	assert_int_equal(irmf_coverage_gaps(s), 1u << IRMF_AREA_REGISTRY |
	    1u << IRMF_AREA_FILES | 1u << IRMF_AREA_IDENTITY |
	    1u << IRMF_AREA_GENERATION);
	irmf_snapshot_free(s);
	s = cov_exchange_full("EX01");
	assert_int_equal(irmf_coverage_gaps(s), 0);
	irmf_snapshot_free(s);
	/* probes are optional, the connector's proxy key too */
	s = cov_snap("RMSCON01", IRMF_ROLE_CONNECTOR);
	s->has_events = true;
	s->has_authorizations = true;
	assert_int_equal(irmf_coverage_gaps(s), 0);
	irmf_snapshot_free(s);
}

/* The wording follows the generation where keys and files do. */
static void
test_texts_by_generation(void **state)
{
	irmf_snapshot *s = cov_snap("EX10", IRMF_ROLE_EXCHANGE);

	(void)state;
	cov_set_num(s, HKMS "ExchangeServer\\v14\\Setup", "MsiProductMajor", 14);
	assert_non_null(strstr(irmf_area_how(s, IRMF_AREA_REGISTRY),
	    "reg export HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\IRM "
	    "irm.reg"));
	assert_null(strstr(irmf_area_how(s, IRMF_AREA_REGISTRY), "v15"));
	assert_string_equal(irmf_area_what(s, IRMF_AREA_FILES),
	    "file versions (msdrm.dll, ExSetup.exe)");
	assert_non_null(strstr(irmf_area_how(s, IRMF_AREA_FILES),
	    "(Get-Command ExSetup.exe).FileVersionInfo | Export-Clixml "
	    "exsetup.xml"));
	irmf_snapshot_free(s);

	s = cov_snap("SP01", IRMF_ROLE_SHAREPOINT);
	assert_non_null(strstr(irmf_area_how(s, IRMF_AREA_REGISTRY),
	    "MSIPC msipc.reg (SharePoint 2013 and later) or"));
	assert_non_null(strstr(irmf_area_how(s, IRMF_AREA_GENERATION),
	    "reg export \"HKLM\\SOFTWARE\\Microsoft\\Shared Tools\\Web "
	    "Server Extensions\" wse.reg"));
	cov_set_sz(s, HKMS "Shared Tools\\Web Server Extensions\\15.0", "Version",
	    "15.0.4569.1000");
	assert_string_equal(irmf_area_how(s, IRMF_AREA_REGISTRY),
	    "reg export HKLM\\SOFTWARE\\Microsoft\\MSIPC msipc.reg");
	assert_string_equal(irmf_area_what(s, IRMF_AREA_FILES),
	    "file version (msipc.dll)");
	irmf_snapshot_free(s);

	s = cov_snap("FS01", IRMF_ROLE_FCI);
	assert_string_equal(irmf_area_how(s, IRMF_AREA_REGISTRY),
	    "reg export HKLM\\SOFTWARE\\Microsoft\\MSDRM msdrm.reg");
	irmf_snapshot_free(s);
}

/* Every export command is safe to paste, for every role and generation
 * the table words differently. */
static void
test_texts_safe(void **state)
{
	irmf_snapshot *s[6];
	const char *why;

	(void)state;
	s[0] = cov_snap("EX01", IRMF_ROLE_EXCHANGE);
	s[1] = cov_snap("EX10", IRMF_ROLE_EXCHANGE);
	cov_set_num(s[1], HKMS "ExchangeServer\\v14\\Setup", "MsiProductMajor", 14);
	s[2] = cov_snap("SP01", IRMF_ROLE_SHAREPOINT);
	s[3] = cov_snap("SP10", IRMF_ROLE_SHAREPOINT);
	cov_set_sz(s[3], HKMS "Shared Tools\\Web Server Extensions\\14.0",
	    "Version", "14.0.7015.1000");
	s[4] = cov_snap("FS01", IRMF_ROLE_FCI);
	s[5] = cov_snap("RMSCON01", IRMF_ROLE_CONNECTOR);
	for (size_t i = 0; i < 6; i++) {
		for (unsigned a = 0; a < IRMF_AREA_COUNT; a++) {
			const char *how = irmf_area_how(s[i], (irmf_area)a);
			if (!irmf_area_expected((irmf_area)a, s[i]->roles))
				continue;
			why = tu_fix_unsafe(how, NULL, 0);
			if (why != NULL)
				fprintf(stderr, "%s %s: %s\n", s[i]->server,
				    irmf_area_name((irmf_area)a), why);
			assert_null(why);
			/* every expected area has its own wording */
			assert_string_not_equal(how,
			    "see docs/import-formats.md");
		}
		irmf_snapshot_free(s[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_area_names),
		cmocka_unit_test(test_expected_per_role),
		cmocka_unit_test(test_presence),
		cmocka_unit_test(test_failed_areas),
		cmocka_unit_test(test_gaps_of_partial_imports),
		cmocka_unit_test(test_texts_by_generation),
		cmocka_unit_test(test_texts_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
