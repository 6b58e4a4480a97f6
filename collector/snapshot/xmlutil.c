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
 *
 * The streaming validator is xmlstream.c, the writer and the serializer
 * xmlwrite.c; the error sink and the schema cache they share are declared
 * in xmlutil_int.h.
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
#include "xmlutil_int.h"

/* ------------------------------------------------------------ init */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void
init_libxml(void)
{
	xmlInitParser();
}

/* ----------------------------------------------------- error sink */


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

void
xmlu_sink_error(void *ctx, IRMF_XML_CONST xmlError *err)
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

void
xmlu_sink_begin(struct sink *s, const char *name, irmf_report_fn report,
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
	xmlSetStructuredErrorFunc(s, xmlu_sink_error);
	xmlSetGenericErrorFunc(NULL, sink_generic);
}

void
xmlu_sink_end(struct sink *s)
{
	xmlSetStructuredErrorFunc(s->old_ctx, s->old_fn);
	xmlSetGenericErrorFunc(s->old_generic_ctx, s->old_generic);
}

/* Set the last error from the sink (first error), or a fallback. */
int
xmlu_sink_fail(const struct sink *s, int code, const char *fallback)
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
	xmlu_sink_begin(&s, name, report, payload);
	doc = parse_with_lines(buf, len, opts);
	xmlu_sink_end(&s);
	if (doc == NULL || s.nerrors > 0) {
		rc = xmlu_sink_fail(&s, IRMF_EPARSE, "not well-formed XML");
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
	xmlu_sink_begin(&s, path, NULL, NULL);
	pctxt = buf != NULL ? xmlSchemaNewMemParserCtxt(buf, (int)len) :
	    xmlSchemaNewParserCtxt(path);
	if (pctxt != NULL) {
		xmlSchemaSetParserStructuredErrors(pctxt, xmlu_sink_error, &s);
		*out = xmlSchemaParse(pctxt);
		xmlSchemaFreeParserCtxt(pctxt);
	}
	xmlu_sink_end(&s);
	if (*out == NULL)
		return xmlu_sink_fail(&s, IRMF_ESCHEMA, "cannot compile the schema");
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
int
xmlu_get_schema(const char *xsd_name, xmlSchemaPtr *out)
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
int
xmlu_push_locator(void *ctx, const char **file, unsigned long *line)
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

	if ((rc = xmlu_get_schema(xsd_name, &schema)) < 0)
		return rc;
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	xmlu_sink_begin(&s, name, NULL, NULL);
	s.strip_ns = ns;
	s.what = what;
	if ((vctxt = xmlSchemaNewValidCtxt(schema)) == NULL ||
	    (ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, name)) ==
	    NULL)
		goto cleanup;
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	xmlSchemaSetValidStructuredErrors(vctxt, xmlu_sink_error, &s);
	xmlSchemaValidateSetLocator(vctxt, xmlu_push_locator, ctxt);
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
	xmlu_sink_end(&s);
	if (plug == NULL)
		return irmf_error_oom();
	if (!ok || s.nerrors > 0)
		return xmlu_sink_fail(&s, IRMF_ESCHEMA,
		    "does not validate against the schema");
	return IRMF_OK;
}
