/*
 * test_rules_registry.c - the registry rules (compare/rules/rules_registry.c):
 * the Exchange licensing redirection, MSDRM and MSIPC ServiceLocation,
 * key versions, connector URL scheme and node names, literal "(default)"
 * values, each case asserting the exact findings of a tiny fleet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_fixture.h"

static void
test_redirection_missing(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;
	const irmf_finding *f;

	rf_exch(fl, "EX01", "v15");
	s = rf_exch(fl, "EX02", "v15");
	rf_unreg(s, K_EX15 "\\LicenseServerRedirection");
	rf_expect(fl, "exchange-redirection-present EX02 rule", NULL);
	f = rf_find(fl, "exchange-redirection-present", "EX02");
	assert_string_equal(f->setting,
	    "reg:" K_EX15 "\\LicenseServerRedirection");
	assert_null(f->value);
	assert_int_equal(f->severity, IRMF_SEV_ERROR);
	assert_string_equal(f->cohort, "exchange-v15");
	/* the remediation is a command with the fleet's own URLs */
	assert_non_null(strstr(f->remediation, "reg add \"" K_EX15
	    "\\LicenseServerRedirection\" /v \"" TENANT "\" /t REG_SZ /d \""
	    CONN "\" /f"));
	assert_non_null(strstr(f->remediation, "-SetExchange2013"));
}

static void
test_redirection_only_migration_values(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	rf_exch(fl, "EX01", "v15");
	s = rf_exch(fl, "EX02", "v15");
	rf_unreg(s, K_EX15 "\\LicenseServerRedirection");
	rf_reg(s, K_EX15 "\\LicenseServerRedirection",
	    "https://adrms.contoso.com/_wmcs/licensing", CONN "/_wmcs/licensing");
	rf_expect(fl, "exchange-redirection-tenant EX02 rule", NULL);
}

static void
test_redirection_data_is_rms(void **state)
{
	rf_fleet *fl = *state;
	const char *names[] = { "EX01", "EX02", "EX03" };

	/* the whole fleet agrees and is wrong: still a finding on each */
	for (size_t i = 0; i < 3; i++) {
		irmf_snapshot *s = rf_exch(fl, names[i], "v15");
		rf_reg(s, K_EX15 "\\CertificationServerRedirection", TENANT, TENANT);
	}
	rf_expect(fl, "exchange-redirection-data EX01 rule",
	    "exchange-redirection-data EX02 rule",
	    "exchange-redirection-data EX03 rule", NULL);
}

static void
test_redirection_wrong_tenant(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	rf_exch(fl, "EX01", "v15");
	rf_exch(fl, "EX02", "v15");
	s = rf_exch(fl, "EX03", "v15");
	rf_unreg(s, K_EX15 "\\CertificationServerRedirection");
	rf_reg(s, K_EX15 "\\CertificationServerRedirection",
	    "https://other.rms.eu.aadrm.com", CONN);
	s = rf_exch(fl, "EX04", "v15");   /* http: never equals the https URL */
	rf_unreg(s, K_EX15 "\\LicenseServerRedirection");
	rf_reg(s, K_EX15 "\\LicenseServerRedirection",
	    "http://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com",
	    CONN);
	rf_expect(fl, "exchange-redirection-tenant EX03 rule",
	    "exchange-redirection-tenant EX04 rule", NULL);
	assert_string_equal(rf_find(fl, "exchange-redirection-tenant",
	    "EX03")->expected, TENANT);
}

static void
test_self_help_variant(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	rf_exch(fl, "EX01", "v15");
	s = rf_exch(fl, "EX02", "v15");
	rf_unreg(s, K_EX15 "\\CertificationServerRedirection");
	rf_unreg(s, K_EX15 "\\LicenseServerRedirection");
	rf_reg(s, K_EX15 "\\CertificationServerRedirection",
	    TENANT "/_wmcs/certification", CONN "/_wmcs/certification");
	rf_reg(s, K_EX15 "\\LicenseServerRedirection",
	    TENANT "/_wmcs/licensing", CONN "/_wmcs/licensing");
	rf_expect(fl, "exchange-redirection-wmcs-path EX02 rule",
	    "exchange-redirection-wmcs-path EX02 rule", NULL);
}

static void
test_bare_name(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	rf_sp13(fl, "SP01");
	s = rf_sp13(fl, "SP02");
	rf_unreg(s, K_MSIPC "\\LicensingRedirection");
	rf_reg(s, K_MSIPC "\\LicensingRedirection", "/_wmcs/licensing",
	    CONN "/_wmcs/licensing");
	rf_expect(fl, "redirection-bare-name SP02 rule", NULL);
}

static void
test_msdrm_exchange(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	rf_exch(fl, "EX01", "v15");
	s = rf_exch(fl, "EX02", "v15");   /* publishing at /certification */
	rf_reg(s, K_MSDRM "\\EnterprisePublishing", "", TENANT "/_wmcs/certification");
	s = rf_exch(fl, "EX03", "v15");   /* both at the connector */
	rf_reg(s, K_MSDRM "\\Activation", "", CONN "/_wmcs/certification");
	rf_reg(s, K_MSDRM "\\EnterprisePublishing", "", CONN "/_wmcs/licensing");
	s = rf_exch(fl, "EX04", "v15");   /* activation missing */
	rf_unreg(s, K_MSDRM "\\Activation");
	s = rf_exch(fl, "EX05", "v15");   /* activation over http */
	rf_reg(s, K_MSDRM "\\Activation", "",
	    "http://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com/_wmcs/certification");
	s = rf_exch(fl, "EX06", "v15");   /* both at an old AD RMS cluster */
	rf_reg(s, K_MSDRM "\\Activation", "",
	    "https://adrms.contoso.com/_wmcs/certification");
	rf_reg(s, K_MSDRM "\\EnterprisePublishing", "",
	    "https://adrms.contoso.com/_wmcs/licensing");
	rf_expect(fl, "publishing-points-at-certification EX02 rule",
	    "exchange-msdrm-both-connector EX03 rule",
	    "exchange-msdrm-activation EX04 rule",
	    "exchange-msdrm-activation EX05 rule",
	    "exchange-msdrm-activation EX06 rule",
	    "exchange-msdrm-publishing EX06 rule", NULL);
	assert_string_equal(rf_find(fl, "exchange-msdrm-activation",
	    "EX04")->expected, TENANT "/_wmcs/certification");
	assert_string_equal(rf_find(fl, "publishing-points-at-certification",
	    "EX02")->expected, TENANT "/_wmcs/licensing");
}

static void
test_key_version(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	rf_exch(fl, "EX01", "v15");
	s = rf_exch(fl, "EX10", "v14");
	rf_reg(s, K_EX15 "\\LicenseServerRedirection", TENANT, CONN);
	s = rf_exch(fl, "EX11", "v15");   /* a 2010 build with only v15 keys */
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "14.3.496.0"), 0);
	rf_expect(fl, "exchange-key-version EX10 rule",
	    "exchange-key-version EX11 rule", "exchange-key-version EX11 rule",
	    "exchange-redirection-present EX11 rule",
	    "exchange-redirection-present EX11 rule", NULL);
}

/* The MSIPC keys came to the documentation for Exchange 2016/2019
 * (domain.md 8: Exchange 2013 is configured without them).  Wrong MSIPC
 * keys on an Exchange 2013 server (build 15.0) are no finding; the same
 * keys on Exchange 2016 are. */
static void
test_exchange_2013_no_msipc(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	/* an Exchange 2013 server configured as documented, MSIPC aside */
	s = rf_add(fl, "EX13", IRMF_ROLE_EXCHANGE, "15.0.1497.2");
	rf_reg(s, K_MSDRM "\\Activation", "", TENANT "/_wmcs/certification");
	rf_reg(s, K_MSDRM "\\EnterprisePublishing", "",
	    TENANT "/_wmcs/Licensing");
	rf_reg(s, K_EX15 "\\CertificationServerRedirection", TENANT, CONN);
	rf_reg(s, K_EX15 "\\LicenseServerRedirection", TENANT, CONN);
	rf_reg(s, K_MSIPC "\\EnterpriseCertification", "",
	    TENANT "/_wmcs/certification");
	rf_reg(s, K_MSIPC "\\LicensingRedirection", TENANT "/_wmcs/licensing",
	    TENANT "/_wmcs/licensing");
	s = rf_exch(fl, "EX16", "v15");
	rf_reg(s, K_MSIPC "\\EnterpriseCertification", "",
	    TENANT "/_wmcs/certification");
	rf_reg(s, K_MSIPC "\\LicensingRedirection", TENANT "/_wmcs/licensing",
	    TENANT "/_wmcs/licensing");
	rf_expect(fl, "msipc-certification EX16 rule",
	    "msipc-licensing-redirection EX16 rule", NULL);
}

static void
test_sharepoint_rms_url(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	rf_sp13(fl, "SP01");
	s = rf_sp13(fl, "SP02");
	rf_reg(s, K_MSIPC "\\EnterpriseCertification", "",
	    TENANT "/_wmcs/certification");
	rf_reg(s, K_MSIPC "\\LicensingRedirection", TENANT "/_wmcs/licensing",
	    TENANT "/_wmcs/licensing");
	s = rf_sp13(fl, "SP03");
	rf_unreg(s, K_MSIPC "\\EnterprisePublishing");
	rf_unreg(s, K_MSIPC "\\LicensingRedirection");
	rf_expect(fl, "msipc-certification SP02 rule",
	    "msipc-licensing-redirection SP02 rule",
	    "msipc-publishing SP03 rule",
	    "msipc-licensing-redirection SP03 rule", NULL);
}

static void
test_msdrm_clients(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	rf_msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	s = rf_msdrm_client(fl, "FS02", IRMF_ROLE_FCI, NULL);
	rf_reg(s, K_MSDRM "\\Activation", "", TENANT "/_wmcs/certification");
	s = rf_msdrm_client(fl, "SP10", IRMF_ROLE_SHAREPOINT, "14.0.7015.1000");
	rf_reg(s, K_MSDRM "\\EnterprisePublishing", "", CONN "/_wmcs/certification");
	rf_expect(fl, "msdrm-connector-activation FS02 rule",
	    "publishing-points-at-certification SP10 rule", NULL);
}

static void
test_scheme_and_node_name(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	rf_exch(fl, "EX01", "v15");
	rf_exch(fl, "EX02", "v15");
	s = rf_exch(fl, "EX03", "v15");
	rf_reg(s, K_EX15 "\\LicenseServerRedirection", TENANT,
	    "http://rmscon.contoso.com");
	s = rf_exch(fl, "EX04", "v15");
	rf_reg(s, K_EX15 "\\CertificationServerRedirection", TENANT,
	    "https://RMS01.contoso.com");
	rf_add(fl, "RMS01", IRMF_ROLE_CONNECTOR, NULL);
	rf_expect(fl, "connector-url-scheme EX03 rule",
	    "connector-url-node-name EX04 rule", NULL);
	assert_string_equal(rf_find(fl, "connector-url-scheme", "EX03")->expected,
	    CONN);
}

static void
test_scheme_even_split(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;
	const irmf_finding *f;

	rf_exch(fl, "EX01", "v15");
	s = rf_exch(fl, "EX02", "v15");
	rf_reg(s, K_EX15 "\\CertificationServerRedirection", TENANT,
	    "http://rmscon.contoso.com");
	rf_reg(s, K_EX15 "\\LicenseServerRedirection", TENANT,
	    "http://rmscon.contoso.com");
	rf_expect(fl, "connector-url-scheme EX02 rule", NULL);
	f = rf_find(fl, "connector-url-scheme", "EX02");
	assert_non_null(f->distribution);
	assert_string_equal(f->value, "http://rmscon.contoso.com");
}

static void
test_registry_not_collected(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	rf_exch(fl, "EX01", "v15");
	s = rf_add(fl, "EX02", IRMF_ROLE_EXCHANGE, "15.1.2507.6");
	rf_reg(s, K_MSDRM "\\Activation", "", TENANT "/_wmcs/certification");
	rf_reg(s, K_MSDRM "\\EnterprisePublishing", "", TENANT "/_wmcs/licensing");
	assert_int_equal(irmf_snapshot_add_error(s,
	    "registry:HKLM\\SOFTWARE\\Microsoft\\ExchangeServer",
	    IRMF_REASON_ACCESS_DENIED, "access is denied"), 0);
	rf_expect(fl, "exchange-redirection-present EX02 not-collected",
	    "exchange-redirection-tenant EX02 not-collected",
	    "exchange-redirection-data EX02 not-collected",
	    "exchange-redirection-wmcs-path EX02 not-collected",
	    "redirection-bare-name EX02 not-collected", NULL);
	assert_non_null(strstr(rf_find(fl, "exchange-redirection-present",
	    "EX02")->explanation, "access"));
}

static void
test_registry_absent_vs_empty(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	rf_exch(fl, "EX01", "v15");
	/* an import of only Get-IRMConfiguration: keys unknown, no finding */
	s = rf_add(fl, "EX02", IRMF_ROLE_EXCHANGE, "15.1.2507.6");
	assert_int_equal(irmf_snapshot_prop_set(s, "InternalLicensingEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
	s->has_irm_config = true;
	/* a registry export that held none of the keys: all missing */
	s = rf_add(fl, "EX03", IRMF_ROLE_EXCHANGE, "15.1.2507.6");
	assert_int_equal(irmf_snapshot_add_source(s, "ex03.reg", "00", "reg"),
	    0);
	rf_expect(fl, "exchange-redirection-present EX03 rule",
	    "exchange-redirection-present EX03 rule",
	    "exchange-msdrm-activation EX03 rule",
	    "exchange-msdrm-publishing EX03 rule", NULL);
}

/* A GPO-written value literally named "(default)" (issue 10): its own
 * setting key, and a finding that explains it; the real default value is
 * still missing, so the documented rule fires too. */
static void
test_literal_default(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;
	irmf_settings set = { 0 };

	rf_msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	s = rf_add(fl, "FS02", IRMF_ROLE_FCI, NULL);
	rf_reg(s, K_MSDRM "\\Activation", "(default)", CONN "/_wmcs/certification");
	rf_reg(s, K_MSDRM "\\EnterprisePublishing", "", CONN "/_wmcs/licensing");
	rf_expect(fl, "registry-literal-default FS02 rule",
	    "msdrm-connector-activation FS02 rule", NULL);
	assert_string_equal(rf_find(fl, "registry-literal-default", "FS02")->setting,
	    "reg:" K_MSDRM "\\Activation\\\"(default)\"");
	assert_non_null(strstr(rf_find(fl, "registry-literal-default",
	    "FS02")->remediation, "reg delete \"" K_MSDRM "\\Activation\" /v "
	    "\"(default)\" /f"));
	assert_int_equal(irmf_settings_extract(s, &set), 0);
	assert_non_null(irmf_settings_find(&set, "reg:hklm\\software\\"
	    "microsoft\\msdrm\\servicelocation\\activation\\\"(default)\""));
	assert_null(irmf_settings_find(&set, "reg:hklm\\software\\"
	    "microsoft\\msdrm\\servicelocation\\activation\\(default)"));
	irmf_settings_clear(&set);
}

/* SharePoint 2010 and FCI servers publish through the connector: an
 * EnterprisePublishing key that is missing is a finding on that server
 * only, not on its correctly configured peer. */
static void
test_msdrm_connector_publishing(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;
	const irmf_finding *f;

	rf_msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	s = rf_msdrm_client(fl, "FS02", IRMF_ROLE_FCI, NULL);
	rf_unreg(s, K_MSDRM "\\EnterprisePublishing");
	rf_expect(fl, "msdrm-connector-publishing FS02 rule", NULL);
	f = rf_find(fl, "msdrm-connector-publishing", "FS02");
	assert_null(f->value);
	assert_string_equal(f->cohort, "sharepoint-2010-fci");
	/* the fix names the fleet's own connector */
	assert_non_null(strstr(f->remediation, CONN));
}

/* Must run last: every rule of rules_registry.c fired above. */
static void
test_every_rule_fired(void **state)
{
	(void)state;
	rf_assert_module_fired("registry");
}

#define T(f) cmocka_unit_test_setup_teardown(f, rf_setup, rf_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_redirection_missing),
		T(test_redirection_only_migration_values),
		T(test_redirection_data_is_rms),
		T(test_redirection_wrong_tenant),
		T(test_self_help_variant),
		T(test_bare_name),
		T(test_msdrm_exchange),
		T(test_key_version),
		T(test_exchange_2013_no_msipc),
		T(test_sharepoint_rms_url),
		T(test_msdrm_clients),
		T(test_scheme_and_node_name),
		T(test_scheme_even_split),
		T(test_registry_not_collected),
		T(test_registry_absent_vs_empty),
		T(test_literal_default),
		T(test_msdrm_connector_publishing),
		cmocka_unit_test(test_every_rule_fired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
