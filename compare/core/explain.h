/*
 * explain.h - why a difference in a setting breaks IRM and how to fix it.
 *
 * One table (explain.c) keyed by setting-key pattern, written from the
 * connector documentation (see docs/settings.md for the keys): the
 * severity of a difference, what the setting does, why a server that
 * differs fails, and the fix.  irmf_remedy_command turns the fix into the
 * concrete command for one server: `reg add`/`reg delete` with the path,
 * value name, type and data of a peer that has the majority value, or
 * Set-IRMConfiguration for the organization-wide IRM settings.
 */
#ifndef IRMF_EXPLAIN_H
#define IRMF_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "findings.h"
#include "snapshot_int.h"

typedef struct irmf_explain_row {
	const char *pattern;     /* glob on the setting key, case-insensitive */
	irmf_severity severity;  /* of a consensus finding on this setting */
	const char *what;        /* "the Exchange licensing redirection" */
	const char *why;         /* why a server that differs fails */
	const char *fix;         /* advice that precedes the command */
} irmf_explain_row;

/* The whole table (for tests that scan its texts); *n gets its size. */
const irmf_explain_row *irmf_explain_table(size_t *n);

/* The row for key; never NULL (a generic row matches every key). */
const irmf_explain_row *irmf_explain_lookup(const char *key);

/* What a consensus fix is about.  model holds the wanted value (with
 * remove: the value or key to remove); mine is the server being fixed
 * (NULL for a split, where no one server is), cohort its cohort. */
typedef struct irmf_remedy {
	const irmf_snapshot *model;
	const irmf_snapshot *mine;
	const char *cohort;
	bool remove;
	/* out: values the fix leaves in place because the documentation
	 * prescribes them for the cohort (the peers lack them) */
	size_t kept;
	/* out (consensus): nothing but such values differs */
	bool only_kept;
} irmf_remedy;

/* The command that makes the server's setting `key` equal to the
 * model's, changing only what differs: a single value is set or
 * deleted; a key compared as a whole is fixed value by value (values
 * added, extra values deleted one at a time), never by deleting the key;
 * a value the documentation prescribes for the cohort is never deleted
 * (counted in r->kept).  *out is NULL when there is nothing a command can
 * do (file versions, group membership, version keys: the row's advice
 * says what to do).  Caller frees *out. */
int irmf_remedy_command(const char *key, irmf_remedy *r, char **out);

#endif
