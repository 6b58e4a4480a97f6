/*
 * xmldom.h - read untrusted XML (CLIXML, Windows event XML) into a libxml2
 * DOM with safe options, and translate libxml2's parser errors into the
 * irmfleet convention ("name:line: not well-formed XML: ...").
 *
 * Options: no network, no entity substitution, no DTD loading; a document
 * that carries a DOCTYPE at all is refused (neither format has one), so
 * entity expansion tricks cannot apply.  Inputs over IRMF_XMLDOM_MAX
 * bytes fail with IRMF_ELIMIT.  libxml2 detects UTF-16 by its BOM.
 *
 * This is the only place the importers touch libxml2's error reporting;
 * it is kept apart so it can be folded into collector/xmlutil.c (which
 * owns libxml2 errors for snapshot files) without touching the parsers.
 */
#ifndef IRMF_XMLDOM_H
#define IRMF_XMLDOM_H

#include <stddef.h>

#include <libxml/tree.h>

#define IRMF_XMLDOM_MAX ((size_t)64 * 1024 * 1024)

/* Parse buf[0..len); `name` prefixes messages.  *out is freed with
 * xmlFreeDoc.  Errors: IRMF_EPARSE, IRMF_ELIMIT, IRMF_ENOMEM. */
int irmf_xmldom_read(xmlDocPtr *out, const char *buf, size_t len,
    const char *name);

/* Line of a node for messages (large files included). */
long irmf_xmldom_line(const xmlNode *n);

#endif
