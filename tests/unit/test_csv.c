/*
 * test_csv.c - one RFC 4180 line (collector/parse/csv.c), as the
 * authorization list and `whoami /groups /fo csv` write it: quoted fields
 * with commas and doubled quotes, blanks around fields, empty fields, and
 * the errors (a quote left open, text after a closing quote, too many
 * fields) with the column where they are.
 */
#include <string.h>

#include "testutil.h"
#include "csv.h"
#include "error.h"

static irmf_csv_row
split_ok(const char *line, size_t want)
{
	irmf_csv_row row = { 0 };
	size_t col = 0;
	const char *what = NULL;

	assert_int_equal(irmf_csv_split(line, strlen(line), &row, &col, &what),
	    0);
	assert_int_equal(row.n, want);
	return row;
}

static void
test_plain_and_blanks(void **state)
{
	irmf_csv_row row;

	(void)state;
	row = split_ok("CONTOSO\\EX01$, computer ,Exchange", 3);
	assert_string_equal(row.f[0], "CONTOSO\\EX01$");
	assert_string_equal(row.f[1], "computer");
	assert_string_equal(row.f[2], "Exchange");
	irmf_csv_row_free(&row);
	row = split_ok("a,,c,", 4);
	assert_string_equal(row.f[1], "");
	assert_string_equal(row.f[3], "");
	irmf_csv_row_free(&row);
}

static void
test_quoted(void **state)
{
	irmf_csv_row row;

	(void)state;
	/* whoami /groups /fo csv quotes every field */
	row = split_ok("\"CONTOSO\\RMS Servers, Exchange\",\"Group\","
	    "\"S-1-5-21-1-2-3-1104\",\"say \"\"hi\"\"\"", 4);
	assert_string_equal(row.f[0], "CONTOSO\\RMS Servers, Exchange");
	assert_string_equal(row.f[1], "Group");
	assert_string_equal(row.f[3], "say \"hi\"");
	irmf_csv_row_free(&row);
	row = split_ok("  \"x\"  ,y", 2);
	assert_string_equal(row.f[0], "x");
	irmf_csv_row_free(&row);
}

static void
split_bad(const char *line, size_t want_col)
{
	irmf_csv_row row = { 0 };
	size_t col = 0;
	const char *what = NULL;

	assert_int_equal(irmf_csv_split(line, strlen(line), &row, &col, &what),
	    IRMF_EPARSE);
	assert_int_equal(col, want_col);
	assert_non_null(what);
	assert_true(strlen(what) > 0);
	irmf_csv_row_free(&row);
}

static void
test_errors(void **state)
{
	char many[IRMF_CSV_MAX_FIELDS * 2 + 8];
	irmf_csv_row row = { 0 };
	size_t col = 0, i;
	const char *what = NULL;

	(void)state;
	split_bad("a,\"open", 3);
	split_bad("\"closed\"x,b", 9);
	for (i = 0; i < IRMF_CSV_MAX_FIELDS + 1; i++) {
		many[2 * i] = 'x';
		many[2 * i + 1] = ',';
	}
	many[2 * i - 1] = '\0';
	assert_int_equal(irmf_csv_split(many, strlen(many), &row, &col, &what),
	    IRMF_EPARSE);
	assert_non_null(what);
	irmf_csv_row_free(&row);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_blanks),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
