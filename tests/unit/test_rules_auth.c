/*
 * test_rules_auth.c - the connector authorization rules
 * (compare/rules/rules_auth.c): the nodes' lists agree and are not empty,
 * every client is authorized exactly once and with its role, Exchange
 * servers through one group; a list that could not be read is "not
 * checked", once per server.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_fixture.h"

static void
test_auth_good(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	rf_auth_ok(rf_node(fl, "RMS01"));
	rf_auth_ok(rf_node(fl, "RMS02"));
	s = rf_exch(fl, "EX01", "v15");
	rf_ident(s, "CONTOSO\\EX01$", "CONTOSO\\Exchange Servers", NULL);
	rf_ident(s, NULL, "CONTOSO\\Domain Computers", NULL);
	s = rf_exch(fl, "EX02", "v15");
	rf_ident(s, "contoso\\ex02$", "contoso\\exchange servers", NULL);
	rf_ident(rf_sp13(fl, "SP01"), "CONTOSO\\SP01$", NULL, "CONTOSO\\svc-sp");
	rf_ident(rf_msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL), "CONTOSO\\FS01$",
	    "CONTOSO\\FCI Servers", NULL);
	rf_expect(fl, NULL);
}

static void
test_auth_bad(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n, *s;
	const irmf_finding *f;

	n = rf_node(fl, "RMS01");
	rf_auth_ok(n);
	assert_int_equal(irmf_snapshot_add_authorization(n, "CONTOSO\\EX03$",
	    IRMF_ACCOUNT_COMPUTER, IRMF_ROLE_EXCHANGE), 0);
	assert_int_equal(irmf_snapshot_add_authorization(n, "CONTOSO\\EX04$",
	    IRMF_ACCOUNT_COMPUTER, IRMF_ROLE_SHAREPOINT), 0);
	assert_int_equal(irmf_snapshot_add_authorization(n, "CONTOSO\\SP03$",
	    IRMF_ACCOUNT_COMPUTER, IRMF_ROLE_SHAREPOINT), 0);
	/* RMS03 holds the same list in another order; RMS02 an old one */
	n = rf_node(fl, "RMS03");
	for (size_t i = fl->s[0]->nauths; i-- > 0;)
		assert_int_equal(irmf_snapshot_add_authorization(n,
		    fl->s[0]->auths[i].account, fl->s[0]->auths[i].kind,
		    fl->s[0]->auths[i].role), 0);
	n->has_authorizations = true;
	rf_auth_ok(rf_node(fl, "RMS02"));

	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$",
	    "CONTOSO\\Exchange Servers", NULL);
	rf_ident(rf_exch(fl, "EX02", "v15"), "CONTOSO\\EX02$",
	    "CONTOSO\\Exchange Servers", NULL);
	/* its own account and the group */
	rf_ident(rf_exch(fl, "EX03", "v15"), "CONTOSO\\EX03$",
	    "CONTOSO\\Exchange Servers", NULL);
	/* only individually, and with the SharePoint role */
	rf_ident(rf_exch(fl, "EX04", "v15"), "CONTOSO\\EX04$", NULL, NULL);
	/* identity could not be read */
	s = rf_exch(fl, "EX05", "v15");
	assert_int_equal(irmf_snapshot_add_error(s, "groups",
	    IRMF_REASON_ACCESS_DENIED, NULL), 0);
	rf_exch(fl, "EX06", "v15");   /* identity not exported: unknown */
	rf_ident(rf_msdrm_client(fl, "FS02", IRMF_ROLE_FCI, NULL), "CONTOSO\\FS02$",
	    "CONTOSO\\Domain Computers", NULL);
	rf_ident(rf_sp13(fl, "SP02"), "CONTOSO\\SP02$", NULL, "CONTOSO\\svc-other");
	/* Local System: authorized through the computer account */
	rf_ident(rf_sp13(fl, "SP03"), "CONTOSO\\SP03$", NULL, NULL);
	rf_expect(fl, "auth-nodes-agree RMS02 rule",
	    "auth-multiple-rules EX03 rule",
	    "auth-exchange-role EX04 rule",
	    "auth-exchange-same-rule EX04 rule",
	    "auth-not-authorized EX05 not-collected",
	    "auth-not-authorized FS02 rule",
	    "auth-not-authorized SP02 rule", NULL);
	f = rf_find(fl, "auth-exchange-same-rule", "EX04");
	assert_string_equal(f->value, "CONTOSO\\EX04$ (sharepoint)");
	assert_string_equal(f->expected, "contoso\\exchange servers");
	assert_non_null(strstr(rf_find(fl, "auth-not-authorized",
	    "FS02")->remediation, "CONTOSO\\FS02$"));
	/* SharePoint is authorized through its service account */
	assert_non_null(strstr(rf_find(fl, "auth-not-authorized",
	    "SP02")->remediation, "authorize CONTOSO\\svc-other (the service "
	    "account"));
	assert_string_equal(rf_find(fl, "auth-multiple-rules", "EX03")->value,
	    "CONTOSO\\Exchange Servers (exchange); CONTOSO\\EX03$ (exchange)");
}

static void
test_auth_exchange_not_in_group(void **state)
{
	rf_fleet *fl = *state;

	rf_auth_ok(rf_node(fl, "RMS01"));
	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$",
	    "CONTOSO\\Exchange Servers", NULL);
	rf_ident(rf_exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	rf_expect(fl, "auth-not-authorized EX02 rule", NULL);
	/* the fix names the group the peers are authorized through */
	assert_non_null(strstr(rf_find(fl, "auth-not-authorized",
	    "EX02")->remediation, "make CONTOSO\\EX02$ a member of the "
	    "security group its Exchange peers are authorized through "
	    "(CONTOSO\\Exchange Servers)"));
}

static void
test_auth_two_exchange_disagree(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n = rf_node(fl, "RMS01");

	assert_int_equal(irmf_snapshot_add_authorization(n, "CONTOSO\\EX01$",
	    IRMF_ACCOUNT_COMPUTER, IRMF_ROLE_EXCHANGE), 0);
	assert_int_equal(irmf_snapshot_add_authorization(n,
	    "CONTOSO\\Exchange Servers", IRMF_ACCOUNT_GROUP,
	    IRMF_ROLE_EXCHANGE), 0);
	n->has_authorizations = true;
	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX02", "v15"), "CONTOSO\\EX02$",
	    "CONTOSO\\Exchange Servers", NULL);
	rf_expect(fl, "auth-exchange-same-rule EX01 rule",
	    "auth-exchange-same-rule EX02 rule", NULL);
}

static void
test_auth_lists_failed(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n;
	const irmf_finding *f;

	n = rf_node(fl, "RMS01");
	assert_int_equal(irmf_snapshot_add_error(n, "authorizations",
	    IRMF_REASON_COMMAND_FAILED, "no access to the connector tool"), 0);
	rf_node(fl, "RMS02");   /* list not exported */
	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$",
	    "CONTOSO\\Exchange Servers", NULL);
	rf_ident(rf_sp13(fl, "SP01"), NULL, NULL, "CONTOSO\\svc-sp");
	/* one "not checked" per server for all auth-* rules, naming the node */
	rf_expect(fl, "auth-not-authorized EX01 not-collected",
	    "auth-not-authorized SP01 not-collected", NULL);
	f = rf_find(fl, "auth-not-authorized", "SP01");
	assert_non_null(strstr(f->explanation, "'authorizations' on connector "
	    "node RMS01 failed"));
	assert_non_null(strstr(f->explanation, "auth-*"));
}

/* SharePoint's documented set-up: the Central Administration account and
 * the app pool account each authorized (issue 15 #2).  Two rules for one
 * server are fine; two rules for one account are not; an account without
 * a rule is named. */
static void
test_auth_sharepoint_accounts(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n = rf_node(fl, "RMS01"), *s;
	const irmf_finding *f;

	rf_auth_ok(n);
	assert_int_equal(irmf_snapshot_add_authorization(n,
	    "CONTOSO\\svc-spapp", IRMF_ACCOUNT_USER, IRMF_ROLE_SHAREPOINT), 0);
	assert_int_equal(irmf_snapshot_add_authorization(n,
	    "CONTOSO\\svc-dup", IRMF_ACCOUNT_USER, IRMF_ROLE_SHAREPOINT), 0);
	assert_int_equal(irmf_snapshot_add_authorization(n, "svc-dup",
	    IRMF_ACCOUNT_USER, IRMF_ROLE_SHAREPOINT), 0);
	s = rf_sp13(fl, "SP01");
	rf_ident(s, "CONTOSO\\SP01$", NULL, "CONTOSO\\svc-sp");
	rf_ident(s, NULL, NULL, "CONTOSO\\svc-spapp");
	s = rf_sp13(fl, "SP02");   /* its app pool account has no rule */
	rf_ident(s, "CONTOSO\\SP02$", NULL, "CONTOSO\\svc-sp");
	rf_ident(s, NULL, NULL, "CONTOSO\\svc-nope");
	s = rf_sp13(fl, "SP03");   /* one account named by two rules */
	rf_ident(s, "CONTOSO\\SP03$", NULL, "CONTOSO\\svc-sp");
	rf_ident(s, NULL, NULL, "CONTOSO\\svc-dup");
	rf_expect(fl, "auth-not-authorized SP02 rule",
	    "auth-multiple-rules SP03 rule", NULL);
	assert_string_equal(rf_find(fl, "auth-not-authorized", "SP02")->value,
	    "CONTOSO\\svc-nope (no rule)");
	f = rf_find(fl, "auth-multiple-rules", "SP03");
	assert_string_equal(f->value,
	    "CONTOSO\\svc-dup (sharepoint); svc-dup (sharepoint)");
	assert_non_null(strstr(f->expected, "for each account"));
}

/* Nested groups (issue 15 #10): a server matched by no rule whose groups
 * were read one level deep is "cannot tell", not "not authorized"; with
 * token groups it is not authorized. */
static void
test_auth_direct_groups_unknown(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;
	const irmf_finding *f;

	rf_auth_ok(rf_node(fl, "RMS01"));
	s = rf_msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	rf_ident(s, "CONTOSO\\FS01$", "CONTOSO\\File Servers", NULL);
	s->groups_scope = IRMF_GROUPS_DIRECT;
	s = rf_msdrm_client(fl, "FS02", IRMF_ROLE_FCI, NULL);
	rf_ident(s, "CONTOSO\\FS02$", "CONTOSO\\File Servers", NULL);
	s->groups_scope = IRMF_GROUPS_TOKEN;
	/* direct-only but matched: authorized, nothing to say */
	s = rf_msdrm_client(fl, "FS03", IRMF_ROLE_FCI, NULL);
	rf_ident(s, "CONTOSO\\FS03$", "CONTOSO\\FCI Servers", NULL);
	s->groups_scope = IRMF_GROUPS_DIRECT;
	/* a group of another domain, read from the token: matched */
	assert_int_equal(irmf_snapshot_add_authorization(fl->s[0],
	    "FABRIKAM\\RMS Users", IRMF_ACCOUNT_GROUP, IRMF_ROLE_FCI), 0);
	s = rf_msdrm_client(fl, "FS04", IRMF_ROLE_FCI, NULL);
	rf_ident(s, "CONTOSO\\FS04$", "FABRIKAM\\RMS Users", NULL);
	s->groups_scope = IRMF_GROUPS_TOKEN;
	rf_expect(fl, "auth-membership-unknown FS01 rule",
	    "auth-not-authorized FS02 rule", NULL);
	f = rf_find(fl, "auth-membership-unknown", "FS01");
	assert_int_equal(f->severity, IRMF_SEV_INFO);
	assert_non_null(strstr(f->remediation, "gpresult /scope computer /r"));
	assert_non_null(strstr(f->distribution, "direct member"));
}

/* auth-exchange-role names the rule, its role and the change (issue 10
 * #8). */
static void
test_auth_exchange_role_text(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n = rf_node(fl, "RMS01");
	const irmf_finding *f;

	assert_int_equal(irmf_snapshot_add_authorization(n,
	    "CONTOSO\\Mail Servers", IRMF_ACCOUNT_GROUP, IRMF_ROLE_FCI), 0);
	n->has_authorizations = true;
	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$",
	    "CONTOSO\\Mail Servers", NULL);
	rf_expect(fl, "auth-exchange-role EX01 rule", NULL);
	f = rf_find(fl, "auth-exchange-role", "EX01");
	assert_string_equal(f->value, "CONTOSO\\Mail Servers (fci)");
	assert_string_equal(f->expected,
	    "CONTOSO\\Mail Servers with the role Exchange Server");
	assert_non_null(strstr(f->distribution, "the only rule that "
	    "authorizes EX01 is CONTOSO\\Mail Servers, with the role fci"));
	assert_non_null(strstr(f->remediation, "add the same account again "
	    "with the role Exchange Server"));
}

/* A node whose authorization list was downloaded and is empty: nobody
 * may use the connector.  A node whose list was not exported says
 * nothing about it. */
static void
test_auth_list_empty(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n;
	const irmf_finding *f;

	n = rf_node(fl, "RMS01");
	n->has_authorizations = true;
	rf_node(fl, "RMS02");
	rf_expect(fl, "auth-list-empty RMS01 rule", NULL);
	f = rf_find(fl, "auth-list-empty", "RMS01");
	assert_int_equal(f->severity, IRMF_SEV_ERROR);
	assert_string_equal(f->cohort, "connector");
}

/* ------------------------------------- lists derived from event 1004 */

static void
derive(irmf_snapshot *n, const char *at, ...)
{
	const char *acc[16];
	size_t k = 0;
	va_list ap;

	va_start(ap, at);
	while (k < 16 && (acc[k] = va_arg(ap, const char *)) != NULL)
		k++;
	va_end(ap);
	assert_int_equal(irmf_snapshot_note_1004(n, at, acc, k), 0);
}

static void
assert_no_error(const rf_fleet *fl)
{
	for (size_t i = 0; i < fl->f.n; i++)
		if (fl->f.items[i].severity == IRMF_SEV_ERROR)
			fail_msg("error finding %s on %s from a derived list",
			    fl->f.items[i].rule_id, fl->f.items[i].server);
}

/* Lists derived from event 1004 (no typed list anywhere): nodes whose
 * lists differ drift (the same parser read both); servers are matched
 * to the accounts (several, another than the Exchange peers', none) but
 * only as warnings that say the list came from 1004; the roles are said
 * to be unknown once; no error rests on a derived list. */
static void
test_auth_derived(void **state)
{
	rf_fleet *fl = *state;
	const irmf_finding *f;

	derive(rf_node(fl, "RMS01"), "2026-11-20T10:15:02Z",
	    "CONTOSO\\Exchange Servers", "CONTOSO\\EX03$", "CONTOSO\\EX06$",
	    "CONTOSO\\FS01$", NULL);
	derive(rf_node(fl, "RMS02"), "2026-11-20T10:14:40Z",
	    "CONTOSO\\Exchange Servers", NULL);
	derive(rf_node(fl, "RMS03"), "2026-11-20T10:16:00Z",
	    "contoso\\fs01$", "CONTOSO\\EX06$", "CONTOSO\\EX03$",
	    "CONTOSO\\Exchange Servers", NULL);
	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$",
	    "CONTOSO\\Exchange Servers", NULL);
	rf_ident(rf_exch(fl, "EX02", "v15"), "CONTOSO\\EX02$",
	    "CONTOSO\\Exchange Servers", NULL);
	rf_ident(rf_exch(fl, "EX03", "v15"), "CONTOSO\\EX03$",
	    "CONTOSO\\Exchange Servers", NULL);
	rf_ident(rf_exch(fl, "EX04", "v15"), "CONTOSO\\EX04$", NULL, NULL);
	rf_ident(rf_exch(fl, "EX06", "v15"), "CONTOSO\\EX06$", NULL, NULL);
	rf_ident(rf_msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL),
	    "CONTOSO\\FS01$", NULL, NULL);
	/* a group of unknown kind may hold the service account: unknown */
	rf_ident(rf_sp13(fl, "SP01"), "CONTOSO\\SP01$", NULL, "CONTOSO\\svc-sp");
	rf_expect(fl, "auth-nodes-agree RMS02 rule",
	    "auth-derived-roles RMS01 rule",
	    "auth-derived-multiple-rules EX03 rule",
	    "auth-derived-not-listed EX04 rule",
	    "auth-derived-other-rule EX06 rule", NULL);
	assert_no_error(fl);
	f = rf_find(fl, "auth-nodes-agree", "RMS02");
	assert_string_equal(f->value, "CONTOSO\\Exchange Servers");
	assert_non_null(strstr(f->distribution, "event 1004"));
	f = rf_find(fl, "auth-derived-not-listed", "EX04");
	assert_int_equal(f->severity, IRMF_SEV_WARNING);
	assert_non_null(strstr(f->distribution, "event 1004 on RMS01 "
	    "(2026-11-20T10:15:02Z"));
	assert_non_null(strstr(f->distribution, "roles are not known"));
	assert_non_null(strstr(f->remediation, "as CSV (docs/authorization-"
	    "list.md)"));
	assert_string_equal(rf_find(fl, "auth-derived-multiple-rules",
	    "EX03")->value, "CONTOSO\\Exchange Servers; CONTOSO\\EX03$");
	f = rf_find(fl, "auth-derived-other-rule", "EX06");
	assert_string_equal(f->value, "CONTOSO\\EX06$");
	assert_string_equal(f->expected, "contoso\\exchange servers");
	f = rf_find(fl, "auth-derived-roles", "RMS01");
	assert_int_equal(f->severity, IRMF_SEV_INFO);
	assert_non_null(strstr(f->explanation, "auth-exchange-role is not "
	    "checked"));
}

/* A typed list wins: with one imported for RMS01, RMS02's derived list
 * is neither compared with it nor used, and the CSV rules run (with
 * their error severity). */
static void
test_auth_derived_csv_wins(void **state)
{
	rf_fleet *fl = *state;

	rf_auth_ok(rf_node(fl, "RMS01"));
	derive(rf_node(fl, "RMS02"), "2026-11-20T10:15:02Z",
	    "CONTOSO\\EX04$", NULL);
	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$",
	    "CONTOSO\\Exchange Servers", NULL);
	rf_ident(rf_exch(fl, "EX04", "v15"), "CONTOSO\\EX04$", NULL, NULL);
	rf_expect(fl, "auth-not-authorized EX04 rule", NULL);
	assert_int_equal(rf_find(fl, "auth-not-authorized", "EX04")->severity,
	    IRMF_SEV_ERROR);
}

/* Where a derived list cannot settle it, nothing is said: a SID in the
 * list (it may be the server's account or a group of its), groups read
 * one level deep only. */
static void
test_auth_derived_cannot_tell(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *s;

	derive(rf_node(fl, "RMS01"), "2026-11-20T10:15:02Z",
	    "CONTOSO\\Exchange Servers", NULL);
	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$",
	    "CONTOSO\\Exchange Servers", NULL);
	s = rf_exch(fl, "EX02", "v15");
	rf_ident(s, "CONTOSO\\EX02$", "CONTOSO\\Domain Computers", NULL);
	s->groups_scope = IRMF_GROUPS_DIRECT;
	rf_expect(fl, "auth-derived-roles RMS01 rule", NULL);
	rf_teardown(state);
	rf_setup(state);
	fl = *state;
	derive(rf_node(fl, "RMS01"), "2026-11-20T10:15:02Z",
	    "CONTOSO\\Exchange Servers",
	    "S-1-5-21-1004336348-1177238915-682003330-1120", NULL);
	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$",
	    "CONTOSO\\Exchange Servers", NULL);
	rf_ident(rf_exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	rf_expect(fl, "auth-derived-roles RMS01 rule", NULL);
}

/* The newest 1004 named no account: nothing derived, no auth-* rule ran,
 * and one info says so with the command to send its XML; not in a fleet
 * that has a typed list. */
static void
test_auth_derived_unreadable(void **state)
{
	rf_fleet *fl = *state;
	irmf_snapshot *n = rf_node(fl, "RMS01");
	const irmf_finding *f;

	derive(n, "2026-11-20T10:15:02Z", NULL);
	assert_false(n->has_authorizations);
	rf_node(fl, "RMS02");
	rf_ident(rf_exch(fl, "EX04", "v15"), "CONTOSO\\EX04$", NULL, NULL);
	rf_expect(fl, "auth-derived-unreadable RMS01 rule", NULL);
	f = rf_find(fl, "auth-derived-unreadable", "RMS01");
	assert_int_equal(f->severity, IRMF_SEV_INFO);
	assert_non_null(strstr(f->value, "2026-11-20T10:15:02Z"));
	assert_non_null(strstr(f->remediation, "Get-WinEvent -FilterHashtable "
	    "@{LogName='Application'; ProviderName='Microsoft RMS connector'; "
	    "Id=1004} -MaxEvents 1 | ForEach-Object { $_.ToXml() }"));
	assert_non_null(strstr(f->explanation, "not an empty list"));
	rf_auth_ok(rf_node(fl, "RMS02"));
	rf_ident(rf_exch(fl, "EX01", "v15"), "CONTOSO\\EX01$",
	    "CONTOSO\\Exchange Servers", NULL);
	rf_expect(fl, "auth-not-authorized EX04 rule", NULL);
}

/* Must run last: every rule of rules_auth.c fired above. */
static void
test_every_rule_fired(void **state)
{
	(void)state;
	rf_assert_module_fired("auth");
}

#define T(f) cmocka_unit_test_setup_teardown(f, rf_setup, rf_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_auth_good),
		T(test_auth_bad),
		T(test_auth_exchange_not_in_group),
		T(test_auth_two_exchange_disagree),
		T(test_auth_lists_failed),
		T(test_auth_sharepoint_accounts),
		T(test_auth_direct_groups_unknown),
		T(test_auth_exchange_role_text),
		T(test_auth_list_empty),
		T(test_auth_derived),
		T(test_auth_derived_csv_wins),
		T(test_auth_derived_cannot_tell),
		T(test_auth_derived_unreadable),
		cmocka_unit_test(test_every_rule_fired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
