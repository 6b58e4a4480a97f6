/*
 * test_rules_irm.c - the Get-IRMConfiguration, Test-IRMConfiguration and
 * version rules (compare/rules/rules_irm.c): property values, locations
 * at the tenant, the test result, Exchange builds, MSDRM mode 2 and the
 * MSIPC client version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_fixture.h"

static void
test_irm_good(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;
	char *ll[] = { "https://adrms.contoso.com/_wmcs/licensing",
	    TENANT "/_wmcs/licensing" };

	rf_irm_ok(rf_exch(fl, "EX01", "v15"));
	s = rf_exch(fl, "EX02", "v15");
	rf_irm_ok(s);
	/* a migrated organization keeps the AD RMS URL next to the tenant */
	assert_int_equal(irmf_snapshot_prop_set_list(s, "LicensingLocation",
	    IRMF_PROP_URI_LIST, ll, 2), 0);
	/* IRM switched off: the locations are not judged (only the switch) */
	s = rf_exch(fl, "EX03", "v15");
	rf_irm_ok(s);
	assert_int_equal(irmf_snapshot_prop_set(s, "InternalLicensingEnabled",
	    IRMF_PROP_BOOL, "False", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "ServiceLocation",
	    IRMF_PROP_URI, "https://adrms.contoso.com/_wmcs/certification",
	    false), 0);
	/* one organisation: EX03's export differs from the others' (taken
	 * at another time): the rule reports once, for the organisation, and
	 * the disagreement is info with no Set- command (issue 10 item 6,
	 * issue 15 item 1) */
	rf_expect(fl, "irm-internal-licensing - rule",
	    "irm-exports-agree - rule", "irm-exports-agree - rule",
	    "irm-exports-agree - rule", NULL);
	assert_non_null(strstr(rf_find(fl, "irm-internal-licensing",
	    NULL)->distribution, "1 of 3 Exchange servers' exports: EX03"));
	assert_string_equal(rf_find(fl, "irm-internal-licensing", NULL)->cohort,
	    "organization");
	for (size_t i = 0; i < fl->f.n; i++)
		if (strcmp(fl->f.items[i].rule_id, "irm-exports-agree") == 0) {
			assert_int_equal(fl->f.items[i].severity, IRMF_SEV_INFO);
			assert_null(strstr(fl->f.items[i].remediation,
			    "Set-IRMConfiguration"));
		}
}

/* The tenant URL has the documented shape <id>.rms.<region>.aadrm.com
 * (and the .us / .cn clouds); other Microsoft RMS hosts stay "Microsoft
 * RMS" but are not the tenant (issue 15 #14). */
static void
test_tenant_shape(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	assert_true(irmf_url_is_tenant(TENANT));
	assert_true(irmf_url_is_tenant(TENANT "/_wmcs/licensing"));
	assert_true(irmf_url_is_tenant("https://5c6bb73b-1038-4eec-863d-"
	    "49bded473437.rms.aadrm.us"));
	assert_true(irmf_url_is_tenant("https://5C6BB73B-1038-4eec-863d-"
	    "49bded473437.RMS.cn.aadrm.cn/_wmcs/certification"));
	assert_false(irmf_url_is_tenant("https://discover.aadrm.com"));
	assert_false(irmf_url_is_tenant("https://admin.na.aadrm.com"));
	assert_false(irmf_url_is_tenant("https://x.rms.na.aadrm.com.evil.test"));
	assert_false(irmf_url_is_tenant("https://x.rms.na.azurerms.com"));
	assert_false(irmf_url_is_tenant("https://.rms.na.aadrm.com"));
	assert_false(irmf_url_is_tenant("https://a.b.rms.na.aadrm.com"));
	/* still Microsoft RMS for the connector-URL checks */
	assert_true(irmf_url_is_rms("https://admin.na.aadrm.com"));

	/* a Get-IRMConfiguration export only (no registry: the fleet has no
	 * tenant): a location naming an RMS service host is not the tenant */
	s = rf_add(fl, "EX01", IRMF_ROLE_EXCHANGE, "15.1.2507.6");
	rf_irm_ok(s);
	assert_int_equal(irmf_snapshot_prop_set(s, "PublishingLocation",
	    IRMF_PROP_URI, "https://admin.na.aadrm.com/_wmcs/licensing",
	    false), 0);
	s = rf_add(fl, "EX02", IRMF_ROLE_EXCHANGE, "15.1.2507.6");
	rf_irm_ok(s);
	/* once for the organisation; EX02's export differs (info) */
	rf_expect(fl, "irm-location-tenant - rule", "irm-exports-agree - rule",
	    NULL);
	assert_non_null(strstr(rf_find(fl, "irm-location-tenant",
	    NULL)->distribution, "EX01"));
}

static void
test_irm_bad(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;
	char *ll[] = { "https://adrms.contoso.com/_wmcs/licensing" };
	const irmf_finding *f;

	rf_irm_ok(rf_exch(fl, "EX01", "v15"));
	s = rf_exch(fl, "EX02", "v15");
	rf_irm_ok(s);
	assert_int_equal(irmf_snapshot_prop_set(s, "ExternalLicensingEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "ClientAccessServerEnabled",
	    IRMF_PROP_BOOL, "False", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "EDiscoverySuperUserEnabled",
	    IRMF_PROP_BOOL, NULL, true), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "TransportDecryptionSetting",
	    IRMF_PROP_ENUM, "Sometimes", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "ServiceLocation",
	    IRMF_PROP_URI, CONN "/_wmcs/certification", false), 0);
	assert_int_equal(irmf_snapshot_prop_set_list(s, "LicensingLocation",
	    IRMF_PROP_URI_LIST, ll, 1), 0);
	/* Get-IRMConfiguration failed on EX03: every IRM rule not checked */
	s = rf_exch(fl, "EX03", "v15");
	assert_int_equal(irmf_snapshot_add_error(s, "irm-config",
	    IRMF_REASON_COMMAND_FAILED, "Get-IRMConfiguration failed"), 0);
	rf_expect(fl, "irm-external-licensing - rule",
	    "irm-client-access-server - rule",
	    "irm-ediscovery-super-user - rule",
	    "irm-transport-decryption - rule",
	    "irm-location-tenant - rule", "irm-location-tenant - rule",
	    "irm-exports-agree - rule", "irm-exports-agree - rule",
	    "irm-exports-agree - rule", "irm-exports-agree - rule",
	    "irm-exports-agree - rule", "irm-exports-agree - rule",
	    "irm-internal-licensing EX03 not-collected",
	    "irm-external-licensing EX03 not-collected",
	    "irm-client-access-server EX03 not-collected",
	    "irm-ediscovery-super-user EX03 not-collected",
	    "irm-transport-decryption EX03 not-collected",
	    "irm-location-tenant EX03 not-collected", NULL);
	f = rf_find(fl, "irm-ediscovery-super-user", NULL);
	assert_string_equal(f->setting, "irm:EDiscoverySuperUserEnabled");
	assert_string_equal(f->value, "$null");
	assert_string_equal(f->expected, "True");
	assert_string_equal(rf_find(fl, "irm-client-access-server",
	    NULL)->remediation,
	    "Set-IRMConfiguration -ClientAccessServerEnabled $true");
}

static void
test_irm_test(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	s = rf_exch(fl, "EX01", "v15");
	assert_int_equal(irmf_snapshot_irm_test_add(s,
	    "Loading IRM configuration ...", true, "IRM configuration loaded "
	    "successfully."), 0);
	s->has_irm_test = true;
	s->irm_test_pass = true;
	s = rf_exch(fl, "EX02", "v15");
	assert_int_equal(irmf_snapshot_irm_test_add(s,
	    "Loading IRM configuration ...", true, "ok"), 0);
	assert_int_equal(irmf_snapshot_irm_test_add(s,
	    "Acquiring Use License from RMS Licensing Uri ...", false,
	    "Failed to acquire a use license."), 0);
	s->has_irm_test = true;
	s->irm_test_pass = false;
	s = rf_exch(fl, "EX03", "v15");
	assert_int_equal(irmf_snapshot_add_error(s, "irm-test",
	    IRMF_REASON_COMMAND_FAILED, NULL), 0);
	rf_exch(fl, "EX04", "v15");   /* not exported: unknown */
	rf_expect(fl, "irm-test-pass EX02 rule", "irm-test-pass EX03 not-collected",
	    NULL);
	assert_string_equal(rf_find(fl, "irm-test-pass", "EX02")->value,
	    "FAIL at \"Acquiring Use License from RMS Licensing Uri ...\": "
	    "Failed to acquire a use license.");
}

static void
test_exchange_builds(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	/* Exchange 2010's rollup shows only in ExSetup.exe's version */
	s = rf_exch(fl, "EX10", "v14");
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "14.3.123.4"), 0);
	rf_exch(fl, "EX11", "v14");   /* 14.3.496.0 */
	/* Get-ExchangeServer's 14.3.123.4 is "SP3, rollup unknown": not
	 * judged (issue 10 item 3); SP2 is below RU6 whatever its rollup */
	s = rf_exch(fl, "EX19", "v14");
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "14.3.123.4"), 0);
	s = rf_exch(fl, "EX20", "v14");
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "14.2.247.5"), 0);
	s = rf_exch(fl, "EX21", "v14");   /* ExSetup wins over the SP level */
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "14.3.123.4"), 0);
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "14.3.389.1"), 0);
	s = rf_exch(fl, "EX12", "v14");
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "14.3.195.1"), 0);
	s = rf_exch(fl, "EX13", "v15");
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.0.712.24"), 0);
	s = rf_exch(fl, "EX14", "v15");
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.0.775.38"), 0);
	s = rf_exch(fl, "EX15", "v15");   /* numerically newer, textually less */
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.0.1497.2"), 0);
	s = rf_exch(fl, "EX16", "v15");
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.1.225.42"), 0);
	s = rf_exch(fl, "EX17", "v15");   /* build unknown: collection failed */
	free(s->product_build);
	s->product_build = NULL;
	assert_int_equal(irmf_snapshot_add_error(s, "exchange-server",
	    IRMF_REASON_TIMEOUT, NULL), 0);
	s = rf_exch(fl, "EX18", "v15");   /* build unknown: not exported */
	free(s->product_build);
	s->product_build = NULL;
	rf_expect(fl, "exchange-2010-build EX10 rule",
	    "exchange-2010-build EX20 rule",
	    "exchange-2013-build EX13 rule",
	    "exchange-2013-build EX17 not-collected", NULL);
	assert_string_equal(rf_find(fl, "exchange-2010-build", "EX10")->setting,
	    "product:build");
}

static void
test_msdrm_mode2(void **state)
{
	rf_fleet *fl = *state;
	static const struct { const char *name, *ver; } v[] = {
		{ "EX01", "6.0.6002.18005" }, { "EX02", "6.0.6002.22761" },
		{ "EX03", "6.1.7600.16385" }, { "EX04", "6.1.7601.17514" },
		{ "EX05", "6.3.9600.17415" }, { "EX06", "6.1.7600.17000" },
	};
	irmf_snapshot *s;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		s = rf_exch(fl, v[i].name, "v15");
		assert_int_equal(irmf_snapshot_file_set(s, "msdrm.dll", NULL,
		    v[i].ver), 0);
	}
	s = rf_msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	assert_int_equal(irmf_snapshot_file_set(s, "MSDRM.DLL", NULL,
	    "5.2.3790.1830"), 0);
	s = rf_msdrm_client(fl, "FS02", IRMF_ROLE_FCI, NULL);
	assert_int_equal(irmf_snapshot_add_error(s, "file:msdrm.dll",
	    IRMF_REASON_ACCESS_DENIED, NULL), 0);
	s = rf_sp13(fl, "SP01");   /* SharePoint 2013+ uses MSIPC, not MSDRM */
	assert_int_equal(irmf_snapshot_file_set(s, "msdrm.dll", NULL,
	    "6.0.6002.18005"), 0);
	rf_expect(fl, "msdrm-mode2 EX01 rule", "msdrm-mode2 EX03 rule",
	    "msdrm-mode2 FS01 rule", "msdrm-mode2 FS02 not-collected", NULL);
}

static void
test_msipc_version(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	s = rf_sp13(fl, "SP01");
	assert_int_equal(irmf_snapshot_file_set(s, "msipc.dll", NULL,
	    "1.0.2004.0"), 0);
	s = rf_sp13(fl, "SP02");
	assert_int_equal(irmf_snapshot_file_set(s, "msipc.dll", NULL,
	    "1.0.622.34"), 0);
	s = rf_sp13(fl, "SP03");
	assert_int_equal(irmf_snapshot_file_set(s, "msipc.dll", NULL,
	    "1.0.100.0"), 0);
	s = rf_sp13(fl, "SP04");
	rf_reg(s, "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\CurrentVersion", "",
	    "1.0.1000.0");
	s = rf_sp13(fl, "SP05");
	assert_int_equal(irmf_snapshot_add_error(s, "file:msipc.dll",
	    IRMF_REASON_TIMEOUT, NULL), 0);
	rf_sp13(fl, "SP06");   /* neither file nor registry value: unknown */
	s = rf_sp13(fl, "SP07");   /* the registry side failed */
	assert_int_equal(irmf_snapshot_add_error(s,
	    "registry:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\CurrentVersion",
	    IRMF_REASON_ACCESS_DENIED, NULL), 0);
	rf_expect(fl, "msipc-version-supported SP02 rule",
	    "msipc-version-floor SP03 rule",
	    "msipc-version-supported SP04 rule",
	    "msipc-version-floor SP05 not-collected",
	    "msipc-version-supported SP05 not-collected",
	    "msipc-version-floor SP07 not-collected",
	    "msipc-version-supported SP07 not-collected", NULL);
	assert_int_equal(rf_find(fl, "msipc-version-floor", "SP03")->severity,
	    IRMF_SEV_ERROR);
	assert_int_equal(rf_find(fl, "msipc-version-supported", "SP02")->severity,
	    IRMF_SEV_WARNING);
	assert_string_equal(rf_find(fl, "msipc-version-supported",
	    "SP04")->setting,
	    "reg:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\CurrentVersion\\(default)");
}

/* Must run last: every rule of rules_irm.c fired above. */
static void
test_every_rule_fired(void **state)
{
	(void)state;
	rf_assert_module_fired("irm");
}

#define T(f) cmocka_unit_test_setup_teardown(f, rf_setup, rf_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_irm_good),
		T(test_tenant_shape),
		T(test_irm_bad),
		T(test_irm_test),
		T(test_exchange_builds),
		T(test_msdrm_mode2),
		T(test_msipc_version),
		cmocka_unit_test(test_every_rule_fired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
