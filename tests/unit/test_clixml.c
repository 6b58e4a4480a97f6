/*
 * test_clixml.c - the CLIXML reader (collector/parse/clixml.c): every
 * corpus file parses, serialized arrays, the generic tree (references,
 * cycles), _xHHHH_ unescaping, limits, sniffing, and clear errors for odd
 * or hostile files.  The mappers into the model (clixml_map.c) are
 * test_clixml_map.c.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "clixml_fixture.h"
#include "clixml.h"
#include "error.h"
#include "snapshot_int.h"

/* Every file of the public corpus must go through the generic reader. */
static void
test_corpus_all_parse(void **state)
{
	DIR *d = opendir(tu_fixture_path("clixml"));
	struct dirent *e;
	int n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char rel[512];
		irmf_clixml_doc *doc = NULL;
		size_t len;
		char *buf;
		int rc;

		if (strstr(e->d_name, ".xml") == NULL)
			continue;
		snprintf(rel, sizeof(rel), "clixml/%s", e->d_name);
		buf = tu_read_fixture(rel, &len);
		rc = irmf_clixml_doc_parse(&doc, buf, len, e->d_name);
		if (rc != 0)
			fail_msg("%s: %s", e->d_name, irmf_error_last()->message);
		assert_true(irmf_clixml_sniff(buf, len));
		irmf_clixml_doc_free(doc);
		free(buf);
		n++;
	}
	closedir(d);
	assert_true(n >= 30);
}

/* PSSerializer::Serialize(@($a, $b)) as the collector writes it. */
static void
test_serialized_array(void **state)
{
	static const char doc[] =
	    "<Objs Version=\"1.1.0.1\" xmlns=\"" IRMF_CLIXML_NS "\">"
	    "<Obj RefId=\"0\"><TN RefId=\"0\"><T>System.Object[]</T>"
	    "<T>System.Array</T><T>System.Object</T></TN><LST>"
	    "<Obj RefId=\"1\"><TN RefId=\"1\"><T>irmfleet.Probe</T>"
	    "<T>System.Management.Automation.PSCustomObject</T></TN><MS>"
	    "<S N=\"Url\">https://rms.contoso.com/_wmcs/licensing</S>"
	    "<S N=\"Result\">TIMEOUT</S><Nil N=\"StatusCode\" />"
	    "<S N=\"Message\"></S></MS></Obj>"
	    "<Obj RefId=\"2\"><TN RefId=\"2\"><T>irmfleet.Groups</T></TN>"
	    "<MS><S N=\"ComputerAccount\">CONTOSO\\FS01$</S>"
	    "<S N=\"Groups\">CONTOSO\\RMS File Servers</S>"
	    "<S N=\"Scope\">token</S></MS></Obj>"
	    "</LST></Obj></Objs>";
	irmf_snapshot *s;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "FS01"), 0);
	assert_int_equal(irmf_clixml_parse(s, doc, sizeof(doc) - 1, "arr"), 0);
	assert_int_equal(s->nprobes, 1);
	assert_int_equal(s->probes[0].result, IRMF_PROBE_TIMEOUT);
	assert_null(s->probes[0].message);
	assert_string_equal(s->computer_account, "CONTOSO\\FS01$");
	assert_int_equal(s->groups.n, 1);
	assert_string_equal(s->groups.items[0], "CONTOSO\\RMS File Servers");
	/* collect says how far the list reaches */
	assert_int_equal(s->groups_scope, IRMF_GROUPS_TOKEN);
	irmf_snapshot_free(s);
}

static void
test_unsupported_and_empty(void **state)
{
	irmf_snapshot *s;

	(void)state;
	assert_int_equal(cx_parse_fixture(
	    "clixml/CSS-Exchange__E16__OS__Win32_PageFileSetting.xml", "x",
	    &s), IRMF_EUNSUPPORTED);
	assert_non_null(strstr(irmf_error_last()->message, "no objects"));
	irmf_snapshot_free(s);
	assert_int_equal(cx_parse_fixture(
	    "clixml/CSS-Exchange__E19__OS__RemoteRegistryValueInstallationType"
	    ".xml", "x", &s), IRMF_EUNSUPPORTED);
	assert_non_null(strstr(irmf_error_last()->message, "<S>"));
	irmf_snapshot_free(s);
	assert_int_equal(cx_parse_fixture(
	    "clixml/CSS-Exchange__E19__OS__GetNetIPConfiguration.xml", "x",
	    &s), IRMF_EUNSUPPORTED);
	assert_false(s->has_irm_config);
	irmf_snapshot_free(s);
}

static void
test_generic_tree(void **state)
{
	irmf_clixml_doc *doc;
	const irmf_cx_node *r, *m, *t;
	size_t len;
	char *buf = tu_read_fixture("clixml/ref-cycle.xml", &len);

	(void)state;
	assert_int_equal(irmf_clixml_doc_parse(&doc, buf, len, "c"), 0);
	assert_int_equal(irmf_clixml_doc_nroots(doc), 1);
	r = irmf_clixml_doc_root(doc, 0);
	assert_true(irmf_cx_is_type(r, "system.management.automation."
	    "psdriveinfo"));
	assert_ptr_equal(irmf_cx_member(r, "Self"), r);   /* self-reference */
	m = irmf_cx_member(irmf_cx_member(r, "Provider"), "Drives");
	assert_non_null(m);
	assert_int_equal(m->coll, IRMF_CX_COLL_LST);
	assert_int_equal(m->nitems, 2);
	t = irmf_cx_deref(m->items[0]);
	assert_ptr_equal(t, r);
	free(buf);
	irmf_clixml_doc_free(doc);
	/* mapping walks the cyclic tree and terminates */
	{
		irmf_snapshot *s;
		assert_int_equal(cx_parse_fixture("clixml/ref-cycle.xml", "x", &s),
		    IRMF_EUNSUPPORTED);
		irmf_snapshot_free(s);
	}
}

static void
test_unescape(void **state)
{
	char *s;

	(void)state;
	s = irmf_clixml_unescape("a_x000D__x000A_b_x005F_x_x00e9__xD83D__xDE00_"
	    "_x0000__xD800_z_x12_");
	assert_string_equal(s, "a\r\nb_x\xc3\xa9\xf0\x9f\x98\x80"
	    "\xef\xbf\xbd\xef\xbf\xbdz_x12_");
	free(s);
}

/* Odd files fail with the file name, line and what was wrong. */
static void
assert_rejects(const char *rel, int code, const char *what)
{
	size_t len;
	char *buf = tu_read_fixture(rel, &len);
	irmf_clixml_doc *doc = NULL;
	const char *msg;

	assert_int_equal(irmf_clixml_doc_parse(&doc, buf, len, rel), code);
	assert_null(doc);
	msg = irmf_error_last()->message;
	if (strstr(msg, rel) == NULL || strstr(msg, what) == NULL)
		fail_msg("%s: unexpected message: %s", rel, msg);
	free(buf);
}

static void
test_rejects_odd_files(void **state)
{
	(void)state;
	assert_rejects("clixml/bad/ref-unknown.xml", IRMF_EPARSE,
	    ":7: <Ref> to unknown RefId '7'");
	assert_rejects("clixml/bad/bad-bool.xml", IRMF_EPARSE,
	    ":7: <B> holds 'yes'");
	assert_rejects("clixml/bad/unknown-element.xml", IRMF_EPARSE,
	    ":4: unexpected element <Bogus>");
	assert_rejects("clixml/bad/truncated.xml", IRMF_EPARSE,
	    "truncated.xml:8: Premature end of data");
	assert_rejects("clixml/bad/doctype.xml", IRMF_EPARSE,
	    ":2: document type declarations are not allowed");
	assert_rejects("clixml/bad/dup-refid.xml", IRMF_EPARSE,
	    ":3: second object with RefId '0'");
	assert_rejects("wevtutil/beats__ec1.xml", IRMF_EPARSE,
	    "root element is <Event>, not a PowerShell CLIXML <Objs>");
}

static void
test_limits(void **state)
{
	const char *head = "<Objs xmlns=\"" IRMF_CLIXML_NS "\">";
	size_t cap = 200000, n;
	char *buf = malloc(cap);
	irmf_clixml_doc *doc = NULL;
	int depth;

	(void)state;
	assert_non_null(buf);
	/* 63 nested objects and a string: 64 levels; one more is too many */
	for (depth = 63; depth <= 64; depth++) {
		n = (size_t)snprintf(buf, cap, "%s", head);
		for (int i = 0; i < depth; i++)
			n += (size_t)snprintf(buf + n, cap - n,
			    "<Obj RefId=\"%d\"><Props>\n", i);
		n += (size_t)snprintf(buf + n, cap - n, "<S N=\"x\">y</S>");
		for (int i = 0; i < depth; i++)
			n += (size_t)snprintf(buf + n, cap - n,
			    "</Props></Obj>");
		n += (size_t)snprintf(buf + n, cap - n, "</Objs>");
		if (depth == 63) {
			assert_int_equal(irmf_clixml_doc_parse(&doc, buf, n,
			    "deep"), 0);
			irmf_clixml_doc_free(doc);
			doc = NULL;
		} else {
			assert_int_equal(irmf_clixml_doc_parse(&doc, buf, n,
			    "deep"), IRMF_ELIMIT);
			assert_non_null(strstr(irmf_error_last()->message,
			    "deep:65: values nested deeper than 64 levels"));
		}
	}
	/* size limit is checked before anything is read */
	assert_int_equal(irmf_clixml_doc_parse(&doc, buf,
	    IRMF_CLIXML_MAX_BYTES + 1, "big"), IRMF_ELIMIT);
	assert_non_null(strstr(irmf_error_last()->message, "64 MiB"));
	free(buf);
}

static bool
sniff_str(const char *s)
{
	return irmf_clixml_sniff(s, strlen(s));
}

static void
test_sniff(void **state)
{
	static const char utf16[] = "\xff\xfe<\0O\0b\0j\0s\0 \0x\0m\0l\0n\0s\0="
	    "\0\"\0h\0t\0t\0p\0:\0/\0/\0s\0c\0h\0e\0m\0a\0s\0.\0m\0i\0c\0r\0o"
	    "\0s\0o\0f\0t\0.\0c\0o\0m\0/\0p\0o\0w\0e\0r\0s\0h\0e\0l\0l\0/\0"
	    "2\0000\0000\0004\0/\0000\0004\0/\0\"\0>\0";

	(void)state;
	assert_true(irmf_clixml_sniff(utf16, sizeof(utf16) - 1));
	assert_true(sniff_str("<?xml version=\"1.0\"?>\n<!-- c -->\n<Objs "
	    "Version=\"1.1.0.1\" xmlns=\"" IRMF_CLIXML_NS "\"/>"));
	assert_false(sniff_str("<Objs>"));
	assert_false(sniff_str("<Objsx xmlns='" IRMF_CLIXML_NS "'>"));
	assert_false(sniff_str("<Event xmlns='" IRMF_CLIXML_NS "'>"));
	assert_false(irmf_clixml_sniff("Windows Registry Editor", 23));
	assert_false(irmf_clixml_sniff("", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_all_parse),
		cmocka_unit_test(test_serialized_array),
		cmocka_unit_test(test_unsupported_and_empty),
		cmocka_unit_test(test_generic_tree),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_rejects_odd_files),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_sniff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
