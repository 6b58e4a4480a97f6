/*
 * hostout.h - what one host's command outputs become (hostout.c): each
 * output is read as the format its plan item names, through the one
 * ingest path (collector/parse/ingest.h) into the host's snapshot, or its
 * failure is recorded as the item's collection error.  No SSH here: the
 * engine (engine.c) hands over what the session returned, so the tests
 * drive this with any bytes.
 */
#ifndef IRMF_HOSTOUT_H
#define IRMF_HOSTOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"
#include "regexist.h"
#include "snapshot_int.h"

/* One host's books while its commands run. */
typedef struct irmf_hostout {
	const char *host;          /* the inventory name, for messages */
	irmf_snapshot *snap;       /* the host's snapshot (not owned) */
	size_t item_errors;        /* items recorded as not collected */
	irmf_regexist *exist;      /* answer of the existence check, or NULL */
	char exist_err[300];       /* why there is none (for messages) */
} irmf_hostout;

/* What one command returned. */
typedef struct irmf_cmd_output {
	int rc;                    /* nonzero: it could not run (message in
	                            * irmf_error_last()) */
	const char *out;           /* stdout */
	size_t olen;
	const char *err;           /* stderr */
	size_t elen;
	const char *signal;        /* the signal that killed it, or NULL */
	int status;                /* exit status */
} irmf_cmd_output;

/* A command of the plan finished: read its output into ho->snap, or
 * record why not. */
void irmf_hostout_done(irmf_hostout *ho, const irmf_plan_cmd *c,
    const irmf_cmd_output *co);

/* Record a failure for every item command c stands for. */
void irmf_hostout_cmd_error(irmf_hostout *ho, const irmf_plan_cmd *c,
    irmf_collect_reason reason, const char *msg);

/* Mark every command of p from `from` on as not run. */
void irmf_hostout_skip(irmf_hostout *ho, const irmf_plan *p, size_t from,
    irmf_collect_reason reason, const char *why);

/* Free the existence check's answer. */
void irmf_hostout_clear(irmf_hostout *ho);

#endif
