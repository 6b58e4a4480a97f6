/*
 * test_ingest.c - the one ingest path (collector/parse/ingest.c) over the
 * one format table (detect.c): the same bytes give byte-identical
 * snapshot XML whether they arrive as a file through `import`
 * (irmf_import_files) or as a command's output through collect's
 * per-host output handler (collector/collect/hostout.c), for every format
 * of the table that is read into a snapshot; and the table's policy
 * columns (empty answers, unused content, the existence check's row).
 * Inputs are fixtures already in tests/fixtures (real captures where one
 * exists: see each folder's PROVENANCE.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "detect.h"
#include "error.h"
#include "hostout.h"
#include "ingest.h"
#include "psdoc.h"
#include "irmfleet/import.h"
#include "irmfleet/snapshot.h"

typedef struct ingest_case {
	const char *format;
	const char *fixture;   /* below tests/fixtures */
	const char *server;    /* the server it describes; NULL: EX01 */
} ingest_case;

/* At least one per snapshot format of the table (checked below). */
static const ingest_case cases[] = {
	{ "clixml", "clixml/CSS-Exchange__E19__Exchange__GetIrm"
	  "Configuration.xml", NULL },
	{ "clixml", "clixml/CSS-Exchange__E16__Exchange__GetExchangeServer.xml",
	  "SOLO-E16A" },
	{ "clixml", "clixml/irmconfig-connector-utf16.xml", NULL },
	{ "evtxml", "wevtutil/beats__ec1.xml", NULL },
	{ "evtxml", "wevtutil/rms-connector-utf16.xml", NULL },
	{ "regfile", "regfile/irmf-exchange-irm-regedit5.reg", NULL },
	{ "regfile", "regfile/Debloat__disable-telemetry.reg", NULL },
	{ "irmtest-text", "irmtext/Office365-Security-Docs__set-up-new-"
	  "message-encryption-capabilities__Test-IRMConfiguration.txt", NULL },
	{ "irmconfig-text", "irmtext/SupportArticles-docs__migrate-ad-rms-"
	  "to-azure__Get-IRMConfiguration.txt", NULL },
	{ "irmconfig-text", "irmtext/onprem-Get-IRMConfiguration-fl-utf16.txt",
	  NULL },
	{ "authlist", "authlist/connector-authorizations.csv", NULL },
	{ "whoami-csv", "groups/SP01-whoami-groups-fo-csv.txt", NULL },
	{ "gpresult", "groups/EX01-gpresult-scope-computer-r.txt", NULL },
	{ "regquery", "regquery/appium-windows-driver__registry-specs__reg-"
	  "query-Uninstall-s.txt", NULL },
	{ "regquery", "regquery/irmf-german-cp850.txt", NULL },
	{ "regquery", "regquery/irmf-msipc-s-powershell.txt", NULL },
	{ "psdoc", "psdoc/EX01.irmfleet.xml", NULL },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static char *
to_xml(const irmf_snapshot *s)
{
	char *xml = NULL;
	size_t len;

	assert_int_equal(irmf_snapshot_to_buffer(s, &xml, &len), 0);
	assert_int_equal(strlen(xml), len);
	return xml;
}

/* `import --server EX01 --role exchange FORMAT:FILE`, in memory. */
static irmf_snapshot *
by_import(const ingest_case *c, const char *path)
{
	irmf_import_options o = { .server = c->server ? c->server : "EX01",
	    .roles = IRMF_ROLE_EXCHANGE };
	irmf_snapshot *snap = NULL;
	char arg[1200];
	const char *args[] = { arg };

	snprintf(arg, sizeof(arg), "%s:%s", c->format, path);
	if (irmf_import_files(&snap, &o, args, 1) != 0)
		fail_msg("%s: import: %s", c->fixture,
		    irmf_error_last()->message);
	return snap;
}

/* A snapshot with import's header and nothing else. */
static irmf_snapshot *
same_header(const irmf_snapshot *a)
{
	irmf_snapshot *b = NULL;

	assert_int_equal(irmf_snapshot_new(&b, a->server), 0);
	assert_int_equal(irmf_snapshot_set_collected_at(b, a->collected_at),
	    0);
	assert_int_equal(irmf_snapshot_set_collector(b, a->collector_name,
	    a->collector_version), 0);
	b->method = a->method;
	b->roles = a->roles;
	return b;
}

/* The same bytes as a successful collect command of item `item`. */
static void
by_collect(irmf_snapshot *snap, const char *format, const char *item,
    const char *buf, size_t len)
{
	irmf_plan_cmd cmd = { .item = (char *)item, .format = format };
	irmf_cmd_output co = { .out = buf, .olen = len, .err = "" };
	irmf_hostout ho = { .host = snap->server, .snap = snap };

	irmf_hostout_done(&ho, &cmd, &co);
	irmf_hostout_clear(&ho);
	if (snap->nerrors > 0)
		fail_msg("%s: collect: %s: %s", item, snap->errors[0].item,
		    snap->errors[0].message);
}

static void
same_snapshot_either_way(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		const ingest_case *c = &cases[i];
		char path[1024];
		size_t len;
		char *buf = tu_read_fixture(c->fixture, &len);
		irmf_snapshot *a, *b, *bare;
		char *xa, *xb, *xbare;

		snprintf(path, sizeof(path), "%s/%s", IRMF_FIXTURES, c->fixture);
		a = by_import(c, path);
		b = same_header(a);
		by_collect(b, c->format, base_name(c->fixture), buf, len);
		xa = to_xml(a);
		xb = to_xml(b);
		if (strcmp(xa, xb) != 0)
			fail_msg("%s: import and collect differ:\n%s\n----\n%s",
			    c->fixture, xa, xb);
		/* not vacuous: the input added items beyond its <source> */
		bare = same_header(a);
		assert_int_equal(irmf_snapshot_add_source(bare,
		    a->sources[0].file, a->sources[0].sha256,
		    a->sources[0].format), 0);
		xbare = to_xml(bare);
		assert_string_equal(a->sources[0].format, c->format);
		if (strcmp(xa, xbare) == 0)
			fail_msg("%s: nothing ingested", c->fixture);
		free(xa);
		free(xb);
		free(xbare);
		irmf_snapshot_free(a);
		irmf_snapshot_free(b);
		irmf_snapshot_free(bare);
		free(buf);
	}
}

/* The one-script plan's answer (collect --plan script): what cmd's
 * AutoRun or a profile printed, the begin marker, the document, the end
 * marker, read by collect as its "export-document" item, gives the
 * snapshot importing the bare document gives, byte for byte (the source's
 * SHA-256 included: collect hashes the document, not the noise). */
static void
script_answer_same_as_import(void **state)
{
	static const ingest_case c = { "psdoc", "psdoc/EX01.irmfleet.xml",
	    NULL };
	char path[1024], *wrapped, *xa, *xb;
	size_t len, wlen;
	char *buf = tu_read_fixture(c.fixture, &len);
	const char *pre = "Microsoft Windows [Version 10.0.17763]\r\n"
	    "profile banner\r\n" IRMF_PSDOC_BEGIN "\n";
	const char *post = "\n" IRMF_PSDOC_END "\n";
	irmf_snapshot *a, *b;

	(void)state;
	wlen = strlen(pre) + len + strlen(post);
	wrapped = malloc(wlen);
	assert_non_null(wrapped);
	memcpy(wrapped, pre, strlen(pre));
	memcpy(wrapped + strlen(pre), buf, len);
	memcpy(wrapped + strlen(pre) + len, post, strlen(post));
	snprintf(path, sizeof(path), "%s/%s", IRMF_FIXTURES, c.fixture);
	a = by_import(&c, path);
	b = same_header(a);
	by_collect(b, "psdoc", base_name(c.fixture), wrapped, wlen);
	xa = to_xml(a);
	xb = to_xml(b);
	if (strcmp(xa, xb) != 0)
		fail_msg("import and the script's answer differ:\n%s\n----\n%s",
		    xa, xb);
	assert_non_null(strstr(xb, "CertificationServerRedirection"));
	free(xa);
	free(xb);
	irmf_snapshot_free(a);
	irmf_snapshot_free(b);
	free(wrapped);
	free(buf);
}

/* The answer cut before the end marker (connection lost mid-output, or
 * the script stopped) is the item's parse error, nothing of it is taken:
 * never read as "absent". */
static void
script_answer_cut_is_incomplete(void **state)
{
	size_t len;
	char *buf = tu_read_fixture("psdoc/EX01.irmfleet.xml", &len);
	char *cut = malloc(len);
	size_t n;
	irmf_snapshot *s = NULL;
	irmf_plan_cmd cmd = { .item = (char *)"export-document",
	    .format = "psdoc" };
	irmf_hostout ho = { .host = "EX01" };

	(void)state;
	assert_non_null(cut);
	n = (size_t)snprintf(cut, len, "%s\n", IRMF_PSDOC_BEGIN);
	memcpy(cut + n, buf, len - n);   /* the tail of the document lost */
	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	ho.snap = s;
	irmf_cmd_output co = { .out = cut, .olen = len, .err = "" };
	irmf_hostout_done(&ho, &cmd, &co);
	assert_int_equal(ho.item_errors, 1);
	assert_int_equal(s->nerrors, 1);
	assert_string_equal(s->errors[0].item, "export-document");
	assert_int_equal(s->errors[0].reason, IRMF_REASON_PARSE_ERROR);
	assert_non_null(strstr(s->errors[0].message, "incomplete export "
	    "document"));
	assert_int_equal(s->nkeys, 0);
	irmf_hostout_clear(&ho);
	irmf_snapshot_free(s);
	free(cut);
	free(buf);
}

/* Every format the table reads into a snapshot has a case above, so a
 * new row cannot skip the comparison. */
static void
every_format_has_a_case(void **state)
{
	size_t n;
	const irmf_format *t = irmf_formats(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		bool found = false;

		if (t[i].parse == NULL)
			continue;
		for (size_t j = 0; j < NCASES && !found; j++)
			found = strcmp(cases[j].format, t[i].name) == 0;
		if (!found)
			fail_msg("format '%s' has no case in test_ingest.c",
			    t[i].name);
	}
}

/* Detection picks the same row the caller would name. */
static void
detected_as_named(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		irmf_snapshot *s = NULL;
		irmf_ingest_opts o = { .name = cases[i].fixture };
		irmf_ingest_result res;
		size_t len;
		char *buf = tu_read_fixture(cases[i].fixture, &len);

		assert_int_equal(irmf_snapshot_new(&s, cases[i].server ?
		    cases[i].server : "EX01"), 0);
		if (irmf_ingest(s, buf, len, &o, &res) != 0)
			fail_msg("%s: %s", cases[i].fixture,
			    irmf_error_last()->message);
		assert_string_equal(res.format->name, cases[i].format);
		irmf_snapshot_free(s);
		free(buf);
	}
}

static void
warned(const char *msg, void *payload)
{
	snprintf(payload, 256, "%s", msg);
}

/* An empty CLIXML answer is nothing to record for collect; another
 * cmdlet's CLIXML is a warning for a file, a parse error for an answer. */
static void
empty_and_unused(void **state)
{
	static const char empty[] = "<Objs Version=\"1.1.0.1\" xmlns=\"http:"
	    "//schemas.microsoft.com/powershell/2004/04\" />";
	irmf_snapshot *s = NULL;
	char msg[256] = "";
	irmf_ingest_opts o = { .name = "x", .answer = true,
	    .format = irmf_format_find("clixml"), .warn = warned,
	    .warn_payload = msg };
	irmf_ingest_result res;
	size_t len;
	char *other = tu_read_fixture(
	    "clixml/CSS-Exchange__E19__OS__GetNetIPConfiguration.xml", &len);

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	assert_int_equal(irmf_ingest(s, empty, strlen(empty), &o, &res), 0);
	assert_true(res.nothing);
	assert_int_equal(irmf_ingest(s, other, len, &o, &res),
	    IRMF_EUNSUPPORTED);
	assert_true(res.parse_failed);
	assert_string_equal(msg, "");
	o.answer = false;
	assert_int_equal(irmf_ingest(s, other, len, &o, &res), 0);
	assert_non_null(strstr(msg, "carries nothing irmfleet uses"));
	assert_int_equal(s->nkeys + s->nerrors + s->nsources, 0);
	irmf_snapshot_free(s);
	free(other);
}

/* collect's existence check is a row, but not a snapshot format: ingest
 * refuses it and import does not take "regexist:" as a format prefix. */
static void
existence_check_row(void **state)
{
	const irmf_format *f = irmf_format_find("regexist");
	irmf_snapshot *s = NULL;
	irmf_ingest_opts o = { .name = "x", .format = f };
	irmf_ingest_result res;
	irmf_import_options io = { .server = "EX01" };
	const char *args[] = { "regexist:/nonexistent" };

	(void)state;
	assert_non_null(f);
	assert_false(f->flags & IRMF_FORMAT_IMPORT);
	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	assert_int_equal(irmf_ingest(s, "x", 1, &o, &res), IRMF_EUNSUPPORTED);
	irmf_snapshot_free(s);
	s = NULL;
	assert_true(irmf_import_files(&s, &io, args, 1) < 0);
	assert_non_null(strstr(irmf_error_last()->message,
	    "regexist:/nonexistent"));
	assert_null(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_snapshot_either_way),
		cmocka_unit_test(every_format_has_a_case),
		cmocka_unit_test(script_answer_same_as_import),
		cmocka_unit_test(script_answer_cut_is_incomplete),
		cmocka_unit_test(detected_as_named),
		cmocka_unit_test(empty_and_unused),
		cmocka_unit_test(existence_check_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
