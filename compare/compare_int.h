/*
 * compare_int.h - the result of `irmfleet compare`, as the reporters see
 * it.  compare.c builds it (load the fleet, flatten settings, group into
 * cohorts, run consensus and the connector rules, apply suppressions);
 * report_text.c, report_json.c and report_html.c only read it.
 *
 * Ownership: the result owns the fleet (snapshots and their settings), the
 * cohort table and the findings.  Cohort names are the static strings of
 * irmf_cohort_of(); irmf_unchecked rows borrow from the snapshots.
 */
#ifndef IRMF_COMPARE_INT_H
#define IRMF_COMPARE_INT_H

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

/* What irmf_result_analyze runs (tests of one engine select it). */
enum {
	IRMF_ANALYZE_CONSENSUS = 1 << 0,
	IRMF_ANALYZE_RULES = 1 << 1,
	/* imported servers that lack an area their peers have
	 * (coverage_findings.h) */
	IRMF_ANALYZE_COVERAGE = 1 << 2,
	IRMF_ANALYZE_ALL = IRMF_ANALYZE_CONSENSUS | IRMF_ANALYZE_RULES |
	    IRMF_ANALYZE_COVERAGE
};

/* Analyse r->fleet (already loaded): settings, cohorts, consensus and/or
 * rules, the not-checked list (one not-collected finding per failed
 * item), sorted findings.  Suppressions are applied by the caller
 * (suppress.h) before reporting. */
int irmf_result_analyze(irmf_result *r, unsigned what);
void irmf_result_clear(irmf_result *r);

/* Counts for the summary line and the exit code. */
void irmf_result_counts(const irmf_result *r, irmf_compare_counts *out);

/* Reporters.  flags: IRMF_REPORT_* from compare.h. */
int irmf_report_text(const irmf_result *r, FILE *out, unsigned flags);
int irmf_report_json(const irmf_result *r, FILE *out, unsigned flags);
int irmf_report_html(const irmf_result *r, FILE *out, unsigned flags);

#endif
