/*
 * rules_auth.c - the connector nodes' "servers allowed to utilize the
 * connector" list against each server's identity: the reference list most
 * nodes hold, whether the nodes agree, which rows authorize each server
 * (its computer account, its groups, a service account) and which single
 * rule most Exchange servers match.  Prepared once per run
 * (irmf_rules_prepare_auth, called from rules_connector.c), then each
 * per-server check is cheap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "error.h"
#include "irmfleet/store.h"
#include "normalize.h"
#include "rules_int.h"
#include "settings.h"

/* --------------------------------------------------- authorization list */

/* "account (role); ..." for display, or the sorted lowercase
 * "account|role" lines used to compare lists. */
static char *
auth_list_text(const irmf_snapshot *node, bool norm)
{
	char **lines = calloc(node->nauths + 1, sizeof(char *));
	irmf_buf b = { 0 };

	if (lines == NULL) {
		irmf_error_oom();
		return NULL;
	}
	for (size_t i = 0; i < node->nauths; i++) {
		const irmf_authorization *a = &node->auths[i];
		irmf_buf l = { 0 };
		char *acc = norm ? irmf_lower(a->account) : NULL;
		irmf_buf_add(&l, norm ? acc : a->account);
		if (node->auth_source == IRMF_AUTH_TYPED) {
			/* a derived list has no roles to compare or show */
			irmf_buf_add(&l, norm ? "|" : " (");
			irmf_buf_add(&l, irmf_role_name(a->role));
			if (!norm)
				irmf_buf_add(&l, ")");
		}
		free(acc);
		if (norm && acc == NULL)
			l.err = true;
		lines[i] = irmf_buf_take(&l);
		if (lines[i] == NULL)
			b.err = true;
	}
	if (norm && !b.err)
		qsort(lines, node->nauths, sizeof(char *), irmf_rule_cmp_cstr);
	for (size_t i = 0; i < node->nauths; i++) {
		if (i > 0)
			irmf_buf_add(&b, norm ? "\n" : "; ");
		irmf_buf_add(&b, lines[i]);
		free(lines[i]);
	}
	free(lines);
	return irmf_buf_take(&b);
}

/* The source the fleet's reference list comes from: a typed list
 * wherever one was imported (it has the roles), else the lists derived
 * from the nodes' event 1004.  Lists of the other source are left out:
 * a typed list and a derived one differ in spelling and roles without
 * any drift. */
static irmf_auth_source
fleet_source(const irmf_rule_run *run)
{
	for (size_t i = 0; i < run->n; i++) {
		const irmf_snapshot *s = run->snaps[i];
		if (irmf_rule_is_node(s) && s->has_authorizations &&
		    s->auth_source == IRMF_AUTH_TYPED)
			return IRMF_AUTH_TYPED;
	}
	return IRMF_AUTH_EVENT_1004;
}

/* Whether s's list is one the rules compare (of the fleet's source). */
static bool
of_source(const irmf_rule_run *run, const irmf_snapshot *s)
{
	return s->has_authorizations && s->auth_source ==
	    (run->auth_derived ? IRMF_AUTH_EVENT_1004 : IRMF_AUTH_TYPED);
}

/* The list most nodes hold is the reference (first node wins a tie). */
int
irmf_rules_prepare_auth(irmf_rule_run *run)
{
	size_t best = 0, best_count = 0, ties = 0;
	char **keys = calloc(run->n + 1, sizeof(char *));
	int rc = IRMF_OK;

	if (keys == NULL)
		return irmf_error_oom();
	run->auth_derived = fleet_source(run) == IRMF_AUTH_EVENT_1004;
	for (size_t i = 0; i < run->n && rc >= 0; i++) {
		const irmf_snapshot *s = run->snaps[i];
		if (!irmf_rule_is_node(s))
			continue;
		if (!s->has_authorizations) {
			if (run->auth_failed == NULL &&
			    (run->auth_failed = irmf_rule_node_error(s,
			    "authorizations")) != NULL)
				run->auth_failed_node = s->server;
			continue;
		}
		if (!of_source(run, s))
			continue;
		run->auth_nodes++;
		if ((keys[i] = auth_list_text(s, true)) == NULL)
			rc = IRMF_ENOMEM;
	}
	for (size_t i = 0; i < run->n && rc >= 0; i++) {
		size_t c = 0;
		if (keys[i] == NULL)
			continue;
		for (size_t j = 0; j < run->n; j++)
			c += keys[j] != NULL && strcmp(keys[i], keys[j]) == 0;
		if (c > best_count) {
			best = i;
			best_count = c;
			ties = 0;
		} else if (c == best_count && strcmp(keys[i], keys[best]) != 0) {
			ties++;
		}
	}
	if (rc >= 0 && best_count > 0) {
		run->auth_ref = run->snaps[best];
		run->auth_key = keys[best];
		keys[best] = NULL;
		run->auth_split = ties > 0;
	}
	for (size_t i = 0; i < run->n; i++)
		free(keys[i]);
	free(keys);
	return rc;
}

/* The rows of the reference list that authorize server s, and whether
 * there are rows irmfleet cannot resolve for it (groups whose members
 * are not known, as for a SharePoint service account). */
typedef struct auth_match {
	const irmf_authorization *rows[8];
	size_t n;
	bool unresolved;
} auth_match;

/* The identity "the computer's token": its account NAME$ and its groups,
 * as opposed to index i of the service accounts. */
#define TOKEN_ID ((size_t)-1)

/* SharePoint runs as service accounts (Central Administration and the
 * application pool): those are what the connector sees, each on its
 * own; everything else (Exchange, FCI, SharePoint as Local System) is
 * seen as the computer account with its token groups. */
static bool
uses_service_accounts(const irmf_snapshot *s)
{
	return (s->roles & IRMF_ROLE_SHAREPOINT) && s->service_accounts.n > 0;
}

static bool
principal_matches(const irmf_snapshot *s, const char *account, size_t id)
{
	char own[300];

	if (id != TOKEN_ID)
		return irmf_account_eq(account, s->service_accounts.items[id]);
	/* Local System runs as the computer account NAME$ */
	snprintf(own, sizeof(own), "%s$", s->server ? s->server : "");
	if (irmf_account_eq(account, s->computer_account ?
	    s->computer_account : own))
		return true;
	for (size_t i = 0; i < s->groups.n; i++)
		if (irmf_account_eq(account, s->groups.items[i]))
			return true;
	return false;
}

/* Add the rows that authorize identity id of s to m. */
static void
match_ident(const irmf_rule_run *run, const irmf_snapshot *s, size_t id,
    auth_match *m)
{
	const irmf_snapshot *ref = run->auth_ref;

	for (size_t i = 0; i < ref->nauths; i++) {
		const irmf_authorization *a = &ref->auths[i];
		if (principal_matches(s, a->account, id)) {
			if (m->n < sizeof(m->rows) / sizeof(m->rows[0]))
				m->rows[m->n] = a;
			m->n++;
		} else if (id != TOKEN_ID && ((a->kind == IRMF_ACCOUNT_GROUP &&
		    a->role == IRMF_ROLE_SHAREPOINT) ||
		    a->kind == IRMF_ACCOUNT_UNKNOWN)) {
			/* a group (or, derived, maybe one) may hold the
			 * service account: its members are not known */
			m->unresolved = true;
		}
	}
}

/* All rows that authorize any identity of s. */
static void
auth_rows_for(const irmf_rule_run *run, const irmf_snapshot *s,
    auth_match *m)
{
	memset(m, 0, sizeof(*m));
	if (!uses_service_accounts(s)) {
		match_ident(run, s, TOKEN_ID, m);
		return;
	}
	for (size_t i = 0; i < s->service_accounts.n; i++)
		match_ident(run, s, i, m);
}

/* 1 if the server can be matched against the list, 0 to skip (reported
 * as not collected when a source failed), <0 error. */
static int
auth_gate(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, auth_match *m)
{
	const irmf_collect_error *e;
	int rc;

	if (run->auth_ref == NULL && run->auth_failed == NULL)
		return 0;   /* no connector list in this fleet */
	if (run->auth_ref != NULL && run->auth_derived != (rule->check ==
	    irmf_chk_auth_derived))
		return 0;   /* the auth-derived-* rules judge derived lists */
	e = run->auth_ref == NULL ? run->auth_failed :
	    irmf_setting_collect_error(s, "identity:groups");
	if (e != NULL) {
		/* one "not checked" for all auth-* rules of this server */
		if (run->nc_auth_mark == run->cur + 1)
			return 0;
		run->nc_auth_mark = run->cur + 1;
		rc = irmf_rule_not_collected_on(run, rule, s, "auth:rule", e,
		    run->auth_ref == NULL ? run->auth_failed_node : NULL,
		    "the authorization rules (auth-*)");
		return rc < 0 ? rc : 0;
	}
	if (!irmf_section_present(s, IRMF_SECTION_GROUPS) &&
	    s->service_accounts.n == 0)
		return 0;   /* identity not exported: nothing to match */
	auth_rows_for(run, s, m);
	return 1;
}

static char *
rows_text(const auth_match *m)
{
	irmf_buf b = { 0 };
	size_t shown = m->n < 8 ? m->n : 8;

	for (size_t i = 0; i < shown; i++) {
		if (i > 0)
			irmf_buf_add(&b, "; ");
		irmf_buf_add(&b, m->rows[i]->account);
		if (m->rows[i]->role != 0)
			irmf_buf_printf(&b, " (%s)",
			    irmf_role_name(m->rows[i]->role));
	}
	if (m->n > shown)
		irmf_buf_printf(&b, "; and %zu more", m->n - shown);
	return irmf_buf_take(&b);
}

int
irmf_rules_prepare_exch_rules(irmf_rule_run *run)
{
	char **rules;
	size_t k = 0, best = 0, best_count = 0, ties = 0;
	int rc = IRMF_OK;

	if (run->auth_ref == NULL)
		return IRMF_OK;
	if ((rules = calloc(run->n + 1, sizeof(char *))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < run->n && rc >= 0; i++) {
		const irmf_snapshot *s = run->snaps[i];
		auth_match m;
		if (!(s->roles & IRMF_ROLE_EXCHANGE) || irmf_rule_is_node(s) ||
		    irmf_setting_collect_error(s, "identity:groups") ||
		    !irmf_section_present(s, IRMF_SECTION_GROUPS))
			continue;
		auth_rows_for(run, s, &m);
		if (m.n != 1)
			continue;
		if ((rules[k] = irmf_lower(m.rows[0]->account)) == NULL)
			rc = IRMF_ENOMEM;
		else
			k++;
	}
	if (k > 1)
		qsort(rules, k, sizeof(char *), irmf_rule_cmp_cstr);
	/* runs of equal strings in the sorted array */
	for (size_t i = 0; i < k && rc >= 0;) {
		size_t j = i;
		while (j < k && strcmp(rules[j], rules[i]) == 0)
			j++;
		run->exch_rule_kinds++;
		if (j - i > best_count) {
			best = i;
			best_count = j - i;
			ties = 0;
		} else if (j - i == best_count) {
			ties++;
		}
		i = j;
	}
	if (rc >= 0 && best_count > 0) {
		run->exch_rule = rules[best];
		rules[best] = NULL;
		run->exch_rule_unique = ties == 0;
	}
	for (size_t i = 0; i < k; i++)
		free(rules[i]);
	free(rules);
	return rc;
}

int
irmf_chk_auth_list_empty(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	if (!s->has_authorizations || s->nauths > 0 ||
	    s->auth_source != IRMF_AUTH_TYPED)
		return IRMF_OK;
	return irmf_rule_report(run, rule, s, "auth:list", "(empty)",
	    "the Exchange, SharePoint and file servers' accounts or groups",
	    NULL);
}

int
irmf_chk_auth_nodes_agree(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	const irmf_collect_error *e;
	char *key = NULL, *mine = NULL, *ref = NULL, dist[160];
	int rc = IRMF_OK;

	if (!s->has_authorizations) {
		/* only worth saying when other nodes have theirs */
		if (run->auth_ref != NULL &&
		    (e = irmf_rule_node_error(s, "authorizations")) != NULL)
			return irmf_rule_not_collected(run, rule, s,
			    "auth:list", e);
		return IRMF_OK;
	}
	if (run->auth_nodes < 2 || !of_source(run, s))
		return IRMF_OK;
	if ((key = auth_list_text(s, true)) == NULL)
		return IRMF_ENOMEM;
	if (!run->auth_split && strcmp(key, run->auth_key) == 0)
		goto out;
	mine = auth_list_text(s, false);
	ref = run->auth_split ? NULL : auth_list_text(run->auth_ref, false);
	if (mine == NULL || (!run->auth_split && ref == NULL)) {
		rc = IRMF_ENOMEM;
		goto out;
	}
	snprintf(dist, sizeof(dist), run->auth_split ?
	    "%zu connector nodes do not agree on one list%s%s" :
	    "%zu connector nodes have their list; most hold the expected "
	    "one%s%s", run->auth_nodes, run->auth_derived ? "; each list is "
	    "the accounts of the node's newest event 1004, this node's at " :
	    "", run->auth_derived && s->auth_at ? s->auth_at : "");
	rc = irmf_rule_report(run, rule, s, "auth:list", mine, ref ? ref :
	    "the same list on every connector node", dist);
out:
	free(key);
	free(mine);
	free(ref);
	return rc;
}

/* A server none of whose rows matched: is that because it is not
 * authorized, or because only its direct groups are known (a group
 * nested in an authorized group would not show)? */
static bool
membership_unknown(const irmf_snapshot *s)
{
	return !uses_service_accounts(s) &&
	    s->groups_scope == IRMF_GROUPS_DIRECT;
}

/* auth-not-authorized ("none"): some identity of the server has no rule;
 * auth-membership-unknown ("unknown"): no rule matched but the groups
 * were read one level deep only, so "not authorized" cannot be told. */
static int
auth_none(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, const auth_match *all, bool unknown)
{
	irmf_buf b = { 0 };
	char *val;
	int rc;

	if (all->unresolved)
		return IRMF_OK;     /* a group rule may hold the account */
	if (all->n == 0) {
		if (membership_unknown(s) != unknown)
			return IRMF_OK;
		return irmf_rule_report(run, rule, s, "auth:rule", NULL,
		    unknown ? "a rule for the computer account or for a group "
		    "its token holds (nested groups included)" :
		    "exactly one rule: the server's account or one group "
		    "containing it", unknown ? "only the groups the computer "
		    "account is a direct member of were collected" : NULL);
	}
	if (unknown || !uses_service_accounts(s))
		return IRMF_OK;
	/* SharePoint: each account it runs as needs its rule */
	for (size_t i = 0; i < s->service_accounts.n; i++) {
		auth_match m = { 0 };
		match_ident(run, s, i, &m);
		if (m.n > 0)
			continue;
		if (b.n > 0)
			irmf_buf_add(&b, "; ");
		irmf_buf_add(&b, s->service_accounts.items[i]);
		irmf_buf_add(&b, " (no rule)");
	}
	if (b.n == 0 && !b.err)
		return IRMF_OK;
	if ((val = irmf_buf_take(&b)) == NULL)
		return IRMF_ENOMEM;
	rc = irmf_rule_report(run, rule, s, "auth:rule", val,
	    "one rule for each account SharePoint runs as (Central "
	    "Administration and application pool), or one group containing "
	    "them", NULL);
	free(val);
	return rc;
}

/* auth-multiple-rules: an identity matched by two rules or more.  Each
 * SharePoint service account counts on its own: the documented set-up
 * authorizes the Central Administration account and the app pool
 * account, two rules for one server that are both needed. */
static int
auth_many(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	size_t nid = uses_service_accounts(s) ? s->service_accounts.n : 1;
	auth_match over = { 0 };
	char *val;
	int rc;

	for (size_t i = 0; i < nid; i++) {
		auth_match m = { 0 };
		match_ident(run, s, uses_service_accounts(s) ? i : TOKEN_ID, &m);
		if (m.n < 2)
			continue;
		for (size_t j = 0; j < m.n && j < 8; j++) {
			if (over.n < 8)
				over.rows[over.n] = m.rows[j];
			over.n++;
		}
		over.n += m.n > 8 ? m.n - 8 : 0;
	}
	if (over.n == 0)
		return IRMF_OK;
	if ((val = rows_text(&over)) == NULL)
		return IRMF_ENOMEM;
	rc = irmf_rule_report(run, rule, s, "auth:rule", val,
	    uses_service_accounts(s) ? "exactly one rule for each account "
	    "SharePoint runs as" : "exactly one rule", NULL);
	free(val);
	return rc;
}

int
irmf_chk_auth_count(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	auth_match m;
	int rc;

	if ((rc = auth_gate(rule, run, s, &m)) <= 0)
		return rc;
	if (strcmp(rule->want, "none") == 0)
		return auth_none(rule, run, s, &m, false);
	if (strcmp(rule->want, "unknown") == 0)
		return auth_none(rule, run, s, &m, true);
	return auth_many(rule, run, s);
}

/* The one rule that authorizes an Exchange server has another role: name
 * the rule, its role and the change. */
int
irmf_chk_auth_exchange_role(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	auth_match m;
	char *val, want[400], dist[400];
	int rc;

	if ((rc = auth_gate(rule, run, s, &m)) <= 0)
		return rc;
	if (m.n != 1 || m.rows[0]->role == IRMF_ROLE_EXCHANGE)
		return IRMF_OK;
	if ((val = rows_text(&m)) == NULL)
		return IRMF_ENOMEM;
	snprintf(want, sizeof(want), "%s with the role Exchange Server",
	    m.rows[0]->account);
	snprintf(dist, sizeof(dist), "the only rule that authorizes %s is "
	    "%s, with the role %s: it does not grant the super user rights "
	    "Exchange needs", s->server ? s->server : "this server",
	    m.rows[0]->account, irmf_role_name(m.rows[0]->role));
	rc = irmf_rule_report(run, rule, s, "auth:rule", val, want, dist);
	free(val);
	return rc;
}

int
irmf_chk_auth_same_rule(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	auth_match m;
	char *val, dist[200];
	int rc;

	if ((rc = auth_gate(rule, run, s, &m)) <= 0)
		return rc;
	if (m.n != 1 || run->exch_rule_kinds < 2)
		return IRMF_OK;
	if (run->exch_rule_unique &&
	    strcasecmp(m.rows[0]->account, run->exch_rule) == 0)
		return IRMF_OK;
	if ((val = rows_text(&m)) == NULL)
		return IRMF_ENOMEM;
	snprintf(dist, sizeof(dist), run->exch_rule_unique ?
	    "Exchange servers are authorized by %zu different rules; most by "
	    "%s" : "Exchange servers are authorized by %zu different rules; "
	    "none is used by most of them%s", run->exch_rule_kinds,
	    run->exch_rule_unique ? run->exch_rule : "");
	rc = irmf_rule_report(run, rule, s, "auth:rule", val,
	    run->exch_rule_unique ? run->exch_rule :
	    "one rule shared by every Exchange server", dist);
	free(val);
	return rc;
}


/* ------------------------------------------- lists derived from 1004 */

/*
 * The message layout of event 1004 is not confirmed (no real capture),
 * so a derived list never carries an error: "not listed", "several
 * rules" and "another rule than its peers" are warnings that say where
 * the list came from, and the role checks are "unknown" (the roles are
 * kept by the service, not on the node).  Where the list cannot settle
 * it (a SID irmfleet cannot tie to a name, direct-only group
 * memberships, a service account a group may hold) nothing is said.
 */

/* "CONTOSO\EX01$ is not among the N accounts ..." context. */
static void
derived_dist(const irmf_rule_run *run, char *buf, size_t cap)
{
	const irmf_snapshot *ref = run->auth_ref;

	snprintf(buf, cap, "the list is the %zu account%s of event 1004 on %s "
	    "(%s; message layout not confirmed); the rules' roles are not "
	    "known", ref->nauths, ref->nauths == 1 ? "" : "s",
	    ref->server ? ref->server : "the connector node",
	    ref->auth_at ? ref->auth_at : "time unknown");
}

/* A row that is a SID: it may be the server's account or a group of its
 * token, which are known by name only. */
static bool
has_sid_row(const irmf_snapshot *ref)
{
	for (size_t i = 0; i < ref->nauths; i++)
		if (strncasecmp(ref->auths[i].account, "S-1-", 4) == 0)
			return true;
	return false;
}

static int
derived_not_listed(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, const auth_match *m)
{
	char want[200], dist[400];
	irmf_buf b = { 0 };
	char *val;
	int rc;

	if (m->unresolved || has_sid_row(run->auth_ref) ||
	    membership_unknown(s))
		return IRMF_OK;
	if (uses_service_accounts(s)) {
		for (size_t i = 0; i < s->service_accounts.n; i++) {
			auth_match one = { 0 };
			match_ident(run, s, i, &one);
			if (one.n > 0)
				continue;
			if (b.n > 0)
				irmf_buf_add(&b, "; ");
			irmf_buf_add(&b, s->service_accounts.items[i]);
		}
		if (b.n == 0 && !b.err)
			return IRMF_OK;
		irmf_buf_add(&b, " (not in the list)");
	} else if (m->n == 0) {
		irmf_buf_add(&b, "neither the computer account nor any of its "
		    "groups is in the list");
	} else {
		return IRMF_OK;
	}
	if ((val = irmf_buf_take(&b)) == NULL)
		return IRMF_ENOMEM;
	snprintf(want, sizeof(want), "%s or a group containing it among the "
	    "accounts event 1004 lists", uses_service_accounts(s) ?
	    "each account SharePoint runs as" : "the computer account");
	derived_dist(run, dist, sizeof(dist));
	rc = irmf_rule_report(run, rule, s, "auth:rule", val, want, dist);
	free(val);
	return rc;
}

static int
derived_many(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	size_t nid = uses_service_accounts(s) ? s->service_accounts.n : 1;
	char dist[400];
	char *val = NULL;
	int rc;

	for (size_t i = 0; i < nid && val == NULL; i++) {
		auth_match m = { 0 };
		match_ident(run, s, uses_service_accounts(s) ? i : TOKEN_ID, &m);
		if (m.n >= 2 && (val = rows_text(&m)) == NULL)
			return IRMF_ENOMEM;
	}
	if (val == NULL)
		return IRMF_OK;
	derived_dist(run, dist, sizeof(dist));
	rc = irmf_rule_report(run, rule, s, "auth:rule", val,
	    "exactly one account of the list for each account it runs as",
	    dist);
	free(val);
	return rc;
}

static int
derived_other_rule(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, const auth_match *m)
{
	char dist[600], ctx[400];
	char *val;
	int rc;

	if (!(s->roles & IRMF_ROLE_EXCHANGE) || m->n != 1 ||
	    run->exch_rule_kinds < 2 || !run->exch_rule_unique ||
	    strcasecmp(m->rows[0]->account, run->exch_rule) == 0)
		return IRMF_OK;
	if ((val = rows_text(m)) == NULL)
		return IRMF_ENOMEM;
	derived_dist(run, ctx, sizeof(ctx));
	snprintf(dist, sizeof(dist), "Exchange servers match %zu different "
	    "accounts of the list; most match %s; %s", run->exch_rule_kinds,
	    run->exch_rule, ctx);
	rc = irmf_rule_report(run, rule, s, "auth:rule", val, run->exch_rule,
	    dist);
	free(val);
	return rc;
}

/* Once per fleet, on the node whose list is the reference. */
static int
derived_roles(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	char dist[400];

	if (s != run->auth_ref)
		return IRMF_OK;
	derived_dist(run, dist, sizeof(dist));
	return irmf_rule_report(run, rule, s, "auth:roles", "unknown (the "
	    "list was derived from event 1004, which names the accounts only)",
	    "the role of each rule (Exchange Server for the Exchange "
	    "servers' group)", dist);
}

static int
derived_unread(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	char val[160];

	if (s->auth_1004_unread == NULL || s->has_authorizations ||
	    !run->auth_derived)
		return IRMF_OK;   /* a typed list in the fleet settles it */
	snprintf(val, sizeof(val), "event 1004 of %s names no account "
	    "irmfleet recognizes", s->auth_1004_unread);
	return irmf_rule_report(run, rule, s, "auth:list", val,
	    "the accounts of the authorization list, one per line", NULL);
}

int
irmf_chk_auth_derived(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	auth_match m;
	int rc;

	if (strcmp(rule->want, "unread") == 0)
		return derived_unread(rule, run, s);
	if (run->auth_ref == NULL && run->auth_failed == NULL)
		return IRMF_OK;
	if (strcmp(rule->want, "roles") == 0)
		return run->auth_derived ? derived_roles(rule, run, s) :
		    IRMF_OK;
	if ((rc = auth_gate(rule, run, s, &m)) <= 0)
		return rc;
	if (strcmp(rule->want, "not-listed") == 0)
		return derived_not_listed(rule, run, s, &m);
	if (strcmp(rule->want, "many") == 0)
		return derived_many(rule, run, s);
	return derived_other_rule(rule, run, s, &m);
}
