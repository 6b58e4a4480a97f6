/*
 * test_collectstate.c - the run-state file a collect run keeps in its
 * output directory (collector/collect/collectstate.c): what a run writes
 * (hosts not fully collected, hosts not finished yet), reading it back for
 * --retry-failed, a run killed half-way resumed from it, a torn or garbage
 * file refused with an error naming the file and line, and compare's
 * question "which listed hosts have no snapshot".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "collect.h"
#include "irmfleet/errors.h"

static int
setup(void **state)
{
	*state = tu_tempdir();
	return 0;
}

static int
teardown(void **state)
{
	tu_rmtree(*state);
	free(*state);
	return 0;
}

static void
put(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *
state_text(const char *dir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, IRMF_COLLECT_STATE_FILE);
	return tu_read_fixture(path, NULL);
}

/* A run of five hosts: one collected, one partial, one failed, two the
 * run has not finished (as when it is killed). */
static void
run_result(irmf_collect_result *r, result_entry *e)
{
	static const struct {
		const char *host;
		irmf_host_status st;
		const char *reason, *message;
		bool finished;
	} h[] = {
		{ "EX01", IRMF_HOST_COLLECTED, NULL, NULL, true },
		{ "EX02", IRMF_HOST_PARTIAL, "command-failed",
		    "Get-IRMConfiguration\tfailed\nat line 1", true },
		{ "EX03", IRMF_HOST_FAILED, "timeout", "no answer in 30 s",
		    true },
		{ "EX04", IRMF_HOST_COLLECTED, NULL, NULL, false },
		{ "SP01", IRMF_HOST_FAILED, NULL, NULL, false },
	};

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < 5; i++) {
		memset(&e[i], 0, sizeof(e[i]));
		e[i].host = (char *)h[i].host;
		e[i].status = h[i].st;
		e[i].reason = (char *)h[i].reason;
		e[i].message = (char *)h[i].message;
		e[i].finished = h[i].finished;
	}
	r->e = e;
	r->n = 5;
}

static void
test_write_lists_unfinished_and_failed(void **state)
{
	const char *dir = *state;
	irmf_collect_result r;
	result_entry e[5];
	char *t;

	run_result(&r, e);
	assert_int_equal(irmf_collect_state_write(dir, &r), 0);
	t = state_text(dir);
	/* a comment, then one line per host not fully collected; tabs and
	 * newlines inside a message never split a line */
	assert_string_equal(strchr(t, '\n') + 1,
	    "EX02\tcommand-failed\tGet-IRMConfiguration failed at line 1\n"
	    "EX03\ttimeout\tno answer in 30 s\n"
	    "EX04\tnot-finished\tthe run stopped before this host was done\n"
	    "SP01\tnot-finished\tthe run stopped before this host was done\n");
	assert_int_equal(t[0], '#');
	free(t);
}

/* Killed after EX01..EX03: --retry-failed resumes with what is left
 * (the partial and failed hosts, and those never finished), in order. */
static void
test_killed_run_resumed(void **state)
{
	const char *dir = *state;
	irmf_collect_result r;
	result_entry e[5];
	irmf_strlist todo = { 0 };

	run_result(&r, e);
	assert_int_equal(irmf_collect_state_write(dir, &r), 0);
	assert_int_equal(irmf_collect_state_read(dir, &todo), 0);
	assert_int_equal(todo.n, 4);
	assert_string_equal(todo.items[0], "EX02");
	assert_string_equal(todo.items[1], "EX03");
	assert_string_equal(todo.items[2], "EX04");
	assert_string_equal(todo.items[3], "SP01");
	irmf_strlist_clear(&todo);
	/* the resumed run finishes everything: nothing is left to retry */
	for (size_t i = 0; i < 5; i++) {
		e[i].finished = true;
		e[i].status = IRMF_HOST_COLLECTED;
	}
	assert_int_equal(irmf_collect_state_write(dir, &r), 0);
	assert_int_equal(irmf_collect_state_read(dir, &todo), 0);
	assert_int_equal(todo.n, 0);
	irmf_strlist_clear(&todo);
}

static void
test_no_state(void **state)
{
	const char *dir = *state;
	irmf_strlist todo = { 0 };
	char **names = (char **)"x";
	size_t n = 9;

	assert_int_equal(irmf_collect_state_read(dir, &todo), IRMF_ENOTFOUND);
	assert_non_null(strstr(irmf_error_last()->message, dir));
	assert_non_null(strstr(irmf_error_last()->message, "nothing to retry"));
	/* for compare, a directory no collect wrote is simply no state */
	assert_int_equal(irmf_collect_state_missing(dir, &names, &n), 0);
	assert_null(names);
	assert_int_equal(n, 0);
}

/* A file that is not a state file (binary garbage, a line torn before
 * its fields, an empty host name) is refused with the file and the line,
 * and nothing of it is taken for a host name. */
static void
test_garbage_refused(void **state)
{
	static const struct { const char *text; const char *line; } bad[] = {
		{ "# irmfleet collect\nEX01\ttimeout\tslow\nEX0", ":3:" },
		{ "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ":1:" },
		{ "# irmfleet collect\nEX01\ttimeout\n", ":2:" },
		{ "# irmfleet collect\n\ttimeout\tslow\n", ":2:" },
		{ "# c\nEX01\x1b[2J\ttimeout\tslow\n", ":2:" },
	};
	const char *dir = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		irmf_strlist todo = { 0 };
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir,
		    IRMF_COLLECT_STATE_FILE);
		assert_non_null(f = fopen(path, "w"));
		/* the PNG case holds NULs: write its bytes, not a string */
		fwrite(bad[i].text, 1, i == 1 ? 16 : strlen(bad[i].text), f);
		assert_int_equal(fclose(f), 0);
		assert_int_equal(irmf_collect_state_read(dir, &todo),
		    IRMF_EPARSE);
		if (strstr(irmf_error_last()->message, IRMF_COLLECT_STATE_FILE)
		    == NULL || strstr(irmf_error_last()->message, bad[i].line)
		    == NULL)
			fail_msg("case %zu: error '%s' does not name the file "
			    "and line %s", i, irmf_error_last()->message,
			    bad[i].line);
		assert_int_equal(todo.n, 0);
		irmf_strlist_clear(&todo);
	}
}

/* compare names the listed hosts that have no snapshot: EX02's partial
 * snapshot exists, EX03 and SP01 have none. */
static void
test_missing_snapshots(void **state)
{
	const char *dir = *state;
	char **names = NULL;
	size_t n = 0;

	put(dir, IRMF_COLLECT_STATE_FILE, "# irmfleet collect\n"
	    "EX02\tcommand-failed\tx\nEX03\ttimeout\ty\n"
	    "SP01\tnot-finished\tz\n");
	put(dir, "EX02.xml", "<snapshot/>");
	assert_int_equal(irmf_collect_state_missing(dir, &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "EX03");
	assert_string_equal(names[1], "SP01");
	assert_null(names[2]);
	irmf_collect_names_free(names);
	/* everything listed has a snapshot: nothing missing */
	put(dir, "EX03.xml", "<snapshot/>");
	put(dir, "SP01.xml", "<snapshot/>");
	assert_int_equal(irmf_collect_state_missing(dir, &names, &n), 0);
	assert_int_equal(n, 0);
	assert_null(names);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_write_lists_unfinished_and_failed),
		T(test_killed_run_resumed),
		T(test_no_state),
		T(test_garbage_refused),
		T(test_missing_snapshots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
