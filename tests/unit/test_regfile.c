/*
 * test_regfile.c - collector/parse/regfile.c: every corpus .reg file of a
 * supported format parses with concrete values checked, Wine and the
 * header-less doc snippet are rejected with file:line messages, the IRM
 * fixtures as regedit writes them, every grammar construct, deletions and
 * merging of several files in order, structural errors, sniffing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "error.h"
#include "regfile.h"
#include "snapshot_int.h"
#include "textdecode.h"

#define TENANT "https://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com"
#define CONN "https://rmsconnector.contoso.com"
#define IRM "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM"
#define MSDRM "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation"
#define MSIPC "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation"

/* Parse fixture regfile/<file> into snap; returns the parser's code. */
static int
parse_into(irmf_snapshot *s, const char *file)
{
	char rel[256], *buf;
	size_t len;
	int rc;

	snprintf(rel, sizeof(rel), "regfile/%s", file);
	buf = tu_read_fixture(rel, &len);
	rc = irmf_regfile_parse(s, buf, len, file);
	free(buf);
	return rc;
}

static irmf_snapshot *
parse_ok(const char *file)
{
	irmf_snapshot *s;

	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	if (parse_into(s, file) != 0)
		fail_msg("%s: %s", file, irmf_error_last()->message);
	return s;
}

/* The value, asserting that key and value exist with that type. */
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
assert_num(const irmf_snapshot *s, const char *path, const char *name,
    irmf_reg_type type, uint64_t want)
{
	assert_int_equal(val(s, path, name, type)->num, want);
}

/* Parse from a string (structural error tests). */
static int
parse_str(irmf_snapshot *s, const char *text)
{
	return irmf_regfile_parse(s, text, strlen(text), "t.reg");
}

static void
test_corpus_all_parse(void **state)
{
	static const char *files[] = {
		"Debloat__ColorModes__DarkMode.reg",
		"Debloat__ColorModes__LightMode.reg",
		"Debloat__add-run-with-powershell-as-administrator.reg",
		"Debloat__disable-defender.reg",
		"Debloat__disable-settingssync.reg",
		"Debloat__disable-telemetry.reg",
		"Debloat__enable-photo-viewer.reg",
		"Debloat__lower-ram-usage.reg",
		"Debloat__remove-run-with-powershell-as-administrator.reg",
		"DisableAutoLogin__backup.reg",
		"PakinWu__Processor-Power-management.reg",
		"regashii__complex-regedit4.reg",
		"regashii__complex-regedit5.reg",
		"regashii__irregular-regedit5.reg",
		"regashii__japanese-regedit5.reg",
		"regashii__multi-sz-separation-regedit4.reg",
		"regashii__multi-sz-separation-regedit5.reg",
		"regashii__repetition-regedit5.reg",
		"regashii__sample.reg",
		"regashii__simple-regedit4.reg",
		"regashii__simple-regedit5.reg",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		irmf_snapshot *s = parse_ok(files[i]);
		irmf_snapshot_free(s);
	}
}

static void
check_complex(const irmf_snapshot *s)
{
	const char *k = "HKEY_CURRENT_USER\\Software\\regashii\\complex";
	const irmf_reg_value *v;

	v = val(s, k, "binary-a-b", IRMF_REG_BINARY);
	assert_int_equal(v->nbin, 2);
	assert_memory_equal(v->bin, "ab", 2);
	assert_num(s, k, "dword-255", IRMF_REG_DWORD, 255);
	assert_string_equal(val(s, k, "expand-sz", IRMF_REG_EXPAND_SZ)->str, "");
	assert_string_equal(val(s, k, "expand-sz-a", IRMF_REG_EXPAND_SZ)->str,
	    "a");
	assert_int_equal(val(s, k, "multi-sz", IRMF_REG_MULTI_SZ)->nmulti, 0);
	v = val(s, k, "multi-sz-a-b", IRMF_REG_MULTI_SZ);
	assert_int_equal(v->nmulti, 2);
	assert_string_equal(v->multi[0], "a");
	assert_string_equal(v->multi[1], "b");
	assert_num(s, k, "qword-255", IRMF_REG_QWORD, 255);
	assert_sz(s, k, "sz-sp\\ec\"ial", "sp\\ec\"ial");
	assert_int_equal(irmf_snapshot_reg_find(s, k)->nvalues, 13);
}

static void
test_complex(void **state)
{
	irmf_snapshot *s;

	(void)state;
	s = parse_ok("regashii__complex-regedit5.reg");   /* UTF-16LE */
	check_complex(s);
	irmf_snapshot_free(s);
	s = parse_ok("regashii__complex-regedit4.reg");   /* REGEDIT4 */
	check_complex(s);
	irmf_snapshot_free(s);
}

static void
test_irregular(void **state)
{
	const char *k = "HKEY_CURRENT_USER\\Software\\regashii\\irre]\";gular";
	irmf_snapshot *s = parse_ok("regashii__irregular-regedit5.reg");
	const irmf_reg_value *v;

	(void)state;
	/* leading space before '[', last ']' ends the name, "\\" collapsed */
	assert_non_null(irmf_snapshot_reg_find(s, k));
	assert_sz(s, k, "", "");
	assert_num(s, k, "dword", IRMF_REG_DWORD, 0);          /* hex(4):00 */
	assert_sz(s, k, "sz-line-break", "a\nb");              /* hex(1) */
	v = val(s, k, "hex-continuations", IRMF_REG_BINARY);   /* "\ ; blah" */
	assert_int_equal(v->nbin, 3);
	assert_memory_equal(v->bin, "\0\1\2", 3);
	assert_sz(s, k, "semi;colons", "and\"quotes;");
	v = val(s, k, "hex-continuations-with-long-name ......................"
	    "...................... end", IRMF_REG_BINARY);
	assert_int_equal(v->nbin, 32);
	assert_int_equal(v->bin[31], 0x1f);
	/* "dword:00000000\" is refused like regedit does, and reported */
	assert_null(irmf_reg_key_find_value(irmf_snapshot_reg_find(s, k),
	    "invalid-backslash"));
	assert_int_equal(s->nerrors, 1);
	assert_string_equal(s->errors[0].item, "registry:" \
	    "HKEY_CURRENT_USER\\Software\\regashii\\irre]\";gular");
	assert_int_equal(s->errors[0].reason, IRMF_REASON_PARSE_ERROR);
	assert_non_null(strstr(s->errors[0].message,
	    "regashii__irregular-regedit5.reg:11: value 'invalid-backslash'"));
	irmf_snapshot_free(s);
}

static void
test_repetition(void **state)
{
	const char *k = "HKEY_CURRENT_USER\\Software\\regashii\\repeated-key";
	const char *kv = "HKEY_CURRENT_USER\\Software\\regashii\\repeated-value";
	irmf_snapshot *s = parse_ok("regashii__repetition-regedit5.reg");
	const irmf_reg_key *key;

	(void)state;
	/* [-KEY] dropped "foo" and the value line after it was ignored */
	key = irmf_snapshot_reg_find(s, k);
	assert_non_null(key);
	assert_int_equal(key->nvalues, 2);
	assert_sz(s, k, "bar", "2");
	assert_sz(s, k, "baz", "3");
	assert_null(irmf_reg_key_find_value(key, "foo"));
	assert_null(irmf_reg_key_find_value(key, "skipped"));
	/* "FOO"=- then two case variants: one value left, data "3" */
	assert_int_equal(irmf_snapshot_reg_find(s, kv)->nvalues, 1);
	assert_sz(s, kv, "FOO", "3");
	assert_int_equal(s->nkeys, 2);
	irmf_snapshot_free(s);
}

static void
check_multi_sep(const irmf_snapshot *s)
{
	const char *k =
	    "HKEY_CURRENT_USER\\Software\\regashii\\multi-sz-separation";
	const irmf_reg_value *v;

	assert_int_equal(val(s, k, "a", IRMF_REG_MULTI_SZ)->nmulti, 1);
	assert_int_equal(val(s, k, "a-_", IRMF_REG_MULTI_SZ)->nmulti, 1);
	assert_int_equal(val(s, k, "a-b-_", IRMF_REG_MULTI_SZ)->nmulti, 2);
	/* an empty string between items is kept, as reg query shows it */
	v = val(s, k, "a-_-b", IRMF_REG_MULTI_SZ);
	assert_int_equal(v->nmulti, 3);
	assert_string_equal(v->multi[0], "a");
	assert_string_equal(v->multi[1], "");
	assert_string_equal(v->multi[2], "b");
}

static void
test_multi_sz_separation(void **state)
{
	irmf_snapshot *s;

	(void)state;
	s = parse_ok("regashii__multi-sz-separation-regedit5.reg");
	check_multi_sep(s);
	irmf_snapshot_free(s);
	s = parse_ok("regashii__multi-sz-separation-regedit4.reg");
	check_multi_sep(s);
	irmf_snapshot_free(s);
}

static void
test_japanese_and_sample(void **state)
{
	const char *k = "HKEY_CURRENT_USER\\Software\\regashii\\"
	    "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E";
	irmf_snapshot *s = parse_ok("regashii__japanese-regedit5.reg");
	const irmf_reg_value *v;

	(void)state;
	assert_sz(s, k, "sz-\xE3\x81\x82", "\xE3\x81\x82");
	v = val(s, k, "multi-sz-2", IRMF_REG_MULTI_SZ);
	assert_int_equal(v->nmulti, 2);
	assert_string_equal(v->multi[1], "\xE3\x81\x84");
	irmf_snapshot_free(s);

	s = parse_ok("regashii__sample.reg");   /* UTF-16LE with LF */
	assert_sz(s, "HKEY_CURRENT_USER\\Software\\Foo", "", "some string");
	assert_num(s, "HKEY_CURRENT_USER\\Software\\Foo", "this is a dword",
	    IRMF_REG_DWORD, 255);
	irmf_snapshot_free(s);
}

static void
test_real_world_oddities(void **state)
{
	irmf_snapshot *s;
	const char *dwm = "HKEY_CURRENT_USER\\SOFTWARE\\Microsoft\\Windows\\DWM";
	const char *acc = "HKEY_CURRENT_USER\\SOFTWARE\\Microsoft\\Windows\\"
	    "CurrentVersion\\Explorer\\Accent";
	const irmf_reg_value *v;

	(void)state;
	s = parse_ok("Debloat__lower-ram-usage.reg");   /* dword:0ffffffff */
	assert_num(s, "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\"
	    "Multimedia\\SystemProfile", "NetworkThrottlingIndex",
	    IRMF_REG_DWORD, 0xffffffffu);
	assert_sz(s, "HKLM\\SYSTEM\\CurrentControlSet\\Control",
	    "WaitToKillServiceTimeout", "2000");
	irmf_snapshot_free(s);

	s = parse_ok("Debloat__ColorModes__DarkMode.reg");  /* 7 digits */
	assert_num(s, dwm, "ColorizationColor", IRMF_REG_DWORD, 0x45D5A58);
	assert_num(s, dwm, "AccentColor", IRMF_REG_DWORD, 0xFF585A5D);
	v = val(s, acc, "AccentPalette", IRMF_REG_BINARY);
	assert_int_equal(v->nbin, 32);
	assert_int_equal(v->bin[0], 0xC5);
	/* last line without a final newline */
	assert_num(s, acc, "AccentColorMenu", IRMF_REG_DWORD, 0xFF585A5D);
	irmf_snapshot_free(s);

	s = parse_ok("Debloat__add-run-with-powershell-as-administrator.reg");
	assert_sz(s, "HKEY_CLASSES_ROOT\\Microsoft.PowerShellScript.1\\Shell\\"
	    "RunAs\\Command", "", "\"C:\\Windows\\System32\\WindowsPowerShell"
	    "\\v1.0\\powershell.exe\" \"%1\"");
	irmf_snapshot_free(s);

	s = parse_ok("DisableAutoLogin__backup.reg");
	assert_sz(s, "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\"
	    "Authentication\\LogonUI\\UserSwitch", "UserSID", "");
	irmf_snapshot_free(s);

	/* 577 KB regedit export: 408 keys, 967 values, hex(2) continued */
	s = parse_ok("PakinWu__Processor-Power-management.reg");
	assert_int_equal(s->nkeys, 408);
	{
		size_t nv = 0;
		for (size_t i = 0; i < s->nkeys; i++)
			nv += s->keys[i].nvalues;
		assert_int_equal(nv, 967);
	}
	assert_string_equal(val(s, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\"
	    "Power\\PowerSettings\\54533251-82be-4824-96c1-47b60b740d00",
	    "FriendlyName", IRMF_REG_EXPAND_SZ)->str,
	    "@%SystemRoot%\\system32\\powrprof.dll,-351,Processor power "
	    "settings");
	assert_int_equal(s->nerrors, 0);
	irmf_snapshot_free(s);
}

static void
test_rejected_files(void **state)
{
	irmf_snapshot *s;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "x"), 0);
	assert_int_equal(parse_into(s, "regashii__wine-v2.reg"),
	    IRMF_EUNSUPPORTED);
	assert_non_null(strstr(irmf_error_last()->message,
	    "regashii__wine-v2.reg:1: Wine registry files"));
	assert_int_equal(parse_into(s, "doc-snippet__SupportArticles-docs__"
	    "migrate-ad-rms-to-azure__IRM-LicenseServerRedirection.reg.txt"),
	    IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message,
	    "IRM-LicenseServerRedirection.reg.txt:1: expected the header "
	    "'Windows Registry Editor Version 5.00' or 'REGEDIT4', got "
	    "'[HKLM\\SOFTWARE"));
	assert_int_equal(s->nkeys, 0);
	irmf_snapshot_free(s);
}

static void
test_irm_exchange(void **state)
{
	irmf_snapshot *s;

	(void)state;
	/* UTF-16LE + BOM + CRLF, as regedit writes it */
	s = parse_ok("irmf-exchange-irm-regedit5.reg");
	assert_non_null(irmf_snapshot_reg_find(s, IRM));
	assert_sz(s, IRM "\\CertificationServerRedirection", TENANT, CONN);
	assert_sz(s, IRM "\\LicenseServerRedirection", TENANT, CONN);
	assert_sz(s, IRM "\\LicenseServerRedirection",
	    "https://adrms.contoso.com/_wmcs/licensing",
	    CONN "/_wmcs/licensing");
	assert_int_equal(s->nkeys, 3);
	irmf_snapshot_free(s);

	s = parse_ok("irmf-msdrm-regedit5.reg");
	assert_sz(s, MSDRM "\\Activation", "", TENANT "/_wmcs/certification");
	assert_sz(s, MSDRM "\\EnterprisePublishing", "",
	    TENANT "/_wmcs/Licensing");
	irmf_snapshot_free(s);

	s = parse_ok("irmf-msipc-regedit5.reg");
	assert_sz(s, MSIPC "\\EnterpriseCertification", "",
	    CONN "/_wmcs/certification");
	assert_sz(s, MSIPC "\\EnterprisePublishing", "",
	    CONN "/_wmcs/licensing");
	assert_sz(s, MSIPC "\\LicensingRedirection", TENANT "/_wmcs/licensing",
	    CONN "/_wmcs/licensing");
	irmf_snapshot_free(s);
}

static void
test_irm_regedit4_and_utf8(void **state)
{
	irmf_snapshot *s;
	const irmf_reg_value *v;

	(void)state;
	unsetenv("IRMFLEET_CODEPAGE");
	s = parse_ok("irmf-exchange-regedit4.reg");
	assert_sz(s, IRM "\\LicenseServerRedirection", TENANT, CONN);
	assert_sz(s, MSDRM "\\Activation", "", TENANT "/_wmcs/certification");
	/* REGEDIT4 hex(2) is ANSI: CP1252 0xE9 is e-acute */
	assert_string_equal(val(s, MSDRM "\\Activation", "InstallDir",
	    IRMF_REG_EXPAND_SZ)->str, "%ProgramFiles%\\Caf\xC3\xA9");
	v = val(s, MSDRM "\\Activation", "Mirrors", IRMF_REG_MULTI_SZ);
	assert_int_equal(v->nmulti, 2);
	assert_string_equal(v->multi[1], "https://b.contoso.com");
	irmf_snapshot_free(s);

	s = parse_ok("irmf-msipc-utf8-lf.reg");   /* UTF-8, LF, no final LF */
	assert_sz(s, MSIPC "\\EnterprisePublishing", "",
	    CONN "/_wmcs/licensing");
	assert_sz(s, MSIPC "\\EnterprisePublishing", "Comment",
	    "connector caf\xC3\xA9");
	irmf_snapshot_free(s);
}

static void
test_constructs(void **state)
{
	const char *k = "HKLM\\SOFTWARE\\irmfleet\\Constructs";
	irmf_snapshot *s = parse_ok("irmf-constructs-regedit5.reg");
	const irmf_reg_value *v;

	(void)state;
	assert_sz(s, k, "", "default value");
	assert_sz(s, k, "quote\"and\\backslash", "C:\\Program Files\\\"x\"");
	assert_sz(s, k, "name with spaces", "spaces around =");
	assert_sz(s, k, "empty", "");
	assert_num(s, k, "dword-8", IRMF_REG_DWORD, 42);
	assert_num(s, k, "dword-9", IRMF_REG_DWORD, 0xffffffffu);
	assert_num(s, k, "dword-7", IRMF_REG_DWORD, 0x45D5A58);
	assert_num(s, k, "dword-upper", IRMF_REG_DWORD, 0xFF585A5Du);
	v = val(s, k, "binary", IRMF_REG_BINARY);
	assert_int_equal(v->nbin, 4);
	assert_memory_equal(v->bin, "\xde\xad\xbe\xef", 4);
	assert_int_equal(val(s, k, "binary-empty", IRMF_REG_BINARY)->nbin, 0);
	assert_int_equal(val(s, k, "none", IRMF_REG_NONE)->nbin, 2);
	assert_sz(s, k, "sz-hex", "a\nb");
	assert_string_equal(val(s, k, "expand", IRMF_REG_EXPAND_SZ)->str,
	    "%SystemRoot%\\inf\xC3\xA9");
	assert_num(s, k, "dword-bytes", IRMF_REG_DWORD, 42);
	assert_num(s, k, "dword-be", IRMF_REG_DWORD_BIG_ENDIAN, 256);
	v = val(s, k, "multi", IRMF_REG_MULTI_SZ);
	assert_int_equal(v->nmulti, 3);
	assert_string_equal(v->multi[0], "https://a.contoso.com");
	assert_string_equal(v->multi[1], "");
	assert_string_equal(v->multi[2], "https://b.contoso.com");
	assert_num(s, k, "qword", IRMF_REG_QWORD, 0x0123456789abcdefULL);
	v = val(s, k, "hex-continued", IRMF_REG_BINARY);
	assert_int_equal(v->nbin, 5);
	assert_memory_equal(v->bin, "\0\1\2\3\4", 5);
	assert_sz(s, k, "multi-line", "first\nsecond");
	assert_sz(s, k, "trailing-comment", "x;y");
	assert_null(irmf_reg_key_find_value(irmf_snapshot_reg_find(s, k),
	    "gone"));
	assert_sz(s, "HKLM\\SOFTWARE\\irmfleet\\Constructs\\Sub", "a", "1");
	/* [-KEY] removed the key and its subkey; later values ignored */
	assert_null(irmf_snapshot_reg_find(s, "HKLM\\SOFTWARE\\irmfleet\\Doomed"));
	assert_null(irmf_snapshot_reg_find(s,
	    "HKLM\\SOFTWARE\\irmfleet\\Doomed\\Child"));
	/* one bad value: skipped, recorded, neighbours kept */
	assert_sz(s, "HKLM\\SOFTWARE\\irmfleet\\Bad", "good", "kept");
	assert_int_equal(s->nerrors, 1);
	assert_string_equal(s->errors[0].item,
	    "registry:HKEY_LOCAL_MACHINE\\SOFTWARE\\irmfleet\\Bad");
	assert_non_null(strstr(s->errors[0].message,
	    "irmf-constructs-regedit5.reg:49: value 'too-big': dword does not "
	    "fit 32 bits"));
	irmf_snapshot_free(s);
}

static void
test_merge_in_order(void **state)
{
	irmf_snapshot *s;
	const irmf_reg_key *k;

	(void)state;
	s = parse_ok("irmf-merge-1.reg");
	k = irmf_snapshot_reg_find(s, IRM "\\LicenseServerRedirection");
	assert_int_equal(k->nvalues, 2);
	assert_non_null(irmf_snapshot_reg_find(s, MSDRM "\\Activation"));
	/* the second export deletes a value (other case) and a subtree */
	assert_int_equal(parse_into(s, "irmf-merge-2.reg"), 0);
	k = irmf_snapshot_reg_find(s, IRM "\\LicenseServerRedirection");
	assert_int_equal(k->nvalues, 1);
	assert_sz(s, IRM "\\LicenseServerRedirection", TENANT, CONN);
	assert_null(irmf_snapshot_reg_find(s, MSDRM "\\Activation"));
	assert_int_equal(s->nkeys, 1);
	irmf_snapshot_free(s);
}

/* Each malformed input fails with `code` and a message holding `want`. */
static void
expect_fail(const char *text, int code, const char *want)
{
	irmf_snapshot *s;

	assert_int_equal(irmf_snapshot_new(&s, "x"), 0);
	assert_int_equal(parse_str(s, text), code);
	if (strstr(irmf_error_last()->message, want) == NULL)
		fail_msg("message '%s' lacks '%s'", irmf_error_last()->message,
		    want);
	irmf_snapshot_free(s);
}

static void
test_structural_errors(void **state)
{
	(void)state;
	expect_fail("", IRMF_EPARSE, "t.reg: expected the header");
	expect_fail("\n\n[HKEY_LOCAL_MACHINE\\X]\n", IRMF_EPARSE,
	    "t.reg:3: expected the header");
	expect_fail("REGEDIT4\n\"a\"=\"b\"\n", IRMF_EPARSE,
	    "t.reg:2: expected a '[KEY]' line before the first value");
	expect_fail("REGEDIT4\n[HKEY_LOCAL_MACHINE\\X]\n\"a=\"b\"\n",
	    IRMF_EPARSE, "t.reg:3: expected '=' after the value name");
	expect_fail("REGEDIT4\n[HKEY_LOCAL_MACHINE\\X]\n\"abc\n",
	    IRMF_EPARSE, "t.reg:3: expected '\"' closing the string");
	expect_fail("REGEDIT4\n[HKEY_LOCAL_MACHINE\\X]\n\"a\"=\"open\nmore\n",
	    IRMF_EPARSE, "closing the string that starts on line 3, got the "
	    "end of the file");
	expect_fail("REGEDIT4\n[HKEY_LOCAL_MACHINE\\X\n", IRMF_EPARSE,
	    "t.reg:2: expected ']' closing the key name");
	expect_fail("REGEDIT4\n[]\n", IRMF_EPARSE,
	    "t.reg:2: expected a key name");
	expect_fail("REGEDIT4\n[HKEY_NOWHERE\\X]\n", IRMF_EPARSE,
	    "t.reg:2: unknown registry root in 'HKEY_NOWHERE\\X'");
	expect_fail("REGEDIT4\n[HKEY_LOCAL_MACHINE\\X]\nfoo=bar\n",
	    IRMF_EPARSE, "t.reg:3: expected '[KEY]'");
	/* lone low surrogate at byte offset 4 of a UTF-16 file */
	{
		irmf_snapshot *s;
		assert_int_equal(irmf_snapshot_new(&s, "x"), 0);
		assert_int_equal(irmf_regfile_parse(s, "\xFF\xFE" "R\0\x00\xDC",
		    6, "u.reg"), IRMF_EPARSE);
		assert_non_null(strstr(irmf_error_last()->message,
		    "u.reg: byte offset 4"));
		assert_int_equal(irmf_regfile_parse(s, "x", IRMF_TEXT_MAX + 1,
		    "big.reg"), IRMF_ELIMIT);
		irmf_snapshot_free(s);
	}
}

static void
test_value_data_errors(void **state)
{
	irmf_snapshot *s;
	const char *text = "Windows Registry Editor Version 5.00\n"
	    "[HKEY_LOCAL_MACHINE\\X]\n"
	    "\"badhex\"=hex:01,zz,\\\n  02\n"
	    "\"unknown\"=hex(ffff0012):01\n"
	    "\"odd\"=hex(2):61\n"
	    "\"longdw\"=hex(4):01,02,03,04,05\n"
	    "\"what\"=str:\"x\"\n"
	    "\"after\"=dword:1\n";

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "x"), 0);
	assert_int_equal(parse_str(s, text), 0);
	assert_int_equal(s->nerrors, 5);
	assert_non_null(strstr(s->errors[0].message, "t.reg:3: value "
	    "'badhex': expected a hex byte on line 3, got 'zz"));
	assert_non_null(strstr(s->errors[1].message, "hex(ffff0012)"));
	assert_non_null(strstr(s->errors[2].message, "odd number of bytes"));
	assert_non_null(strstr(s->errors[3].message, "5 bytes of data for a "
	    "4-byte number"));
	assert_non_null(strstr(s->errors[4].message, "t.reg:8: value 'what'"));
	/* the continuation line of the bad hex was consumed, not misread */
	assert_int_equal(irmf_snapshot_reg_find(s, "HKLM\\X")->nvalues, 1);
	assert_num(s, "HKLM\\X", "after", IRMF_REG_DWORD, 1);
	irmf_snapshot_free(s);
}

/* One key with many values stays linear (the snapshot indexes value names
 * of big keys) and lookups, replacement and deletion stay correct. */
static void
test_big_key(void **state)
{
	const size_t n = 50000;
	size_t cap = n * 40 + 256, off = 0;
	char *text = malloc(cap);
	irmf_snapshot *s;
	const irmf_reg_key *k;

	(void)state;
	assert_non_null(text);
	off += (size_t)snprintf(text + off, cap - off, "REGEDIT4\n"
	    "[HKEY_LOCAL_MACHINE\\Big]\n");
	for (size_t i = 0; i < n; i++)
		off += (size_t)snprintf(text + off, cap - off,
		    "\"v%zu\"=dword:%zx\n", i, i);
	off += (size_t)snprintf(text + off, cap - off,
	    "\"V17\"=\"replaced\"\n\"v42\"=-\n\"nothere\"=-\n");
	assert_int_equal(irmf_snapshot_new(&s, "x"), 0);
	assert_int_equal(irmf_regfile_parse(s, text, off, "big.reg"), 0);
	k = irmf_snapshot_reg_find(s, "HKLM\\Big");
	assert_int_equal(k->nvalues, n - 1);
	assert_sz(s, "HKLM\\Big", "v17", "replaced");
	assert_null(irmf_reg_key_find_value(k, "v42"));
	assert_num(s, "HKLM\\Big", "V43", IRMF_REG_DWORD, 43);
	assert_num(s, "HKLM\\Big", "v49999", IRMF_REG_DWORD, 49999);
	/* positions after the deleted value shifted and are still found */
	assert_ptr_equal(irmf_reg_key_find_value(k, "v43"), &k->values[42]);
	irmf_snapshot_free(s);
	free(text);
}

static void
test_sniff(void **state)
{
	(void)state;
	assert_true(irmf_regfile_sniff("Windows Registry Editor Version 5.00"
	    "\n\n[HKEY_LOCAL_MACHINE\\X]\n"));
	assert_true(irmf_regfile_sniff("\xEF\xBB\xBF\nREGEDIT4\n"));
	assert_true(irmf_regfile_sniff("WINE REGISTRY Version 2\n"));
	assert_true(irmf_regfile_sniff("   [HKLM\\SOFTWARE\\X]\n"));
	assert_true(irmf_regfile_sniff("[-HKEY_CURRENT_USER\\X]\n"));
	assert_false(irmf_regfile_sniff("\nHKEY_LOCAL_MACHINE\\SOFTWARE\\X\n"
	    "    a    REG_SZ    b\n"));
	assert_false(irmf_regfile_sniff("<Objs Version=\"1.1.0.1\">"));
	assert_false(irmf_regfile_sniff(""));
	assert_false(irmf_regfile_sniff("[section]\nkey=value\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_all_parse),
		cmocka_unit_test(test_complex),
		cmocka_unit_test(test_irregular),
		cmocka_unit_test(test_repetition),
		cmocka_unit_test(test_multi_sz_separation),
		cmocka_unit_test(test_japanese_and_sample),
		cmocka_unit_test(test_real_world_oddities),
		cmocka_unit_test(test_rejected_files),
		cmocka_unit_test(test_irm_exchange),
		cmocka_unit_test(test_irm_regedit4_and_utf8),
		cmocka_unit_test(test_constructs),
		cmocka_unit_test(test_merge_in_order),
		cmocka_unit_test(test_structural_errors),
		cmocka_unit_test(test_value_data_errors),
		cmocka_unit_test(test_big_key),
		cmocka_unit_test(test_sniff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
