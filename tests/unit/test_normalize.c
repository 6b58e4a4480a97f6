/*
 * test_normalize.c - canonical forms (compare/normalize.c) and settings
 * flattening (compare/settings.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "normalize.h"
#include "settings.h"

static void
test_url(void **state)
{
	char *a, *b, *c;

	(void)state;
	a = irmf_norm_url("HTTPS://RmsCon.Contoso.com/_wmcs/Licensing/");
	b = irmf_norm_url("https://rmscon.contoso.com/_wmcs/licensing");
	c = irmf_norm_url("http://rmscon.contoso.com/_wmcs/licensing");
	assert_string_equal(a, b);
	assert_string_not_equal(b, c);
	free(a);
	free(b);
	free(c);
	a = irmf_norm_url("https://");
	assert_string_equal(a, "https://");
	free(a);
	a = irmf_norm_url("  Not A URL ");
	assert_string_equal(a, "Not A URL");
	free(a);
}

static void
test_version(void **state)
{
	char *v;

	(void)state;
	assert_true(irmf_version_cmp("6.1.7600.17000", "6.1.7600.9999") > 0);
	assert_true(irmf_version_cmp("15.0.775.38", "15.0.1497.2") < 0);
	assert_int_equal(irmf_version_cmp("6.03.0", "6.3"), 0);
	assert_true(irmf_version_cmp("garbage", "1.0") < 0);
	v = irmf_norm_version("06.2.9200.16384 (win8_rtm.120725-1247)");
	assert_string_equal(v, "6.2.9200.16384");
	free(v);
}

static void
test_settings_redirection_set(void **state)
{
	irmf_snapshot *a, *b;
	irmf_reg_key *k;
	irmf_settings sa = { 0 }, sb = { 0 };
	const irmf_setting *x, *y;
	const char *lsr =
	    "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\V15\\IRM\\LicenseServerRedirection";

	(void)state;
	assert_int_equal(irmf_snapshot_new(&a, "EX01"), 0);
	assert_int_equal(irmf_snapshot_new(&b, "EX02"), 0);
	assert_int_equal(irmf_snapshot_reg_key(a, lsr, &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://t.rms.na.aadrm.com",
	    IRMF_REG_SZ, "https://rmscon.contoso.com"), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://adrms.contoso.com/_wmcs/licensing",
	    IRMF_REG_SZ, "https://rmscon.contoso.com/_wmcs/licensing"), 0);
	/* same set, other order, other case, trailing slash */
	assert_int_equal(irmf_snapshot_reg_key(b,
	    "HKEY_LOCAL_MACHINE\\software\\microsoft\\exchangeserver\\v15\\irm\\licenseserverredirection",
	    &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://ADRMS.contoso.com/_wmcs/Licensing",
	    IRMF_REG_SZ, "https://rmscon.contoso.com/_wmcs/licensing/"), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://T.rms.na.aadrm.com/",
	    IRMF_REG_SZ, "https://RMSCON.contoso.com"), 0);
	assert_int_equal(irmf_settings_extract(a, &sa), 0);
	assert_int_equal(irmf_settings_extract(b, &sb), 0);
	assert_int_equal(sa.n, 1);
	x = irmf_settings_find(&sa, "reg:HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM\\LicenseServerRedirection");
	y = irmf_settings_find(&sb, "reg:HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM\\LicenseServerRedirection");
	assert_non_null(x);
	assert_non_null(y);
	assert_string_equal(x->norm, y->norm);
	irmf_settings_clear(&sa);
	irmf_settings_clear(&sb);
	irmf_snapshot_free(a);
	irmf_snapshot_free(b);
}

static void
test_settings_scope_and_errors(void **state)
{
	irmf_snapshot *a;
	irmf_reg_key *k;
	irmf_settings s = { 0 };
	const irmf_collect_error *e;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&a, "EX01"), 0);
	a->roles = IRMF_ROLE_EXCHANGE;
	assert_int_equal(irmf_snapshot_reg_key(a,
	    "HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\Activation", &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "", IRMF_REG_SZ,
	    "https://t.rms.na.aadrm.com/_wmcs/certification"), 0);
	assert_int_equal(irmf_snapshot_reg_key(a, "HKLM\\SOFTWARE\\Other", &k), 0);
	assert_int_equal(irmf_reg_key_set_num(k, "X", IRMF_REG_DWORD, 1), 0);
	assert_int_equal(irmf_snapshot_prop_set(a, "InternalLicensingEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(a, "Guid", IRMF_PROP_STRING,
	    "x", false), 0);
	assert_int_equal(irmf_settings_extract(a, &s), 0);
	assert_int_equal(s.n, 2);   /* unrelated key and volatile prop left out */
	assert_non_null(irmf_settings_find(&s,
	    "reg:hklm\\software\\microsoft\\msdrm\\servicelocation\\activation\\(default)"));
	assert_string_equal(irmf_settings_find(&s, "irm:InternalLicensingEnabled")->norm, "true");
	assert_null(irmf_setting_collect_error(a, "irm:InternalLicensingEnabled"));
	assert_int_equal(irmf_snapshot_add_error(a, "registry:HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSDRM",
	    IRMF_REASON_TIMEOUT, "reg query timed out"), 0);
	e = irmf_setting_collect_error(a,
	    "reg:HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\Activation\\(default)");
	assert_non_null(e);
	assert_int_equal(e->reason, IRMF_REASON_TIMEOUT);
	assert_null(irmf_setting_collect_error(a,
	    "reg:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\EnterprisePublishing\\(default)"));
	assert_string_equal(irmf_cohort_of(a), "exchange-v15");
	irmf_settings_clear(&s);
	irmf_snapshot_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_settings_redirection_set),
		cmocka_unit_test(test_settings_scope_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
