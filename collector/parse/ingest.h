/*
 * ingest.h - the one way bytes become items of a snapshot, for both
 * paths that have bytes: `collect` (a command's output over SSH, its
 * format named by the plan item) and `import` (a file, its format told
 * from the content or named "FORMAT:FILE").  The format table and its
 * policy columns are detect.h's; this applies them, so the same bytes
 * give the same snapshot items whichever way they arrived.  Recording
 * the <source> (file name or item, SHA-256) stays with the caller.
 */
#ifndef IRMF_INGEST_H
#define IRMF_INGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "detect.h"
#include "snapshot_int.h"

typedef struct irmf_ingest_opts {
	const char *name;             /* for messages: "FILE" or "HOST: ITEM" */
	const irmf_format *format;    /* known, or NULL: detect from content */
	/* A collect answer (the output of a plan command) rather than a file
	 * an admin chose: an empty answer (the row's `empty`) is nothing to
	 * record; the input is always parsed apart and merged, so a failure
	 * leaves no half item; content with nothing irmfleet uses is an
	 * error.  A file: registry exports apply in place, and unused content
	 * of a IRMF_FORMAT_UNUSED_WARNS row goes to `warn` (if set). */
	bool answer;
	/* a bounded event query's IDs and cap (plan.h), or NULL */
	const char *event_ids;
	unsigned event_cap;
	void (*warn)(const char *msg, void *payload);
	void *warn_payload;
} irmf_ingest_opts;

typedef struct irmf_ingest_result {
	const irmf_format *format;    /* the row used (NULL: none found) */
	size_t errors;                /* collection errors the parser recorded */
	bool nothing;                 /* empty answer: nothing was parsed */
	bool parse_failed;            /* the failure is the input's (detect or
	                               * parse), not memory or a merge */
} irmf_ingest_result;

/* Turn buf[0..len) into items of snap.  On failure snap is unchanged
 * unless the row is IRMF_FORMAT_IN_PLACE and the input a file (the import
 * fails as a whole then).  *res is always filled. */
int irmf_ingest(irmf_snapshot *snap, const char *buf, size_t len,
    const irmf_ingest_opts *o, irmf_ingest_result *res);

#endif
