/*
 * test_report_junit.c - the JUnit XML report
 * (compare/report/report_junit.c): one test suite per cohort, a failure
 * per drifted check, an error per collection that failed, and the
 * organisation's findings in a suite of their own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fixture.h"

static void
test_junit(void **state)
{
	irmf_result r;
	char *t;

	(void)state;
	rpt_fleet_with_event(&r);
	t = rpt_render_with(&r, irmf_report_junit, 0);
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

/* A finding about the whole organisation (no server, cohort
 * "organization", as rules_org.c writes them) is a testsuite of its own,
 * never left out: an organisation whose Get-IRMConfiguration was not
 * collected must not read as a pass on a dashboard. */
static void
test_junit_organisation(void **state)
{
	irmf_result r;
	irmf_finding org = { .server = NULL, .cohort = "organization",
	    .setting = "irm-config", .kind = IRMF_FIND_NOT_COLLECTED,
	    .severity = IRMF_SEV_WARNING, .rule_id = "irm-config-collected",
	    .value = "EX01, EX02 (2 servers: not collected over SSH)",
	    .expected = "Get-IRMConfiguration from one Exchange server" };
	irmf_finding info = org;
	char *t;

	(void)state;
	rpt_fleet_with_event(&r);
	info.kind = IRMF_FIND_RULE;
	info.severity = IRMF_SEV_INFO;
	info.rule_id = "irm-exports-agree";
	info.setting = "irm:SearchEnabled";
	assert_int_equal(irmf_findings_add(&r.findings, &org), 0);
	assert_int_equal(irmf_findings_add(&r.findings, &info), 0);
	t = rpt_render_with(&r, irmf_report_junit, 0);
	/* one suite, one testcase holding both, counted as one error */
	assert_non_null(strstr(t, "<testsuite name=\"organization\" "
	    "tests=\"1\" failures=\"0\" errors=\"1\""));
	assert_non_null(strstr(t, "<testcase classname=\"organization\" "
	    "name=\"organization\" time=\"0\">\n"
	    "   <error type=\"warning not-collected\" message=\""));
	assert_non_null(strstr(t, "info rule: "));
	assert_null(strstr(strstr(t, "name=\"organization\"") + 1,
	    "<testsuite name=\"organization\""));
	/* the cohorts' suites are unchanged */
	assert_non_null(strstr(t, "<testsuite name=\"exchange-v15\" "
	    "tests=\"30\" failures=\"1\" errors=\"1\""));
	free(t);
	irmf_result_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_junit_organisation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
