/*
 * rules_connector.c - checks that need the connector side (the table is
 * rules_table.c): the connector installed on a server that uses it, the
 * servers' probes of the connector URL, the fleet-wide outage (no server
 * reaches the connector), and the lifecycle of the connector-side facts.
 * The authorization list is rules_auth.c, the nodes' events
 * rules_events.c.
 *
 * Everything that crosses servers is computed once in
 * irmf_rules_prepare_connector (the reference authorization list, which
 * single rule most Exchange servers match, events per server, which URLs
 * answered some server), so each per-server check is cheap even for a
 * fleet of thousands.
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

int
irmf_chk_connector_on_client(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	irmf_buf b = { 0 };
	char *roles;
	int rc;

	if (!irmf_rule_is_node(s))
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
		if (irmf_rule_is_client(run, run->snaps[i]))
			cap += run->snaps[i]->nprobes;
	if (cap == 0)
		return IRMF_OK;
	if ((run->probe_ok = calloc(cap, sizeof(char *))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < run->n; i++) {
		const irmf_snapshot *s = run->snaps[i];
		bool any = false;
		if (!irmf_rule_is_client(run, s))
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
		qsort(run->probe_ok, run->nprobe_ok, sizeof(char *), irmf_rule_cmp_cstr);
	return IRMF_OK;
}

static bool
probe_answered(const irmf_rule_run *run, const char *norm)
{
	return run->nprobe_ok > 0 && bsearch(&norm, run->probe_ok,
	    run->nprobe_ok, sizeof(char *), irmf_rule_cmp_cstr) != NULL;
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
	if ((win = irmf_rule_fleet_window_text(run, 1002)) == NULL)
		return IRMF_ENOMEM;
	if (ev && !run->win1002_ok && !pr) {
		rc = irmf_rule_report_unjudged(run, rule, NULL, "connector",
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
		if (irmf_rule_is_node(run->snaps[i]))
			run->nodes[run->nnodes++] = run->snaps[i];
	run->first_checked = run->n;
	for (size_t i = run->n; i-- > 0;)
		if (irmf_rule_bit(run, run->snaps[i]) &
		    (IRMF_RC_CLIENTS | IRMF_RC_CONNECTOR))
			run->first_checked = i;
	if ((rc = irmf_rules_prepare_auth(run)) < 0 ||
	    (rc = irmf_rules_prepare_exch_rules(run)) < 0 ||
	    (rc = irmf_rules_prepare_events(run)) < 0 ||
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
