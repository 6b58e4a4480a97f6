/*
 * html_tables.c - the reference tables at the end of the HTML report:
 * every server with what it runs and the evidence for it (so a finding
 * about v14 keys can be read knowing why the server is taken for
 * Exchange 2010), and every item that could not be collected.  They are
 * in <details>, closed: the triage above is what an admin reads first.
 */
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "identity.h"

static void
evidence(hctx *h, xmlNodePtr td, const irmf_identity *id)
{
	xmlNodePtr ul;

	if (id->nevidence == 0)
		return;
	ul = h_el(h, td, "ul", NULL);
	for (size_t k = 0; k < id->nevidence; k++) {
		const irmf_evidence *e = &id->evidence[k];
		char ev[512];
		snprintf(ev, sizeof(ev), "%s %s says %s [%s]", e->source,
		    e->value, irmf_generation_label(e->says),
		    irmf_evidence_rank_name(e->rank));
		h_el(h, ul, "li", ev);
	}
}

static void
server_row(hctx *h, xmlNodePtr tbody, const irmf_snapshot *s,
    const char *cohort)
{
	irmf_identity id;
	char line[1024], build[320];
	xmlNodePtr tr = h_el(h, tbody, "tr", NULL);

	irmf_identity_of(s, &id);
	line[0] = '\0';
	if (id.generation != IRMF_GEN_NONE)
		irmf_identity_describe(&id, line, sizeof(line));
	h_attr(h, h_el(h, tr, "th", s->server), "scope", "row");
	h_el(h, tr, "td", cohort);
	h_el(h, tr, "td", s->collected_at ? s->collected_at : "");
	h_el(h, tr, "td", line[0] ? line :
	    irmf_generation_label(id.generation));
	snprintf(build, sizeof(build), "%s%s%s%s", id.build,
	    id.build[0] ? " (" : "", id.build_source,
	    !id.build[0] ? "" : id.build_exact ? ")" :
	    ", service pack level)");
	h_elc(h, tr, "td", build, "v");
	evidence(h, h_el(h, tr, "td", NULL), &id);
}

void
html_servers(hctx *h, xmlNodePtr body)
{
	static const char *const heads[] = { "server", "cohort", "collected",
	    "generation", "build", "evidence (strongest first)" };
	xmlNodePtr det = h_elc(h, body, "details", NULL, "ref"), table, tbody;

	h_attr(h, det, "id", "servers");
	h_el(h, h_el(h, det, "summary", NULL), "h2", "Servers");
	table = h_el(h, det, "table", NULL);
	h_head_row(h, table, heads, sizeof(heads) / sizeof(heads[0]));
	tbody = h_el(h, table, "tbody", NULL);
	for (size_t c = 0; c < h->r->ncohorts && !h->err; c++) {
		const irmf_cohort *co = &h->r->cohorts[c];
		for (size_t i = 0; i < co->n && !h->err; i++)
			server_row(h, tbody,
			    h->r->fleet.members[co->members[i]].snap, co->name);
	}
}

void
html_unchecked(hctx *h, xmlNodePtr body)
{
	static const char *const heads[] = { "server", "item", "reason",
	    "message" };
	const irmf_result *r = h->r;
	xmlNodePtr det, table, tbody, tr;

	if (r->nunchecked == 0)
		return;
	det = h_elc(h, body, "details", NULL, "ref");
	h_attr(h, det, "id", "not-checked");
	h_attr(h, det, "open", "open");
	h_el(h, h_el(h, det, "summary", NULL), "h2", "Not checked");
	table = h_el(h, det, "table", NULL);
	h_head_row(h, table, heads, sizeof(heads) / sizeof(heads[0]));
	tbody = h_el(h, table, "tbody", NULL);
	for (size_t i = 0; i < r->nunchecked && !h->err; i++) {
		const irmf_unchecked *u = &r->unchecked[i];
		tr = h_el(h, tbody, "tr", NULL);
		h_attr(h, h_el(h, tr, "th", u->server), "scope", "row");
		h_elc(h, tr, "td", u->err->item, "v");
		h_el(h, tr, "td", irmf_collect_reason_name(u->err->reason));
		h_el(h, tr, "td", u->err->message ? u->err->message : "");
	}
}
