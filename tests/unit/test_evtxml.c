/*
 * test_evtxml.c - Windows event XML (collector/parse/evtxml.c): rootless
 * wevtutil output, UTF-16, Event Viewer <Events> files, requester
 * extraction, time conversion, ignored events, corpus files and clear
 * errors for files that are not event exports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "error.h"
#include "evtxml.h"
#include "snapshot_int.h"

static int
parse_fixture(const char *rel, irmf_snapshot **out, irmf_evtxml_stats *st)
{
	size_t len;
	char *buf = tu_read_fixture(rel, &len);
	int rc;

	assert_int_equal(irmf_snapshot_new(out, "RMSCON01"), 0);
	rc = irmf_evtxml_parse_stats(*out, buf, len, rel, st);
	free(buf);
	return rc;
}

static const irmf_event_summary *
find(const irmf_snapshot *s, int id, const char *account)
{
	for (size_t i = 0; i < s->nevents; i++)
		if (s->events[i].id == id &&
		    irmf_streq_ci(s->events[i].account, account))
			return &s->events[i];
	fail_msg("no event %d for %s", id, account ? account : "(none)");
	return NULL;
}

/* The same events in wevtutil's rootless form, UTF-8 and UTF-16. */
static void
check_rootless(const char *rel)
{
	irmf_snapshot *s;
	irmf_evtxml_stats st;
	const irmf_event_summary *e;

	assert_int_equal(parse_fixture(rel, &s, &st), 0);
	assert_true(s->has_events);
	assert_int_equal(st.events, 9);
	assert_int_equal(st.counted, 7);
	assert_int_equal(st.other_provider, 1);
	assert_int_equal(st.other_id, 1);
	assert_int_equal(s->nevents, 6);

	e = find(s, 1002, "CONTOSO\\EX01$");     /* free-text single Data */
	assert_int_equal(e->count, 2);
	assert_string_equal(e->computer, "EX01.contoso.com");
	assert_string_equal(e->first, "2024-05-02T09:11:42Z");
	assert_string_equal(e->last, "2024-05-02T10:30:05Z");
	e = find(s, 1002, "CONTOSO\\EX02$");     /* provider spelled "Connector" */
	assert_int_equal(e->count, 1);
	e = find(s, 2001, "CONTOSO\\SP01$");     /* named Data */
	assert_string_equal(e->computer, "SP01.contoso.com");
	e = find(s, 2002, "CONTOSO\\EX02$");     /* several unnamed Data */
	assert_string_equal(e->computer, "EX02.contoso.com");
	e = find(s, 3000, NULL);                 /* no requester */
	assert_null(e->computer);
	assert_string_equal(e->first, "2024-05-02T12:00:00Z");
	e = find(s, 1004, NULL);
	assert_int_equal(e->count, 1);
	irmf_snapshot_free(s);
}

static void
test_rootless_utf8(void **state)
{
	(void)state;
	check_rootless("wevtutil/rms-connector-rootless.xml");
}

static void
test_rootless_utf16(void **state)
{
	(void)state;
	check_rootless("wevtutil/rms-connector-utf16.xml");
}

static void
test_event_viewer_file(void **state)
{
	irmf_snapshot *s;
	irmf_evtxml_stats st;
	const irmf_event_summary *e;

	(void)state;
	assert_int_equal(parse_fixture("wevtutil/rms-connector-eventviewer.xml",
	    &s, &st), 0);
	assert_int_equal(st.counted, 2);
	e = find(s, 1000, NULL);
	assert_string_equal(e->first, "2024-05-03T05:59:00Z");   /* +02:00 */
	/* positional Data carry no labels: the rendered message does */
	e = find(s, 1003, "CONTOSO\\EX01$");
	assert_string_equal(e->computer, "EX01.contoso.com");
	irmf_snapshot_free(s);
}

static void
test_empty_exports(void **state)
{
	irmf_snapshot *s;
	irmf_evtxml_stats st;

	(void)state;
	assert_int_equal(parse_fixture("wevtutil/empty.xml", &s, &st), 0);
	assert_true(s->has_events);
	assert_int_equal(s->nevents, 0);
	irmf_snapshot_free(s);
	assert_int_equal(parse_fixture("wevtutil/empty-events.xml", &s, &st),
	    0);
	assert_true(s->has_events);
	assert_int_equal(s->nevents, 0);
	assert_int_equal(st.events, 0);
	irmf_snapshot_free(s);
}

/* Corpus exports of other providers parse and count nothing. */
static void
test_corpus_other_providers(void **state)
{
	static const struct {
		const char *file;
		size_t events;
	} files[] = {
		{ "wevtutil/beats__ec1.xml", 1 },
		{ "wevtutil/beats__original.xml", 5 },
		{ "wevtutil/beats__application-windows-error-reporting.xml", 1 },
		{ "wevtutil/windows-itpro-docs__event-4624__EventXML.xml", 1 },
		{ "wevtutil/evtx-rs__security_event_1.xml", 1 },
		{ "wevtutil/evtx-rs__event_with_entity_ref.xml", 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		irmf_snapshot *s;
		irmf_evtxml_stats st;
		size_t len;
		char *buf = tu_read_fixture(files[i].file, &len);

		if (parse_fixture(files[i].file, &s, &st) != 0)
			fail_msg("%s: %s", files[i].file,
			    irmf_error_last()->message);
		assert_true(irmf_evtxml_sniff(buf, len));
		assert_int_equal(st.events, files[i].events);
		assert_int_equal(st.other_provider, files[i].events);
		assert_true(s->has_events);
		assert_int_equal(s->nevents, 0);
		irmf_snapshot_free(s);
		free(buf);
	}
}

static void
assert_rejects(const char *rel, const char *what)
{
	irmf_snapshot *s;
	const char *msg;

	assert_int_equal(parse_fixture(rel, &s, NULL), IRMF_EPARSE);
	msg = irmf_error_last()->message;
	if (strstr(msg, rel) == NULL || strstr(msg, what) == NULL)
		fail_msg("%s: unexpected message: %s", rel, msg);
	assert_int_equal(s->nevents, 0);
	irmf_snapshot_free(s);
}

static void
test_rejects(void **state)
{
	(void)state;
	assert_rejects("wevtutil/"
	    "windows-itpro-docs__event-1102__EventXML_IE-view-NOT-wellformed"
	    ".xml", ":1: text '- ' outside any <Event> element");
	assert_rejects("wevtutil/bad/truncated.xml", "truncated.xml:2: "
	    "Opening and ending tag mismatch: Data line 2 and end of the "
	    "export (an element is not closed)");
	assert_rejects("wevtutil/bad/bad-time.xml",
	    ":1: event 1002: time 'yesterday'");
	assert_rejects("wevtutil/bad/bad-id.xml",
	    ":1: connector event without a numeric <EventID>");
	assert_rejects("clixml/probes.xml",
	    ":1: unexpected element <Objs>, expected <Event> or <Events>");
	assert_rejects("wevtutil/bad/doctype.xml", "doctype.xml:2: ");
}

static void
test_time(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(irmf_evtxml_time("2020-02-18T02:52:37.1211986Z", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "2020-02-18T02:52:37Z");
	assert_int_equal(irmf_evtxml_time("2016-07-08 18:12:51.681640 UTC",
	    out, sizeof(out)), 0);
	assert_string_equal(out, "2016-07-08T18:12:51Z");
	assert_int_equal(irmf_evtxml_time("2024-01-01T00:30:00-01:00", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "2024-01-01T01:30:00Z");
	assert_int_equal(irmf_evtxml_time("2024-01-01T00:30:00+01:00", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "2023-12-31T23:30:00Z");
	assert_int_equal(irmf_evtxml_time("2024-13-01T00:00:00Z", out,
	    sizeof(out)), IRMF_EPARSE);
	assert_int_equal(irmf_evtxml_time("2024-01-01T00:00:00.Z", out,
	    sizeof(out)), IRMF_EPARSE);
	assert_int_equal(irmf_evtxml_time("2024-01-01", out, sizeof(out)),
	    IRMF_EPARSE);
}

static bool
sniff_str(const char *s)
{
	return irmf_evtxml_sniff(s, strlen(s));
}

static void
test_sniff(void **state)
{
	size_t len;
	char *buf;

	(void)state;
	buf = tu_read_fixture("wevtutil/rms-connector-utf16.xml", &len);
	assert_true(irmf_evtxml_sniff(buf, len));
	free(buf);
	buf = tu_read_fixture("wevtutil/rms-connector-eventviewer.xml", &len);
	assert_true(irmf_evtxml_sniff(buf, len));
	free(buf);
	assert_true(sniff_str("<Events>\n</Events>"));
	assert_true(sniff_str("<?xml version='1.0'?><Event xmlns='"
	    IRMF_EVT_NS "'/>"));
	assert_false(sniff_str("<Event xmlns='urn:other'/>"));
	assert_false(sniff_str("<Eventful xmlns='" IRMF_EVT_NS "'/>"));
	assert_false(sniff_str("<Objs xmlns='" IRMF_EVT_NS "'/>"));
	assert_false(sniff_str(""));
}

/* A collect query's answer records the window it covered: the whole log
 * when fewer events than asked came back, else back to the oldest event
 * returned (the rules judge "no such event" only within it). */
static void
test_query_window(void **state)
{
	size_t len;
	char *buf = tu_read_fixture("wevtutil/rms-connector-rootless.xml",
	    &len);
	irmf_snapshot *s;
	const irmf_event_window *w;

	(void)state;
	/* 8 connector events (7 documented, 1 undocumented) */
	assert_int_equal(irmf_snapshot_new(&s, "RMSCON01"), 0);
	assert_int_equal(irmf_evtxml_parse_query(s, buf, len, "q",
	    "1000 1001 1002 1003", 9), 0);
	assert_int_equal(s->nevwindows, 1);
	w = irmf_snapshot_event_window(s, 1002);
	assert_non_null(w);
	assert_ptr_equal(w, irmf_snapshot_event_window(s, 1000));
	assert_null(irmf_snapshot_event_window(s, 1004));
	assert_null(irmf_snapshot_event_window(s, 100));
	assert_string_equal(w->ids, "1000 1001 1002 1003");
	assert_int_equal(w->returned, 8);
	assert_true(w->whole_log);
	assert_string_equal(w->oldest, "2024-05-02T09:11:42Z");
	irmf_snapshot_free(s);
	/* the cap was hit: older events may be missing */
	assert_int_equal(irmf_snapshot_new(&s, "RMSCON01"), 0);
	assert_int_equal(irmf_evtxml_parse_query(s, buf, len, "q", "1004", 8),
	    0);
	w = irmf_snapshot_event_window(s, 1004);
	assert_non_null(w);
	assert_false(w->whole_log);
	assert_string_equal(w->oldest, "2024-05-02T09:11:42Z");
	irmf_snapshot_free(s);
	/* an empty answer is the whole log, with no oldest event */
	assert_int_equal(irmf_snapshot_new(&s, "RMSCON01"), 0);
	assert_int_equal(irmf_evtxml_parse_query(s, "", 0, "q", "1002", 500),
	    0);
	assert_true(s->has_events);
	w = irmf_snapshot_event_window(s, 1002);
	assert_true(w->whole_log);
	assert_null(w->oldest);
	irmf_snapshot_free(s);
	/* a plain import of an export knows no window */
	assert_int_equal(irmf_snapshot_new(&s, "RMSCON01"), 0);
	assert_int_equal(irmf_evtxml_parse(s, buf, len, "q"), 0);
	assert_int_equal(s->nevwindows, 0);
	irmf_snapshot_free(s);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rootless_utf8),
		cmocka_unit_test(test_rootless_utf16),
		cmocka_unit_test(test_event_viewer_file),
		cmocka_unit_test(test_empty_exports),
		cmocka_unit_test(test_corpus_other_providers),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_query_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
