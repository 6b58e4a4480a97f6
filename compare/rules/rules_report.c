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

#include "cmdquote.h"
#include "error.h"
#include "irmfleet/textesc.h"
#include "normalize.h"
#include "rules_int.h"
#include "settings.h"

/* ---------------------------------------------------------- reporting */

typedef struct tmpl_vars {
	irmf_rule_run *run;
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
		irmf_buf_add(b, group ? group : "for example CONTOSO\\Exchange "
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

/* The documentation's placeholder for a variable, used in a command
 * argument when the fleet's own value cannot be quoted safely there. */
static const char *
doc_placeholder(const char *name, size_t n)
{
	static const struct { const char *name, *doc; } docs[] = {
		{ "tenant", "https://<YourTenantURL>" },
		{ "connector", "https://<ConnectorFQDN>" },
		{ "key", "<RegistryKey>" },
		{ "param", "<RegistryKey>" },
		{ "server", "<ServerName>" },
		{ "account", "<DOMAIN\\Account>" },
		{ "ver", "<v14 or v15>" },
	};

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		if (strlen(docs[i].name) == n &&
		    strncmp(docs[i].name, name, n) == 0)
			return docs[i].doc;
	return NULL;
}

/* Append the value of variable name[0..n) raw; false when it is not a
 * variable. */
static bool
expand_var(irmf_buf *b, const tmpl_vars *v, const char *name, size_t n)
{
	const irmf_snapshot *s = v->snap;
	unsigned bit = irmf_rule_bit(v->run, s);
	bool exch = (bit & IRMF_RC_EXCHANGE) != 0;
	bool exch_unknown = (bit & IRMF_RC_EXCHANGE_UNKNOWN) != 0;

	if (n == 6 && strncmp(name, "tenant", 6) == 0)
		irmf_buf_add(b, v->run->tenant ? v->run->tenant :
		    "https://<YourTenantURL>");
	else if (n == 9 && strncmp(name, "connector", 9) == 0)
		irmf_buf_add(b, v->run->connector ? v->run->connector :
		    "https://<ConnectorFQDN>");
	else if (n == 3 && strncmp(name, "ver", 3) == 0)
		irmf_buf_add(b, irmf_rule_exch_ver(v->run, s));
	else if (n == 6 && strncmp(name, "switch", 6) == 0)
		irmf_buf_add(b, irmf_genconfig_switch(s));
	else if (n == 8 && strncmp(name, "msipcvia", 8) == 0)
		irmf_buf_add(b, irmf_msipc_via(s));
	else if (n == 8 && strncmp(name, "exswitch", 8) == 0)
		irmf_buf_add(b, exch || exch_unknown ?
		    irmf_genconfig_switch(s) : "with the switch for its role");
	else if (n == 6 && strncmp(name, "server", 6) == 0)
		irmf_buf_add(b, s->server ? s->server : "this server");
	else if (n == 7 && strncmp(name, "account", 7) == 0)
		add_account(b, s);
	else if (n == 7 && strncmp(name, "authwho", 7) == 0)
		add_authwho(b, v->run, s);
	else if (n == 5 && strncmp(name, "param", 5) == 0) {
		char *p = irmf_rule_path(v->run, v->rule->param ? v->rule->param : "",
		    s);
		if (p == NULL)
			b->err = IRMF_ENOMEM;
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
		else if (l >= 12 && strcasecmp(k + l - 12,
		    "\\" IRMF_LITERAL_DEFAULT) == 0)
			l -= 12;
		irmf_buf_addn(b, k, l);
	} else if (n == 4 && strncmp(name, "want", 4) == 0)
		irmf_buf_add(b, v->rule->want ? v->rule->want : "");
	else
		return false;
	return true;
}

/*
 * Template syntax (the texts in rules.c):
 *   {name}         a variable, in prose: its value with control characters
 *                  escaped (irmfleet/textesc.h), so a finding's text never
 *                  carries them;
 *   {"...."}       one double-quoted cmd.exe argument ("reg add {"{key}"}"):
 *                  the text between the marks, variables filled in, quoted
 *                  for cmd and reg.exe (cmdquote.h);
 *   {'....'}       one PowerShell single-quoted literal, likewise.
 * When an argument cannot be quoted safely (a value holds ", %, ! or
 * control characters), the argument is filled with the documentation's
 * placeholders instead (https://<YourTenantURL>) and the text ends with a
 * note saying so.  Anything else in braces is kept as written.
 */
typedef struct filler {
	const tmpl_vars *v;
	bool doc;        /* fill variables with documentation placeholders */
	bool by_hand;    /* an argument had to use them */
} filler;

static const char *const var_names[] = {
	"tenant", "connector", "ver", "exswitch", "switch", "msipcvia", "server", "account",
	"authwho", "param", "key", "want",
};

/* Length of the variable name after "{" at p if "{name}" is one, else 0. */
static size_t
var_at(const char *p, const char *end)
{
	size_t n = 0;

	while (p + 1 + n < end && p[1 + n] >= 'a' && p[1 + n] <= 'z')
		n++;
	if (n == 0 || p + 1 + n >= end || p[1 + n] != '}')
		return 0;
	for (size_t i = 0; i < sizeof(var_names) / sizeof(var_names[0]); i++)
		if (strlen(var_names[i]) == n &&
		    strncmp(var_names[i], p + 1, n) == 0)
			return n;
	return 0;
}

static void fill(irmf_buf *b, filler *f, const char *p, const char *end,
    bool raw);

/* The argument tmpl[0..n) quoted by quote (irmf_cmd_arg/irmf_ps_str). */
static void
fill_arg(irmf_buf *b, filler *f, const char *p, size_t n,
    bool (*quote)(irmf_buf *, const char *))
{
	irmf_buf a = IRMF_BUF_INIT;
	bool doc = f->doc;

	fill(&a, f, p, p + n, true);
	if (a.err)
		b->err = a.err;
	else if (!quote(b, a.p ? a.p : "")) {
		irmf_buf_free(&a);
		f->doc = true;
		fill(&a, f, p, p + n, true);
		f->doc = doc;
		f->by_hand = true;
		if (!quote(b, a.p ? a.p : ""))
			irmf_buf_add(b, "<set by hand>");
	}
	irmf_buf_free(&a);
}

/* Fill template text [p, end): raw inside an argument, else with
 * values escaped for display. */
static void
fill(irmf_buf *b, filler *f, const char *p, const char *end, bool raw)
{
	while (p < end && !b->err) {
		const char *close = NULL;
		size_t n;

		if (!raw && p + 1 < end && p[0] == '{' &&
		    (p[1] == '"' || p[1] == '\'')) {
			const char mark[3] = { p[1], '}', '\0' };
			close = strstr(p + 2, mark);
		}
		if (close != NULL && close < end) {
			fill_arg(b, f, p + 2, (size_t)(close - p - 2),
			    p[1] == '"' ? irmf_cmd_arg : irmf_ps_str);
			p = close + 2;
		} else if (p[0] == '{' && (n = var_at(p, end)) > 0) {
			const char *doc = f->doc ? doc_placeholder(p + 1, n) :
			    NULL;
			irmf_buf val = IRMF_BUF_INIT;
			char *esc;
			if (doc != NULL)
				irmf_buf_add(&val, doc);
			else
				expand_var(&val, f->v, p + 1, n);
			esc = raw ? NULL : irmf_text_escape(val.p ? val.p : "");
			if (val.err || (!raw && esc == NULL))
				b->err = IRMF_ENOMEM;
			irmf_buf_add(b, raw ? val.p : esc);
			free(esc);
			irmf_buf_free(&val);
			p += n + 2;
		} else {
			irmf_buf_addn(b, p, 1);
			p++;
		}
	}
}

static char *
expand(const char *tmpl, const tmpl_vars *v)
{
	irmf_buf b = IRMF_BUF_INIT;
	filler f = { v, false, false };

	if (tmpl == NULL)
		return NULL;
	fill(&b, &f, tmpl, tmpl + strlen(tmpl), false);
	if (f.by_hand)
		irmf_buf_add(&b, "  (A value of this fleet that the command "
		    "needs holds characters that cannot be pasted safely on a "
		    "command line, such as quotes, percent signs or control "
		    "characters: type it in by hand where the command shows a "
		    "placeholder in angle brackets.)");
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
	f->cohort = (char *)irmf_rule_cohort(run, snap);
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
