/*
 * import.h - build a server's snapshot from files exported on it.
 *
 * Each file's format is detected from its content (docs/import-formats.md
 * lists them with the Windows command that produces each), the files are
 * parsed and merged in the order given, and the snapshot records every
 * file as a source (name, SHA-256, format).  Any unknown or broken file
 * fails the whole import: no partial snapshot is written.
 */
#ifndef IRMFLEET_IMPORT_H
#define IRMFLEET_IMPORT_H

#include <stddef.h>

#include "irmfleet/snapshot.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest file accepted by default (bytes). */
#define IRMF_IMPORT_MAX_FILE ((size_t)64 * 1024 * 1024)

typedef struct irmf_import_options {
	const char *server;    /* short name (letters, digits, '-', '_', '.');
	                        * required; the output is DIR/<server>.xml */
	const char *fqdn;      /* or NULL */
	unsigned roles;        /* IRMF_ROLE_* bits; 0 = infer from the files */
	size_t max_file_size;  /* 0 = IRMF_IMPORT_MAX_FILE */
	/* Told about a file that parsed but carries nothing irmfleet uses
	 * (a CLIXML export of another cmdlet): it is kept as a source and
	 * the import goes on.  NULL = not told. */
	void (*warn)(const char *message, void *payload);
	/* Told, once the files are merged, of each area the server's roles
	 * normally have that the files do not cover (registry, IRM
	 * configuration, file versions, identity, generation evidence,
	 * connector events and authorizations): one message per area,
	 * "EX07: no <what>: export it with <command> ...".  The snapshot is
	 * written all the same.  NULL = not told. */
	void (*gap)(const char *message, void *payload);
	void *warn_payload;    /* passed to warn and gap */
} irmf_import_options;

/* Build the snapshot in memory.  collected_at is the import time. */
int irmf_import_files(irmf_snapshot **out, const irmf_import_options *opts,
    const char *const *paths, size_t npaths);

/* irmf_import_files(), then write DIR/<server>.xml atomically (DIR and its
 * parents are created if missing).  *out_path (malloc'd; out_path may be
 * NULL) names the file written. */
int irmf_import_to_dir(const irmf_import_options *opts,
    const char *const *paths, size_t npaths, const char *dir,
    char **out_path);

/* Call fn for every supported format (name as recorded in sources, and a
 * description), in detection order. */
void irmf_import_formats(void (*fn)(const char *name,
    const char *description, void *payload), void *payload);

#ifdef __cplusplus
}
#endif
#endif
