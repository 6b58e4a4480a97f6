/*
 * test_str.c - the generic string helpers (collector/base/str.c): copies,
 * case-insensitive equality, the array growth step and the string list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "str.h"

static void
test_copies(void **state)
{
	char *s = NULL, *d;

	(void)state;
	assert_null(irmf_strdup(NULL));
	d = irmf_strdup("abc");
	assert_string_equal(d, "abc");
	free(d);
	d = irmf_strndup("abcdef", 3);
	assert_string_equal(d, "abc");
	free(d);
	assert_int_equal(irmf_set_str(&s, "one"), 0);
	assert_int_equal(irmf_set_str(&s, "two"), 0);
	assert_string_equal(s, "two");
	assert_int_equal(irmf_set_str(&s, NULL), 0);
	assert_null(s);
}

static void
test_streq_ci_and_hex_digit(void **state)
{
	(void)state;
	assert_true(irmf_streq_ci("HKLM\\Software", "hklm\\SOFTWARE"));
	assert_false(irmf_streq_ci("abc", "abd"));
	assert_true(irmf_streq_ci(NULL, NULL));
	assert_false(irmf_streq_ci("a", NULL));
	assert_int_equal(irmf_hex_digit('7'), 7);
	assert_int_equal(irmf_hex_digit('b'), 11);
	assert_int_equal(irmf_hex_digit('F'), 15);
	assert_int_equal(irmf_hex_digit('g'), -1);
	assert_int_equal(irmf_hex_digit('/'), -1);
}

static void
test_grow(void **state)
{
	int *a = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(IRMF_GROW(a, cap, 0), 0);
	assert_int_equal(cap, 8);
	for (size_t i = 0; i < 8; i++)
		a[i] = 1;
	assert_int_equal(IRMF_GROW(a, cap, 7), 0);   /* room: unchanged */
	assert_int_equal(cap, 8);
	assert_int_equal(IRMF_GROW(a, cap, 8), 0);
	assert_int_equal(cap, 16);
	for (size_t i = 8; i < 16; i++)
		assert_int_equal(a[i], 0);   /* new slots zeroed */
	assert_int_equal(a[7], 1);
	free(a);
}

static void
test_strlist(void **state)
{
	irmf_strlist l = { 0 };
	char name[16];

	(void)state;
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "g%d", i);
		assert_int_equal(irmf_strlist_add(&l, name), 0);
	}
	assert_int_equal(l.n, 20);
	assert_string_equal(l.items[0], "g0");
	assert_string_equal(l.items[19], "g19");
	irmf_strlist_clear(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.items);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copies),
		cmocka_unit_test(test_streq_ci_and_hex_digit),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_strlist),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
