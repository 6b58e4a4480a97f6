/*
 * test_audit.c - the drift audit as a library call (compare/audit.c,
 * include/irmfleet/audit.h) on a tiny fleet, two servers of the example
 * fleet copied to a temporary directory: recorded twice, the second run
 * has no drift; a changed value shows as drift naming the server and
 * setting; a server missing from the next run is absent, and stale once
 * it has not been collected for longer than the limit; an invalid
 * snapshot is counted, reported and nothing is recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "error.h"
#include "irmfleet/audit.h"

#define HTTPS "data=\"https://rmsconnector.contoso.com\"/>"
#define HTTP "data=\"http://rmsconnector.contoso.com\"/>"

typedef struct fx {
	char *dir;
	char db[4200], fleet[4200];
	irmf_store *st;
	size_t warnings, invalid;
} fx;

/* Copy examples/fleet/<name>.xml into the fleet, replacing from by to
 * (when from is not NULL). */
static void
put(fx *f, const char *name, const char *from, const char *to)
{
	char src[4200], dst[4400], *text, *p;
	size_t len;
	FILE *in, *out;

	snprintf(src, sizeof(src), "%s/examples/fleet/%s.xml",
	    IRMF_SOURCE_DIR, name);
	assert_non_null(in = fopen(src, "rb"));
	assert_non_null(text = calloc(1, 1 << 20));
	len = fread(text, 1, (1 << 20) - 1, in);
	fclose(in);
	snprintf(dst, sizeof(dst), "%s/%s.xml", f->fleet, name);
	assert_non_null(out = fopen(dst, "wb"));
	if (from != NULL) {
		assert_non_null(p = strstr(text, from));
		fwrite(text, 1, (size_t)(p - text), out);
		fputs(to, out);
		fputs(p + strlen(from), out);
	} else {
		fwrite(text, 1, len, out);
	}
	fclose(out);
	free(text);
}

static void
drop(fx *f, const char *name)
{
	char path[4400];

	snprintf(path, sizeof(path), "%s/%s.xml", f->fleet, name);
	assert_int_equal(remove(path), 0);
}

static int
setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	irmf_store_options o = { .create = true };

	f->dir = tu_tempdir();
	snprintf(f->db, sizeof(f->db), "%s/h.db", f->dir);
	snprintf(f->fleet, sizeof(f->fleet), "%s/fleet", f->dir);
	assert_int_equal(mkdir(f->fleet, 0700), 0);
	assert_int_equal(irmf_store_open(&f->st, f->db, &o), 0);
	put(f, "EX01", NULL, NULL);
	put(f, "EX03", NULL, NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	fx *f = *state;

	irmf_store_close(f->st);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void
count_notes(irmf_audit_note kind, const char *line, void *payload)
{
	fx *f = payload;

	/* names the file */
	assert_true(strstr(line, ".xml") || strstr(line, ".XML"));
	if (kind == IRMF_AUDIT_INVALID)
		f->invalid++;
	else
		f->warnings++;
}

/* One audit of the fleet directory at `at`; the caller frees it. */
static irmf_audit *
audit(fx *f, const char *at, int64_t stale)
{
	irmf_audit_options o;
	irmf_audit *a;

	irmf_audit_options_init(&o);
	o.at = at;
	o.stale_seconds = stale;
	o.db_label = f->db;
	o.note = count_notes;
	o.note_payload = f;
	assert_int_equal(irmf_audit_new(&a, &o), 0);
	assert_int_equal(irmf_audit_add_path(a, f->fleet), 0);
	if (irmf_audit_compare(a) < 0 || irmf_audit_record(a, f->st) < 0)
		fail_msg("audit: %s", irmf_error_last()->message);
	return a;
}

static void
test_second_run_no_drift(void **state)
{
	fx *f = *state;
	irmf_audit *a = audit(f, "2026-03-02T00:00:00Z", 86400 * 365);
	irmf_compare_counts c;

	assert_int_equal(irmf_audit_summary(a)->prev_run_id, 0);
	assert_int_equal(irmf_audit_summary(a)->hosts_ok, 2);
	assert_int_equal(irmf_audit_drift(a)->n, 0);
	irmf_audit_counts(a, &c);
	assert_int_equal(c.servers, 2);
	irmf_audit_free(a);

	a = audit(f, "2026-03-03T00:00:00Z", 86400 * 365);
	assert_int_equal(irmf_audit_summary(a)->prev_run_id, 1);
	assert_int_equal(irmf_audit_drift(a)->n, 0);
	assert_int_equal(irmf_audit_changes(a), 0);
	assert_int_equal(irmf_audit_not_checked(a), 0);
	assert_int_not_equal(irmf_audit_result_of(a), IRMF_AUDIT_DRIFT);
	assert_int_equal(f->warnings + f->invalid, 0);
	irmf_audit_free(a);
}

static void
test_changed_value_is_drift(void **state)
{
	fx *f = *state;
	irmf_audit *a = audit(f, "2026-03-02T00:00:00Z", 86400 * 365);
	const irmf_changes *d;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	irmf_audit_free(a);
	put(f, "EX03", HTTPS, HTTP);
	a = audit(f, "2026-03-03T00:00:00Z", 86400 * 365);
	d = irmf_audit_drift(a);
	assert_true(d->n >= 1);
	for (size_t i = 0; i < d->n; i++) {
		assert_int_equal(d->items[i].kind, IRMF_CHANGE_CHANGED);
		assert_string_equal(d->items[i].server, "EX03");
		assert_non_null(strstr(d->items[i].new_value, "http://"));
		assert_string_equal(d->items[i].old_since,
		    "2026-03-02T00:00:00Z");
	}
	assert_int_equal(irmf_audit_changes(a), d->n);
	assert_int_equal(irmf_audit_result_of(a), IRMF_AUDIT_DRIFT);
	/* the report says so */
	assert_non_null(m = open_memstream(&buf, &len));
	assert_int_equal(irmf_audit_report(a, m, IRMF_FORMAT_TEXT), 0);
	fclose(m);
	assert_non_null(strstr(buf, "changes since the previous audit:\n"
	    "EX03         changed"));
	free(buf);
	irmf_audit_free(a);
}

static void
test_missing_server_is_stale(void **state)
{
	fx *f = *state;
	irmf_audit *a = audit(f, "2026-03-02T00:00:00Z", 86400 * 365);
	const irmf_changes *d, *s;

	irmf_audit_free(a);
	drop(f, "EX03");
	/* EX01 collected again the day before; EX03 not for 19 days */
	put(f, "EX01", "2026-03-01T02:00:00Z", "2026-03-19T12:00:00Z");
	a = audit(f, "2026-03-20T00:00:00Z", 7 * 86400);
	d = irmf_audit_drift(a);
	assert_int_equal(d->n, 1);
	assert_int_equal(d->items[0].kind, IRMF_CHANGE_ABSENT);
	assert_string_equal(d->items[0].server, "EX03");
	s = irmf_audit_stale(a);
	assert_int_equal(s->n, 1);
	assert_string_equal(s->items[0].server, "EX03");
	assert_int_equal(irmf_audit_not_checked(a), 2);
	assert_int_equal(irmf_audit_result_of(a), IRMF_AUDIT_NOT_CHECKED);
	irmf_audit_free(a);
}

static void
test_invalid_input_records_nothing(void **state)
{
	fx *f = *state;
	irmf_audit_options o;
	irmf_audit *a;
	char path[4400];
	FILE *out;

	snprintf(path, sizeof(path), "%s/ZZ.XML", f->fleet);
	assert_non_null(out = fopen(path, "w"));
	fputs("<snapshot", out);
	fclose(out);
	irmf_audit_options_init(&o);
	o.note = count_notes;
	o.note_payload = f;
	assert_int_equal(irmf_audit_new(&a, &o), 0);
	assert_int_equal(irmf_audit_add_path(a, f->fleet), 0);
	/* the upper-case suffix is an input too, as in compare */
	assert_int_equal(irmf_audit_inputs(a), 3);
	assert_true(irmf_audit_compare(a) < 0);
	assert_int_equal(irmf_audit_invalid(a), 1);
	assert_int_equal(f->invalid, 1);
	assert_non_null(strstr(irmf_error_last()->message, "ZZ.XML"));
	irmf_audit_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_second_run_no_drift,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_value_is_drift,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_server_is_stale,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_invalid_input_records_nothing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
