/*
 * xmlutil.c - libxml2 set-up, safe parsing, schema validation, and the
 * translation of libxml2 errors into irmfleet errors ("name:line: msg").
 *
 * libxml2 reports errors through callbacks; here one structured-error
 * sink collects them for the duration of one call (the handler is
 * thread-local in libxml2, and we restore the previous one afterwards),
 * keeps the first for irmf_error_set and passes every one to an optional
 * report callback (used by `irmfleet validate` to list all problems).
 *
 * Compiled schemas are cached per process: compiling snapshot.xsd costs
 * more than validating a typical snapshot, and a fleet run validates
 * hundreds.  An xmlSchema is read-only once compiled, so threads share
 * it; only the cache itself is behind a mutex.
 */
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/globals.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>

#include "error.h"
#include "fileio.h"
#include "schemas.h"
#include "xmlutil.h"

#if LIBXML_VERSION >= 21200
#define IRMF_XML_CONST const
#else
#define IRMF_XML_CONST
#endif

/* ------------------------------------------------------------ init */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void
init_libxml(void)
{
	xmlInitParser();
}

/* ----------------------------------------------------- error sink */

struct sink {
	const char *name;
	irmf_report_fn report;
	void *payload;
	unsigned nerrors;
	const char *strip_ns;   /* "{ns}" removed from messages, or NULL */
	const char *what;       /* put after "name:line: ", or NULL */
	bool muted;             /* ignore errors (after a handler stopped) */
	char first[IRMF_ERROR_MSG_MAX];
	/* the handler that was active before, restored on exit */
	xmlStructuredErrorFunc old_fn;
	void *old_ctx;
	xmlGenericErrorFunc old_generic;
	void *old_generic_ctx;
};

/* Copy libxml2's message without its trailing newline and period. */
static void
clean_message(char *dst, size_t cap, const char *msg)
{
	size_t n;

	snprintf(dst, cap, "%s", msg ? msg : "unknown XML error");
	n = strlen(dst);
	while (n > 0 && (isspace((unsigned char)dst[n - 1]) ||
	    dst[n - 1] == '.'))
		dst[--n] = '\0';
	/* libxml2 puts newlines inside some messages; keep one line */
	for (char *p = dst; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

/* Drop every "{ns}" from msg: libxml2 qualifies each element name with
 * its namespace, which makes schema messages hard to read. */
static void
strip_ns(char *msg, const char *ns)
{
	char pat[512];
	size_t plen;
	char *p;

	if ((size_t)snprintf(pat, sizeof(pat), "{%s}", ns) >= sizeof(pat))
		return;
	plen = strlen(pat);
	while ((p = strstr(msg, pat)) != NULL)
		memmove(p, p + plen, strlen(p + plen) + 1);
}

static void
sink_error(void *ctx, IRMF_XML_CONST xmlError *err)
{
	struct sink *s = ctx;
	char msg[IRMF_ERROR_MSG_MAX - 64];
	char line[IRMF_ERROR_MSG_MAX];
	long lineno;

	if (err == NULL || err->level < XML_ERR_ERROR || s->muted)
		return;   /* warnings do not make a document invalid */
	clean_message(msg, sizeof(msg), err->message);
	if (s->strip_ns != NULL)
		strip_ns(msg, s->strip_ns);
	/* prefer the line we recorded on the node: libxml2 keeps only 16
	 * bits of it there, so big snapshots would all say 65535 */
	lineno = err->node ? irmf_xml_line((const xmlNode *)err->node) : 0;
	if (lineno <= 0)
		lineno = err->line;
	if (lineno > 0)
		snprintf(line, sizeof(line), "%s:%ld: %s%s%s", s->name, lineno,
		    s->what ? s->what : "", s->what ? ": " : "", msg);
	else
		snprintf(line, sizeof(line), "%s: %s%s%s", s->name,
		    s->what ? s->what : "", s->what ? ": " : "", msg);
	if (s->nerrors++ == 0)
		snprintf(s->first, sizeof(s->first), "%s", line);
	if (s->report != NULL)
		s->report(line, s->payload);
}

/* libxml2's generic (unstructured) channel: silence it; everything that
 * matters arrives through the structured handler. */
static void
sink_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void
sink_begin(struct sink *s, const char *name, irmf_report_fn report,
    void *payload)
{
	pthread_once(&init_once, init_libxml);
	memset(s, 0, sizeof(*s));
	s->name = name ? name : "(xml)";
	s->report = report;
	s->payload = payload;
	s->old_fn = xmlStructuredError;
	s->old_ctx = xmlStructuredErrorContext;
	s->old_generic = xmlGenericError;
	s->old_generic_ctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(s, sink_error);
	xmlSetGenericErrorFunc(NULL, sink_generic);
}

static void
sink_end(struct sink *s)
{
	xmlSetStructuredErrorFunc(s->old_ctx, s->old_fn);
	xmlSetGenericErrorFunc(s->old_generic_ctx, s->old_generic);
}

/* Set the last error from the sink (first error), or a fallback. */
static int
sink_fail(const struct sink *s, int code, const char *fallback)
{
	if (s->nerrors > 0)
		return irmf_error_set(code, "%s", s->first);
	return irmf_error_set(code, "%s: %s", s->name, fallback);
}

/* ------------------------------------------------------------ parse */

/* doc->_private of documents whose elements carry their line number in
 * _private (only those parsed here). */
static char line_marker;

/* xmlSAX2StartElementNs plus: remember the element's full line number in
 * its _private field (libxml2 stores at most 65535 in node->line; the
 * _private field belongs to the application). */
static void
start_element_ns(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;

	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces,
	    namespaces, nb_attributes, nb_defaulted, attributes);
	if (ctxt->node != NULL && ctxt->input != NULL && ctxt->input->line > 0)
		ctxt->node->_private = (void *)(intptr_t)ctxt->input->line;
}

/* Parse into a tree with line numbers recorded; NULL on any failure. */
static xmlDocPtr
parse_with_lines(const char *buf, size_t len, int opts)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;

	if ((ctxt = xmlCreateMemoryParserCtxt(buf, (int)len)) == NULL)
		return NULL;
	xmlCtxtUseOptions(ctxt, opts);
	ctxt->sax->startElementNs = start_element_ns;
	xmlParseDocument(ctxt);
	if (ctxt->wellFormed && ctxt->nsWellFormed) {
		doc = ctxt->myDoc;
		if (doc != NULL)
			doc->_private = &line_marker;
	} else
		xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* libxml2 keeps no line for the DTD node; find "<!DOCTYPE" ourselves. */
static long
doctype_line(const char *buf, size_t len)
{
	static const char tag[] = "<!DOCTYPE";
	long line = 1;

	for (size_t i = 0; i + sizeof(tag) - 1 <= len; i++) {
		if (memcmp(buf + i, tag, sizeof(tag) - 1) == 0)
			return line;
		if (buf[i] == '\n')
			line++;
	}
	return 0;
}

int
irmf_xml_read_memory(xmlDocPtr *out, const char *buf, size_t len,
    const char *name, irmf_report_fn report, void *payload)
{
	/* no network, no DTD loading, no entity substitution: a snapshot or
	 * list never needs them and they are the classic XXE vectors */
	const int opts = XML_PARSE_NONET | XML_PARSE_NOCDATA |
	    XML_PARSE_BIG_LINES;   /* line numbers past 65535 stay right */
	struct sink s;
	xmlDocPtr doc = NULL;
	int rc = IRMF_OK;

	*out = NULL;
	if (len > IRMF_XML_MAX_INPUT)
		return irmf_error_set(IRMF_ELIMIT, "%s: larger than the limit "
		    "of %zu bytes", name ? name : "(xml)", IRMF_XML_MAX_INPUT);
	sink_begin(&s, name, report, payload);
	doc = parse_with_lines(buf, len, opts);
	sink_end(&s);
	if (doc == NULL || s.nerrors > 0) {
		rc = sink_fail(&s, IRMF_EPARSE, "not well-formed XML");
		goto cleanup;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		rc = irmf_error_set(IRMF_EPARSE, "%s:%ld: document type "
		    "declarations are not allowed", s.name,
		    doctype_line(buf, len));
		if (report != NULL)
			report(irmf_error_last()->message, payload);
		goto cleanup;
	}
	if (xmlDocGetRootElement(doc) == NULL) {
		rc = irmf_error_set(IRMF_EPARSE, "%s: no root element", s.name);
		goto cleanup;
	}
	*out = doc;
	doc = NULL;
cleanup:
	xmlFreeDoc(doc);
	return rc;
}

long
irmf_xml_line(const xmlNode *node)
{
	long l;

	if (node == NULL)
		return 0;
	/* attributes and text: the line of their element */
	if (node->type != XML_ELEMENT_NODE && node->parent != NULL &&
	    node->parent->type == XML_ELEMENT_NODE)
		node = node->parent;
	if (node->type == XML_ELEMENT_NODE && node->_private != NULL &&
	    node->doc != NULL && node->doc->_private == &line_marker)
		return (long)(intptr_t)node->_private;
	l = xmlGetLineNo(node);
	return l > 0 ? l : 0;
}

/* ------------------------------------------------------------ schemas */

struct cached_schema {
	char *path;
	xmlSchemaPtr schema;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cached_schema *cache;
static size_t ncache;

const char *
irmf_xml_schema_dir(void)
{
	const char *d = getenv("IRMFLEET_SCHEMA_DIR");

	return (d != NULL && *d != '\0') ? d : NULL;
}

/* Compile a schema from a file (path) or from the built-in bytes (buf):
 * xmlSchemaNewMemParserCtxt parses the built-in copy with no file at all,
 * which is what lets an installed binary run from anywhere. */
static int
compile_schema(const char *path, const char *buf, size_t len,
    xmlSchemaPtr *out)
{
	xmlSchemaParserCtxtPtr pctxt;
	struct stat st;
	struct sink s;

	*out = NULL;
	if (buf == NULL && stat(path, &st) < 0)
		return irmf_error_set(IRMF_ENOTFOUND, "schema '%s' not found "
		    "(IRMFLEET_SCHEMA_DIR names the directory holding it; "
		    "unset, the built-in schema is used)", path);
	if (len > INT_MAX)
		return irmf_error_set(IRMF_ELIMIT, "%s: schema too large", path);
	sink_begin(&s, path, NULL, NULL);
	pctxt = buf != NULL ? xmlSchemaNewMemParserCtxt(buf, (int)len) :
	    xmlSchemaNewParserCtxt(path);
	if (pctxt != NULL) {
		xmlSchemaSetParserStructuredErrors(pctxt, sink_error, &s);
		*out = xmlSchemaParse(pctxt);
		xmlSchemaFreeParserCtxt(pctxt);
	}
	sink_end(&s);
	if (*out == NULL)
		return sink_fail(&s, IRMF_ESCHEMA, "cannot compile the schema");
	return IRMF_OK;
}

/* Where xsd_name comes from: dir/xsd_name when IRMFLEET_SCHEMA_DIR is
 * set, else the built-in copy, named "(built-in)/xsd_name" (the cache
 * key and the name in messages). */
static int
schema_source(const char *xsd_name, char *path, size_t cap,
    const char **buf, size_t *len)
{
	const char *dir = irmf_xml_schema_dir();

	*buf = NULL;
	*len = 0;
	if (dir == NULL) {
		if ((*buf = irmf_schema_embedded(xsd_name, len)) == NULL)
			return irmf_error_set(IRMF_ENOTFOUND, "no built-in "
			    "schema '%s' (set IRMFLEET_SCHEMA_DIR to the "
			    "directory holding it)", xsd_name);
		dir = "(built-in)";
	}
	if ((size_t)snprintf(path, cap, "%s/%s", dir, xsd_name) >= cap)
		return irmf_error_set(IRMF_ELIMIT, "schema path too long: "
		    "'%s/%s'", dir, xsd_name);
	return IRMF_OK;
}

/* Find or compile the schema xsd_name (schema_source); the cache owns
 * it. */
static int
get_schema(const char *xsd_name, xmlSchemaPtr *out)
{
	char path[PATH_MAX];
	const char *buf;
	size_t len;
	struct cached_schema *ncache_arr;
	xmlSchemaPtr schema = NULL;
	int rc;

	*out = NULL;
	if ((rc = schema_source(xsd_name, path, sizeof(path), &buf, &len)) < 0)
		return rc;
	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < ncache; i++)
		if (strcmp(cache[i].path, path) == 0) {
			*out = cache[i].schema;
			goto cleanup;
		}
	if ((rc = compile_schema(path, buf, len, &schema)) < 0)
		goto cleanup;
	ncache_arr = realloc(cache, (ncache + 1) * sizeof(*cache));
	if (ncache_arr == NULL) {
		rc = irmf_error_oom();
		goto cleanup;
	}
	cache = ncache_arr;
	if ((cache[ncache].path = strdup(path)) == NULL) {
		rc = irmf_error_oom();
		goto cleanup;
	}
	cache[ncache++].schema = schema;
	*out = schema;
	schema = NULL;
cleanup:
	pthread_mutex_unlock(&cache_lock);
	if (schema != NULL)
		xmlSchemaFree(schema);
	return rc;
}

void
irmf_xml_cleanup(void)
{
	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < ncache; i++) {
		free(cache[i].path);
		xmlSchemaFree(cache[i].schema);
	}
	free(cache);
	cache = NULL;
	ncache = 0;
	pthread_mutex_unlock(&cache_lock);
}

/* Where the push parser is, for the validator's messages. */
static int
push_locator(void *ctx, const char **file, unsigned long *line)
{
	xmlParserCtxtPtr ctxt = ctx;

	*file = NULL;
	*line = ctxt->input != NULL && ctxt->input->line > 0 ?
	    (unsigned long)ctxt->input->line : 0;
	return 0;
}

/* Streaming validation: a push parser with no handlers of its own (so no
 * tree) and the schema validator plugged into its SAX events.  The bytes
 * are fed in chunks: no copy of the whole document (xmlSchemaValidateStream
 * needs one in libxml2 2.9, where a static input buffer hands the
 * validator text that has moved). */
int
irmf_xml_validate_memory(const char *buf, size_t len, const char *xsd_name,
    const char *ns, const char *name, const char *what)
{
	const size_t chunk = 256 * 1024;
	xmlSchemaValidCtxtPtr vctxt = NULL;
	xmlParserCtxtPtr ctxt = NULL;
	xmlSchemaSAXPlugPtr plug = NULL;
	xmlSAXHandler sax;
	xmlSchemaPtr schema;
	struct sink s;
	int rc, ok = 0;

	if ((rc = get_schema(xsd_name, &schema)) < 0)
		return rc;
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sink_begin(&s, name, NULL, NULL);
	s.strip_ns = ns;
	s.what = what;
	if ((vctxt = xmlSchemaNewValidCtxt(schema)) == NULL ||
	    (ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, name)) ==
	    NULL)
		goto cleanup;
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	xmlSchemaSetValidStructuredErrors(vctxt, sink_error, &s);
	xmlSchemaValidateSetLocator(vctxt, push_locator, ctxt);
	if ((plug = xmlSchemaSAXPlug(vctxt, &ctxt->sax, &ctxt->userData)) ==
	    NULL)
		goto cleanup;
	for (size_t off = 0; off < len && s.nerrors == 0; off += chunk)
		xmlParseChunk(ctxt, buf + off, (int)(len - off < chunk ?
		    len - off : chunk), 0);
	if (s.nerrors == 0)
		xmlParseChunk(ctxt, NULL, 0, 1);
	ok = ctxt->wellFormed && xmlSchemaIsValid(vctxt) == 1;
cleanup:
	if (plug != NULL)
		xmlSchemaSAXUnplug(plug);
	xmlFreeParserCtxt(ctxt);
	xmlSchemaFreeValidCtxt(vctxt);
	sink_end(&s);
	if (plug == NULL)
		return irmf_error_oom();
	if (!ok || s.nerrors > 0)
		return sink_fail(&s, IRMF_ESCHEMA,
		    "does not validate against the schema");
	return IRMF_OK;
}

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
	if ((rc = get_schema(xsd_name, &schema)) < 0)
		return rc;
	memset(&st, 0, sizeof(st));
	st.h = h;
	st.ud = ud;
	st.psink = &ps;
	st.ssink = &ss;
	stream_sax(&sax);
	sink_begin(&ps, name, report, payload);
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
	xmlSchemaSetValidStructuredErrors(vctxt, sink_error, &ss);
	xmlSchemaValidateSetLocator(vctxt, push_locator, st.ctxt);
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
	sink_end(&ps);
	free(st.attrs);
	free(st.scratch);
	if (plug == NULL)
		rc = irmf_error_oom();
	else if (st.rc != 0)
		rc = st.rc;   /* the handler's (or the DOCTYPE's) error */
	else if (!wf)
		rc = sink_fail(&ps, IRMF_EPARSE, "not well-formed XML");
	else if (!valid) {
		kept_flush(&kept, name, report, payload);
		rc = sink_fail(&ss, IRMF_ESCHEMA,
		    "does not validate against the schema");
	} else
		rc = IRMF_OK;
	kept_flush(&kept, name, NULL, NULL);
	return rc;
}

/* ------------------------------------------------------------ output */

int
irmf_xml_to_buffer(xmlDocPtr doc, char **out, size_t *out_len)
{
	xmlChar *mem = NULL;
	int size = 0;
	struct sink s;

	*out = NULL;
	*out_len = 0;
	sink_begin(&s, "(output)", NULL, NULL);
	xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
	sink_end(&s);
	if (mem == NULL || size < 0)
		return s.nerrors ? sink_fail(&s, IRMF_ERROR, "") :
		    irmf_error_oom();
	/* hand out memory from our allocator, not libxml2's */
	if ((*out = malloc((size_t)size + 1)) == NULL) {
		xmlFree(mem);
		return irmf_error_oom();
	}
	memcpy(*out, mem, (size_t)size);
	(*out)[size] = '\0';
	*out_len = (size_t)size;
	xmlFree(mem);
	return IRMF_OK;
}

/* ------------------------------------------------------------ writer */

/* xmlTextWriter into a growing buffer.  Its own escaping differs from the
 * tree serializer's (xmlTextWriterWriteString turns '"' in text into
 * &quot;, and with no document it writes non-ASCII attribute characters
 * as &#x..;), and snapshots must keep their exact bytes, so values are
 * escaped with the serializer's own routines - xmlAttrSerializeTxtContent
 * against a document whose encoding is UTF-8, xmlEncodeEntitiesReentrant
 * for text - and handed to the writer raw. */
struct irmf_xml_writer {
	xmlTextWriterPtr tw;
	xmlDocPtr enc_doc;      /* empty; only its encoding is used */
	xmlBufferPtr scratch;   /* one escaped attribute value */
	char *buf;
	size_t len, cap;
	int rc;                 /* first failure; later calls do nothing */
	struct sink s;
	int sink_on;
};

static int
writer_io_write(void *ctx, const char *data, int n)
{
	irmf_xml_writer *w = ctx;
	size_t cap = w->cap ? w->cap : 65536;
	char *nb;

	if (n < 0)
		return -1;
	while (cap - w->len <= (size_t)n)
		cap *= 2;
	if (cap != w->cap) {
		if ((nb = realloc(w->buf, cap)) == NULL)
			return -1;
		w->buf = nb;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, data, (size_t)n);
	w->len += (size_t)n;
	return n;
}

static int
writer_io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* A libxml2 writer call failed: with our own sink and valid call order
 * this only happens when memory runs out. */
static int
writer_check(irmf_xml_writer *w, int lrc)
{
	if (lrc < 0 && w->rc == 0)
		w->rc = irmf_error_oom();
	return w->rc;
}

static void
writer_sink_off(irmf_xml_writer *w)
{
	if (w->sink_on)
		sink_end(&w->s);
	w->sink_on = 0;
}

int
irmf_xml_writer_new(irmf_xml_writer **out)
{
	irmf_xml_writer *w;
	xmlOutputBufferPtr ob;

	if ((*out = w = calloc(1, sizeof(*w))) == NULL)
		return irmf_error_oom();
	sink_begin(&w->s, "(output)", NULL, NULL);
	w->sink_on = 1;
	if ((w->enc_doc = xmlNewDoc((const xmlChar *)"1.0")) == NULL ||
	    (w->enc_doc->encoding = xmlStrdup((const xmlChar *)"UTF-8")) ==
	    NULL || (w->scratch = xmlBufferCreate()) == NULL)
		goto oom;
	if ((ob = xmlOutputBufferCreateIO(writer_io_write, writer_io_close, w,
	    NULL)) == NULL)
		goto oom;
	if ((w->tw = xmlNewTextWriter(ob)) == NULL) {
		xmlOutputBufferClose(ob);
		goto oom;
	}
	/* the tree serializer's format=1 layout: two spaces a level.  The
	 * declaration is written as is rather than with StartDocument, which
	 * would install a UTF-8 to UTF-8 encoder that copies every byte once
	 * more: what is written is UTF-8 already (irmf_xml_text_ok). */
	if (xmlTextWriterSetIndent(w->tw, 1) < 0 ||
	    xmlTextWriterSetIndentString(w->tw, (const xmlChar *)"  ") < 0 ||
	    xmlTextWriterWriteRaw(w->tw, (const xmlChar *)"<?xml version="
	    "\"1.0\" encoding=\"UTF-8\"?>\n") < 0)
		goto oom;
	return IRMF_OK;
oom:
	irmf_xml_writer_free(w);
	*out = NULL;
	return irmf_error_oom();
}

int
irmf_xml_writer_start(irmf_xml_writer *w, const char *name)
{
	if (w->rc < 0)
		return w->rc;
	return writer_check(w, xmlTextWriterStartElement(w->tw,
	    (const xmlChar *)name));
}

int
irmf_xml_writer_attr(irmf_xml_writer *w, const char *name, const char *value)
{
	const xmlChar *raw = (const xmlChar *)value;
	int n;

	if (w->rc < 0)
		return w->rc;
	/* nothing the serializer would escape: write it as it is */
	if (strpbrk(value, "<>&\"\n\r\t") != NULL) {
		xmlBufferEmpty(w->scratch);
		xmlAttrSerializeTxtContent(w->scratch, w->enc_doc, NULL, raw);
		raw = xmlBufferContent(w->scratch);
	}
	n = raw ? (int)strlen((const char *)raw) : -1;
	if (writer_check(w, n) < 0 ||
	    writer_check(w, xmlTextWriterStartAttribute(w->tw,
	    (const xmlChar *)name)) < 0 ||
	    writer_check(w, xmlTextWriterWriteRawLen(w->tw, raw, n)) < 0)
		return w->rc;
	return writer_check(w, xmlTextWriterEndAttribute(w->tw));
}

int
irmf_xml_writer_text(irmf_xml_writer *w, const char *text)
{
	xmlChar *esc = NULL;
	int rc;

	if (w->rc < 0 || *text == '\0')
		return w->rc;
	if (strpbrk(text, "<>&\r") == NULL)
		return writer_check(w, xmlTextWriterWriteRaw(w->tw,
		    (const xmlChar *)text));
	if ((esc = xmlEncodeEntitiesReentrant(w->enc_doc,
	    (const xmlChar *)text)) == NULL)
		return writer_check(w, -1);
	rc = writer_check(w, xmlTextWriterWriteRaw(w->tw, esc));
	xmlFree(esc);
	return rc;
}

int
irmf_xml_writer_end(irmf_xml_writer *w)
{
	if (w->rc < 0)
		return w->rc;
	return writer_check(w, xmlTextWriterEndElement(w->tw));
}

int
irmf_xml_writer_finish(irmf_xml_writer *w, char **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (w->rc < 0)
		return w->rc;
	if (writer_check(w, xmlTextWriterEndDocument(w->tw)) < 0)
		return w->rc;
	/* closing flushes the last bytes into w->buf */
	xmlFreeTextWriter(w->tw);
	w->tw = NULL;
	writer_sink_off(w);
	if (w->len == w->cap && writer_io_write(w, "", 0) < 0)
		return w->rc = irmf_error_oom();
	if (w->buf == NULL && (w->buf = malloc(1)) == NULL)
		return w->rc = irmf_error_oom();
	w->buf[w->len] = '\0';
	*out = w->buf;
	*out_len = w->len;
	w->buf = NULL;
	w->len = w->cap = 0;
	return IRMF_OK;
}

void
irmf_xml_writer_free(irmf_xml_writer *w)
{
	if (w == NULL)
		return;
	xmlFreeTextWriter(w->tw);
	xmlBufferFree(w->scratch);
	xmlFreeDoc(w->enc_doc);
	writer_sink_off(w);
	free(w->buf);
	free(w);
}

/* ------------------------------------------------------------ text */

/* Decode one UTF-8 sequence; returns its length or 0 if invalid. */
static size_t
utf8_next(const unsigned char *p, unsigned long *cp)
{
	size_t n, i;
	unsigned long c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2;
		c = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3;
		c = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4;
		c = p[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	/* reject overlong forms */
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
	    (n == 4 && c < 0x10000))
		return 0;
	*cp = c;
	return n;
}

int
irmf_xml_text_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long c;
	size_t n;

	while (*p) {
		if ((n = utf8_next(p, &c)) == 0)
			return 0;
		/* XML 1.0 Char production */
		if (!(c == 0x9 || c == 0xA || c == 0xD ||
		    (c >= 0x20 && c <= 0xD7FF) ||
		    (c >= 0xE000 && c <= 0xFFFD) ||
		    (c >= 0x10000 && c <= 0x10FFFF)))
			return 0;
		p += n;
	}
	return 1;
}
