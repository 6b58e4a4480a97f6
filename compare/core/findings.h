/*
 * findings.h - what the comparison produces: one finding per (server,
 * setting) problem, with the evidence (server value, majority/expected
 * value, distribution), the explanation and the remediation.  Both the
 * consensus engine (consensus.c) and the connector rules (rules.c) append
 * to one irmf_findings list; reporters (text, JSON, HTML) and the history
 * store read it.  Internal header (the public face is
 * include/irmfleet/compare.h).
 *
 * Setting keys are stable and documented in docs/settings.md:
 *   reg:<HKLM\path>\<value name or (default)>   one registry value
 *   reg:<HKLM\path>                              a whole redirection key,
 *                                               compared as a set of
 *                                               name => data pairs
 *   irm:<Property>        Get-IRMConfiguration property
 *   irm-test:overall      Test-IRMConfiguration result
 *   file:<name>           file version (msdrm.dll, msipc.dll, ExSetup.exe)
 *   identity:groups       group memberships of the computer account
 *   product:build         Exchange/SharePoint build (rules only)
 *   auth:<...>            connector authorization (rules)
 *   events:<id>           connector events (rules)
 *   probe:<url>           URL probe (rules)
 *   acl:<HKLM\path>       a registry key's ACL (rules)
 */
#ifndef IRMF_FINDINGS_H
#define IRMF_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum irmf_finding_kind {
	IRMF_FIND_OUTLIER = 0,     /* differs from the cohort's majority */
	IRMF_FIND_SPLIT,           /* cohort has no majority */
	IRMF_FIND_RULE,            /* violates a documented connector rule */
	IRMF_FIND_MISSING,         /* peers have it, this server lacks it */
	IRMF_FIND_NOT_COLLECTED    /* could not be checked: collection failed */
} irmf_finding_kind;

typedef enum irmf_severity {
	IRMF_SEV_INFO = 0,
	IRMF_SEV_WARNING = 1,
	IRMF_SEV_ERROR = 2
} irmf_severity;

typedef struct irmf_finding {
	char *server;        /* NULL for cohort-wide findings (split) */
	char *cohort;        /* "exchange-v15", "sharepoint-2013+", ... */
	char *setting;       /* stable key, see above */
	irmf_finding_kind kind;
	irmf_severity severity;
	char *rule_id;       /* rules: stable id ("exchange-redirection-scheme"); NULL for consensus */
	char *value;         /* the server's value as collected (NULL = absent) */
	char *expected;      /* majority or documented expected value */
	char *distribution;  /* "11 of 12 servers: https://...; EX07: http://..." */
	char *explanation;   /* why it breaks IRM */
	char *remediation;   /* what to set / run, concretely */
	bool suppressed;
	char *suppress_reason;
} irmf_finding;

typedef struct irmf_findings {
	irmf_finding *items;
	size_t n, cap;
	size_t nsuppressed;
} irmf_findings;

/* Append a copy of *f (all strings duplicated; NULLs allowed). */
int irmf_findings_add(irmf_findings *list, const irmf_finding *f);
/* Move every finding of src to the end of dst, in order; src is left
 * empty (its storage freed) whether or not this succeeds. */
int irmf_findings_move(irmf_findings *dst, irmf_findings *src);
/* Order by severity (error first), then server, setting, kind. */
void irmf_findings_sort(irmf_findings *list);
void irmf_findings_clear(irmf_findings *list);
/* Free one finding's strings and zero it (for callers that filter the
 * list in place). */
void irmf_finding_clear(irmf_finding *f);
/* Count unsuppressed findings. */
size_t irmf_findings_active(const irmf_findings *list);

const char *irmf_finding_kind_name(irmf_finding_kind k);  /* "outlier" */
const char *irmf_severity_name(irmf_severity s);          /* "error" */

#endif
