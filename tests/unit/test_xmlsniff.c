/*
 * test_xmlsniff.c - the cheap look at the start of an XML file that tells
 * the XML formats apart (collector/snapshot/xmlsniff.c): UTF-8 with and
 * without BOM, UTF-16LE/BE with BOM and without (starting with '<'), the
 * declaration, comments, processing instructions and a DOCTYPE skipped
 * before the first element, and exact element-name matching.
 */
#include <stdbool.h>
#include <string.h>

#include "testutil.h"
#include "xmlsniff.h"

static const char *
first_tag(const char *buf, size_t len, char *out, size_t cap)
{
	irmf_xml_sniff_prefix(buf, len, out, cap);
	return irmf_xml_sniff_first_tag(out);
}

static void
test_utf8(void **state)
{
	static const char doc[] = "\xef\xbb\xbf<?xml version=\"1.0\"?>\n"
	    "<!-- exported --><?pi x?><!DOCTYPE Objs>\n"
	    "<Objs Version=\"1.1.0.1\">";
	char out[256];
	const char *t;

	(void)state;
	t = first_tag(doc, sizeof(doc) - 1, out, sizeof(out));
	assert_non_null(t);
	assert_true(irmf_xml_sniff_tag_is(t, "Objs"));
	/* a name that is only a prefix of the element's is not it */
	assert_false(irmf_xml_sniff_tag_is(t, "Obj"));
	assert_false(irmf_xml_sniff_tag_is(t, "Objsx"));
}

/* "<Events/>" as UTF-16 in the given byte order, with or without BOM */
static size_t
utf16(char *buf, bool le, bool bom)
{
	static const char txt[] = "<Events/>";
	size_t n = 0;

	if (bom) {
		buf[n++] = le ? '\xff' : '\xfe';
		buf[n++] = le ? '\xfe' : '\xff';
	}
	for (size_t i = 0; txt[i]; i++) {
		buf[n++] = le ? txt[i] : '\0';
		buf[n++] = le ? '\0' : txt[i];
	}
	return n;
}

static void
test_utf16(void **state)
{
	char buf[64], out[64];
	const char *t;

	(void)state;
	for (int v = 0; v < 4; v++) {
		size_t n = utf16(buf, v & 1, v & 2);

		t = first_tag(buf, n, out, sizeof(out));
		assert_non_null(t);
		assert_true(irmf_xml_sniff_tag_is(t, "Events"));
	}
}

static void
test_no_element_and_cap(void **state)
{
	static const char only_decl[] = "<?xml version=\"1.0\"?><!-- x -->";
	char out[8], big[64];

	(void)state;

	assert_null(first_tag(only_decl, sizeof(only_decl) - 1, big,
	    sizeof(big)));
	/* the prefix is cut to cap-1 characters and NUL-terminated */
	assert_int_equal(irmf_xml_sniff_prefix("<abcdefghijkl>", 14, out,
	    sizeof(out)), 7);
	assert_int_equal(strlen(out), 7);
	/* non-ASCII becomes '?' */
	irmf_xml_sniff_prefix("<\xc3\xa9>", 4, out, sizeof(out));
	assert_null(strchr(out, '\xc3'));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_no_element_and_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
