/*
 * test_result.c - a comparison result's counts and its release
 * (compare/core/result.c): suppressed findings counted apart from the
 * others, each unsuppressed finding counted once by severity and not-
 * collected ones also as such; a cleared result is empty and reusable.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "compare_int.h"

static void
add(irmf_result *r, irmf_finding_kind kind, irmf_severity sev,
    bool suppressed)
{
	irmf_finding f = { .server = "EX01", .cohort = "exchange-v15",
	    .setting = "reg:HKLM\\X", .kind = kind, .severity = sev,
	    .explanation = "e", .remediation = "r" };

	assert_int_equal(irmf_findings_add(&r->findings, &f), 0);
	r->findings.items[r->findings.n - 1].suppressed = suppressed;
}

static void
test_counts(void **state)
{
	irmf_result r = { 0 };
	irmf_snapshot *s;
	irmf_compare_counts c;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	assert_int_equal(irmf_fleet_add(&r.fleet, s, NULL), 0);
	assert_int_equal(irmf_snapshot_new(&s, "EX02"), 0);
	assert_int_equal(irmf_fleet_add(&r.fleet, s, NULL), 0);
	r.ncohorts = 1;
	assert_non_null(r.cohorts = calloc(1, sizeof(*r.cohorts)));
	r.nunchecked_servers = 1;
	add(&r, IRMF_FIND_OUTLIER, IRMF_SEV_ERROR, false);
	add(&r, IRMF_FIND_RULE, IRMF_SEV_ERROR, false);
	add(&r, IRMF_FIND_RULE, IRMF_SEV_WARNING, false);
	add(&r, IRMF_FIND_NOT_COLLECTED, IRMF_SEV_WARNING, false);
	add(&r, IRMF_FIND_RULE, IRMF_SEV_INFO, false);
	add(&r, IRMF_FIND_RULE, IRMF_SEV_ERROR, true);
	add(&r, IRMF_FIND_NOT_COLLECTED, IRMF_SEV_WARNING, true);
	memset(&c, 0xff, sizeof(c));   /* every field is set, not kept */
	irmf_result_counts(&r, &c);
	assert_int_equal(c.servers, 2);
	assert_int_equal(c.cohorts, 1);
	assert_int_equal(c.not_checked_servers, 1);
	assert_int_equal(c.findings, 5);
	assert_int_equal(c.errors, 2);
	assert_int_equal(c.warnings, 2);
	assert_int_equal(c.infos, 1);
	/* the suppressed not-collected finding is not counted as one */
	assert_int_equal(c.not_collected, 1);
	assert_int_equal(c.suppressed, 2);
	irmf_result_clear(&r);
	/* cleared: empty, and counts say so */
	irmf_result_counts(&r, &c);
	assert_int_equal(c.servers, 0);
	assert_int_equal(c.findings, 0);
	assert_null(r.cohorts);
	irmf_result_clear(&r);   /* twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
