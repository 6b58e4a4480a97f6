/*
 * test_cmdquote.c - quoting of suggested fixes (compare/core/cmdquote.c), the
 * escaping of untrusted text for terminals (collector/base/textesc.c), and the
 * consensus fix commands (irmf_remedy_command in compare/core/explain.c) fed
 * every cmd.exe and PowerShell metacharacter in every place a value goes:
 * key path, value name, data of each type, deletions, Set-IRMConfiguration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "cmdquote.h"
#include "explain.h"
#include "irmfleet/textesc.h"
#include "settings.h"

#define KEY "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\LicensingRedirection"

/* The hostile values: every cmd and PowerShell metacharacter, variables
 * of both shells, every quote, controls, bidi, a trailing backslash, and
 * ordinary values that must stay as they are. */
static const char *const hostile[] = {
	"https://a.example.com/x&calc",
	"https://a.example.com/x|calc",
	"a<b>c^d",
	"%PATH%",
	"100%",
	"!PATH!",
	"say \"hi\" & calc",
	"it's",
	"it\xe2\x80\x99s \xe2\x80\x98q\xe2\x80\x9a\xe2\x80\x9b",
	"$(calc) `calc` ; calc @{a=1}",
	"esc\x1b[31mred",
	"line\nbreak",
	"tab\there",
	"del\x7f",
	"csi\xc2\x9b" "31m",
	"bidi\xe2\x80\xae" "cba",
	"bad\xff" "byte",
	"C:\\Program Files\\x\\",
	"C:\\ends\\in\\two\\\\",
	"C:\\Program Files\\Active Directory Rights Management Services "
	    "Client 2.1\\Cliente 2.1 de Active Directory Rights Management "
	    "Services (espa\xc3\xb1ol)",
	"http://adrms.contoso.com/_wmcs/licensing",
	"",
};
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

static char *
take(irmf_buf *b)
{
	char *s = irmf_buf_take(b);

	assert_non_null(s);
	return s;
}

/* ------------------------------------------------------------- cmd.exe */

static void
assert_cmd(const char *in, const char *want)
{
	irmf_buf b = IRMF_BUF_INIT;
	bool ok = irmf_cmd_arg(&b, in);
	char *got = take(&b);

	if (want == NULL) {
		assert_false(ok);
		assert_string_equal(got, "");
	} else {
		assert_true(ok);
		assert_string_equal(got, want);
	}
	free(got);
}

static void
test_cmd_arg(void **state)
{
	(void)state;
	assert_cmd("https://rmscon.contoso.com", "\"https://rmscon.contoso.com\"");
	/* literal inside double quotes for cmd */
	assert_cmd("a&b|c<d>e^f", "\"a&b|c<d>e^f\"");
	/* the C runtime: backslashes literal except before the quote */
	assert_cmd("C:\\a\\b", "\"C:\\a\\b\"");
	assert_cmd("C:\\a\\", "\"C:\\a\\\\\"");
	assert_cmd("C:\\a\\\\", "\"C:\\a\\\\\\\\\"");
	assert_cmd("", "\"\"");
	assert_cmd("Cliente 2.1 (espa\xc3\xb1ol)",
	    "\"Cliente 2.1 (espa\xc3\xb1ol)\"");
	/* no safe cmd form */
	assert_cmd("%PATH%", NULL);
	assert_cmd("100%", NULL);
	assert_cmd("!x!", NULL);
	assert_cmd("a\"b", NULL);
	assert_cmd("a\nb", NULL);
	assert_cmd("a\tb", NULL);
	assert_cmd("a\x1b" "b", NULL);
	assert_cmd("a\x7f", NULL);
	assert_cmd("a\xc2\x9b", NULL);
	assert_cmd("a\xe2\x80\xae", NULL);
	assert_cmd("a\xff", NULL);
	assert_false(irmf_cmd_arg_ok(NULL));
}

/* ---------------------------------------------------------- PowerShell */

static void
assert_ps(const char *in, const char *want)
{
	irmf_buf b = IRMF_BUF_INIT;
	bool ok = irmf_ps_str(&b, in);
	char *got = take(&b);

	if (want == NULL) {
		assert_false(ok);
		assert_string_equal(got, "");
	} else {
		assert_true(ok);
		assert_string_equal(got, want);
	}
	free(got);
}

static void
test_ps_str(void **state)
{
	(void)state;
	assert_ps("plain", "'plain'");
	assert_ps("", "''");
	assert_ps("it's", "'it''s'");
	assert_ps("''", "''''''");
	/* the typographic single quotes are quotes to PowerShell too */
	assert_ps("a\xe2\x80\x98" "b\xe2\x80\x99" "c\xe2\x80\x9a" "d\xe2\x80\x9b",
	    "'a\xe2\x80\x98\xe2\x80\x98" "b\xe2\x80\x99\xe2\x80\x99"
	    "c\xe2\x80\x9a\xe2\x80\x9a" "d\xe2\x80\x9b\xe2\x80\x9b'");
	/* other characters are literal in single quotes */
	assert_ps("$(calc) `n \"x\" %PATH% & ;", "'$(calc) `n \"x\" %PATH% & ;'");
	assert_ps("C:\\x\\", "'C:\\x\\'");
	assert_ps("a\nb", NULL);
	assert_ps("a\rb", NULL);
	assert_ps("a\x1b", NULL);
	assert_ps("a\xc2\x85", NULL);   /* NEL */
	assert_ps("a\xe2\x81\xa6", NULL);   /* U+2066 */
	assert_false(irmf_ps_str_ok(NULL));
}

/* ------------------------------------------------------------- textesc */

static void
assert_esc(const char *in, const char *want)
{
	char *got = irmf_text_escape(in);

	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(irmf_text_is_plain(in), strcmp(in, want) == 0);
	free(got);
}

static void
test_text_escape(void **state)
{
	(void)state;
	assert_esc("plain HKLM\\SOFTWARE", "plain HKLM\\SOFTWARE");
	assert_esc("Gr\xc3\xb6\xc3\x9f" "e, espa\xc3\xb1ol, \xe2\x82\xac",
	    "Gr\xc3\xb6\xc3\x9f" "e, espa\xc3\xb1ol, \xe2\x82\xac");
	assert_esc("\x1b[2J", "\\x1b[2J");
	assert_esc("a\nb\tc\rd", "a\\x0ab\\x09c\\x0dd");
	assert_esc("del\x7f", "del\\x7f");
	assert_esc("csi\xc2\x9b" "1m", "csi\\x9b1m");
	assert_esc("\xe2\x80\xae" "abc\xe2\x80\xac", "\\u202eabc\\u202c");
	assert_esc("\xe2\x80\x8e\xe2\x80\x8f\xe2\x81\xa6\xe2\x81\xa9",
	    "\\u200e\\u200f\\u2066\\u2069");
	/* malformed UTF-8 byte by byte: stray, truncated, overlong, surrogate */
	assert_esc("a\xff", "a\\xff");
	assert_esc("a\xc3", "a\\xc3");
	assert_esc("\xc0\x80", "\\xc0\\x80");
	assert_esc("\xed\xa0\x80", "\\xed\\xa0\\x80");
	assert_esc("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
	assert_true(irmf_text_is_plain(NULL));
	assert_null(irmf_text_escape(NULL));
}

static void
test_text_fputs(void **state)
{
	char buf[64] = { 0 };
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

	(void)state;
	assert_non_null(f);
	assert_int_equal(irmf_text_fputs("x\x1by\xe2\x80\xae", f), 0);
	assert_int_equal(irmf_text_fwrite("\x9bzz", 2, f), 0);
	fclose(f);
	assert_string_equal(buf, "x\\x1by\\u202e\\x9bz");
}

/* irmf_text_printf: the line's own end is kept, a newline from data is
 * escaped, padding counts the bytes before escaping. */
static void
test_text_printf(void **state)
{
	char buf[64] = { 0 };
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

	(void)state;
	assert_non_null(f);
	assert_int_equal(irmf_text_printf(f, "%-4s|%s\n", "a\x1b", "b\nc"), 0);
	assert_int_equal(irmf_text_printf(f, "%s", "\n"), 0);
	fclose(f);
	assert_string_equal(buf, "a\\x1b  |b\\x0ac\n\n");
}

/* ------------------------------------------------- consensus commands */

/* A fix for one place of one value. */
typedef struct place {
	const char *name;
	/* build the model snapshot with value v in this place; *key gets
	 * the setting key (caller frees), *remove whether to delete */
	void (*build)(irmf_snapshot *s, const char *v, char **key,
	    bool *remove);
} place;

static char *
dup2(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 1);

	assert_non_null(s);
	memcpy(s, a, la);
	memcpy(s + la, b, lb + 1);
	return s;
}

static irmf_reg_key *
key_of(irmf_snapshot *s, const char *path)
{
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
	return k;
}

/* The setting key of a whole key, as the snapshot spells its path (a
 * trailing backslash is dropped, inner ones make subkeys). */
static char *
key_setting(const irmf_reg_key *k)
{
	char *disp = irmf_reg_display_path(k->path), *key;

	assert_non_null(disp);
	key = dup2("reg:", disp);
	free(disp);
	return key;
}

static void
b_sz_data(irmf_snapshot *s, const char *v, char **key, bool *remove)
{
	assert_int_equal(irmf_reg_key_set_sz(key_of(s, KEY),
	    "https://t.example", IRMF_REG_SZ, v), 0);
	*key = dup2("reg:" KEY "\\", "https://t.example");
	*remove = false;
}

static void
b_expand_data(irmf_snapshot *s, const char *v, char **key, bool *remove)
{
	assert_int_equal(irmf_reg_key_set_sz(key_of(s, KEY), "",
	    IRMF_REG_EXPAND_SZ, v), 0);
	*key = dup2("reg:" KEY "\\", "(default)");
	*remove = false;
}

static void
b_value_name(irmf_snapshot *s, const char *v, char **key, bool *remove)
{
	if (v[0] == '\0')   /* the default value: nothing hostile to name */
		v = "plain";
	assert_int_equal(irmf_reg_key_set_sz(key_of(s, KEY), v, IRMF_REG_SZ,
	    "https://rmscon.example"), 0);
	*key = dup2("reg:" KEY "\\", v);
	*remove = false;
}

static void
b_multi(irmf_snapshot *s, const char *v, char **key, bool *remove)
{
	char *items[] = { (char *)"first", (char *)v };

	assert_int_equal(irmf_reg_key_set_multi(key_of(s, KEY), "m", items,
	    2), 0);
	*key = dup2("reg:" KEY "\\", "m");
	*remove = false;
}

static void
b_dword_in_key(irmf_snapshot *s, const char *v, char **key, bool *remove)
{
	char *path = dup2(KEY "\\", v[0] ? v : "sub");
	irmf_reg_key *k = key_of(s, path);

	assert_int_equal(irmf_reg_key_set_num(k, "d", IRMF_REG_DWORD,
	    0xfffffffeu), 0);
	*key = key_setting(k);
	free(path);
	*remove = false;
}

static void
b_delete_value(irmf_snapshot *s, const char *v, char **key, bool *remove)
{
	b_value_name(s, v, key, remove);
	*remove = true;
}

static void
b_delete_key(irmf_snapshot *s, const char *v, char **key, bool *remove)
{
	char *path = dup2(KEY "\\", v[0] ? v : "sub");
	irmf_reg_key *k = key_of(s, path);

	/* an extra key is removed value by value, never as a key */
	assert_int_equal(irmf_reg_key_set_sz(k, "x", IRMF_REG_SZ, "y"), 0);
	*key = key_setting(k);
	free(path);
	*remove = true;
}

static void
b_irm_string(irmf_snapshot *s, const char *v, char **key, bool *remove)
{
	assert_int_equal(irmf_snapshot_prop_set(s,
	    "TransportDecryptionSetting", IRMF_PROP_STRING, v, false), 0);
	*key = dup2("irm:", "TransportDecryptionSetting");
	*remove = false;
}

static void
b_irm_list(irmf_snapshot *s, const char *v, char **key, bool *remove)
{
	char *items[] = { (char *)"https://t.example/_wmcs/licensing",
	    (char *)v };

	assert_int_equal(irmf_snapshot_prop_set_list(s, "LicensingLocation",
	    IRMF_PROP_URI_LIST, items, 2), 0);
	*key = dup2("irm:", "LicensingLocation");
	*remove = false;
}

static const place places[] = {
	{ "REG_SZ data", b_sz_data },
	{ "REG_EXPAND_SZ default value", b_expand_data },
	{ "value name", b_value_name },
	{ "REG_MULTI_SZ entry", b_multi },
	{ "key path (whole key replaced)", b_dword_in_key },
	{ "deleted value", b_delete_value },
	{ "deleted key", b_delete_key },
	{ "Set-IRMConfiguration string", b_irm_string },
	{ "Set-IRMConfiguration list", b_irm_list },
};

/* The consensus fix for a server with nothing of its own to compare
 * (mine NULL) in a cohort for which nothing is documented, so that every
 * place, deletions included, renders a command. */
static int
remedy(const char *key, const irmf_snapshot *model, bool remove, char **out)
{
	irmf_remedy r = { 0 };

	r.model = model;
	r.cohort = "unknown";
	r.remove = remove;
	return irmf_remedy_command(key, &r, out);
}

static void
test_remedy_every_metachar(void **state)
{
	(void)state;
	for (size_t p = 0; p < sizeof(places) / sizeof(places[0]); p++)
		for (size_t h = 0; h < NHOSTILE; h++) {
			irmf_snapshot *s;
			char *key = NULL, *cmd = NULL;
			bool remove = false;
			const char *why;

			assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
			places[p].build(s, hostile[h], &key, &remove);
			assert_int_equal(remedy(key, s, remove, &cmd), 0);
			if (cmd == NULL)
				fail_msg("%s, value %zu: no command", places[p].name,
				    h);
			why = tu_fix_unsafe(cmd, &hostile[h], 1);
			if (why != NULL)
				fail_msg("%s, value %zu: %s in\n%s", places[p].name,
				    h, why, cmd);
			free(cmd);
			free(key);
			irmf_snapshot_free(s);
		}
}

/* What the fixes look like: cmd while cmd can hold the value, else all of
 * it PowerShell, else set by hand. */
static char *
remedy_sz(const char *data)
{
	irmf_snapshot *s;
	char *key = NULL, *cmd = NULL;
	bool remove;

	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	b_sz_data(s, data, &key, &remove);
	assert_int_equal(remedy(key, s, false, &cmd), 0);
	assert_non_null(cmd);
	free(key);
	irmf_snapshot_free(s);
	return cmd;
}

static void
test_remedy_forms(void **state)
{
	char *c;

	(void)state;
	c = remedy_sz("https://rmscon.example/a&b\\");
	assert_string_equal(c, "reg add \"" KEY "\" /v \"https://t.example\" "
	    "/t REG_SZ /d \"https://rmscon.example/a&b\\\\\" /f");
	free(c);
	c = remedy_sz("https://rmscon.example/%PATH%'s");
	assert_non_null(strstr(c, "# PowerShell"));
	assert_non_null(strstr(c, "\n[Microsoft.Win32.Registry]::LocalMachine."
	    "CreateSubKey('SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\"
	    "LicensingRedirection').SetValue('https://t.example', "
	    "'https://rmscon.example/%PATH%''s', 'String')"));
	assert_null(strstr(c, "reg add"));
	free(c);
	c = remedy_sz("https://rmscon.example/\x1b[2J");
	assert_non_null(strstr(c, "\n# Set by hand"));
	assert_null(strstr(c, "\x1b"));
	free(c);
}

/* Every line of a whole-key fix goes to the same shell. */
static void
test_remedy_one_shell(void **state)
{
	irmf_snapshot *s;
	irmf_reg_key *k;
	char *cmd = NULL;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	k = key_of(s, KEY);
	assert_int_equal(irmf_reg_key_set_sz(k, "a", IRMF_REG_SZ, "plain"), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "b", IRMF_REG_SZ, "50%"), 0);
	assert_int_equal(irmf_reg_key_set_num(k, "c", IRMF_REG_QWORD,
	    UINT64_MAX), 0);
	assert_int_equal(remedy("reg:" KEY, s, false, &cmd), 0);
	assert_non_null(cmd);
	assert_null(strstr(cmd, "reg "));
	/* a key is fixed value by value, never deleted as a whole */
	assert_null(strstr(cmd, "DeleteSubKeyTree"));
	assert_non_null(strstr(cmd, ".SetValue('a', 'plain', 'String')"));
	assert_non_null(strstr(cmd, ".SetValue('b', '50%', 'String')"));
	assert_non_null(strstr(cmd, ".SetValue('c', [int64]-1, 'QWord')"));
	free(cmd);
	irmf_snapshot_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd_arg),
		cmocka_unit_test(test_ps_str),
		cmocka_unit_test(test_text_escape),
		cmocka_unit_test(test_text_fputs),
		cmocka_unit_test(test_text_printf),
		cmocka_unit_test(test_remedy_every_metachar),
		cmocka_unit_test(test_remedy_forms),
		cmocka_unit_test(test_remedy_one_shell),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
