/*
 * result.h - the result of a comparison, as the reporters see it.  The
 * driver (compare/compare.c) builds it (load the fleet, flatten settings,
 * group into cohorts, run consensus and the connector rules, apply
 * suppressions); the reporters (compare/report/) only read it.
 *
 * Ownership: the result owns the fleet (snapshots and their settings), the
 * cohort table and the findings.  Cohort names are the static strings of
 * irmf_cohort_of(); irmf_unchecked rows borrow from the snapshots.
 */
#ifndef IRMF_RESULT_H
#define IRMF_RESULT_H

#include <stdbool.h>
#include <stdio.h>

#include "fleet.h"
#include "findings.h"
#include "irmfleet/compare.h"
#include "settings.h"

/* One cohort: the servers compared with each other. */
typedef struct irmf_cohort {
	const char *name;          /* static, from irmf_cohort_of() */
	size_t *members;           /* indices into fleet.members, by server */
	size_t n;
} irmf_cohort;

/* One item that could not be collected on a server (the not-checked
 * list); borrowed from the snapshot. */
typedef struct irmf_unchecked {
	const char *server;
	const char *cohort;
	const irmf_collect_error *err;
} irmf_unchecked;

typedef struct irmf_result {
	irmf_fleet fleet;
	irmf_cohort *cohorts;      /* sorted by name */
	size_t ncohorts;
	irmf_findings findings;    /* sorted: severity, server, setting */
	irmf_unchecked *unchecked; /* in fleet order */
	size_t nunchecked;
	size_t nunchecked_servers; /* distinct servers in unchecked */
} irmf_result;

void irmf_result_clear(irmf_result *r);

/* Which authorization list the auth-* rules used: "csv" when a node has
 * a typed list (it wins), "event-1004" when the nodes have only lists
 * derived from their event 1004 (accounts, no roles), NULL for none. */
const char *irmf_result_auth_source(const irmf_result *r);

/* Counts for the summary line and the exit code. */
void irmf_result_counts(const irmf_result *r, irmf_compare_counts *out);

#endif
