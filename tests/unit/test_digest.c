/*
 * test_digest.c - SHA-256 and FNV-1a (collector/base/digest.c) against
 * published vectors.
 */
#include <string.h>

#include "testutil.h"
#include "digest.h"

static void
test_sha256(void **state)
{
	char hex[IRMF_SHA256_HEX];
	unsigned char md[IRMF_SHA256_LEN];

	(void)state;
	/* FIPS 180-2 appendix B.1 */
	assert_int_equal(irmf_sha256_hex("abc", 3, hex), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(irmf_sha256_hex("", 0, hex), 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	assert_int_equal(irmf_sha256("abc", 3, md), 0);
	assert_int_equal(md[0], 0xba);
	assert_int_equal(md[31], 0xad);
	irmf_hex_encode(md, 2, hex);
	assert_string_equal(hex, "ba78");
}

static void
test_fnv1a(void **state)
{
	(void)state;
	/* the FNV reference vectors (64-bit FNV-1a) */
	assert_true(irmf_fnv1a(IRMF_FNV1A_INIT, "") == 0xcbf29ce484222325ULL);
	assert_true(irmf_fnv1a(IRMF_FNV1A_INIT, "a") == 0xaf63dc4c8601ec8cULL);
	assert_true(irmf_fnv1a(IRMF_FNV1A_INIT, "foobar") ==
	    0x85944171f73967e8ULL);
	assert_true(irmf_fnv1a(IRMF_FNV1A_INIT, NULL) == IRMF_FNV1A_INIT);
	/* continuing is hashing the concatenation */
	assert_true(irmf_fnv1a(irmf_fnv1a(IRMF_FNV1A_INIT, "foo"), "bar") ==
	    0x85944171f73967e8ULL);
	/* the folded one hashes the lower-case form */
	assert_true(irmf_fnv1a_ci("FooBAR") == 0x85944171f73967e8ULL);
	assert_true(irmf_fnv1a_ci("HKLM\\X") == irmf_fnv1a_ci("hklm\\x"));
	assert_true(irmf_fnv1a_ci("a") != irmf_fnv1a_ci("b"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_fnv1a),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
