/*
 * test_report.c - the text and JSON reporters (compare/report/report_text.c,
 * compare/report/report_json.c) on a small analysed fleet: summary first,
 * grouping, colours only on request, the documented JSON shape, and
 * every server's identity (generation, build, evidence) in both.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "compare_int.h"
#include "report.h"
#include "irmfleet/errors.h"

#define TENANT "https://contoso.rms.na.aadrm.com"
#define IRM15 "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM"
#define ID15 " (exchange-v15; Exchange 2013 or later from " \
	"Get-ExchangeServer 15.1.2507.6)"

static irmf_snapshot *
server(const char *name, const char *conn)
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
static void
fleet(irmf_result *r)
{
	irmf_snapshot *s;

	memset(r, 0, sizeof(*r));
	irmf_fleet_add(&r->fleet, server("EX01", "https://rmscon.contoso.com"),
	    NULL);
	irmf_fleet_add(&r->fleet, server("EX02", "https://rmscon.contoso.com"),
	    NULL);
	irmf_fleet_add(&r->fleet, server("EX03", "https://rmscon.contoso.com"),
	    NULL);
	irmf_fleet_add(&r->fleet, server("EX04", "http://rmscon.contoso.com"),
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

static char *
render(const irmf_result *r, int json, unsigned flags)
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

static void
test_text(void **state)
{
	irmf_result r;
	char *t, *err, *warn;

	(void)state;
	fleet(&r);
	t = render(&r, 0, 0);
	assert_int_equal(strncmp(t, "irmfleet compare: 5 servers in 1 cohort\n",
	    40), 0);
	assert_non_null(strstr(t, "findings: 1 error, 1 warning, 0 info; "
	    "0 suppressed\n"));
	assert_non_null(strstr(t, "not checked: 1 server (EX05)\n"));
	/* each server's header names its cohort and identity */
	err = strstr(t, "\nERRORS\n  EX04" ID15 "\n    outlier  reg:");
	warn = strstr(t, "\nWARNINGS\n  EX05" ID15 "\n"
	    "    not-collected  host\n");
	assert_non_null(strstr(t, "\n  exchange-v15           5 servers  "
	    "(5 by product build)\n"));
	assert_non_null(err);
	assert_non_null(warn);
	assert_true(err < warn);
	assert_non_null(strstr(t, "      distribution: 3 of 4 servers: " TENANT
	    " => https://rmscon.contoso.com; EX04: " TENANT
	    " => http://rmscon.contoso.com\n"));
	assert_non_null(strstr(t, "\nNOT CHECKED (1 item on 1 server)\n"
	    "  EX05: host (timeout: no answer in 30 s)\n"));
	assert_null(strchr(t, '\033'));
	/* no line is wider than the wrap width, except commands */
	for (char *line = t; line && *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		if (strstr(line, "reg ") != line + 8 &&
		    strstr(line, ID15) == NULL &&
		    strncmp(line, "      distribution", 18) != 0 &&
		    strncmp(line, "      value", 11) != 0 &&
		    strncmp(line, "      expected", 14) != 0 &&
		    strncmp(line, "    outlier", 11) != 0)
			assert_true(len <= 78);
		line = nl ? nl + 1 : NULL;
	}
	free(t);
	t = render(&r, 0, IRMF_REPORT_COLOR);
	assert_non_null(strstr(t, "\033[1;31mERRORS\033[0m"));
	free(t);
	irmf_result_clear(&r);
}

static void
test_text_repeated_advice_once(void **state)
{
	irmf_result r;
	char *t, *first, *second;
	const char *names[] = { "EX01", "EX02", "EX03", "EX04", "EX05" };

	(void)state;
	memset(&r, 0, sizeof(r));
	for (int i = 0; i < 5; i++)
		irmf_fleet_add(&r.fleet, server(names[i], i < 3 ?
		    "https://rmscon.contoso.com" : "http://rmscon.contoso.com"),
		    NULL);
	assert_int_equal(irmf_result_analyze(&r, IRMF_ANALYZE_CONSENSUS), 0);
	assert_int_equal(r.findings.n, 2);
	t = render(&r, 0, 0);
	first = strstr(t, "  EX04" ID15 "\n");
	second = strstr(t, "  EX05" ID15 "\n");
	assert_non_null(first);
	assert_non_null(second);
	assert_non_null(strstr(first, "      why:\n"));
	assert_true(strstr(first, "      why:\n") < second);
	assert_non_null(strstr(second, "      why, fix:     as for EX04 above\n"));
	assert_null(strstr(second, "      why:\n"));
	free(t);
	irmf_result_clear(&r);
}

/* A value holding ESC, CSI (U+009B), DEL and a bidi override, on a server
 * whose name holds ESC: the text report shows them escaped, never raw,
 * and leaves ordinary non-ASCII text alone. */
static void
test_text_escapes_controls(void **state)
{
	irmf_result r;
	char *t;
	const char *names[] = { "EX01", "EX02", "EX03" };

	(void)state;
	memset(&r, 0, sizeof(r));
	for (int i = 0; i < 3; i++)
		irmf_fleet_add(&r.fleet, server(names[i],
		    "https://rmscon.contoso.com/Gr\xc3\xb6\xc3\x9f" "e"), NULL);
	irmf_fleet_add(&r.fleet, server("EX\x1b[2J04", "https://x\x1b[31m"
	    "\xc2\x9b" "1m\x7f\xe2\x80\xae" "moc.evil"), NULL);
	assert_int_equal(irmf_result_analyze(&r, IRMF_ANALYZE_CONSENSUS), 0);
	t = render(&r, 0, 0);
	assert_null(strchr(t, '\033'));
	assert_null(strstr(t, "\xc2\x9b"));
	assert_null(strchr(t, '\x7f'));
	assert_null(strstr(t, "\xe2\x80\xae"));
	assert_non_null(strstr(t, "  EX\\x1b[2J04" ID15 "\n"));
	assert_non_null(strstr(t, "https://x\\x1b[31m\\x9b1m\\x7f\\u202emoc.evil"));
	assert_non_null(strstr(t, "rmscon.contoso.com/Gr\xc3\xb6\xc3\x9f" "e"));
	free(t);
	irmf_result_clear(&r);
}

static void
test_json(void **state)
{
	irmf_result r;
	char *t;
	json_error_t jerr;
	json_t *root, *sum, *f, *nc;
	const char *keys[] = { "server", "cohort", "setting", "kind",
	    "severity", "rule", "value", "expected", "distribution",
	    "explanation", "remediation", "suppressed", "reason" };

	(void)state;
	fleet(&r);
	r.findings.items[0].suppressed = true;
	r.findings.items[0].suppress_reason = strdup("pilot server");
	r.findings.nsuppressed = 1;
	t = render(&r, 1, 0);
	root = json_loads(t, 0, &jerr);
	if (root == NULL)
		fail_msg("invalid json: %s", jerr.text);
	assert_string_equal(json_string_value(json_object_get(root, "format")),
	    "irmfleet-compare");
	assert_int_equal(json_integer_value(json_object_get(root, "version")),
	    1);
	sum = json_object_get(root, "summary");
	assert_int_equal(json_integer_value(json_object_get(sum, "servers")),
	    5);
	assert_int_equal(json_integer_value(json_object_get(sum, "findings")),
	    1);
	assert_int_equal(json_integer_value(json_object_get(sum,
	    "suppressed")), 1);
	assert_int_equal(json_integer_value(json_object_get(sum,
	    "not_checked_servers")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    sum, "by_severity"), "warning")), 1);
	f = json_array_get(json_object_get(root, "cohorts"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "name")),
	    "exchange-v15");
	assert_int_equal(json_array_size(json_object_get(f, "servers")), 5);
	assert_int_equal(json_array_size(json_object_get(root, "findings")),
	    2);
	f = json_array_get(json_object_get(root, "findings"), 0);
	assert_int_equal(json_object_size(f), sizeof(keys) / sizeof(keys[0]));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_non_null(json_object_get(f, keys[i]));
	assert_string_equal(json_string_value(json_object_get(f, "server")),
	    "EX04");
	assert_string_equal(json_string_value(json_object_get(f, "kind")),
	    "outlier");
	assert_true(json_is_null(json_object_get(f, "rule")));
	assert_true(json_is_true(json_object_get(f, "suppressed")));
	assert_string_equal(json_string_value(json_object_get(f, "reason")),
	    "pilot server");
	nc = json_array_get(json_object_get(root, "not_checked"), 0);
	assert_string_equal(json_string_value(json_object_get(nc, "item")),
	    "host");
	assert_string_equal(json_string_value(json_object_get(nc, "reason")),
	    "timeout");
	json_decref(root);
	free(t);
	irmf_result_clear(&r);
}

/* ------------------------------------------------------------ identity */

#define IRM14 "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\IRM"

/* An Exchange server with keys under `ver`, ExSetup.exe's version and
 * Get-ExchangeServer's build (each may be NULL). */
static irmf_snapshot *
exch(const char *name, const char *ver, const char *exsetup,
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
static void
identity_fleet(irmf_result *r)
{
	irmf_snapshot *s;

	memset(r, 0, sizeof(*r));
	irmf_fleet_add(&r->fleet, exch("EX10A", "v14", "14.3.389.1",
	    "14.3.123.4", "http://rmscon.contoso.com"), NULL);
	irmf_fleet_add(&r->fleet, exch("EX10B", "v14", "14.3.389.1", NULL,
	    "https://rmscon.contoso.com"), NULL);
	irmf_fleet_add(&r->fleet, exch("EX10C", "v14", NULL, "14.3.123.4",
	    "https://rmscon.contoso.com"), NULL);
	irmf_fleet_add(&r->fleet, exch("EX04", "v15", NULL, NULL,
	    "https://rmscon.contoso.com"), NULL);
	irmf_fleet_add(&r->fleet, exch("EX05", "v15", NULL, NULL,
	    "http://rmscon.contoso.com"), NULL);
	irmf_fleet_add(&r->fleet, exch("EX06", "v15", "14.3.389.1",
	    "15.1.2507.6", "https://rmscon.contoso.com"), NULL);
	assert_int_equal(irmf_snapshot_new(&s, "RMSCON01"), 0);
	s->roles = IRMF_ROLE_CONNECTOR;
	assert_int_equal(irmf_snapshot_add_error(s, "events",
	    IRMF_REASON_TIMEOUT, NULL), 0);
	irmf_fleet_add(&r->fleet, s, NULL);
	assert_int_equal(irmf_result_analyze(r, IRMF_ANALYZE_ALL), 0);
}

/* The summary counts what decided each cohort's generation and names the
 * servers whose generation is unknown; every server header shows the
 * identity with its evidence (a connector node: its cohort only). */
static void
test_text_identity(void **state)
{
	irmf_result r;
	char *t;

	(void)state;
	identity_fleet(&r);
	t = render(&r, 0, 0);
	assert_non_null(strstr(t, "\n  exchange-v14           3 servers  "
	    "(2 by ExSetup.exe, 1 by product build)\n"));
	assert_non_null(strstr(t, "\n  exchange-v15           2 servers  "
	    "(2 by config keys only)\n"));
	assert_non_null(strstr(t, "\n  exchange-unknown       1 server  "
	    "(1 conflict)\n"));
	assert_non_null(strstr(t, "\n  connector              1 server\n"));
	assert_non_null(strstr(t, "\ngeneration unknown or contradictory: "
	    "1 server (EX06), compared with no peers\n"));
	assert_non_null(strstr(t, "\n  EX10A (exchange-v14; Exchange 2010 "
	    "from ExSetup.exe 14.3.389.1)\n"));
	assert_non_null(strstr(t, "\n  EX05 (exchange-v15; Exchange 2013 or "
	    "later from the IRM keys only)\n"));
	assert_non_null(strstr(t, "\n  EX06 (exchange-unknown; conflict: "
	    "ExSetup.exe 14.3.389.1 says Exchange 2010; Get-ExchangeServer "
	    "15.1.2507.6 says Exchange 2013 or later; ExchangeServer\\v15\\IRM "
	    "IRM keys under v15 says Exchange 2013 or later)\n"));
	assert_non_null(strstr(t, "\n  RMSCON01 (connector)\n"));
	free(t);
	irmf_result_clear(&r);

	/* every generation known: no "unknown" line */
	fleet(&r);
	t = render(&r, 0, 0);
	assert_null(strstr(t, "generation unknown"));
	free(t);
	irmf_result_clear(&r);
}

static json_t *
server_named(json_t *root, const char *name)
{
	json_t *arr = json_object_get(root, "servers"), *o;
	size_t i;

	json_array_foreach(arr, i, o)
		if (strcmp(json_string_value(json_object_get(o, "name")),
		    name) == 0)
			return o;
	fail_msg("no server %s in the JSON servers list", name);
	return NULL;
}

/* "servers": one entry per server, by cohort then name, with cohort,
 * generation, build, its source, whether it is exact, and the evidence
 * strongest first; every field always present (null when not known). */
static void
test_json_identity(void **state)
{
	static const char *const keys[] = { "name", "cohort", "product",
	    "generation", "build", "build_source", "build_exact", "identity",
	    "evidence", "collected_at", "reached" };
	irmf_result r;
	char *t;
	json_error_t jerr;
	json_t *root, *o, *ev, *arr;
	size_t i;

	(void)state;
	identity_fleet(&r);
	t = render(&r, 1, 0);
	if ((root = json_loads(t, 0, &jerr)) == NULL)
		fail_msg("invalid json: %s", jerr.text);
	arr = json_object_get(root, "servers");
	assert_int_equal(json_array_size(arr), 7);
	json_array_foreach(arr, i, o) {
		assert_int_equal(json_object_size(o), 11);
		for (size_t k = 0; k < 11; k++)
			assert_non_null(json_object_get(o, keys[k]));
	}
	/* cohorts in name order, as "cohorts" lists them */
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    arr, 0), "name")), "RMSCON01");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    arr, 1), "name")), "EX06");

	o = server_named(root, "EX10A");
	assert_string_equal(json_string_value(json_object_get(o, "cohort")),
	    "exchange-v14");
	assert_string_equal(json_string_value(json_object_get(o,
	    "generation")), "exchange-2010");
	assert_string_equal(json_string_value(json_object_get(o, "build")),
	    "14.3.389.1");
	assert_string_equal(json_string_value(json_object_get(o,
	    "build_source")), "ExSetup.exe");
	assert_true(json_is_true(json_object_get(o, "build_exact")));
	assert_string_equal(json_string_value(json_object_get(o, "identity")),
	    "Exchange 2010 from ExSetup.exe 14.3.389.1");
	ev = json_object_get(o, "evidence");
	assert_int_equal(json_array_size(ev), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    ev, 0), "rank")), "file");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    ev, 0), "source")), "file:ExSetup.exe");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    ev, 0), "value")), "14.3.389.1");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    ev, 0), "says")), "exchange-2010");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    ev, 2), "rank")), "config-keys");

	o = server_named(root, "EX10C");   /* the service pack level only */
	assert_true(json_is_false(json_object_get(o, "build_exact")));
	assert_string_equal(json_string_value(json_object_get(o,
	    "build_source")), "Get-ExchangeServer AdminDisplayVersion");

	o = server_named(root, "EX05");    /* the keys alone: no build */
	assert_string_equal(json_string_value(json_object_get(o,
	    "generation")), "exchange-2013+");
	assert_true(json_is_null(json_object_get(o, "build")));
	assert_true(json_is_null(json_object_get(o, "build_exact")));

	o = server_named(root, "EX06");
	assert_string_equal(json_string_value(json_object_get(o,
	    "generation")), "conflict");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(o, "evidence"), 1), "says")), "exchange-2013+");

	o = server_named(root, "RMSCON01");
	assert_string_equal(json_string_value(json_object_get(o,
	    "generation")), "none");
	assert_true(json_is_null(json_object_get(o, "identity")));
	assert_int_equal(json_array_size(json_object_get(o, "evidence")), 0);
	json_decref(root);
	free(t);
	irmf_result_clear(&r);
}

typedef int (*reporter)(const irmf_result *, FILE *, unsigned);

static char *
render_with(const irmf_result *r, reporter fn, unsigned flags)
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
static void
fleet_with_event(irmf_result *r)
{
	irmf_finding ev = { .server = "EX04", .cohort = "exchange-v15",
	    .setting = "events:2002", .kind = IRMF_FIND_RULE,
	    .severity = IRMF_SEV_WARNING, .rule_id = "events-http",
	    .value = "3 non-secure (HTTP) connection events",
	    .explanation = "The connector logged HTTP connections.",
	    .remediation = "Use https:// connector URLs." };

	fleet(r);
	assert_int_equal(irmf_findings_add(&r->findings, &ev), 0);
	irmf_findings_sort(&r->findings);
}

static void
test_groups(void **state)
{
	irmf_result r;
	irmf_fgroups gs;
	char *t;

	(void)state;
	fleet_with_event(&r);
	assert_int_equal(irmf_fgroups_build(&r, &gs), 0);
	assert_int_equal(gs.n, 2);
	assert_string_equal(gs.g[0].server, "EX04");
	assert_string_equal(gs.g[0].cause, "connector URLs");
	assert_int_equal(gs.g[0].n, 2);
	assert_int_equal(gs.g[0].worst, IRMF_SEV_ERROR);
	assert_int_equal(gs.g[0].items[0]->kind, IRMF_FIND_OUTLIER);
	assert_int_equal(gs.g[0].items[1]->kind, IRMF_FIND_RULE);
	assert_string_equal(gs.g[1].server, "EX05");
	assert_string_equal(gs.g[1].cause, "host");
	irmf_fgroups_clear(&gs);
	/* the text report prints the group under the worst severity, the
	 * warning in it saying its own severity */
	t = render(&r, 0, 0);
	assert_non_null(strstr(t, "\nERRORS\n  EX04" ID15 "\n"
	    "    root cause: connector URLs (2 findings, fixed together)\n"
	    "    outlier  reg:"));
	assert_non_null(strstr(t, "    rule warning  events:2002\n"));
	assert_non_null(strstr(t, "\nWARNINGS\n  EX05" ID15 "\n"
	    "    not-collected  host\n"));
	free(t);
	irmf_result_clear(&r);
}

static void
test_brief(void **state)
{
	irmf_result r;
	char *t;

	(void)state;
	fleet_with_event(&r);
	t = render_with(&r, irmf_report_brief, 0);
	assert_string_equal(t, "EX04: error: reg:" IRM15
	    "\\LicenseServerRedirection differs from its peers (2 findings)\n"
	    "EX05: warning: host could not be collected (1 finding)\n");
	free(t);
	irmf_result_clear(&r);
}

static void
test_junit(void **state)
{
	irmf_result r;
	char *t;

	(void)state;
	fleet_with_event(&r);
	t = render_with(&r, irmf_report_junit, 0);
	/* 5 servers x 6 checks; EX04's connector URLs fail twice, EX05's
	 * collection is an error */
	assert_non_null(strstr(t, "<testsuite name=\"exchange-v15\" "
	    "tests=\"30\" failures=\"1\" errors=\"1\""));
	assert_non_null(strstr(t, "<testcase classname=\"exchange-v15.EX04\" "
	    "name=\"connector URLs\" time=\"0\">\n"
	    "   <failure type=\"error outlier\" message=\"reg:"));
	assert_non_null(strstr(t, "<failure type=\"warning rule\" "
	    "message=\"events:2002 breaks rule events-http\">"));
	assert_non_null(strstr(t, "<error type=\"warning not-collected\" "
	    "message=\"host could not be collected\">"));
	free(t);
	irmf_result_clear(&r);
}

static void
test_prometheus(void **state)
{
	irmf_result r;
	char *t;

	(void)state;
	fleet_with_event(&r);
	r.fleet.members[0].snap->collected_at = strdup("2026-03-01T02:00:00Z");
	t = render_with(&r, irmf_report_prometheus, 0);
	assert_non_null(strstr(t, "# TYPE irmfleet_findings gauge\n"
	    "irmfleet_findings{severity=\"error\"} 1\n"
	    "irmfleet_findings{severity=\"warning\"} 2\n"));
	assert_non_null(strstr(t, "\nirmfleet_drifted_servers 1\n"));
	assert_non_null(strstr(t, "\nirmfleet_servers_not_checked 1\n"));
	assert_non_null(strstr(t, "\nirmfleet_server_last_collection_timestamp"
	    "_seconds{server=\"EX01\",cohort=\"exchange-v15\"} 1772330400\n"));
	/* EX05 was never reached: no successful collection to report */
	assert_null(strstr(t, "server=\"EX05\""));
	free(t);
	irmf_result_clear(&r);
}

static void
test_nagios(void **state)
{
	irmf_result r;
	irmf_compare_counts c;
	char *t;

	(void)state;
	fleet_with_event(&r);
	irmf_result_counts(&r, &c);
	assert_int_equal(irmf_compare_nagios_state(&c), IRMF_NAGIOS_CRITICAL);
	t = render_with(&r, irmf_report_nagios, 0);
	assert_string_equal(t, "IRMFLEET CRITICAL - 1 of 5 servers drifted "
	    "(EX04), 1 error, 2 warnings, 1 not checked | servers=5;;;0 "
	    "drifted=1;;;0 not_checked=1;;;0 errors=1;;;0 warnings=2;;;0 "
	    "info=0;;;0 suppressed=0;;;0\n"
	    "EX04: error: reg:" IRM15 "\\LicenseServerRedirection differs "
	    "from its peers (2 findings)\n"
	    "EX05: warning: host could not be collected (1 finding)\n");
	free(t);
	c.errors = 0;
	assert_int_equal(irmf_compare_nagios_state(&c), IRMF_NAGIOS_WARNING);
	c.warnings = c.not_checked_servers = 0;
	assert_int_equal(irmf_compare_nagios_state(&c), IRMF_NAGIOS_OK);
	irmf_result_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_repeated_advice_once),
		cmocka_unit_test(test_text_escapes_controls),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text_identity),
		cmocka_unit_test(test_json_identity),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_brief),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_prometheus),
		cmocka_unit_test(test_nagios),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
