/*
 * coverage_findings.h - compare's check that every imported server was
 * exported as fully as its peers (the areas of collector/snapshot/coverage.h).
 *
 * A server imported from Get-IRMConfiguration alone has no registry keys,
 * file versions or groups: consensus skips what a snapshot has no section
 * for (unknown is not "missing"), so without this check it would look
 * clean.  Each area that at least one peer has and an imported server
 * lacks is one not-collected finding ("coverage:<area>"), with the
 * command that exports it (not for Get-IRMConfiguration, the
 * organisation's: any server's export covers it).  A fleet imported
 * uniformly from the same
 * partial set of files gets none: nobody has the area, so nothing is
 * known to be missing.
 */
#ifndef IRMF_COVERAGE_FINDINGS_H
#define IRMF_COVERAGE_FINDINGS_H

#include "compare_int.h"

/* Append the coverage findings of r's fleet (cohorts built) to
 * r->findings.  Peers are the servers of the same cohort; the servers of
 * unknown generation ("exchange-unknown", "sharepoint-unknown") are
 * peers of every cohort of their product, and it of theirs. */
int irmf_coverage_findings(irmf_result *r);

#endif
