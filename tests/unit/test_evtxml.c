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
#include "evt1004.h"
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

/* ------------------------------------------- event 1004's account list */

/* One 1004 at time t with the given <EventData> content (synthetic:
 * no real capture of the message exists, see the fixtures' PROVENANCE). */
static irmf_snapshot *
parse_1004(const char *t, const char *eventdata)
{
	char buf[4096], tc[128] = "";
	irmf_snapshot *s;
	int n;

	if (t[0] != '\0')   /* "": no TimeCreated */
		snprintf(tc, sizeof(tc), "<TimeCreated SystemTime='%s'/>", t);
	n = snprintf(buf, sizeof(buf), "<Event xmlns='" IRMF_EVT_NS "'>"
	    "<System><Provider Name='Microsoft RMS connector'/><EventID>1004"
	    "</EventID>%s</System><EventData>%s</EventData></Event>", tc,
	    eventdata);

	assert_true(n > 0 && (size_t)n < sizeof(buf));
	assert_int_equal(irmf_snapshot_new(&s, "RMSCON01"), 0);
	assert_int_equal(irmf_evtxml_parse(s, buf, (size_t)n, "e.xml"), 0);
	return s;
}

/* The derived list is exactly want[0..n) (in order, role unknown). */
static void
assert_derived(const irmf_snapshot *s, const char *at,
    const char *const *want, size_t n)
{
	assert_true(s->has_authorizations);
	assert_int_equal(s->auth_source, IRMF_AUTH_EVENT_1004);
	assert_string_equal(s->auth_at, at);
	assert_null(s->auth_1004_unread);
	assert_int_equal(s->nauths, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(s->auths[i].account, want[i]);
		assert_int_equal(s->auths[i].role, 0);
		assert_int_equal(s->auths[i].kind, want[i][strlen(want[i]) - 1]
		    == '$' ? IRMF_ACCOUNT_COMPUTER : IRMF_ACCOUNT_UNKNOWN);
	}
}

#define N(a) (sizeof(a) / sizeof(*(a)))
#define HEAD "The list of authorized accounts has been updated."

/* Get-WinEvent's ToXml() of EventLog.WriteEntry events, newest first:
 * the newest 1004 decides, all of its accounts (not the first only). */
static void
test_1004_getwinevent(void **state)
{
	static const char *const want[] = { "CONTOSO\\Exchange Servers",
	    "CONTOSO\\svc-spfarm", "CONTOSO\\FS01$" };
	irmf_snapshot *s;
	irmf_evtxml_stats st;

	(void)state;
	assert_int_equal(parse_fixture(
	    "wevtutil/rms-connector-1004-getwinevent.xml", &s, &st), 0);
	assert_int_equal(st.counted, 2);
	assert_derived(s, "2026-11-20T10:15:02Z", want, N(want));
	irmf_snapshot_free(s);
}

/* Plausible layouts, each one account per line (CRLF or LF), with list
 * markers, labels, several per line, a trailing SID or role. */
static void
test_1004_layouts(void **state)
{
	static const char *const two[] = { "CONTOSO\\Exchange Servers",
	    "CONTOSO\\FS01$" };
	static const char *const mixed[] = { "CONTOSO\\Exchange Servers",
	    "svc-sp@contoso.com", "S-1-5-21-1004336348-1177238915-682003330-"
	    "1109", "FS02$" };
	static const char *const layouts[] = {
		"<Data>" HEAD "&#13;\n&#13;\nCONTOSO\\Exchange Servers&#13;\n"
		"CONTOSO\\FS01$</Data>",
		"<Data>" HEAD "\n  - CONTOSO\\Exchange Servers\n  - "
		"CONTOSO\\FS01$\n</Data>",
		"<Data>" HEAD " Accounts: CONTOSO\\Exchange Servers; "
		"CONTOSO\\FS01$</Data>",
		"<Data>" HEAD "&#13;\n1. CONTOSO\\Exchange Servers (Exchange "
		"Server)&#13;\n2. CONTOSO\\FS01$ (File Classification "
		"Infrastructure)</Data>",
		/* label lines with the SID: one account each, by name */
		"<Data>" HEAD "&#13;\n&#13;\nAccount: CONTOSO\\Exchange Servers"
		"&#13;\nSID: S-1-5-21-1004336348-1177238915-682003330-1120&#13;"
		"\n&#13;\nSID: S-1-5-21-1004336348-1177238915-682003330-1105"
		"&#13;\nAccount Name: CONTOSO\\FS01$</Data>",
		/* name and SID on one line, in brackets or not */
		"<Data>" HEAD "\nCONTOSO\\Exchange Servers "
		"(S-1-5-21-1004336348-1177238915-682003330-1120)\n"
		"CONTOSO\\FS01$ S-1-5-21-1004336348-1177238915-682003330-1105"
		"</Data>",
		/* one Data per line, and named Data */
		"<Data>" HEAD "</Data><Data>CONTOSO\\Exchange Servers</Data>"
		"<Data>CONTOSO\\FS01$</Data>",
		"<Data Name='Message'>" HEAD "</Data><Data Name='Account'>"
		"CONTOSO\\Exchange Servers</Data><Data Name='Account'>"
		"CONTOSO\\FS01$</Data>",
	};
	irmf_snapshot *s;

	(void)state;
	for (size_t i = 0; i < N(layouts); i++) {
		print_message("layout %zu\n", i);
		s = parse_1004("2026-11-20T10:15:02Z", layouts[i]);
		assert_derived(s, "2026-11-20T10:15:02Z", two, N(two));
		irmf_snapshot_free(s);
	}
	/* UPNs, SIDs with no name, bare NAME$, duplicates counted once */
	s = parse_1004("2026-11-20T10:15:02Z", "<Data>" HEAD "\n"
	    "CONTOSO\\Exchange Servers\nsvc-sp@contoso.com\n"
	    "S-1-5-21-1004336348-1177238915-682003330-1109\nFS02$\n"
	    "contoso\\exchange servers</Data>");
	assert_derived(s, "2026-11-20T10:15:02Z", mixed, N(mixed));
	irmf_snapshot_free(s);
}

/* Many accounts (and each again in another case): every one once, in
 * order; duplicates are found by sorting, not pair by pair. */
static void
test_1004_many(void **state)
{
	enum { N_ACC = 20000 };
	size_t cap = (size_t)N_ACC * 2 * 24 + 1, n = 0;
	char *text = malloc(cap);
	irmf_strlist l = { 0 };

	(void)state;
	assert_non_null(text);
	for (int i = 0; i < 2 * N_ACC; i++)
		n += (size_t)snprintf(text + n, cap - n, "%s\\SRV%05d$\r\n",
		    i < N_ACC ? "CONTOSO" : "contoso", i % N_ACC);
	assert_int_equal(irmf_evt1004_scan(text, &l), 0);
	assert_int_equal(l.n, N_ACC);
	assert_string_equal(l.items[0], "CONTOSO\\SRV00000$");
	assert_string_equal(l.items[N_ACC - 1], "CONTOSO\\SRV19999$");
	irmf_strlist_clear(&l);
	free(text);
}

/* What is not account-shaped is not an account: prose, counts, times,
 * computer DNS names, unknown labels, forbidden characters. */
static void
test_1004_garbage(void **state)
{
	static const char *const one[] = { "CONTOSO\\Exchange Servers" };
	irmf_snapshot *s;

	(void)state;
	s = parse_1004("2026-11-20T10:15:02Z", "<Data>" HEAD "&#13;\n"
	    "3 accounts were downloaded from the service.&#13;\n"
	    "Time: 10:15:02&#13;\nComputer: EX01.contoso.com&#13;\n"
	    "Error: CONTOSO\\x could not be resolved&#13;\n"
	    "CONTOSO\\bad|name&#13;\nCONTOSO\\a\\b&#13;\n@contoso.com&#13;\n"
	    "S-1-5&#13;\nS-1-5-21-x&#13;\nsomething$ else&#13;\n"
	    "CONTOSO\\Exchange Servers</Data>");
	assert_derived(s, "2026-11-20T10:15:02Z", one, N(one));
	irmf_snapshot_free(s);
	assert_true(irmf_evt1004_is_account("CONTOSO\\EX01$"));
	assert_true(irmf_evt1004_is_account("NT AUTHORITY\\NETWORK SERVICE"));
	assert_false(irmf_evt1004_is_account("CONTOSO\\"));
	assert_false(irmf_evt1004_is_account("CONTOSO\\ x"));
	assert_false(irmf_evt1004_is_account("a@b"));
	assert_false(irmf_evt1004_is_account(HEAD));
}

/* Two 1004 in one second (the time kept has whole seconds): the higher
 * EventRecordID is the newer, whichever comes first in the file
 * (wevtutil writes oldest first, Get-WinEvent newest first). */
static void
test_1004_same_second(void **state)
{
#define EV1004(rec, acc) "<Event xmlns='" IRMF_EVT_NS "'><System><Provider " \
	"Name='Microsoft RMS connector'/><EventID>1004</EventID><TimeCreated " \
	"SystemTime='2026-11-20T10:15:02." rec "Z'/><EventRecordID>" rec \
	"</EventRecordID></System><EventData><Data>" acc "</Data></EventData>" \
	"</Event>"
	static const char *const docs[] = {
	    "<Events>" EV1004("41", "CONTOSO\\EX01$") EV1004("42",
	    "CONTOSO\\EX02$") "</Events>",
	    "<Events>" EV1004("42", "CONTOSO\\EX02$") EV1004("41",
	    "CONTOSO\\EX01$") "</Events>" };
#undef EV1004
	static const char *const want[] = { "CONTOSO\\EX02$" };

	(void)state;
	for (size_t i = 0; i < N(docs); i++) {
		irmf_snapshot *s;
		assert_int_equal(irmf_snapshot_new(&s, "RMSCON01"), 0);
		assert_int_equal(irmf_evtxml_parse(s, docs[i], strlen(docs[i]),
		    "e.xml"), 0);
		assert_derived(s, "2026-11-20T10:15:02Z", want, 1);
		irmf_snapshot_free(s);
	}
}

/* A 1004 whose message names no account (an unknown layout) derives
 * nothing: no list at all (not an empty one), and the mark says so; it
 * wins over an older 1004 that did name accounts, and a typed list wins
 * over both. */
static void
test_1004_no_accounts(void **state)
{
	static const char *const older =
	    "<Event xmlns='" IRMF_EVT_NS "'><System><Provider Name='Microsoft "
	    "RMS connector'/><EventID>1004</EventID><TimeCreated SystemTime="
	    "'2026-11-20T10:00:00Z'/></System><EventData><Data>CONTOSO\\EX01$"
	    "</Data></EventData></Event>";
	irmf_snapshot *s;

	(void)state;
	s = parse_1004("2026-11-20T10:15:02Z", "<Data>" HEAD "</Data>");
	assert_false(s->has_authorizations);
	assert_int_equal(s->nauths, 0);
	assert_string_equal(s->auth_1004_unread, "2026-11-20T10:15:02Z");
	/* an older 1004 read later does not replace the newest */
	assert_int_equal(irmf_evtxml_parse(s, older, strlen(older), "o.xml"),
	    0);
	assert_false(s->has_authorizations);
	assert_string_equal(s->auth_1004_unread, "2026-11-20T10:15:02Z");
	irmf_snapshot_free(s);
	/* a 1004 without a time cannot be told newest: nothing derived */
	s = parse_1004("", "<Data>CONTOSO\\EX01$</Data>");
	assert_false(s->has_authorizations);
	assert_null(s->auth_1004_unread);
	irmf_snapshot_free(s);
	/* a typed list wins over a derived one, in either order */
	s = parse_1004("2026-11-20T10:15:02Z", "<Data>CONTOSO\\EX01$</Data>");
	assert_int_equal(irmf_snapshot_add_authorization(s, "CONTOSO\\Ex",
	    IRMF_ACCOUNT_GROUP, IRMF_ROLE_EXCHANGE), 0);
	assert_int_equal(s->auth_source, IRMF_AUTH_TYPED);
	assert_int_equal(s->nauths, 1);
	assert_null(s->auth_at);
	assert_int_equal(irmf_evtxml_parse(s, older, strlen(older), "o.xml"),
	    0);
	assert_int_equal(s->auth_source, IRMF_AUTH_TYPED);
	assert_string_equal(s->auths[0].account, "CONTOSO\\Ex");
	irmf_snapshot_free(s);
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
		cmocka_unit_test(test_1004_getwinevent),
		cmocka_unit_test(test_1004_layouts),
		cmocka_unit_test(test_1004_garbage),
		cmocka_unit_test(test_1004_many),
		cmocka_unit_test(test_1004_no_accounts),
		cmocka_unit_test(test_1004_same_second),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
