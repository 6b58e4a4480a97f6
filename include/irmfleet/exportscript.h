/*
 * exportscript.h - the PowerShell export script: one script per role set,
 * generated from collect's plan (the same registry keys, files, events,
 * probes and Active Directory items), that an admin runs on a server or
 * from a workstation for the whole organisation and that writes one
 * self-describing XML document per server (docs/export-script.md,
 * docs/export-format.md, schemas/export.xsd).  `irmfleet import` reads
 * those documents.
 */
#ifndef IRMFLEET_EXPORTSCRIPT_H
#define IRMFLEET_EXPORTSCRIPT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The document's namespace and format version, and the version of the
 * script that writes it (recorded in each document). */
#define IRMF_EXPORT_NS "urn:irmfleet:export:1"
#define IRMF_EXPORT_FORMAT_VERSION 1
#define IRMF_EXPORT_SCRIPT_VERSION "1.0"

/* The script for a role set (IRMF_ROLE_* bits, at least one) with the
 * default event count (its -EventCount, 1..1000000): ASCII, CRLF line
 * ends as Windows tools expect, NUL-terminated; *out is malloc'd. */
int irmf_export_script(char **out, size_t *out_len, unsigned roles,
    unsigned event_count);

#ifdef __cplusplus
}
#endif
#endif
