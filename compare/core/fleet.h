/*
 * fleet.h - the snapshots compared together, each with its cohort and
 * its flattened settings.
 *
 * A fleet is loaded from snapshot files and directories (every *.xml in a
 * directory, sorted by name, so that a report does not depend on readdir
 * order).  Two snapshots of one server in a fleet are an input error: the
 * comparison would count that server twice.
 */
#ifndef IRMF_FLEET_H
#define IRMF_FLEET_H

#include <stdbool.h>
#include <stddef.h>

#include "settings.h"
#include "snapshot_int.h"

typedef struct irmf_member {
	irmf_snapshot *snap;
	char *path;               /* file it was loaded from, or NULL */
	const char *cohort;       /* static, set by irmf_fleet_prepare */
	irmf_settings settings;   /* filled by irmf_fleet_prepare */
	bool prepared;            /* cohort and settings already set */
	bool borrowed;            /* snap belongs to the caller: not freed */
} irmf_member;

typedef struct irmf_fleet {
	irmf_member *members;
	size_t n, cap;
	struct irmf_strpool *pool;   /* settings strings of loaded members */
} irmf_fleet;

/* Append snap (loaded from path, may be NULL).  Takes ownership of snap
 * in every case: on failure it is freed. */
int irmf_fleet_add(irmf_fleet *f, irmf_snapshot *snap, const char *path);

/* Append a snapshot the caller keeps owning (it must outlive f). */
int irmf_fleet_add_borrowed(irmf_fleet *f, const irmf_snapshot *snap,
    const char *path);

/* Expand path into snapshot files: a file is itself; a directory gives
 * its *.xml regular files (or links to them) sorted by name (not
 * recursive); other entries (FIFOs, devices, dangling links) are skipped,
 * each with a line appended to warnings (may be NULL).  Errors name the
 * path: IRMF_ENOTFOUND (no such path, or a directory without usable
 * *.xml files). */
int irmf_fleet_expand_path(const char *path, irmf_strlist *files,
    irmf_strlist *warnings);

/* Load files[0..n) into f, each member prepared (cohort, settings) by
 * the thread that loaded it.  threads > 1 loads in parallel (results are
 * appended in files order either way).  The first failing file's error
 * is returned, its message naming the file. */
int irmf_fleet_load(irmf_fleet *f, char *const *files, size_t n,
    unsigned threads);

/* Called by irmf_fleet_load_each for every file, in files order, on the
 * calling thread: with the member it became, or with NULL and the
 * message of its failure. */
typedef void (*irmf_fleet_load_fn)(size_t i, const irmf_member *m,
    const char *failure, void *payload);

/* As irmf_fleet_load, but with each != NULL every file is loaded even
 * after a failure (a command that reports every bad input), and each is
 * called per file.  Returns the first failure. */
int irmf_fleet_load_each(irmf_fleet *f, char *const *files, size_t n,
    unsigned threads, irmf_fleet_load_fn each, void *payload);

/* Fail with IRMF_EUSAGE naming both files if two members have the same
 * server name (case-insensitive). */
int irmf_fleet_check_unique(const irmf_fleet *f);

/* A warning for each member whose file is named after another server
 * (irmf_compare_name_mismatch). */
int irmf_fleet_check_names(const irmf_fleet *f, irmf_strlist *warnings);

/* Cohort and settings of every member not prepared yet. */
int irmf_fleet_prepare(irmf_fleet *f);

void irmf_fleet_clear(irmf_fleet *f);

#endif
