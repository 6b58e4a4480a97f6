/*
 * consensus.h - find the servers that differ from their peers.
 *
 * Within one cohort (servers to which the same settings apply, see
 * irmf_cohort_of), every setting key present on any server (union,
 * case-insensitive) is compared among the servers that were *checked* for
 * it: the section holding it is present in their snapshot (an import
 * without Get-IRMConfiguration says nothing about irm:* settings) and no
 * collection error covers it.  Values are compared in normalized form
 * (settings.h); absence is a value of its own.
 *
 *  - a strict majority exists: every other server is a finding: outlier
 *    (value differs; "type differs" when only the registry type does),
 *    missing (peers have the setting, it does not) or outlier "extra" (it
 *    has a setting its peers do not have);
 *  - no strict majority (including two servers that disagree): one split
 *    finding for the cohort (server NULL), listing the groups.
 *
 * A server's collection errors become one not-collected finding per failed
 * item: it is "not checked" there, never consistent, never an outlier.
 */
#ifndef IRMF_CONSENSUS_H
#define IRMF_CONSENSUS_H

#include <stddef.h>

#include "findings.h"
#include "fleet.h"

/* Compare members[0..n) (all of one cohort, prepared by
 * irmf_fleet_prepare) and append the findings to out. */
int irmf_consensus_cohort(irmf_member *const *members, size_t n,
    const char *cohort, irmf_findings *out);

/* One not-collected finding per collection error of m. */
int irmf_consensus_not_collected(const irmf_member *m, irmf_findings *out);

#endif
