/*
 * rules_org.c - Get-IRMConfiguration findings once per organisation.
 *
 * Get-IRMConfiguration reads one Active Directory object for the whole
 * Exchange organisation (CN=ControlPoint Config), so every Exchange
 * server's export shows the same values, apart from replication lag and
 * exports taken at different times.  Judged server by server, one wrong
 * setting became one error per Exchange server; compared by consensus,
 * two servers that had not yet replicated a change outvoted the one that
 * had, and the fix reverted the change for the whole organisation.
 *
 * So, after the per-server checks: the findings of the irm-* rules are
 * merged into one per (rule, setting, value), listing the servers whose
 * exports show it; and where the exports disagree about a property, one
 * info finding says that they were taken at different times, with no
 * Set- command (consensus.c leaves irm:* keys alone).
 *
 * When no Exchange server's snapshot holds Get-IRMConfiguration and at
 * least one records it as not collected (<skipped>: the one-script plan
 * under a key logon, the export script outside the Exchange Management
 * Shell), none of the irm-* rules was checked: one not-collected finding
 * for the organisation says so, which servers lack it and why, and what
 * to run, instead of a silence that reads as a clean bill.  One export
 * anywhere covers the organisation, so then nothing is said.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "rules_int.h"
#include "settings.h"

#define ORG_COHORT "organization"
#define NAMES_MAX 5

static bool
org_rule(const irmf_finding *f)
{
	return f->kind == IRMF_FIND_RULE && f->rule_id != NULL &&
	    strncmp(f->rule_id, "irm-", 4) == 0 &&
	    strncmp(f->rule_id, "irm-test", 8) != 0;
}

static bool
same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* A group of per-server findings of one rule, setting and value. */
typedef struct org_group {
	const irmf_finding *first;
	irmf_buf servers;
	size_t count;
} org_group;

/* Exchange servers whose export has the IRM configuration. */
static size_t
irm_exports(const irmf_rule_run *run)
{
	size_t n = 0;

	for (size_t i = 0; i < run->n; i++)
		if ((run->snaps[i]->roles & IRMF_ROLE_EXCHANGE) &&
		    run->snaps[i]->has_irm_config)
			n++;
	return n;
}

static int
add_group_finding(irmf_findings *out, const org_group *g, size_t exports)
{
	irmf_finding f = *g->first;
	irmf_buf d = IRMF_BUF_INIT, e = IRMF_BUF_INIT;
	int rc;

	f.server = NULL;
	f.cohort = ORG_COHORT;
	irmf_buf_printf(&d, "%zu of %zu Exchange servers' exports: %s",
	    g->count, exports, g->servers.p ? g->servers.p : "");
	irmf_buf_add(&e, g->first->explanation ? g->first->explanation : "");
	irmf_buf_add(&e, "  Get-IRMConfiguration is one organisation-wide "
	    "setting, reported once.");
	if (g->count < exports)
		irmf_buf_add(&e, "  The other servers' exports show another "
		    "value: they were taken at different times or read domain "
		    "controllers that had not yet replicated; check the "
		    "current value once (Get-IRMConfiguration) before "
		    "changing it.");
	f.distribution = irmf_buf_take(&d);
	f.explanation = irmf_buf_take(&e);
	rc = (f.distribution == NULL || f.explanation == NULL) ?
	    IRMF_ENOMEM : irmf_findings_add(out, &f);
	free(f.distribution);
	free(f.explanation);
	return rc;
}

/* Merge the per-server irm-* findings of out[first..] into one each. */
static int
collapse(irmf_rule_run *run, irmf_findings *out, size_t first)
{
	irmf_findings keep = { 0 };
	org_group *g = calloc(out->n - first + 1, sizeof(*g));
	size_t ng = 0, exports = irm_exports(run);
	int rc = IRMF_OK;

	if (g == NULL)
		return irmf_error_oom();
	for (size_t i = first; i < out->n && rc >= 0; i++) {
		const irmf_finding *f = &out->items[i];
		size_t j;
		if (!org_rule(f)) {
			rc = irmf_findings_add(&keep, f);
			continue;
		}
		for (j = 0; j < ng; j++)
			if (strcmp(g[j].first->rule_id, f->rule_id) == 0 &&
			    same_str(g[j].first->setting, f->setting) &&
			    same_str(g[j].first->value, f->value))
				break;
		if (j == ng)
			g[ng++].first = f;
		if (g[j].count < NAMES_MAX)
			irmf_buf_printf(&g[j].servers, "%s%s",
			    g[j].count ? ", " : "", f->server ? f->server : "?");
		else if (g[j].count == NAMES_MAX)
			irmf_buf_add(&g[j].servers, ", ...");
		g[j].count++;
	}
	for (size_t j = 0; j < ng && rc >= 0; j++)
		rc = add_group_finding(&keep, &g[j], exports);
	for (size_t j = 0; j < ng; j++)
		irmf_buf_free(&g[j].servers);
	free(g);
	for (size_t i = first; i < out->n; i++)
		irmf_finding_clear(&out->items[i]);
	out->n = first;
	if (rc < 0) {
		irmf_findings_clear(&keep);
		return rc;
	}
	return irmf_findings_move(out, &keep);
}

/* ----------------------------------------- exports that disagree */

typedef struct prop_vals {
	const char *key;        /* "irm:InternalLicensingEnabled" */
	irmf_buf shown;         /* "True: EX01, EX02; False: EX03" */
	const char **norms;     /* distinct normalized values */
	size_t nnorms;
} prop_vals;

static const irmf_rule_info *
rule_by_id(const char *id)
{
	size_t n;
	const irmf_rule_info *t = irmf_rules_table(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].id, id) == 0)
			return &t[i];
	return NULL;
}

/* One info finding per property whose exports hold more than one value. */
static int
disagreements(irmf_rule_run *run, irmf_findings *out)
{
	const irmf_rule_info *rule = rule_by_id("irm-exports-agree");
	irmf_settings *sets = calloc(run->n + 1, sizeof(*sets));
	int rc = IRMF_OK;

	if (sets == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < run->n && rc >= 0; i++) {
		const irmf_snapshot *s = run->snaps[i];
		if ((s->roles & IRMF_ROLE_EXCHANGE) && s->has_irm_config &&
		    irmf_snapshot_error_for(s, "irm-config") == NULL)
			rc = irmf_settings_extract(s, &sets[i]);
	}
	/* every irm: key of any server, compared across the servers that
	 * have it (a property missing from a partial export is unknown) */
	for (size_t i = 0; i < run->n && rc >= 0 && rule; i++)
		for (size_t k = 0; k < sets[i].n && rc >= 0; k++) {
			const irmf_setting *st = &sets[i].items[k];
			bool seen = false, differ = false;
			irmf_buf v = IRMF_BUF_INIT;
			if (strncmp(st->key, "irm:", 4) != 0)
				continue;
			for (size_t p = 0; p < i && !seen; p++)
				seen = irmf_settings_find(&sets[p], st->key) != NULL;
			if (seen)
				continue;   /* reported with the first server */
			for (size_t p = i; p < run->n; p++) {
				const irmf_setting *o =
				    irmf_settings_find(&sets[p], st->key);
				if (o == NULL)
					continue;
				differ |= strcmp(o->norm ? o->norm : "",
				    st->norm ? st->norm : "") != 0;
				irmf_buf_printf(&v, "%s%s: %s", v.n ? "; " : "",
				    run->snaps[p]->server,
				    o->value ? o->value : "$null");
			}
			if (differ) {
				irmf_finding f = { 0 };
				f.cohort = ORG_COHORT;
				f.setting = st->key;
				f.kind = IRMF_FIND_RULE;
				f.severity = rule->severity;
				f.rule_id = (char *)rule->id;
				f.value = v.p;
				f.expected = (char *)rule->want;
				f.explanation = (char *)rule->explanation;
				f.remediation = (char *)rule->remediation;
				rc = v.err ? IRMF_ENOMEM :
				    irmf_findings_add(out, &f);
			}
			irmf_buf_free(&v);
		}
	for (size_t i = 0; i < run->n; i++)
		irmf_settings_clear(&sets[i]);
	free(sets);
	return rc;
}

/* ----------------------------- Get-IRMConfiguration not collected */

/* Why server s has no Get-IRMConfiguration: its recorded reason, else
 * that its snapshot does not hold it. */
static const char *
lack_reason(const irmf_snapshot *s)
{
	const irmf_skipped_item *k = irmf_snapshot_skipped_for(s, "irm-config");

	if (k != NULL && k->message != NULL && k->message[0])
		return k->message;
	return k != NULL ? "not collected" : "not in its snapshot";
}

/* "EX01, EX02 (2 servers: not collected over SSH: ...); EX09 (1
 * server: not in its snapshot)": the Exchange servers grouped by their reason, in fleet
 * order, at most NAMES_MAX names per reason. */
static char *
lack_value(const irmf_rule_run *run)
{
	irmf_buf b = IRMF_BUF_INIT;

	for (size_t i = 0; i < run->n; i++) {
		const char *why, *s = run->snaps[i]->server;
		size_t count = 0;
		bool seen = false;
		if (!(run->snaps[i]->roles & IRMF_ROLE_EXCHANGE))
			continue;
		why = lack_reason(run->snaps[i]);
		for (size_t p = 0; p < i && !seen; p++)
			seen = (run->snaps[p]->roles & IRMF_ROLE_EXCHANGE) &&
			    strcmp(lack_reason(run->snaps[p]), why) == 0;
		if (seen)
			continue;   /* listed with the first of its reason */
		irmf_buf_printf(&b, "%s", b.n ? "; " : "");
		for (size_t p = i; p < run->n; p++) {
			if (!(run->snaps[p]->roles & IRMF_ROLE_EXCHANGE) ||
			    strcmp(lack_reason(run->snaps[p]), why) != 0)
				continue;
			if (count < NAMES_MAX)
				irmf_buf_printf(&b, "%s%s", count ? ", " : "",
				    p == i ? s : run->snaps[p]->server);
			else if (count == NAMES_MAX)
				irmf_buf_add(&b, ", ...");
			count++;
		}
		irmf_buf_printf(&b, " (%zu %s: %s)", count,
		    count == 1 ? "server" : "servers", why);
	}
	return irmf_buf_take(&b);
}

static int
org_not_collected(irmf_rule_run *run, irmf_findings *out)
{
	const irmf_rule_info *rule = rule_by_id("irm-config-collected");
	irmf_finding f = { 0 };
	bool exchange = false, skipped = false, roles_skipped = false;
	irmf_buf e = IRMF_BUF_INIT;
	int rc;

	for (size_t i = 0; i < run->n; i++) {
		const irmf_snapshot *s = run->snaps[i];
		if (!(s->roles & IRMF_ROLE_EXCHANGE))
			continue;
		if (s->has_irm_config)
			return IRMF_OK;   /* one export covers the organisation */
		exchange = true;
		skipped |= irmf_snapshot_skipped_for(s, "irm-config") != NULL;
	}
	if (rule == NULL || !exchange || !skipped)
		return IRMF_OK;
	for (size_t i = 0; i < run->n && !roles_skipped; i++)
		roles_skipped = (run->snaps[i]->roles & IRMF_ROLE_EXCHANGE) &&
		    irmf_snapshot_skipped_for(run->snaps[i],
		    "exchange-server") != NULL;
	f.cohort = ORG_COHORT;
	f.setting = "irm-config";
	f.kind = IRMF_FIND_NOT_COLLECTED;
	f.severity = rule->severity;
	f.rule_id = (char *)rule->id;
	f.expected = (char *)rule->want;
	f.remediation = (char *)rule->remediation;
	irmf_buf_add(&e, rule->explanation);
	/* the roles it leaves unknown are judged as before: configured */
	if (roles_skipped)
		irmf_buf_add(&e, "  Get-ExchangeServer, not collected the same "
		    "way, leaves the servers' Exchange roles unknown: each is "
		    "judged as a configured Mailbox or Client Access server, as "
		    "when it is not exported.");
	f.explanation = irmf_buf_take(&e);
	f.value = lack_value(run);
	rc = f.value && f.explanation ? irmf_findings_add(out, &f) :
	    irmf_error_oom();
	free(f.value);
	free(f.explanation);
	return rc;
}

int
irmf_rules_org(irmf_rule_run *run, irmf_findings *out, size_t first)
{
	int rc = collapse(run, out, first);

	if (rc >= 0)
		rc = disagreements(run, out);
	return rc < 0 ? rc : org_not_collected(run, out);
}

