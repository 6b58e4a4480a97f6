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
} irmf_audit_view;

/* The audit report as text or as one JSON document. */
int irmf_report_audit(const irmf_audit_view *v, FILE *out, bool json);

/* One change as a JSON object (every field present, absent = null). */
json_t *irmf_change_json(const irmf_change *c);

/* Write a JSON value, indented, with a final newline (NULL: the value
 * could not be built; an error either way). */
int irmf_report_json_dump(json_t *root, FILE *out);

/* The comparison's JSON report as a value to embed (report_json.c). */
json_t *irmf_report_json_value(const irmf_result *r);

#endif
