/*
 * test_report_group.c - root-cause groups (compare/report/report_group.c):
 * the findings of one server that one fix cures are one group, and the
 * text report prints the group under its worst severity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fixture.h"

static void
test_groups(void **state)
{
	irmf_result r;
	irmf_fgroups gs;
	char *t;

	(void)state;
	rpt_fleet_with_event(&r);
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
	t = rpt_render(&r, 0, 0);
	assert_non_null(strstr(t, "\nERRORS\n  EX04" ID15 "\n"
	    "    root cause: connector URLs (2 findings, fixed together)\n"
	    "    outlier  reg:"));
	assert_non_null(strstr(t, "    rule warning  events:2002\n"));
	assert_non_null(strstr(t, "\nWARNINGS\n  EX05" ID15 "\n"
	    "    not-collected  host\n"));
	free(t);
	irmf_result_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
