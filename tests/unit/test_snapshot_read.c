/*
 * test_snapshot_read.c - the streaming snapshot reader
 * (collector/snapshot/snapshot_read.c) on documents built from the
 * fixture snapshots: format versions 1 and 2 (and <generation>, which only
 * version 2 may carry), versions it does not read, elements the schema
 * does not know and nesting deeper than any it knows, each error naming
 * the file and line; an oversize file refused before it is parsed; text
 * kept exactly; the fixtures' error paths; validate listing every schema
 * error; line numbers past 65535; truncated documents; version 1 files
 * still read and hash as their version 2 rewrite; a recorded generation
 * that disagrees with the content.
 * Writer and round-trip cases are in test_snapshot_xml.c.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "buf.h"
#include "error.h"
#include "identity.h"
#include "snapshot_fixture.h"
#include "store_int.h"
#include "snapshot_int.h"
#include "xmlutil.h"
#include "irmfleet/errors.h"

/* The fixture with the first `from` replaced by `to` (malloc'd). */
static char *
edited(const char *rel, const char *from, const char *to)
{
	size_t len;
	char *doc = tu_read_fixture(rel, &len), *at, *out;

	assert_non_null(at = strstr(doc, from));
	assert_non_null(out = malloc(len - strlen(from) + strlen(to) + 1));
	sprintf(out, "%.*s%s%s", (int)(at - doc), doc, to, at + strlen(from));
	free(doc);
	return out;
}

/* Loading doc as `name` fails with code, and the message starts with
 * "name:line: " and mentions needle. */
static void
expect_error(const char *doc, const char *name, int code, long line,
    const char *needle)
{
	irmf_snapshot *s = NULL;
	char prefix[256];
	const char *msg;

	assert_int_equal(irmf_snapshot_load_buffer(&s, doc, strlen(doc), name),
	    code);
	assert_null(s);
	msg = irmf_error_last()->message;
	snprintf(prefix, sizeof(prefix), "%s:%ld: ", name, line);
	if (strncmp(msg, prefix, strlen(prefix)) != 0 ||
	    strstr(msg, needle) == NULL)
		fail_msg("'%s' does not start with '%s' and mention '%s'", msg,
		    prefix, needle);
}

static void
test_version_1(void **state)
{
	irmf_snapshot *s = NULL;

	(void)state;
	assert_int_equal(irmf_snapshot_load(&s,
	    tu_fixture_path("snapshot/valid-ex01-v1.xml")), 0);
	assert_string_equal(s->server, "EX01");
	assert_string_equal(s->product_build, "15.2.1544.4");
	/* no recorded generation in version 1 */
	assert_null(s->recorded_generation);
	irmf_snapshot_free(s);
}

static void
test_version_2_generation(void **state)
{
	irmf_snapshot *s = NULL;

	(void)state;
	assert_int_equal(irmf_snapshot_load(&s,
	    tu_fixture_path("snapshot/valid-ex01.xml")), 0);
	assert_string_equal(s->server, "EX01");
	assert_string_equal(s->recorded_generation, "exchange-2013+");
	assert_int_equal(s->recorded_line, 10);
	irmf_snapshot_free(s);
}

/* A version 1 document cannot hold <generation>: said, with its line. */
static void
test_generation_needs_version_2(void **state)
{
	char *doc = edited("snapshot/valid-ex01.xml", "formatVersion=\"2\"",
	    "formatVersion=\"1\"");

	(void)state;
	expect_error(doc, "g.xml", IRMF_EPARSE, 10, "needs formatVersion 2");
	free(doc);
}

/* Versions this build does not read stop at the root, saying which it
 * reads, before the schema's less helpful message. */
static void
test_unsupported_versions(void **state)
{
	static const char *const bad[] = {
		"formatVersion=\"3\"", "formatVersion=\"0\"",
		"formatVersion=\"2x\"", "formatVersion=\"-1\"",
		"formatVersion=\"\"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *doc = edited("snapshot/valid-ex01.xml",
		    "formatVersion=\"2\"", bad[i]);
		expect_error(doc, "v.xml", IRMF_EUNSUPPORTED, 2,
		    "reads versions 1 to 2");
		free(doc);
	}
}

static void
test_wrong_root(void **state)
{
	char *doc = edited("snapshot/valid-ex01.xml", "urn:irmfleet:snapshot:1",
	    "urn:example:other");

	(void)state;
	expect_error(doc, "r.xml", IRMF_EPARSE, 2, "expected 'snapshot'");
	free(doc);
}

/* An element the schema does not know: a schema error at its line. */
static void
test_unknown_element(void **state)
{
	char *doc = edited("snapshot/valid-ex01-v1.xml",
	    "    <server>EX01</server>\n",
	    "    <server>EX01</server>\n    <colour>blue</colour>\n");

	(void)state;
	expect_error(doc, "u.xml", IRMF_ESCHEMA, 5, "colour");
	free(doc);
}

/* Nesting far deeper than the schema's deepest element: refused with a
 * line, no crash and no leak (the reader's stack is bounded). */
static void
test_deep_nesting(void **state)
{
	char open[64 * 4 + 1] = "", close[64 * 5 + 1] = "";
	char *doc, *ins;
	irmf_snapshot *s = NULL;

	(void)state;
	for (int i = 0; i < 64; i++) {
		strcat(open, "<x>");
		strcat(close, "</x>");
	}
	assert_non_null(ins = malloc(strlen(open) + strlen(close) + 40));
	sprintf(ins, "    <server>EX01</server>%s%s\n", open, close);
	doc = edited("snapshot/valid-ex01-v1.xml",
	    "    <server>EX01</server>\n", ins);
	assert_true(irmf_snapshot_load_buffer(&s, doc, strlen(doc), "d.xml")
	    < 0);
	assert_null(s);
	assert_int_equal(strncmp(irmf_error_last()->message, "d.xml:4: ", 9),
	    0);
	free(ins);
	free(doc);
}

static void
report_line(const char *line, void *payload)
{
	int *n = payload;

	(void)line;
	(*n)++;
}

/* A file over the reader's input limit is refused by its size, before
 * a byte is parsed (a sparse file: no disk is used). */
static void
test_oversize(void **state)
{
	char *dir = tu_tempdir(), path[4096];
	irmf_snapshot *s = NULL;
	int fd, reported = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/huge.xml", dir);
	assert_true((fd = open(path, O_WRONLY | O_CREAT, 0600)) >= 0);
	assert_int_equal(ftruncate(fd, (off_t)IRMF_XML_MAX_INPUT + 1), 0);
	assert_int_equal(close(fd), 0);
	assert_int_equal(irmf_snapshot_load(&s, path), IRMF_ELIMIT);
	assert_null(s);
	assert_non_null(strstr(irmf_error_last()->message, path));
	/* validate reports it to the caller too */
	assert_int_equal(irmf_snapshot_validate_file(path, report_line,
	    &reported), IRMF_ELIMIT);
	assert_int_equal(reported, 1);
	tu_rmtree(dir);
	free(dir);
}

static void
test_empty_and_unnamed(void **state)
{
	irmf_snapshot *s = NULL;

	(void)state;
	assert_true(irmf_snapshot_load_buffer(&s, "", 0, "e.xml") < 0);
	assert_null(s);
	assert_non_null(strstr(irmf_error_last()->message, "e.xml"));
	/* a buffer without a name is called so in messages */
	assert_true(irmf_snapshot_load_buffer(&s, "<a/>", 4, NULL) < 0);
	assert_non_null(strstr(irmf_error_last()->message, "(buffer)"));
}

/* ---------------------------------------- moved from test_snapshot_xml.c */

/* The streaming reader keeps whitespace-only text, CR, '&' written as
 * "&amp;" or "&#38;", and character references exactly, in attributes
 * and in element text. */
static void
test_reader_text_exact(void **state)
{
	static const char doc[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<snapshot xmlns=\"urn:irmfleet:snapshot:1\" formatVersion=\" 1 \">\n"
	    "<identity><server>  EX&amp;1&#38;</server>"
	    "<roles><role> exchange </role></roles><method>import</method>"
	    "</identity>\n"
	    "<registry><key path=\"HKLM\\SOFTWARE\\A&amp;B&#38;C\">"
	    "<value name=\"q&#38;&amp;&lt;\" type=\" REG_SZ \" "
	    "data=\"a&amp;b=c&#38;d &#x20AC;\"/>"
	    "<value name=\"m\" type=\"REG_MULTI_SZ\"><item>  </item>"
	    "<item>&#9;cr&#13;&#10;lf</item><item/><item><![CDATA[<&>]]></item>"
	    "</value></key></registry>\n"
	    "</snapshot>\n";
	irmf_snapshot *s = NULL;
	irmf_reg_key *k;
	irmf_reg_value *v;

	(void)state;
	assert_int_equal(irmf_snapshot_load_buffer(&s, doc, strlen(doc),
	    "t.xml"), 0);
	assert_string_equal(s->server, "  EX&1&");
	assert_int_equal(s->roles, IRMF_ROLE_EXCHANGE);
	assert_non_null(k = irmf_snapshot_reg_find(s, "HKLM\\SOFTWARE\\A&B&C"));
	assert_non_null(v = irmf_reg_key_find_value(k, "q&&<"));
	assert_int_equal(v->type, IRMF_REG_SZ);
	assert_string_equal(v->str, "a&b=c&d \xe2\x82\xac");
	assert_non_null(v = irmf_reg_key_find_value(k, "m"));
	assert_int_equal(v->nmulti, 4);
	assert_string_equal(v->multi[0], "  ");
	assert_string_equal(v->multi[1], "\tcr\r\nlf");
	assert_string_equal(v->multi[2], "");
	assert_string_equal(v->multi[3], "<&>");
	irmf_snapshot_free(s);
}

/* Whitespace XSD ignores around tokens and booleans is ignored here too
 * (a hand-edited file must not silently read " true " as false). */
static void
test_fixture_whitespace(void **state)
{
	irmf_snapshot *s = NULL;

	(void)state;
	assert_int_equal(irmf_snapshot_load(&s,
	    tu_fixture_path("snapshot/valid-whitespace.xml")), 0);
	assert_int_equal(s->roles, IRMF_ROLE_EXCHANGE);
	assert_int_equal(s->method, IRMF_METHOD_SSH);
	assert_int_equal(irmf_snapshot_prop_find(s, "A")->type, IRMF_PROP_BOOL);
	assert_true(irmf_snapshot_prop_find(s, "A")->is_nil);
	assert_true(s->has_irm_test);
	assert_true(s->irm_test_pass);
	assert_int_equal(s->probes[0].result, IRMF_PROBE_HTTP);
	assert_int_equal(s->probes[0].http_status, 401);
	irmf_snapshot_free(s);
}

struct collected {
	char lines[16][1024];
	int n;
};

static void
collect_line(const char *line, void *payload)
{
	struct collected *c = payload;

	if (c->n < 16)
		snprintf(c->lines[c->n], sizeof(c->lines[0]), "%s", line);
	c->n++;
}

/* load the fixture: expect `code`, and a message starting with
 * "<path>:<line>: " and containing `needle` */
static void
expect_load_error(const char *rel, int code, long line, const char *needle)
{
	irmf_snapshot *s = (irmf_snapshot *)1;
	char prefix[4200];
	const char *path = tu_fixture_path(rel);

	snprintf(prefix, sizeof(prefix), "%s:%ld: ", path, line);
	assert_int_equal(irmf_snapshot_load(&s, path), code);
	assert_null(s);
	if (strncmp(irmf_error_last()->message, prefix, strlen(prefix)) != 0)
		fail_msg("'%s' does not start with '%s'",
		    irmf_error_last()->message, prefix);
	if (strstr(irmf_error_last()->message, needle) == NULL)
		fail_msg("'%s' does not mention '%s'",
		    irmf_error_last()->message, needle);
}

static void
test_error_paths(void **state)
{
	irmf_snapshot *s = NULL;

	(void)state;
	assert_int_equal(irmf_snapshot_load(&s,
	    tu_fixture_path("snapshot/does-not-exist.xml")), IRMF_ENOTFOUND);
	assert_non_null(strstr(irmf_error_last()->message,
	    "does-not-exist.xml: cannot open"));
	expect_load_error("snapshot/broken-truncated.xml", IRMF_EPARSE, 17,
	    "Premature end of data");
	expect_load_error("snapshot/broken-namespace.xml", IRMF_EPARSE, 2,
	    "expected 'snapshot' in namespace 'urn:irmfleet:snapshot:1'");
	expect_load_error("snapshot/broken-element.xml", IRMF_ESCHEMA, 9,
	    "Element 'vaule': This element is not expected");
	expect_load_error("snapshot/broken-version.xml", IRMF_EUNSUPPORTED, 2,
	    "format version '3' is not supported (this irmfleet reads "
	    "versions 1 to 2)");
	expect_load_error("snapshot/broken-dword.xml", IRMF_EPARSE, 10,
	    "'0x10' is not a decimal number");
	expect_load_error("snapshot/broken-doctype.xml", IRMF_EPARSE, 2,
	    "document type declarations are not allowed");
	/* an internal entity makes libxml2 build a document even in SAX
	 * mode: found leaking by fuzz_snapshot */
	expect_load_error("snapshot/broken-doctype-internal.xml", IRMF_EPARSE,
	    2, "document type declarations are not allowed");
	expect_load_error("snapshot/broken-twin.xml", IRMF_EPARSE, 9,
	    "both 'name' and its base64 twin");
	expect_load_error("snapshot/broken-duplicate-key.xml", IRMF_EPARSE, 11,
	    "duplicate key");
	/* value names compare case-insensitively, as in the registry */
	expect_load_error("snapshot/broken-duplicate-value.xml", IRMF_EPARSE,
	    12, "duplicate value 'x'");
}

/* validate_file lists every schema error, each with file:line. */
static void
test_validate_reports_all(void **state)
{
	struct collected c = { .n = 0 };
	const char *path;
	char want[4200];

	(void)state;
	path = tu_fixture_path("snapshot/broken-many.xml");
	assert_int_equal(irmf_snapshot_validate_file(path, collect_line, &c),
	    IRMF_ESCHEMA);
	assert_int_equal(c.n, 3);
	snprintf(want, sizeof(want), "%s:6: ", path);
	assert_memory_equal(c.lines[0], want, strlen(want));
	assert_non_null(strstr(c.lines[0], "'nowhere'"));
	snprintf(want, sizeof(want), "%s:10: ", path);
	assert_memory_equal(c.lines[1], want, strlen(want));
	assert_non_null(strstr(c.lines[1], "REG_STRING"));
	snprintf(want, sizeof(want), "%s:14: ", path);
	assert_memory_equal(c.lines[2], want, strlen(want));

	/* each problem once, and the kind that wins: a bad DWORD (a reading
	 * rule) in a file then cut short reports only the parse error, and
	 * a bad DWORD alone only itself */
	c.n = 0;
	path = tu_fixture_path("snapshot/broken-dword-truncated.xml");
	assert_int_equal(irmf_snapshot_validate_file(path, collect_line, &c),
	    IRMF_EPARSE);
	assert_true(c.n >= 1);   /* libxml2 may say it in several lines */
	for (int i = 0; i < c.n; i++) {
		assert_null(strstr(c.lines[i], "0x10"));
		assert_non_null(strstr(c.lines[i], ":12: "));
		for (int j = 0; j < i; j++)   /* none reported twice */
			assert_string_not_equal(c.lines[i], c.lines[j]);
	}
	c.n = 0;
	path = tu_fixture_path("snapshot/broken-dword.xml");
	assert_int_equal(irmf_snapshot_validate_file(path, collect_line, &c),
	    IRMF_EPARSE);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.lines[0], "'0x10' is not a decimal number"));

	c.n = 0;
	assert_int_equal(irmf_snapshot_validate_file(tu_fixture_path(
	    "snapshot/valid-ex01.xml"), collect_line, &c), 0);
	assert_int_equal(c.n, 0);
	/* an unreadable file is reported once, naming the file */
	assert_int_equal(irmf_snapshot_validate_file(tu_fixture_path(
	    "snapshot/nope.xml"), collect_line, &c), IRMF_ENOTFOUND);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.lines[0], "nope.xml: cannot open"));
}

/* Line numbers past 65535 (libxml2 keeps 16 bits in the node) are still
 * right, for schema errors and for the reader's own checks. */
static void
test_big_line_numbers(void **state)
{
	static const char head[] = "<?xml version=\"1.0\"?>\n"
	    "<snapshot xmlns=\"urn:irmfleet:snapshot:1\" formatVersion=\"1\">\n"
	    "<identity><server>BIG</server><roles/><method>ssh</method>"
	    "</identity>\n<registry>\n";
	size_t cap = 8 << 20, len = 0;
	char *buf = malloc(cap);
	irmf_snapshot *s = NULL;
	long line = 4;

	(void)state;
	assert_non_null(buf);
	len += (size_t)snprintf(buf + len, cap - len, "%s", head);
	for (int i = 0; i < 70000; i++) {
		len += (size_t)snprintf(buf + len, cap - len,
		    "<key path=\"HKEY_LOCAL_MACHINE\\K%d\"><value name=\"\" "
		    "type=\"REG_DWORD\" data=\"%d\"/></key>\n", i, i);
		line++;
	}
	line++;   /* the line of the broken key */
	snprintf(buf + len, cap - len, "<key path=\"HKEY_LOCAL_MACHINE\\X\">"
	    "<value name=\"\" type=\"REG_DWORD\" data=\"zz\"/></key>\n"
	    "</registry>\n</snapshot>\n");
	assert_int_equal(irmf_snapshot_load_buffer(&s, buf, strlen(buf),
	    "big.xml"), IRMF_EPARSE);
	assert_int_equal(strtol(irmf_error_last()->message + 8, NULL, 10),
	    line);
	/* the same place as a schema error */
	memcpy(strstr(buf, "data=\"zz\""), "dada", 4);
	assert_int_equal(irmf_snapshot_load_buffer(&s, buf, strlen(buf),
	    "big.xml"), IRMF_ESCHEMA);
	assert_int_equal(strtol(irmf_error_last()->message + 8, NULL, 10),
	    line);
	free(buf);
}

static void
test_size_limit(void **state)
{
	irmf_snapshot *s = NULL;
	char *big = calloc(IRMF_XML_MAX_INPUT + 1, 1);

	(void)state;
	assert_non_null(big);
	assert_int_equal(irmf_snapshot_load_buffer(&s, big,
	    IRMF_XML_MAX_INPUT + 1, "big.xml"), IRMF_ELIMIT);
	assert_null(s);
	free(big);
}

/* Load the doc, expect failure with `code` and `needle` in the message. */
static void
expect_buffer_error(const char *doc, int code, const char *needle)
{
	irmf_snapshot *s = NULL;

	assert_int_equal(irmf_snapshot_load_buffer(&s, doc, strlen(doc),
	    "g.xml"), code);
	assert_null(s);
	if (strstr(irmf_error_last()->message, needle) == NULL)
		fail_msg("'%s' does not mention '%s'",
		    irmf_error_last()->message, needle);
}

/* <generation> belongs to version 2: in a version 1 file it is refused
 * with its line; an unknown generation name or evidence rank is a schema
 * error; version 0 and 3 are refused at the root. */
static void
gen_doc(char *doc, size_t n, int version, const char *name, const char *rank)
{
	snprintf(doc, n, "<?xml version=\"1.0\"?>\n"
	    "<snapshot xmlns=\"urn:irmfleet:snapshot:1\" formatVersion=\"%d\">\n"
	    "<identity><server>EX01</server><roles><role>exchange</role>"
	    "</roles>\n<generation name=\"%s\"><evidence rank=\"%s\" "
	    "source=\"x\" value=\"y\" says=\"exchange-2010\"/></generation>"
	    "<method>ssh</method></identity>\n</snapshot>\n", version, name,
	    rank);
}

static void
test_generation_errors(void **state)
{
	char doc[1024];
	irmf_snapshot *s = NULL;

	(void)state;
	gen_doc(doc, sizeof(doc), 1, "exchange-2010", "file");
	expect_buffer_error(doc, IRMF_EPARSE, "g.xml:4: <generation> needs "
	    "formatVersion 2");
	gen_doc(doc, sizeof(doc), 2, "exchange-2010", "file");
	assert_int_equal(irmf_snapshot_load_buffer(&s, doc, strlen(doc),
	    "g.xml"), 0);
	/* recorded, but the content (no evidence) says unknown */
	assert_string_equal(s->recorded_generation, "exchange-2010");
	assert_true(irmf_snapshot_generation_mismatch(s, "g.xml", doc,
	    sizeof(doc)));
	assert_non_null(strstr(doc, "which says unknown: unknown: no "
	    "evidence"));
	irmf_snapshot_free(s);
	gen_doc(doc, sizeof(doc), 2, "exchange-2007", "file");
	expect_buffer_error(doc, IRMF_ESCHEMA, "g.xml:4:");
	gen_doc(doc, sizeof(doc), 2, "exchange-2010", "guess");
	expect_buffer_error(doc, IRMF_ESCHEMA, "g.xml:4:");
	expect_buffer_error("<snapshot xmlns=\"urn:irmfleet:snapshot:1\" "
	    "formatVersion=\"0\"/>", IRMF_EUNSUPPORTED, "format version '0'");
	expect_buffer_error("<snapshot xmlns=\"urn:irmfleet:snapshot:1\" "
	    "formatVersion=\"2x\"/>", IRMF_EUNSUPPORTED, "format version '2x'");
}

static void
test_truncated_buffers(void **state)
{
	irmf_snapshot *a = sf_full_snapshot(), *b = NULL;
	char *buf = NULL;
	size_t len;

	(void)state;
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	/* every proper prefix is rejected, never crashes or succeeds */
	for (size_t cut = 0; cut < len - 1; cut += 97) {
		int rc = irmf_snapshot_load_buffer(&b, buf, cut, "cut.xml");
		assert_int_equal(rc, IRMF_EPARSE);
		assert_null(b);
		assert_memory_equal(irmf_error_last()->message, "cut.xml", 7);
	}
	free(buf);
	irmf_snapshot_free(a);
}

/* A version 1 file (no <generation>) still reads, to the same model as
 * its version 2 rewrite; writing it gives version 2; and the audit store
 * hashes both alike, so the format change alone is never drift. */
static void
test_version1_still_reads(void **state)
{
	irmf_snapshot *v1 = NULL, *v2 = NULL;
	char *orig, *buf = NULL;
	char h1[65], h2[65];
	size_t olen, len;

	(void)state;
	assert_int_equal(irmf_snapshot_load(&v1,
	    tu_fixture_path("snapshot/valid-ex01-v1.xml")), 0);
	assert_int_equal(irmf_snapshot_load(&v2,
	    tu_fixture_path("snapshot/valid-ex01.xml")), 0);
	sf_assert_snapshots_equal(v1, v2);
	assert_null(v1->recorded_generation);
	assert_string_equal(v2->recorded_generation, "exchange-2013+");
	assert_string_equal(v2->recorded_build, "15.2.1544.4");
	assert_int_equal(v2->recorded_line, 10);
	orig = tu_read_fixture("snapshot/valid-ex01.xml", &olen);
	assert_int_equal(irmf_snapshot_to_buffer(v1, &buf, &len), 0);
	assert_int_equal(len, olen);
	assert_memory_equal(buf, orig, len);
	assert_int_equal(irmf_store_snapshot_hash(v1, h1), 0);
	assert_int_equal(irmf_store_snapshot_hash(v2, h2), 0);
	assert_string_equal(h1, h2);
	free(orig);
	free(buf);
	irmf_snapshot_free(v1);
	irmf_snapshot_free(v2);
}

/* validate's check: a recorded generation or build that the content does
 * not give is named with file and line; one that agrees, or none (a
 * version 1 file), is not. */
static void
test_generation_mismatch(void **state)
{
	irmf_snapshot *s = NULL;
	char *doc, *p, msg[1024];
	size_t len;

	(void)state;
	assert_int_equal(irmf_snapshot_load(&s,
	    tu_fixture_path("snapshot/valid-ex01.xml")), 0);
	assert_false(irmf_snapshot_generation_mismatch(s, "ex01.xml", msg,
	    sizeof(msg)));
	irmf_snapshot_free(s);
	assert_int_equal(irmf_snapshot_load(&s,
	    tu_fixture_path("snapshot/valid-ex01-v1.xml")), 0);
	assert_false(irmf_snapshot_generation_mismatch(s, "ex01.xml", msg,
	    sizeof(msg)));
	irmf_snapshot_free(s);

	/* hand-edited: says 2010 where the content says 2013+ */
	doc = tu_read_fixture("snapshot/valid-ex01.xml", &len);
	assert_non_null(p = strstr(doc, "name=\"exchange-2013+\""));
	memcpy(p, "name=\"exchange-2010\"  ", 22);
	assert_int_equal(irmf_snapshot_load_buffer(&s, doc, len, "ex01.xml"),
	    0);
	assert_true(irmf_snapshot_generation_mismatch(s, "ex01.xml", msg,
	    sizeof(msg)));
	assert_string_equal(msg, "ex01.xml:10: recorded generation "
	    "'exchange-2010' build '15.2.1544.4' disagrees with the content, "
	    "which says exchange-2013+: Exchange 2013 or later from "
	    "Get-ExchangeServer 15.2.1544.4 (the recorded one is ignored; "
	    "import or collect again to rewrite it)");
	irmf_snapshot_free(s);
	free(doc);

	/* only the build edited */
	doc = tu_read_fixture("snapshot/valid-ex01.xml", &len);
	assert_non_null(p = strstr(doc, "build=\"15.2.1544.4\" buildSource"));
	p[17] = '9';
	assert_int_equal(irmf_snapshot_load_buffer(&s, doc, len, "ex01.xml"),
	    0);
	assert_true(irmf_snapshot_generation_mismatch(s, NULL, msg,
	    sizeof(msg)));
	assert_non_null(strstr(msg, "build '15.2.1544.9' disagrees"));
	irmf_snapshot_free(s);
	free(doc);
}

/* A section the schema allows once, repeated, is refused without leaking
 * what the first one's attributes gave (found by fuzz_snapshot; the leak
 * shows under valgrind and ASan). */
static void
test_repeated_sections(void **state)
{
	char *doc = edited("snapshot/valid-rmscon-derived.xml", "  <events>",
	    "  <authorizations source=\"event-1004\" "
	    "at=\"2024-05-03T00:00:00Z\"/>\n"
	    "  <events unread1004=\"2024-05-01T00:00:00Z\"/>\n"
	    "  <events unread1004=\"2024-05-02T00:00:00Z\">");
	irmf_snapshot *s = NULL;

	(void)state;
	assert_true(irmf_snapshot_load_buffer(&s, doc, strlen(doc),
	    "rep.xml") < 0);
	assert_null(s);
	assert_non_null(strstr(irmf_error_last()->message, "rep.xml:"));
	free(doc);
}

/* The derived list (valid-rmscon-derived.xml) with n rows CONTOSO\Unnnnn,
 * each given twice when dup (again in lower case, kind computer). */
static char *
derived_rows(size_t n, bool dup)
{
	irmf_buf b = IRMF_BUF_INIT;
	char *doc;

	for (size_t i = 0; i < n; i++) {
		irmf_buf_printf(&b, "<authorization account=\"CONTOSO\\U%06zu\" "
		    "role=\"unknown\"/>\n", i);
		if (dup)
			irmf_buf_printf(&b, "<authorization account=\"contoso\\u"
			    "%06zu\" kind=\"computer\" role=\"unknown\"/>\n", i);
	}
	assert_non_null(doc = irmf_buf_take(&b));
	{
		char *out = edited("snapshot/valid-rmscon-derived.xml",
		    "<authorization account=\"CONTOSO\\Exchange Servers\" "
		    "role=\"unknown\"/>", doc);
		free(doc);
		return out;
	}
}

/* golden-full.xml's typed list with n rows CONTOSO\Unnnnn (user,
 * exchange) first, each given again when dup (lower case, kind group). */
static char *
typed_rows(size_t n, bool dup)
{
	irmf_buf b = IRMF_BUF_INIT;
	char *doc, *out;

	for (size_t i = 0; i < n; i++) {
		irmf_buf_printf(&b, "<authorization account=\"CONTOSO\\U%06zu\" "
		    "kind=\"user\" role=\"exchange\"/>\n", i);
		if (dup)
			irmf_buf_printf(&b, "<authorization account=\"contoso\\u"
			    "%06zu\" kind=\"group\" role=\"exchange\"/>\n", i);
	}
	assert_non_null(doc = irmf_buf_take(&b));
	out = edited("snapshot/golden-full.xml", "    <authorization "
	    "account=\"CONTOSO\\Exchange Servers\" kind=\"group\" "
	    "role=\"exchange\"/>\n", doc);
	free(doc);
	return out;
}

static double
load_seconds(const char *doc, size_t want)
{
	irmf_snapshot *s = NULL;
	clock_t t0 = clock();

	assert_int_equal(irmf_snapshot_load_buffer(&s, doc, strlen(doc),
	    "big.xml"), 0);
	assert_int_equal(s->nauths, want);
	irmf_snapshot_free(s);
	return (double)(clock() - t0) / CLOCKS_PER_SEC;
}

/* A list (derived or typed) read back keeps each row once (the first row's
 * place, the last row's kind, as a list built row by row), and finding
 * the duplicates is not pair by pair: reading four times the rows costs
 * about four times as much, not sixteen (CPU time, so a loaded machine
 * or valgrind slows both alike). */
static void
test_derived_list_many(void **state)
{
	enum { N = 4000 };
	char *small = derived_rows(N, false), *big = derived_rows(4 * N, false);
	char *dup = derived_rows(3, true);
	irmf_snapshot *s = NULL;
	double ts, tb;

	(void)state;
	assert_int_equal(irmf_snapshot_load_buffer(&s, dup, strlen(dup),
	    "dup.xml"), 0);
	assert_int_equal(s->nauths, 4);
	assert_string_equal(s->auths[0].account, "CONTOSO\\U000000");
	assert_int_equal(s->auths[0].kind, IRMF_ACCOUNT_COMPUTER);
	assert_string_equal(s->auths[2].account, "CONTOSO\\U000002");
	assert_string_equal(s->auths[3].account, "CONTOSO\\SharePoint Farm");
	irmf_snapshot_free(s);
	(void)load_seconds(small, N + 1);   /* warm the schema cache */
	ts = load_seconds(small, N + 1);
	tb = load_seconds(big, 4 * N + 1);
	if (tb > 10 * ts + 0.05)
		fail_msg("4x the rows took %.3fs against %.3fs", tb, ts);
	free(small);
	free(big);
	free(dup);
	/* a typed list alike */
	dup = typed_rows(3, true);
	assert_int_equal(irmf_snapshot_load_buffer(&s, dup, strlen(dup),
	    "dup.xml"), 0);
	assert_int_equal(s->auth_source, IRMF_AUTH_TYPED);
	assert_int_equal(s->nauths, 4);
	assert_string_equal(s->auths[0].account, "CONTOSO\\U000000");
	assert_int_equal(s->auths[0].kind, IRMF_ACCOUNT_GROUP);
	assert_string_equal(s->auths[3].account, "CONTOSO\\svc-sp");
	irmf_snapshot_free(s);
	free(dup);
	small = typed_rows(N, false);
	big = typed_rows(4 * N, false);
	ts = load_seconds(small, N + 1);
	tb = load_seconds(big, 4 * N + 1);
	if (tb > 10 * ts + 0.05)
		fail_msg("typed: 4x the rows took %.3fs against %.3fs", tb, ts);
	free(small);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_1),
		cmocka_unit_test(test_version_2_generation),
		cmocka_unit_test(test_generation_needs_version_2),
		cmocka_unit_test(test_unsupported_versions),
		cmocka_unit_test(test_wrong_root),
		cmocka_unit_test(test_unknown_element),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_empty_and_unnamed),
		cmocka_unit_test(test_reader_text_exact),
		cmocka_unit_test(test_fixture_whitespace),
		cmocka_unit_test(test_error_paths),
		cmocka_unit_test(test_validate_reports_all),
		cmocka_unit_test(test_truncated_buffers),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_big_line_numbers),
		cmocka_unit_test(test_version1_still_reads),
		cmocka_unit_test(test_generation_errors),
		cmocka_unit_test(test_generation_mismatch),
		cmocka_unit_test(test_derived_list_many),
		cmocka_unit_test(test_repeated_sections),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
