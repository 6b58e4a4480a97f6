/*
 * test_report_junit.c - the JUnit XML report
 * (compare/report/report_junit.c): one test suite per cohort, a failure
 * per drifted check, an error per collection that failed.
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_junit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
