/*
 * html_escape.c - building the HTML report's tree safely (html.h says
 * what is escaped where, and why): element and attribute helpers whose
 * text is shown, never interpreted, and the escaping of the JSON data
 * island for a script context.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "error.h"
#include "buf.h"
#include "irmfleet/textesc.h"

char *
h_visible(const char *s)
{
	irmf_buf b = IRMF_BUF_INIT;

	while (s != NULL) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char *e = irmf_text_escape_n(s, n);
		if (e == NULL) {
			irmf_buf_free(&b);
			return NULL;
		}
		irmf_buf_add(&b, e);
		free(e);
		if (nl != NULL)
			irmf_buf_add(&b, "\n");
		s = nl ? nl + 1 : NULL;
	}
	return irmf_buf_take(&b);
}

char *
h_script_json(const char *json)
{
	irmf_buf b = IRMF_BUF_INIT;

	for (const char *p = json; *p; p++) {
		if (*p == '<')
			irmf_buf_add(&b, "\\u003c");
		else if (*p == '>')
			irmf_buf_add(&b, "\\u003e");
		else if (*p == '&')
			irmf_buf_add(&b, "\\u0026");
		else if (strncmp(p, "\xe2\x80\xa8", 3) == 0 ||
		    strncmp(p, "\xe2\x80\xa9", 3) == 0) {
			irmf_buf_add(&b, p[2] == '\xa8' ? "\\u2028" : "\\u2029");
			p += 2;
		} else
			irmf_buf_addn(&b, p, 1);
	}
	return irmf_buf_take(&b);
}

static void
fail(hctx *h)
{
	if (h->err == 0)
		h->err = irmf_error_oom();
}

xmlNodePtr
h_el(hctx *h, xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr n;

	if (h->err)
		return NULL;
	if ((n = xmlNewChild(parent, NULL, (const xmlChar *)name, NULL)) ==
	    NULL) {
		fail(h);
		return NULL;
	}
	if (text != NULL)
		h_text(h, n, text);
	return n;
}

xmlNodePtr
h_elc(hctx *h, xmlNodePtr parent, const char *name, const char *text,
    const char *cls)
{
	xmlNodePtr n = h_el(h, parent, name, text);

	if (cls != NULL)
		h_attr(h, n, "class", cls);
	return n;
}

void
h_attr(hctx *h, xmlNodePtr n, const char *name, const char *value)
{
	char *v;

	if (h->err || n == NULL)
		return;
	if ((v = h_visible(value ? value : "")) == NULL ||
	    xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)v) == NULL)
		fail(h);
	free(v);
}

void
h_text(hctx *h, xmlNodePtr parent, const char *text)
{
	char *v;
	xmlNodePtr t;

	if (h->err || parent == NULL)
		return;
	if ((v = h_visible(text)) == NULL ||
	    (t = xmlNewText((const xmlChar *)v)) == NULL) {
		free(v);
		fail(h);
		return;
	}
	free(v);
	xmlAddChild(parent, t);
}

void
h_raw(hctx *h, xmlNodePtr parent, const char *text)
{
	xmlNodePtr t;

	if (h->err || parent == NULL)
		return;
	if ((t = xmlNewText((const xmlChar *)text)) == NULL) {
		fail(h);
		return;
	}
	xmlAddChild(parent, t);
}

void
h_finding_id(const hctx *h, const irmf_finding *f, char *buf, size_t len)
{
	snprintf(buf, len, "f-%zu", (size_t)(f - h->r->findings.items));
}

void
h_head_row(hctx *h, xmlNodePtr table, const char *const *heads, size_t n)
{
	xmlNodePtr tr = h_el(h, h_el(h, table, "thead", NULL), "tr", NULL);

	/* column headers with their scope, for screen readers */
	for (size_t i = 0; i < n; i++)
		h_attr(h, h_el(h, tr, "th", heads[i]), "scope", "col");
}
