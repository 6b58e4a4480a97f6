/*
 * test_compare.c - the compare driver's public API (compare/compare.c,
 * include/irmfleet/compare.h) on a small fleet of snapshot files: add
 * paths, run once, counts, warnings (stale suppressions), the report to a
 * FILE and to a file written atomically, the report formats by name, the
 * Nagios state of counts, and the errors a caller meets: a missing path,
 * a duplicate server, an empty path or fleet, calls out of order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "testutil.h"
#include "irmfleet/compare.h"
#include "irmfleet/errors.h"

/* Twelve Exchange servers; EX07 points at another tenant and lacks
 * the MSDRM activation URL: four findings (see its EXPECTED file). */
#define FLEET "fleets/single-outlier"
#define ACT "reg:HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\" \
	"Activation\\(default)"

static irmf_compare *
run_fleet(const char *suppress)
{
	irmf_compare *c;

	assert_int_equal(irmf_compare_new(&c), 0);
	assert_int_equal(irmf_compare_add_path(c, tu_fixture_path(FLEET)), 0);
	if (suppress != NULL)
		assert_int_equal(irmf_compare_set_suppress_file(c, suppress), 0);
	assert_int_equal(irmf_compare_run(c), 0);
	return c;
}

static char *
report(const irmf_compare *c, irmf_report_format fmt, unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(irmf_compare_report(c, f, fmt, flags), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
test_run_counts_and_reports(void **state)
{
	irmf_compare *c = run_fleet(NULL);
	irmf_compare_counts n;
	char *const *w;
	char *t;
	json_t *root;
	json_error_t jerr;

	(void)state;
	assert_int_equal(irmf_compare_counts_get(c, &n), 0);
	assert_int_equal(n.servers, 12);
	assert_int_equal(n.cohorts, 1);
	assert_int_equal(n.findings, 4);
	assert_int_equal(n.errors + n.warnings + n.infos, n.findings);
	assert_true(n.errors > 0);
	assert_int_equal(n.suppressed, 0);
	assert_int_equal(n.not_checked_servers, 0);
	assert_int_equal(irmf_compare_nagios_state(&n), IRMF_NAGIOS_CRITICAL);
	assert_int_equal(irmf_compare_warnings(c, &w), 0);

	t = report(c, IRMF_FORMAT_TEXT, 0);
	assert_int_equal(strncmp(t, "irmfleet compare: 12 servers in 1 "
	    "cohort\n", 40), 0);
	assert_non_null(strstr(t, "EX07"));
	free(t);
	/* JSON says the same as the counts */
	t = report(c, IRMF_FORMAT_JSON, 0);
	if ((root = json_loads(t, 0, &jerr)) == NULL)
		fail_msg("invalid JSON: %s", jerr.text);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    root, "summary"), "servers")), 12);
	assert_int_equal(json_array_size(json_object_get(root, "findings")),
	    4);
	json_decref(root);
	free(t);
	/* brief: one line for the one server that needs action */
	t = report(c, IRMF_FORMAT_TEXT, IRMF_REPORT_BRIEF);
	assert_int_equal(strncmp(t, "EX07: error: ", 13), 0);
	assert_ptr_equal(strchr(t, '\n'), t + strlen(t) - 1);
	free(t);
	/* every format renders */
	for (int f = IRMF_FORMAT_TEXT; f <= IRMF_FORMAT_NAGIOS; f++) {
		t = report(c, (irmf_report_format)f, 0);
		assert_true(strlen(t) > 0);
		free(t);
	}
	assert_int_equal(irmf_compare_report(c, stdout,
	    (irmf_report_format)99, 0), IRMF_EUSAGE);
	irmf_compare_free(c);
}

/* A suppression hides the findings it names (they are still counted as
 * suppressed); a line that matches nothing is a warning naming its file
 * and line. */
static void
test_suppressions_and_warnings(void **state)
{
	char *dir = tu_tempdir(), path[4096];
	irmf_compare *c;
	irmf_compare_counts n;
	char *const *w;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/known.supp", dir);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "accept EX07 " ACT " -- pilot\n"
	    "ignore file:msipc.dll -- nothing here has it\n");
	assert_int_equal(fclose(f), 0);
	c = run_fleet(path);
	assert_int_equal(irmf_compare_counts_get(c, &n), 0);
	/* the outlier and the rule on the activation value */
	assert_int_equal(n.suppressed, 2);
	assert_int_equal(n.findings, 2);
	assert_int_equal(irmf_compare_warnings(c, &w), 1);
	assert_non_null(strstr(w[0], "known.supp:2: suppression matches no "
	    "finding"));
	irmf_compare_free(c);
	tu_rmtree(dir);
	free(dir);
}

static void
test_report_file(void **state)
{
	char *dir = tu_tempdir(), path[4096], *t;
	irmf_compare *c = run_fleet(NULL);

	(void)state;
	snprintf(path, sizeof(path), "%s/report.json", dir);
	assert_int_equal(irmf_compare_report_file(c, path, IRMF_FORMAT_JSON,
	    0), 0);
	t = tu_read_fixture(path, NULL);
	assert_non_null(strstr(t, "\"irmfleet-compare\""));
	free(t);
	/* a directory that does not exist: an error naming the path */
	snprintf(path, sizeof(path), "%s/no/such/dir/report.txt", dir);
	assert_true(irmf_compare_report_file(c, path, IRMF_FORMAT_TEXT, 0) < 0);
	assert_non_null(strstr(irmf_error_last()->message, "no/such/dir"));
	irmf_compare_free(c);
	tu_rmtree(dir);
	free(dir);
}

static void
test_missing_path(void **state)
{
	irmf_compare *c;

	(void)state;
	assert_int_equal(irmf_compare_new(&c), 0);
	assert_int_equal(irmf_compare_add_path(c,
	    tu_fixture_path(FLEET "/ex01.xml")), 0);
	assert_int_equal(irmf_compare_add_path(c, "/nonexistent/EX99.xml"), 0);
	assert_true(irmf_compare_run(c) < 0);
	assert_non_null(strstr(irmf_error_last()->message,
	    "/nonexistent/EX99.xml"));
	irmf_compare_free(c);
}

/* The same server twice (here the same file under two paths): refused,
 * naming the server, never compared with itself. */
static void
test_duplicate_server(void **state)
{
	irmf_compare *c;

	(void)state;
	assert_int_equal(irmf_compare_new(&c), 0);
	assert_int_equal(irmf_compare_add_path(c, tu_fixture_path(FLEET)), 0);
	assert_int_equal(irmf_compare_add_path(c,
	    tu_fixture_path(FLEET "/ex03.xml")), 0);
	assert_int_equal(irmf_compare_run(c), IRMF_EUSAGE);
	assert_non_null(strstr(irmf_error_last()->message, "EX03"));
	irmf_compare_free(c);
}

static void
test_calls_out_of_order(void **state)
{
	irmf_compare *c;
	irmf_compare_counts n;

	(void)state;
	assert_int_equal(irmf_compare_new(&c), 0);
	assert_int_equal(irmf_compare_add_path(c, ""), IRMF_EUSAGE);
	assert_int_equal(irmf_compare_add_path(c, NULL), IRMF_EUSAGE);
	assert_int_equal(irmf_compare_add_snapshot(c, NULL, "x"), IRMF_EUSAGE);
	/* nothing run yet: nothing to count or report */
	assert_int_equal(irmf_compare_counts_get(c, &n), IRMF_EUSAGE);
	assert_int_equal(irmf_compare_report(c, stdout, IRMF_FORMAT_TEXT, 0),
	    IRMF_EUSAGE);
	/* no snapshots at all */
	assert_int_equal(irmf_compare_run(c), IRMF_EUSAGE);
	assert_non_null(strstr(irmf_error_last()->message, "no snapshots"));
	/* and a run happens once */
	assert_int_equal(irmf_compare_run(c), IRMF_EUSAGE);
	assert_non_null(strstr(irmf_error_last()->message, "already run"));
	irmf_compare_free(c);
	irmf_compare_free(NULL);
}

static void
test_format_names(void **state)
{
	static const struct { const char *name; irmf_report_format f; } ok[] = {
		{ "text", IRMF_FORMAT_TEXT }, { "json", IRMF_FORMAT_JSON },
		{ "html", IRMF_FORMAT_HTML }, { "junit", IRMF_FORMAT_JUNIT },
		{ "prometheus", IRMF_FORMAT_PROMETHEUS },
		{ "nagios", IRMF_FORMAT_NAGIOS },
	};
	irmf_report_format f;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		f = (irmf_report_format)-1;
		assert_int_equal(irmf_report_format_parse(ok[i].name, &f), 0);
		assert_int_equal(f, ok[i].f);
	}
	assert_int_equal(irmf_report_format_parse("JSON", &f), IRMF_EUSAGE);
	assert_int_equal(irmf_report_format_parse("xml", &f), IRMF_EUSAGE);
	assert_non_null(strstr(irmf_error_last()->message, "'xml'"));
}

static void
test_nagios_state(void **state)
{
	irmf_compare_counts n = { 0 };

	(void)state;
	assert_int_equal(irmf_compare_nagios_state(&n), IRMF_NAGIOS_OK);
	n.infos = 3;
	assert_int_equal(irmf_compare_nagios_state(&n), IRMF_NAGIOS_OK);
	n.not_checked_servers = 1;   /* a server not checked warns */
	assert_int_equal(irmf_compare_nagios_state(&n), IRMF_NAGIOS_WARNING);
	n.not_checked_servers = 0;
	n.warnings = 1;
	assert_int_equal(irmf_compare_nagios_state(&n), IRMF_NAGIOS_WARNING);
	n.errors = 1;
	assert_int_equal(irmf_compare_nagios_state(&n), IRMF_NAGIOS_CRITICAL);
	/* suppressed findings do not count */
	n = (irmf_compare_counts){ .suppressed = 5 };
	assert_int_equal(irmf_compare_nagios_state(&n), IRMF_NAGIOS_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_counts_and_reports),
		cmocka_unit_test(test_suppressions_and_warnings),
		cmocka_unit_test(test_report_file),
		cmocka_unit_test(test_missing_path),
		cmocka_unit_test(test_duplicate_server),
		cmocka_unit_test(test_calls_out_of_order),
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_nagios_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
