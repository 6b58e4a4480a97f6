/*
 * test_textlines.c - slices and line helpers of the line-oriented parsers
 * (collector/parse/textlines.c): lines without their CR, trimming, blank
 * lines, case-insensitive equality and prefix (Windows' Format-List and
 * gpresult headings vary in case), indentation, appending a slice to a
 * buffer, and preparing a file's bytes (UTF-16 with BOM, CRLF) as UTF-8
 * text with LF line ends.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "textlines.h"

static irmf_slice
sl(const char *s)
{
	return (irmf_slice){ s, strlen(s) };
}

static void
test_lines_drop_cr(void **state)
{
	static const char text[] = "a\r\n\r\nb c \rx\nlast";
	irmf_lines it;
	irmf_slice l;

	(void)state;
	irmf_lines_init(&it, text, sizeof(text) - 1);
	assert_true(irmf_lines_next_slice(&it, &l));
	assert_int_equal(l.n, 1);
	assert_memory_equal(l.s, "a", 1);
	assert_true(irmf_lines_next_slice(&it, &l));
	assert_int_equal(l.n, 0);
	/* only a final CR goes; one inside the line stays */
	assert_true(irmf_lines_next_slice(&it, &l));
	assert_int_equal(l.n, 6);
	assert_memory_equal(l.s, "b c \rx", 6);
	assert_true(irmf_lines_next_slice(&it, &l));
	assert_int_equal(l.n, 4);
	assert_false(irmf_lines_next_slice(&it, &l));
}

static void
test_slices(void **state)
{
	irmf_slice t;

	(void)state;
	t = irmf_slice_trim(sl(" \t x y \t"));
	assert_int_equal(t.n, 3);
	assert_memory_equal(t.s, "x y", 3);
	t = irmf_slice_ltrim(sl("  x "));
	assert_int_equal(t.n, 2);
	t = irmf_slice_rtrim(sl("  x "));
	assert_int_equal(t.n, 3);
	assert_true(irmf_slice_blank(sl(" \t ")));
	assert_true(irmf_slice_blank(sl("")));
	assert_false(irmf_slice_blank(sl(" . ")));
	assert_true(irmf_slice_eq_ci(sl("InternalLicensingEnabled"),
	    "internallicensingenabled"));
	assert_false(irmf_slice_eq_ci(sl("Internal"), "internalx"));
	assert_false(irmf_slice_eq_ci(sl("Internalx"), "internal"));
	assert_true(irmf_slice_prefix_ci(sl("GROUP NAME  TYPE"), "group name"));
	assert_false(irmf_slice_prefix_ci(sl("GROUP"), "group name"));
	assert_int_equal(irmf_slice_indent(sl("\t  x")), 3);
	assert_int_equal(irmf_slice_indent(sl("x")), 0);
}

static void
test_append_and_prepare(void **state)
{
	/* "A\r\nB" as UTF-16LE with BOM, as PowerShell 5.1's > writes */
	static const char u16[] = "\xff\xfe" "A\0\r\0\n\0B\0";
	irmf_buf b = IRMF_BUF_INIT;
	char *out = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(irmf_slice_append(&b, sl("ab")), 0);
	assert_int_equal(irmf_slice_append(&b, (irmf_slice){ "cd", 1 }), 0);
	assert_int_equal(b.n, 3);
	assert_memory_equal(b.p, "abc", 3);
	irmf_buf_free(&b);
	assert_int_equal(irmf_text_prepare(u16, sizeof(u16) - 1, "u16.txt",
	    &out, &n), 0);
	assert_string_equal(out, "A\nB");
	assert_int_equal(n, 3);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_drop_cr),
		cmocka_unit_test(test_slices),
		cmocka_unit_test(test_append_and_prepare),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
