/*
 * compare.h - compare a fleet of snapshots: find the servers that differ
 * from their peers (consensus per cohort) and the ones that break the
 * connector documentation's rules, explain every finding and report it as
 * text or JSON.
 *
 * Typical use (this is what `irmfleet compare` does):
 *
 *     irmf_compare *c = NULL;
 *     irmf_compare_new(&c);
 *     irmf_compare_add_path(c, "fleet/");          // files or directories
 *     irmf_compare_set_suppress_file(c, "known.supp");
 *     irmf_compare_run(c);                          // load + analyse
 *     irmf_compare_report(c, stdout, IRMF_FORMAT_TEXT, IRMF_REPORT_COLOR);
 *     irmf_compare_counts(c, &counts);
 *     irmf_compare_free(c);
 *
 * Every function returns 0 or a negative irmf_error_code with the detail
 * in irmf_error_last().  Input problems (a snapshot that does not parse or
 * validate, two snapshots of the same server, a malformed suppression
 * file, an empty directory) are IRMF_EPARSE, IRMF_ESCHEMA, IRMF_EUSAGE or
 * IRMF_ENOTFOUND, and their messages name the file (and line).
 */
#ifndef IRMFLEET_COMPARE_H
#define IRMFLEET_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "irmfleet/snapshot.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct irmf_compare irmf_compare;

typedef enum irmf_report_format {
	IRMF_FORMAT_TEXT = 0,
	IRMF_FORMAT_JSON,
	IRMF_FORMAT_HTML,
	IRMF_FORMAT_JUNIT,       /* one testcase per server and check */
	IRMF_FORMAT_PROMETHEUS,  /* node_exporter textfile collector */
	IRMF_FORMAT_NAGIOS       /* monitoring-plugin status line, perfdata */
} irmf_report_format;

/* Report flags. */
enum {
	IRMF_REPORT_COLOR = 1 << 0,  /* ANSI colours (text format only) */
	IRMF_REPORT_BRIEF = 1 << 1   /* text: one line per server that needs
	                              * action (docs/reports.md) */
};

/* Monitoring-plugin states (the Nagios plugin API), as --format nagios
 * states them and `irmfleet compare` exits with in that mode. */
enum {
	IRMF_NAGIOS_OK = 0,
	IRMF_NAGIOS_WARNING = 1,
	IRMF_NAGIOS_CRITICAL = 2,
	IRMF_NAGIOS_UNKNOWN = 3
};

typedef struct irmf_compare_counts {
	size_t servers;
	size_t cohorts;
	size_t findings;            /* unsuppressed, all kinds */
	size_t errors;              /* unsuppressed, by severity */
	size_t warnings;
	size_t infos;
	size_t not_collected;       /* unsuppressed not-collected findings */
	size_t suppressed;
	size_t not_checked_servers; /* servers with any collection error */
} irmf_compare_counts;

int irmf_compare_new(irmf_compare **out);
void irmf_compare_free(irmf_compare *c);

/* Add a snapshot file, or a directory whose *.xml files (sorted by name)
 * are snapshots.  Paths are only recorded here; irmf_compare_run loads. */
int irmf_compare_add_path(irmf_compare *c, const char *path);

/* The snapshot files path stands for, as irmf_compare_add_path reads it:
 * a file is itself; a directory gives its *.xml regular files (or links
 * to them) sorted by name.  Directory entries that are not regular files
 * (a FIFO would hang the read, a link to /dev/zero read forever) are
 * skipped, each passed to warn (may be NULL) as a line naming it and why.
 * On success *files is a malloc'd array of *n malloc'd paths, freed with
 * irmf_compare_paths_free. */
int irmf_compare_expand_path(const char *path, irmf_report_fn warn,
    void *payload, char ***files, size_t *n);
void irmf_compare_paths_free(char **files, size_t n);

/* Whether a snapshot file is named after another server than the one in
 * it ("EX33.xml" holding EX03: a copied or renamed file, which would be
 * compared and recorded under the wrong name).  Names compare without
 * case; a file not named *.xml is not checked.  When they differ, msg
 * gets a warning line naming the file and both servers. */
bool irmf_compare_name_mismatch(const irmf_snapshot *snap, const char *path,
    char *msg, size_t msglen);

/* Add a snapshot already in memory (`path` names it in messages, may be
 * NULL).  The snapshot is borrowed: it must outlive c, which never frees
 * it.  Lets a caller that has loaded and validated the fleet (audit)
 * compare it without reading the files again. */
int irmf_compare_add_snapshot(irmf_compare *c, const irmf_snapshot *snap,
    const char *path);

/* Read suppressions from path (format: docs/suppressions.md) at run. */
int irmf_compare_set_suppress_file(irmf_compare *c, const char *path);

/* Load every snapshot, analyse, apply suppressions.  Call once. */
int irmf_compare_run(irmf_compare *c);

/* Write the report of a run. */
int irmf_compare_report(const irmf_compare *c, FILE *out,
    irmf_report_format format, unsigned flags);

/* Write the report to path atomically (temporary file, fsync, rename); on
 * failure path is left as it was. */
int irmf_compare_report_file(const irmf_compare *c, const char *path,
    irmf_report_format format, unsigned flags);

int irmf_compare_counts_get(const irmf_compare *c, irmf_compare_counts *out);

/* Warnings of a run that are not findings (one line each, e.g.
 * "known.supp:4: suppression matches no finding"); *out is borrowed. */
size_t irmf_compare_warnings(const irmf_compare *c, char *const **out);

/* "text", "json", "html", "junit", "prometheus", "nagios" -> format. */
int irmf_report_format_parse(const char *name, irmf_report_format *out);

/* The monitoring-plugin state of a run's counts: CRITICAL with any error
 * finding, WARNING with any warning (a server not checked is one), else
 * OK.  UNKNOWN is the caller's for a run that failed. */
int irmf_compare_nagios_state(const irmf_compare_counts *c);

#ifdef __cplusplus
}
#endif
#endif
