/*
 * test_rules_util.c - the helpers the rule checks share
 * (compare/rules/rules_util.c): account-name equality, whether a server's
 * registry was collected at all, the Exchange key version in paths,
 * setting keys of registry values, the per-snapshot lookup memo, REG_*
 * values as text, and roles and URL schemes by role.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_fixture.h"

static void
test_account_eq(void **state)
{
	(void)state;
	assert_true(irmf_account_eq("CONTOSO\\EX01$", "contoso\\ex01$"));
	/* the domain is compared only when both sides carry one */
	assert_true(irmf_account_eq("CONTOSO\\EX01$", "ex01$"));
	assert_true(irmf_account_eq("EX01$", "FABRIKAM\\ex01$"));
	assert_false(irmf_account_eq("CONTOSO\\EX01$", "FABRIKAM\\EX01$"));
	assert_false(irmf_account_eq("CONTOSO\\EX01$", "CONTOSO\\EX01"));
	assert_false(irmf_account_eq(NULL, "EX01$"));
	assert_false(irmf_account_eq("EX01$", NULL));
}

static void
test_have_registry(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	/* nothing said about the registry: its keys are unknown */
	s = rf_add(fl, "EX01", IRMF_ROLE_EXCHANGE, NULL);
	assert_false(irmf_rule_have_registry(s));
	assert_int_equal(irmf_snapshot_add_source(s, "irm.xml", "00",
	    "clixml"), 0);
	assert_false(irmf_rule_have_registry(s));
	/* a .reg export that held none of the keys: they are absent */
	assert_int_equal(irmf_snapshot_add_source(s, "ex01.reg", "01", "reg"),
	    0);
	assert_true(irmf_rule_have_registry(s));
	/* collected over SSH: the registry was read */
	s = rf_add(fl, "EX02", IRMF_ROLE_EXCHANGE, NULL);
	s->method = IRMF_METHOD_SSH;
	assert_true(irmf_rule_have_registry(s));
	/* any key at all */
	s = rf_add(fl, "EX03", IRMF_ROLE_EXCHANGE, NULL);
	rf_reg(s, "HKLM\\SOFTWARE\\Other", "x", "y");
	assert_true(irmf_rule_have_registry(s));
}

static void
test_exch_ver_and_path(void **state)
{
	rf_fleet *fl = *state;
	irmf_rule_run run = { 0 };
	irmf_snapshot *v14 = rf_exch(fl, "EX10", "v14");
	irmf_snapshot *v15 = rf_exch(fl, "EX01", "v15");
	char *p;

	assert_string_equal(irmf_rule_exch_ver(&run, v14), "v14");
	assert_string_equal(irmf_rule_exch_ver(&run, v15), "v15");
	/* the cohort is remembered for the snapshot last asked about, and
	 * asked again for another */
	assert_string_equal(irmf_rule_cohort(&run, v14), "exchange-v14");
	assert_string_equal(irmf_rule_cohort(&run, v15), "exchange-v15");
	assert_true(irmf_rule_bit(&run, v15) != irmf_rule_bit(&run, v14));
	p = irmf_rule_path(&run, IRMF_K_EXCH_IRM "\\LicenseServerRedirection",
	    v14);
	assert_string_equal(p, K_EX14 "\\LicenseServerRedirection");
	free(p);
	p = irmf_rule_path(&run, IRMF_K_EXCH_IRM, v15);
	assert_string_equal(p, K_EX15);
	free(p);
	p = irmf_rule_path(&run, K_MSDRM, v15);   /* no {ver}: a copy */
	assert_string_equal(p, K_MSDRM);
	free(p);
}

static void
test_reg_setting(void **state)
{
	char *k;

	(void)state;
	k = irmf_rule_reg_setting(K_MSDRM "\\Activation", NULL);
	assert_string_equal(k, "reg:" K_MSDRM "\\Activation");
	free(k);
	k = irmf_rule_reg_setting(K_MSDRM "\\Activation", "");
	assert_string_equal(k, "reg:" K_MSDRM "\\Activation\\(default)");
	free(k);
	/* a value literally named "(default)" is not the default value */
	k = irmf_rule_reg_setting(K_MSDRM "\\Activation", "(default)");
	assert_string_equal(k, "reg:" K_MSDRM "\\Activation\\\"(default)\"");
	free(k);
	k = irmf_rule_reg_setting(K_EX15 "\\LicenseServerRedirection", TENANT);
	assert_string_equal(k, "reg:" K_EX15 "\\LicenseServerRedirection\\"
	    TENANT);
	free(k);
}

/* The memo answers for the snapshot it was filled for only, and stays
 * right when more paths are asked for than it holds. */
static void
test_find_memo(void **state)
{
	rf_fleet *fl = *state;
	irmf_rule_run run = { 0 };
	irmf_snapshot *a = rf_add(fl, "A", IRMF_ROLE_FCI, NULL);
	irmf_snapshot *b = rf_add(fl, "B", IRMF_ROLE_FCI, NULL);
	char path[64];

	rf_reg(a, "HKLM\\SOFTWARE\\K", "v", "a");
	assert_non_null(irmf_rule_find(&run, a, "HKLM\\SOFTWARE\\K"));
	assert_null(irmf_rule_find(&run, b, "HKLM\\SOFTWARE\\K"));
	assert_non_null(irmf_rule_find(&run, a, "HKLM\\SOFTWARE\\K"));
	for (int i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "HKLM\\SOFTWARE\\K%d", i);
		if (i % 2 == 0)
			rf_reg(a, path, "v", "x");
	}
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 40; i++) {
			snprintf(path, sizeof(path), "HKLM\\SOFTWARE\\K%d", i);
			if (i % 2 == 0)
				assert_non_null(irmf_rule_find(&run, a, path));
			else
				assert_null(irmf_rule_find(&run, a, path));
		}
}

static void
test_reg_str(void **state)
{
	rf_fleet *fl = *state;
	irmf_rule_run run = { 0 };
	irmf_snapshot *s = rf_add(fl, "A", IRMF_ROLE_FCI, NULL);
	irmf_reg_key *k;
	char *multi[] = { "first", "second" };

	assert_int_equal(irmf_snapshot_reg_key(s, "HKLM\\SOFTWARE\\K", &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "sz", IRMF_REG_SZ, "text"), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "exp", IRMF_REG_EXPAND_SZ,
	    "%SystemRoot%"), 0);
	assert_int_equal(irmf_reg_key_set_multi(k, "multi", multi, 2), 0);
	assert_int_equal(irmf_reg_key_set_multi(k, "empty", NULL, 0), 0);
	assert_int_equal(irmf_reg_key_set_num(k, "dw", IRMF_REG_DWORD, 15), 0);
	assert_string_equal(irmf_rule_reg_str(&run, s, "HKLM\\SOFTWARE\\K",
	    "sz"), "text");
	/* value names compare case-insensitively, as in Windows */
	assert_string_equal(irmf_rule_reg_str(&run, s, "HKLM\\SOFTWARE\\K",
	    "SZ"), "text");
	assert_string_equal(irmf_rule_reg_str(&run, s, "HKLM\\SOFTWARE\\K",
	    "exp"), "%SystemRoot%");
	assert_string_equal(irmf_rule_reg_str(&run, s, "HKLM\\SOFTWARE\\K",
	    "multi"), "first");
	assert_string_equal(irmf_rule_reg_str(&run, s, "HKLM\\SOFTWARE\\K",
	    "empty"), "");
	/* present but not text: no URL, yet not absent either */
	assert_string_equal(irmf_rule_reg_str(&run, s, "HKLM\\SOFTWARE\\K",
	    "dw"), "");
	assert_null(irmf_rule_reg_str(&run, s, "HKLM\\SOFTWARE\\K", "none"));
	assert_null(irmf_rule_reg_str(&run, s, "HKLM\\SOFTWARE\\None", "sz"));
}

static void
test_roles_and_schemes(void **state)
{
	rf_fleet *fl = *state;
	irmf_rule_run run = { 0 };
	irmf_snapshot *ex = rf_add(fl, "EX", IRMF_ROLE_EXCHANGE, NULL);
	irmf_snapshot *sp = rf_add(fl, "SP", IRMF_ROLE_SHAREPOINT, NULL);
	irmf_snapshot *fs = rf_add(fl, "FS", IRMF_ROLE_FCI, NULL);
	irmf_snapshot *rms = rf_add(fl, "RMS", IRMF_ROLE_CONNECTOR, NULL);
	irmf_snapshot *both = rf_add(fl, "X", IRMF_ROLE_EXCHANGE |
	    IRMF_ROLE_CONNECTOR, NULL);

	assert_int_equal(irmf_rule_role_ix(ex), 0);
	assert_int_equal(irmf_rule_role_ix(sp), 1);
	assert_int_equal(irmf_rule_role_ix(fs), 2);
	assert_int_equal(irmf_rule_role_ix(rms), -1);
	assert_int_equal(irmf_rule_role_ix(both), 0);
	run.scheme = "http";
	run.scheme_role[0] = "https";
	run.scheme_role[2] = "http";
	assert_string_equal(irmf_rule_scheme_for(&run, ex), "https");
	assert_null(irmf_rule_scheme_for(&run, sp));   /* evenly split */
	assert_string_equal(irmf_rule_scheme_for(&run, fs), "http");
	/* no role compared: the fleet's scheme */
	assert_string_equal(irmf_rule_scheme_for(&run, rms), "http");
}

#define T(f) cmocka_unit_test_setup_teardown(f, rf_setup, rf_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_account_eq),
		cmocka_unit_test(test_reg_setting),
		T(test_have_registry),
		T(test_exch_ver_and_path),
		T(test_find_memo),
		T(test_reg_str),
		T(test_roles_and_schemes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
