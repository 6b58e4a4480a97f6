/*
 * xmlstream.c - parse and validate a document in one streaming pass
 * (irmf_xml_stream_validate): a SAX parser whose events go both to the
 * schema validator and to the caller's handlers, so that reading
 * thousands of snapshots builds no tree.
 *
 * Schema errors are held back until the parse has ended, so a document
 * that is not well-formed gets only the parser's errors, as a tree would.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>

#include "error.h"
#include "xmlutil.h"
#include "xmlutil_int.h"

/* ------------------------------------------------------------ stream */

/* Schema errors of a streamed document are held back until the parse has
 * ended: when the document turns out not to be well-formed, only the
 * parser's errors are reported, as for a tree. */
#define KEPT_MAX 10000

struct kept_lines {
	char **v;
	size_t n, cap, dropped;
};

static void
keep_line(const char *line, void *payload)
{
	struct kept_lines *k = payload;
	char **nv;

	if (k->n == KEPT_MAX) {
		k->dropped++;
		return;
	}
	if (k->n == k->cap) {
		size_t ncap = k->cap ? k->cap * 2 : 8;
		if ((nv = realloc(k->v, ncap * sizeof(*nv))) == NULL) {
			k->dropped++;
			return;
		}
		k->v = nv;
		k->cap = ncap;
	}
	if ((k->v[k->n] = strdup(line)) == NULL)
		k->dropped++;
	else
		k->n++;
}

static void
kept_flush(struct kept_lines *k, const char *name, irmf_report_fn report,
    void *payload)
{
	char more[256];

	for (size_t i = 0; i < k->n; i++) {
		if (report != NULL)
			report(k->v[i], payload);
		free(k->v[i]);
	}
	if (k->dropped > 0 && report != NULL) {
		snprintf(more, sizeof(more), "%s: %zu more schema errors not "
		    "shown", name, k->dropped);
		report(more, payload);
	}
	free(k->v);
	memset(k, 0, sizeof(*k));
}

struct stream {
	xmlParserCtxtPtr ctxt;
	const irmf_xml_handler *h;
	void *ud;
	int rc;                  /* why parsing stopped; 0: it did not */
	struct sink *psink;      /* the parser's; its name and report */
	struct sink *ssink;
	irmf_xml_attr *attrs;
	size_t capattrs;
	char *scratch;           /* attribute values that needed decoding */
	size_t capscratch;
};

static long
stream_line(const struct stream *st)
{
	return st->ctxt != NULL && st->ctxt->input != NULL &&
	    st->ctxt->input->line > 0 ? (long)st->ctxt->input->line : 0;
}

/* Stop the events; whatever libxml2 says from here on is noise.  Not
 * xmlStopParser: in libxml2 2.9 it frees the input at once, and the
 * validator, called after our handler for the same element, would read
 * the attributes from freed memory.  With SAX disabled the parser only
 * runs to the end of the buffer, calling no one. */
static void
stream_stop(struct stream *st, int rc)
{
	if (st->rc == 0)
		st->rc = rc;
	st->psink->muted = true;
	st->ssink->muted = true;
	st->ctxt->disableSAX = 1;
}

/* Without entity substitution (which we do not turn on: it is what makes
 * entity expansion attacks work) libxml2 hands attribute values over with
 * '&' still written as "&#38;"; every other reference is decoded. */
static size_t
decode_amp(char *dst, const char *v, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		dst[o++] = v[i];
		if (v[i] == '&' && n - i >= 5 && memcmp(v + i, "&#38;", 5) == 0)
			i += 4;
	}
	return o;
}

static int
stream_attrs(struct stream *st, const xmlChar **a, int nattrs)
{
	size_t need = 0, off = 0;

	if ((size_t)nattrs > st->capattrs) {
		irmf_xml_attr *na = realloc(st->attrs, (size_t)nattrs *
		    sizeof(*na));
		if (na == NULL)
			return irmf_error_oom();
		st->attrs = na;
		st->capattrs = (size_t)nattrs;
	}
	for (int i = 0; i < nattrs; i++) {
		size_t n = (size_t)(a[5 * i + 4] - a[5 * i + 3]);
		if (memchr(a[5 * i + 3], '&', n) != NULL)
			need += n;
	}
	if (need > st->capscratch) {
		char *ns = realloc(st->scratch, need);
		if (ns == NULL)
			return irmf_error_oom();
		st->scratch = ns;
		st->capscratch = need;
	}
	for (int i = 0; i < nattrs; i++) {
		const char *v = (const char *)a[5 * i + 3];
		size_t n = (size_t)(a[5 * i + 4] - a[5 * i + 3]);
		irmf_xml_attr *x = &st->attrs[i];

		x->name = (const char *)a[5 * i];
		x->value = v;
		x->len = n;
		if (memchr(v, '&', n) != NULL) {
			x->len = decode_amp(st->scratch + off, v, n);
			x->value = st->scratch + off;
			off += n;
		}
	}
	return IRMF_OK;
}

static void
st_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	struct stream *st = ctx;
	int rc;

	(void)prefix;
	(void)nb_namespaces;
	(void)namespaces;
	(void)nb_defaulted;
	if (st->rc != 0)
		return;
	if ((rc = stream_attrs(st, attributes, nb_attributes)) == 0)
		rc = st->h->start(st->ud, stream_line(st), (const char *)local,
		    (const char *)uri, st->attrs, (size_t)nb_attributes);
	if (rc < 0)
		stream_stop(st, rc);
}

static void
st_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct stream *st = ctx;
	int rc;

	(void)prefix;
	(void)uri;
	if (st->rc == 0 && (rc = st->h->end(st->ud, stream_line(st),
	    (const char *)local)) < 0)
		stream_stop(st, rc);
}

static void
st_text(void *ctx, const xmlChar *s, int len)
{
	struct stream *st = ctx;
	int rc;

	if (st->rc == 0 && len > 0 && (rc = st->h->text(st->ud,
	    (const char *)s, (size_t)len)) < 0)
		stream_stop(st, rc);
}

/* A DTD could declare entities; no irmfleet document has one. */
static void
st_doctype(void *ctx, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	struct stream *st = ctx;

	(void)name;
	(void)eid;
	(void)sid;
	if (st->rc != 0)
		return;
	irmf_error_set(IRMF_EPARSE, "%s:%ld: document type declarations are "
	    "not allowed", st->psink->name, stream_line(st));
	if (st->psink->report != NULL)
		st->psink->report(irmf_error_last()->message,
		    st->psink->payload);
	stream_stop(st, IRMF_EPARSE);
}

/* Run the parser to the end or until it stops; returns whether the
 * document was well-formed.  A pull parser over the buffer: the push
 * parser would call a truncated file's end "extra content". */
static bool
stream_parse(struct stream *st)
{
	xmlParseDocument(st->ctxt);
	/* a DTD's entity declarations make libxml2 build a document even in
	 * SAX mode ("expat compatibility"); it is ours to free */
	xmlFreeDoc(st->ctxt->myDoc);
	st->ctxt->myDoc = NULL;
	return st->ctxt->wellFormed && st->ctxt->nsWellFormed &&
	    st->psink->nerrors == 0;
}

static void
stream_sax(xmlSAXHandler *sax)
{
	memset(sax, 0, sizeof(*sax));
	sax->initialized = XML_SAX2_MAGIC;
	sax->startElementNs = st_start;
	sax->endElementNs = st_end;
	sax->characters = st_text;
	sax->cdataBlock = st_text;
	sax->ignorableWhitespace = st_text;
	sax->internalSubset = st_doctype;
}

int
irmf_xml_stream_validate(const char *buf, size_t len, const char *xsd_name,
    const char *ns, const char *name, const irmf_xml_handler *h, void *ud,
    irmf_report_fn report, void *payload)
{
	xmlSchemaValidCtxtPtr vctxt = NULL;
	xmlSchemaSAXPlugPtr plug = NULL;
	struct kept_lines kept = { 0 };
	xmlSchemaPtr schema;
	xmlSAXHandler sax;
	struct sink ps, ss;
	struct stream st;
	bool wf = false, valid = false;
	int rc;

	name = name != NULL ? name : "(xml)";
	if (len > IRMF_XML_MAX_INPUT)
		return irmf_error_set(IRMF_ELIMIT, "%s: larger than the limit "
		    "of %zu bytes", name, IRMF_XML_MAX_INPUT);
	if (len == 0) {   /* libxml2 makes no parser for an empty buffer */
		rc = irmf_error_set(IRMF_EPARSE, "%s: empty document", name);
		if (report != NULL)
			report(irmf_error_last()->message, payload);
		return rc;
	}
	if ((rc = xmlu_get_schema(xsd_name, &schema)) < 0)
		return rc;
	memset(&st, 0, sizeof(st));
	st.h = h;
	st.ud = ud;
	st.psink = &ps;
	st.ssink = &ss;
	stream_sax(&sax);
	xmlu_sink_begin(&ps, name, report, payload);
	memset(&ss, 0, sizeof(ss));
	ss.name = name;
	ss.report = keep_line;
	ss.payload = &kept;
	ss.strip_ns = ns;
	if ((vctxt = xmlSchemaNewValidCtxt(schema)) == NULL ||
	    (st.ctxt = xmlCreateMemoryParserCtxt(buf, (int)len)) == NULL)
		goto cleanup;
	xmlCtxtUseOptions(st.ctxt, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	*st.ctxt->sax = sax;
	st.ctxt->userData = &st;
	xmlSchemaSetValidStructuredErrors(vctxt, xmlu_sink_error, &ss);
	xmlSchemaValidateSetLocator(vctxt, xmlu_push_locator, st.ctxt);
	if ((plug = xmlSchemaSAXPlug(vctxt, &st.ctxt->sax,
	    &st.ctxt->userData)) == NULL)
		goto cleanup;
	wf = stream_parse(&st);
	valid = xmlSchemaIsValid(vctxt) == 1 && ss.nerrors == 0;
cleanup:
	if (plug != NULL)
		xmlSchemaSAXUnplug(plug);
	xmlFreeParserCtxt(st.ctxt);
	xmlSchemaFreeValidCtxt(vctxt);
	xmlu_sink_end(&ps);
	free(st.attrs);
	free(st.scratch);
	if (plug == NULL)
		rc = irmf_error_oom();
	else if (st.rc != 0)
		rc = st.rc;   /* the handler's (or the DOCTYPE's) error */
	else if (!wf)
		rc = xmlu_sink_fail(&ps, IRMF_EPARSE, "not well-formed XML");
	else if (!valid) {
		kept_flush(&kept, name, report, payload);
		rc = xmlu_sink_fail(&ss, IRMF_ESCHEMA,
		    "does not validate against the schema");
	} else
		rc = IRMF_OK;
	kept_flush(&kept, name, NULL, NULL);
	return rc;
}
