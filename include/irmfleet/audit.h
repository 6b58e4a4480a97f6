/*
 * irmfleet/audit.h - the periodic drift audit (`irmfleet audit`) as a
 * library call: load every snapshot of the fleet (and so validate it),
 * compare the fleet as it is now, record the run in the history
 * (irmfleet/store.h) in one transaction, and find the drift of every
 * server against its previous state plus the servers not collected for
 * longer than a limit.
 *
 *     irmf_audit_options o;
 *     irmf_audit *a;
 *     irmf_audit_options_init(&o);
 *     o.at = "2026-03-02T00:00:00Z";
 *     irmf_audit_new(&a, &o);
 *     irmf_audit_add_path(a, "fleet/");           // files or directories
 *     irmf_audit_compare(a);                       // nothing written yet
 *     irmf_audit_record(a, store);                 // the run, the drift
 *     irmf_audit_report(a, stdout, IRMF_FORMAT_TEXT);
 *     result = irmf_audit_result_of(a);
 *     irmf_audit_free(a);
 *
 * Nothing is written unless every input loaded and the comparison
 * accepted the fleet: the caller opens the store only after
 * irmf_audit_compare succeeded.  Inputs are read as `irmfleet compare`
 * reads them (irmf_compare_expand_path: a directory gives its *.xml
 * files, any case of the suffix).
 */
#ifndef IRMFLEET_AUDIT_H
#define IRMFLEET_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "irmfleet/compare.h"
#include "irmfleet/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct irmf_audit irmf_audit;

/* What a message of the audit is about (irmf_audit_note_fn). */
typedef enum irmf_audit_note {
	IRMF_AUDIT_WARNING,   /* a skipped directory entry, a renamed file */
	IRMF_AUDIT_INVALID    /* a snapshot that did not load */
} irmf_audit_note;

/* Called for every warning and invalid input, in input order, with the
 * message (naming the file). */
typedef void (*irmf_audit_note_fn)(irmf_audit_note kind, const char *line,
    void *payload);

typedef struct irmf_audit_options {
	const char *suppress;     /* accepted differences, or NULL */
	const char *at;           /* run time (ISO 8601), NULL = now */
	int64_t stale_seconds;    /* stale: not collected for longer */
	const char *stale_label;  /* the limit as the user wrote it ("7d") */
	const char *db_label;     /* the database as the user named it, or
	                           * NULL for the default (reports only) */
	bool timelines;           /* query each changed server's timeline
	                           * when recording (the HTML report shows
	                           * it; costs queries per changed server) */
	irmf_audit_note_fn note;  /* may be NULL */
	void *note_payload;
} irmf_audit_options;

/* The outcome of an audit, the most urgent first; the values are the
 * exit statuses of `irmfleet audit` (README). */
typedef enum irmf_audit_result {
	IRMF_AUDIT_CLEAN = 0,        /* no findings, no drift */
	IRMF_AUDIT_FINDINGS = 1,     /* findings of the comparison only */
	IRMF_AUDIT_NOT_CHECKED = 3,  /* hosts failed, not checked or stale */
	IRMF_AUDIT_DRIFT = 4         /* drift since the previous audit */
} irmf_audit_result;

/* Defaults: stale after 7 days ("7d"), now, no suppressions. */
void irmf_audit_options_init(irmf_audit_options *o);

/* The options are copied (the strings are borrowed: they must outlive
 * the audit). */
int irmf_audit_new(irmf_audit **out, const irmf_audit_options *o);
void irmf_audit_free(irmf_audit *a);

/* A snapshot file or a directory of them, expanded now (its warnings go
 * to the note callback).  IRMF_ENOTFOUND names a missing path. */
int irmf_audit_add_path(irmf_audit *a, const char *path);

/* A host that has no snapshot at all (an inventory host whose collection
 * failed): recorded as failed with message. */
int irmf_audit_add_failure(irmf_audit *a, const char *server,
    const char *message);

/* Load every snapshot (in parallel), then compare the fleet.  Every
 * invalid snapshot is reported to the note callback before this fails
 * with the first one's error (irmf_audit_invalid says how many). */
int irmf_audit_compare(irmf_audit *a);

/* How many inputs did not load, of how many (after irmf_audit_compare). */
size_t irmf_audit_invalid(const irmf_audit *a);
size_t irmf_audit_inputs(const irmf_audit *a);

/* Record the run in st and find the drift and the stale servers. */
int irmf_audit_record(irmf_audit *a, irmf_store *st);

/* After irmf_audit_record: */
const irmf_run_summary *irmf_audit_summary(const irmf_audit *a);
const irmf_changes *irmf_audit_drift(const irmf_audit *a);
const irmf_changes *irmf_audit_stale(const irmf_audit *a);
/* The counts of the comparison (all zero when nothing was compared:
 * every host of an inventory failed). */
void irmf_audit_counts(const irmf_audit *a, irmf_compare_counts *out);
/* Changes that are drift, and those that say a server was not checked
 * (failed, not collected, absent, stale). */
size_t irmf_audit_changes(const irmf_audit *a);
size_t irmf_audit_not_checked(const irmf_audit *a);
irmf_audit_result irmf_audit_result_of(const irmf_audit *a);

/* The audit report (docs/reports.md): the run, the drift and the stale
 * servers, then the comparison's report (text; --brief: one line per
 * server that needs action), or one JSON document (format
 * "irmfleet-audit", docs/json-output.md); html is the comparison's page
 * with the drift and each changed server's timeline (with the option
 * timelines; else the changed servers only); junit, prometheus
 * and nagios add the drift and the stale servers to the comparison's.
 * flags: IRMF_REPORT_* (compare.h). */
int irmf_audit_write(const irmf_audit *a, FILE *out,
    irmf_report_format format, unsigned flags);
/* The same, written to path atomically (temporary file, fsync, rename). */
int irmf_audit_write_file(const irmf_audit *a, const char *path,
    irmf_report_format format, unsigned flags);
/* irmf_audit_write without flags. */
int irmf_audit_report(const irmf_audit *a, FILE *out,
    irmf_report_format format);
/* The monitoring-plugin state (IRMF_NAGIOS_*): CRITICAL with an error
 * finding; WARNING with drift since the previous audit, a stale or
 * unchecked server, or a warning finding; else OK (UNKNOWN before
 * irmf_audit_record). */
int irmf_audit_nagios_state(const irmf_audit *a);

#ifdef __cplusplus
}
#endif
#endif
