/*
 * report.h - the reporters of a comparison result (report_text.c,
 * report_json.c, the html_*.c files, report_machine.c), and what they
 * share (report_group.c): the grouping of findings by root cause, the
 * one-line problem of a finding, and the facts every report carries (tool
 * version, generation time, data time range).  They only read the result.
 */
#ifndef IRMF_REPORT_H
#define IRMF_REPORT_H

#include <stdio.h>
#include <time.h>

#include "result.h"

/* Reporters.  flags: IRMF_REPORT_* from compare.h. */
int irmf_report_text(const irmf_result *r, FILE *out, unsigned flags);
int irmf_report_brief(const irmf_result *r, FILE *out, unsigned flags);
int irmf_report_json(const irmf_result *r, FILE *out, unsigned flags);
int irmf_report_html(const irmf_result *r, FILE *out, unsigned flags);
int irmf_report_junit(const irmf_result *r, FILE *out, unsigned flags);
int irmf_report_prometheus(const irmf_result *r, FILE *out, unsigned flags);
int irmf_report_nagios(const irmf_result *r, FILE *out, unsigned flags);

/* What another report (the audit's) adds to the nagios output: its
 * state, text before the comparison's in the status line, perfdata
 * after the comparison's (" changed=1;;;0"), and long-output lines
 * before the comparison's brief lines.  Any may be NULL. */
typedef struct irmf_nagios_extra {
	int state;                     /* IRMF_NAGIOS_* */
	const char *lead, *perfdata;
	void (*long_output)(FILE *out, const void *payload);
	const void *payload;
} irmf_nagios_extra;
int irmf_report_nagios_ex(const irmf_result *r, FILE *out, unsigned flags,
    const irmf_nagios_extra *x);

/* A writer of extra JUnit testsuites (an xmlTextWriterPtr), < 0 when
 * it failed; the audit adds its own suite to the comparison's. */
typedef int (*irmf_junit_extra_fn)(void *writer, const void *payload);
int irmf_report_junit_ex(const irmf_result *r, FILE *out, const char *name,
    irmf_junit_extra_fn extra, const void *payload);

/*
 * Root-cause groups.  One drift often shows as several findings on one
 * server: an http connector URL is an outlier against the peers, breaks
 * the connector-url-scheme rule and makes the connector log event 2002.
 * Findings of one server whose settings belong to the same family (the
 * connector URLs, the connector's authorization, the IRM configuration,
 * the versions; any other setting is a family of its own) form one group,
 * read and fixed together.  Groups come in report order: worst severity
 * first, then server, then the order of their first finding.
 */
typedef struct irmf_fgroup {
	const char *server;            /* NULL: cohort-wide (split) */
	const char *cohort;
	const char *cause;             /* family label, or the setting key */
	const irmf_finding **items;    /* into the result, report order */
	size_t n;
	irmf_severity worst;
} irmf_fgroup;

typedef struct irmf_fgroups {
	irmf_fgroup *g;
	size_t n;
	const irmf_finding **all;      /* storage of every group's items */
} irmf_fgroups;

/* Group the unsuppressed findings of r.  Free with irmf_fgroups_clear. */
int irmf_fgroups_build(const irmf_result *r, irmf_fgroups *out);
void irmf_fgroups_clear(irmf_fgroups *g);
/* Whether two groups are of one server (or, without a server, of one
 * cohort): the first screen and --brief give each one line. */
bool irmf_fgroup_same_server(const irmf_fgroup *a, const irmf_fgroup *b);
/* The family label of a finding ("connector URLs"), or its setting key. */
const char *irmf_finding_cause(const irmf_finding *f);
/* The checks a server passes or fails (JUnit testcases): the families,
 * then "other settings" and "collection"; NULL-terminated. */
extern const char *const irmf_report_checks[];
/* The check a finding fails: its family, "collection" for a failed
 * collection, else "other settings". */
const char *irmf_finding_check(const irmf_finding *f);
/* "reg:...\LicenseServerRedirection differs from its peers": what is
 * wrong, in one line (no values, which can be long). */
void irmf_finding_problem(const irmf_finding *f, char *buf, size_t len);

/* The facts every report states about itself and its data. */
typedef struct irmf_report_meta {
	const char *version;           /* IRMF_VERSION */
	char generated[32];            /* ISO 8601 UTC; SOURCE_DATE_EPOCH
	                                * (reproducible builds) overrides */
	time_t generated_t;
	char oldest[32], newest[32];   /* range of collectedAt, "" if none */
	char fleet[128];               /* directory name the fleet came from */
} irmf_report_meta;

void irmf_report_meta_get(const irmf_result *r, irmf_report_meta *m);
/* Whether a server's host was reached (its collection did not fail as a
 * whole): its collectedAt is then a successful collection's time. */
bool irmf_report_server_reached(const irmf_snapshot *s);

#endif
