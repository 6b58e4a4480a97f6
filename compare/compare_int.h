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
#endif
