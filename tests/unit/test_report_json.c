/*
 * test_report_json.c - the JSON reporter (compare/report/report_json.c): the
 * documented irmfleet-compare shape (summary, cohorts, findings with every
 * key, not_checked) and the "servers" list with each server's identity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "report_fixture.h"

static json_t *
server_named(json_t *root, const char *name)
{
	json_t *arr = json_object_get(root, "servers"), *o;
	size_t i;

	json_array_foreach(arr, i, o)
		if (strcmp(json_string_value(json_object_get(o, "name")),
		    name) == 0)
			return o;
	fail_msg("no server %s in the JSON servers list", name);
	return NULL;
}

static void
test_json(void **state)
{
	irmf_result r;
	char *t;
	json_error_t jerr;
	json_t *root, *sum, *f, *nc;
	const char *keys[] = { "server", "cohort", "setting", "kind",
	    "severity", "rule", "value", "expected", "distribution",
	    "explanation", "remediation", "suppressed", "reason" };

	(void)state;
	rpt_fleet(&r);
	r.findings.items[0].suppressed = true;
	r.findings.items[0].suppress_reason = strdup("pilot server");
	r.findings.nsuppressed = 1;
	t = rpt_render(&r, 1, 0);
	root = json_loads(t, 0, &jerr);
	if (root == NULL)
		fail_msg("invalid json: %s", jerr.text);
	assert_string_equal(json_string_value(json_object_get(root, "format")),
	    "irmfleet-compare");
	assert_int_equal(json_integer_value(json_object_get(root, "version")),
	    1);
	sum = json_object_get(root, "summary");
	assert_int_equal(json_integer_value(json_object_get(sum, "servers")),
	    5);
	assert_int_equal(json_integer_value(json_object_get(sum, "findings")),
	    1);
	assert_int_equal(json_integer_value(json_object_get(sum,
	    "suppressed")), 1);
	assert_int_equal(json_integer_value(json_object_get(sum,
	    "not_checked_servers")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    sum, "by_severity"), "warning")), 1);
	f = json_array_get(json_object_get(root, "cohorts"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "name")),
	    "exchange-v15");
	assert_int_equal(json_array_size(json_object_get(f, "servers")), 5);
	assert_int_equal(json_array_size(json_object_get(root, "findings")),
	    2);
	f = json_array_get(json_object_get(root, "findings"), 0);
	assert_int_equal(json_object_size(f), sizeof(keys) / sizeof(keys[0]));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_non_null(json_object_get(f, keys[i]));
	assert_string_equal(json_string_value(json_object_get(f, "server")),
	    "EX04");
	assert_string_equal(json_string_value(json_object_get(f, "kind")),
	    "outlier");
	assert_true(json_is_null(json_object_get(f, "rule")));
	assert_true(json_is_true(json_object_get(f, "suppressed")));
	assert_string_equal(json_string_value(json_object_get(f, "reason")),
	    "pilot server");
	nc = json_array_get(json_object_get(root, "not_checked"), 0);
	assert_string_equal(json_string_value(json_object_get(nc, "item")),
	    "host");
	assert_string_equal(json_string_value(json_object_get(nc, "reason")),
	    "timeout");
	json_decref(root);
	free(t);
	irmf_result_clear(&r);
}

/* "servers": one entry per server, by cohort then name, with cohort,
 * generation, build, its source, whether it is exact, and the evidence
 * strongest first; every field always present (null when not known). */
static void
test_json_identity(void **state)
{
	static const char *const keys[] = { "name", "cohort", "product",
	    "generation", "build", "build_source", "build_exact", "identity",
	    "evidence", "collected_at", "reached" };
	irmf_result r;
	char *t;
	json_error_t jerr;
	json_t *root, *o, *ev, *arr;
	size_t i;

	(void)state;
	rpt_identity_fleet(&r);
	t = rpt_render(&r, 1, 0);
	if ((root = json_loads(t, 0, &jerr)) == NULL)
		fail_msg("invalid json: %s", jerr.text);
	arr = json_object_get(root, "servers");
	assert_int_equal(json_array_size(arr), 7);
	json_array_foreach(arr, i, o) {
		assert_int_equal(json_object_size(o), 11);
		for (size_t k = 0; k < 11; k++)
			assert_non_null(json_object_get(o, keys[k]));
	}
	/* cohorts in name order, as "cohorts" lists them */
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    arr, 0), "name")), "RMSCON01");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    arr, 1), "name")), "EX06");

	o = server_named(root, "EX10A");
	assert_string_equal(json_string_value(json_object_get(o, "cohort")),
	    "exchange-v14");
	assert_string_equal(json_string_value(json_object_get(o,
	    "generation")), "exchange-2010");
	assert_string_equal(json_string_value(json_object_get(o, "build")),
	    "14.3.389.1");
	assert_string_equal(json_string_value(json_object_get(o,
	    "build_source")), "ExSetup.exe");
	assert_true(json_is_true(json_object_get(o, "build_exact")));
	assert_string_equal(json_string_value(json_object_get(o, "identity")),
	    "Exchange 2010 from ExSetup.exe 14.3.389.1");
	ev = json_object_get(o, "evidence");
	assert_int_equal(json_array_size(ev), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    ev, 0), "rank")), "file");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    ev, 0), "source")), "file:ExSetup.exe");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    ev, 0), "value")), "14.3.389.1");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    ev, 0), "says")), "exchange-2010");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    ev, 2), "rank")), "config-keys");

	o = server_named(root, "EX10C");   /* the service pack level only */
	assert_true(json_is_false(json_object_get(o, "build_exact")));
	assert_string_equal(json_string_value(json_object_get(o,
	    "build_source")), "Get-ExchangeServer AdminDisplayVersion");

	o = server_named(root, "EX05");    /* the keys alone: no build */
	assert_string_equal(json_string_value(json_object_get(o,
	    "generation")), "exchange-2013+");
	assert_true(json_is_null(json_object_get(o, "build")));
	assert_true(json_is_null(json_object_get(o, "build_exact")));

	o = server_named(root, "EX06");
	assert_string_equal(json_string_value(json_object_get(o,
	    "generation")), "conflict");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(o, "evidence"), 1), "says")), "exchange-2013+");

	o = server_named(root, "RMSCON01");
	assert_string_equal(json_string_value(json_object_get(o,
	    "generation")), "none");
	assert_true(json_is_null(json_object_get(o, "identity")));
	assert_int_equal(json_array_size(json_object_get(o, "evidence")), 0);
	json_decref(root);
	free(t);
	irmf_result_clear(&r);
}

/* summary.authorization_list: which list the auth-* rules used. */
static void
test_json_auth_source(void **state)
{
	static const char *const acc[] = { "CONTOSO\\Exchange Servers" };
	const char *want[] = { NULL, "event-1004", "csv" };
	irmf_result r;

	(void)state;
	rpt_fleet(&r);
	for (int step = 0; step < 3; step++) {
		json_error_t jerr;
		json_t *root, *v;
		char *t;

		if (step == 1)
			assert_int_equal(irmf_snapshot_note_1004(
			    r.fleet.members[1].snap, "2026-11-20T10:15:02Z", acc,
			    1), 0);
		if (step == 2)
			assert_int_equal(irmf_snapshot_add_authorization(
			    r.fleet.members[2].snap, acc[0], IRMF_ACCOUNT_GROUP,
			    IRMF_ROLE_EXCHANGE), 0);
		t = rpt_render(&r, 1, 0);
		assert_non_null(root = json_loads(t, 0, &jerr));
		v = json_object_get(json_object_get(root, "summary"),
		    "authorization_list");
		assert_non_null(v);
		if (want[step] == NULL)
			assert_true(json_is_null(v));
		else
			assert_string_equal(json_string_value(v), want[step]);
		json_decref(root);
		free(t);
	}
	irmf_result_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_identity),
		cmocka_unit_test(test_json_auth_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
