/*
 * test_textdecode.c - collector/parse/textdecode.c: encoding detection (BOMs,
 * BOM-less UTF-16, UTF-8, code page fallback and its override), line-end
 * normalisation, malformed UTF-16, the size limit and the line iterator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "textdecode.h"
#include "error.h"

/* Decode and compare with the expected UTF-8 text and encoding. */
static void
expect(const char *in, size_t n, const char *want, irmf_text_encoding wenc)
{
	char *out = NULL;
	size_t len = 0;
	irmf_text_encoding enc;

	assert_int_equal(irmf_text_decode_cp(in, n, "t.txt", NULL, &out, &len,
	    &enc), 0);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	assert_string_equal(irmf_text_encoding_name(enc),
	    irmf_text_encoding_name(wenc));
	free(out);
}

static void
test_utf8_and_newlines(void **state)
{
	(void)state;
	expect("a\r\nb\rc\nd", 8, "a\nb\nc\nd", IRMF_ENC_UTF8);
	expect("\xEF\xBB\xBFx\r\n", 6, "x\n", IRMF_ENC_UTF8_BOM);
	expect("caf\xC3\xA9\r\n\r\n", 9, "caf\xC3\xA9\n\n", IRMF_ENC_UTF8);
	expect("", 0, "", IRMF_ENC_UTF8);
	/* \r\r\n is a lone CR then CRLF: two line ends */
	expect("a\r\r\nb", 5, "a\n\nb", IRMF_ENC_UTF8);
}

static void
test_utf16_bom(void **state)
{
	(void)state;
	/* FF FE "A\r\n" + U+00E9 + U+1F600 (surrogate pair) */
	expect("\xFF\xFE" "A\0\r\0\n\0\xE9\0\x3D\xD8\x00\xDE", 14,
	    "A\n\xC3\xA9\xF0\x9F\x98\x80", IRMF_ENC_UTF16LE);
	expect("\xFE\xFF" "\0A\0\r\0\n\0\xE9", 10, "A\n\xC3\xA9",
	    IRMF_ENC_UTF16BE);
}

static void
test_utf16_nobom(void **state)
{
	const char *ascii = "HKEY_LOCAL_MACHINE\\SOFTWARE\r\n";
	char buf[128];
	size_t n = strlen(ascii);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		buf[2 * i] = ascii[i];
		buf[2 * i + 1] = '\0';
	}
	expect(buf, 2 * n, "HKEY_LOCAL_MACHINE\\SOFTWARE\n",
	    IRMF_ENC_UTF16LE_NOBOM);
	for (size_t i = 0; i < n; i++) {
		buf[2 * i] = '\0';
		buf[2 * i + 1] = ascii[i];
	}
	expect(buf, 2 * n, "HKEY_LOCAL_MACHINE\\SOFTWARE\n",
	    IRMF_ENC_UTF16BE_NOBOM);
}

/* Mostly Japanese text: under half of the high bytes are NUL, yet the
 * NULs all sit at one parity; it used to fall through to the code page
 * and fail as "unexpected NUL character (binary file?)". */
static void
test_utf16_nobom_mostly_cjk(void **state)
{
	/* "[HKLM\x]\r\n" then U+65E5 U+672C U+8A9E (日本語) repeated */
	static const char ascii[] = "[HKLM\\x]\r\n";
	char buf[512], want[512];
	size_t n = 0, w = 0;

	(void)state;
	for (size_t i = 0; ascii[i]; i++) {
		buf[n++] = ascii[i];
		buf[n++] = '\0';
	}
	memcpy(want, "[HKLM\\x]\n", 9);
	w = 9;
	for (int r = 0; r < 30; r++) {
		memcpy(buf + n, "\xE5\x65\x2C\x67\x9E\x8A", 6);
		n += 6;
		memcpy(want + w, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 9);
		w += 9;
	}
	want[w] = '\0';
	expect(buf, n, want, IRMF_ENC_UTF16LE_NOBOM);
	/* the same bytes swapped are BE */
	for (size_t i = 0; i + 1 < n; i += 2) {
		char t = buf[i];
		buf[i] = buf[i + 1];
		buf[i + 1] = t;
	}
	expect(buf, n, want, IRMF_ENC_UTF16BE_NOBOM);
}

/* A BOM-less copy of a corpus .reg (the Japanese one, regedit5's
 * UTF-16LE without its FF FE) decodes as the original does. */
static void
test_corpus_reg_without_bom(void **state)
{
	size_t len, olen, nlen;
	char *raw = tu_read_fixture("regfile/regashii__japanese-regedit5.reg",
	    &len), *with = NULL, *without = NULL;
	irmf_text_encoding enc;

	(void)state;
	assert_true(len > 2 && (unsigned char)raw[0] == 0xFF &&
	    (unsigned char)raw[1] == 0xFE);
	assert_int_equal(irmf_text_decode_cp(raw, len, "with.reg", NULL, &with,
	    &olen, &enc), 0);
	assert_int_equal(enc, IRMF_ENC_UTF16LE);
	assert_int_equal(irmf_text_decode_cp(raw + 2, len - 2, "without.reg",
	    NULL, &without, &nlen, &enc), 0);
	assert_int_equal(enc, IRMF_ENC_UTF16LE_NOBOM);
	assert_int_equal(nlen, olen);
	assert_string_equal(without, with);
	free(raw);
	free(with);
	free(without);
}

static void
test_bad_utf16(void **state)
{
	char *out = (char *)1;
	size_t len;

	(void)state;
	/* lone low surrogate at byte offset 4 (after BOM + 'a') */
	assert_int_equal(irmf_text_decode("\xFF\xFE" "a\0\x00\xDC" "b\0", 8,
	    "x.reg", &out, &len), IRMF_EPARSE);
	assert_null(out);
	assert_non_null(strstr(irmf_error_last()->message, "x.reg"));
	assert_non_null(strstr(irmf_error_last()->message, "byte offset 4"));
	/* high surrogate followed by a non-surrogate */
	assert_int_equal(irmf_text_decode("\xFF\xFE" "\x00\xD8" "b\0", 6,
	    "x.reg", &out, &len), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "byte offset 2"));
	/* odd length */
	assert_int_equal(irmf_text_decode("\xFF\xFE" "a\0b", 5, "x.reg", &out,
	    &len), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "truncated"));
	/* a bad UTF-8 sequence after a UTF-8 BOM is not silently recoded */
	assert_int_equal(irmf_text_decode("\xEF\xBB\xBF" "ab\xC3", 6, "y",
	    &out, &len), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "byte offset 5"));
}

static void
test_codepage_fallback(void **state)
{
	char *out;
	size_t len;

	(void)state;
	unsetenv("IRMFLEET_CODEPAGE");
	/* 0xE9 alone is not UTF-8: CP1252 e-acute; 0x80 is the euro sign */
	expect("caf\xE9 \x80", 6, "caf\xC3\xA9 \xE2\x82\xAC", IRMF_ENC_CODEPAGE);
	/* 0x81 is undefined in CP1252: U+FFFD, not a failure */
	expect("a\x81z", 3, "a\xEF\xBF\xBDz", IRMF_ENC_CODEPAGE);
	/* overlong and surrogate UTF-8 forms are not UTF-8 either */
	expect("\xC0\xAF", 2, "\xC3\x80\xC2\xAF", IRMF_ENC_CODEPAGE);
	expect("\xED\xA0\x80", 3, "\xC3\xAD\xC2\xA0\xE2\x82\xAC",
	    IRMF_ENC_CODEPAGE);

	/* explicit OEM code page: 0x82 is e-acute in CP850 ("par d\x82" "faut") */
	assert_int_equal(irmf_text_decode_cp("(par d\x82" "faut)", 13, "q",
	    "850", &out, &len, NULL), 0);
	assert_string_equal(out, "(par d\xC3\xA9" "faut)");
	free(out);

	/* environment override */
	setenv("IRMFLEET_CODEPAGE", "CP437", 1);
	assert_int_equal(irmf_text_decode("\x84", 1, "q", &out, &len), 0);
	assert_string_equal(out, "\xC3\xA4");   /* a-umlaut in CP437 */
	free(out);
	setenv("IRMFLEET_CODEPAGE", "NO-SUCH-CODEPAGE", 1);
	assert_int_equal(irmf_text_decode("\x84", 1, "q", &out, &len),
	    IRMF_EUSAGE);
	assert_non_null(strstr(irmf_error_last()->message, "NO-SUCH-CODEPAGE"));
	unsetenv("IRMFLEET_CODEPAGE");
}

static void
test_nul_handling(void **state)
{
	char *out;
	size_t len;

	(void)state;
	/* trailing NUL padding is dropped */
	expect("abcdefgh\n\0\0", 11, "abcdefgh\n", IRMF_ENC_UTF8);
	/* an interior NUL is an error naming the line */
	assert_int_equal(irmf_text_decode("a\nb\nc\0d\n", 8, "bin.dat", &out,
	    &len), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "bin.dat:3:"));
}

static void
test_size_limit(void **state)
{
	char *out = NULL;
	size_t len;
	char one = 'a';

	(void)state;
	/* the length check runs before the buffer is read */
	assert_int_equal(irmf_text_decode(&one, IRMF_TEXT_MAX + 1, "big.reg",
	    &out, &len), IRMF_ELIMIT);
	assert_null(out);
	assert_non_null(strstr(irmf_error_last()->message, "big.reg"));
	assert_non_null(strstr(irmf_error_last()->message, "limit"));
}

static void
test_lines(void **state)
{
	irmf_lines it;
	const char *l;
	size_t n;

	(void)state;
	irmf_lines_init(&it, "one\n\nthree", 10);
	assert_true(irmf_lines_next(&it, &l, &n));
	assert_int_equal(n, 3);
	assert_memory_equal(l, "one", 3);
	assert_int_equal(it.lineno, 1);
	assert_true(irmf_lines_next(&it, &l, &n));
	assert_int_equal(n, 0);
	assert_true(irmf_lines_next(&it, &l, &n));
	assert_int_equal(n, 5);
	assert_memory_equal(l, "three", 5);
	assert_int_equal(it.lineno, 3);
	assert_false(irmf_lines_next(&it, &l, &n));

	irmf_lines_init(&it, "x\n", 2);
	assert_true(irmf_lines_next(&it, &l, &n));
	assert_false(irmf_lines_next(&it, &l, &n));
	irmf_lines_init(&it, "", 0);
	assert_false(irmf_lines_next(&it, &l, &n));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_and_newlines),
		cmocka_unit_test(test_utf16_bom),
		cmocka_unit_test(test_utf16_nobom),
		cmocka_unit_test(test_utf16_nobom_mostly_cjk),
		cmocka_unit_test(test_corpus_reg_without_bom),
		cmocka_unit_test(test_bad_utf16),
		cmocka_unit_test(test_codepage_fallback),
		cmocka_unit_test(test_nul_handling),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
