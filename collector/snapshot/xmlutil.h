/*
 * xmlutil.h - the one place where libxml2 is set up and its errors are
 * translated into the irmfleet error convention.
 *
 * Every XML file irmfleet reads goes through irmf_xml_read_memory (or,
 * for snapshots, the one-pass irmf_xml_stream_validate): safe parser
 * options (no network, no DTD loading, no entity substitution), a size
 * limit, and errors as "name:line: message".  Schemas are looked up by
 * file name: in $IRMFLEET_SCHEMA_DIR when it is set, else among the ones
 * built into the library (schemas.h), so an installed binary needs no
 * schema files; compiled once per process and shared by all threads.
 */
#ifndef IRMF_XMLUTIL_H
#define IRMF_XMLUTIL_H

#include <stddef.h>

#include <libxml/tree.h>

#include "irmfleet/snapshot.h"   /* irmf_report_fn */

/* Largest XML input accepted (IRMF_ELIMIT above). */
#define IRMF_XML_MAX_INPUT ((size_t)64 * 1024 * 1024)

/* Parse a buffer; `name` (a file name) prefixes every message.  Errors:
 * IRMF_EPARSE (not well-formed, "name:line: ..."), IRMF_ELIMIT.  When
 * `report` is not NULL each parser error is also passed to it as a
 * "name:line: message" line.  *out is freed with xmlFreeDoc. */
int irmf_xml_read_memory(xmlDocPtr *out, const char *buf, size_t len,
    const char *name, irmf_report_fn report, void *payload);

/* Validate serialized XML in memory against `xsd_name` without building
 * a tree (streaming).  Errors (IRMF_ESCHEMA, IRMF_ELIMIT) read
 * "name:line: what: message" (what may be NULL); "{ns}" is removed from
 * libxml2's messages when ns is not NULL. */
int irmf_xml_validate_memory(const char *buf, size_t len,
    const char *xsd_name, const char *ns, const char *name,
    const char *what);

/* ---- one-pass streaming read: parse + schema, no tree ----
 *
 * For big inputs read many times (compare loads thousands of snapshots):
 * the parser's SAX events go to the handler and, in the same pass, to the
 * schema validator, so no tree is built or walked.  Attribute values
 * arrive decoded ("&amp;" is "&") but not NUL-terminated; pointers are
 * valid only during the call.  `line` is the parser's line at the event.
 * A handler returns 0 to go on or a negative irmf_error_code (with the
 * error set) to stop the parse; that code is then returned as is and
 * nothing more is reported. */
typedef struct irmf_xml_attr {
	const char *name;    /* local name */
	const char *value;
	size_t len;
} irmf_xml_attr;

typedef struct irmf_xml_handler {
	int (*start)(void *ud, long line, const char *local, const char *uri,
	    const irmf_xml_attr *attrs, size_t nattrs);
	int (*end)(void *ud, long line, const char *local);
	int (*text)(void *ud, const char *s, size_t len);
} irmf_xml_handler;

/* Parse buf, validating against `xsd_name`.  Returns:
 *  - IRMF_EPARSE when not well-formed or when it has a DOCTYPE (each
 *    parser error is passed to `report` as it comes; schema errors of a
 *    document that is not well-formed are dropped);
 *  - a handler's own code when it stopped the parse;
 *  - IRMF_ESCHEMA when it does not validate: every schema error is passed
 *    to `report` at the end, the first one is the last error; "{ns}" is
 *    removed from the messages when ns is not NULL;
 *  - IRMF_ELIMIT for input over IRMF_XML_MAX_INPUT. */
int irmf_xml_stream_validate(const char *buf, size_t len,
    const char *xsd_name, const char *ns, const char *name,
    const irmf_xml_handler *h, void *ud, irmf_report_fn report,
    void *payload);

/* Free the compiled-schema cache (tests and leak checkers; optional). */
void irmf_xml_cleanup(void);

/* The schema directory in use ($IRMFLEET_SCHEMA_DIR), or NULL when the
 * built-in schemas are used. */
const char *irmf_xml_schema_dir(void);

/* Serialize with indentation, UTF-8, deterministic.  Caller frees *out
 * with free(). */
int irmf_xml_to_buffer(xmlDocPtr doc, char **out, size_t *out_len);

/* A streaming writer whose bytes equal irmf_xml_to_buffer's for the same
 * document: XML declaration with encoding UTF-8, two-space indentation,
 * empty elements as <x/>, the tree serializer's escaping.  Calls after a
 * failure do nothing and return the same error (IRMF_ENOMEM); libxml2's
 * own error reporting is captured from _new to _finish/_free, so make no
 * other libxml2 calls on this thread in between.  Text must be written
 * after an element's attributes; empty text writes nothing. */
typedef struct irmf_xml_writer irmf_xml_writer;

int irmf_xml_writer_new(irmf_xml_writer **out);
int irmf_xml_writer_start(irmf_xml_writer *w, const char *name);
int irmf_xml_writer_attr(irmf_xml_writer *w, const char *name,
    const char *value);
int irmf_xml_writer_text(irmf_xml_writer *w, const char *text);
int irmf_xml_writer_end(irmf_xml_writer *w);
/* Close all elements and hand out the bytes (NUL-terminated, free()). */
int irmf_xml_writer_finish(irmf_xml_writer *w, char **out,
    size_t *out_len);
void irmf_xml_writer_free(irmf_xml_writer *w);

/* Line number of a node for messages (0 if unknown). */
long irmf_xml_line(const xmlNode *node);

/* True if `s` can be carried by XML 1.0 as is: valid UTF-8 and only
 * characters XML allows (no C0 controls other than TAB, LF, CR). */
int irmf_xml_text_ok(const char *s);

#endif
