/*
 * test_textesc.c - text from servers made safe for a terminal
 * (collector/base/textesc.c; the hostile-value cases of every fix live in
 * test_cmdquote.c) and words written for a POSIX shell to read back as
 * they were (the "rerun with" and "forget" commands the tool suggests).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "irmfleet/textesc.h"

/* what irmf_text_put_shell_word writes for w */
static char *
word(const char *w)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	assert_non_null(f);
	assert_int_equal(irmf_text_put_shell_word(f, w), 0);
	assert_int_equal(fclose(f), 0);
	return s;
}

static void
check_word(const char *w, const char *want)
{
	char *got = word(w);

	assert_string_equal(got, want);
	free(got);
}

static void
test_shell_word(void **state)
{
	(void)state;
	check_word("ex01.contoso.com", "ex01.contoso.com");
	check_word("--inventory=/srv/irm/inv.yml", "--inventory=/srv/irm/inv.yml");
	check_word("", "''");
	check_word("two words", "'two words'");
	check_word("it's", "'it'\\''s'");
	check_word("$(rm -rf ~)", "'$(rm -rf ~)'");
	check_word("a;b|c&d`e`", "'a;b|c&d`e`'");
	check_word("C:\\x", "'C:\\x'");
}

static void
test_escape(void **state)
{
	char *e;

	(void)state;
	assert_true(irmf_text_is_plain("https://rmscon.contoso.com"));
	assert_false(irmf_text_is_plain("esc\x1b[31m"));
	e = irmf_text_escape("esc\x1b[31mred");
	assert_non_null(e);
	assert_null(strchr(e, '\x1b'));
	assert_non_null(strstr(e, "red"));
	free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shell_word),
		cmocka_unit_test(test_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
