/*
 * report_html.c - the comparison as one self-contained HTML page: a
 * summary, then per cohort a setting x server matrix with the outliers
 * highlighted, then the findings with their explanation and remediation,
 * and what could not be checked.
 *
 * Every server is listed with its identity (collector/snapshot/identity.h): a
 * servers table (cohort, generation, build and where it came from, the
 * evidence), and the generation under each server's name in its cohort's
 * matrix.
 *
 * The page is built as a libxml2 HTML tree, so every value taken from a
 * server (registry data an attacker may control) is escaped by the
 * serializer, never by hand.  No scripts, no external resources: the page
 * can be mailed or archived as it is.
 */
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "error.h"
#include "identity.h"

/* Beyond this many servers a cohort's matrix shows only the servers that
 * have a finding or an unchecked item; the rest agree with the majority. */
#define MATRIX_MAX_SERVERS 40
/* Cell text longer than this is cut; the full value is in the title. */
#define CELL_MAX 120

static const char css[] =
    "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
    "h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top;"
    "font-size:.85em}"
    "th{background:#f3f3f3;text-align:left}"
    "td.v{font-family:monospace;max-width:24em;overflow-wrap:anywhere}"
    "td.k{font-family:monospace;min-width:18em;max-width:30em;overflow-wrap:anywhere}"
    "td.outlier{background:#ffd6d6;font-weight:bold}"
    "td.rule{background:#ffeccc}"
    "td.nc{background:#e6e6e6;color:#666;font-style:italic}"
    "td.absent{color:#999}"
    ".error{color:#b00020;font-weight:bold}.warning{color:#b36b00;"
    "font-weight:bold}.info{color:#00617a}"
    "pre{white-space:pre-wrap;margin:0;font-size:.95em}"
    "span.id{font-weight:normal;font-size:.85em;color:#555}"
    "ul{margin:0;padding-left:1.2em}"
    ".summary td{font-size:.95em}.legend span{padding:2px 6px;margin-right:"
    "6px;border:1px solid #ccc}";

typedef struct hctx {
	const irmf_result *r;
	int err;
} hctx;

static xmlNodePtr
el(hctx *h, xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr n;

	if (h->err)
		return NULL;
	n = xmlNewTextChild(parent, NULL, (const xmlChar *)name,
	    (const xmlChar *)text);
	if (n == NULL)
		h->err = irmf_error_oom();
	return n;
}

static void
attr(hctx *h, xmlNodePtr n, const char *name, const char *value)
{
	if (h->err || n == NULL)
		return;
	if (xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)value) ==
	    NULL)
		h->err = irmf_error_oom();
}

static xmlNodePtr
el_class(hctx *h, xmlNodePtr parent, const char *name, const char *text,
    const char *cls)
{
	xmlNodePtr n = el(h, parent, name, text);

	if (cls != NULL)
		attr(h, n, "class", cls);
	return n;
}

static void
row2(hctx *h, xmlNodePtr table, const char *k, const char *v)
{
	xmlNodePtr tr = el(h, table, "tr", NULL);

	el(h, tr, "th", k);
	el(h, tr, "td", v);
}

static void
summary(hctx *h, xmlNodePtr body)
{
	irmf_compare_counts c;
	char buf[64];
	xmlNodePtr t;

	irmf_result_counts(h->r, &c);
	t = el_class(h, body, "table", NULL, "summary");
#define ROWN(label, n) \
	do { snprintf(buf, sizeof(buf), "%zu", (size_t)(n)); \
	    row2(h, t, label, buf); } while (0)
	ROWN("servers", c.servers);
	ROWN("cohorts", c.cohorts);
	ROWN("findings", c.findings);
	ROWN("errors", c.errors);
	ROWN("warnings", c.warnings);
	ROWN("info", c.infos);
	ROWN("servers not fully checked", c.not_checked_servers);
	ROWN("suppressed findings", c.suppressed);
#undef ROWN
}

/* One line of what the server runs ("Exchange 2010 from ExSetup.exe
 * 14.3.389.1"), or "" for servers without a generation. */
static void
identity_line(const irmf_snapshot *s, char *buf, size_t len)
{
	irmf_identity id;

	irmf_identity_of(s, &id);
	if (id.generation == IRMF_GEN_NONE)
		buf[0] = '\0';
	else
		irmf_identity_describe(&id, buf, len);
}

/* The servers table: every server by cohort and name, what it runs, the
 * build and its source, and each piece of evidence with what it says. */
static void
servers(hctx *h, xmlNodePtr body)
{
	static const char *const heads[] = { "server", "cohort", "generation",
	    "build", "evidence (strongest first)" };
	xmlNodePtr table, tr, td, ul;

	el(h, body, "h2", "Servers");
	table = el(h, body, "table", NULL);
	tr = el(h, table, "tr", NULL);
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		el(h, tr, "th", heads[i]);
	for (size_t c = 0; c < h->r->ncohorts && !h->err; c++) {
		const irmf_cohort *co = &h->r->cohorts[c];
		for (size_t i = 0; i < co->n && !h->err; i++) {
			const irmf_snapshot *s =
			    h->r->fleet.members[co->members[i]].snap;
			irmf_identity id;
			char line[1024], build[320];

			irmf_identity_of(s, &id);
			identity_line(s, line, sizeof(line));
			tr = el(h, table, "tr", NULL);
			el(h, tr, "td", s->server);
			el(h, tr, "td", co->name);
			el(h, tr, "td", line[0] ? line :
			    irmf_generation_label(id.generation));
			snprintf(build, sizeof(build), "%s%s%s%s", id.build,
			    id.build[0] ? " (" : "", id.build_source,
			    !id.build[0] ? "" : id.build_exact ? ")" :
			    ", service pack level)");
			el_class(h, tr, "td", build, "v");
			td = el(h, tr, "td", NULL);
			if (id.nevidence == 0)
				continue;
			ul = el(h, td, "ul", NULL);
			for (size_t k = 0; k < id.nevidence; k++) {
				const irmf_evidence *e = &id.evidence[k];
				char ev[512];
				snprintf(ev, sizeof(ev), "%s %s says %s [%s]",
				    e->source, e->value,
				    irmf_generation_label(e->says),
				    irmf_evidence_rank_name(e->rank));
				el(h, ul, "li", ev);
			}
		}
	}
}

/* The worst unsuppressed finding about (server, setting), or NULL. */
static const irmf_finding *
finding_for(const irmf_result *r, const char *server, const char *key)
{
	const irmf_finding *best = NULL;

	for (size_t i = 0; i < r->findings.n; i++) {
		const irmf_finding *f = &r->findings.items[i];
		if (f->suppressed || f->server == NULL || f->setting == NULL)
			continue;
		if (strcasecmp(f->server, server) != 0 ||
		    strcasecmp(f->setting, key) != 0)
			continue;
		if (best == NULL || f->severity > best->severity)
			best = f;
	}
	return best;
}

static bool
server_flagged(const irmf_result *r, const irmf_snapshot *s)
{
	for (size_t i = 0; i < r->findings.n; i++) {
		const irmf_finding *f = &r->findings.items[i];
		if (!f->suppressed && f->server != NULL &&
		    strcasecmp(f->server, s->server) == 0)
			return true;
	}
	return s->nerrors > 0;
}

static int
cmp_ci(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* Union of the setting keys of a cohort's members (borrowed strings). */
static int
cohort_keys(const irmf_result *r, const irmf_cohort *c, const char ***out,
    size_t *nout)
{
	size_t total = 0, n = 0;
	const char **keys;

	for (size_t i = 0; i < c->n; i++)
		total += r->fleet.members[c->members[i]].settings.n;
	if ((keys = calloc(total + 1, sizeof(*keys))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < c->n; i++) {
		const irmf_settings *s = &r->fleet.members[c->members[i]].settings;
		for (size_t j = 0; j < s->n; j++)
			keys[n++] = s->items[j].key;
	}
	qsort(keys, n, sizeof(*keys), cmp_ci);
	total = 0;
	for (size_t i = 0; i < n; i++)
		if (total == 0 || strcasecmp(keys[i], keys[total - 1]) != 0)
			keys[total++] = keys[i];
	*out = keys;
	*nout = total;
	return IRMF_OK;
}

static void
cell(hctx *h, xmlNodePtr tr, const irmf_member *m, const char *key)
{
	const irmf_setting *s = irmf_settings_find(&m->settings, key);
	const irmf_collect_error *e = irmf_setting_collect_error(m->snap, key);
	const irmf_finding *f = finding_for(h->r, m->snap->server, key);
	char shown[CELL_MAX + 4];
	xmlNodePtr td;

	if (e != NULL) {
		td = el_class(h, tr, "td", "not checked", "v nc");
		attr(h, td, "title", e->message ? e->message :
		    irmf_collect_reason_name(e->reason));
		return;
	}
	if (s == NULL) {
		td = el_class(h, tr, "td", "(absent)", f ? "v outlier" :
		    "v absent");
		return;
	}
	snprintf(shown, sizeof(shown), "%.*s%s", CELL_MAX, s->value,
	    strlen(s->value) > CELL_MAX ? "..." : "");
	td = el_class(h, tr, "td", shown, f == NULL ? "v" :
	    f->kind == IRMF_FIND_RULE ? "v rule" : "v outlier");
	attr(h, td, "title", s->value);
}

static void
matrix(hctx *h, xmlNodePtr body, const irmf_cohort *c)
{
	const char **keys = NULL;
	size_t nkeys = 0, shown = 0;
	xmlNodePtr table, tr;
	char buf[160];

	snprintf(buf, sizeof(buf), "Cohort %s (%zu server%s)", c->name, c->n,
	    c->n == 1 ? "" : "s");
	el(h, body, "h2", buf);
	if (h->err || cohort_keys(h->r, c, &keys, &nkeys) < 0) {
		h->err = h->err ? h->err : IRMF_ENOMEM;
		return;
	}
	table = el(h, body, "table", NULL);
	tr = el(h, table, "tr", NULL);
	el(h, tr, "th", "setting");
	for (size_t i = 0; i < c->n; i++) {
		const irmf_member *m = &h->r->fleet.members[c->members[i]];
		char line[1024];
		xmlNodePtr th;
		if (c->n > MATRIX_MAX_SERVERS && !server_flagged(h->r, m->snap))
			continue;
		th = el(h, tr, "th", m->snap->server);
		identity_line(m->snap, line, sizeof(line));
		if (line[0] != '\0') {
			el(h, th, "br", NULL);
			el_class(h, th, "span", line, "id");
		}
		shown++;
	}
	for (size_t k = 0; k < nkeys && !h->err; k++) {
		tr = el(h, table, "tr", NULL);
		el_class(h, tr, "td", keys[k], "k");
		for (size_t i = 0; i < c->n; i++) {
			const irmf_member *m = &h->r->fleet.members[c->members[i]];
			if (c->n > MATRIX_MAX_SERVERS &&
			    !server_flagged(h->r, m->snap))
				continue;
			cell(h, tr, m, keys[k]);
		}
	}
	if (shown < c->n) {
		snprintf(buf, sizeof(buf), "%zu servers that agree with the "
		    "majority on every setting are not shown.", c->n - shown);
		el(h, body, "p", buf);
	}
	free(keys);
}

static void
findings(hctx *h, xmlNodePtr body)
{
	const irmf_findings *l = &h->r->findings;
	xmlNodePtr table, tr, td;

	el(h, body, "h2", "Findings");
	if (irmf_findings_active(l) == 0) {
		el(h, body, "p", "No findings.");
		return;
	}
	table = el(h, body, "table", NULL);
	tr = el(h, table, "tr", NULL);
	el(h, tr, "th", "severity");
	el(h, tr, "th", "server");
	el(h, tr, "th", "setting");
	el(h, tr, "th", "what");
	el(h, tr, "th", "why it matters and how to fix it");
	for (size_t i = 0; i < l->n && !h->err; i++) {
		const irmf_finding *f = &l->items[i];
		char what[64];

		if (f->suppressed)
			continue;
		tr = el(h, table, "tr", NULL);
		el_class(h, tr, "td", irmf_severity_name(f->severity),
		    irmf_severity_name(f->severity));
		el(h, tr, "td", f->server ? f->server : f->cohort);
		el_class(h, tr, "td", f->setting, "v");
		td = el(h, tr, "td", NULL);
		snprintf(what, sizeof(what), "%s%s%s",
		    irmf_finding_kind_name(f->kind), f->rule_id ? ": " : "",
		    f->rule_id ? f->rule_id : "");
		el(h, td, "div", what);
		if (f->value) {
			el(h, td, "div", "value:");
			el(h, td, "pre", f->value);
		}
		if (f->expected) {
			el(h, td, "div", "expected:");
			el(h, td, "pre", f->expected);
		}
		if (f->distribution)
			el(h, td, "pre", f->distribution);
		td = el(h, tr, "td", NULL);
		if (f->explanation)
			el(h, td, "p", f->explanation);
		if (f->remediation)
			el(h, td, "pre", f->remediation);
	}
}

static void
unchecked(hctx *h, xmlNodePtr body)
{
	const irmf_result *r = h->r;
	xmlNodePtr table, tr;

	if (r->nunchecked == 0)
		return;
	el(h, body, "h2", "Not checked");
	table = el(h, body, "table", NULL);
	tr = el(h, table, "tr", NULL);
	el(h, tr, "th", "server");
	el(h, tr, "th", "item");
	el(h, tr, "th", "reason");
	el(h, tr, "th", "message");
	for (size_t i = 0; i < r->nunchecked && !h->err; i++) {
		const irmf_unchecked *u = &r->unchecked[i];
		tr = el(h, table, "tr", NULL);
		el(h, tr, "td", u->server);
		el_class(h, tr, "td", u->err->item, "v");
		el(h, tr, "td", irmf_collect_reason_name(u->err->reason));
		el(h, tr, "td", u->err->message ? u->err->message : "");
	}
}

static void
legend(hctx *h, xmlNodePtr body)
{
	xmlNodePtr p = el_class(h, body, "p", NULL, "legend");

	el_class(h, p, "span", "differs from its peers", "outlier");
	el_class(h, p, "span", "breaks a connector rule", "rule");
	el_class(h, p, "span", "not checked (collection failed)", "nc");
}

static void
build(hctx *h, xmlDocPtr doc)
{
	xmlNodePtr html, head, body, meta;

	html = xmlNewNode(NULL, (const xmlChar *)"html");
	if (html == NULL) {
		h->err = irmf_error_oom();
		return;
	}
	xmlDocSetRootElement(doc, html);
	attr(h, html, "lang", "en");
	head = el(h, html, "head", NULL);
	meta = el(h, head, "meta", NULL);
	attr(h, meta, "charset", "utf-8");
	el(h, head, "title", "irmfleet: RMS connector configuration drift");
	el(h, head, "style", css);
	body = el(h, html, "body", NULL);
	el(h, body, "h1", "RMS connector configuration across the fleet");
	summary(h, body);
	servers(h, body);
	legend(h, body);
	for (size_t i = 0; i < h->r->ncohorts && !h->err; i++)
		matrix(h, body, &h->r->cohorts[i]);
	findings(h, body);
	unchecked(h, body);
}

int
irmf_report_html(const irmf_result *r, FILE *out, unsigned flags)
{
	hctx h = { r, 0 };
	xmlDocPtr doc;
	xmlChar *mem = NULL;
	int size = 0;

	(void)flags;
	if ((doc = htmlNewDocNoDtD(NULL, NULL)) == NULL)
		return irmf_error_oom();
	build(&h, doc);
	if (h.err == 0) {
		htmlDocDumpMemoryFormat(doc, &mem, &size, 1);
		if (mem == NULL)
			h.err = irmf_error_oom();
	}
	xmlFreeDoc(doc);
	if (h.err)
		return h.err;
	if (fputs("<!DOCTYPE html>\n", out) == EOF ||
	    fwrite(mem, 1, (size_t)size, out) != (size_t)size) {
		xmlFree(mem);
		return irmf_error_set(IRMF_EIO, "cannot write the HTML report");
	}
	xmlFree(mem);
	return IRMF_OK;
}
