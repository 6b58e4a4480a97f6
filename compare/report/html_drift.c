/*
 * html_drift.c - what the audit's HTML page adds to the comparison's:
 * on the first screen, the servers whose configuration changed since the
 * previous audit (each linked to its timeline) and the stale ones; after
 * the findings, per changed server its drift timeline: the changes the
 * history recorded for it (when, which setting, old -> new) and, per
 * setting that drifted now, since when it differs from the fleet's
 * majority.  Values are text (html.h): a value is never a link.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "report_audit.h"

static void
timeline_id(size_t i, char *buf, size_t len)
{
	snprintf(buf, len, "t-%zu", i);
}

/* How many of the audit's drift entries are this server's. */
static size_t
server_changes(const irmf_audit_view *v, const char *server)
{
	size_t n = 0;

	for (size_t i = 0; i < v->drift->n; i++)
		n += strcasecmp(v->drift->items[i].server, server) == 0 &&
		    irmf_audit_change_is_drift(&v->drift->items[i]);
	return n;
}

static bool
differs(const irmf_audit_timeline *t)
{
	for (size_t i = 0; i < t->nsince; i++)
		if (t->since[i].cur.differs)
			return true;
	return false;
}

static void
changed_item(hctx *h, xmlNodePtr ol, size_t i)
{
	const irmf_audit_timeline *t = &h->audit->timelines[i];
	size_t n = server_changes(h->audit, t->server);
	char id[32], text[600];
	xmlNodePtr li = h_elc(h, ol, "li", NULL, "changed"), a;

	h_attr(h, li, "data-server", t->server);
	timeline_id(i, id, sizeof(id));
	snprintf(text, sizeof(text), "#%s", id);
	a = h_el(h, li, "a", t->server);
	h_attr(h, a, "href", text);
	snprintf(text, sizeof(text), " %zu change%s since the previous audit"
	    "%s", n, n == 1 ? "" : "s", differs(t) ?
	    "; differs from the majority" : "");
	h_text(h, li, text);
}

static void
stale_list(hctx *h, xmlNodePtr sec)
{
	const irmf_changes *st = h->audit->stale;
	char text[600];
	xmlNodePtr ul;

	if (st->n == 0)
		return;
	snprintf(text, sizeof(text), "Stale: not collected for more than %s",
	    h->audit->stale_label ? h->audit->stale_label : "the limit");
	h_el(h, sec, "h3", text);
	ul = h_el(h, sec, "ul", NULL);
	for (size_t i = 0; i < st->n && !h->err; i++) {
		xmlNodePtr li = h_elc(h, ul, "li", NULL, "stale");
		h_attr(h, li, "data-server", st->items[i].server);
		h_elc(h, li, "strong", st->items[i].server, NULL);
		snprintf(text, sizeof(text), " last collected %s",
		    st->items[i].old_since ? st->items[i].old_since : "never");
		h_text(h, li, text);
	}
}

/* Hosts that failed or were absent in this run: the comparison has no
 * snapshot of them, only the history knows. */
static void
failed_list(hctx *h, xmlNodePtr sec)
{
	const irmf_changes *d = h->audit->drift;
	xmlNodePtr ul = NULL;
	char text[600];

	for (size_t i = 0; i < d->n && !h->err; i++) {
		const irmf_change *c = &d->items[i];
		xmlNodePtr li;
		if (c->kind != IRMF_CHANGE_FAILED &&
		    c->kind != IRMF_CHANGE_ABSENT)
			continue;
		if (ul == NULL) {
			h_el(h, sec, "h3", "Failed or absent in this audit");
			ul = h_el(h, sec, "ul", NULL);
		}
		li = h_elc(h, ul, "li", NULL, "failed");
		h_attr(h, li, "data-server", c->server);
		h_elc(h, li, "strong", c->server, NULL);
		snprintf(text, sizeof(text), " %s: %s",
		    irmf_change_kind_name(c->kind), c->message ? c->message :
		    "not collected");
		h_text(h, li, text);
	}
}

void
html_drift_summary(hctx *h, xmlNodePtr header)
{
	const irmf_audit_view *v = h->audit;
	xmlNodePtr sec = h_el(h, header, "section", NULL), ol;
	char text[300];

	h_attr(h, sec, "id", "changed");
	h_el(h, sec, "h2", "Changed since the previous audit");
	if (v->sum->prev_run_id)
		snprintf(text, sizeof(text), "Audit run %lld at %s, compared "
		    "with run %lld at %s.", (long long)v->sum->run_id,
		    v->sum->at, (long long)v->sum->prev_run_id,
		    v->sum->prev_at);
	else
		snprintf(text, sizeof(text), "Audit run %lld at %s: the first "
		    "in this history (baseline).", (long long)v->sum->run_id,
		    v->sum->at);
	h_el(h, sec, "p", text);
	if (v->ntimelines == 0) {
		h_elc(h, sec, "p", "No server's configuration changed.", "ok");
	} else {
		ol = h_el(h, sec, "ol", NULL);
		for (size_t i = 0; i < v->ntimelines && !h->err; i++)
			changed_item(h, ol, i);
	}
	failed_list(h, sec);
	stale_list(h, sec);
}

static void
history_table(hctx *h, xmlNodePtr art, const irmf_audit_timeline *t)
{
	static const char *const heads[] = { "when", "change", "setting",
	    "old value", "new value" };
	size_t n = t->history.n < IRMF_AUDIT_TIMELINE_MAX ? t->history.n :
	    IRMF_AUDIT_TIMELINE_MAX;
	xmlNodePtr table, tbody;

	h_el(h, art, "h4", t->truncated ? "Recorded changes (the latest "
	    "50, newest first)" : "Recorded changes (newest first)");
	table = h_elc(h, art, "table", NULL, "timeline");
	h_head_row(h, table, heads, sizeof(heads) / sizeof(heads[0]));
	tbody = h_el(h, table, "tbody", NULL);
	for (size_t i = 0; i < n && !h->err; i++) {
		const irmf_change *c = &t->history.items[i];
		xmlNodePtr tr = h_el(h, tbody, "tr", NULL);
		h_attr(h, h_el(h, tr, "th", c->at ? c->at : "-"), "scope",
		    "row");
		h_el(h, tr, "td", irmf_change_kind_name(c->kind));
		h_elc(h, tr, "td", c->setting ? c->setting : c->message, "k");
		h_elc(h, tr, "td", c->old_value, "v");
		h_elc(h, tr, "td", c->new_value, "v");
	}
}

static void
since_table(hctx *h, xmlNodePtr art, const irmf_audit_timeline *t)
{
	static const char *const heads[] = { "setting", "value now",
	    "since", "fleet majority", "differs from the majority since" };
	xmlNodePtr table, tbody;
	char buf[300];

	if (t->nsince == 0)
		return;
	h_el(h, art, "h4", "Against the fleet's majority");
	table = h_elc(h, art, "table", NULL, "since");
	h_head_row(h, table, heads, sizeof(heads) / sizeof(heads[0]));
	tbody = h_el(h, table, "tbody", NULL);
	for (size_t i = 0; i < t->nsince && !h->err; i++) {
		const irmf_audit_since *s = &t->since[i];
		xmlNodePtr tr = h_el(h, tbody, "tr", NULL);
		h_attr(h, h_elc(h, tr, "th", s->setting, "k"), "scope", "row");
		h_elc(h, tr, "td", s->cur.value ? s->cur.value : "(none)",
		    "v");
		h_el(h, tr, "td", s->cur.since ? s->cur.since : "?");
		snprintf(buf, sizeof(buf), " (%zu of %zu servers)",
		    s->cur.majority_count,
		    s->cur.others + (s->cur.value ? 1 : 0));
		xmlNodePtr td = h_el(h, tr, "td", NULL);
		if (s->cur.majority_value != NULL) {
			h_elc(h, td, "code", s->cur.majority_value, "v");
			h_text(h, td, buf);
		} else {
			h_text(h, td, "no majority");
		}
		h_elc(h, tr, "td", s->cur.differs ? (s->cur.differs_since ?
		    s->cur.differs_since : "?") : "agrees with the majority",
		    s->cur.differs ? "differs" : "agrees");
	}
}

void
html_drift(hctx *h, xmlNodePtr body)
{
	const irmf_audit_view *v = h->audit;
	xmlNodePtr sec = h_el(h, body, "section", NULL);
	char id[32], head[400];

	h_attr(h, sec, "id", "drift");
	h_el(h, sec, "h2", "Drift timeline per changed server");
	if (v->ntimelines == 0)
		h_el(h, sec, "p", "No server's configuration changed since "
		    "the previous audit.");
	for (size_t i = 0; i < v->ntimelines && !h->err; i++) {
		const irmf_audit_timeline *t = &v->timelines[i];
		xmlNodePtr art = h_elc(h, sec, "article", NULL, "timeline");
		timeline_id(i, id, sizeof(id));
		h_attr(h, art, "id", id);
		h_attr(h, art, "data-server", t->server);
		snprintf(head, sizeof(head), "%s: %zu change%s since the "
		    "previous audit", t->server, server_changes(v, t->server),
		    server_changes(v, t->server) == 1 ? "" : "s");
		h_el(h, art, "h3", head);
		if (!t->fetched) {
			snprintf(head, sizeof(head), "Timeline not shown (more "
			    "than %d servers changed): irmfleet history "
			    "--server %s", IRMF_AUDIT_TIMELINE_SERVERS,
			    t->server);
			h_el(h, art, "p", head);
			continue;
		}
		since_table(h, art, t);
		history_table(h, art, t);
	}
}
