/*
 * test_error.c - the library's error convention (collector/base/error.c):
 * the last error is set with its code and one line of context, prefixed
 * by a caller that knows more, truncated visibly ("...") when too long,
 * cleared, and kept per thread (collect runs name lookups on threads).
 */
#include <pthread.h>
#include <string.h>

#include "testutil.h"
#include "error.h"

static void
test_set_prefix_clear(void **state)
{
	(void)state;
	assert_int_equal(irmf_error_set(IRMF_EPARSE, "line %d: bad '%s'", 7,
	    "x"), IRMF_EPARSE);
	assert_int_equal(irmf_error_last()->code, IRMF_EPARSE);
	assert_string_equal(irmf_error_last()->message, "line 7: bad 'x'");
	assert_int_equal(irmf_error_prefix("%s: ", "inv.ini"), IRMF_EPARSE);
	assert_string_equal(irmf_error_last()->message,
	    "inv.ini: line 7: bad 'x'");
	assert_int_equal(irmf_error_oom(), IRMF_ENOMEM);
	assert_int_equal(irmf_error_last()->code, IRMF_ENOMEM);
	assert_true(strlen(irmf_error_last()->message) > 0);
	irmf_error_clear();
	assert_int_equal(irmf_error_last()->code, IRMF_OK);
	assert_string_equal(irmf_error_last()->message, "");
}

static void
test_truncated_visibly(void **state)
{
	char long_text[3 * IRMF_ERROR_MSG_MAX];
	const char *m;

	(void)state;
	memset(long_text, 'a', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	irmf_error_set(IRMF_EIO, "%s", long_text);
	m = irmf_error_last()->message;
	assert_int_equal(strlen(m), IRMF_ERROR_MSG_MAX - 1);
	assert_string_equal(m + strlen(m) - 3, "...");
	/* a prefix on a full message keeps the prefix and the mark */
	irmf_error_prefix("host: ");
	m = irmf_error_last()->message;
	assert_memory_equal(m, "host: ", 6);
	assert_string_equal(m + strlen(m) - 3, "...");
}

static void *
other_thread(void *arg)
{
	(void)arg;
	/* a fresh thread starts with no error and cannot see the main
	 * thread's */
	if (irmf_error_last()->code != IRMF_OK)
		return (void *)1;
	irmf_error_set(IRMF_ESSH, "thread");
	return NULL;
}

static void
test_per_thread(void **state)
{
	pthread_t t;
	void *rv = (void *)2;

	(void)state;
	irmf_error_set(IRMF_EPARSE, "main");
	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	assert_int_equal(pthread_join(t, &rv), 0);
	assert_null(rv);
	assert_int_equal(irmf_error_last()->code, IRMF_EPARSE);
	assert_string_equal(irmf_error_last()->message, "main");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_prefix_clear),
		cmocka_unit_test(test_truncated_visibly),
		cmocka_unit_test(test_per_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
