/*
 * report_audit.h - the reports of the history commands (report_audit.c:
 * `irmfleet audit`; report_history.c: `irmfleet history` and the one way
 * a change is shown, so that audit drift and history timelines read the
 * same).  They take plain data, so that the layer below the driver can
 * write them: the audit (compare/audit.c) fills an irmf_audit_view.
 */
#ifndef IRMF_REPORT_AUDIT_H
#define IRMF_REPORT_AUDIT_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "irmfleet/store.h"
#include "result.h"

/* Since when a drifted setting differs from the fleet's majority. */
typedef struct irmf_audit_since {
	const char *setting;             /* borrowed from the drift */
	irmf_current cur;                /* owned */
} irmf_audit_since;

/* At most this many history entries per server in a timeline, settings
 * with "since when", and servers with a timeline. */
#define IRMF_AUDIT_TIMELINE_MAX 50
#define IRMF_AUDIT_SINCE_MAX 5
#define IRMF_AUDIT_TIMELINE_SERVERS 40

/* A server that changed since the previous audit and, when fetched (the
 * HTML report asked for it, irmf_audit_options.timelines), its drift
 * timeline: its recorded changes, newest first, and for each drifted
 * setting since when it differs from the majority. */
typedef struct irmf_audit_timeline {
	const char *server;              /* borrowed from the drift */
	bool fetched;                    /* history and since were queried */
	irmf_changes history;            /* owned; newest first; shown: the
	                                  * first IRMF_AUDIT_TIMELINE_MAX */
	bool truncated;                  /* there are more than that */
	irmf_audit_since *since;         /* owned */
	size_t nsince;
} irmf_audit_timeline;

/* What an audit report shows. */
typedef struct irmf_audit_view {
	const irmf_result *comparison;   /* NULL when nothing was compared */
	const irmf_run_summary *sum;
	const irmf_changes *drift, *stale;
	const char *stale_label;         /* the limit as the user wrote it */
	const char *db_label;            /* the database as named, or NULL */
	bool old_input;                  /* every server of the run is stale */
	size_t changes, not_checked, findings;
	int result;                      /* irmf_audit_result */
	const irmf_audit_timeline *timelines;   /* servers that changed */
	size_t ntimelines;
} irmf_audit_view;

/* The audit report in any format of irmf_report_format; flags:
 * IRMF_REPORT_* (compare.h). */
int irmf_report_audit(const irmf_audit_view *v, FILE *out,
    irmf_report_format format, unsigned flags);
/* The plugin state of an audit: CRITICAL with an error finding, WARNING
 * with drift since the previous audit, a stale or unchecked server or a
 * warning, else OK. */
int irmf_report_audit_nagios_state(const irmf_audit_view *v);

/* The audit's parts of the machine reports (report_audit_machine.c). */
int irmf_report_audit_junit(const irmf_audit_view *v, FILE *out);
int irmf_report_audit_prometheus(const irmf_audit_view *v, FILE *out);
int irmf_report_audit_nagios(const irmf_audit_view *v, FILE *out,
    unsigned flags);
int irmf_report_audit_brief(const irmf_audit_view *v, FILE *out,
    unsigned flags);
/* The audit HTML: the comparison's page plus the drift (html_page.c). */
int irmf_report_audit_html(const irmf_audit_view *v, FILE *out);
/* Whether a change is drift of the configuration (not "not checked").
 * Inline: every audit report asks, and none should depend on another
 * for it. */
static inline bool
irmf_audit_change_is_drift(const irmf_change *c)
{
	return !irmf_change_is_unchecked(c->kind);
}

/* One change as a JSON object (every field present, absent = null). */
json_t *irmf_change_json(const irmf_change *c);

/* Write a JSON value, indented, with a final newline (NULL: the value
 * could not be built; an error either way). */
int irmf_report_json_dump(json_t *root, FILE *out);

/* The comparison's JSON report as a value to embed (report_json.c). */
json_t *irmf_report_json_value(const irmf_result *r);

#endif
