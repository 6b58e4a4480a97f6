/*
 * html_page.c - the comparison as one self-contained HTML page for
 * triage (`--format html`): inline CSS and script, no network, works from
 * file://.  Top to bottom, in the order an admin needs it:
 *
 *   1. the first screen: what needs action (each server with an error or
 *      warning, its one-line problem and a link to its finding), and what
 *      the report is about (fleet, data time range, collection failures,
 *      tool version, generation time);
 *   2. the findings by server and root cause (html_triage.c);
 *   3. the settings matrix per cohort (html_matrix.c);
 *   4. the servers and not-checked tables (html_tables.c).
 *
 * A JSON island (<script type="application/json" id="irmf-data">) gives
 * the same facts to a script or a test: tool, generation time, and per
 * server its collection time and the ids of its findings.  How the page
 * stays escaped is in html.h.
 */
#include <jansson.h>
#include <libxml/HTMLtree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "error.h"
#include "report_audit.h"

static const char css[] =
    "body{font-family:system-ui,sans-serif;margin:1.5em;color:#1a1a1a;"
    "line-height:1.4}"
    "h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.6em}"
    "h3{font-size:1.05em;margin:1.2em 0 .3em}h4{font-size:1em;margin:.6em 0 .2em}"
    "dl.meta{display:grid;grid-template-columns:max-content auto;gap:.1em 1em}"
    "dl.meta dt{font-weight:bold}dl.meta dd{margin:0}"
    "#action ol{padding-left:1.4em}#action li{margin:.2em 0}"
    "a{color:#0b4f9c}:focus-visible{outline:3px solid #0b4f9c;outline-offset:1px}"
    ".error{color:#a3001b;font-weight:bold}.warning{color:#7a4a00;"
    "font-weight:bold}.info{color:#00566b;font-weight:bold}"
    "article.finding{border-left:4px solid #ccc;padding:.2em .8em;margin:.6em 0}"
    "section.group{margin-left:.6em}"
    "dl{margin:.2em 0}dt{font-weight:bold;font-size:.9em}dd{margin:0 0 .3em 1em}"
    "code{font-family:monospace;overflow-wrap:anywhere}"
    ".fix pre{background:#f4f4f4;border:1px solid #ccc;padding:.5em;"
    "white-space:pre-wrap;overflow-wrap:anywhere;margin:.3em 0}"
    "button{font:inherit;padding:.15em .6em;cursor:pointer}"
    ".scroll{max-height:75vh;overflow:auto;border:1px solid #bbb}"
    "table{border-collapse:separate;border-spacing:0}"
    "th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top;"
    "font-size:.85em;text-align:left}"
    "thead{position:sticky;top:0;z-index:2}"
    "thead th,thead td{background:#eef0f3}"
    "tbody th{position:sticky;left:0;background:#fafafa;z-index:1}"
    ".k{font-family:monospace;min-width:12em;max-width:22em;"
    "overflow-wrap:anywhere}"
    "td.v{font-family:monospace;max-width:24em;white-space:nowrap;"
    "overflow:hidden;text-overflow:ellipsis}"
    ".outlier{background:#ffd0d0}.rule{background:#ffe1b0}"
    ".nc{background:repeating-linear-gradient(45deg,#e4e4e4 0 6px,"
    "#f4f4f4 6px 12px);color:#333;font-style:italic}"
    ".absent{color:#555;font-style:italic}"
    "mark{background:#ffe600;color:#000;font-weight:bold}"
    ".legend span,.legend mark{display:inline-block;padding:2px 6px;"
    "margin:0 6px 4px 0;border:1px solid #999;white-space:normal;"
    "max-width:none}"
    ".same{display:none}.all:checked~.scroll .same{display:table-cell}"
    "label.filter{margin-left:1.5em}"
    "details.ref summary h2{display:inline}"
    "table.timeline td.v,table.since td.v{white-space:normal;"
    "overflow-wrap:anywhere;max-width:32em}"
    "td.differs{color:#a3001b;font-weight:bold}"
    "article.timeline{border-left:4px solid #0b4f9c;padding:.2em .8em;"
    "margin:.8em 0}";

static const char script[] =
    "document.querySelectorAll('.matrix').forEach(function(m){"
    "var f=m.querySelector('input.filter');if(!f)return;"
    "f.addEventListener('input',function(){var q=f.value.toLowerCase();"
    "m.querySelectorAll('tbody tr').forEach(function(r){"
    "r.hidden=q!==''&&r.textContent.toLowerCase().indexOf(q)===-1;});});});"
    "document.querySelectorAll('button.copy').forEach(function(b){"
    "b.addEventListener('click',function(){var p=b.previousElementSibling;"
    "function sel(){var r=document.createRange();r.selectNodeContents(p);"
    "var s=window.getSelection();s.removeAllRanges();s.addRange(r);"
    "b.textContent='Selected: press Ctrl+C';}"
    "if(navigator.clipboard&&navigator.clipboard.writeText){"
    "navigator.clipboard.writeText(p.textContent).then(function(){"
    "b.textContent='Copied';},sel);}else{sel();}});});";

/* The servers (and cohorts) that need action, worst first: the first
 * group of each, which is its worst (groups are in report order). */
static size_t
action_item(hctx *h, xmlNodePtr ol, size_t i)
{
	const irmf_fgroup *g = &h->gs->g[i];
	char id[32], text[1200], problem[1024];
	size_t n = 0;
	xmlNodePtr li, a;

	for (size_t j = 0; j < h->gs->n; j++)
		if (irmf_fgroup_same_server(&h->gs->g[j], g))
			n += h->gs->g[j].n;
	li = h_elc(h, ol, "li", NULL, "action");
	h_attr(h, li, "data-server", g->server ? g->server : "");
	h_finding_id(h, g->items[0], id, sizeof(id));
	snprintf(text, sizeof(text), "#%s", id);
	a = h_el(h, li, "a", g->server ? g->server : g->cohort);
	h_attr(h, a, "href", text);
	h_text(h, li, " ");
	h_elc(h, li, "span", irmf_severity_name(g->worst),
	    irmf_severity_name(g->worst));
	irmf_finding_problem(g->items[0], problem, sizeof(problem));
	snprintf(text, sizeof(text), " %s (%zu %s)", problem, n,
	    n == 1 ? "finding" : "findings");
	h_text(h, li, text);
	return 1;
}

static size_t
needs_action(hctx *h, xmlNodePtr parent)
{
	xmlNodePtr sec = h_el(h, parent, "section", NULL), ol;
	size_t n = 0;

	h_attr(h, sec, "id", "action");
	h_el(h, sec, "h2", "Needs action");
	ol = h_el(h, sec, "ol", NULL);
	for (size_t i = 0; i < h->gs->n && !h->err; i++) {
		bool seen = h->gs->g[i].worst == IRMF_SEV_INFO;
		for (size_t j = 0; j < i && !seen; j++)
			seen = irmf_fgroup_same_server(&h->gs->g[j], &h->gs->g[i]);
		if (!seen)
			n += action_item(h, ol, i);
	}
	if (n == 0)
		h_elc(h, sec, "p", "Nothing needs action: every server "
		    "agrees with its peers and the connector's rules.", "ok");
	return n;
}

static void
meta_row(hctx *h, xmlNodePtr dl, const char *k, const char *v)
{
	h_el(h, dl, "dt", k);
	h_el(h, dl, "dd", v);
}

static void
about(hctx *h, xmlNodePtr parent)
{
	irmf_compare_counts c;
	xmlNodePtr dl = h_elc(h, parent, "dl", NULL, "meta");
	char buf[512];

	irmf_result_counts(h->r, &c);
	meta_row(h, dl, "fleet", h->meta.fleet);
	snprintf(buf, sizeof(buf), "%zu %s in %zu %s", c.servers,
	    c.servers == 1 ? "server" : "servers", c.cohorts,
	    c.cohorts == 1 ? "cohort" : "cohorts");
	meta_row(h, dl, "compared", buf);
	snprintf(buf, sizeof(buf), "%s to %s", h->meta.oldest[0] ?
	    h->meta.oldest : "unknown", h->meta.newest[0] ? h->meta.newest :
	    "unknown");
	meta_row(h, dl, "data collected", buf);
	snprintf(buf, sizeof(buf), "%zu %s%s", c.not_checked_servers,
	    c.not_checked_servers == 1 ? "server" : "servers",
	    c.not_checked_servers ? " not fully checked (see Not checked)" :
	    "");
	meta_row(h, dl, "collection failures", buf);
	snprintf(buf, sizeof(buf), "%zu %s, %zu %s, %zu info; %zu suppressed",
	    c.errors, c.errors == 1 ? "error" : "errors", c.warnings,
	    c.warnings == 1 ? "warning" : "warnings", c.infos, c.suppressed);
	meta_row(h, dl, "findings", buf);
	if (irmf_result_auth_source(h->r) != NULL)
		meta_row(h, dl, "authorization list", strcmp(
		    irmf_result_auth_source(h->r), "csv") == 0 ? "typed (CSV, "
		    "with roles)" : "derived from the connector nodes' event "
		    "1004: accounts only, roles unknown (import the CSV to "
		    "check roles)");
	snprintf(buf, sizeof(buf), "irmfleet %s", h->meta.version);
	meta_row(h, dl, "tool", buf);
	meta_row(h, dl, "generated", h->meta.generated);
}

/* The JSON island: tool, generation time, per server its collection
 * time and the ids of its findings. */
static char *
data_json(hctx *h)
{
	json_t *root = json_pack("{s:{s:s,s:s},s:s,s:[]}", "tool", "name",
	    "irmfleet", "version", h->meta.version, "generated_at",
	    h->meta.generated, "servers");
	json_t *servers = root ? json_object_get(root, "servers") : NULL;
	char *out = NULL, *safe = NULL;

	for (size_t i = 0; servers && i < h->r->fleet.n; i++) {
		const irmf_snapshot *s = h->r->fleet.members[i].snap;
		json_t *ids = json_array(), *o;
		for (size_t k = 0; ids && k < h->r->findings.n; k++) {
			const irmf_finding *f = &h->r->findings.items[k];
			char id[32];
			if (f->suppressed || f->server == NULL ||
			    strcasecmp(f->server, s->server) != 0)
				continue;
			h_finding_id(h, f, id, sizeof(id));
			json_array_append_new(ids, json_string(id));
		}
		o = json_pack("{s:s?,s:s?,s:b,s:o*}", "name", s->server,
		    "collected_at", s->collected_at, "reached",
		    irmf_report_server_reached(s), "findings", ids);
		if (o == NULL || json_array_append_new(servers, o) != 0)
			break;
	}
	if (root != NULL)
		out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (out != NULL)
		safe = h_script_json(out);
	free(out);
	if (safe == NULL && h->err == 0)
		h->err = irmf_error_oom();
	return safe;
}

static void
first_screen(hctx *h, xmlNodePtr body)
{
	xmlNodePtr header = h_el(h, body, "header", NULL);
	xmlNodePtr nav;
	size_t n;
	char title[300];

	h_attr(h, header, "id", "top");
	/* the heading's count is filled once needs_action has counted */
	xmlNodePtr h1 = h_el(h, header, "h1", NULL);
	if (h->audit != NULL)
		html_drift_summary(h, header);
	n = needs_action(h, header);
	snprintf(title, sizeof(title), "%sRMS connector configuration of %s: "
	    "%zu %s action", h->audit ? "Audit of the " : "", h->meta.fleet,
	    n, n == 1 ? "server needs" : "servers need");
	h_text(h, h1, title);
	about(h, header);
	nav = h_el(h, header, "p", "Jump to: ");
	if (h->audit != NULL) {
		h_attr(h, h_el(h, nav, "a", "drift timeline"), "href",
		    "#drift");
		h_text(h, nav, " \xc2\xb7 ");
	}
	h_attr(h, h_el(h, nav, "a", "findings"), "href", "#findings");
	h_text(h, nav, " \xc2\xb7 ");
	h_attr(h, h_el(h, nav, "a", "settings matrix"), "href", "#matrix");
	h_text(h, nav, " \xc2\xb7 ");
	h_attr(h, h_el(h, nav, "a", "servers"), "href", "#servers");
}

static void
build(hctx *h, xmlDocPtr doc)
{
	xmlNodePtr html, head, body, n;
	char *data;

	if ((html = xmlNewNode(NULL, (const xmlChar *)"html")) == NULL) {
		h->err = irmf_error_oom();
		return;
	}
	xmlDocSetRootElement(doc, html);
	h_attr(h, html, "lang", "en");
	head = h_el(h, html, "head", NULL);
	h_attr(h, h_el(h, head, "meta", NULL), "charset", "utf-8");
	n = h_el(h, head, "meta", NULL);
	h_attr(h, n, "name", "viewport");
	h_attr(h, n, "content", "width=device-width, initial-scale=1");
	h_el(h, head, "title", "irmfleet: RMS connector configuration drift");
	h_raw(h, h_el(h, head, "style", NULL), css);
	body = h_el(h, html, "body", NULL);
	first_screen(h, body);
	html_findings(h, body);
	if (h->audit != NULL)
		html_drift(h, body);
	html_matrices(h, body);
	html_unchecked(h, body);
	html_servers(h, body);
	data = data_json(h);
	n = h_el(h, body, "script", NULL);
	h_attr(h, n, "type", "application/json");
	h_attr(h, n, "id", "irmf-data");
	if (data != NULL)
		h_raw(h, n, data);
	free(data);
	h_raw(h, h_el(h, body, "script", NULL), script);
}

/* The page of a comparison, or of an audit (audit not NULL). */
static int
render(const irmf_result *r, const irmf_audit_view *audit, FILE *out)
{
	irmf_fgroups gs;
	hctx h = { .r = r, .gs = &gs, .audit = audit };
	xmlDocPtr doc;
	xmlChar *mem = NULL;
	int size = 0;

	irmf_report_meta_get(r, &h.meta);
	if (irmf_fgroups_build(r, &gs) < 0)
		return irmf_error_last()->code;
	if ((doc = htmlNewDocNoDtD(NULL, NULL)) == NULL) {
		irmf_fgroups_clear(&gs);
		return irmf_error_oom();
	}
	build(&h, doc);
	if (h.err == 0) {
		htmlDocDumpMemoryFormat(doc, &mem, &size, 1);
		if (mem == NULL)
			h.err = irmf_error_oom();
	}
	xmlFreeDoc(doc);
	irmf_fgroups_clear(&gs);
	if (h.err)
		return h.err;
	if (fputs("<!DOCTYPE html>\n", out) == EOF ||
	    fwrite(mem, 1, (size_t)size, out) != (size_t)size ||
	    fflush(out) != 0) {
		xmlFree(mem);
		return irmf_error_set(IRMF_EIO, "cannot write the HTML report");
	}
	xmlFree(mem);
	return IRMF_OK;
}

int
irmf_report_html(const irmf_result *r, FILE *out, unsigned flags)
{
	(void)flags;
	return render(r, NULL, out);
}

int
irmf_report_audit_html(const irmf_audit_view *v, FILE *out)
{
	irmf_result empty;

	/* nothing compared (every host failed): an empty fleet's page */
	memset(&empty, 0, sizeof(empty));
	return render(v->comparison ? v->comparison : &empty, v, out);
}
