/*
 * test_findings.c - the findings list (compare/core/findings.c) that
 * consensus and the rules append to and the reporters read: adding copies
 * every string (the caller's may go away), the suppressed count, moving
 * one list onto another (the source left empty), the report order
 * (severity, then server with cohort-wide findings first, setting, kind,
 * rule id), clearing one finding in place, and the kind and severity
 * names the JSON output and docs/settings.md use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "findings.h"

/* A finding with only the sort keys set (strings are copied by add). */
static void
add(irmf_findings *l, irmf_severity sev, const char *server,
    const char *setting, irmf_finding_kind kind, const char *rule)
{
	irmf_finding f = { .severity = sev, .server = (char *)server,
	    .setting = (char *)setting, .kind = kind, .rule_id = (char *)rule };

	assert_int_equal(irmf_findings_add(l, &f), 0);
}

/* "SERVER setting kind rule" of item i, for order checks. */
static const char *
line(const irmf_findings *l, size_t i)
{
	static char buf[256];
	const irmf_finding *f = &l->items[i];

	snprintf(buf, sizeof(buf), "%s %s %s %s %s",
	    irmf_severity_name(f->severity), f->server ? f->server : "-",
	    f->setting ? f->setting : "-", irmf_finding_kind_name(f->kind),
	    f->rule_id ? f->rule_id : "-");
	return buf;
}

static void
test_add_copies_every_string(void **state)
{
	irmf_findings l = { 0 };
	char server[] = "EX01", setting[] = "reg:HKLM\\X\\V";
	char value[] = "http://a", expected[] = "https://a";
	char why[] = "explanation", fix[] = "remediation";
	irmf_finding f = {
		.server = server, .cohort = "exchange-2013+",
		.setting = setting, .kind = IRMF_FIND_OUTLIER,
		.severity = IRMF_SEV_ERROR, .value = value,
		.expected = expected, .distribution = "1 of 2",
		.explanation = why, .remediation = fix,
	};

	(void)state;
	assert_int_equal(irmf_findings_add(&l, &f), 0);
	/* the caller's buffers change; the list's copies do not */
	server[0] = value[0] = why[0] = fix[0] = 'Z';
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].server, "EX01");
	assert_string_equal(l.items[0].cohort, "exchange-2013+");
	assert_string_equal(l.items[0].setting, "reg:HKLM\\X\\V");
	assert_string_equal(l.items[0].value, "http://a");
	assert_string_equal(l.items[0].expected, "https://a");
	assert_string_equal(l.items[0].distribution, "1 of 2");
	assert_string_equal(l.items[0].explanation, "explanation");
	assert_string_equal(l.items[0].remediation, "remediation");
	assert_ptr_not_equal(l.items[0].server, server);
	/* absent strings stay absent (a missing value is not "") */
	assert_null(l.items[0].rule_id);
	assert_null(l.items[0].suppress_reason);
	assert_int_equal(l.items[0].kind, IRMF_FIND_OUTLIER);
	assert_int_equal(l.items[0].severity, IRMF_SEV_ERROR);
	irmf_findings_clear(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.items);
}

/* Many findings: the list grows past its first allocation intact. */
static void
test_add_grows(void **state)
{
	irmf_findings l = { 0 };
	char name[16];

	(void)state;
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "S%03d", i);
		add(&l, IRMF_SEV_WARNING, name, "irm:X", IRMF_FIND_OUTLIER,
		    NULL);
	}
	assert_int_equal(l.n, 100);
	assert_true(l.cap >= 100);
	assert_string_equal(l.items[0].server, "S000");
	assert_string_equal(l.items[99].server, "S099");
	irmf_findings_clear(&l);
}

static void
test_suppressed_count(void **state)
{
	irmf_findings l = { 0 };
	irmf_finding f = { .server = "EX01", .setting = "irm:A",
	    .suppressed = true, .suppress_reason = "known" };

	(void)state;
	assert_int_equal(irmf_findings_add(&l, &f), 0);
	f.suppressed = false;
	f.suppress_reason = NULL;
	assert_int_equal(irmf_findings_add(&l, &f), 0);
	assert_int_equal(irmf_findings_add(&l, &f), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.nsuppressed, 1);
	assert_int_equal(irmf_findings_active(&l), 2);
	assert_string_equal(l.items[0].suppress_reason, "known");
	irmf_findings_clear(&l);
	assert_int_equal(irmf_findings_active(&l), 0);
}

static void
test_move(void **state)
{
	irmf_findings a = { 0 }, b = { 0 }, empty = { 0 };
	irmf_finding f = { .server = "EX02", .setting = "irm:B",
	    .suppressed = true };

	(void)state;
	add(&a, IRMF_SEV_ERROR, "EX01", "irm:A", IRMF_FIND_RULE, "r1");
	add(&b, IRMF_SEV_INFO, "EX03", "irm:C", IRMF_FIND_OUTLIER, NULL);
	assert_int_equal(irmf_findings_add(&b, &f), 0);
	assert_int_equal(irmf_findings_move(&a, &b), 0);
	/* appended in order, suppressed count carried, source emptied */
	assert_int_equal(a.n, 3);
	assert_string_equal(a.items[0].server, "EX01");
	assert_string_equal(a.items[1].server, "EX03");
	assert_string_equal(a.items[2].server, "EX02");
	assert_int_equal(a.nsuppressed, 1);
	assert_int_equal(b.n, 0);
	assert_int_equal(b.nsuppressed, 0);
	assert_null(b.items);
	/* moving an empty list changes nothing */
	assert_int_equal(irmf_findings_move(&a, &empty), 0);
	assert_int_equal(a.n, 3);
	irmf_findings_clear(&a);
}

static void
test_sort_order(void **state)
{
	irmf_findings l = { 0 };
	static const char *want[] = {
		"error - irm:Z split -",
		"error EX01 irm:A outlier -",
		"error EX01 irm:A rule r1",
		"error EX01 irm:A rule r2",
		"error EX01 irm:B outlier -",
		"error EX02 irm:A outlier -",
		"warning EX01 irm:A outlier -",
		"info EX01 irm:A missing -",
	};

	(void)state;
	add(&l, IRMF_SEV_INFO, "EX01", "irm:A", IRMF_FIND_MISSING, NULL);
	add(&l, IRMF_SEV_ERROR, "EX02", "irm:A", IRMF_FIND_OUTLIER, NULL);
	add(&l, IRMF_SEV_ERROR, "EX01", "irm:A", IRMF_FIND_RULE, "r2");
	add(&l, IRMF_SEV_WARNING, "EX01", "irm:A", IRMF_FIND_OUTLIER, NULL);
	add(&l, IRMF_SEV_ERROR, "EX01", "irm:B", IRMF_FIND_OUTLIER, NULL);
	add(&l, IRMF_SEV_ERROR, "EX01", "irm:A", IRMF_FIND_RULE, "r1");
	add(&l, IRMF_SEV_ERROR, NULL, "irm:Z", IRMF_FIND_SPLIT, NULL);
	add(&l, IRMF_SEV_ERROR, "EX01", "irm:A", IRMF_FIND_OUTLIER, NULL);
	irmf_findings_sort(&l);
	assert_int_equal(l.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < l.n; i++)
		assert_string_equal(line(&l, i), want[i]);
	irmf_findings_clear(&l);
}

/* Clearing one finding frees its strings and zeroes it, so a caller
 * filtering the list in place can drop it. */
static void
test_clear_one(void **state)
{
	irmf_findings l = { 0 };

	(void)state;
	add(&l, IRMF_SEV_ERROR, "EX01", "irm:A", IRMF_FIND_RULE, "r1");
	irmf_finding_clear(&l.items[0]);
	assert_null(l.items[0].server);
	assert_null(l.items[0].setting);
	assert_null(l.items[0].rule_id);
	assert_int_equal(l.items[0].severity, IRMF_SEV_INFO);
	l.n = 0;
	irmf_findings_clear(&l);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(irmf_finding_kind_name(IRMF_FIND_OUTLIER),
	    "outlier");
	assert_string_equal(irmf_finding_kind_name(IRMF_FIND_SPLIT), "split");
	assert_string_equal(irmf_finding_kind_name(IRMF_FIND_RULE), "rule");
	assert_string_equal(irmf_finding_kind_name(IRMF_FIND_MISSING),
	    "missing");
	assert_string_equal(irmf_finding_kind_name(IRMF_FIND_NOT_COLLECTED),
	    "not-collected");
	assert_string_equal(irmf_finding_kind_name((irmf_finding_kind)99),
	    "unknown");
	assert_string_equal(irmf_severity_name(IRMF_SEV_INFO), "info");
	assert_string_equal(irmf_severity_name(IRMF_SEV_WARNING), "warning");
	assert_string_equal(irmf_severity_name(IRMF_SEV_ERROR), "error");
	assert_string_equal(irmf_severity_name((irmf_severity)7), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_copies_every_string),
		cmocka_unit_test(test_add_grows),
		cmocka_unit_test(test_suppressed_count),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_sort_order),
		cmocka_unit_test(test_clear_one),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
