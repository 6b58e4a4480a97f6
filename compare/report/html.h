/*
 * html.h - the pieces of the HTML report (html_page.c: the page, its
 * first screen and its script; html_triage.c: the findings grouped by
 * server and root cause; html_matrix.c: the settings matrix per cohort;
 * html_tables.c: the servers and not-checked tables; html_drift.c: the
 * audit's drift and timelines) and the helpers they
 * share (html_escape.c).
 *
 * Escaping, in one place: the page is a libxml2 HTML tree, so markup in
 * a value is escaped by the serializer; on top of that every text and
 * attribute from the fleet goes through h_el()/h_attr(), which show
 * control and bidi characters (U+202E...) as visible \u202e escapes, as
 * the text report does (irmfleet/textesc.h), keeping line breaks.  The
 * only script content made from data is the JSON island, escaped for a
 * script context by h_script_json().  No link is ever made from a value:
 * hrefs are fragment ids the report makes ("#f-12").
 */
#ifndef IRMF_HTML_H
#define IRMF_HTML_H

#include <libxml/tree.h>

#include "report.h"

struct irmf_audit_view;

typedef struct hctx {
	const irmf_result *r;
	const irmf_fgroups *gs;
	irmf_report_meta meta;
	int err;                       /* first error (irmf_error code) */
	const struct irmf_audit_view *audit;   /* the audit's page, or NULL */
} hctx;

/* A new child element with text (NULL: none), escaped as above. */
xmlNodePtr h_el(hctx *h, xmlNodePtr parent, const char *name,
    const char *text);
xmlNodePtr h_elc(hctx *h, xmlNodePtr parent, const char *name,
    const char *text, const char *cls);
void h_attr(hctx *h, xmlNodePtr n, const char *name, const char *value);
/* A text node appended to parent (escaped). */
void h_text(hctx *h, xmlNodePtr parent, const char *text);
/* A <thead> row of n column headers (th scope="col") in table. */
void h_head_row(hctx *h, xmlNodePtr table, const char *const *heads,
    size_t n);
/* Script content from trusted code, written as it is. */
void h_raw(hctx *h, xmlNodePtr parent, const char *text);

/* s with control and bidi characters escaped, line breaks kept (caller
 * frees); NULL when out of memory. */
char *h_visible(const char *s);
/* JSON text made safe inside <script>: '<', '>', '&' and U+2028/U+2029
 * as \u escapes, so no "</script>" or "<!--" can end or bend the script
 * element (caller frees). */
char *h_script_json(const char *json);

/* "f-12": the id of a finding's entry (its index in the findings). */
void h_finding_id(const hctx *h, const irmf_finding *f, char *buf,
    size_t len);

void html_findings(hctx *h, xmlNodePtr body);
void html_matrices(hctx *h, xmlNodePtr body);
void html_servers(hctx *h, xmlNodePtr body);
void html_unchecked(hctx *h, xmlNodePtr body);
/* The audit's parts (html_drift.c): the changed and stale servers on the
 * first screen, the drift timeline per changed server after the
 * findings. */
void html_drift_summary(hctx *h, xmlNodePtr header);
void html_drift(hctx *h, xmlNodePtr body);

#endif
