/*
 * test_settings.c - a snapshot flattened into comparable settings
 * (compare/core/settings.c), the one flattening consensus and the history
 * store share: registry values under the compared roots only, each its
 * own setting, except a redirection key, which is one setting whose value
 * is the set of its mappings; IRM configuration properties (volatile ones
 * left out, lists as sets); the Test-IRMConfiguration result; file
 * versions; group memberships; the sorted list and its lookup; whether a
 * section was collected at all and which collection error covers a
 * setting.  Pooled flattening is exercised by test_fleet.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "settings.h"
#include "snapshot_int.h"

#define V15 "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM"
#define LSR V15 "\\LicenseServerRedirection"
#define MSDRM "HKLM\\SOFTWARE\\Microsoft\\MSDRM"
#define ACT MSDRM "\\ServiceLocation\\Activation"
#define TENANT "https://T.rms.na.aadrm.com/_wmcs/licensing"
#define CONN "https://RMSCON.contoso.com/_wmcs/licensing/"

static irmf_reg_key *
key(irmf_snapshot *s, const char *path)
{
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
	return k;
}

/* An Exchange server with two redirection mappings, a default value and
 * a DWORD under MSDRM, and a key outside the compared roots. */
static irmf_snapshot *
exchange(void)
{
	irmf_snapshot *s;
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	s->roles = IRMF_ROLE_EXCHANGE;
	k = key(s, LSR);
	assert_int_equal(irmf_reg_key_set_sz(k, TENANT, IRMF_REG_SZ, CONN), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://adrms.contoso.com/"
	    "_wmcs/licensing", IRMF_REG_SZ, CONN), 0);
	k = key(s, ACT);
	assert_int_equal(irmf_reg_key_set_sz(k, "", IRMF_REG_SZ,
	    "https://T.rms.na.aadrm.com/_wmcs/certification"), 0);
	k = key(s, MSDRM);
	assert_int_equal(irmf_reg_key_set_num(k, "DisableCertChainCache",
	    IRMF_REG_DWORD, 1), 0);
	k = key(s, "HKLM\\SOFTWARE\\Contoso\\Other");
	assert_int_equal(irmf_reg_key_set_num(k, "X", IRMF_REG_DWORD, 1), 0);
	return s;
}

static const irmf_setting *
find(const irmf_settings *st, const char *k)
{
	const irmf_setting *s = irmf_settings_find(st, k);

	if (s == NULL)
		fail_msg("no setting '%s'", k);
	return s;
}

static void
test_registry_values(void **state)
{
	irmf_snapshot *s = exchange();
	irmf_settings st = { 0 };
	const irmf_setting *v;

	(void)state;
	assert_int_equal(irmf_settings_extract(s, &st), 0);
	/* three settings: the redirection key, Activation's default value,
	 * the DWORD; nothing from outside the compared roots */
	assert_int_equal(st.n, 3);
	for (size_t i = 1; i < st.n; i++)
		assert_true(strcmp(st.items[i - 1].key, st.items[i].key) < 0);
	assert_null(irmf_settings_find(&st,
	    "reg:HKLM\\SOFTWARE\\Contoso\\Other\\X"));
	v = find(&st, "reg:" ACT "\\(default)");
	assert_int_equal(v->section, IRMF_SECTION_REGISTRY);
	assert_non_null(strstr(v->value, "REG_SZ"));
	assert_non_null(strstr(v->value,
	    "https://T.rms.na.aadrm.com/_wmcs/certification"));
	v = find(&st, "reg:" MSDRM "\\DisableCertChainCache");
	assert_non_null(strstr(v->value, "REG_DWORD"));
	assert_string_not_equal(v->norm, "");
	/* the redirection key: one setting, no per-mapping settings */
	v = find(&st, "reg:" LSR);
	assert_null(irmf_settings_find(&st, "reg:" LSR "\\" TENANT));
	assert_non_null(strstr(v->value, TENANT));
	assert_non_null(strstr(v->value, "adrms.contoso.com"));
	irmf_settings_clear(&st);
	irmf_snapshot_free(s);
}

/* The redirection key compares as a set of mappings: order, URL case and
 * one trailing '/' do not matter; another mapping does. */
static void
test_redirection_key_as_set(void **state)
{
	irmf_snapshot *a = exchange(), *b, *c;
	irmf_settings sa = { 0 }, sb = { 0 }, sc = { 0 };
	irmf_reg_key *k;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&b, "EX02"), 0);
	k = key(b, LSR);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://ADRMS.contoso.com/"
	    "_wmcs/licensing", IRMF_REG_SZ,
	    "https://rmscon.contoso.com/_wmcs/licensing"), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, TENANT, IRMF_REG_SZ,
	    "https://rmscon.contoso.com/_wmcs/licensing"), 0);
	assert_int_equal(irmf_snapshot_new(&c, "EX03"), 0);
	k = key(c, LSR);
	assert_int_equal(irmf_reg_key_set_sz(k, TENANT, IRMF_REG_SZ,
	    "http://rmscon.contoso.com/_wmcs/licensing"), 0);
	assert_int_equal(irmf_settings_extract(a, &sa), 0);
	assert_int_equal(irmf_settings_extract(b, &sb), 0);
	assert_int_equal(irmf_settings_extract(c, &sc), 0);
	assert_string_equal(find(&sa, "reg:" LSR)->norm,
	    find(&sb, "reg:" LSR)->norm);
	assert_string_not_equal(find(&sa, "reg:" LSR)->norm,
	    find(&sc, "reg:" LSR)->norm);
	irmf_settings_clear(&sa);
	irmf_settings_clear(&sb);
	irmf_settings_clear(&sc);
	irmf_snapshot_free(a);
	irmf_snapshot_free(b);
	irmf_snapshot_free(c);
}

static void
test_irm_files_groups(void **state)
{
	irmf_snapshot *s;
	irmf_settings st = { 0 };
	const irmf_setting *v;
	char b_url[] = "https://B.example/", a_url[] = "https://a.example";
	char *const urls[] = { b_url, a_url };

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	s->has_irm_config = true;
	assert_int_equal(irmf_snapshot_prop_set(s, "InternalLicensingEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "WhenChanged",
	    IRMF_PROP_STRING, "2026-11-01", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "ServiceLocation",
	    IRMF_PROP_URI, NULL, true), 0);
	assert_int_equal(irmf_snapshot_prop_set_list(s, "LicensingLocation",
	    IRMF_PROP_URI_LIST, urls, 2), 0);
	/* the overall result is the parser's to set; steps do not make it */
	assert_int_equal(irmf_snapshot_irm_test_add(s, "Acquiring RMS "
	    "templates", true, NULL), 0);
	s->irm_test_pass = true;
	assert_int_equal(irmf_snapshot_file_set(s, "MSIPC.dll", NULL,
	    "1.0.05.0"), 0);
	assert_int_equal(irmf_snapshot_add_group(s, "CONTOSO\\RMS Servers"),
	    0);
	assert_int_equal(irmf_snapshot_add_group(s, "CONTOSO\\Exchange"), 0);
	assert_int_equal(irmf_settings_extract(s, &st), 0);

	v = find(&st, "irm:InternalLicensingEnabled");
	assert_int_equal(v->section, IRMF_SECTION_IRM);
	assert_string_equal(v->value, "True");
	assert_string_equal(v->norm, "true");
	/* an AD object's bookkeeping is not configuration */
	assert_null(irmf_settings_find(&st, "irm:WhenChanged"));
	assert_string_equal(find(&st, "irm:ServiceLocation")->value, "$null");
	assert_string_equal(find(&st, "irm:ServiceLocation")->norm, "nil");
	v = find(&st, "irm:LicensingLocation");
	assert_string_equal(v->value,
	    "{https://B.example/, https://a.example}");
	/* a set: sorted, URLs folded, trailing '/' gone */
	assert_string_equal(v->norm, "https://a.example\nhttps://b.example");
	v = find(&st, "irm-test:overall");
	assert_int_equal(v->section, IRMF_SECTION_IRM_TEST);
	assert_string_equal(v->value, "PASS");
	assert_string_equal(v->norm, "pass");
	/* file names folded, versions numeric */
	v = find(&st, "file:msipc.dll");
	assert_int_equal(v->section, IRMF_SECTION_FILES);
	assert_string_equal(v->value, "1.0.05.0");
	assert_string_equal(v->norm, "1.0.5.0");
	v = find(&st, "identity:groups");
	assert_int_equal(v->section, IRMF_SECTION_GROUPS);
	assert_string_equal(v->value, "CONTOSO\\RMS Servers; CONTOSO\\Exchange");
	assert_string_equal(v->norm, "contoso\\exchange\ncontoso\\rms servers");
	irmf_settings_clear(&st);
	irmf_snapshot_free(s);
}

/* "(default)" is the unnamed value; a value literally named so is
 * quoted, and the reverse mapping gives each back. */
static void
test_value_names(void **state)
{
	(void)state;
	assert_string_equal(irmf_setting_name_of_value(""), "(default)");
	assert_string_equal(irmf_setting_name_of_value("(default)"),
	    IRMF_LITERAL_DEFAULT);
	assert_string_equal(irmf_setting_name_of_value("X"), "X");
	assert_string_equal(irmf_setting_value_name("(default)"), "");
	assert_string_equal(irmf_setting_value_name(IRMF_LITERAL_DEFAULT),
	    "(default)");
	assert_string_equal(irmf_setting_value_name("X"), "X");
}

/* A section is unknown (not missing) when it was not collected; a
 * collection error covers the settings of its item. */
static void
test_presence_and_errors(void **state)
{
	irmf_snapshot *s;
	const irmf_collect_error *e;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	s->method = IRMF_METHOD_IMPORT;
	/* an import of only the Setup key says nothing about IRM keys */
	key(s, "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup");
	assert_false(irmf_section_present(s, IRMF_SECTION_REGISTRY));
	assert_false(irmf_section_present(s, IRMF_SECTION_IRM));
	assert_false(irmf_section_present(s, IRMF_SECTION_IRM_TEST));
	assert_false(irmf_section_present(s, IRMF_SECTION_FILES));
	assert_false(irmf_section_present(s, IRMF_SECTION_GROUPS));
	key(s, MSDRM);
	assert_true(irmf_section_present(s, IRMF_SECTION_REGISTRY));
	s->has_irm_config = true;
	assert_true(irmf_section_present(s, IRMF_SECTION_IRM));
	assert_int_equal(irmf_snapshot_set_computer_account(s, "EX01$"), 0);
	assert_true(irmf_section_present(s, IRMF_SECTION_GROUPS));

	assert_null(irmf_setting_collect_error(s, "reg:" ACT "\\(default)"));
	assert_int_equal(irmf_snapshot_add_error(s, "registry:HKLM\\SOFTWARE\\"
	    "Microsoft\\MSDRM", IRMF_REASON_ACCESS_DENIED, "denied"), 0);
	assert_int_equal(irmf_snapshot_add_error(s, "file:msipc.dll",
	    IRMF_REASON_NOT_FOUND, "gone"), 0);
	e = irmf_setting_collect_error(s, "reg:" ACT "\\(default)");
	assert_non_null(e);
	assert_string_equal(e->message, "denied");
	/* a prefix of a key name is not its parent */
	assert_null(irmf_setting_collect_error(s,
	    "reg:HKLM\\SOFTWARE\\Microsoft\\MSDRMX\\V"));
	assert_string_equal(irmf_setting_collect_error(s, "file:msipc.dll")->
	    message, "gone");
	assert_null(irmf_setting_collect_error(s, "file:msdrm.dll"));
	assert_null(irmf_setting_collect_error(s, "irm:X"));
	/* the whole host failing covers everything */
	assert_int_equal(irmf_snapshot_add_error(s, "host",
	    IRMF_REASON_CONNECTION, "refused"), 0);
	assert_string_equal(irmf_setting_collect_error(s, "irm:X")->message,
	    "refused");
	irmf_snapshot_free(s);
}

static void
test_display_path(void **state)
{
	char *p;

	(void)state;
	p = irmf_reg_display_path("HKEY_LOCAL_MACHINE\\SOFTWARE\\X");
	assert_string_equal(p, "HKLM\\SOFTWARE\\X");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_values),
		cmocka_unit_test(test_redirection_key_as_set),
		cmocka_unit_test(test_irm_files_groups),
		cmocka_unit_test(test_value_names),
		cmocka_unit_test(test_presence_and_errors),
		cmocka_unit_test(test_display_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
