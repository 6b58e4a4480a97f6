/*
 * suppress.h - known differences an admin has accepted.
 *
 * A suppression file (format in docs/suppressions.md) holds lines
 *
 *     ignore SETTING -- REASON            the setting, on every server
 *     accept SERVER SETTING -- REASON     one server's known exception
 *
 * SETTING is a setting key (docs/settings.md) or rule id, `*` matching
 * any run of characters, compared case-insensitively.  The reason is
 * mandatory: a suppression nobody can explain later is noise of its own.
 * Suppressed findings stay in the report, marked, with the reason, and
 * are counted in the summary; they do not change the exit code.
 */
#ifndef IRMF_SUPPRESS_H
#define IRMF_SUPPRESS_H

#include <stddef.h>

#include "findings.h"

typedef struct irmf_suppression {
	char *server;      /* NULL for "ignore" */
	char *pattern;     /* lowercased glob */
	char *reason;
	size_t line;
	size_t hits;       /* findings it suppressed */
} irmf_suppression;

typedef struct irmf_suppressions {
	char *file;
	irmf_suppression *items;
	size_t n, cap;
} irmf_suppressions;

/* Parse a suppression file; errors are IRMF_EPARSE "file:line: ...". */
int irmf_suppress_load(irmf_suppressions *s, const char *path);
/* Same from memory (name used in messages). */
int irmf_suppress_parse(irmf_suppressions *s, const char *buf, size_t len,
    const char *name);
/* Mark the findings matched by any suppression. */
int irmf_suppress_apply(irmf_suppressions *s, irmf_findings *list);
void irmf_suppress_clear(irmf_suppressions *s);

#endif
