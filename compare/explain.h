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

/* The command that makes a server's setting `key` equal to the one in
 * `model` (a snapshot holding the wanted value); with remove, the command
 * that deletes the value or key `model` has.  *out is NULL when the
 * setting cannot be set by a command (file versions, group membership:
 * the row's advice says what to do).  Caller frees *out. */
int irmf_remedy_command(const char *key, const irmf_snapshot *model,
    bool remove, char **out);

#endif
