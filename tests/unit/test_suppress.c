/*
 * test_suppress.c - suppression files (compare/core/suppress.c): the format,
 * its errors with file:line, and which findings a line suppresses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "irmfleet/errors.h"
#include "suppress.h"

static int
parse(irmf_suppressions *s, const char *text)
{
	return irmf_suppress_parse(s, text, strlen(text), "known.supp");
}

static void
assert_parse_error(const char *text, const char *msg)
{
	irmf_suppressions s = { 0 };

	assert_int_equal(parse(&s, text), IRMF_EPARSE);
	if (strstr(irmf_error_last()->message, msg) == NULL)
		fail_msg("got '%s', want '%s'", irmf_error_last()->message, msg);
	irmf_suppress_clear(&s);
}

static void
test_parse_ok(void **state)
{
	irmf_suppressions s = { 0 };

	(void)state;
	assert_int_equal(parse(&s,
	    "# accepted differences\n"
	    "\n"
	    "ignore file:msipc.dll -- patch levels differ, tracked in CHG-1\n"
	    "  accept EX07 reg:HKLM\\SOFTWARE\\Microsoft\\Shared Tools\\Web "
	    "Server Extensions\\* -- pilot server   \r\n"
	    "ignore exchange-* --  rules under review\n"), 0);
	assert_int_equal(s.n, 3);
	assert_null(s.items[0].server);
	assert_string_equal(s.items[0].pattern, "file:msipc.dll");
	assert_string_equal(s.items[0].reason,
	    "patch levels differ, tracked in CHG-1");
	assert_int_equal(s.items[0].line, 3);
	assert_string_equal(s.items[1].server, "EX07");
	assert_string_equal(s.items[1].pattern, "reg:hklm\\software\\microsoft"
	    "\\shared tools\\web server extensions\\*");
	assert_string_equal(s.items[1].reason, "pilot server");
	assert_string_equal(s.items[2].reason, "rules under review");
	irmf_suppress_clear(&s);
}

static void
test_parse_errors(void **state)
{
	(void)state;
	assert_parse_error("ignore file:msipc.dll\n",
	    "known.supp:1: missing reason");
	assert_parse_error("# c\nignore file:msipc.dll --   \n",
	    "known.supp:2: missing reason");
	assert_parse_error("\n\nsuppress x -- y\n",
	    "known.supp:3: unknown directive 'suppress'");
	assert_parse_error("accept EX07 -- why\n",
	    "known.supp:1: 'accept' needs a setting");
	assert_parse_error("ignore -- why\n",
	    "known.supp:1: 'ignore' needs a setting");
	assert_parse_error("accept -- why\n",
	    "known.supp:1: 'accept' needs a server and a setting");
}

static void
test_load_missing_file(void **state)
{
	irmf_suppressions s = { 0 };

	(void)state;
	assert_int_equal(irmf_suppress_load(&s, "/nonexistent/x.supp"),
	    IRMF_ENOTFOUND);
	assert_non_null(strstr(irmf_error_last()->message,
	    "/nonexistent/x.supp"));
	irmf_suppress_clear(&s);
}

static void
test_load_fixtures(void **state)
{
	irmf_suppressions s = { 0 };
	char path[4096];

	(void)state;
	assert_int_equal(irmf_suppress_load(&s,
	    tu_fixture_path("suppress/known.supp")), 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.items[2].server, "EX11");
	assert_string_equal(s.items[2].pattern, "host");
	assert_int_equal(s.items[3].line, 5);
	irmf_suppress_clear(&s);
	snprintf(path, sizeof(path), "%s",
	    tu_fixture_path("suppress/bad-directive.supp"));
	assert_int_equal(irmf_suppress_load(&s, path), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "bad-directive.supp:2: "
	    "unknown directive 'suppress'"));
	irmf_suppress_clear(&s);
	assert_int_equal(irmf_suppress_load(&s,
	    tu_fixture_path("suppress/bad-no-reason.supp")), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message,
	    "bad-no-reason.supp:1: missing reason"));
	irmf_suppress_clear(&s);
}

static void
add(irmf_findings *l, const char *server, const char *setting,
    const char *rule)
{
	irmf_finding f;

	memset(&f, 0, sizeof(f));
	f.server = (char *)server;
	f.setting = (char *)setting;
	f.rule_id = (char *)rule;
	f.kind = server ? IRMF_FIND_OUTLIER : IRMF_FIND_SPLIT;
	f.severity = IRMF_SEV_ERROR;
	assert_int_equal(irmf_findings_add(l, &f), 0);
}

static void
test_apply(void **state)
{
	irmf_suppressions s = { 0 };
	irmf_findings l = { 0 };

	(void)state;
	assert_int_equal(parse(&s,
	    "accept ex07 reg:*\\LicenseServerRedirection -- pilot\n"
	    "ignore FILE:MSIPC.DLL -- patch levels\n"
	    "ignore sharepoint-msipc-version -- waiting for CU\n"), 0);
	add(&l, "EX07", "reg:HKLM\\X\\LicenseServerRedirection", NULL);
	add(&l, "EX08", "reg:HKLM\\X\\LicenseServerRedirection", NULL);
	add(&l, NULL, "reg:HKLM\\X\\LicenseServerRedirection", NULL);
	add(&l, "SP01", "file:msipc.dll", NULL);
	add(&l, NULL, "file:msipc.dll", NULL);
	add(&l, "SP02", "file:msipc.dll", "sharepoint-msipc-version");
	add(&l, "SP02", "reg:HKLM\\Y", "sharepoint-msipc-version");
	assert_int_equal(irmf_suppress_apply(&s, &l), 0);
	assert_true(l.items[0].suppressed);
	assert_string_equal(l.items[0].suppress_reason, "pilot");
	assert_false(l.items[1].suppressed);   /* other server */
	assert_false(l.items[2].suppressed);   /* cohort-wide split */
	assert_true(l.items[3].suppressed);
	assert_true(l.items[4].suppressed);    /* ignore: everywhere */
	assert_true(l.items[5].suppressed);
	assert_true(l.items[6].suppressed);    /* by rule id */
	assert_string_equal(l.items[6].suppress_reason, "waiting for CU");
	assert_int_equal(l.nsuppressed, 5);
	assert_int_equal(irmf_findings_active(&l), 2);
	assert_int_equal(s.items[0].hits, 1);
	assert_int_equal(s.items[1].hits, 3);
	irmf_findings_clear(&l);
	irmf_suppress_clear(&s);
}

/* A binary line: the error names the file and line and shows the bytes
 * escaped, so that it can be printed on a terminal. */
static void
test_parse_binary_line_escaped(void **state)
{
	irmf_suppressions s = { 0 };
	const char *msg;

	(void)state;
	assert_int_equal(parse(&s, "\x1b]0;pwned\x07\xc2\x9b\xff rest -- x\n"),
	    IRMF_EPARSE);
	msg = irmf_error_last()->message;
	assert_non_null(strstr(msg, "known.supp:1: unknown directive "
	    "'\\x1b]0;pwned\\x07\\x9b\\xff'"));
	assert_null(strchr(msg, '\x1b'));
	irmf_suppress_clear(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_binary_line_escaped),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_load_missing_file),
		cmocka_unit_test(test_load_fixtures),
		cmocka_unit_test(test_apply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
