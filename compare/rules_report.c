/*
 * rules_report.c - turning a rule's verdict into a finding: the table's
 * explanation and remediation templates are filled in with the fleet's
 * own tenant and connector URLs, the server's Exchange key version and
 * the account the connector must authorize, so the fix is a command the
 * admin can run; failed collections become "not checked" findings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "normalize.h"
#include "rules_int.h"
#include "settings.h"

/* ---------------------------------------------------------- reporting */

typedef struct tmpl_vars {
	const irmf_rule_run *run;
	const irmf_rule_info *rule;
	const irmf_snapshot *snap;
	const char *setting;
} tmpl_vars;

/* The account the connector must authorize for s: a SharePoint server's
 * service account, else the computer account (NAME$ for Local System). */
static void
add_account(irmf_buf *b, const irmf_snapshot *s)
{
	if ((s->roles & IRMF_ROLE_SHAREPOINT) && s->service_accounts.n > 0)
		irmf_buf_add(b, s->service_accounts.items[0]);
	else if (s->computer_account)
		irmf_buf_add(b, s->computer_account);
	else
		irmf_buf_printf(b, "%s$", s->server ? s->server : "SERVER");
}

/* Who to authorize, by role (install-configure-rms-connector): Exchange
 * through the security group its peers use, SharePoint through its service
 * account, file servers through the computer account, or one group. */
static void
add_authwho(irmf_buf *b, const irmf_rule_run *run, const irmf_snapshot *s)
{
	const char *group = NULL;

	if (run->exch_rule != NULL && run->exch_rule_unique &&
	    run->auth_ref != NULL)
		for (size_t i = 0; i < run->auth_ref->nauths; i++)
			if (strcasecmp(run->auth_ref->auths[i].account,
			    run->exch_rule) == 0)
				group = run->auth_ref->auths[i].account;
	if (s->roles & IRMF_ROLE_EXCHANGE) {
		irmf_buf_add(b, "make ");
		add_account(b, s);
		irmf_buf_add(b, " a member of the security group its Exchange "
		    "peers are authorized through (");
		irmf_buf_add(b, group ? group : "for example CONTOSO\Exchange "
		    "Servers, added with the role Exchange Server");
		irmf_buf_add(b, ") and restart the server so the membership "
		    "applies");
		return;
	}
	irmf_buf_add(b, "in the RMS connector administration tool (Servers "
	    "allowed to utilize the connector > Add) authorize ");
	add_account(b, s);
	irmf_buf_add(b, (s->roles & IRMF_ROLE_SHAREPOINT) &&
	    s->service_accounts.n > 0 ? " (the service account SharePoint "
	    "runs as) or one group containing it, with the role SharePoint "
	    "Server" : " or (recommended) one group containing it, with this "
	    "server's role");
	irmf_buf_add(b, "; the nodes download the list within 15 minutes");
}

static void
expand_var(irmf_buf *b, const tmpl_vars *v, const char *name, size_t n)
{
	const irmf_snapshot *s = v->snap;
	unsigned bit = irmf_rules_cohort_bit(s);
	bool exch = (bit & IRMF_RC_EXCHANGE) != 0;
	bool exch_unknown = (bit & IRMF_RC_EXCHANGE_UNKNOWN) != 0;

	if (n == 6 && strncmp(name, "tenant", 6) == 0)
		irmf_buf_add(b, v->run->tenant ? v->run->tenant :
		    "https://<YourTenantURL>");
	else if (n == 9 && strncmp(name, "connector", 9) == 0)
		irmf_buf_add(b, v->run->connector ? v->run->connector :
		    "https://<ConnectorFQDN>");
	else if (n == 3 && strncmp(name, "ver", 3) == 0)
		irmf_buf_add(b, irmf_rule_exch_ver(s));
	else if (n == 8 && strncmp(name, "exswitch", 8) == 0)
		irmf_buf_add(b, exch_unknown ? "-SetExchange2010 (Exchange "
		    "2010) or -SetExchange2013 (2013 or later), whichever "
		    "this server runs (its generation is unknown: see "
		    "server-identity)" : !exch ? "with the switch for its role" :
		    strcmp(irmf_rule_exch_ver(s), "v14") == 0 ?
		    "-SetExchange2010" : "-SetExchange2013");
	else if (n == 6 && strncmp(name, "server", 6) == 0)
		irmf_buf_add(b, s->server ? s->server : "this server");
	else if (n == 7 && strncmp(name, "account", 7) == 0)
		add_account(b, s);
	else if (n == 7 && strncmp(name, "authwho", 7) == 0)
		add_authwho(b, v->run, s);
	else if (n == 5 && strncmp(name, "param", 5) == 0) {
		char *p = irmf_rule_path(v->rule->param ? v->rule->param : "",
		    s);
		if (p == NULL)
			b->err = true;
		irmf_buf_add(b, p);
		free(p);
	} else if (n == 3 && strncmp(name, "key", 3) == 0) {
		/* the registry key of the finding's setting */
		const char *k = v->setting ? v->setting : "";
		size_t l;
		if (strncmp(k, "reg:", 4) == 0)
			k += 4;
		l = strlen(k);
		if (l >= 10 && strcasecmp(k + l - 10, "\\(default)") == 0)
			l -= 10;
		char *d = irmf_strndup(k, l);
		if (d == NULL)
			b->err = true;
		irmf_buf_add(b, d);
		free(d);
	} else if (n == 4 && strncmp(name, "want", 4) == 0)
		irmf_buf_add(b, v->rule->want ? v->rule->want : "");
	else {
		/* not a variable: keep the text as written */
		char tmp[64];
		snprintf(tmp, sizeof(tmp), "{%.*s}", (int)n, name);
		irmf_buf_add(b, tmp);
	}
}

static char *
expand(const char *tmpl, const tmpl_vars *v)
{
	irmf_buf b = { 0 };
	const char *p = tmpl, *o, *c;

	if (tmpl == NULL)
		return NULL;
	while ((o = strchr(p, '{')) != NULL && (c = strchr(o, '}')) != NULL &&
	    c - o < 16) {
		char *lit = irmf_strndup(p, (size_t)(o - p));
		if (lit == NULL)
			b.err = true;
		irmf_buf_add(&b, lit);
		free(lit);
		expand_var(&b, v, o + 1, (size_t)(c - o - 1));
		p = c + 1;
	}
	irmf_buf_add(&b, p);
	return irmf_buf_take(&b);
}

static int
report(irmf_rule_run *run, const irmf_rule_info *rule,
    const irmf_snapshot *snap, irmf_finding *f, const char *explanation,
    const char *remediation)
{
	tmpl_vars v = { run, rule, snap, f->setting };
	char *ex = expand(explanation, &v), *rem = expand(remediation, &v);
	int rc;

	f->server = snap->server;
	f->cohort = (char *)irmf_cohort_of(snap);
	f->rule_id = (char *)rule->id;
	f->explanation = ex;
	f->remediation = rem;
	if ((explanation != NULL && ex == NULL) ||
	    (remediation != NULL && rem == NULL))
		rc = IRMF_ENOMEM;
	else
		rc = irmf_findings_add(run->out, f);
	free(ex);
	free(rem);
	return rc;
}

int
irmf_rule_report(irmf_rule_run *run, const irmf_rule_info *rule,
    const irmf_snapshot *snap, const char *setting, const char *value,
    const char *expected, const char *distribution)
{
	irmf_finding f = { 0 };

	f.kind = IRMF_FIND_RULE;
	f.severity = rule->severity;
	f.setting = (char *)setting;
	f.value = (char *)value;
	f.expected = (char *)expected;
	f.distribution = (char *)distribution;
	return report(run, rule, snap, &f, rule->explanation,
	    rule->remediation);
}

/* The "not checked" finding.  node names the connector node whose data
 * failed (NULL: the server's own), scope the rules it covers (NULL: this
 * rule). */
static int
not_collected(irmf_rule_run *run, const irmf_rule_info *rule,
    const irmf_snapshot *snap, const char *setting,
    const irmf_collect_error *err, const char *node, const char *scope)
{
	irmf_finding f = { 0 };
	irmf_buf b = { 0 }, r = { 0 };
	char *ex, *rem;
	int rc;

	/* One "not checked" per rule and server is enough: the rules run
	 * server by server, so a repeat would be the last finding. */
	if (run->out->n > 0) {
		const irmf_finding *l = &run->out->items[run->out->n - 1];
		if (l->kind == IRMF_FIND_NOT_COLLECTED && l->rule_id &&
		    strcmp(l->rule_id, rule->id) == 0 &&
		    irmf_streq_ci(l->server, snap->server))
			return IRMF_OK;
	}
	irmf_buf_add(&b, "Not checked: collecting '");
	irmf_buf_add(&b, err->item);
	irmf_buf_add(&b, "'");
	if (node != NULL) {
		irmf_buf_add(&b, " on connector node ");
		irmf_buf_add(&b, node);
	}
	irmf_buf_add(&b, " failed (");
	irmf_buf_add(&b, irmf_collect_reason_name(err->reason));
	if (err->message != NULL && err->message[0]) {
		irmf_buf_add(&b, ": ");
		irmf_buf_add(&b, err->message);
	}
	irmf_buf_add(&b, "), so ");
	if (scope != NULL) {
		irmf_buf_add(&b, scope);
	} else {
		irmf_buf_add(&b, "rule '");
		irmf_buf_add(&b, rule->id);
		irmf_buf_add(&b, "'");
	}
	irmf_buf_add(&b, " could not be evaluated for this server.");
	irmf_buf_add(&r, "Fix the collection of '");
	irmf_buf_add(&r, err->item);
	irmf_buf_add(&r, "'");
	if (node != NULL) {
		irmf_buf_add(&r, " on ");
		irmf_buf_add(&r, node);
	}
	irmf_buf_add(&r, " (access, timeout or export) and compare again.");
	ex = irmf_buf_take(&b);
	rem = irmf_buf_take(&r);
	f.kind = IRMF_FIND_NOT_COLLECTED;
	f.severity = IRMF_SEV_WARNING;
	f.setting = (char *)setting;
	rc = (ex == NULL || rem == NULL) ? IRMF_ENOMEM :
	    report(run, rule, snap, &f, ex, rem);
	free(ex);
	free(rem);
	return rc;
}

int
irmf_rule_not_collected(irmf_rule_run *run, const irmf_rule_info *rule,
    const irmf_snapshot *snap, const char *setting,
    const irmf_collect_error *err)
{
	return not_collected(run, rule, snap, setting, err, NULL, NULL);
}

int
irmf_rule_not_collected_on(irmf_rule_run *run, const irmf_rule_info *rule,
    const irmf_snapshot *snap, const char *setting,
    const irmf_collect_error *err, const char *node, const char *scope)
{
	return not_collected(run, rule, snap, setting, err, node, scope);
}
