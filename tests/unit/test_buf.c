/*
 * test_buf.c - the growable buffer (collector/base/buf.c): appends keep a
 * NUL-terminated copy, the size cap and an allocation failure are sticky,
 * hex and base64 round-trip with known vectors and refuse bad text.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "buf.h"

static void
test_append_printf_take(void **state)
{
	irmf_buf b = IRMF_BUF_INIT;
	char *s;

	(void)state;
	assert_string_equal(irmf_buf_str(&b), "");
	assert_int_equal(irmf_buf_add(&b, "ab"), 0);
	assert_int_equal(irmf_buf_add(&b, NULL), 0);
	assert_int_equal(irmf_buf_printf(&b, "-%d-", 42), 0);
	assert_int_equal(irmf_buf_addn(&b, "xyz", 2), 0);
	assert_int_equal(b.n, 8);
	assert_string_equal(irmf_buf_str(&b), "ab-42-xy");
	/* growth past the first allocation keeps the bytes */
	for (int i = 0; i < 1000; i++)
		irmf_buf_addn(&b, "0123456789", 10);
	assert_int_equal(b.n, 10008);
	assert_memory_equal(b.p + 9998, "0123456789", 10);
	assert_int_equal(b.p[b.n], '\0');
	irmf_buf_set(&b, "new", 3);
	assert_string_equal(irmf_buf_str(&b), "new");
	s = irmf_buf_take(&b);
	assert_string_equal(s, "new");
	assert_null(b.p);
	free(s);
	/* nothing added: take gives "" (not NULL) */
	s = irmf_buf_take(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void
test_cap_is_sticky(void **state)
{
	irmf_buf b = IRMF_BUF_INIT;

	(void)state;
	b.max = 10;
	assert_int_equal(irmf_buf_add(&b, "0123456789"), 0);   /* exactly */
	assert_int_equal(b.n, 10);
	assert_int_equal(irmf_buf_add(&b, "x"), IRMF_ELIMIT);
	assert_int_equal(irmf_error_last()->code, IRMF_ELIMIT);
	assert_non_null(strstr(irmf_error_last()->message, "10 bytes"));
	/* later appends, even empty or small ones, see the failure */
	assert_int_equal(irmf_buf_addn(&b, "", 0), IRMF_ELIMIT);
	assert_int_equal(irmf_buf_printf(&b, "%s", ""), IRMF_ELIMIT);
	assert_int_equal(irmf_buf_add_hex(&b, "", 0), IRMF_ELIMIT);
	assert_int_equal(b.n, 10);
	/* checked once at the end */
	assert_null(irmf_buf_take(&b));
	assert_null(b.p);
	assert_int_equal(b.err, 0);
}

static void
test_allocation_failure_is_sticky(void **state)
{
	irmf_buf b = IRMF_BUF_INIT;

	(void)state;
	irmf_buf_add(&b, "ok");
	/* a size no allocator gives: the failure is an ENOMEM, kept */
	assert_int_equal(irmf_buf_grow(&b, (size_t)-1 / 2), IRMF_ENOMEM);
	assert_int_equal(irmf_error_last()->code, IRMF_ENOMEM);
	assert_int_equal(irmf_buf_add(&b, "more"), IRMF_ENOMEM);
	assert_int_equal(irmf_buf_add_base64(&b, "a", 1), IRMF_ENOMEM);
	assert_null(irmf_buf_take(&b));
}

static void
test_hex(void **state)
{
	static const unsigned char bin[] = { 0x00, 0x01, 0xab, 0xff, 0x7f };
	irmf_buf b = IRMF_BUF_INIT;

	(void)state;
	assert_int_equal(irmf_buf_add_hex(&b, bin, sizeof(bin)), 0);
	assert_string_equal(irmf_buf_str(&b), "0001abff7f");
	irmf_buf_reset(&b);
	assert_int_equal(irmf_buf_add_unhex(&b, "0001ABff7f", 10), 0);
	assert_int_equal(b.n, sizeof(bin));
	assert_memory_equal(b.p, bin, sizeof(bin));
	/* refused, nothing added, the buffer still usable */
	assert_int_equal(irmf_buf_add_unhex(&b, "abc", 3), IRMF_EPARSE);
	assert_int_equal(irmf_buf_add_unhex(&b, "0g", 2), IRMF_EPARSE);
	assert_int_equal(b.n, sizeof(bin));
	assert_int_equal(irmf_buf_add_unhex(&b, "", 0), 0);
	assert_int_equal(irmf_buf_add(&b, "!"), 0);
	assert_int_equal(b.n, sizeof(bin) + 1);
	irmf_buf_free(&b);
}

/* RFC 4648 section 10 test vectors. */
static const char *const b64_plain[] = {
	"", "f", "fo", "foo", "foob", "fooba", "foobar"
};
static const char *const b64_text[] = {
	"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"
};

static void
test_base64_vectors(void **state)
{
	irmf_buf b = IRMF_BUF_INIT;

	(void)state;
	for (size_t i = 0; i < 7; i++) {
		irmf_buf_reset(&b);
		assert_int_equal(irmf_buf_add_base64(&b, b64_plain[i],
		    strlen(b64_plain[i])), 0);
		assert_string_equal(irmf_buf_str(&b), b64_text[i]);
		irmf_buf_reset(&b);
		assert_int_equal(irmf_buf_add_unbase64(&b, b64_text[i],
		    strlen(b64_text[i])), 0);
		assert_int_equal(b.n, strlen(b64_plain[i]));
		assert_string_equal(irmf_buf_str(&b), b64_plain[i]);
	}
	/* binary with NULs survives the round trip */
	irmf_buf_reset(&b);
	assert_int_equal(irmf_buf_add_base64(&b, "a\0b\0", 4), 0);
	assert_string_equal(irmf_buf_str(&b), "YQBiAA==");
	irmf_buf_reset(&b);
	assert_int_equal(irmf_buf_add_unbase64(&b, "YQBiAA==", 8), 0);
	assert_int_equal(b.n, 4);
	assert_memory_equal(b.p, "a\0b\0", 4);
	/* appends after what is there */
	assert_int_equal(irmf_buf_add_unbase64(&b, "Zm9v", 4), 0);
	assert_memory_equal(b.p, "a\0b\0foo", 8);
	irmf_buf_free(&b);
}

static void
test_base64_refused(void **state)
{
	irmf_buf b = IRMF_BUF_INIT;

	(void)state;
	irmf_buf_add(&b, "x");
	assert_int_equal(irmf_buf_add_unbase64(&b, "Zm9", 3), IRMF_EPARSE);
	assert_int_equal(irmf_buf_add_unbase64(&b, "Zm9*", 4), IRMF_EPARSE);
	assert_int_equal(irmf_buf_add_unbase64(&b, "Zm 9", 4), IRMF_EPARSE);
	assert_string_equal(irmf_buf_str(&b), "x");
	assert_int_equal(b.err, 0);   /* bad input is not a buffer failure */
	irmf_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_printf_take),
		cmocka_unit_test(test_cap_is_sticky),
		cmocka_unit_test(test_allocation_failure_is_sticky),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_base64_vectors),
		cmocka_unit_test(test_base64_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
