/*
 * xmlutil_int.h - what the libxml2 helpers (xmlutil.c, xmlstream.c,
 * xmlwrite.c) share: the error sink that turns libxml2's callbacks into
 * irmfleet errors for the duration of one call, and the schema cache.
 * Nothing outside those files includes it; xmlu_ marks their own
 * functions.
 */
#ifndef IRMF_XMLUTIL_INT_H
#define IRMF_XMLUTIL_INT_H

#include <stdbool.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "error.h"
#include "xmlutil.h"

/* libxml2 2.12 made the structured error handler's argument const. */
#if LIBXML_VERSION >= 21200
#define IRMF_XML_CONST const
#else
#define IRMF_XML_CONST
#endif

/* Collects libxml2's errors during one call (see xmlutil.c). */
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

/* Install s as libxml2's error handler (initialising libxml2 once); the
 * previous handlers are kept in s. */
void xmlu_sink_begin(struct sink *s, const char *name, irmf_report_fn report,
    void *payload);
/* Restore the handlers xmlu_sink_begin replaced. */
void xmlu_sink_end(struct sink *s);
/* Set the last error from the sink (first error), or a fallback. */
int xmlu_sink_fail(const struct sink *s, int code, const char *fallback);
/* The structured error handler itself (ctx is a struct sink), for the
 * schema parser and validator contexts. */
void xmlu_sink_error(void *ctx, IRMF_XML_CONST xmlError *err);
/* Find or compile the schema xsd_name; the cache owns it. */
int xmlu_get_schema(const char *xsd_name, xmlSchemaPtr *out);
/* Where the push parser ctx is, for the validator's messages. */
int xmlu_push_locator(void *ctx, const char **file, unsigned long *line);

#endif
