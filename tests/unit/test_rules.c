/*
 * test_rules.c - the rule engine and table (compare/rules/rules.c,
 * compare/rules/rules_table.c): every row well formed (a check, cohorts,
 * texts), its templates naming only variables rules_report.c fills, every
 * rule documented in docs/rules.md; fleets configured as documented
 * (including case-only and trailing-slash differences and a migrated
 * fleet) produce no finding; the threaded engine finds exactly what one
 * thread finds.  Each area's rules are tested in test_rules_<module>.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_fixture.h"

static void
test_table_wellformed(void **state)
{
	size_t n;
	const irmf_rule_info *t = irmf_rules_table(&n);

	(void)state;
	assert_true(n >= 15);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(t[i].id);
		assert_non_null(t[i].check);
		assert_non_null(t[i].explanation);
		assert_non_null(t[i].remediation);
		assert_non_null(t[i].source);
		assert_non_null(t[i].title);
		/* texts said, not only present */
		assert_true(t[i].id[0] != '\0');
		assert_true(t[i].title[0] != '\0');
		assert_true(t[i].explanation[0] != '\0');
		assert_true(t[i].remediation[0] != '\0');
		assert_true(t[i].source[0] != '\0');
		assert_true(t[i].cohorts != 0);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(t[i].id, t[j].id);
	}
}

static void
test_docs_list_every_rule(void **state)
{
	size_t n, len;
	const irmf_rule_info *t = irmf_rules_table(&n);
	char *doc = tu_read_fixture(IRMF_SOURCE_DIR "/docs/rules.md", &len);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		char needle[128];
		snprintf(needle, sizeof(needle), "`%s`", t[i].id);
		if (strstr(doc, needle) == NULL)
			fail_msg("docs/rules.md does not document %s", t[i].id);
	}
	free(doc);
}

static void
test_empty_fleet(void **state)
{
	irmf_findings f = { 0 };

	(void)state;
	assert_int_equal(irmf_rules_run(NULL, 0, &f), 0);
	assert_int_equal(f.n, 0);
	irmf_findings_clear(&f);
}

static void
test_good_fleet(void **state)
{
	rf_fleet *fl = *state;

	rf_exch(fl, "EX01", "v15");
	rf_exch(fl, "EX02", "v15");
	rf_exch(fl, "EX10", "v14");
	rf_sp13(fl, "SP01");
	rf_msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	rf_msdrm_client(fl, "SP10", IRMF_ROLE_SHAREPOINT, "14.0.7015.1000");
	rf_expect(fl, NULL);
}

static void
test_case_and_slash(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	rf_exch(fl, "EX01", "v15");
	s = rf_add(fl, "EX02", IRMF_ROLE_EXCHANGE, "15.2.1118.7");
	rf_reg(s, "HKEY_LOCAL_MACHINE\\SOFTWARE\\MICROSOFT\\MSDRM\\ServiceLocation\\Activation",
	    "", "HTTPS://5C6BB73B-1038-4EEC-863D-49BDED473437.RMS.NA.AADRM.COM/_WMCS/Certification/");
	rf_reg(s, K_MSDRM "\\EnterprisePublishing", "", TENANT "/_wmcs/licensing/");
	rf_reg(s, "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\V15\\IRM\\CertificationServerRedirection",
	    TENANT "/", "HTTPS://RMSCON.contoso.com/");
	rf_reg(s, "HKLM\\software\\microsoft\\exchangeserver\\v15\\irm\\licenseserverredirection",
	    "https://5c6bb73b-1038-4eec-863d-49bded473437.RMS.na.aadrm.com",
	    CONN "/");
	rf_expect(fl, NULL);
}

static void
test_migrated_fleet(void **state)
{
	rf_fleet *fl = *state;
	const char *names[] = { "EX01", "EX02", "EX03" };

	for (size_t i = 0; i < 3; i++) {
		irmf_snapshot *s = rf_exch(fl, names[i], "v15");
		rf_reg(s, K_EX15 "\\LicenseServerRedirection",
		    "https://adrms.contoso.com/_wmcs/licensing",
		    CONN "/_wmcs/licensing");
		rf_reg(s, K_EX15 "\\LicenseServerRedirection",
		    "https://adrms-ext.contoso.com/_wmcs/licensing",
		    CONN "/_wmcs/licensing");
	}
	rf_expect(fl, NULL);
}

/* The per-server checks split over threads give exactly the findings, in
 * the order, of one thread: a fleet big enough to be split, with drift
 * of several kinds spread over it. */
static void
test_threads_same_findings(void **state)
{
	enum { N = 900 };
	rf_fleet *fl = calloc(1, sizeof(*fl));
	irmf_snapshot **snaps = calloc(N, sizeof(*snaps));
	irmf_findings one = { 0 }, many = { 0 };
	char name[32];

	(void)state;
	assert_non_null(fl);
	assert_non_null(snaps);
	for (size_t i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "S%04zu", i);
		fl->n = 0;
		if (i % 5 == 4)
			snaps[i] = rf_sp13(fl, name);
		else
			snaps[i] = rf_exch(fl, name, "v15");
		/* half the fleet at another connector: a tie, which the
		 * first server seen must win however the fleet is sliced */
		if (i >= N / 2 && i % 5 != 4) {
			rf_reg(snaps[i], K_EX15 "\\CertificationServerRedirection",
			    TENANT, "https://rmscon2.contoso.com");
			rf_reg(snaps[i], K_EX15 "\\LicenseServerRedirection", TENANT,
			    "https://rmscon2.contoso.com");
		}
		if (i % 37 == 3)
			rf_reg(snaps[i], K_EX15 "\\LicenseServerRedirection", TENANT,
			    "http://rmscon.contoso.com");
		if (i % 53 == 8)
			rf_unreg(snaps[i], K_MSDRM "\\Activation");
		if (i % 5 == 4 && i % 3 == 0)
			rf_reg(snaps[i], K_MSIPC "\\EnterprisePublishing", "",
			    TENANT "/_wmcs/licensing");
	}
	assert_int_equal(irmf_rules_run(snaps, N, &one), 0);
	assert_int_equal(irmf_rules_run_threads(snaps, N, &many, 3), 0);
	assert_true(one.n > 40);
	for (size_t i = 0, named = 0; i < one.n; i++) {
		assert_null(strstr(one.items[i].remediation, "rmscon2"));
		named += strstr(one.items[i].remediation,
		    "https://rmscon.contoso.com") != NULL;
		if (i == one.n - 1)
			assert_true(named > 0);
	}
	assert_int_equal(one.n, many.n);
	for (size_t i = 0; i < one.n; i++) {
		const irmf_finding *a = &one.items[i], *b = &many.items[i];
		assert_string_equal(a->server, b->server);
		assert_string_equal(a->rule_id, b->rule_id);
		assert_string_equal(a->setting, b->setting);
		assert_int_equal(a->kind, b->kind);
		assert_string_equal(a->explanation, b->explanation);
		assert_string_equal(a->remediation, b->remediation);
	}
	irmf_findings_clear(&one);
	irmf_findings_clear(&many);
	for (size_t i = 0; i < N; i++)
		irmf_snapshot_free(snaps[i]);
	free(snaps);
	free(fl);
}

/* Every row's check belongs to a rule module that has a test file
 * asserting that all its rules fire (rules_fixture.c's map): a new check
 * must be placed in one. */
static void
test_every_check_has_a_module(void **state)
{
	size_t n;
	const irmf_rule_info *t = irmf_rules_table(&n);

	(void)state;
	for (size_t i = 0; i < n; i++)
		if (rf_module_of(t[i].check) == NULL)
			fail_msg("rule %s: its check is in no rule module's "
			    "tests (tests/unit/rules_fixture.c)", t[i].id);
}

/* The variables rules_report.c fills; "Anything else in braces is kept
 * as written", so a misspelt variable would reach the admin verbatim. */
static const char *const known_vars[] = {
	"tenant", "connector", "ver", "exswitch", "switch", "msipcvia",
	"server", "account", "authwho", "param", "key", "want",
};

/* NULL if every {name} in text (lowercase letters in braces) is a known
 * variable and every {" and {' argument is closed by "} / '}, else what
 * is wrong (in a static buffer). */
static const char *
template_problem(const char *text)
{
	static char why[160];

	for (const char *p = text; (p = strchr(p, '{')) != NULL; p++) {
		size_t n = 0;
		bool known = false;
		if (p[1] == '"' || p[1] == '\'') {
			const char mark[3] = { p[1], '}', '\0' };
			const char *close = strstr(p + 2, mark);
			if (close == NULL) {
				snprintf(why, sizeof(why), "unclosed {%c at "
				    "\"%.30s\"", p[1], p);
				return why;
			}
			continue;   /* variables inside are checked too */
		}
		while (p[1 + n] >= 'a' && p[1 + n] <= 'z')
			n++;
		if (n == 0 || p[1 + n] != '}')
			continue;   /* not a variable: kept as written */
		for (size_t i = 0; i < sizeof(known_vars) / sizeof(*known_vars);
		    i++)
			known |= strlen(known_vars[i]) == n &&
			    strncmp(known_vars[i], p + 1, n) == 0;
		if (!known) {
			snprintf(why, sizeof(why), "unknown variable {%.*s}",
			    (int)n, p + 1);
			return why;
		}
	}
	return NULL;
}

static void
test_template_checker(void **state)
{
	(void)state;
	/* the checker itself: it must be able to fail */
	assert_null(template_problem("reg add {\"{key}\"} /d {\"{connector}\"}"));
	assert_null(template_problem("@{Name='x'} and { $_.Id } stay"));
	assert_non_null(template_problem("point {server} at {tenent}"));
	assert_non_null(template_problem("reg add {\"{key}\" /f"));
	assert_non_null(template_problem("Set-X {'{want}"));
}

static void
test_templates_valid(void **state)
{
	size_t n;
	const irmf_rule_info *t = irmf_rules_table(&n);
	const char *why;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		if ((why = template_problem(t[i].explanation)) != NULL)
			fail_msg("rule %s explanation: %s", t[i].id, why);
		if ((why = template_problem(t[i].remediation)) != NULL)
			fail_msg("rule %s remediation: %s", t[i].id, why);
		/* {param} expands the row's parameter: it needs one */
		if (strstr(t[i].remediation, "{param}") != NULL ||
		    strstr(t[i].explanation, "{param}") != NULL)
			assert_non_null(t[i].param);
	}
}

#define T(f) cmocka_unit_test_setup_teardown(f, rf_setup, rf_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_wellformed),
		cmocka_unit_test(test_docs_list_every_rule),
		cmocka_unit_test(test_empty_fleet),
		T(test_good_fleet),
		T(test_case_and_slash),
		T(test_migrated_fleet),
		cmocka_unit_test(test_threads_same_findings),
		cmocka_unit_test(test_every_check_has_a_module),
		cmocka_unit_test(test_template_checker),
		cmocka_unit_test(test_templates_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
