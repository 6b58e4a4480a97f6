/*
 * test_report_text.c - the text reporter (compare/report/report_text.c) on
 * small analysed fleets: summary first, findings grouped by severity and
 * server, advice repeated only once, colours only on request, control
 * characters escaped, every server's identity with its evidence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fixture.h"

static void
test_text(void **state)
{
	irmf_result r;
	char *t, *err, *warn;

	(void)state;
	rpt_fleet(&r);
	t = rpt_render(&r, 0, 0);
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
	t = rpt_render(&r, 0, IRMF_REPORT_COLOR);
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
		irmf_fleet_add(&r.fleet, rpt_server(names[i], i < 3 ?
		    "https://rmscon.contoso.com" : "http://rmscon.contoso.com"),
		    NULL);
	assert_int_equal(irmf_result_analyze(&r, IRMF_ANALYZE_CONSENSUS), 0);
	assert_int_equal(r.findings.n, 2);
	t = rpt_render(&r, 0, 0);
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
		irmf_fleet_add(&r.fleet, rpt_server(names[i],
		    "https://rmscon.contoso.com/Gr\xc3\xb6\xc3\x9f" "e"), NULL);
	irmf_fleet_add(&r.fleet, rpt_server("EX\x1b[2J04", "https://x\x1b[31m"
	    "\xc2\x9b" "1m\x7f\xe2\x80\xae" "moc.evil"), NULL);
	assert_int_equal(irmf_result_analyze(&r, IRMF_ANALYZE_CONSENSUS), 0);
	t = rpt_render(&r, 0, 0);
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

/* The summary counts what decided each cohort's generation and names the
 * servers whose generation is unknown; every server header shows the
 * identity with its evidence (a connector node: its cohort only). */
static void
test_text_identity(void **state)
{
	irmf_result r;
	char *t;

	(void)state;
	rpt_identity_fleet(&r);
	t = rpt_render(&r, 0, 0);
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
	rpt_fleet(&r);
	t = rpt_render(&r, 0, 0);
	assert_null(strstr(t, "generation unknown"));
	free(t);
	irmf_result_clear(&r);
}

/* The summary says which authorization list the auth-* rules used: one
 * derived from event 1004 (accounts only), or a typed one, which wins. */
static void
test_text_auth_source(void **state)
{
	static const char *const acc[] = { "CONTOSO\\Exchange Servers" };
	irmf_result r;
	irmf_snapshot *s;
	char *t;

	(void)state;
	rpt_fleet(&r);
	t = rpt_render(&r, 0, 0);
	assert_null(strstr(t, "authorization list"));
	free(t);
	s = r.fleet.members[1].snap;
	assert_int_equal(irmf_snapshot_note_1004(s, "2026-11-20T10:15:02Z",
	    acc, 1), 0);
	t = rpt_render(&r, 0, 0);
	assert_non_null(strstr(t, "authorization list: derived from the "
	    "connector nodes' event 1004\n  (accounts only, roles unknown: "
	    "import the CSV, docs/authorization-list.md)\n"));
	free(t);
	assert_int_equal(irmf_snapshot_add_authorization(
	    r.fleet.members[2].snap, "CONTOSO\\Exchange Servers",
	    IRMF_ACCOUNT_GROUP, IRMF_ROLE_EXCHANGE), 0);
	t = rpt_render(&r, 0, 0);
	assert_non_null(strstr(t, "authorization list: typed (CSV, with "
	    "roles)\n"));
	free(t);
	irmf_result_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_repeated_advice_once),
		cmocka_unit_test(test_text_escapes_controls),
		cmocka_unit_test(test_text_identity),
		cmocka_unit_test(test_text_auth_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
