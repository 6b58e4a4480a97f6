/*
 * rules_events.c - the connector nodes' events (1000-1004, 2000-2003,
 * 3000-3001) attributed to the servers that caused them, through a sorted
 * name index (computer account, FQDN, short name, service accounts), and
 * the checks on them: node problems still current, the authorization list
 * refreshed, unauthorized attempts, no access allowed, HTTP connections.
 * Prepared once per run (irmf_rules_prepare_events, called from
 * rules_connector.c).
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
		if (!irmf_rule_is_client(run, s))
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
char *
irmf_rule_fleet_window_text(const irmf_rule_run *run, int id)
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
		const irmf_collect_error *e = irmf_rule_node_error(s, "events");
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

int
irmf_rules_prepare_events(irmf_rule_run *run)
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
int
irmf_rule_report_unjudged(irmf_rule_run *run, const irmf_rule_info *rule,
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
	const irmf_collect_error *e = irmf_rule_node_error(s, "events");

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
	if ((win = irmf_rule_fleet_window_text(run, 1002)) == NULL)
		return IRMF_ENOMEM;
	if (!run->win1002_ok)
		rc = irmf_rule_report_unjudged(run, rule, s->server, irmf_rule_cohort(run, s),
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

