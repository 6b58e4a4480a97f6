/*
 * rules_int.h - shared by the rule table and engine (rules.c), the
 * reporting (rules_report.c), the helpers (rules_util.c) and the check
 * functions split by area (rules_registry.c, rules_irm.c,
 * rules_connector.c, rules_msipc.c).  Not for other modules: they use rules.h.
 */
#ifndef IRMF_RULES_INT_H
#define IRMF_RULES_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "findings.h"
#include "rules.h"
#include "snapshot_int.h"
#include "buf.h"
#include "url.h"

/* Registry paths the rules read (HKLM form, as in setting keys). */
#define IRMF_K_MSDRM_SL "HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation"
#define IRMF_K_MSIPC_SL "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation"
#define IRMF_K_EXCH "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer"
/* {ver} is the server's Exchange key version (v14, v15) */
#define IRMF_K_EXCH_IRM IRMF_K_EXCH "\\{ver}\\IRM"

/* Roles whose servers are compared with each other (Exchange,
 * SharePoint, file server): irmf_rule_role_ix. */
#define IRMF_RULE_ROLES 3

/* Fleet-wide facts computed once per run, before any check. */
typedef struct irmf_rule_run {
	irmf_snapshot *const *snaps;
	size_t n;
	irmf_findings *out;

	/* Most common tenant base URL ("https://x.rms.na.aadrm.com") and
	 * connector base URL ("https://rmscon.contoso.com"), normalized;
	 * NULL when the fleet does not say. */
	char *tenant;
	char *connector;
	/* Connector URL scheme most servers use ("http"/"https"), NULL when
	 * no server has a connector URL or the fleet is evenly split. */
	const char *scheme;
	/* The same within each role (irmf_rule_role_ix): file servers use
	 * http by design where Exchange uses https, so schemes are compared
	 * between servers of one role only. */
	const char *scheme_role[IRMF_RULE_ROLES];

	/* Connector-node data: the reference authorization list (the one
	 * most nodes hold), whether any node had its list or events, and
	 * the first node whose collection of them failed. */
	const irmf_snapshot *auth_ref;
	char *auth_key;          /* normalized form of auth_ref's list */
	size_t auth_nodes;       /* nodes that have their list */
	bool auth_split;         /* no list is held by more nodes than any other */
	bool auth_derived;       /* the lists are derived from event 1004 (no
	                          * node has a typed one): auth-derived-* */
	const irmf_collect_error *auth_failed;
	const char *auth_failed_node;
	/* The one authorization rule most Exchange servers match (lowercase
	 * account), whether it is a strict plurality, how many different
	 * single rules Exchange servers match. */
	char *exch_rule;
	bool exch_rule_unique;
	size_t exch_rule_kinds;

	bool events_any;
	const irmf_collect_error *events_failed;
	const char *events_failed_node;
	/* cur + 1 of the server last told that the auth-* / events-* rules
	 * could not be checked (one such finding per server and group) */
	size_t nc_auth_mark, nc_events_mark;
	struct irmf_rule_srv *srv;   /* per server (index as in snaps) */
	unsigned cohorts_1002;       /* cohort bits where a server was
	                              * allowed access (1002/1003) */
	/* servers of each role on HTTPS now (a 1002/1003, no 2002 newer
	 * than their last 1003) */
	size_t https_role[IRMF_RULE_ROLES];
	/* 1002s logged on any node (attributed or not), and whether every
	 * node's window for them reaches back far enough to judge their
	 * absence (the whole log, or back to the node's last service start
	 * 1000); the first node whose window does not */
	unsigned long long n1002_all;
	bool win1002_ok;
	const irmf_snapshot *win1002_short;
	size_t first_checked;        /* index of the first server the
	                              * fleet-wide rules run on */

	char **probe_ok;             /* sorted normalized URLs some client */
	size_t nprobe_ok;            /* server got an HTTP answer from */
	/* probes of connector (not Microsoft RMS) URLs by client servers,
	 * and the servers that made them */
	size_t nprobe_conn, probe_servers;

	const irmf_snapshot **nodes; /* the connector nodes of the fleet */
	size_t nnodes;

	size_t cur;                  /* index of the snapshot being checked */

	/* The cohort of the snapshot last asked about (irmf_rule_cohort):
	 * the checks ask for it again and again, and establishing a
	 * server's generation reads its evidence each time. */
	const irmf_snapshot *who_snap;
	const char *who_cohort;
	unsigned who_bit;

	/* Registry lookups on one snapshot, remembered: the rules ask for the
	 * same dozen keys again and again (see irmf_rule_find). */
	const irmf_snapshot *memo_snap;
	struct {
		char path[192];
		const irmf_reg_key *key;
	} memo[24];
	size_t nmemo;
} irmf_rule_run;

/* Connector events attributed to one server (rules_connector.c), with
 * the latest time of each kind (ISO 8601 UTC, pointing into the nodes'
 * snapshots; NULL: none or no time): a problem is current only while its
 * last event is newer than the last event that shows it solved. */
typedef struct irmf_rule_srv {
	unsigned n2001, n1002, n1003, n2002;
	const char *node2001;        /* node of the latest 2001 */
	const irmf_snapshot *node2001_snap;
	const char *last2001, *last_ok, *last2002, *last1003;
} irmf_rule_srv;

/* ---- reporting (rules_report.c) ---- */

/* Append a finding for rule on snap (kind IRMF_FIND_RULE) with the
 * explanation and remediation templates expanded.  setting is the stable
 * key; value/expected/distribution may be NULL. */
int irmf_rule_report(irmf_rule_run *run, const irmf_rule_info *rule,
    const irmf_snapshot *snap, const char *setting, const char *value,
    const char *expected, const char *distribution);
/* Append an IRMF_FIND_NOT_COLLECTED finding: the rule could not be
 * checked on snap because collecting err->item failed. */
int irmf_rule_not_collected(irmf_rule_run *run, const irmf_rule_info *rule,
    const irmf_snapshot *snap, const char *setting,
    const irmf_collect_error *err);

/* The same when the data came from a connector node (node: its name) and
 * covers a group of rules (scope: "the authorization rules (auth-*)"). */
int irmf_rule_not_collected_on(irmf_rule_run *run,
    const irmf_rule_info *rule, const irmf_snapshot *snap,
    const char *setting, const irmf_collect_error *err, const char *node,
    const char *scope);

/* ---- helpers (rules_util.c) ---- */

/* Whether the server's registry was collected at all (an import of only
 * a Get-IRMConfiguration export has no registry: its keys are unknown). */
bool irmf_rule_have_registry(const irmf_snapshot *snap);
/* The cohort (irmf_cohort_of) of snap and its IRMF_RC_* bit, remembered
 * for the snapshot last asked about. */
const char *irmf_rule_cohort(irmf_rule_run *run, const irmf_snapshot *snap);
unsigned irmf_rule_bit(irmf_rule_run *run, const irmf_snapshot *snap);
/* "v14" or "v15" for an Exchange snapshot's cohort. */
const char *irmf_rule_exch_ver(irmf_rule_run *run,
    const irmf_snapshot *snap);
/* Expand "{ver}" in a path template into a malloc'd string. */
char *irmf_rule_path(irmf_rule_run *run, const char *tmpl,
    const irmf_snapshot *snap);
/* "reg:<path>" or "reg:<path>\<name|(default)>" (malloc'd). */
char *irmf_rule_reg_setting(const char *path, const char *name);
/* irmf_snapshot_reg_find, remembered per snapshot in run (paths are
 * compared exactly, as the rules spell them). */
const irmf_reg_key *irmf_rule_find(irmf_rule_run *run,
    const irmf_snapshot *snap, const char *path);
/* A REG_SZ-like value's text, or NULL if the key or value is absent. */
const char *irmf_rule_reg_str(irmf_rule_run *run, const irmf_snapshot *snap,
    const char *path, const char *name);


/* 0 Exchange, 1 SharePoint, 2 file server (FCI), -1 none of them. */
int irmf_rule_role_ix(const irmf_snapshot *snap);
/* The connector URL scheme most servers of snap's role use (NULL: none
 * or evenly split). */
const char *irmf_rule_scheme_for(const irmf_rule_run *run,
    const irmf_snapshot *snap);

/* Account names: "CONTOSO\EX01$" equals "ex01$" (the domain part is
 * compared only when both sides carry one). */
bool irmf_account_eq(const char *a, const char *b);

/* String building: irmf_buf (buf.h). */

/* Call fn(ctx, setting, url) for every connector URL the server's
 * registry holds (data of redirection values, ServiceLocation defaults
 * that are http(s) URLs but not Microsoft RMS URLs).  Stops at the first
 * negative return and passes it up. */
typedef int (*irmf_url_fn)(void *ctx, const char *setting, const char *url);
int irmf_rule_conn_urls(irmf_rule_run *run, const irmf_snapshot *snap,
    irmf_url_fn fn, void *ctx);

/* ---- check functions, by area ---- */

/* rules_registry.c */
int irmf_chk_exch_redir_present(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_exch_redir_tenant(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_exch_redir_data(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_exch_redir_wmcs(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_redir_bare_name(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_exch_key_version(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_service_location(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_exch_msdrm_connector(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_publishing_cert(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_msipc_redirection(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_connector_scheme(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_connector_node_name(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_literal_default(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);

/* rules_org.c: after the per-server checks, the irm-* findings of
 * out[first..] merged once per organisation, the properties whose
 * exports disagree reported (irm-exports-agree), and Get-IRMConfiguration
 * recorded as not collected with no export anywhere said once
 * (irm-config-collected); both rows' own check is irmf_chk_org_only, a
 * no-op. */
int irmf_rules_org(irmf_rule_run *run, irmf_findings *out, size_t first);
/* The per-server check of the rows rules_org.c judges: none (in
 * rules_table.c). */
int irmf_chk_org_only(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);

/* rules_identity.c */
int irmf_chk_identity(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);

/* rules_irm.c */
/* Get-IRMConfiguration property rule->param is rule->want ("A|B": one
 * of them), case-insensitively. */
int irmf_chk_irm_value(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_irm_location(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_irm_test(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_product_min(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_msdrm_mode2(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_msipc_version(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);

/* rules_msipc.c: the MSIPC\Server ACL, Wow6432Node MSIPC twins */
int irmf_chk_msipc_server_acl(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_msipc_wow64(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);

/* rules_connector.c: facts from connector nodes, events and probes */
int irmf_rules_prepare_connector(irmf_rule_run *run);
void irmf_rules_release_connector(irmf_rule_run *run);
int irmf_chk_connector_on_client(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_auth_nodes_agree(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_auth_list_empty(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_auth_count(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_auth_exchange_role(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_auth_same_rule(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
/* rules_auth.c: the auth-derived-* rules, by rule->want: "not-listed",
 * "many", "other-rule", "roles", "unread" */
int irmf_chk_auth_derived(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_event_node(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_event_2001(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_event_no_1002(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_event_http(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_probe(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_list_refresh(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);
int irmf_chk_fleet_unreachable(const irmf_rule_info *, irmf_rule_run *,
    const irmf_snapshot *);

/* Whether s is Exchange 2013 by a known build (15.0.*): the connector
 * documentation configures Exchange 2013 without the MSIPC keys (they
 * came for Exchange 2016/2019, domain.md 8), so the MSIPC checks leave
 * it alone.  A v15 server of unknown build is judged as 2016/2019. */
bool irmf_rule_exchange_2013(const irmf_snapshot *s);

/* Shared by the connector-side checks (rules_connector.c, rules_auth.c,
 * rules_events.c); defined in rules_util.c. */
bool irmf_rule_is_node(const irmf_snapshot *s);
bool irmf_rule_is_client(irmf_rule_run *run, const irmf_snapshot *s);
int irmf_rule_cmp_cstr(const void *a, const void *b);
/* The node's error for item, else its "host" error; NULL if neither. */
const irmf_collect_error *irmf_rule_node_error(const irmf_snapshot *s,
    const char *item);
/* Fleet-wide connector facts, prepared once per run from
 * irmf_rules_prepare_connector. */
int irmf_rules_prepare_auth(irmf_rule_run *run);
int irmf_rules_prepare_exch_rules(irmf_rule_run *run);
int irmf_rules_prepare_events(irmf_rule_run *run);
/* Events (rules_events.c) used by the fleet-wide outage check: the nodes'
 * event windows for id as text (malloc'd, NULL on OOM), and a rule that
 * could not be judged for want of events reported as "not checked". */
char *irmf_rule_fleet_window_text(const irmf_rule_run *run, int id);
int irmf_rule_report_unjudged(irmf_rule_run *run, const irmf_rule_info *rule,
    const char *server, const char *cohort, const char *setting,
    const char *window, const char *what);

#endif
