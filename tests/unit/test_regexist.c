/*
 * test_regexist.c - the parser of the registry key existence check's
 * answer (collector/parse/regexist.c): the states, lookups without regard to
 * case, the encodings a PowerShell output may come in, and every kind of
 * doubtful answer rejected as a whole (naming the line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "error.h"
#include "regexist.h"

#define H "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\"

static irmf_regexist *
parse_fixture(const char *rel)
{
	irmf_regexist *x = NULL;
	size_t len;
	char *buf = tu_read_fixture(rel, &len);

	assert_int_equal(irmf_regexist_parse(&x, buf, len, rel), 0);
	assert_non_null(x);
	free(buf);
	return x;
}

static void
check_exchange_de(irmf_regexist *x)
{
	assert_int_equal(x->n, 5);
	assert_string_equal(x->e[0].key, H "MSDRM\\ServiceLocation");
	assert_int_equal(irmf_regexist_get(x, H "MSDRM\\ServiceLocation"),
	    IRMF_REGEXIST_PRESENT);
	assert_int_equal(irmf_regexist_get(x, H "MSIPC\\CurrentVersion"),
	    IRMF_REGEXIST_PRESENT);
	assert_int_equal(irmf_regexist_get(x, H "ExchangeServer\\v15\\IRM"),
	    IRMF_REGEXIST_ABSENT);
	assert_int_equal(irmf_regexist_get(x, H "ExchangeServer\\v14\\IRM"),
	    IRMF_REGEXIST_ABSENT);
	/* the registry ignores case, so does the lookup */
	assert_int_equal(irmf_regexist_get(x, "hkey_local_machine\\software\\"
	    "microsoft\\exchangeserver\\V15\\irm"), IRMF_REGEXIST_ABSENT);
	/* a key the answer does not list is unknown, never absent */
	assert_int_equal(irmf_regexist_get(x, H "AADRM\\Connector"),
	    IRMF_REGEXIST_UNKNOWN);
	/* a prefix or a subkey of a listed key is another key */
	assert_int_equal(irmf_regexist_get(x, H "ExchangeServer\\v15"),
	    IRMF_REGEXIST_UNKNOWN);
	assert_int_equal(irmf_regexist_get(x, H "ExchangeServer\\v15\\IRM\\"
	    "LicenseServerRedirection"), IRMF_REGEXIST_UNKNOWN);
}

static void
test_encodings(void **state)
{
	static const char *const files[] = { "regexist/exchange-de.txt",
	    "regexist/exchange-de-crlf-bom.txt",
	    "regexist/exchange-de-utf16le.txt" };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		irmf_regexist *x = parse_fixture(files[i]);

		check_exchange_de(x);
		/* no CR or BOM left in a key */
		for (size_t j = 0; j < x->n; j++)
			assert_null(strpbrk(x->e[j].key, "\r\xef\xbb\xbf"));
		irmf_regexist_free(x);
	}
}

static void
test_denied_error_blank(void **state)
{
	irmf_regexist *x;

	(void)state;
	x = parse_fixture("regexist/connector-denied.txt");
	assert_int_equal(x->n, 1);
	assert_int_equal(irmf_regexist_get(x, H "AADRM\\Connector"),
	    IRMF_REGEXIST_DENIED);
	irmf_regexist_free(x);
	x = parse_fixture("regexist/error-and-empty-lines.txt");
	assert_int_equal(x->n, 2);
	/* "error": the script could not tell, which is not "absent" */
	assert_int_equal(irmf_regexist_get(x, H "MSDRM\\ServiceLocation"),
	    IRMF_REGEXIST_UNKNOWN);
	assert_int_equal(irmf_regexist_get(x, H "MSIPC\\ServiceLocation"),
	    IRMF_REGEXIST_PRESENT);
	irmf_regexist_free(x);
}

static void
test_inline_forms(void **state)
{
	irmf_regexist *x;
	static const char upper[] = "ABSENT\t" H "MSDRM\\ServiceLocation";
	static const char cr[] = "absent\t" H "A\rpresent\t" H "B\r";

	(void)state;
	/* empty answer: valid, nothing known */
	assert_int_equal(irmf_regexist_parse(&x, "", 0, "t"), 0);
	assert_int_equal(x->n, 0);
	assert_int_equal(irmf_regexist_get(x, H "A"), IRMF_REGEXIST_UNKNOWN);
	irmf_regexist_free(x);
	/* state words in any case, last line without a newline */
	assert_int_equal(irmf_regexist_parse(&x, upper, sizeof(upper) - 1,
	    "t"), 0);
	assert_int_equal(irmf_regexist_get(x, H "MSDRM\\ServiceLocation"),
	    IRMF_REGEXIST_ABSENT);
	irmf_regexist_free(x);
	/* lone CR line ends */
	assert_int_equal(irmf_regexist_parse(&x, cr, sizeof(cr) - 1, "t"), 0);
	assert_int_equal(x->n, 2);
	assert_int_equal(irmf_regexist_get(x, H "B"), IRMF_REGEXIST_PRESENT);
	irmf_regexist_free(x);
	assert_int_equal(irmf_regexist_get(NULL, H "A"),
	    IRMF_REGEXIST_UNKNOWN);
	assert_string_equal(irmf_regexist_state_name(IRMF_REGEXIST_ABSENT),
	    "absent");
	assert_string_equal(irmf_regexist_state_name(IRMF_REGEXIST_UNKNOWN),
	    "unknown");
}

static void
expect_bad(const char *buf, size_t len, int code, const char *msg)
{
	irmf_regexist *x = (irmf_regexist *)1;

	assert_int_equal(irmf_regexist_parse(&x, buf, len, "ans"), code);
	assert_null(x);
	if (strstr(irmf_error_last()->message, msg) == NULL)
		fail_msg("message '%s' lacks '%s'", irmf_error_last()->message,
		    msg);
}

static void
expect_bad_fixture(const char *rel, const char *msg)
{
	size_t len;
	char *buf = tu_read_fixture(rel, &len);

	expect_bad(buf, len, IRMF_EPARSE, msg);
	free(buf);
}

static void
test_garbage_rejected(void **state)
{
	static const char ctl[] = "absent\t" H "A\x01" "B\n";
	static const char empty_key[] = "absent\tHKEY_LOCAL_MACHINE\\\n";
	static const char nul[] = "present\t" H "A\n\0\0\0";
	static const char nul_inside[] = "present\t" H "A\0B\n";
	char *big;
	size_t n = 0;

	(void)state;
	expect_bad_fixture("regexist/bad/no-tab.txt", "ans:1: expected "
	    "'state<TAB>key', got no tab");
	expect_bad_fixture("regexist/bad/unknown-state.txt", "ans:1: expected "
	    "present, absent, denied or error, got 'fehlt'");
	expect_bad_fixture("regexist/bad/not-hklm.txt", "ans:1: expected a "
	    "key under 'HKEY_LOCAL_MACHINE\\'");
	expect_bad_fixture("regexist/bad/twice.txt", "ans:2: key '" H
	    "MSDRM\\ServiceLocation' listed twice");
	expect_bad_fixture("regexist/bad/powershell-error.txt", "ans:1:");
	expect_bad(ctl, sizeof(ctl) - 1, IRMF_EPARSE, "ans:1: control "
	    "character");
	expect_bad(empty_key, sizeof(empty_key) - 1, IRMF_EPARSE,
	    "ans:1: expected a key");
	expect_bad(nul_inside, sizeof(nul_inside) - 1, IRMF_EPARSE, "ans");
	/* trailing NUL padding is dropped by the decoder: still valid */
	{
		irmf_regexist *x;

		assert_int_equal(irmf_regexist_parse(&x, nul, sizeof(nul) - 1,
		    "t"), 0);
		assert_int_equal(x->n, 1);
		irmf_regexist_free(x);
	}
	/* bounds: a key too long, too many keys */
	big = malloc(IRMF_REGEXIST_MAX_KEY + 64);
	assert_non_null(big);
	n = (size_t)sprintf(big, "absent\t" H);
	memset(big + n, 'k', IRMF_REGEXIST_MAX_KEY);
	n += IRMF_REGEXIST_MAX_KEY;
	expect_bad(big, n, IRMF_ELIMIT, "ans:1: key longer than");
	free(big);
	big = malloc((IRMF_REGEXIST_MAX_KEYS + 1) * 64);
	assert_non_null(big);
	n = 0;
	for (int i = 0; i <= IRMF_REGEXIST_MAX_KEYS; i++)
		n += (size_t)sprintf(big + n, "absent\t" H "K%d\n", i);
	expect_bad(big, n, IRMF_ELIMIT, "more than 1024 keys");
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_denied_error_blank),
		cmocka_unit_test(test_inline_forms),
		cmocka_unit_test(test_garbage_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
