/*
 * docimport.h - import of the export script's documents
 * (docs/export-format.md) without naming the server: each document says
 * which server it is for and its roles, so a folder of them becomes one
 * snapshot per server.  The per-file import (import.h) does the work for
 * each document, so gaps are told the same way.
 */
#ifndef IRMFLEET_DOCIMPORT_H
#define IRMFLEET_DOCIMPORT_H

#include <stddef.h>

#include "irmfleet/import.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Told once per document: the snapshot written (rc 0) or the error
 * (rc < 0, message in irmf_error_last()). */
typedef void (*irmf_docimport_fn)(const char *document, const char *written,
    int rc, void *payload);

/* Import every export document among paths: a file is one document, a
 * folder gives each of its *.xml files that is an export document (in
 * name order; other files are left alone).  Each becomes
 * out_dir/<server>.xml, server and roles from the document; base's warn,
 * gap, max_file_size and payload are used, its server/fqdn/roles not.
 * A broken or incomplete document is reported and skipped, the others
 * are imported.  Returns the number of documents that failed (0: all
 * imported), or an error (IRMF_EUSAGE no document found). */
int irmf_import_documents(const char *const *paths, size_t npaths,
    const char *out_dir, const irmf_import_options *base,
    irmf_docimport_fn done, void *payload);

#ifdef __cplusplus
}
#endif
#endif
