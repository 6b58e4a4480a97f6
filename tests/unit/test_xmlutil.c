/*
 * test_xmlutil.c - the streaming XML writer (collector/snapshot/xmlutil.c) against
 * libxml2's tree serializer: for the same document the bytes must be
 * identical (snapshots are hashed, and older ones were written from a
 * tree).  Documents are built from pseudo-random nesting, attributes and
 * text drawn from the characters that need escaping (<>&"'\t\r\n),
 * non-ASCII UTF-8 and plain text; plus the writer's error contract.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "testutil.h"
#include "error.h"
#include "xmlutil.h"

static unsigned long rng = 12345;

static unsigned
next_rand(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng >> 33);
}

/* A string of 0..11 pieces, each a character that needs escaping
 * somewhere, a non-ASCII character or plain text. */
static void
random_text(char *buf, size_t cap)
{
	static const char *const pieces[] = {
		"<", ">", "&", "\"", "'", "\t", "\r", "\n", " ", "Ü", "€",
		"日本", "abc", "x=y", "]]>", "&amp;", "\\"
	};
	size_t n = next_rand() % 12, len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *p = pieces[next_rand() % (sizeof(pieces) /
		    sizeof(pieces[0]))];
		if (len + strlen(p) + 1 > cap)
			break;
		memcpy(buf + len, p, strlen(p) + 1);
		len += strlen(p);
	}
}

/* Add the same random element to the tree (under parent) and to the
 * writer; depth limits nesting.  Elements get 0-2 attributes, then either
 * text (possibly empty) or 0-3 children. */
static void
add_both(irmf_xml_writer *w, xmlNodePtr parent, int depth)
{
	static const char *const names[] = { "a", "item", "key", "value" };
	static const char *const attrs[] = { "name", "type", "data" };
	const char *name = names[next_rand() % 4];
	xmlNodePtr n = xmlNewChild(parent, parent->ns, BAD_CAST name, NULL);
	char text[256];
	unsigned nattr = next_rand() % 3, kids;

	assert_non_null(n);
	assert_int_equal(irmf_xml_writer_start(w, name), 0);
	for (unsigned i = 0; i < nattr; i++) {
		random_text(text, sizeof(text));
		assert_non_null(xmlNewProp(n, BAD_CAST attrs[i], BAD_CAST text));
		assert_int_equal(irmf_xml_writer_attr(w, attrs[i], text), 0);
	}
	if (depth == 0 || next_rand() % 2 == 0) {
		random_text(text, sizeof(text));
		if (*text != '\0')
			xmlNodeAddContent(n, BAD_CAST text);
		assert_int_equal(irmf_xml_writer_text(w, text), 0);
	} else {
		kids = next_rand() % 4;
		for (unsigned i = 0; i < kids; i++)
			add_both(w, n, depth - 1);
	}
	assert_int_equal(irmf_xml_writer_end(w), 0);
}

static void
test_writer_matches_tree(void **state)
{
	(void)state;
	for (int round = 0; round < 300; round++) {
		xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
		xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "root", NULL);
		irmf_xml_writer *w = NULL;
		char *a = NULL, *b = NULL;
		size_t alen, blen;

		assert_non_null(root);
		xmlDocSetRootElement(doc, root);
		xmlSetNs(root, xmlNewNs(root, BAD_CAST "urn:test", NULL));
		assert_int_equal(irmf_xml_writer_new(&w), 0);
		assert_int_equal(irmf_xml_writer_start(w, "root"), 0);
		assert_int_equal(irmf_xml_writer_attr(w, "xmlns", "urn:test"),
		    0);
		for (unsigned i = next_rand() % 4; i > 0; i--)
			add_both(w, root, 3);
		assert_int_equal(irmf_xml_writer_end(w), 0);
		assert_int_equal(irmf_xml_writer_finish(w, &b, &blen), 0);
		irmf_xml_writer_free(w);
		assert_int_equal(irmf_xml_to_buffer(doc, &a, &alen), 0);
		if (alen != blen || memcmp(a, b, alen) != 0)
			fail_msg("round %d differs:\ntree:\n%s\nwriter:\n%s",
			    round, a, b);
		assert_int_equal(strlen(b), blen);   /* NUL-terminated */
		free(a);
		free(b);
		xmlFreeDoc(doc);
	}
}

/* Validation of bytes in memory: the first error names file, line and
 * the caller's context; valid input passes. */
static void
test_validate_memory(void **state)
{
	static const char good[] = "<?xml version=\"1.0\"?>\n"
	    "<snapshot xmlns=\"urn:irmfleet:snapshot:1\" formatVersion=\"1\">\n"
	    "<identity><server>A</server><roles/><method>ssh</method>"
	    "</identity>\n</snapshot>\n";
	static const char bad[] = "<?xml version=\"1.0\"?>\n"
	    "<snapshot xmlns=\"urn:irmfleet:snapshot:1\" formatVersion=\"1\">\n"
	    "<identity><server>A</server><roles/><method>ssh</method>"
	    "</identity>\n<bogus/>\n</snapshot>\n";
	static const char broken[] = "<?xml version=\"1.0\"?>\n"
	    "<snapshot xmlns=\"urn:irmfleet:snapshot:1\" formatVersion=\"1\">\n"
	    "<identity><server>A</server><roles/><method>ssh</method>"
	    "</identity></snapshat>\n";

	(void)state;
	assert_int_equal(irmf_xml_validate_memory(good, strlen(good),
	    "snapshot.xsd", "urn:irmfleet:snapshot:1", "g.xml", NULL), 0);
	assert_int_equal(irmf_xml_validate_memory(bad, strlen(bad),
	    "snapshot.xsd", "urn:irmfleet:snapshot:1", "b.xml", "ctx"),
	    IRMF_ESCHEMA);
	assert_non_null(strstr(irmf_error_last()->message,
	    "b.xml:4: ctx: Element 'bogus'"));
	assert_null(strstr(irmf_error_last()->message, "{urn:"));
	/* not well-formed: also refused, with its line */
	assert_int_equal(irmf_xml_validate_memory(broken, strlen(broken),
	    "snapshot.xsd", NULL, "x.xml", NULL), IRMF_ESCHEMA);
	assert_non_null(strstr(irmf_error_last()->message, "x.xml:3: "));
}

static int
teardown_all(void **state)
{
	(void)state;
	irmf_xml_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writer_matches_tree),
		cmocka_unit_test(test_validate_memory),
	};
	return cmocka_run_group_tests(tests, NULL, teardown_all);
}
