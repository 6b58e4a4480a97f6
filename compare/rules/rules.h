/*
 * rules.h - the connector documentation's rules, applied to every server of
 * a fleet (issue 4, "rules from the connector documentation").
 *
 * Unlike consensus (which flags the server that differs from its peers), a
 * rule is a finding even when the whole fleet agrees: a fleet where every
 * Exchange server redirects to the Microsoft RMS URL is consistently
 * broken.  The knowledge sits in one table (compare/rules/rules.c): one row per
 * rule with a stable id, the cohorts it applies to, its severity, the
 * check, the explanation and the remediation.  docs/rules.md documents
 * every row and names the documentation it comes from.
 *
 * Data that an import simply did not include (no Get-IRMConfiguration, no
 * connector node) switches the rules that need it off; data whose
 * collection failed on a server yields an IRMF_FIND_NOT_COLLECTED finding
 * for that server and rule, never a pass.
 */
#ifndef IRMF_RULES_H
#define IRMF_RULES_H

#include <stddef.h>

#include "findings.h"
#include "snapshot_int.h"

/* Cohort bits a rule applies to (see irmf_cohort_of). */
enum {
	IRMF_RC_EXCHANGE_V14 = 1 << 0,
	IRMF_RC_EXCHANGE_V15 = 1 << 1,
	IRMF_RC_SHAREPOINT_2013 = 1 << 2,   /* "sharepoint-2013+" */
	IRMF_RC_SHAREPOINT_2010_FCI = 1 << 3,
	IRMF_RC_CONNECTOR = 1 << 4,
	/* Exchange / SharePoint servers whose generation is unknown or
	 * contradictory ("exchange-unknown", "sharepoint-unknown"): only the
	 * rules that do not depend on the generation apply to them */
	IRMF_RC_EXCHANGE_UNKNOWN = 1 << 5,
	IRMF_RC_SHAREPOINT_UNKNOWN = 1 << 6,
	/* Exchange of a known generation: version-dependent rules */
	IRMF_RC_EXCHANGE = IRMF_RC_EXCHANGE_V14 | IRMF_RC_EXCHANGE_V15,
	/* any Exchange server: rules the same for 2010 and 2013+ */
	IRMF_RC_EXCHANGE_ANY = IRMF_RC_EXCHANGE | IRMF_RC_EXCHANGE_UNKNOWN,
	IRMF_RC_CLIENTS = IRMF_RC_EXCHANGE_ANY | IRMF_RC_SHAREPOINT_2013 |
	    IRMF_RC_SHAREPOINT_2010_FCI | IRMF_RC_SHAREPOINT_UNKNOWN
};

struct irmf_rule_run;   /* one run over a fleet (rules_int.h) */
struct irmf_rule_info;

/* A check looks at one server (or connector node) and reports through
 * irmf_rule_report; it returns 0 or a negative irmf_error_code. */
typedef int (*irmf_rule_check_fn)(const struct irmf_rule_info *rule,
    struct irmf_rule_run *run, const irmf_snapshot *snap);

/* One row of the rule table.  Explanation and remediation are templates:
 * {tenant} {connector} {ver} {server} {account} {param} {want} are replaced
 * with what the fleet's data says (or a <placeholder> when unknown). */
typedef struct irmf_rule_info {
	const char *id;           /* stable: "exchange-redirection-present" */
	unsigned cohorts;         /* IRMF_RC_* bits it applies to */
	irmf_severity severity;
	const char *title;        /* one line: what the rule checks */
	const char *source;       /* documentation section it comes from */
	const char *param;        /* check parameter (key path, property ...) */
	const char *want;         /* expected value/shape for the check */
	irmf_rule_check_fn check;
	const char *explanation;  /* why a violation breaks IRM */
	const char *remediation;  /* what to set / run, concretely */
} irmf_rule_info;

/* Apply every rule to the fleet snaps[0..n) and append the findings to out.
 * Returns 0 or a negative irmf_error_code (allocation failure); findings
 * appended before a failure stay in out. */
int irmf_rules_run(irmf_snapshot *const *snaps, size_t n,
    irmf_findings *out);
/* The same with the per-server checks split over up to `threads` threads
 * (the fleet-wide preparation stays on the caller's); the findings come
 * out in the same order as with one thread. */
int irmf_rules_run_threads(irmf_snapshot *const *snaps, size_t n,
    irmf_findings *out, unsigned threads);

/* The rule table (for docs, --list-rules and tests); *n receives its size. */
const irmf_rule_info *irmf_rules_table(size_t *n);

/* The cohort bit of a snapshot, or of a cohort name (0 for "unknown" and
 * cohorts no rule applies to). */
unsigned irmf_rules_cohort_bit(const irmf_snapshot *snap);
unsigned irmf_rules_bit_of(const char *cohort);

#endif
