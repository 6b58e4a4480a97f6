/*
 * test_hostout.c - collect's per-host output handling
 * (collector/collect/hostout.c) without SSH: what a finished command
 * becomes in the host's snapshot.  An absent registry key is nothing to
 * record (the format row's absent_stderr), "access is denied" is its own
 * reason, a localized failure is explained by the existence check, a
 * killed command and a parse failure are item errors, and a parse
 * failure leaves no half item behind.  The fake Windows hosts of
 * tests/integration/test_collect.sh cover the same over real sessions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "error.h"
#include "hostout.h"

#define KEY "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSDRM"

typedef struct hfix {
	irmf_snapshot *snap;
	irmf_hostout ho;
	irmf_plan_cmd reg;
} hfix;

static int
setup(void **state)
{
	hfix *f = calloc(1, sizeof(*f));

	assert_int_equal(irmf_snapshot_new(&f->snap, "EX01"), 0);
	f->ho.host = "EX01";
	f->ho.snap = f->snap;
	f->reg.item = (char *)"registry:" KEY;
	f->reg.format = "regquery";
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	hfix *f = *state;

	irmf_hostout_clear(&f->ho);
	irmf_snapshot_free(f->snap);
	free(f);
	return 0;
}

static void
run(hfix *f, const irmf_plan_cmd *c, const char *out, const char *err,
    int status)
{
	irmf_cmd_output co = { .out = out, .olen = strlen(out), .err = err,
	    .elen = strlen(err), .status = status };

	irmf_hostout_done(&f->ho, c, &co);
}

static void
absent_key_is_no_error(void **state)
{
	hfix *f = *state;

	run(f, &f->reg, "", "ERROR: The system was unable to find the "
	    "specified registry key or value.\r\n", 1);
	assert_int_equal(f->snap->nerrors, 0);
	assert_int_equal(f->ho.item_errors, 0);
	assert_int_equal(f->snap->nsources, 1);
	assert_string_equal(f->snap->sources[0].format, "regquery");
}

static void
denied_and_killed(void **state)
{
	hfix *f = *state;
	irmf_cmd_output co = { .out = "", .err = "", .signal = "KILL" };

	run(f, &f->reg, "", "ERROR: Access is denied.\r\n", 1);
	assert_int_equal(f->snap->nerrors, 1);
	assert_int_equal(f->snap->errors[0].reason, IRMF_REASON_ACCESS_DENIED);
	irmf_hostout_done(&f->ho, &f->reg, &co);
	assert_int_equal(f->snap->nerrors, 2);
	assert_int_equal(f->snap->errors[1].reason,
	    IRMF_REASON_COMMAND_FAILED);
	assert_non_null(strstr(f->snap->errors[1].message, "signal KILL"));
	assert_int_equal(f->ho.item_errors, 2);
}

/* A localized "not found": only the existence check's "absent" (with
 * reg.exe's status 1) makes it no error. */
static void
localized_failure_asks_the_existence_check(void **state)
{
	hfix *f = *state;
	irmf_plan_cmd ex = { .item = (char *)IRMF_PLAN_REGEXIST_ITEM,
	    .format = "regexist" };

	run(f, &f->reg, "", "FEHLER: Unbekannt.\r\n", 1);
	assert_int_equal(f->snap->nerrors, 1);
	assert_non_null(strstr(f->snap->errors[0].message,
	    "exit status 1: FEHLER"));
	run(f, &ex, "absent\t" KEY "\n", "", 0);
	assert_non_null(f->ho.exist);
	run(f, &f->reg, "", "FEHLER: Unbekannt.\r\n", 1);
	assert_int_equal(f->snap->nerrors, 1);   /* no new error */
}

/* A reg query output broken after a good key: the item is a parse
 * error and none of its keys reach the snapshot. */
static void
parse_error_leaves_no_half_item(void **state)
{
	hfix *f = *state;

	run(f, &f->reg, "\r\n" KEY "\r\n    A    REG_SZ    x\r\n\r\n"
	    "not a key line\r\n", "", 0);
	assert_int_equal(f->snap->nerrors, 1);
	assert_int_equal(f->snap->errors[0].reason, IRMF_REASON_PARSE_ERROR);
	assert_int_equal(f->snap->nkeys, 0);
	assert_int_equal(f->snap->nsources, 0);
	run(f, &f->reg, "\r\n" KEY "\r\n    A    REG_SZ    x\r\n\r\n", "", 0);
	assert_int_equal(f->snap->nkeys, 1);
	assert_int_equal(f->snap->nsources, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(absent_key_is_no_error, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(denied_and_killed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    localized_failure_asks_the_existence_check, setup, teardown),
		cmocka_unit_test_setup_teardown(parse_error_leaves_no_half_item,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
