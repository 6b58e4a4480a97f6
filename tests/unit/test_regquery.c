/*
 * test_regquery.c - collector/parse/regquery.c: the corpus captures, the IRM
 * keys as cmd and PowerShell print them, every value type, localized
 * default names and OEM code pages, XP's format, reg.exe errors and
 * trailers, malformed input, sniffing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "error.h"
#include "regquery.h"
#include "snapshot_int.h"
#include "textdecode.h"

#define TENANT "https://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com"
#define CONN "https://rmsconnector.contoso.com"
#define IRM "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM"
#define MSDRM "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation"
#define MSIPC "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation"
#define UNINST "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\" \
    "CurrentVersion\\Uninstall"

static irmf_snapshot *
parse_ok_cp(const char *file, const char *cp)
{
	irmf_snapshot *s;
	char rel[256], *buf;
	size_t len;

	snprintf(rel, sizeof(rel), "regquery/%s", file);
	buf = tu_read_fixture(rel, &len);
	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	if (irmf_regquery_parse_cp(s, buf, len, file, cp) != 0)
		fail_msg("%s: %s", file, irmf_error_last()->message);
	free(buf);
	return s;
}

static irmf_snapshot *
parse_ok(const char *file)
{
	return parse_ok_cp(file, NULL);
}

static const irmf_reg_value *
val(const irmf_snapshot *s, const char *path, const char *name,
    irmf_reg_type type)
{
	const irmf_reg_key *k = irmf_snapshot_reg_find(s, path);
	const irmf_reg_value *v;

	if (k == NULL)
		fail_msg("key '%s' missing", path);
	if ((v = irmf_reg_key_find_value(k, name)) == NULL)
		fail_msg("value '%s' missing under '%s'", name, path);
	assert_int_equal(v->type, type);
	return v;
}

static void
assert_sz(const irmf_snapshot *s, const char *path, const char *name,
    const char *want)
{
	assert_string_equal(val(s, path, name, IRMF_REG_SZ)->str, want);
}

static void
test_corpus(void **state)
{
	irmf_snapshot *s;
	const irmf_reg_key *k;
	const char *net = UNINST "\\{12B6D916-FD64-471C-8EF7-C04443A75F8D}";

	(void)state;
	/* PS> prompt echo, XP banner, 2-/3-space tab-expanded columns */
	s = parse_ok("PowerShell-Docs__Working-with-Registry-Entries__"
	    "reg-query-DevicePath.txt");
	assert_int_equal(s->nkeys, 1);
	assert_string_equal(val(s, "HKLM\\SOFTWARE\\Microsoft\\Windows\\"
	    "CurrentVersion", "DevicePath", IRMF_REG_EXPAND_SZ)->str,
	    "%SystemRoot%\\inf");
	irmf_snapshot_free(s);

	/* modern /s dump: empty keys, empty REG_SZ, dwords, LF endings */
	s = parse_ok("appium-windows-driver__registry-specs__"
	    "reg-query-Uninstall-s.txt");
	k = irmf_snapshot_reg_find(s, UNINST "\\AddressBook");
	assert_non_null(k);
	assert_int_equal(k->nvalues, 0);
	assert_int_equal(val(s, UNINST "\\Connection Manager",
	    "SystemComponent", IRMF_REG_DWORD)->num, 1);
	assert_sz(s, net, "Comments", "");
	assert_sz(s, net, "DisplayVersion", "40.28.30105");
	assert_sz(s, net, "InstallSource", "C:\\ProgramData\\Package Cache\\"
	    "{12B6D916-FD64-471C-8EF7-C04443A75F8D}v40.28.30105\\");
	assert_string_equal(val(s, net, "ModifyPath", IRMF_REG_EXPAND_SZ)->str,
	    "MsiExec.exe /X{12B6D916-FD64-471C-8EF7-C04443A75F8D}");
	assert_int_equal(val(s, net, "EstimatedSize", IRMF_REG_DWORD)->num,
	    364);
	assert_sz(s, net, "DisplayName", "Microsoft .NET Host - 5.0.7 (x64)");
	assert_int_equal(irmf_snapshot_reg_find(s, net)->nvalues, 25);
	assert_int_equal(s->nkeys, 15);
	assert_int_equal(s->nerrors, 0);
	irmf_snapshot_free(s);
}

static void
test_irm_keys(void **state)
{
	irmf_snapshot *s;

	(void)state;
	/* cmd output: CRLF, 4-space indent and columns */
	s = parse_ok("irmf-exchange-irm-s.txt");
	assert_int_equal(s->nkeys, 3);
	assert_int_equal(irmf_snapshot_reg_find(s, IRM)->nvalues, 0);
	assert_sz(s, IRM "\\CertificationServerRedirection", TENANT, CONN);
	assert_sz(s, IRM "\\LicenseServerRedirection", TENANT, CONN);
	irmf_snapshot_free(s);

	s = parse_ok("irmf-msdrm-s.txt");
	assert_sz(s, MSDRM "\\Activation", "", TENANT "/_wmcs/certification");
	assert_sz(s, MSDRM "\\EnterprisePublishing", "",
	    TENANT "/_wmcs/Licensing");
	irmf_snapshot_free(s);

	/* PowerShell 5 redirection: UTF-16LE with BOM */
	s = parse_ok("irmf-msipc-s-powershell.txt");
	assert_sz(s, MSIPC "\\EnterpriseCertification", "",
	    CONN "/_wmcs/certification");
	assert_sz(s, MSIPC "\\EnterprisePublishing", "",
	    CONN "/_wmcs/licensing");
	assert_sz(s, MSIPC "\\LicensingRedirection", TENANT "/_wmcs/licensing",
	    CONN "/_wmcs/licensing");
	assert_int_equal(s->nkeys, 4);
	irmf_snapshot_free(s);
}

static void
test_types(void **state)
{
	const char *k = "HKLM\\SOFTWARE\\Microsoft\\irmfleet\\Types";
	irmf_snapshot *s = parse_ok("irmf-types-f.txt");
	const irmf_reg_value *v;

	(void)state;
	assert_sz(s, k, "", "default data");
	assert_sz(s, k, "Name With Spaces", "data  with  double  spaces");
	assert_sz(s, k, "Empty", "");
	assert_string_equal(val(s, k, "Expand", IRMF_REG_EXPAND_SZ)->str,
	    "%SystemRoot%\\inf");
	v = val(s, k, "Multi", IRMF_REG_MULTI_SZ);
	assert_int_equal(v->nmulti, 3);
	assert_string_equal(v->multi[0], "https://a.contoso.com");
	assert_string_equal(v->multi[1], "");
	assert_string_equal(v->multi[2], "https://b.contoso.com");
	assert_int_equal(val(s, k, "MultiEmpty", IRMF_REG_MULTI_SZ)->nmulti, 0);
	assert_int_equal(val(s, k, "Dword", IRMF_REG_DWORD)->num, 42);
	assert_int_equal(val(s, k, "DwordMax", IRMF_REG_DWORD)->num,
	    0xffffffffu);
	assert_int_equal(val(s, k, "Qword", IRMF_REG_QWORD)->num,
	    0x123456789abcdefULL);
	v = val(s, k, "Binary", IRMF_REG_BINARY);
	assert_int_equal(v->nbin, 5);
	assert_memory_equal(v->bin, "\xde\xad\xbe\xef\0", 5);
	assert_int_equal(val(s, k, "BinaryEmpty", IRMF_REG_BINARY)->nbin, 0);
	assert_int_equal(val(s, k, "None", IRMF_REG_NONE)->nbin, 2);
	assert_sz(s, k, "MultiLine", "first line\nsecond line");
	assert_sz(s, k, "Leading", "  two leading spaces");
	assert_int_equal(irmf_snapshot_reg_find(s, k)->nvalues, 14);
	assert_int_equal(s->nerrors, 0);
	irmf_snapshot_free(s);
}

static void
test_localized_and_codepages(void **state)
{
	irmf_snapshot *s;

	(void)state;
	unsetenv("IRMFLEET_CODEPAGE");
	/* 8-bit reg query text defaults to OEM CP850 */
	s = parse_ok("irmf-german-cp850.txt");
	assert_sz(s, MSIPC "\\EnterpriseCertification", "",
	    CONN "/_wmcs/certification");
	assert_sz(s, "HKLM\\SOFTWARE\\Microsoft\\irmfleet\\Umlaut", "Ort",
	    "M\xC3\xBCnchen");
	irmf_snapshot_free(s);

	s = parse_ok("irmf-french-cp850.txt");
	assert_sz(s, MSDRM "\\Activation", "", TENANT "/_wmcs/certification");
	irmf_snapshot_free(s);
	/* decoded with the wrong (ANSI) code page the accent is garbled,
	 * but "(par d?faut)" is still the default value */
	s = parse_ok_cp("irmf-french-cp850.txt", "1252");
	assert_sz(s, MSDRM "\\Activation", "", TENANT "/_wmcs/certification");
	irmf_snapshot_free(s);
	/* the environment overrides the OEM default */
	setenv("IRMFLEET_CODEPAGE", "CP1252", 1);
	s = parse_ok("irmf-german-cp850.txt");
	assert_sz(s, "HKLM\\SOFTWARE\\Microsoft\\irmfleet\\Umlaut", "Ort",
	    "M\xEF\xBF\xBDnchen");   /* 0x81 is undefined in CP1252 */
	irmf_snapshot_free(s);
	unsetenv("IRMFLEET_CODEPAGE");

	s = parse_ok("irmf-spanish.txt");
	assert_sz(s, MSDRM "\\EnterprisePublishing", "",
	    TENANT "/_wmcs/Licensing");
	irmf_snapshot_free(s);
}

static void
test_xp_format(void **state)
{
	irmf_snapshot *s = parse_ok("irmf-xp-tabs.txt");

	(void)state;
	assert_sz(s, MSDRM "\\Activation", "", TENANT "/_wmcs/certification");
	assert_int_equal(val(s, MSDRM "\\Activation", "Flags",
	    IRMF_REG_DWORD)->num, 1);
	irmf_snapshot_free(s);
}

static void
test_reg_errors(void **state)
{
	irmf_snapshot *s;

	(void)state;
	/* absent key: not a failure, nothing recorded */
	s = parse_ok("irmf-error-notfound.txt");
	assert_int_equal(s->nkeys, 0);
	assert_int_equal(s->nerrors, 0);
	irmf_snapshot_free(s);
	/* access denied: a collection error named after the queried key */
	s = parse_ok("irmf-error-denied.txt");
	assert_int_equal(s->nkeys, 0);
	assert_int_equal(s->nerrors, 1);
	assert_string_equal(s->errors[0].item, "registry:" MSIPC);
	assert_int_equal(s->errors[0].reason, IRMF_REASON_ACCESS_DENIED);
	assert_string_equal(s->errors[0].message,
	    "irmf-error-denied.txt:2: ERROR: Access is denied.");
	irmf_snapshot_free(s);
}

static int
parse_str(irmf_snapshot *s, const char *text)
{
	return irmf_regquery_parse(s, text, strlen(text), "q.txt");
}

static void
expect_fail(const char *text, const char *want)
{
	irmf_snapshot *s;

	assert_int_equal(irmf_snapshot_new(&s, "x"), 0);
	assert_int_equal(parse_str(s, text), IRMF_EPARSE);
	if (strstr(irmf_error_last()->message, want) == NULL)
		fail_msg("message '%s' lacks '%s'", irmf_error_last()->message,
		    want);
	irmf_snapshot_free(s);
}

static void
test_malformed(void **state)
{
	irmf_snapshot *s;

	(void)state;
	expect_fail("    a    REG_SZ    b\n",
	    "q.txt:1: expected a key line ('HKEY_...') before the first value");
	expect_fail("HKEY_LOCAL_MACHINE\\X\n    just text\n",
	    "q.txt:2: expected a value line '    name    REG_TYPE    data'");
	expect_fail("Windows Registry Editor Version 5.00\n\n[HKLM\\X]\n",
	    "q.txt:1: expected a key line");
	expect_fail("HKEY_LOCAL_MACHINE\\X\n    a    REG_DWORD    0x1\n"
	    "garbage\nmore\n", "q.txt:3: expected a key line");

	/* bad data for one value: recorded, the rest kept */
	assert_int_equal(irmf_snapshot_new(&s, "x"), 0);
	assert_int_equal(parse_str(s, "HKEY_LOCAL_MACHINE\\X\n"
	    "    d    REG_DWORD    0x100000000\n"
	    "    b    REG_BINARY    ABC\n"
	    "    u    REG_WEIRD    1\n"
	    "    ok    REG_SZ    yes\n"), 0);
	assert_int_equal(s->nerrors, 3);
	assert_string_equal(s->errors[0].item, "registry:HKEY_LOCAL_MACHINE\\X");
	assert_non_null(strstr(s->errors[0].message, "q.txt:2: value 'd': "
	    "expected a REG_DWORD number"));
	assert_non_null(strstr(s->errors[1].message, "q.txt:3: value 'b': "
	    "odd number of hex digits"));
	assert_non_null(strstr(s->errors[2].message, "q.txt:4: value 'u': "
	    "unknown registry type"));
	assert_int_equal(irmf_snapshot_reg_find(s, "HKLM\\X")->nvalues, 1);
	assert_int_equal(parse_str(s, "x"), IRMF_EPARSE);
	assert_int_equal(irmf_regquery_parse(s, "\xFF\xFE" "H\0\x00\xDC", 6,
	    "u.txt"), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message,
	    "u.txt: byte offset 4"));
	assert_int_equal(irmf_regquery_parse(s, "x", IRMF_TEXT_MAX + 1, "b"),
	    IRMF_ELIMIT);
	irmf_snapshot_free(s);
}

static void
test_details(void **state)
{
	irmf_snapshot *s;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "x"), 0);
	/* remote form \\HOST\HKLM, unset default, localized trailer, a
	 * name ending in spaces, "(Default)" elsewhere in a name */
	assert_int_equal(parse_str(s, "\r\n\\\\EX01\\HKEY_LOCAL_MACHINE\\R\r\n"
	    "    (Default)    REG_SZ    (value not set)\r\n"
	    "    pad      REG_SZ    x\r\n"
	    "    my (Default)    REG_SZ    y\r\n"
	    "    my REG_SZ copy    REG_SZ    z REG_DWORD 1\r\n\r\n"
	    "Ende der Suche: 3 Treffer gefunden.\r\n"), 0);
	assert_non_null(irmf_snapshot_reg_find(s, "HKLM\\R"));
	assert_null(irmf_reg_key_find_value(irmf_snapshot_reg_find(s,
	    "HKLM\\R"), ""));
	assert_sz(s, "HKLM\\R", "pad  ", "x");
	assert_sz(s, "HKLM\\R", "my (Default)", "y");
	assert_sz(s, "HKLM\\R", "my REG_SZ copy", "z REG_DWORD 1");
	irmf_snapshot_free(s);
}

static void
test_sniff(void **state)
{
	(void)state;
	assert_true(irmf_regquery_sniff("\nHKEY_LOCAL_MACHINE\\SOFTWARE\\X\n"
	    "    a    REG_SZ    b\n"));
	assert_true(irmf_regquery_sniff("\r\n! REG.EXE VERSION 3.0\r\n"));
	assert_true(irmf_regquery_sniff("PS> reg query HKLM\\X /v Y\n"));
	assert_true(irmf_regquery_sniff("C:\\>reg.exe query \"HKLM\\X Y\"\n"));
	assert_true(irmf_regquery_sniff("ERROR: The system was unable to find "
	    "the specified registry key or value.\r\n"));
	assert_true(irmf_regquery_sniff("\\\\EX01\\HKEY_LOCAL_MACHINE\\X\n"));
	assert_false(irmf_regquery_sniff("Windows Registry Editor Version "
	    "5.00\n"));
	assert_false(irmf_regquery_sniff("[HKEY_LOCAL_MACHINE\\X]\n"));
	assert_false(irmf_regquery_sniff("    HKEY_LOCAL_MACHINE\\X\n"));
	assert_false(irmf_regquery_sniff("HKEY_LOCAL_MACHINEX\n"));
	assert_false(irmf_regquery_sniff("<Objs>"));
	assert_false(irmf_regquery_sniff(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_irm_keys),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_localized_and_codepages),
		cmocka_unit_test(test_xp_format),
		cmocka_unit_test(test_reg_errors),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_sniff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
