/*
 * test_rules_events.c - the connector event rules
 * (compare/rules/rules_events.c): node events (2000, 2003, 3000, 3001),
 * 2001/1002/2002 attributed to servers, problems solved later are history,
 * windows too short to judge, and the list refresh (1004).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_fixture.h"

static void
test_events(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n1 = rf_node(fl, "RMS01"), *n2 = rf_node(fl, "RMS02");
	const irmf_finding *f;

	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX03", "v15"), "CONTOSO\\EX03$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX04", "v15"), "CONTOSO\\EX04$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX05", "v15"), "CONTOSO\\EX05$", NULL, NULL);
	rf_ident(rf_sp13(fl, "SP01"), NULL, NULL, "CONTOSO\\svc-sp");
	rf_sp13(fl, "SP02");
	rf_msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	rf_ev(n1, 1002, "CONTOSO\\EX01$", "EX01.contoso.com", 1);
	rf_ev(n2, 1002, NULL, "ex02", 1);                 /* short name */
	rf_ev(n1, 2001, "CONTOSO\\EX04$", NULL, 12);      /* account only */
	rf_ev(n1, 1002, "CONTOSO\\svc-sp", "SP01.CONTOSO.COM", 2);
	rf_ev(n2, 1002, "CONTOSO\\EX05$", "EX05.contoso.com", 1);
	rf_ev(n2, 2002, "CONTOSO\\EX05$", "EX05.contoso.com", 40);
	rf_ev(n1, 2001, "CONTOSO\\LAPTOP7$", "laptop7.contoso.com", 1);
	rf_ev(n1, 1004, NULL, NULL, 96);
	rf_ev(n2, 3001, NULL, NULL, 3);
	/* the service started inside what the export shows, so a server
	 * that connected since is in a 1002: its absence can be judged */
	rf_ev(n1, 1000, NULL, NULL, 1);
	rf_ev(n2, 1000, NULL, NULL, 1);
	rf_expect(fl, "events-no-access EX03 rule",
	    "events-unauthorized EX04 rule",
	    "events-no-access SP02 rule",
	    "events-http EX05 rule",
	    "connector-event-3001 RMS02 rule", NULL);
	f = rf_find(fl, "events-unauthorized", "EX04");
	assert_string_equal(f->setting, "events:2001");
	/* Exchange: through the security group, not individually */
	assert_non_null(strstr(f->remediation, "make CONTOSO\\EX04$ a member "
	    "of the security group"));
	assert_non_null(strstr(f->value, "12 unauthorized"));
	assert_non_null(strstr(f->value, "RMS01"));
	f = rf_find(fl, "connector-event-3001", "RMS02");
	assert_string_equal(f->value,
	    "3 events 3001 (2026-11-01T08:00:00Z .. 2026-11-20T08:00:00Z)");
}

static void
test_events_node_failed(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n1 = rf_node(fl, "RMS01"), *n2 = rf_node(fl, "RMS02");

	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	rf_ev(n1, 1002, "CONTOSO\\EX01$", NULL, 1);
	assert_int_equal(irmf_snapshot_add_error(n2, "events",
	    IRMF_REASON_TIMEOUT, "Get-WinEvent timed out"), 0);
	/* one "not checked" per server and group of event rules */
	rf_expect(fl, "events-unauthorized EX01 not-collected",
	    "events-unauthorized EX02 not-collected",
	    "connector-event-2000 RMS02 not-collected", NULL);
	assert_non_null(strstr(rf_find(fl, "events-unauthorized",
	    "EX02")->explanation, "on connector node RMS02"));
}

/* Problems that were solved later are history, not findings: a 2001
 * before the server was authorized (a 1002 since), a 3001 followed by
 * list refreshes, a 2003 followed by a 1004 listing accounts, a 3000
 * followed by successes, a 2002 followed by a switch to HTTPS (1003). */
static void
test_events_solved_later(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n1 = rf_node_now(fl, "RMS01"), *n2 = rf_node_now(fl, "RMS02");

	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX03", "v15"), "CONTOSO\\EX03$", NULL, NULL);
	rf_evt(n1, 2001, "CONTOSO\\EX01$", "EX01.contoso.com", 30,
	    "2026-10-02T09:00:00Z", "2026-10-02T10:00:00Z");
	rf_evt(n2, 1002, "CONTOSO\\EX01$", "EX01.contoso.com", 1,
	    "2026-10-02T10:20:00Z", "2026-10-02T10:20:00Z");
	rf_evt(n1, 1002, "CONTOSO\\EX02$", "EX02.contoso.com", 1,
	    "2026-10-03T00:00:00Z", "2026-10-03T00:00:00Z");
	rf_evt(n1, 2002, "CONTOSO\\EX02$", "EX02.contoso.com", 5,
	    "2026-10-03T00:00:00Z", "2026-10-04T00:00:00Z");
	rf_evt(n1, 1003, "CONTOSO\\EX02$", "EX02.contoso.com", 1,
	    "2026-10-05T00:00:00Z", "2026-10-05T00:00:00Z");
	rf_evt(n2, 1002, "CONTOSO\\EX03$", "EX03.contoso.com", 1,
	    "2026-10-03T00:00:00Z", "2026-10-03T00:00:00Z");
	rf_evt(n2, 3001, NULL, NULL, 200, "2026-10-10T00:00:00Z",
	    "2026-11-12T00:00:00Z");
	rf_evt(n1, 2003, NULL, NULL, 1, "2026-10-01T00:00:00Z",
	    "2026-10-01T00:00:00Z");
	rf_evt(n1, 3000, NULL, NULL, 2, "2026-10-02T00:00:00Z",
	    "2026-10-02T00:00:00Z");
	rf_expect(fl, NULL);
}

/* The same events in the other order are current problems, and say
 * what they were compared with and what window was seen. */
static void
test_events_still_current(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n1 = rf_node_now(fl, "RMS01"), *n2 = rf_node_now(fl, "RMS02");
	const irmf_finding *f;

	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX03", "v15"), "CONTOSO\\EX03$", NULL, NULL);
	rf_evt(n2, 1002, "CONTOSO\\EX01$", "EX01.contoso.com", 1,
	    "2026-10-02T10:20:00Z", "2026-10-02T10:20:00Z");
	rf_evt(n1, 2001, "CONTOSO\\EX01$", "EX01.contoso.com", 30,
	    "2026-11-02T09:00:00Z", "2026-11-19T10:00:00Z");
	rf_evt(n1, 1003, "CONTOSO\\EX02$", "EX02.contoso.com", 1,
	    "2026-10-05T00:00:00Z", "2026-10-05T00:00:00Z");
	rf_evt(n1, 2002, "CONTOSO\\EX02$", "EX02.contoso.com", 5,
	    "2026-10-06T00:00:00Z", "2026-10-07T00:00:00Z");
	rf_evt(n2, 1002, "CONTOSO\\EX03$", "EX03.contoso.com", 1,
	    "2026-10-03T00:00:00Z", "2026-10-03T00:00:00Z");
	/* the list was refreshed before the failures, never after */
	rf_evt(n2, 3001, NULL, NULL, 4, "2026-11-20T07:00:00Z",
	    "2026-11-20T07:55:00Z");
	/* a 1004 that listed no account does not end an empty list */
	rf_evt(n1, 2003, NULL, NULL, 1, "2026-11-20T07:51:00Z",
	    "2026-11-20T07:51:00Z");
	rf_evt(n1, 1004, NULL, NULL, 1, "2026-11-20T07:52:00Z",
	    "2026-11-20T07:52:00Z");
	rf_expect(fl, "events-unauthorized EX01 rule", "events-http EX02 rule",
	    "connector-event-3001 RMS02 rule",
	    "connector-event-2003 RMS01 rule", NULL);
	f = rf_find(fl, "events-unauthorized", "EX01");
	assert_non_null(strstr(f->value, "the latest 2026-11-19T10:00:00Z on "
	    "RMS01"));
	assert_non_null(strstr(f->value, "the last 1002/1003 for it is "
	    "older"));
	assert_string_equal(f->distribution, "RMS01: whole log");
	f = rf_find(fl, "connector-event-3001", "RMS02");
	assert_non_null(strstr(f->distribution, "2026-11-20T07:50:00Z"));
	f = rf_find(fl, "events-http", "EX02");
	assert_non_null(strstr(f->value, "the last switch to HTTPS (1003) is "
	    "older"));
}

/* A 1002 window that is neither the whole log nor reaches back to the
 * node's last service start cannot show that a server never connected:
 * "not checked", not an error.  Reaching back to a 1000 it can. */
static void
test_events_window_short(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n = rf_node(fl, "RMS01");
	const irmf_finding *f;

	assert_int_equal(irmf_snapshot_add_event_window(n,
	    "1000 1001 1002 1003", 500, false, "2026-11-19T00:00:00Z"), 0);
	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	rf_evt(n, 1002, "CONTOSO\\EX01$", "EX01.contoso.com", 500,
	    "2026-11-19T00:00:00Z", "2026-11-20T00:00:00Z");
	rf_expect(fl, "events-no-access EX02 not-collected", NULL);
	f = rf_find(fl, "events-no-access", "EX02");
	assert_int_equal(f->severity, IRMF_SEV_INFO);
	assert_non_null(strstr(f->explanation, "window too short to judge"));
	assert_string_equal(f->value, "RMS01: newest 500 events, since "
	    "2026-11-19T00:00:00Z");
	/* the service started inside the window: judged */
	rf_evt(n, 1000, NULL, NULL, 1, "2026-11-19T06:00:00Z",
	    "2026-11-19T06:00:00Z");
	rf_expect(fl, "events-no-access EX02 rule", NULL);
	assert_string_equal(rf_find(fl, "events-no-access", "EX02")->distribution,
	    "RMS01: newest 500 events, since 2026-11-19T00:00:00Z");
}

/* The list is downloaded every 15 minutes (1004); a node whose last 1004
 * is over an hour older than its collection warns. */
static void
test_list_refresh(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n1 = rf_node_now(fl, "RMS01"), *n2 = rf_node(fl, "RMS02");
	irmf_snapshot *n3 = rf_node(fl, "RMS03"), *n4 = rf_node(fl, "RMS04");
	const irmf_finding *f;

	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	rf_evt(n1, 1002, "CONTOSO\\EX01$", "EX01.contoso.com", 1, T0, T0);
	/* RMS02: last refresh two hours before collection */
	assert_int_equal(irmf_snapshot_set_collected_at(n2, T0), 0);
	assert_int_equal(irmf_snapshot_add_event_window(n2, "1004", 500,
	    false, "2026-11-18T00:00:00Z"), 0);
	rf_evt(n2, 1004, NULL, NULL, 500, "2026-11-18T00:00:00Z",
	    "2026-11-20T06:00:00Z");
	/* RMS03: no 1004 in the whole log */
	assert_int_equal(irmf_snapshot_set_collected_at(n3, T0), 0);
	assert_int_equal(irmf_snapshot_add_event_window(n3, "1004", 0, true,
	    NULL), 0);
	/* RMS04: an export of unknown coverage without 1004: not judged */
	assert_int_equal(irmf_snapshot_set_collected_at(n4, T0), 0);
	rf_evt(n4, 1000, NULL, NULL, 1, "2026-11-01T00:00:00Z",
	    "2026-11-01T00:00:00Z");
	rf_expect(fl, "connector-list-refresh RMS02 rule",
	    "connector-list-refresh RMS03 rule", NULL);
	f = rf_find(fl, "connector-list-refresh", "RMS02");
	assert_int_equal(f->severity, IRMF_SEV_WARNING);
	assert_string_equal(f->value, "last 1004 at 2026-11-20T06:00:00Z, "
	    "120 minutes before collection (" T0 ")");
	assert_string_equal(f->distribution, "RMS02: newest 500 events, since "
	    "2026-11-18T00:00:00Z");
	assert_non_null(strstr(rf_find(fl, "connector-list-refresh",
	    "RMS03")->value, "no 1004"));
}

/* Schemes are compared within a role: FCI file servers on http by
 * design beside Exchange on https is no finding, for the registry and
 * for the events (2002); an Exchange server on http among Exchange
 * servers on https still is. */
static void
test_scheme_within_role(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n = rf_node_now(fl, "RMS01"), *s;
	const char *http = "http://rmscon.contoso.com";

	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX03", "v15"), "CONTOSO\\EX03$", NULL, NULL);
	s = rf_msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	rf_reg(s, K_MSDRM "\\Activation", "", "http://rmscon.contoso.com"
	    "/_wmcs/certification");
	rf_reg(s, K_MSDRM "\\EnterprisePublishing", "", "http://rmscon.contoso"
	    ".com/_wmcs/licensing");
	rf_ident(s, "CONTOSO\\FS01$", NULL, NULL);
	for (int i = 1; i <= 3; i++) {
		char acc[32], comp[32];
		snprintf(acc, sizeof(acc), "CONTOSO\\EX0%d$", i);
		snprintf(comp, sizeof(comp), "EX0%d.contoso.com", i);
		rf_evt(n, 1002, acc, comp, 1, "2026-10-02T00:00:00Z",
		    "2026-10-02T00:00:00Z");
	}
	rf_evt(n, 1002, "CONTOSO\\FS01$", "FS01.contoso.com", 1,
	    "2026-10-02T00:00:00Z", "2026-10-02T00:00:00Z");
	rf_evt(n, 2002, "CONTOSO\\FS01$", "FS01.contoso.com", 1,
	    "2026-10-02T00:00:00Z", "2026-10-02T00:00:00Z");
	rf_expect(fl, NULL);
	/* EX03 on http among Exchange servers on https */
	s = fl->s[3];
	rf_reg(s, K_EX15 "\\CertificationServerRedirection", TENANT, http);
	rf_reg(s, K_EX15 "\\LicenseServerRedirection", TENANT, http);
	rf_evt(n, 2002, "CONTOSO\\EX03$", "EX03.contoso.com", 1,
	    "2026-10-03T00:00:00Z", "2026-10-03T00:00:00Z");
	rf_expect(fl, "connector-url-scheme EX03 rule", "events-http EX03 rule",
	    NULL);
	assert_non_null(strstr(rf_find(fl, "events-http", "EX03")->distribution,
	    "2 Exchange servers connect over HTTPS"));
}

/* Problems a node logs about itself: 2000 (the connector cannot reach
 * Microsoft RMS) and 3000 (it cannot download the list), each one finding
 * on the node that logged it, with its count and time span. */
static void
test_event_node_kinds(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n1 = rf_node(fl, "RMS01"), *n2 = rf_node(fl, "RMS02");
	const irmf_finding *f;

	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	rf_ev(n1, 1002, "CONTOSO\\EX01$", "EX01.contoso.com", 1);
	rf_ev(n2, 2000, NULL, NULL, 5);
	rf_ev(n2, 3000, NULL, NULL, 2);
	rf_expect(fl, "connector-event-2000 RMS02 rule",
	    "connector-event-3000 RMS02 rule", NULL);
	f = rf_find(fl, "connector-event-2000", "RMS02");
	assert_string_equal(f->setting, "events:2000");
	assert_string_equal(f->value,
	    "5 events 2000 (2026-11-01T08:00:00Z .. 2026-11-20T08:00:00Z)");
	assert_string_equal(rf_find(fl, "connector-event-3000",
	    "RMS02")->setting, "events:3000");
}

/* Must run last: every rule of rules_events.c fired above. */
static void
test_every_rule_fired(void **state)
{
	(void)state;
	rf_assert_module_fired("events");
}

#define T(f) cmocka_unit_test_setup_teardown(f, rf_setup, rf_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_events),
		T(test_events_node_failed),
		T(test_events_solved_later),
		T(test_events_still_current),
		T(test_events_window_short),
		T(test_list_refresh),
		T(test_scheme_within_role),
		T(test_event_node_kinds),
		cmocka_unit_test(test_every_rule_fired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
