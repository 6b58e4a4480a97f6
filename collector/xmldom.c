/*
 * xmldom.c - safe DOM reading of untrusted XML and the translation of
 * libxml2 parser errors (see xmldom.h).
 */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "error.h"
#include "xmldom.h"

/* The one place where a libxml2 parser error becomes an irmfleet error. */
static int
xml_error(const char *name, xmlParserCtxtPtr ctxt)
{
	const xmlError *e = ctxt ? xmlCtxtGetLastError(ctxt) : NULL;
	char msg[512];
	size_t n;

	if (e == NULL || e->message == NULL)
		return irmf_error_set(IRMF_EPARSE, "%s: not well-formed XML",
		    name);
	if (e->code == XML_ERR_NO_MEMORY)
		return irmf_error_oom();
	snprintf(msg, sizeof(msg), "%s", e->message);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	return irmf_error_set(IRMF_EPARSE, "%s:%d: not well-formed XML: %s",
	    name, e->line, msg);
}

/* libxml2's encoding layer reports through the generic error handler
 * even with XML_PARSE_NOERROR; the message reaches us via the context. */
static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Line of "<!DOCTYPE" in (ASCII-compatible) input; libxml2 keeps none
 * for the DTD node.  1 if it cannot be found (UTF-16 input). */
static long
doctype_line(const char *buf, size_t len)
{
	long line = 1;

	for (size_t i = 0; i + 9 <= len; i++) {
		if (buf[i] == '\n')
			line++;
		else if (memcmp(buf + i, "<!DOCTYPE", 9) == 0)
			return line;
	}
	return 1;
}

int
irmf_xmldom_read(xmlDocPtr *out, const char *buf, size_t len,
    const char *name)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	xmlGenericErrorFunc old_fn = xmlGenericError;
	void *old_ctx = xmlGenericErrorContext;
	int rc = IRMF_OK;

	*out = NULL;
	if (len > IRMF_XMLDOM_MAX)
		return irmf_error_set(IRMF_ELIMIT,
		    "%s: %zu bytes is more than the 64 MiB limit", name, len);
	if ((ctxt = xmlNewParserCtxt()) == NULL)
		return irmf_error_oom();
	xmlSetGenericErrorFunc(NULL, quiet);   /* per thread in libxml2 */
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, name, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
	xmlSetGenericErrorFunc(old_ctx, old_fn);
	if (doc == NULL || !ctxt->wellFormed) {
		rc = xml_error(name, ctxt);
		goto cleanup;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		rc = irmf_error_set(IRMF_EPARSE,
		    "%s:%ld: a DOCTYPE is not allowed here", name,
		    doctype_line(buf, len));
		goto cleanup;
	}
	*out = doc;
	doc = NULL;
cleanup:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

long
irmf_xmldom_line(const xmlNode *n)
{
	return n ? xmlGetLineNo(n) : 0L;
}
