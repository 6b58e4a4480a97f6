/*
 * psdoc.h - the document the irmfleet export script writes, one per
 * server (docs/export-format.md, schemas/export.xsd, format "psdoc"):
 * its items become the snapshot's registry keys and values (with their
 * types), file versions, key ACLs, the computer's groups, probes,
 * connector events, the organisation-wide Exchange objects (embedded
 * CLIXML) and collection errors for denied or failed items.  Items the
 * script did not collect (status skipped, or not in the document at all)
 * are left out, so they read as "not exported", never as "absent".
 */
#ifndef IRMF_PSDOC_H
#define IRMF_PSDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "snapshot_int.h"

/* ASCII lines around a document written to stdout (-Stdout): whatever a
 * profile or cmd's AutoRun printed before the first is ignored. */
#define IRMF_PSDOC_BEGIN "-----BEGIN IRMFLEET EXPORT-----"
#define IRMF_PSDOC_END "-----END IRMFLEET EXPORT-----"

/* The document's own bytes in buf: between the markers (without the
 * line ends the script writes around it), else all of buf.  Collect
 * records their SHA-256 as the source, as import does for the file, so
 * the same document gives the same snapshot either way. */
void irmf_psdoc_body(const char *buf, size_t len, const char **doc,
    size_t *dlen);

/* Does buf hold an export document (bare, or between the markers)? */
bool irmf_psdoc_sniff(const char *buf, size_t len);

/* Parse into snap.  The document must be for snap's server (its name,
 * FQDN or first FQDN label).  Errors name the file (and line):
 * IRMF_EPARSE for a document that is not well-formed, and "incomplete"
 * for one cut short (no closing <end>, or fewer items than it counts);
 * IRMF_ESCHEMA when it does not match schemas/export.xsd;
 * IRMF_EUNSUPPORTED for another formatVersion. */
int irmf_psdoc_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name);

/* The server name and roles (IRMF_ROLE_* bits) a document is for, read
 * without building a snapshot (import of a folder of documents); *server
 * is malloc'd.  Same errors as irmf_psdoc_parse for the header. */
int irmf_psdoc_identity(const char *buf, size_t len, const char *name,
    char **server, unsigned *roles);

#endif
