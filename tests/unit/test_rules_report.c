/*
 * test_rules_report.c - turning a rule's verdict into a finding
 * (compare/rules/rules_report.c): templates filled with the fleet's own
 * URLs, the server, its key version and the account to authorize; command
 * arguments quoted for cmd.exe, or the documentation's placeholders and a
 * note when a value cannot be pasted safely; control characters escaped
 * in prose; "not checked" findings that name the failed item (and node),
 * once per rule and server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_fixture.h"

#define RKEY "reg:" K_EX15 "\\LicenseServerRedirection"

typedef struct ctx {
	rf_fleet fl;
	irmf_rule_run run;
	irmf_rule_info rule;
} ctx;

static int
setup(void **state)
{
	ctx *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->run.out = &c->fl.f;
	c->run.tenant = strdup(TENANT);
	c->run.connector = strdup(CONN);
	c->rule.id = "test-rule";
	c->rule.severity = IRMF_SEV_ERROR;
	c->rule.cohorts = IRMF_RC_CLIENTS;
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	ctx *c = *state;

	free(c->run.tenant);
	free(c->run.connector);
	for (size_t i = 0; i < c->fl.n; i++)
		irmf_snapshot_free(c->fl.s[i]);
	irmf_findings_clear(&c->fl.f);
	free(c);
	return 0;
}

/* Report c->rule on s for RKEY and return the finding. */
static const irmf_finding *
report(ctx *c, const irmf_snapshot *s)
{
	irmf_findings_clear(&c->fl.f);
	assert_int_equal(irmf_rule_report(&c->run, &c->rule, s, RKEY, "v",
	    "e", "d"), 0);
	assert_int_equal(c->fl.f.n, 1);
	return &c->fl.f.items[0];
}

static void
test_fill_variables(void **state)
{
	ctx *c = *state;
	irmf_snapshot *s = rf_exch(&c->fl, "EX01", "v15");
	const irmf_finding *f;

	c->rule.explanation = "{server} must use {tenant} ({ver}); the key "
	    "is {key}.";
	c->rule.remediation = "reg add {\"{key}\"} /v {\"{tenant}\"} /t "
	    "REG_SZ /d {\"{connector}\"} /f";
	f = report(c, s);
	assert_int_equal(f->kind, IRMF_FIND_RULE);
	assert_int_equal(f->severity, IRMF_SEV_ERROR);
	assert_string_equal(f->rule_id, "test-rule");
	assert_string_equal(f->server, "EX01");
	assert_string_equal(f->cohort, "exchange-v15");
	assert_string_equal(f->setting, RKEY);
	assert_string_equal(f->value, "v");
	assert_string_equal(f->expected, "e");
	assert_string_equal(f->distribution, "d");
	assert_string_equal(f->explanation, "EX01 must use " TENANT " (v15); "
	    "the key is " K_EX15 "\\LicenseServerRedirection.");
	assert_string_equal(f->remediation, "reg add \"" K_EX15
	    "\\LicenseServerRedirection\" /v \"" TENANT "\" /t REG_SZ /d \""
	    CONN "\" /f");
}

/* {param} gets the server's key version; {want} the row's value; text
 * in braces that is no variable is kept as written. */
static void
test_param_want_and_other_braces(void **state)
{
	ctx *c = *state;
	irmf_snapshot *s = rf_exch(&c->fl, "EX10", "v14");
	const irmf_finding *f;

	c->rule.param = IRMF_K_EXCH_IRM "\\CertificationServerRedirection";
	c->rule.want = "True";
	c->rule.explanation = "{param} should be {want}.";
	c->rule.remediation = "Get-Item x | % {$_.Name}; @{a=1}; {nope}";
	f = report(c, s);
	assert_string_equal(f->explanation, K_EX14
	    "\\CertificationServerRedirection should be True.");
	assert_string_equal(f->remediation,
	    "Get-Item x | % {$_.Name}; @{a=1}; {nope}");
}

/* A connector URL holding % cannot go into a cmd.exe argument: the
 * argument gets the documentation's placeholder and the text says to
 * type the value by hand; prose still shows the value. */
static void
test_unsafe_value_by_hand(void **state)
{
	ctx *c = *state;
	irmf_snapshot *s = rf_exch(&c->fl, "EX01", "v15");
	const irmf_finding *f;

	free(c->run.connector);
	c->run.connector = strdup("https://rms%PATH%.contoso.com");
	c->rule.explanation = "use {connector}";
	c->rule.remediation = "reg add {\"{key}\"} /d {\"{connector}\"} /f";
	f = report(c, s);
	assert_string_equal(f->explanation, "use https://rms%PATH%.contoso.com");
	assert_null(strstr(f->remediation, "%PATH%"));
	assert_non_null(strstr(f->remediation, "/d \"https://<ConnectorFQDN>\""));
	assert_non_null(strstr(f->remediation, "type it in by hand"));
	/* the key itself was safe: still the real one */
	assert_non_null(strstr(f->remediation, "reg add \"" K_EX15));
}

/* A server name holding ESC reaches the finding's prose escaped. */
static void
test_prose_escaped(void **state)
{
	ctx *c = *state;
	irmf_snapshot *s = rf_exch(&c->fl, "EX\x1b[2J01", "v15");
	const irmf_finding *f;

	c->rule.explanation = "on {server}";
	c->rule.remediation = "fix {server}";
	f = report(c, s);
	assert_null(strchr(f->explanation, '\x1b'));
	assert_null(strchr(f->remediation, '\x1b'));
	assert_string_equal(f->explanation, "on EX\\x1b[2J01");
}

/* {account} and {authwho}: who the connector must authorize, by role. */
static void
test_account_and_authwho(void **state)
{
	ctx *c = *state;
	irmf_snapshot *ex = rf_exch(&c->fl, "EX01", "v15");
	irmf_snapshot *sp = rf_sp13(&c->fl, "SP01");
	irmf_snapshot *fs = rf_msdrm_client(&c->fl, "FS01", IRMF_ROLE_FCI,
	    NULL);
	const irmf_finding *f;

	rf_ident(ex, "CONTOSO\\EX01$", NULL, NULL);
	rf_ident(sp, "CONTOSO\\SP01$", NULL, "CONTOSO\\svc-sp");
	c->rule.explanation = "{account}";
	c->rule.remediation = "{authwho}";
	f = report(c, ex);
	assert_string_equal(f->explanation, "CONTOSO\\EX01$");
	assert_ptr_equal(strstr(f->remediation, "make CONTOSO\\EX01$ a member "
	    "of the security group its Exchange peers are authorized through "
	    "(for example CONTOSO\\Exchange Servers"), f->remediation);
	/* SharePoint: its service account, not the computer */
	f = report(c, sp);
	assert_string_equal(f->explanation, "CONTOSO\\svc-sp");
	assert_non_null(strstr(f->remediation, "authorize CONTOSO\\svc-sp "
	    "(the service account SharePoint runs as)"));
	/* no account known: the computer account's form */
	f = report(c, fs);
	assert_string_equal(f->explanation, "FS01$");
	assert_non_null(strstr(f->remediation, "authorize FS01$ or "
	    "(recommended) one group containing it"));
}

static void
test_not_collected_once(void **state)
{
	ctx *c = *state;
	irmf_snapshot *s = rf_exch(&c->fl, "EX01", "v15");
	irmf_collect_error err = { "registry:HKLM\\SOFTWARE\\X",
	    IRMF_REASON_ACCESS_DENIED, "access is denied" };
	const irmf_finding *f;
	char want[256];

	assert_int_equal(irmf_rule_not_collected(&c->run, &c->rule, s, RKEY,
	    &err), 0);
	/* the same rule and server again: nothing new */
	assert_int_equal(irmf_rule_not_collected(&c->run, &c->rule, s, RKEY,
	    &err), 0);
	assert_int_equal(c->fl.f.n, 1);
	f = &c->fl.f.items[0];
	assert_int_equal(f->kind, IRMF_FIND_NOT_COLLECTED);
	assert_int_equal(f->severity, IRMF_SEV_WARNING);
	assert_string_equal(f->rule_id, "test-rule");
	assert_string_equal(f->server, "EX01");
	snprintf(want, sizeof(want), "Not checked: collecting 'registry:HKLM"
	    "\\SOFTWARE\\X' failed (%s: access is denied), so rule "
	    "'test-rule' could not be evaluated for this server.",
	    irmf_collect_reason_name(IRMF_REASON_ACCESS_DENIED));
	assert_string_equal(f->explanation, want);
	assert_string_equal(f->remediation, "Fix the collection of "
	    "'registry:HKLM\\SOFTWARE\\X' (access, timeout or export) and "
	    "compare again.");
	/* another server: its own finding */
	s = rf_exch(&c->fl, "EX02", "v15");
	assert_int_equal(irmf_rule_not_collected(&c->run, &c->rule, s, RKEY,
	    &err), 0);
	assert_int_equal(c->fl.f.n, 2);
}

/* Data from a connector node covering a group of rules: the node and
 * the group are named; no message, no ": ". */
static void
test_not_collected_on_node(void **state)
{
	ctx *c = *state;
	irmf_snapshot *s = rf_exch(&c->fl, "EX01", "v15");
	irmf_collect_error err = { "authorizations", IRMF_REASON_TIMEOUT,
	    NULL };
	const irmf_finding *f;
	char want[256];

	assert_int_equal(irmf_rule_not_collected_on(&c->run, &c->rule, s,
	    "auth:list", &err, "RMS01", "the authorization rules (auth-*)"),
	    0);
	assert_int_equal(c->fl.f.n, 1);
	f = &c->fl.f.items[0];
	snprintf(want, sizeof(want), "Not checked: collecting "
	    "'authorizations' on connector node RMS01 failed (%s), so the "
	    "authorization rules (auth-*) could not be evaluated for this "
	    "server.", irmf_collect_reason_name(IRMF_REASON_TIMEOUT));
	assert_string_equal(f->explanation, want);
	assert_string_equal(f->remediation, "Fix the collection of "
	    "'authorizations' on RMS01 (access, timeout or export) and "
	    "compare again.");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fill_variables),
		T(test_param_want_and_other_braces),
		T(test_unsafe_value_by_hand),
		T(test_prose_escaped),
		T(test_account_and_authwho),
		T(test_not_collected_once),
		T(test_not_collected_on_node),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
