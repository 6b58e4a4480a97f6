/*
 * test_report_brief.c - the one-line-per-server report
 * (compare/report/report_brief.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fixture.h"

static void
test_brief(void **state)
{
	irmf_result r;
	char *t;

	(void)state;
	rpt_fleet_with_event(&r);
	t = rpt_render_with(&r, irmf_report_brief, 0);
	assert_string_equal(t, "EX04: error: reg:" IRM15
	    "\\LicenseServerRedirection differs from its peers (2 findings)\n"
	    "EX05: warning: host could not be collected (1 finding)\n");
	free(t);
	irmf_result_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brief),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
