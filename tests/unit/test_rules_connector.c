/*
 * test_rules_connector.c - the connector-side rules
 * (compare/rules/rules_connector.c): the connector installed on a client,
 * probes of the connector URL, and the fleet-wide outage (no server
 * reaches the connector) from events or probes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_fixture.h"

static void
test_probes(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;
	const char *u = CONN "/_wmcs/certification/servercertification.asmx";
	const irmf_finding *f;

	s = rf_exch(fl, "EX01", "v15");
	assert_int_equal(irmf_snapshot_add_probe(s, u, IRMF_PROBE_HTTP, 401,
	    NULL), 0);
	s = rf_exch(fl, "EX02", "v15");
	assert_int_equal(irmf_snapshot_add_probe(s,
	    "HTTPS://RMSCON.contoso.com/_wmcs/certification/ServerCertification.asmx/",
	    IRMF_PROBE_HTTP, 200, NULL), 0);
	s = rf_exch(fl, "EX03", "v15");
	assert_int_equal(irmf_snapshot_add_probe(s, u, IRMF_PROBE_DNS, 0,
	    "name not found"), 0);
	s = rf_exch(fl, "EX04", "v15");
	assert_int_equal(irmf_snapshot_add_error(s, "probe:" CONN,
	    IRMF_REASON_COMMAND_FAILED, "Invoke-WebRequest missing"), 0);
	s = rf_sp13(fl, "SP01");   /* nobody reaches this one: not SP01's fault */
	assert_int_equal(irmf_snapshot_add_probe(s, "http://old.contoso.com",
	    IRMF_PROBE_TIMEOUT, 0, NULL), 0);
	rf_expect(fl, "probe-unreachable EX03 rule",
	    "probe-unreachable EX04 not-collected", NULL);
	f = rf_find(fl, "probe-unreachable", "EX03");
	assert_string_equal(f->setting, "probe:" CONN
	    "/_wmcs/certification/servercertification.asmx");
	/* the URL that was probed is named */
	assert_string_equal(f->value, "dns: name not found (probed " CONN
	    "/_wmcs/certification/servercertification.asmx)");
}

/* No 1002 on any node over whole-log windows: nobody reaches the
 * connector.  One fleet-wide error says so; the per-server rules stay
 * silent (no peer does better). */
static void
test_fleet_outage_events(void **state)
{
	rf_fleet *fl = *state;
	const irmf_finding *f;

	rf_node_now(fl, "RMS01");
	rf_node_now(fl, "RMS02");
	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	rf_ident(rf_sp13(fl, "SP01"), NULL, NULL, "CONTOSO\\svc-sp");
	rf_expect(fl, "connector-unreachable - rule", NULL);
	f = rf_find(fl, "connector-unreachable", NULL);
	assert_int_equal(f->severity, IRMF_SEV_ERROR);
	assert_string_equal(f->cohort, "connector");
	assert_string_equal(f->setting, "events:1002");
	assert_string_equal(f->value, "no server reaches the connector: no "
	    "1002 (access allowed) on any of the 2 connector nodes (RMS01: "
	    "whole log; RMS02: whole log)");
	assert_non_null(strstr(f->explanation, "NO SERVER REACHES"));
	assert_non_null(strstr(f->remediation, CONN));
	/* the same with the threaded engine: still exactly one */
	irmf_findings_clear(&fl->f);
	assert_int_equal(irmf_rules_run_threads(fl->s, fl->n, &fl->f, 4), 0);
	assert_int_equal(fl->f.n, 1);
}

/* No 1002 in windows too short to contain one: unknown, not an outage. */
static void
test_fleet_outage_window_short(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n = rf_node(fl, "RMS01");

	assert_int_equal(irmf_snapshot_add_event_window(n,
	    "1000 1001 1002 1003", 0, false, NULL), 0);
	rf_evt(n, 1004, NULL, NULL, 500, "2026-11-19T00:00:00Z",
	    "2026-11-20T00:00:00Z");
	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	rf_expect(fl, "connector-unreachable - not-collected", NULL);
	assert_int_equal(rf_find(fl, "connector-unreachable", NULL)->severity,
	    IRMF_SEV_INFO);
}

/* Every probe of the connector fails: the same outage.  Probes of the
 * Microsoft RMS tenant URL (older collections probed MSDRM's tenant URL
 * on Exchange) are no probe of the connector and are ignored. */
static void
test_fleet_outage_probes(void **state)
{
	rf_fleet *fl = *state;
	const char *u = CONN "/_wmcs/certification/servercertification.asmx";
	const char *t = TENANT "/_wmcs/certification/servercertification.asmx";
	irmf_snapshot *s1 = rf_exch(fl, "EX01", "v15");
	irmf_snapshot *s2 = rf_exch(fl, "EX02", "v15");
	const irmf_finding *f;

	assert_int_equal(irmf_snapshot_add_probe(s1, u, IRMF_PROBE_HTTP, 401,
	    NULL), 0);
	assert_int_equal(irmf_snapshot_add_probe(s1, t, IRMF_PROBE_TIMEOUT, 0,
	    NULL), 0);
	assert_int_equal(irmf_snapshot_add_probe(s2, u, IRMF_PROBE_HTTP, 401,
	    NULL), 0);
	assert_int_equal(irmf_snapshot_add_probe(s2, t, IRMF_PROBE_HTTP, 404,
	    NULL), 0);
	assert_int_equal(irmf_snapshot_add_error(s2, "probe:" TENANT,
	    IRMF_REASON_TIMEOUT, "timed out"), 0);
	rf_expect(fl, NULL);
	/* now nobody gets an answer from the connector */
	s1->probes[0].result = IRMF_PROBE_DNS;
	s2->probes[0].result = IRMF_PROBE_CONNECT;
	rf_expect(fl, "connector-unreachable - rule", NULL);
	f = rf_find(fl, "connector-unreachable", NULL);
	assert_string_equal(f->setting, "probe:connector");
	assert_string_equal(f->value, "no server reaches the connector: all 2 "
	    "probes of the connector from 2 servers got no HTTP answer");
}

static void
test_more_node_and_client_rules(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n1 = rf_node(fl, "RMS01"), *n2 = rf_node(fl, "RMS02"), *s;

	n1->has_authorizations = true;   /* downloaded, but empty */
	rf_ev(n1, 2003, NULL, NULL, 1);
	rf_ev(n2, 2000, NULL, NULL, 5);
	rf_ev(n2, 3000, NULL, NULL, 2);
	s = rf_msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	rf_unreg(s, K_MSDRM "\\EnterprisePublishing");
	rf_ident(s, "CONTOSO\\FS01$", NULL, NULL);
	/* the connector installed on an Exchange server */
	s = rf_exch(fl, "EX01", "v15");
	s->roles |= IRMF_ROLE_CONNECTOR;
	rf_expect(fl, "connector-on-client EX01 rule", "auth-list-empty RMS01 rule",
	    "connector-event-2003 RMS01 rule",
	    "connector-event-2000 RMS02 rule",
	    "connector-event-3000 RMS02 rule",
	    "msdrm-connector-publishing FS01 rule",
	    "auth-not-authorized FS01 rule",
	    /* no 1002 anywhere, in exports of unknown coverage */
	    "connector-unreachable - not-collected", NULL);
	assert_int_equal(rf_find(fl, "connector-event-2003", "RMS01")->severity,
	    IRMF_SEV_WARNING);
}

/* Must run last: every rule of rules_connector.c fired above. */
static void
test_every_rule_fired(void **state)
{
	(void)state;
	rf_assert_module_fired("connector");
}

#define T(f) cmocka_unit_test_setup_teardown(f, rf_setup, rf_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_probes),
		T(test_fleet_outage_events),
		T(test_fleet_outage_window_short),
		T(test_fleet_outage_probes),
		T(test_more_node_and_client_rules),
		cmocka_unit_test(test_every_rule_fired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
