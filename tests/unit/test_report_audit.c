/*
 * test_report_audit.c - the audit's reports in every format
 * (compare/report/report_audit.c, report_audit_machine.c, html_drift.c
 * through irmf_audit_write): three servers of the example fleet audited
 * twice, EX03's connector URLs going to http in between (with markup in
 * the value).  The HTML names EX03 on its first screen, links it to its
 * timeline (old -> new, since when it differs from the majority) and
 * shows the markup as text; JUnit has the audit suite and validates
 * against junit-10.xsd; Prometheus and nagios carry the drift and the
 * stale servers; --brief has a drift line; files are written whole.
 */
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "error.h"
#include "irmfleet/audit.h"
#include "report_audit.h"

#define HTTPS "data=\"https://rmsconnector.contoso.com\"/>"
/* markup in a registry value: must stay text in the HTML */
#define HOSTILE "data=\"http://rmsconnector.contoso.com/&lt;/script&gt;" \
	"&lt;b id=&quot;pwn&quot;&gt;x\"/>"
#define YEAR (86400 * 365)

typedef struct fx {
	char *dir;
	char db[4200], fleet[4200];
	irmf_store *st;
} fx;

/* Copy examples/fleet/<name>.xml into the fleet, every `from` -> `to`
 * (when from is not NULL). */
static void
put(fx *f, const char *name, const char *from, const char *to)
{
	char src[4200], dst[4400], *text, *p, *q;
	FILE *in, *out;

	snprintf(src, sizeof(src), "%s/examples/fleet/%s.xml",
	    IRMF_SOURCE_DIR, name);
	assert_non_null(in = fopen(src, "rb"));
	assert_non_null(text = calloc(1, 1 << 20));
	assert_true(fread(text, 1, (1 << 20) - 1, in) > 0);
	fclose(in);
	snprintf(dst, sizeof(dst), "%s/%s.xml", f->fleet, name);
	assert_non_null(out = fopen(dst, "wb"));
	for (p = text; from != NULL && (q = strstr(p, from)) != NULL;
	    p = q + strlen(from)) {
		fwrite(p, 1, (size_t)(q - p), out);
		fputs(to, out);
	}
	fputs(p, out);
	fclose(out);
	free(text);
}

static int
setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	irmf_store_options o = { .create = true };

	f->dir = tu_tempdir();
	snprintf(f->db, sizeof(f->db), "%s/h.db", f->dir);
	snprintf(f->fleet, sizeof(f->fleet), "%s/fleet", f->dir);
	assert_int_equal(mkdir(f->fleet, 0700), 0);
	assert_int_equal(irmf_store_open(&f->st, f->db, &o), 0);
	put(f, "EX01", NULL, NULL);
	put(f, "EX02", NULL, NULL);
	put(f, "EX03", NULL, NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	fx *f = *state;

	irmf_store_close(f->st);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static irmf_audit *
audit(fx *f, const char *at, int64_t stale)
{
	irmf_audit_options o;
	irmf_audit *a;

	irmf_audit_options_init(&o);
	o.at = at;
	o.stale_seconds = stale;
	o.stale_label = "test";
	o.timelines = true;
	assert_int_equal(irmf_audit_new(&a, &o), 0);
	assert_int_equal(irmf_audit_add_path(a, f->fleet), 0);
	if (irmf_audit_compare(a) < 0 || irmf_audit_record(a, f->st) < 0)
		fail_msg("audit: %s", irmf_error_last()->message);
	return a;
}

/* The baseline, then EX03 drifted to a hostile http URL. */
static irmf_audit *
drifted(fx *f)
{
	irmf_audit_free(audit(f, "2026-03-02T00:00:00Z", YEAR));
	put(f, "EX03", HTTPS, HOSTILE);
	return audit(f, "2026-03-04T00:00:00Z", YEAR);
}

static char *
render(const irmf_audit *a, irmf_report_format fmt, unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	assert_non_null(m);
	if (irmf_audit_write(a, m, fmt, flags) < 0)
		fail_msg("write: %s", irmf_error_last()->message);
	fclose(m);
	return buf;
}

static void
test_html_first_screen_links_timeline(void **state)
{
	irmf_audit *a = drifted(*state);
	char *h = render(a, IRMF_FORMAT_HTML, 0);
	char *changed = strstr(h, "<section id=\"changed\">");
	char *findings = strstr(h, "<section id=\"findings\">");
	char *tl = strstr(h, "<article class=\"timeline\" id=\"t-0\" "
	    "data-server=\"EX03\">");

	/* the first screen (before the findings) names EX03, linked */
	assert_non_null(changed);
	assert_non_null(findings);
	assert_true(changed < findings);
	assert_non_null(strstr(changed, "<a href=\"#t-0\">EX03</a> 2 "
	    "changes since the previous audit"));
	/* its timeline: when, old -> new, since when it differs */
	assert_non_null(tl);
	assert_non_null(strstr(tl, "<th scope=\"row\">2026-03-04T00:00:00Z"
	    "</th>\n<td>changed</td>"));
	assert_non_null(strstr(tl, "=&gt; https://rmsconnector.contoso.com"
	    "</td>"));
	assert_non_null(strstr(tl, "<td class=\"differs\">"
	    "2026-03-04T00:00:00Z</td>"));
	assert_non_null(strstr(tl, "(2 of 3 servers)"));
	/* the markup in the value is text, never an element */
	assert_null(strstr(h, "<b id=\"pwn\">"));
	assert_non_null(strstr(tl, "&lt;/script&gt;&lt;b id=\"pwn\"&gt;x"));
	free(h);
	irmf_audit_free(a);
}

static void
test_html_no_drift(void **state)
{
	fx *f = *state;
	irmf_audit *a;
	char *h;

	irmf_audit_free(audit(f, "2026-03-02T00:00:00Z", YEAR));
	a = audit(f, "2026-03-03T00:00:00Z", YEAR);
	h = render(a, IRMF_FORMAT_HTML, 0);
	assert_non_null(strstr(h, "No server's configuration changed."));
	assert_null(strstr(h, "class=\"timeline\""));
	free(h);
	irmf_audit_free(a);
}

static void
validate_junit(const char *xml)
{
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(
	    tu_fixture_path("junit/junit-10.xsd"));
	xmlSchemaPtr schema = xmlSchemaParse(pc);
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "audit.xml",
	    NULL, XML_PARSE_NONET);

	assert_non_null(schema);
	assert_non_null(doc);
	assert_int_equal(xmlSchemaValidateDoc(vc, doc), 0);
	xmlFreeDoc(doc);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
}

static void
test_junit_audit_suite(void **state)
{
	irmf_audit *a = drifted(*state);
	char *x = render(a, IRMF_FORMAT_JUNIT, 0);
	char *suite = strstr(x, "<testsuite name=\"audit\" tests=\"6\" "
	    "failures=\"1\" errors=\"0\"");

	validate_junit(x);
	assert_non_null(strstr(x, "<testsuites name=\"irmfleet audit\">"));
	assert_non_null(suite);
	assert_non_null(strstr(suite, "<testcase classname=\"audit.EX03\" "
	    "name=\"no drift since the last audit\" time=\"0\">\n"
	    "   <failure type=\"drift\" message=\"2 changes since the "
	    "previous audit (2026-03-02T00:00:00Z)\">"));
	assert_non_null(strstr(suite, "<testcase classname=\"audit.EX01\" "
	    "name=\"collected recently\" time=\"0\"/>"));
	free(x);
	irmf_audit_free(a);
}

static void
test_junit_stale_is_failure(void **state)
{
	fx *f = *state;
	irmf_audit *a;
	char *x;

	/* the example fleet was collected 2026-03-01: a day's limit */
	irmf_audit_free(audit(f, "2026-03-02T00:00:00Z", YEAR));
	a = audit(f, "2026-03-20T00:00:00Z", 86400);
	x = render(a, IRMF_FORMAT_JUNIT, 0);
	validate_junit(x);
	assert_non_null(strstr(x, "<testsuite name=\"audit\" tests=\"6\" "
	    "failures=\"3\" errors=\"0\""));
	assert_non_null(strstr(x, "<failure type=\"stale\" message=\"stale: "
	    "last collected 2026-03-01"));
	free(x);
	irmf_audit_free(a);
}

static void
test_prometheus_audit_metrics(void **state)
{
	irmf_audit *a = drifted(*state);
	char *p = render(a, IRMF_FORMAT_PROMETHEUS, 0);

	/* the comparison's metrics, then the audit's */
	assert_non_null(strstr(p, "\nirmfleet_servers 3\n"));
	assert_non_null(strstr(p, "\nirmfleet_audit_changed_servers 1\n"));
	assert_non_null(strstr(p, "\nirmfleet_audit_changes 2\n"));
	assert_non_null(strstr(p, "\nirmfleet_audit_stale_servers 0\n"));
	/* 2026-03-04T00:00:00Z */
	assert_non_null(strstr(p, "\nirmfleet_audit_last_run_timestamp_"
	    "seconds 1772582400\n"));
	assert_non_null(strstr(p, "# TYPE irmfleet_audit_changes gauge\n"));
	free(p);
	irmf_audit_free(a);
}

static void
test_nagios_drift(void **state)
{
	irmf_audit *a = drifted(*state);
	char *n = render(a, IRMF_FORMAT_NAGIOS, 0);
	int st = irmf_audit_nagios_state(a);

	/* the http URL breaks a rule: an error finding is CRITICAL */
	assert_int_equal(st, IRMF_NAGIOS_CRITICAL);
	assert_non_null(strstr(n, "IRMFLEET CRITICAL - 1 server changed since "
	    "the previous audit (EX03), 0 stale; "));
	assert_non_null(strstr(n, " changed=1;;;0 changes=2;;;0 "
	    "stale=0;;;0\n"));
	assert_non_null(strstr(n, "\nEX03: drift: 2 changes since the "
	    "previous audit (changed reg:"));
	free(n);
	irmf_audit_free(a);
}

/* The state without the comparison's errors: drift or stale alone is a
 * WARNING, nothing is OK. */
static void
test_nagios_state_of_view(void **state)
{
	irmf_changes none = { 0 };
	irmf_run_summary sum = { .run_id = 2 };
	irmf_audit_view v = { .sum = &sum, .drift = &none, .stale = &none };

	(void)state;
	assert_int_equal(irmf_report_audit_nagios_state(&v), IRMF_NAGIOS_OK);
	v.changes = 1;
	assert_int_equal(irmf_report_audit_nagios_state(&v),
	    IRMF_NAGIOS_WARNING);
	v.changes = 0;
	v.not_checked = 1;   /* a stale or failed server */
	assert_int_equal(irmf_report_audit_nagios_state(&v),
	    IRMF_NAGIOS_WARNING);
}

static void
test_brief_drift_line(void **state)
{
	irmf_audit *a = drifted(*state);
	char *b = render(a, IRMF_FORMAT_TEXT, IRMF_REPORT_BRIEF);

	assert_non_null(strstr(b, "EX03: drift: 2 changes since the previous "
	    "audit (changed reg:"));
	assert_non_null(strstr(b, "\nEX03: error: "));
	assert_null(strstr(b, "audit result:"));   /* not the full report */
	free(b);
	irmf_audit_free(a);
}

static void
test_write_file_whole(void **state)
{
	fx *f = *state;
	irmf_audit *a = drifted(f);
	char path[4400], *want = render(a, IRMF_FORMAT_JSON, 0), *got;
	size_t len;

	snprintf(path, sizeof(path), "%s/out/audit.json", f->dir);
	assert_true(irmf_audit_write_file(a, path, IRMF_FORMAT_JSON, 0) < 0);
	snprintf(path, sizeof(path), "%s/audit.json", f->dir);
	assert_int_equal(irmf_audit_write_file(a, path, IRMF_FORMAT_JSON, 0),
	    0);
	assert_non_null(got = tu_read_fixture(path, &len));
	assert_string_equal(got, want);
	free(got);
	free(want);
	irmf_audit_free(a);
}

/* Every host of an inventory failed: nothing was compared, and every
 * format still reports the failed host. */
static void
test_nothing_compared(void **state)
{
	fx *f = *state;
	static const irmf_report_format fmts[] = { IRMF_FORMAT_TEXT,
	    IRMF_FORMAT_JSON, IRMF_FORMAT_HTML, IRMF_FORMAT_JUNIT,
	    IRMF_FORMAT_NAGIOS };
	irmf_audit *a;
	char *out;

	assert_int_equal(irmf_audit_new(&a, NULL), 0);
	assert_int_equal(irmf_audit_add_failure(a, "EX09", "unreachable"), 0);
	assert_int_equal(irmf_audit_compare(a), 0);
	assert_int_equal(irmf_audit_record(a, f->st), 0);
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		out = render(a, fmts[i], 0);
		if (strstr(out, "EX09") == NULL)
			fail_msg("format %d: no EX09 in %s", (int)fmts[i], out);
		free(out);
	}
	out = render(a, IRMF_FORMAT_PROMETHEUS, 0);
	assert_non_null(strstr(out, "\nirmfleet_servers 0\n"));
	free(out);
	out = render(a, IRMF_FORMAT_JUNIT, 0);
	validate_junit(out);
	assert_non_null(strstr(out, "<error type=\"failed\" "
	    "message=\"failed: unreachable\""));
	free(out);
	irmf_audit_free(a);
}

static void
test_write_before_record_refused(void **state)
{
	irmf_audit *a;

	(void)state;
	assert_int_equal(irmf_audit_new(&a, NULL), 0);
	assert_int_equal(irmf_audit_write(a, stdout, IRMF_FORMAT_HTML, 0),
	    IRMF_EUSAGE);
	assert_int_equal(irmf_audit_nagios_state(a), IRMF_NAGIOS_UNKNOWN);
	irmf_audit_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_html_first_screen_links_timeline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_no_drift, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_junit_audit_suite, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_junit_stale_is_failure,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_prometheus_audit_metrics,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_nagios_drift, setup,
		    teardown),
		cmocka_unit_test(test_nagios_state_of_view),
		cmocka_unit_test_setup_teardown(test_brief_drift_line, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_write_file_whole, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nothing_compared, setup,
		    teardown),
		cmocka_unit_test(test_write_before_record_refused),
	};

	/* the reports state their generation time: the same in every one */
	setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
