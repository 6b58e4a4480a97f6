/*
 * test_strpool.c - interned strings (collector/base/strpool.c): equal strings
 * give one pointer, from several threads at once, across table growth.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "strpool.h"

#define N 20000

static irmf_strpool *pool;
static const char *got[4][N];

static void *
worker(void *arg)
{
	static const size_t mult[4] = { 1, 3, 7, 9 };   /* coprime to N */
	size_t t = (size_t)arg;
	char buf[64];

	/* every thread interns the same strings, in a different order */
	for (size_t k = 0; k < N; k++) {
		size_t i = (k * mult[t]) % N;
		snprintf(buf, sizeof(buf), "reg:HKLM\\SOFTWARE\\Bench\\%zu", i);
		got[t][i] = irmf_strpool_intern(pool, buf);
	}
	return NULL;
}

static void
test_equal_strings_one_pointer(void **state)
{
	irmf_strpool *p;
	const char *a, *b, *c, *e;
	char big[100000];

	(void)state;
	assert_int_equal(irmf_strpool_new(&p), 0);
	a = irmf_strpool_intern(p, "https://rmscon.contoso.com");
	b = irmf_strpool_intern(p, "https://rmscon.contoso.com");
	c = irmf_strpool_intern(p, "http://rmscon.contoso.com");
	e = irmf_strpool_intern(p, "");
	assert_ptr_equal(a, b);
	assert_ptr_not_equal(a, c);
	assert_string_equal(c, "http://rmscon.contoso.com");
	assert_string_equal(e, "");
	/* longer than a storage block */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	/* (ptr, len): a prefix without NUL is the string of that prefix, and
	 * a shorter or longer pooled string with the same start is not it */
	a = irmf_strpool_intern_n(p, "https://rmscon.contoso.com/x", 26);
	assert_ptr_equal(a, b);
	c = irmf_strpool_intern_n(p, "https://rmscon.contoso.com/x", 25);
	assert_ptr_not_equal(c, b);
	assert_string_equal(c, "https://rmscon.contoso.co");
	assert_ptr_equal(irmf_strpool_intern_n(p, "", 0), e);
	assert_ptr_equal(irmf_strpool_intern_n(p, "xyz", 0), e);
	assert_int_equal(irmf_strpool_hash("abcdefghij", 10),
	    irmf_strpool_hash("abcdefghijk", 10));
	assert_true(irmf_strpool_hash("abcdefghij", 10) !=
	    irmf_strpool_hash("abcdefghiJ", 10));
	a = irmf_strpool_intern(p, big);
	assert_non_null(a);
	assert_int_equal(strlen(a), sizeof(big) - 1);
	assert_ptr_equal(a, irmf_strpool_intern(p, big));
	irmf_strpool_free(p);
	irmf_strpool_free(NULL);
}

static void
test_threads(void **state)
{
	pthread_t tid[4];

	(void)state;
	assert_int_equal(irmf_strpool_new(&pool), 0);
	for (size_t t = 0; t < 4; t++)
		assert_int_equal(pthread_create(&tid[t], NULL, worker,
		    (void *)t), 0);
	for (size_t t = 0; t < 4; t++)
		pthread_join(tid[t], NULL);
	for (size_t i = 0; i < N; i++) {
		char buf[64];
		snprintf(buf, sizeof(buf), "reg:HKLM\\SOFTWARE\\Bench\\%zu", i);
		assert_non_null(got[0][i]);
		assert_string_equal(got[0][i], buf);
		for (size_t t = 1; t < 4; t++)
			assert_ptr_equal(got[t][i], got[0][i]);
	}
	irmf_strpool_free(pool);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_strings_one_pointer),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
