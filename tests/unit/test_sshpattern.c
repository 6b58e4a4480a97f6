/*
 * test_sshpattern.c - OpenSSH's host patterns (collector/remote/
 * sshpattern.c), which decide for both known_hosts and ssh_config which
 * lines name a host: '*' and '?' wildcards, comma lists, negation that
 * rules a whole list out, lower-case comparison of patterns.  Cases follow
 * ssh_config(5) PATTERNS and sshd's match.c behaviour.
 */
#include "testutil.h"
#include "sshpattern.h"

static void
test_glob(void **state)
{
	(void)state;
	assert_true(irmf_sshpat_glob("ex01.contoso.com", "*.contoso.com"));
	assert_true(irmf_sshpat_glob("ex01", "ex0?"));
	assert_true(irmf_sshpat_glob("ex01", "*"));
	assert_true(irmf_sshpat_glob("", "*"));
	assert_true(irmf_sshpat_glob("a*b", "a*b"));
	assert_false(irmf_sshpat_glob("ex1", "ex0?"));
	assert_false(irmf_sshpat_glob("ex010", "ex0?"));
	/* '*.contoso.com' does not match the bare domain */
	assert_false(irmf_sshpat_glob("contoso.com", "*.contoso.com"));
	/* backtracking over several stars */
	assert_true(irmf_sshpat_glob("a.b.c.d", "*.*.d"));
	assert_false(irmf_sshpat_glob("a.b.c.e", "*.*.d"));
}

static void
test_list_and_negation(void **state)
{
	(void)state;
	assert_int_equal(irmf_sshpat_list("ex01", "sp*,ex*"), 1);
	assert_int_equal(irmf_sshpat_list("rms01", "sp*,ex*"), 0);
	/* a negated match rules the whole list out, wherever it stands */
	assert_int_equal(irmf_sshpat_list("ex99", "ex*,!ex99"), -1);
	assert_int_equal(irmf_sshpat_list("ex99", "!ex99,ex*"), -1);
	assert_int_equal(irmf_sshpat_list("ex01", "ex*,!ex99"), 1);
	/* negation alone never makes a match */
	assert_int_equal(irmf_sshpat_list("ex01", "!ex99"), 0);
	/* patterns are compared in lower case; the name comes lowered */
	assert_int_equal(irmf_sshpat_list("ex01.contoso.com",
	    "EX01.CONTOSO.COM"), 1);
	/* as OpenSSH's match_pattern_list: a blank is part of the pattern
	 * (known_hosts lists have none; ssh_config splits at blanks first) */
	assert_int_equal(irmf_sshpat_list("ex01", "sp01, ex01"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_list_and_negation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
