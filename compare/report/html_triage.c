/*
 * html_triage.c - the findings part of the HTML report, in the order an
 * admin fixes them: by server (worst first), then by root cause (the
 * groups of report_group.c: the outlier, the rule and the event that one
 * http connector URL causes are one group), each finding with its
 * evidence, why it matters and a fix in a <pre> with a Copy button.
 * Every finding has the id "f-N" the first screen links to.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "html.h"

static void
field(hctx *h, xmlNodePtr dl, const char *name, const char *value,
    const char *cls)
{
	if (value == NULL)
		return;
	h_el(h, dl, "dt", name);
	h_elc(h, h_el(h, dl, "dd", NULL), "code", value, cls);
}

static void
finding(hctx *h, xmlNodePtr parent, const irmf_finding *f)
{
	char id[32], what[256];
	xmlNodePtr art, head, dl, fix;

	h_finding_id(h, f, id, sizeof(id));
	art = h_elc(h, parent, "article", NULL, "finding");
	h_attr(h, art, "id", id);
	head = h_el(h, art, "h4", NULL);
	h_elc(h, head, "span", irmf_severity_name(f->severity),
	    irmf_severity_name(f->severity));
	snprintf(what, sizeof(what), " %s%s%s ", irmf_finding_kind_name(f->kind),
	    f->rule_id ? " " : "", f->rule_id ? f->rule_id : "");
	h_text(h, head, what);
	h_elc(h, head, "code", f->setting, "k");
	dl = h_el(h, art, "dl", NULL);
	field(h, dl, "value", f->value, "v");
	field(h, dl, "expected", f->expected, "v");
	field(h, dl, "distribution", f->distribution, NULL);
	if (f->explanation)
		h_elc(h, art, "p", f->explanation, "why");
	if (f->remediation == NULL)
		return;
	fix = h_elc(h, art, "div", NULL, "fix");
	h_el(h, fix, "pre", f->remediation);
	h_attr(h, h_elc(h, fix, "button", "Copy fix", "copy"), "type",
	    "button");
}

/* One root-cause group: a heading when it has several findings. */
static void
group(hctx *h, xmlNodePtr parent, const irmf_fgroup *g)
{
	xmlNodePtr sec = h_elc(h, parent, "section", NULL, "group");
	char head[512];

	h_attr(h, sec, "data-cause", g->cause);
	if (g->n > 1) {
		snprintf(head, sizeof(head), "Root cause: %s (%zu findings, "
		    "fixed together)", g->cause, g->n);
		h_el(h, sec, "h4", head);
	}
	for (size_t i = 0; i < g->n && !h->err; i++)
		finding(h, sec, g->items[i]);
}

static bool
same(const irmf_fgroup *a, const irmf_fgroup *b)
{
	if (a->server == NULL || b->server == NULL)
		return a->server == b->server && a->cohort && b->cohort &&
		    strcmp(a->cohort, b->cohort) == 0;
	return strcasecmp(a->server, b->server) == 0;
}

/* A server's section and every group of it (groups are in report order,
 * so its first group is its worst). */
static void
server(hctx *h, xmlNodePtr parent, size_t first)
{
	const irmf_fgroup *g0 = &h->gs->g[first];
	xmlNodePtr sec = h_elc(h, parent, "section", NULL, "server");
	char head[512];

	h_attr(h, sec, "data-server", g0->server ? g0->server : "");
	if (g0->server)
		snprintf(head, sizeof(head), "%s (%s)", g0->server,
		    g0->cohort ? g0->cohort : "?");
	else
		snprintf(head, sizeof(head), "cohort %s (all servers)",
		    g0->cohort ? g0->cohort : "?");
	h_el(h, sec, "h3", head);
	for (size_t i = first; i < h->gs->n && !h->err; i++)
		if (same(&h->gs->g[i], g0))
			group(h, sec, &h->gs->g[i]);
}

void
html_findings(hctx *h, xmlNodePtr body)
{
	xmlNodePtr sec = h_el(h, body, "section", NULL);

	h_attr(h, sec, "id", "findings");
	h_el(h, sec, "h2", "Findings by server and root cause");
	if (h->gs->n == 0) {
		h_el(h, sec, "p", "No findings.");
		return;
	}
	for (size_t i = 0; i < h->gs->n && !h->err; i++) {
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = same(&h->gs->g[j], &h->gs->g[i]);
		if (!seen)
			server(h, sec, i);
	}
}
