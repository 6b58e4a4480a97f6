/*
 * html_matrix.c - per cohort, the settings matrix of the HTML report:
 * servers as rows (so 500 servers scroll down, not sideways), settings as
 * columns, a sticky header with the majority value of every setting under
 * its name, and the server names sticky on the left.  Only the settings
 * on which the cohort's servers differ are shown until "show all
 * settings" is ticked (pure CSS, so it works without script too); a
 * filter box hides the rows that do not match (script).
 *
 * A cell that differs from the majority is marked, and the part of it
 * that differs is highlighted (<mark>): of "http://x" against
 * "https://x" only the place of the missing "s" is marked.  A cell that
 * could not be collected reads "not checked", hatched; a value the server
 * does not have reads "(absent)": the two never look alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "error.h"

/* Beyond this a cell shows its start and the full value in its title. */
#define CELL_MAX 400

typedef struct column {
	const char *key;
	const char *majority;          /* NULL: absent on most servers */
	bool differs;
} column;

static int
cmp_ci(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_str(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;

	if (x == NULL || y == NULL)
		return (x != NULL) - (y != NULL);
	return strcmp(x, y);
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
		const irmf_settings *s =
		    &r->fleet.members[c->members[i]].settings;
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

/* The most common value of key among the cohort's checked servers (NULL
 * for absent), and whether any server is not that. */
static int
majority(const irmf_result *r, const irmf_cohort *c, column *col,
    const char **vals)
{
	size_t n = 0, best = 0, run = 0;
	bool unchecked = false;

	for (size_t i = 0; i < c->n; i++) {
		const irmf_member *m = &r->fleet.members[c->members[i]];
		const irmf_setting *s = irmf_settings_find(&m->settings,
		    col->key);
		if (irmf_setting_collect_error(m->snap, col->key) != NULL) {
			unchecked = true;
			continue;
		}
		vals[n++] = s ? s->value : NULL;
	}
	qsort(vals, n, sizeof(*vals), cmp_str);
	col->majority = n ? vals[0] : NULL;
	for (size_t i = 0; i < n; i++) {
		run = i > 0 && cmp_str(&vals[i], &vals[i - 1]) == 0 ? run + 1 : 1;
		if (run > best) {
			best = run;
			col->majority = vals[i];
		}
	}
	col->differs = unchecked || best < n;
	return IRMF_OK;
}

/* The worst unsuppressed finding about (server, setting), or NULL. */
static const irmf_finding *
finding_for(const irmf_result *r, const char *server, const char *key)
{
	const irmf_finding *best = NULL;

	for (size_t i = 0; i < r->findings.n; i++) {
		const irmf_finding *f = &r->findings.items[i];
		if (f->suppressed || f->server == NULL || f->setting == NULL ||
		    strcasecmp(f->server, server) != 0 ||
		    strcasecmp(f->setting, key) != 0)
			continue;
		if (best == NULL || f->severity > best->severity)
			best = f;
	}
	return best;
}

/* Value text with the part that differs from the majority in <mark>;
 * byte offsets are kept on UTF-8 character boundaries. */
static void
highlighted(hctx *h, xmlNodePtr td, const char *v, const char *maj)
{
	size_t lv = strlen(v), lm = maj ? strlen(maj) : 0, p = 0, s = 0;
	char *part;

	if (maj == NULL || lv > CELL_MAX) {
		h_text(h, td, v);
		return;
	}
	while (p < lv && p < lm && v[p] == maj[p])
		p++;
	while (p > 0 && ((unsigned char)v[p] & 0xc0) == 0x80)
		p--;
	while (s < lv - p && s < lm - p && v[lv - 1 - s] == maj[lm - 1 - s])
		s++;
	while (s > 0 && ((unsigned char)v[lv - s] & 0xc0) == 0x80)
		s--;
	if ((part = strndup(v, p)) != NULL)
		h_text(h, td, part);
	free(part);
	if ((part = strndup(v + p, lv - p - s)) != NULL) {
		xmlNodePtr mk = h_el(h, td, "mark", part[0] ? part : "\xe2\x80\xb8");
		if (part[0] == '\0')
			h_attr(h, mk, "title", "the majority has more here");
	}
	free(part);
	h_text(h, td, v + lv - s);
}

static void
cell(hctx *h, xmlNodePtr tr, const irmf_member *m, const column *col)
{
	const irmf_setting *s = irmf_settings_find(&m->settings, col->key);
	const irmf_collect_error *e = irmf_setting_collect_error(m->snap,
	    col->key);
	const irmf_finding *f;
	const char *same = col->differs ? "" : " same";
	char cls[64];
	xmlNodePtr td;

	if (e != NULL) {
		snprintf(cls, sizeof(cls), "v nc%s", same);
		td = h_elc(h, tr, "td", "not checked", cls);
		h_attr(h, td, "title", e->message ? e->message :
		    irmf_collect_reason_name(e->reason));
		return;
	}
	f = finding_for(h->r, m->snap->server, col->key);
	if (s == NULL) {
		snprintf(cls, sizeof(cls), "v absent%s%s", col->majority ?
		    " outlier" : "", same);
		h_elc(h, tr, "td", "(absent)", cls);
		return;
	}
	if (col->majority && strcmp(s->value, col->majority) == 0 && !f)
		snprintf(cls, sizeof(cls), "v%s", same);
	else
		snprintf(cls, sizeof(cls), "v %s%s", f && f->kind ==
		    IRMF_FIND_RULE ? "rule" : "outlier", same);
	td = h_elc(h, tr, "td", NULL, cls);
	h_attr(h, td, "title", s->value);
	if (strstr(cls, "outlier") || strstr(cls, "rule"))
		highlighted(h, td, s->value, col->majority);
	else
		h_text(h, td, s->value);
}

static void
head(hctx *h, xmlNodePtr table, const column *cols, size_t n)
{
	xmlNodePtr thead = h_el(h, table, "thead", NULL);
	xmlNodePtr tr = h_el(h, thead, "tr", NULL), th;

	h_attr(h, h_el(h, tr, "th", "server"), "scope", "col");
	for (size_t k = 0; k < n; k++) {
		th = h_elc(h, tr, "th", cols[k].key, cols[k].differs ? "k" :
		    "k same");
		h_attr(h, th, "scope", "col");
	}
	tr = h_elc(h, thead, "tr", NULL, "majority");
	h_attr(h, h_el(h, tr, "th", "majority value"), "scope", "row");
	for (size_t k = 0; k < n; k++)
		h_elc(h, tr, "td", cols[k].majority ? cols[k].majority :
		    "(absent)", cols[k].differs ? "v" : "v same");
}

static void
body_rows(hctx *h, xmlNodePtr table, const irmf_cohort *c,
    const column *cols, size_t n)
{
	xmlNodePtr tbody = h_el(h, table, "tbody", NULL);

	for (size_t i = 0; i < c->n && !h->err; i++) {
		const irmf_member *m = &h->r->fleet.members[c->members[i]];
		xmlNodePtr tr = h_el(h, tbody, "tr", NULL);
		h_attr(h, h_el(h, tr, "th", m->snap->server), "scope", "row");
		for (size_t k = 0; k < n; k++)
			cell(h, tr, m, &cols[k]);
	}
}

static void
controls(hctx *h, xmlNodePtr wrap, size_t idx, size_t ndiff, size_t n)
{
	char id[32], text[160];
	xmlNodePtr in, label;

	snprintf(id, sizeof(id), "all-%zu", idx);
	in = h_elc(h, wrap, "input", NULL, "all");
	h_attr(h, in, "type", "checkbox");
	h_attr(h, in, "id", id);
	snprintf(text, sizeof(text), "show all %zu %s (%zu %s)", n,
	    n == 1 ? "setting" : "settings", ndiff, ndiff == 1 ?
	    "differs" : "differ");
	label = h_el(h, wrap, "label", text);
	h_attr(h, label, "for", id);
	label = h_elc(h, wrap, "label", "Filter servers ", "filter");
	in = h_el(h, label, "input", NULL);
	h_attr(h, in, "type", "search");
	h_attr(h, in, "class", "filter");
	h_attr(h, in, "placeholder", "name or value");
}

static void
matrix(hctx *h, xmlNodePtr parent, size_t idx)
{
	const irmf_cohort *c = &h->r->cohorts[idx];
	const char **keys = NULL, **vals = calloc(c->n + 1, sizeof(*vals));
	column *cols = NULL;
	size_t nkeys = 0, ndiff = 0;
	xmlNodePtr wrap, table;
	char buf[160];

	if (vals == NULL || cohort_keys(h->r, c, &keys, &nkeys) < 0 ||
	    (cols = calloc(nkeys + 1, sizeof(*cols))) == NULL) {
		h->err = h->err ? h->err : irmf_error_oom();
		goto out;
	}
	for (size_t k = 0; k < nkeys; k++) {
		cols[k].key = keys[k];
		majority(h->r, c, &cols[k], vals);
		ndiff += cols[k].differs;
	}
	wrap = h_elc(h, parent, "div", NULL, "matrix");
	snprintf(buf, sizeof(buf), "Cohort %s (%zu %s)", c->name, c->n,
	    c->n == 1 ? "server" : "servers");
	h_el(h, wrap, "h3", buf);
	controls(h, wrap, idx, ndiff, nkeys);
	if (ndiff == 0)
		h_elc(h, wrap, "p", "Every server agrees on every setting.",
		    "agree");
	table = h_el(h, h_elc(h, wrap, "div", NULL, "scroll"), "table", NULL);
	head(h, table, cols, nkeys);
	body_rows(h, table, c, cols, nkeys);
out:
	free(cols);
	free(keys);
	free(vals);
}

static void
legend(hctx *h, xmlNodePtr parent)
{
	xmlNodePtr p = h_elc(h, parent, "p", "Legend: ", "legend");

	h_elc(h, p, "span", "differs from its peers", "v outlier");
	h_elc(h, p, "span", "breaks a connector rule", "v rule");
	h_elc(h, p, "span", "not checked (collection failed)", "v nc");
	h_elc(h, p, "span", "(absent) the server has no such value",
	    "v absent");
	h_elc(h, p, "mark", "the part that differs", NULL);
}

void
html_matrices(hctx *h, xmlNodePtr body)
{
	xmlNodePtr sec = h_el(h, body, "section", NULL);

	h_attr(h, sec, "id", "matrix");
	h_el(h, sec, "h2", "Settings by server");
	legend(h, sec);
	for (size_t i = 0; i < h->r->ncohorts && !h->err; i++)
		matrix(h, sec, i);
}
