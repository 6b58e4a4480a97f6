/*
 * store.h - the SQLite history of every snapshot, and drift over time.
 *
 * One database file holds every audit ("run"): which servers were seen,
 * whether their collection succeeded, and each server's settings (the
 * flattening of compare/core/settings.h) stored as intervals "key had value V
 * from run A until run B".  Identical snapshot content is stored once
 * (canonical SHA-256), so the file grows with changes, not with audits.
 *
 * Concurrency: WAL mode, a busy timeout and BEGIN IMMEDIATE for writers,
 * so two audits on one database serialize (the second waits) instead of
 * failing.  A run is recorded in one transaction: killed mid-way, it
 * leaves nothing behind.  Schema upgrades are forward migrations run in a
 * transaction; a database written by a newer irmfleet is refused.
 *
 * Times are ISO 8601 UTC strings ("2026-11-25T14:36:10Z").
 */
#ifndef IRMFLEET_STORE_H
#define IRMFLEET_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "irmfleet/compare.h"
#include "irmfleet/snapshot.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Schema version this library writes (PRAGMA user_version). */
#define IRMF_STORE_SCHEMA_VERSION 2

typedef struct irmf_store irmf_store;

typedef struct irmf_store_options {
	bool create;           /* create the file if it does not exist */
	int busy_timeout_ms;   /* wait for a writer this long; 0 = 120000 */
	bool read_only;        /* only query: the file is never written (no
	                        * creation, WAL switch or migration) */
} irmf_store_options;

/* Open (and migrate) the database at path.  Refuses a file that is not an
 * irmfleet history or whose schema is newer than this library's
 * (IRMF_EUNSUPPORTED), before changing anything in it.  Read-only, a
 * database with no history yet is IRMF_ENOTFOUND and one of an older
 * schema IRMF_EUNSUPPORTED. */
int irmf_store_open(irmf_store **out, const char *path,
    const irmf_store_options *opts);
void irmf_store_close(irmf_store *st);

/* Default database path: $XDG_STATE_HOME/irmfleet/history.db, else
 * $HOME/.local/state/irmfleet/history.db, else ./irmfleet-history.db.
 * malloc'd; the directory is not created. */
char *irmf_store_default_path(void);

/* What happened, for drift (one run against the previous state) and for
 * history (the timeline). */
typedef enum irmf_change_kind {
	IRMF_CHANGE_ADDED = 0,      /* setting appeared on the server */
	IRMF_CHANGE_REMOVED,        /* setting disappeared */
	IRMF_CHANGE_CHANGED,        /* old_value -> new_value */
	IRMF_CHANGE_NEW_SERVER,     /* first time this server is recorded */
	IRMF_CHANGE_FAILED,         /* collection of the host failed */
	IRMF_CHANGE_NOT_COLLECTED,  /* an item could not be collected */
	IRMF_CHANGE_ABSENT,         /* in the previous run, not in this one */
	IRMF_CHANGE_STALE           /* not collected for too long */
} irmf_change_kind;

typedef struct irmf_change {
	irmf_change_kind kind;
	char *server;
	char *setting;     /* key (settings.h), error item, or NULL */
	char *old_value;   /* display values; NULL when not applicable */
	char *new_value;
	char *old_since;   /* when old_value was first seen */
	char *at;          /* when the change was observed (run time) */
	char *message;     /* failure text, or NULL */
	int64_t run_id;
} irmf_change;

typedef struct irmf_changes {
	irmf_change *items;
	size_t n, cap;
} irmf_changes;

void irmf_changes_clear(irmf_changes *c);
const char *irmf_change_kind_name(irmf_change_kind k);   /* "changed" */
/* Whether the kind means "not checked" (failed, not collected, absent,
 * stale) rather than a change of configuration. */
bool irmf_change_is_unchecked(irmf_change_kind k);

/* A host that could not be collected at all (no snapshot). */
typedef struct irmf_host_failure {
	const char *server;
	const char *message;
} irmf_host_failure;

typedef struct irmf_run_summary {
	int64_t run_id;
	int64_t prev_run_id;         /* 0 if this is the first run */
	char at[32];
	char prev_at[32];            /* "" if first run */
	size_t hosts_ok, hosts_failed;
	size_t snapshots_new;        /* contents stored for the first time */
} irmf_run_summary;

/* Record one audit in one transaction and compute the drift of every
 * server against its previous state.  A snapshot with a "host" collection
 * error, and every entry of failed, is recorded as failed.  Server names
 * must be unique within a run.  at = NULL means now.  drift is cleared
 * first and filled in server order. */
int irmf_store_record_run(irmf_store *st, irmf_snapshot *const *snaps,
    size_t nsnaps, const irmf_host_failure *failed, size_t nfailed,
    const char *at, irmf_run_summary *summary, irmf_changes *drift);

/* Servers whose last successful collection is older than now - max_age
 * (now = NULL: current time); kind STALE, old_since = last collection. */
int irmf_store_stale(irmf_store *st, const char *now, int64_t max_age,
    irmf_changes *out);

typedef struct irmf_history_query {
	const char *server;    /* NULL = all */
	const char *setting;   /* NULL = all */
	const char *since;     /* NULL = everything */
	size_t limit;          /* 0 = no limit */
} irmf_history_query;

/* The timeline of changes, newest first.  A server or setting the
 * history does not know is IRMF_ENOTFOUND (a typo must not read as "no
 * changes"). */
int irmf_store_history(irmf_store *st, const irmf_history_query *q,
    irmf_changes *out);

/* A server's current value of one setting, since when, and how it
 * compares with the other servers' current values. */
typedef struct irmf_current {
	char *value;            /* NULL: the server has no such setting */
	char *since;            /* when value was first seen (or removed) */
	char *majority_value;   /* most common current value, all servers */
	size_t majority_count;  /* servers holding it */
	size_t others;          /* other servers holding the setting */
	bool differs;           /* value differs from a strict majority */
	char *differs_since;    /* see docs/history.md */
} irmf_current;

int irmf_store_current(irmf_store *st, const char *server,
    const char *setting, irmf_current *out);
void irmf_current_clear(irmf_current *c);

typedef struct irmf_prune_stats {
	size_t runs, sightings, intervals, snapshots;
} irmf_prune_stats;

/* Remove history that ended before `before`, never a server's latest
 * state.  dry_run: count the same, then roll back (as forget does). */
int irmf_store_prune(irmf_store *st, const char *before, bool dry_run,
    irmf_prune_stats *stats);

/* What forgetting one server removes (or, in a dry run, would remove). */
typedef struct irmf_forget_stats {
	char name[256];     /* the server's name as recorded */
	size_t runs;        /* audits that saw it: their host counts drop */
	size_t sightings;
	size_t intervals;   /* setting intervals */
	size_t snapshots;   /* its snapshot contents, with their errors */
} irmf_forget_stats;

/* What no server uses any more after forgetting them all, removed too. */
typedef struct irmf_forget_shared {
	size_t runs;        /* audits left with no host at all */
	size_t keys, values;   /* setting keys and values */
} irmf_forget_shared;

/* Remove every row of the named servers (decommissioned, renamed,
 * recorded by mistake) in one BEGIN IMMEDIATE transaction, so that they
 * are no longer reported as absent or stale; a later audit that sees one
 * again records it as a new server.  Names match case-insensitively; a
 * name given twice counts once.  An unknown name is IRMF_ENOTFOUND and
 * nothing is removed.  out has n entries, in the order of servers;
 * shared may be NULL.  dry_run: count the same, then roll back. */
int irmf_store_forget(irmf_store *st, const char *const *servers, size_t n,
    bool dry_run, irmf_forget_stats *out, irmf_forget_shared *shared);

/* PRAGMA integrity_check, foreign_key_check and the store's own
 * invariants; every problem goes to report.  *nproblems = count. */
int irmf_store_check(irmf_store *st, irmf_report_fn report, void *payload,
    size_t *nproblems);

/* ---- rendering (compare/report/report_history.c) ---- */

/* One change as text: "SERVER KIND SETTING: message" (the time first
 * when with_time), then "was:"/"now:" lines for old and new values.
 * Names and values come from the servers: escaped (irmfleet/textesc.h). */
void irmf_change_print(FILE *out, const irmf_change *c, bool with_time);

/* The answer of `irmfleet history`: cur (may be NULL; with q->server and
 * q->setting) then the changes h, as text or as one JSON document
 * (format "irmfleet-history", docs/json-output.md).  HTML is not
 * supported. */
int irmf_history_report(FILE *out, irmf_report_format format,
    const irmf_history_query *q, const irmf_current *cur,
    const irmf_changes *h);

/* ---- time helpers ---- */

/* "2026-11-25T14:36:10Z" (also without Z, with fractional seconds, with
 * +hh:mm offset, or a date "2026-11-25"), or a relative age "7d", "24h",
 * "30m", "90s", "2w" meaning now minus that. */
int irmf_time_parse(const char *s, time_t now, time_t *out);
/* "7d", "24h", "30m", "90s", "2w", or a bare number of seconds. */
int irmf_duration_parse(const char *s, int64_t *out);
/* ISO 8601 UTC with Z; buf of at least 21 bytes. */
void irmf_time_format(time_t t, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
