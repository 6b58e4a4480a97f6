/*
 * test_report.c - the text and JSON reporters (compare/report_text.c,
 * compare/report_json.c) on a small analysed fleet: summary first,
 * grouping, colours only on request, and the documented JSON shape.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "compare_int.h"
#include "irmfleet/errors.h"

#define TENANT "https://contoso.rms.na.aadrm.com"
#define IRM15 "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM"

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
	err = strstr(t, "\nERRORS\n  EX04 (exchange-v15)\n    outlier  reg:");
	warn = strstr(t, "\nWARNINGS\n  EX05 (exchange-v15)\n"
	    "    not-collected  host\n");
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
	first = strstr(t, "  EX04 (exchange-v15)\n");
	second = strstr(t, "  EX05 (exchange-v15)\n");
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
	assert_non_null(strstr(t, "  EX\\x1b[2J04 (exchange-v15)\n"));
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_repeated_advice_once),
		cmocka_unit_test(test_text_escapes_controls),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
