/*
 * report_fixture.c - the small analysed fleets the reporter tests share
 * (test_report_text.c, test_report_json.c, test_report_group.c,
 * test_report_brief.c, test_report_junit.c, test_report_monitor.c), built
 * in C so that each reporter is checked against the same findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fixture.h"
#include "irmfleet/errors.h"

irmf_snapshot *
rpt_server(const char *name, const char *conn)
{
	irmf_snapshot *s;
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_new(&s, name), 0);
	s->roles = IRMF_ROLE_EXCHANGE;
	irmf_snapshot_set_product(s, "Exchange Server 2016", "15.1.2507.6");
	assert_int_equal(irmf_snapshot_reg_key(s,
	    IRM15 "\\LicenseServerRedirection", &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, TENANT, IRMF_REG_SZ, conn), 0);
	return s;
}

/* EX01..EX03 agree, EX04 uses http, EX05 could not be reached. */
void
rpt_fleet(irmf_result *r)
{
	irmf_snapshot *s;

	memset(r, 0, sizeof(*r));
	irmf_fleet_add(&r->fleet, rpt_server("EX01", "https://rmscon.contoso.com"),
	    NULL);
	irmf_fleet_add(&r->fleet, rpt_server("EX02", "https://rmscon.contoso.com"),
	    NULL);
	irmf_fleet_add(&r->fleet, rpt_server("EX03", "https://rmscon.contoso.com"),
	    NULL);
	irmf_fleet_add(&r->fleet, rpt_server("EX04", "http://rmscon.contoso.com"),
	    NULL);
	assert_int_equal(irmf_snapshot_new(&s, "EX05"), 0);
	s->roles = IRMF_ROLE_EXCHANGE;
	irmf_snapshot_set_product(s, "Exchange Server 2016", "15.1.2507.6");
	irmf_snapshot_add_error(s, "host", IRMF_REASON_TIMEOUT,
	    "no answer in 30 s");
	irmf_fleet_add(&r->fleet, s, NULL);
	assert_int_equal(irmf_result_analyze(r, IRMF_ANALYZE_CONSENSUS), 0);
	assert_int_equal(r->findings.n, 2);
}

char *
rpt_render(const irmf_result *r, int json, unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (json)
		assert_int_equal(irmf_report_json(r, f, flags), 0);
	else
		assert_int_equal(irmf_report_text(r, f, flags), 0);
	fclose(f);
	return buf;
}

/* An Exchange server with keys under `ver`, ExSetup.exe's version and
 * Get-ExchangeServer's build (each may be NULL). */
irmf_snapshot *
rpt_exch(const char *name, const char *ver, const char *exsetup,
    const char *build, const char *conn)
{
	irmf_snapshot *s;
	irmf_reg_key *k;
	char path[256];

	assert_int_equal(irmf_snapshot_new(&s, name), 0);
	s->roles = IRMF_ROLE_EXCHANGE;
	if (build != NULL)
		assert_int_equal(irmf_snapshot_set_product(s, NULL, build), 0);
	if (exsetup != NULL)
		assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
		    exsetup), 0);
	snprintf(path, sizeof(path), "%s\\LicenseServerRedirection",
	    strcmp(ver, "v14") == 0 ? IRM14 : IRM15);
	assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, TENANT, IRMF_REG_SZ, conn), 0);
	return s;
}

/* Three Exchange 2010 servers (EX10A the http outlier, its generation
 * from ExSetup.exe; EX10C's from the service-pack level only), two 2013+
 * servers known by their IRM keys alone (EX05 the outlier), EX06 whose
 * ExSetup.exe and Get-ExchangeServer disagree, and a connector node whose
 * events could not be read. */
void
rpt_identity_fleet(irmf_result *r)
{
	irmf_snapshot *s;

	memset(r, 0, sizeof(*r));
	irmf_fleet_add(&r->fleet, rpt_exch("EX10A", "v14", "14.3.389.1",
	    "14.3.123.4", "http://rmscon.contoso.com"), NULL);
	irmf_fleet_add(&r->fleet, rpt_exch("EX10B", "v14", "14.3.389.1", NULL,
	    "https://rmscon.contoso.com"), NULL);
	irmf_fleet_add(&r->fleet, rpt_exch("EX10C", "v14", NULL, "14.3.123.4",
	    "https://rmscon.contoso.com"), NULL);
	irmf_fleet_add(&r->fleet, rpt_exch("EX04", "v15", NULL, NULL,
	    "https://rmscon.contoso.com"), NULL);
	irmf_fleet_add(&r->fleet, rpt_exch("EX05", "v15", NULL, NULL,
	    "http://rmscon.contoso.com"), NULL);
	irmf_fleet_add(&r->fleet, rpt_exch("EX06", "v15", "14.3.389.1",
	    "15.1.2507.6", "https://rmscon.contoso.com"), NULL);
	assert_int_equal(irmf_snapshot_new(&s, "RMSCON01"), 0);
	s->roles = IRMF_ROLE_CONNECTOR;
	assert_int_equal(irmf_snapshot_add_error(s, "events",
	    IRMF_REASON_TIMEOUT, NULL), 0);
	irmf_fleet_add(&r->fleet, s, NULL);
	assert_int_equal(irmf_result_analyze(r, IRMF_ANALYZE_ALL), 0);
}

char *
rpt_render_with(const irmf_result *r, rpt_reporter fn, unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fn(r, f, flags), 0);
	fclose(f);
	return buf;
}

/* The fleet above plus the event rule EX04's http URL triggers: with the
 * outlier it is one root cause (connector URLs). */
void
rpt_fleet_with_event(irmf_result *r)
{
	irmf_finding ev = { .server = "EX04", .cohort = "exchange-v15",
	    .setting = "events:2002", .kind = IRMF_FIND_RULE,
	    .severity = IRMF_SEV_WARNING, .rule_id = "events-http",
	    .value = "3 non-secure (HTTP) connection events",
	    .explanation = "The connector logged HTTP connections.",
	    .remediation = "Use https:// connector URLs." };

	rpt_fleet(r);
	assert_int_equal(irmf_findings_add(&r->findings, &ev), 0);
	irmf_findings_sort(&r->findings);
}
