/*
 * test_report_monitor.c - the monitoring outputs
 * (compare/report/report_monitor.c): Prometheus text exposition and the
 * Nagios plugin line with its state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fixture.h"

static void
test_prometheus(void **state)
{
	irmf_result r;
	char *t;

	(void)state;
	rpt_fleet_with_event(&r);
	r.fleet.members[0].snap->collected_at = strdup("2026-03-01T02:00:00Z");
	t = rpt_render_with(&r, irmf_report_prometheus, 0);
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
	rpt_fleet_with_event(&r);
	irmf_result_counts(&r, &c);
	assert_int_equal(irmf_compare_nagios_state(&c), IRMF_NAGIOS_CRITICAL);
	t = rpt_render_with(&r, irmf_report_nagios, 0);
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
		cmocka_unit_test(test_prometheus),
		cmocka_unit_test(test_nagios),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
