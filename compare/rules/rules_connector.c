/*
 * rules_connector.c - checks that need the connector side (rules.c holds
 * the table): the nodes' "servers allowed to utilize the connector" list
 * against each server's identity, the nodes' events attributed to the
 * servers that caused them, and the servers' probes of the connector URL.
 *
 * Everything that crosses servers is computed once in
 * irmf_rules_prepare_connector (the reference authorization list, which
 * single rule most Exchange servers match, events per server, which URLs
 * answered some server), so each per-server check is cheap even for a
 * fleet of thousands.  Requesters in events are matched to servers through
 * a sorted name index (computer account, FQDN, short name, service
 * accounts).
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

static bool
is_node(const irmf_snapshot *s)
{
	return (s->roles & IRMF_ROLE_CONNECTOR) != 0;
}

static bool
is_client(irmf_rule_run *run, const irmf_snapshot *s)
{
	return (irmf_rule_bit(run, s) & IRMF_RC_CLIENTS) != 0;
}

static int
cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
irmf_chk_connector_on_client(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	irmf_buf b = { 0 };
	char *roles;
	int rc;

	if (!is_node(s))
		return IRMF_OK;
	for (unsigned bit = 1; bit <= IRMF_ROLE_CONNECTOR; bit <<= 1)
		if (s->roles & bit) {
			if (b.n > 0)
				irmf_buf_add(&b, ", ");
			irmf_buf_add(&b, irmf_role_name((irmf_role)bit));
		}
	if ((roles = irmf_buf_take(&b)) == NULL)
		return IRMF_ENOMEM;
	rc = irmf_rule_report(run, rule, s, "identity:roles", roles,
	    "the connector on dedicated servers", NULL);
	free(roles);
	return rc;
}

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
		irmf_buf_add(&l, norm ? "|" : " (");
		irmf_buf_add(&l, irmf_role_name(a->role));
		if (!norm)
			irmf_buf_add(&l, ")");
		free(acc);
		if (norm && acc == NULL)
			l.err = true;
		lines[i] = irmf_buf_take(&l);
		if (lines[i] == NULL)
			b.err = true;
	}
	if (norm && !b.err)
		qsort(lines, node->nauths, sizeof(char *), cmp_cstr);
	for (size_t i = 0; i < node->nauths; i++) {
		if (i > 0)
			irmf_buf_add(&b, norm ? "\n" : "; ");
		irmf_buf_add(&b, lines[i]);
		free(lines[i]);
	}
	free(lines);
	return irmf_buf_take(&b);
}

static const irmf_collect_error *
node_error(const irmf_snapshot *s, const char *item)
{
	const irmf_collect_error *e = irmf_snapshot_error_for(s, item);

	return e ? e : irmf_snapshot_error_for(s, "host");
}

/* The list most nodes hold is the reference (first node wins a tie). */
static int
prepare_auth(irmf_rule_run *run)
{
	size_t best = 0, best_count = 0, ties = 0;
	char **keys = calloc(run->n + 1, sizeof(char *));
	int rc = IRMF_OK;

	if (keys == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < run->n && rc >= 0; i++) {
		const irmf_snapshot *s = run->snaps[i];
		if (!is_node(s))
			continue;
		if (!s->has_authorizations) {
			if (run->auth_failed == NULL &&
			    (run->auth_failed = node_error(s,
			    "authorizations")) != NULL)
				run->auth_failed_node = s->server;
			continue;
		}
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
		} else if (id != TOKEN_ID && a->kind == IRMF_ACCOUNT_GROUP &&
		    a->role == IRMF_ROLE_SHAREPOINT) {
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
		irmf_buf_printf(&b, " (%s)", irmf_role_name(m->rows[i]->role));
	}
	if (m->n > shown)
		irmf_buf_printf(&b, "; and %zu more", m->n - shown);
	return irmf_buf_take(&b);
}

static int
prepare_exch_rules(irmf_rule_run *run)
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
		if (!(s->roles & IRMF_ROLE_EXCHANGE) || is_node(s) ||
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
		qsort(rules, k, sizeof(char *), cmp_cstr);
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
	if (!s->has_authorizations || s->nauths > 0)
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
		    (e = node_error(s, "authorizations")) != NULL)
			return irmf_rule_not_collected(run, rule, s,
			    "auth:list", e);
		return IRMF_OK;
	}
	if (run->auth_nodes < 2)
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
	    "%zu connector nodes do not agree on one list" :
	    "%zu connector nodes have their list; most hold the expected one",
	    run->auth_nodes);
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

/* ------------------------------------------------------------- events */

typedef struct name_ix {
	char *name;      /* lowercase */
	size_t srv;
} name_ix;

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(((const name_ix *)a)->name, ((const name_ix *)b)->name);
}

typedef struct names {
	name_ix *v;
	size_t n, cap;
	bool err;
} names;

static void
names_add(names *x, const char *name, size_t srv)
{
	if (x->err || name == NULL || name[0] == '\0')
		return;
	if (x->n == x->cap) {
		size_t ncap = x->cap ? x->cap * 2 : 64;
		name_ix *p = realloc(x->v, ncap * sizeof(*p));
		if (p == NULL) {
			x->err = true;
			return;
		}
		x->v = p;
		x->cap = ncap;
	}
	if ((x->v[x->n].name = irmf_lower(name)) == NULL) {
		x->err = true;
		return;
	}
	x->v[x->n++].srv = srv;
}

/* Account "DOMAIN\name": index the full form and the bare name. */
static void
names_add_account(names *x, const char *acc, size_t srv)
{
	const char *bs = acc ? strrchr(acc, '\\') : NULL;

	names_add(x, acc, srv);
	if (bs != NULL)
		names_add(x, bs + 1, srv);
}

static void
names_build(names *x, irmf_rule_run *run)
{
	for (size_t i = 0; i < run->n; i++) {
		const irmf_snapshot *s = run->snaps[i];
		char own[300];
		if (!is_client(run, s))
			continue;
		names_add(x, s->fqdn, i);
		names_add(x, s->server, i);
		snprintf(own, sizeof(own), "%s$", s->server ? s->server : "");
		if (s->computer_account)
			names_add_account(x, s->computer_account, i);
		else
			names_add(x, own, i);
		for (size_t j = 0; j < s->service_accounts.n; j++)
			names_add_account(x, s->service_accounts.items[j], i);
	}
	if (!x->err && x->n > 1)
		qsort(x->v, x->n, sizeof(name_ix), cmp_name);
}

static void
names_clear(names *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->v[i].name);
	free(x->v);
	memset(x, 0, sizeof(*x));
}

/* Range [*lo, *hi) of index entries named key (lowercased by caller). */
static void
names_find(const names *x, const char *key, size_t *lo, size_t *hi)
{
	size_t a = 0, b = x->n;

	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (strcmp(x->v[mid].name, key) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	while (a < x->n && strcmp(x->v[a].name, key) == 0)
		a++;
	*hi = a;
}

/* Look name up, then its bare form (after '\' or before the first '.'). */
static bool
names_lookup(const names *x, const char *name, size_t *lo, size_t *hi)
{
	char *l;
	const char *bare;

	if (name == NULL || name[0] == '\0')
		return false;
	if ((l = irmf_lower(name)) == NULL)
		return false;
	names_find(x, l, lo, hi);
	if (*lo == *hi) {
		char *dot;
		if ((bare = strrchr(l, '\\')) != NULL)
			names_find(x, bare + 1, lo, hi);
		else if ((dot = strchr(l, '.')) != NULL) {
			*dot = '\0';
			names_find(x, l, lo, hi);
		}
	}
	free(l);
	return *lo < *hi;
}

/* ISO 8601 UTC texts of one shape order lexically; an event without a
 * time sorts as the oldest (it cannot show a problem solved, nor keep
 * one current against a success that has a time). */
static bool
newer(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") > 0;
}

static void
keep_latest(const char **dst, const char *t)
{
	if (t != NULL && newer(t, *dst))
		*dst = t;
}

/* A problem with count events, the last at plast, is current unless a
 * success (oks events, the last at oklast) is newer. */
static bool
current(unsigned count, const char *plast, unsigned oks, const char *oklast)
{
	return count > 0 && (oks == 0 || newer(plast, oklast));
}

static void
attribute(irmf_rule_run *run, const irmf_snapshot *node,
    const irmf_event_summary *ev, size_t srv)
{
	irmf_rule_srv *r = &run->srv[srv];

	switch (ev->id) {
	case 2001:
		if (r->n2001 == 0 || newer(ev->last, r->last2001)) {
			r->node2001 = node->server;
			r->node2001_snap = node;
			r->last2001 = ev->last;
		}
		r->n2001 += ev->count;
		break;
	case 1002:
		r->n1002 += ev->count;
		keep_latest(&r->last_ok, ev->last);
		break;
	case 1003:
		r->n1003 += ev->count;
		keep_latest(&r->last_ok, ev->last);
		keep_latest(&r->last1003, ev->last);
		break;
	case 2002:
		r->n2002 += ev->count;
		keep_latest(&r->last2002, ev->last);
		break;
	default:
		break;
	}
}

/* The latest event `id` on a node (only rows with an account when
 * with_account: a 1004 that listed accounts), its count in *count. */
static const char *
node_latest(const irmf_snapshot *node, int id, bool with_account,
    unsigned *count)
{
	const char *last = NULL;
	unsigned n = 0;

	for (size_t i = 0; i < node->nevents; i++) {
		const irmf_event_summary *e = &node->events[i];
		if (e->id != id || (with_account && e->account == NULL))
			continue;
		n += e->count;
		keep_latest(&last, e->last);
	}
	if (count != NULL)
		*count = n;
	return last;
}

/* The oldest event time of a node (an import's only hint of its window). */
static const char *
node_oldest(const irmf_snapshot *node)
{
	const char *o = NULL;

	for (size_t i = 0; i < node->nevents; i++) {
		const char *f = node->events[i].first;
		if (f != NULL && (o == NULL || strcmp(f, o) < 0))
			o = f;
	}
	return o;
}

/* What the node's events of `id` cover, for the reader of a finding. */
static void
window_text(const irmf_snapshot *node, int id, char *buf, size_t cap)
{
	const irmf_event_window *w = irmf_snapshot_event_window(node, id);
	const char *o;

	if (w != NULL && w->whole_log)
		snprintf(buf, cap, "%s: whole log", node->server);
	else if (w != NULL)
		snprintf(buf, cap, "%s: newest %u events, since %s",
		    node->server, w->returned, w->oldest ? w->oldest : "?");
	else if ((o = node_oldest(node)) != NULL)
		snprintf(buf, cap, "%s: exported events since %s (coverage "
		    "unknown)", node->server, o);
	else
		snprintf(buf, cap, "%s: exported events (coverage unknown)",
		    node->server);
}

/* Can the absence of a server's 1002 on this node be judged?  A 1002 is
 * logged when an account first connects, so the window must be the
 * whole log, or reach back to the node's last service start (1000):
 * every server that connected since then has a 1002 in it. */
static bool
window_1002_enough(const irmf_snapshot *node)
{
	const irmf_event_window *w = irmf_snapshot_event_window(node, 1002);
	const char *since, *start = node_latest(node, 1000, false, NULL);

	if (w != NULL && w->whole_log)
		return true;
	since = w != NULL ? w->oldest : node_oldest(node);
	return start != NULL && since != NULL && strcmp(start, since) >= 0;
}

/* "RMS01: whole log; RMS02: newest 500 events, since ..." for all nodes
 * with events (the first four). */
static char *
fleet_window_text(const irmf_rule_run *run, int id)
{
	irmf_buf b = { 0 };
	size_t shown = 0, more = 0;

	for (size_t i = 0; i < run->nnodes; i++) {
		char w[200];
		if (!run->nodes[i]->has_events)
			continue;
		if (shown == 4) {
			more++;
			continue;
		}
		window_text(run->nodes[i], id, w, sizeof(w));
		if (shown++ > 0)
			irmf_buf_add(&b, "; ");
		irmf_buf_add(&b, w);
	}
	if (more > 0)
		irmf_buf_printf(&b, "; and %zu more nodes", more);
	if (shown == 0)
		irmf_buf_add(&b, "no connector node's events");
	return irmf_buf_take(&b);
}

static void
prepare_nodes_events(irmf_rule_run *run)
{
	run->win1002_ok = true;
	for (size_t i = 0; i < run->nnodes; i++) {
		const irmf_snapshot *s = run->nodes[i];
		const irmf_collect_error *e = node_error(s, "events");
		/* one failed query of several leaves the events incomplete */
		if (e != NULL && run->events_failed == NULL) {
			run->events_failed = e;
			run->events_failed_node = s->server;
		}
		if (!s->has_events)
			continue;
		run->events_any = true;
		for (size_t j = 0; j < s->nevents; j++)
			if (s->events[j].id == 1002 || s->events[j].id == 1003)
				run->n1002_all += s->events[j].count;
		if (!window_1002_enough(s) && run->win1002_short == NULL) {
			run->win1002_ok = false;
			run->win1002_short = s;
		}
	}
}

static void
tally_connections(irmf_rule_run *run)
{
	for (size_t i = 0; i < run->n; i++) {
		const irmf_rule_srv *r = &run->srv[i];
		int ix = irmf_rule_role_ix(run->snaps[i]);
		bool http = current(r->n2002, r->last2002, r->n1003,
		    r->last1003);
		/* peers "do better" only with access allowed (1002/1003),
		 * the same evidence connector-unreachable looks for */
		if (r->n1002 + r->n1003 > 0)
			run->cohorts_1002 |= irmf_rule_bit(run, run->snaps[i]);
		if (ix >= 0 && r->n1002 + r->n1003 > 0 && !http)
			run->https_role[ix]++;
	}
}

static int
prepare_events(irmf_rule_run *run)
{
	names x = { 0 };

	prepare_nodes_events(run);
	if (!run->events_any)
		return IRMF_OK;
	if ((run->srv = calloc(run->n + 1, sizeof(*run->srv))) == NULL)
		return irmf_error_oom();
	names_build(&x, run);
	for (size_t i = 0; i < run->nnodes && !x.err; i++) {
		const irmf_snapshot *node = run->nodes[i];
		if (!node->has_events)
			continue;
		for (size_t j = 0; j < node->nevents; j++) {
			const irmf_event_summary *ev = &node->events[j];
			size_t lo, hi;
			/* the computer names one server; an account may be
			 * shared (a SharePoint farm's service account) */
			if (!names_lookup(&x, ev->computer, &lo, &hi) &&
			    !names_lookup(&x, ev->account, &lo, &hi))
				continue;
			for (size_t k = lo; k < hi; k++)
				attribute(run, node, ev, x.v[k].srv);
		}
	}
	tally_connections(run);
	if (x.err) {
		names_clear(&x);
		return irmf_error_oom();
	}
	names_clear(&x);
	return IRMF_OK;
}

/* A rule that could not be judged because the events seen do not reach
 * back far enough: "not checked" (exit status 3), never a guess. */
static int
report_unjudged(irmf_rule_run *run, const irmf_rule_info *rule,
    const char *server, const char *cohort, const char *setting,
    const char *window, const char *what)
{
	irmf_finding f = { 0 };
	irmf_buf ex = { 0 };
	int rc;

	irmf_buf_printf(&ex, "Not checked: window too short to judge.  %s "
	    "The connector nodes' events seen (%s) do not reach back to "
	    "their last service start (event 1000) and are not the whole "
	    "log, so a 1002 logged before them cannot be told from none.",
	    what, window);
	f.server = (char *)server;
	f.cohort = (char *)cohort;
	f.setting = (char *)setting;
	f.kind = IRMF_FIND_NOT_COLLECTED;
	f.severity = IRMF_SEV_INFO;
	f.rule_id = (char *)rule->id;
	f.value = (char *)window;
	f.explanation = irmf_buf_take(&ex);
	f.remediation = (char *)"Collect the connector nodes again with "
	    "irmfleet collect, which reads 1000-1003 in their own query; "
	    "for an export, export those IDs over the whole log: wevtutil "
	    "qe Application /q:\"*[System[Provider[@Name='Microsoft RMS "
	    "connector'] and (EventID=1000 or EventID=1002 or "
	    "EventID=1003)]]\" /f:xml";
	if (f.explanation == NULL)
		return irmf_error_oom();
	rc = irmf_findings_add(run->out, &f);
	free(f.explanation);
	return rc;
}

/* Node events that are solved by a later event on the same node. */
static const struct {
	int id;
	int ok[3];            /* later events that show it solved */
	bool ok_with_account; /* only a 1004 that listed accounts */
} node_pairs[] = {
	{ 3001, { 1004 }, false },              /* list downloaded again */
	{ 2003, { 1004 }, true },               /* list no longer empty */
	{ 3000, { 1002, 1003, 1004 }, false },  /* the service works again */
};

/* The latest event that solves `id` on node, or NULL (also when none is
 * defined for id). */
static const char *
node_solved_at(const irmf_snapshot *node, int id)
{
	for (size_t p = 0; p < sizeof(node_pairs) / sizeof(*node_pairs); p++) {
		const char *best = NULL;
		if (node_pairs[p].id != id)
			continue;
		for (size_t k = 0; k < 3 && node_pairs[p].ok[k]; k++)
			keep_latest(&best, node_latest(node,
			    node_pairs[p].ok[k], node_pairs[p].ok_with_account,
			    NULL));
		return best;
	}
	return NULL;
}

/* 1 to go on with s's events, else the rule's return value: one "not
 * checked" for all node event rules when s's events failed. */
static int
node_events_gate(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, const char *setting)
{
	const irmf_collect_error *e = node_error(s, "events");

	if (s->has_events && e == NULL)
		return 1;
	if (e == NULL || run->nc_events_mark == run->cur + 1)
		return s->has_events ? 1 : IRMF_OK;
	run->nc_events_mark = run->cur + 1;
	return irmf_rule_not_collected_on(run, rule, s, setting, e, NULL,
	    "the connector event rules (connector-event-*)");
}

int
irmf_chk_event_node(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	int id = atoi(rule->param), rc;
	unsigned count = 0;
	const char *first = NULL, *last = NULL, *solved;
	char setting[32], val[200], dist[300], win[200];

	snprintf(setting, sizeof(setting), "events:%d", id);
	if ((rc = node_events_gate(rule, run, s, setting)) != 1)
		return rc;
	for (size_t i = 0; i < s->nevents; i++) {
		const irmf_event_summary *ev = &s->events[i];
		if (ev->id != id)
			continue;
		count += ev->count;
		if (ev->first && (first == NULL || strcmp(ev->first, first) < 0))
			first = ev->first;
		if (ev->last && (last == NULL || strcmp(ev->last, last) > 0))
			last = ev->last;
	}
	solved = node_solved_at(s, id);
	if (!current(count, last, solved != NULL, solved))
		return IRMF_OK;
	snprintf(val, sizeof(val), "%u event%s %d (%s .. %s)", count,
	    count == 1 ? "" : "s", id, first ? first : "?", last ? last : "?");
	window_text(s, id, win, sizeof(win));
	snprintf(dist, sizeof(dist), "%s%s; events seen: %s",
	    solved ? "the last one is newer than the last success, " : "",
	    solved ? solved : "no later event shows it solved", win);
	return irmf_rule_report(run, rule, s, setting, val, "no such events",
	    dist);
}

/* The node's authorization list is downloaded every 15 minutes (1004).
 * Allowed: an hour between the last 1004 and the collection, i.e. three
 * missed downloads, clock skew between the node and the collecting host
 * and the collection's own duration, so a short network blip does not
 * warn while a node that stopped refreshing does. */
#define LIST_REFRESH_MAX 3600

int
irmf_chk_list_refresh(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	const irmf_event_window *w;
	const char *last;
	time_t at, t;
	char val[200], win[200];
	int rc;

	if ((rc = node_events_gate(rule, run, s, "events:1004")) != 1)
		return rc;
	if (s->collected_at == NULL ||
	    irmf_time_parse(s->collected_at, 0, &at) != 0) {
		irmf_error_clear();
		return IRMF_OK;
	}
	w = irmf_snapshot_event_window(s, 1004);
	window_text(s, 1004, win, sizeof(win));
	if ((last = node_latest(s, 1004, false, NULL)) != NULL) {
		if (irmf_time_parse(last, 0, &t) != 0) {
			irmf_error_clear();
			return IRMF_OK;
		}
		if (at - t <= LIST_REFRESH_MAX)
			return IRMF_OK;
		snprintf(val, sizeof(val), "last 1004 at %s, %lld minutes "
		    "before collection (%s)", last, (long long)(at - t) / 60,
		    s->collected_at);
	} else {
		/* none: judged only when the window is known and long */
		if (w == NULL || (!w->whole_log && (w->oldest == NULL ||
		    irmf_time_parse(w->oldest, 0, &t) != 0 ||
		    at - t <= LIST_REFRESH_MAX))) {
			irmf_error_clear();
			return IRMF_OK;
		}
		snprintf(val, sizeof(val), "no 1004 in the events seen "
		    "(collected %s)", s->collected_at);
	}
	return irmf_rule_report(run, rule, s, "events:1004", val,
	    "a 1004 (list downloaded) within an hour of collection", win);
}

/* Events rules need some node's events; when a node's failed, a server
 * without a matching event is "not checked", not "fine". */
static int
events_gate(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, const char *setting, bool found)
{
	int rc;

	if (found)
		return 1;
	if (run->events_failed == NULL)
		return run->events_any ? 2 : 0;
	/* one "not checked" for all events-* rules of this server */
	if (run->nc_events_mark == run->cur + 1)
		return 0;
	run->nc_events_mark = run->cur + 1;
	rc = irmf_rule_not_collected_on(run, rule, s, setting,
	    run->events_failed, run->events_failed_node,
	    "the connector event rules (events-*)");
	return rc < 0 ? rc : 0;
}

int
irmf_chk_event_2001(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	const irmf_rule_srv *r = run->srv ? &run->srv[run->cur] : NULL;
	bool now = r != NULL && current(r->n2001, r->last2001,
	    r->n1002 + r->n1003, r->last_ok);
	char val[300], win[200];
	int rc;

	if ((rc = events_gate(rule, run, s, "events:2001", now)) != 1)
		return rc < 0 ? rc : IRMF_OK;
	snprintf(val, sizeof(val), "%u unauthorized access event%s (2001), "
	    "the latest %s on %s; %s", r->n2001, r->n2001 == 1 ? "" : "s",
	    r->last2001 ? r->last2001 : "(no time)",
	    r->node2001 ? r->node2001 : "?", r->last_ok ?
	    "the last 1002/1003 for it is older" : "no 1002/1003 for it");
	window_text(r->node2001_snap, 2001, win, sizeof(win));
	return irmf_rule_report(run, rule, s, "events:2001", val,
	    "no 2001 newer than the server's last 1002/1003", win);
}

int
irmf_chk_event_no_1002(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	const irmf_rule_srv *r = run->srv ? &run->srv[run->cur] : NULL;
	unsigned bit = irmf_rule_bit(run, s);
	char *win;
	int rc;

	if (r == NULL && run->events_failed == NULL)
		return IRMF_OK;
	/* reached the connector (or was refused by it): other rules */
	if (r != NULL && r->n1002 + r->n1003 + r->n2001 + r->n2002 > 0)
		return IRMF_OK;
	if (!(run->cohorts_1002 & bit) && run->events_any)
		return IRMF_OK;   /* no peer reaches it: connector-unreachable */
	if ((rc = events_gate(rule, run, s, "events:1002", false)) != 2)
		return rc < 0 ? rc : IRMF_OK;
	if ((win = fleet_window_text(run, 1002)) == NULL)
		return IRMF_ENOMEM;
	if (!run->win1002_ok)
		rc = report_unjudged(run, rule, s->server, irmf_rule_cohort(run, s),
		    "events:1002", win, "Its peers appear in 1002 events and "
		    "this server does not, but that may only mean it first "
		    "connected before the events seen.");
	else
		rc = irmf_rule_report(run, rule, s, "events:1002",
		    "no 1002 (or 1003, 2001, 2002) event for it on any "
		    "connector node", "1002 (access allowed) events, as its "
		    "peers have", win);
	free(win);
	return rc;
}

int
irmf_chk_event_http(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	const irmf_rule_srv *r = run->srv ? &run->srv[run->cur] : NULL;
	int ix = irmf_rule_role_ix(s);
	char val[200], dist[160];

	/* compared within the role: FCI file servers use http by design */
	if (r == NULL || ix < 0 || run->https_role[ix] == 0 ||
	    !current(r->n2002, r->last2002, r->n1003, r->last1003))
		return IRMF_OK;
	snprintf(val, sizeof(val), "%u non-secure (HTTP) connection "
	    "event%s (2002), the latest %s; %s", r->n2002,
	    r->n2002 == 1 ? "" : "s", r->last2002 ? r->last2002 : "(no time)",
	    r->last1003 ? "the last switch to HTTPS (1003) is older" :
	    "no switch to HTTPS (1003) since");
	snprintf(dist, sizeof(dist), "%zu %s server%s connect over HTTPS",
	    run->https_role[ix], ix == 0 ? "Exchange" : ix == 1 ?
	    "SharePoint" : "file", run->https_role[ix] == 1 ? "" : "s");
	return irmf_rule_report(run, rule, s, "events:2002", val,
	    "HTTPS, as its peers of the same role", dist);
}

/* -------------------------------------------------------------- probes */

/* Probes of Microsoft RMS itself (the tenant URL the MSDRM values hold on
 * Exchange, probed by collections before the plan skipped them) say
 * nothing about the connector: a server without direct internet access
 * fails them by design. */
static bool
probe_of_connector(const irmf_probe *p)
{
	return p->url != NULL && !irmf_url_is_rms(p->url);
}

static int
prepare_probes(irmf_rule_run *run)
{
	size_t cap = 0;

	for (size_t i = 0; i < run->n; i++)
		if (is_client(run, run->snaps[i]))
			cap += run->snaps[i]->nprobes;
	if (cap == 0)
		return IRMF_OK;
	if ((run->probe_ok = calloc(cap, sizeof(char *))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < run->n; i++) {
		const irmf_snapshot *s = run->snaps[i];
		bool any = false;
		if (!is_client(run, s))
			continue;
		for (size_t j = 0; j < s->nprobes; j++) {
			char *u;
			if (!probe_of_connector(&s->probes[j]))
				continue;
			run->nprobe_conn++;
			any = true;
			if (s->probes[j].result != IRMF_PROBE_HTTP)
				continue;
			if ((u = irmf_norm_url(s->probes[j].url)) == NULL)
				return IRMF_ENOMEM;
			run->probe_ok[run->nprobe_ok++] = u;
		}
		run->probe_servers += any;
	}
	if (run->nprobe_ok > 1)
		qsort(run->probe_ok, run->nprobe_ok, sizeof(char *), cmp_cstr);
	return IRMF_OK;
}

static bool
probe_answered(const irmf_rule_run *run, const char *norm)
{
	return run->nprobe_ok > 0 && bsearch(&norm, run->probe_ok,
	    run->nprobe_ok, sizeof(char *), cmp_cstr) != NULL;
}

int
irmf_chk_probe(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	int rc = IRMF_OK;

	for (size_t i = 0; i < s->nerrors && rc >= 0; i++) {
		const irmf_collect_error *e = &s->errors[i];
		char setting[600];
		if (strncasecmp(e->item, "probe:", 6) != 0 ||
		    irmf_url_is_rms(e->item + 6))
			continue;
		snprintf(setting, sizeof(setting), "probe:%s", e->item + 6);
		rc = irmf_rule_not_collected(run, rule, s, setting, e);
	}
	for (size_t i = 0; i < s->nprobes && rc >= 0; i++) {
		const irmf_probe *p = &s->probes[i];
		char setting[600], val[1200];
		char *norm;
		bool peers;
		if (p->result == IRMF_PROBE_HTTP || !probe_of_connector(p))
			continue;
		if ((norm = irmf_norm_url(p->url)) == NULL)
			return IRMF_ENOMEM;
		peers = probe_answered(run, norm);
		free(norm);
		if (!peers)
			continue;   /* nobody reaches it: not this server's fault */
		snprintf(setting, sizeof(setting), "probe:%s", p->url);
		snprintf(val, sizeof(val), "%s%s%s (probed %s)",
		    irmf_probe_result_name(p->result), p->message ? ": " : "",
		    p->message ? p->message : "", p->url);
		rc = irmf_rule_report(run, rule, s, setting, val,
		    "an HTTP answer (any status), as its peers get", NULL);
	}
	return rc < 0 ? rc : IRMF_OK;
}

/* ------------------------------------------------ fleet-wide outage */

/* No server reaches the connector: no 1002 on any node (over windows long
 * enough to tell), or every probe of the connector failed.  The per-
 * server rules stay silent then (nobody's peers do better), so this one
 * finding, on no server, says it; it runs once, on the first server the
 * rules check. */
int
irmf_chk_fleet_unreachable(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	bool ev = run->events_any && run->events_failed == NULL &&
	    run->n1002_all == 0;
	bool pr = run->nprobe_conn > 0 && run->nprobe_ok == 0;
	irmf_finding f = { 0 };
	irmf_buf v = { 0 }, rem = { 0 };
	char *win;
	int rc;

	(void)s;
	if (run->cur != run->first_checked || (!ev && !pr))
		return IRMF_OK;
	if ((win = fleet_window_text(run, 1002)) == NULL)
		return IRMF_ENOMEM;
	if (ev && !run->win1002_ok && !pr) {
		rc = report_unjudged(run, rule, NULL, "connector",
		    "events:1002", win, "No connector node logged a 1002 "
		    "(access allowed) in the events seen, which would mean "
		    "that no server reaches the connector.");
		free(win);
		return rc;
	}
	irmf_buf_add(&v, "no server reaches the connector: ");
	if (ev && run->win1002_ok)
		irmf_buf_printf(&v, "no 1002 (access allowed) on any of the "
		    "%zu connector nodes (%s)%s", run->nnodes, win,
		    pr ? "; " : "");
	if (pr)
		irmf_buf_printf(&v, "all %zu probes of the connector from %zu "
		    "servers got no HTTP answer", run->nprobe_conn,
		    run->probe_servers);
	irmf_buf_printf(&rem, "Check, in this order: that the connector "
	    "name %s resolves (DNS) to the load balancer and the load "
	    "balancer forwards to healthy nodes (Resolve-DnsName, "
	    "Test-NetConnection -Port 443 from an Exchange server, and open "
	    "%s/_wmcs/certification/servercertification.asmx); that the "
	    "servers' redirection and ServiceLocation keys name it (the "
	    "registry rules above); that the Exchange and SharePoint "
	    "versions are supported; then the connector nodes' Application "
	    "log (events 1000, 3000, 3001) and IIS",
	    run->connector ? run->connector : "<ConnectorFQDN>",
	    run->connector ? run->connector : "https://<ConnectorFQDN>");
	f.setting = (char *)(ev && run->win1002_ok ? "events:1002" :
	    "probe:connector");
	f.value = irmf_buf_take(&v);
	f.remediation = irmf_buf_take(&rem);
	f.expected = (char *)"1002 events for the servers that use the "
	    "connector; an HTTP answer to probes of its URL";
	f.distribution = win;
	f.explanation = (char *)rule->explanation;
	f.kind = IRMF_FIND_RULE;
	f.severity = rule->severity;
	f.rule_id = (char *)rule->id;
	f.cohort = (char *)"connector";
	rc = (f.value == NULL || f.remediation == NULL) ? irmf_error_oom() :
	    irmf_findings_add(run->out, &f);
	free(f.value);
	free(f.remediation);
	free(win);
	return rc;
}

/* ------------------------------------------------------------ lifecycle */

int
irmf_rules_prepare_connector(irmf_rule_run *run)
{
	int rc;

	if ((run->nodes = calloc(run->n + 1, sizeof(*run->nodes))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < run->n; i++)
		if (is_node(run->snaps[i]))
			run->nodes[run->nnodes++] = run->snaps[i];
	run->first_checked = run->n;
	for (size_t i = run->n; i-- > 0;)
		if (irmf_rule_bit(run, run->snaps[i]) &
		    (IRMF_RC_CLIENTS | IRMF_RC_CONNECTOR))
			run->first_checked = i;
	if ((rc = prepare_auth(run)) < 0 ||
	    (rc = prepare_exch_rules(run)) < 0 ||
	    (rc = prepare_events(run)) < 0 ||
	    (rc = prepare_probes(run)) < 0)
		return rc;
	return IRMF_OK;
}

void
irmf_rules_release_connector(irmf_rule_run *run)
{
	free(run->auth_key);
	free(run->exch_rule);
	free(run->srv);
	free(run->nodes);
	run->nodes = NULL;
	run->nnodes = 0;
	for (size_t i = 0; i < run->nprobe_ok; i++)
		free(run->probe_ok[i]);
	free(run->probe_ok);
	run->auth_key = run->exch_rule = NULL;
	run->srv = NULL;
	run->probe_ok = NULL;
	run->nprobe_ok = 0;
}
