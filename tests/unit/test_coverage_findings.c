/*
 * test_coverage_findings.c - compare's coverage findings
 * (compare/coverage_findings.c), driven through irmf_result_analyze on
 * small fleets built in C: a server that lacks an area its cohort's peers
 * have is "not collected", once, and never twice with another finding.
 * Each fleet case asserts the complete list of coverage findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_fixture.h"

static void
add(irmf_result *r, irmf_snapshot *s)
{
	assert_int_equal(irmf_fleet_add(&r->fleet, s, NULL), 0);
}

typedef struct want {
	const char *server;
	const char *setting;   /* "coverage:<area>" */
} want;

/* The coverage findings are exactly w (in report order), each a
 * not-collected warning. */
static void
expect(irmf_result *r, const want *w, size_t n)
{
	assert_int_equal(irmf_result_analyze(r, IRMF_ANALYZE_COVERAGE), 0);
	for (size_t i = 0; i < r->findings.n; i++)
		fprintf(stderr, "  finding %zu: %s %s\n", i,
		    r->findings.items[i].server, r->findings.items[i].setting);
	assert_int_equal(r->findings.n, n);
	for (size_t i = 0; i < n; i++) {
		const irmf_finding *f = &r->findings.items[i];
		assert_string_equal(f->server, w[i].server);
		assert_string_equal(f->setting, w[i].setting);
		assert_int_equal(f->kind, IRMF_FIND_NOT_COLLECTED);
		assert_int_equal(f->severity, IRMF_SEV_WARNING);
		assert_null(f->rule_id);
	}
}

/* The case of the issue: EX07 imported from Get-IRMConfiguration alone,
 * its peers from .reg files, file versions and gpresult.  Its generation
 * is unknown, which the server-identity rule reports with what to
 * export, so coverage does not say it again; and its export of the
 * organisation's IRM configuration covers its peers, which have none. */
static void
test_irm_config_only_server(void **state)
{
	irmf_result r = { 0 };
	irmf_snapshot *ex07 = cov_snap("EX07", IRMF_ROLE_EXCHANGE);
	irmf_compare_counts counts;
	const irmf_finding *f;
	want w[] = {
		{ "EX07", "coverage:files" },
		{ "EX07", "coverage:identity" },
		{ "EX07", "coverage:registry" },
	};

	(void)state;
	add(&r, cov_exchange_files("EX01"));
	add(&r, cov_exchange_files("EX02"));
	add(&r, cov_exchange_files("EX03"));
	cov_add_irm_config(ex07);
	add(&r, ex07);
	expect(&r, w, 3);
	f = &r.findings.items[2];
	assert_string_equal(f->cohort, "exchange-unknown");
	assert_string_equal(f->explanation, "EX07 was not checked for "
	    "registry: its import has no registry export of the IRM keys "
	    "(ExchangeServer\\v15\\IRM or v14\\IRM, MSDRM), while 3 of 3 "
	    "peers have it; what it has there is unknown, so it is counted "
	    "neither as consistent with its peers nor as an outlier.");
	assert_non_null(strstr(f->remediation, "Export it on EX07: reg export "
	    "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM irm.reg"));
	assert_non_null(strstr(f->remediation, "then import it with the "
	    "server's other files"));
	assert_null(tu_fix_unsafe(f->remediation, NULL, 0));
	/* not-collected: compare exits 3 */
	irmf_result_counts(&r, &counts);
	assert_int_equal(counts.not_collected, 3);
	irmf_result_clear(&r);
}

/* GenConnectorConfig's .reg files alone on every server: nobody exported
 * more, so nothing is known to be missing. */
static void
test_uniform_partial_fleet(void **state)
{
	irmf_result r = { 0 };
	char name[8];

	(void)state;
	for (int i = 1; i <= 4; i++) {
		irmf_snapshot *s;
		snprintf(name, sizeof(name), "EX%02d", i);
		s = cov_snap(name, IRMF_ROLE_EXCHANGE);
		cov_add_v15_keys(s);
		add(&r, s);
	}
	expect(&r, NULL, 0);
	irmf_result_clear(&r);
}

/* A server with the IRM keys only, among peers with files: its
 * generation comes from the keys alone, so the missing ExSetup.exe is
 * reported here (server-identity does not fire). */
static void
test_generation_evidence_gap(void **state)
{
	irmf_result r = { 0 };
	irmf_snapshot *ex04 = cov_snap("EX04", IRMF_ROLE_EXCHANGE);
	want w[] = {
		{ "EX04", "coverage:files" },
		{ "EX04", "coverage:generation" },
		{ "EX04", "coverage:identity" },
	};
	const irmf_finding *f;

	(void)state;
	add(&r, cov_exchange_full("EX01"));
	add(&r, cov_exchange_full("EX02"));
	/* no Get-IRMConfiguration either: the organisation's, which its
	 * peers' exports cover */
	cov_add_v15_keys(ex04);
	add(&r, ex04);
	expect(&r, w, 3);
	f = &r.findings.items[1];
	assert_string_equal(f->cohort, "exchange-v15");
	assert_non_null(strstr(f->explanation, "no generation evidence "
	    "(ExSetup.exe version, ExchangeServer\\v15|v14\\Setup key or "
	    "Get-ExchangeServer), while 2 of 2 peers have it"));
	irmf_result_clear(&r);
}

/* Collected snapshots are never judged (collect asks for every area and
 * records failures), and a failed area is reported once, by its
 * collection error. */
static void
test_collected_and_failed_not_repeated(void **state)
{
	irmf_result r = { 0 };
	irmf_snapshot *ex02 = cov_exchange_full("EX02");
	irmf_snapshot *ex03 = cov_exchange_full("EX03");
	irmf_snapshot *ex04 = cov_exchange_full("EX04");
	want w[] = {
		{ "EX04", "file:ExSetup.exe" },
		{ "EX04", "file:msdrm.dll" },
		{ "EX04", "groups" },
	};

	(void)state;
	add(&r, cov_exchange_full("EX01"));
	/* collected: no files found is what it has */
	ex02->method = IRMF_METHOD_SSH;
	cov_drop_files(ex02);
	cov_drop_groups(ex02);
	add(&r, ex02);
	add(&r, ex03);
	/* imported, but its files and groups failed (a hand-made snapshot
	 * or an old one): the collection errors say it */
	cov_drop_files(ex04);
	assert_int_equal(irmf_snapshot_add_error(ex04, "file:msdrm.dll",
	    IRMF_REASON_TIMEOUT, NULL), 0);
	assert_int_equal(irmf_snapshot_add_error(ex04, "file:ExSetup.exe",
	    IRMF_REASON_TIMEOUT, NULL), 0);
	assert_int_equal(irmf_snapshot_add_error(ex04, "groups",
	    IRMF_REASON_ACCESS_DENIED, NULL), 0);
	cov_drop_groups(ex04);
	add(&r, ex04);
	/* only the collection errors' own findings */
	assert_int_equal(irmf_result_analyze(&r, IRMF_ANALYZE_COVERAGE), 0);
	for (size_t i = 0; i < r.findings.n; i++)
		fprintf(stderr, "  finding %zu: %s %s\n", i,
		    r.findings.items[i].server, r.findings.items[i].setting);
	assert_int_equal(r.findings.n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(r.findings.items[i].server, w[i].server);
		assert_string_equal(r.findings.items[i].setting, w[i].setting);
	}
	irmf_result_clear(&r);
}

/* Peers are the cohort: Exchange 2010 is not judged by 2013+ servers,
 * SharePoint not by Exchange; a server of unknown generation is judged
 * by its product's servers. */
static void
test_peers_are_the_cohort(void **state)
{
	irmf_result r = { 0 };
	irmf_snapshot *ex10 = cov_snap("EX10", IRMF_ROLE_EXCHANGE);
	irmf_snapshot *sp01 = cov_snap("SP01", IRMF_ROLE_SHAREPOINT);
	irmf_snapshot *sp02 = cov_snap("SP02", IRMF_ROLE_SHAREPOINT);
	irmf_snapshot *spx = cov_snap("SPX", IRMF_ROLE_SHAREPOINT);
	want w[] = {
		{ "SP02", "coverage:files" },
		{ "SPX", "coverage:files" },
		{ "SPX", "coverage:registry" },
	};

	(void)state;
	add(&r, cov_exchange_full("EX01"));
	add(&r, cov_exchange_full("EX02"));
	/* Exchange 2010, its v14 keys only: alone in its cohort */
	cov_set_sz(ex10, HKMS "ExchangeServer\\v14\\IRM\\LicenseServerRedirection",
	    TENANT, CONN);
	add(&r, ex10);
	/* SharePoint 2013+ servers with MSIPC keys and msipc.dll but no
	 * groups (the Exchange servers' groups do not count) */
	cov_set_sz(sp01, HKMS "MSIPC\\ServiceLocation\\EnterpriseCertification",
	    "", CONN "/_wmcs/certification");
	assert_int_equal(irmf_snapshot_file_set(sp01, "msipc.dll", NULL,
	    "1.0.4000.0"), 0);
	cov_set_sz(sp02, HKMS "MSIPC\\ServiceLocation\\EnterpriseCertification",
	    "", CONN "/_wmcs/certification");
	add(&r, sp01);
	add(&r, sp02);
	/* a SharePoint server of unknown generation (nothing exported, say
	 * a gpresult.txt that failed to parse): judged by SP01 and SP02,
	 * and SP02 by SP01 and it */
	add(&r, spx);
	expect(&r, w, 3);
	assert_string_equal(r.findings.items[0].cohort, "sharepoint-2013+");
	assert_non_null(strstr(r.findings.items[0].explanation,
	    "while 1 of 2 peers have it"));
	assert_string_equal(r.findings.items[2].cohort, "sharepoint-unknown");
	assert_non_null(strstr(r.findings.items[2].explanation,
	    "while 2 of 2 peers have it"));
	irmf_result_clear(&r);
}

static void
test_connector_areas(void **state)
{
	irmf_result r = { 0 };
	irmf_snapshot *c1 = cov_snap("RMSCON01", IRMF_ROLE_CONNECTOR);
	irmf_snapshot *c2 = cov_snap("RMSCON02", IRMF_ROLE_CONNECTOR);
	want w[] = { { "RMSCON02", "coverage:events" } };

	(void)state;
	c1->has_events = true;
	c1->has_authorizations = true;
	/* the proxy key is optional: its absence on RMSCON02 says nothing */
	cov_set_sz(c1, HKMS "AADRM\\Connector", "ProxyAddress",
	    "http://proxy.contoso.com:8080");
	c2->has_authorizations = true;
	add(&r, c1);
	add(&r, c2);
	expect(&r, w, 1);
	assert_non_null(strstr(r.findings.items[0].remediation,
	    "wevtutil qe Application"));
	irmf_result_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_irm_config_only_server),
		cmocka_unit_test(test_uniform_partial_fleet),
		cmocka_unit_test(test_generation_evidence_gap),
		cmocka_unit_test(test_collected_and_failed_not_repeated),
		cmocka_unit_test(test_peers_are_the_cohort),
		cmocka_unit_test(test_connector_areas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
