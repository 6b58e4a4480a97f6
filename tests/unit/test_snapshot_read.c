/*
 * test_snapshot_read.c - the streaming snapshot reader
 * (collector/snapshot/snapshot_read.c) on documents built from the
 * fixture snapshots: format versions 1 and 2 (and <generation>, which only
 * version 2 may carry), versions it does not read, elements the schema
 * does not know and nesting deeper than any it knows, each error naming
 * the file and line; an oversize file refused before it is parsed.
 * Writer and round-trip cases are in test_snapshot_xml.c.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
