/*
 * compare_int.h - the comparison driver's internal entry point, shared
 * with the tests: analyse a loaded fleet into a result (result.h).
 */
#ifndef IRMF_COMPARE_INT_H
#define IRMF_COMPARE_INT_H

#include "report.h"
#include "result.h"

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

/* Hand a loaded fleet to a comparison not given any snapshot yet (the
 * audit, audit.c, loads its own): its members, prepared already, are
 * compared as they are; f is left empty. */
struct irmf_compare;
int irmf_compare_take_fleet(struct irmf_compare *c, irmf_fleet *f);

/* The result of a run comparison, for reporters of the driver (the
 * audit report embeds it); NULL before irmf_compare_run. */
const irmf_result *irmf_compare_result(const struct irmf_compare *c);

/* Threads for loading a fleet: the online CPUs, capped (IRMFLEET_THREADS
 * overrides). */
unsigned irmf_compare_load_threads(void);
#endif
