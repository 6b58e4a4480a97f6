/*
 * store_db.h - what the files of the history store share, and only they
 * (compare/store/ is the one folder that talks to sqlite3; the tests'
 * view is store_int.h).  The store is split along what it does:
 *
 *   open.c       schema and migrations, header checks, open/close
 *   db.c         statement helpers, errors, the write transaction
 *   idmap.c      string -> id cache for interning keys and values
 *   changes.c    change lists (drift, timeline, stale)
 *   canon.c      what is recorded of a snapshot and its canonical hash
 *   record.c     recording a run
 *   intervals.c  a server's settings over time, diffed per run
 *   query.c      stale servers, history, "since when"
 *   prune.c      prune and forget
 *   check.c      db check
 *
 * The names with two underscores (irmf__) are internal to the store.
 */
#ifndef IRMF_STORE_DB_H
#define IRMF_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "snapshot_int.h"
#include "store_int.h"

/* ------------------------------------------------------- idmap.c */

typedef struct idmap_entry {
	char *k;
	int64_t v;
} idmap_entry;

typedef struct idmap {
	idmap_entry *e;
	size_t n, cap;   /* cap is 0 or a power of two */
} idmap;

void irmf__idmap_clear(idmap *m);
/* The id of k, or 0 when it is not cached. */
int64_t irmf__idmap_get(const idmap *m, const char *k);
int irmf__idmap_put(idmap *m, const char *k, int64_t v);

/* ------------------------------------------------ the handle, db.c */

#define MAX_STMTS 64

struct irmf_store {
	sqlite3 *db;
	char *path;
	struct {
		const char *sql;
		sqlite3_stmt *s;
	} stmts[MAX_STMTS];
	size_t nstmts;
	idmap keys, values;   /* valid inside one write transaction only */
};

/* The one place sqlite3 errors become irmfleet errors (IRMF_EDB naming
 * the database, or IRMF_ENOMEM). */
int irmf__db_fail(irmf_store *st, const char *what);

/* A cached prepared statement for a static SQL string (its address is
 * the cache key), reset and with bindings cleared. */
int irmf__q_prep(irmf_store *st, const char *sql, sqlite3_stmt **out);
/* Prepare and bind by format: 'i' int64_t, 'I' int64_t with 0 binding
 * NULL, 't' const char * (NULL binds NULL). */
int irmf__q_open(irmf_store *st, const char *sql, sqlite3_stmt **out,
    const char *fmt, ...);
/* 1 = row, 0 = done (statement reset), <0 = error (statement reset). */
int irmf__q_step(irmf_store *st, sqlite3_stmt *s);
/* Run a statement that returns no rows. */
int irmf__q_run(irmf_store *st, const char *sql, const char *fmt, ...);
/* First column of the first row as int64; *found (may be NULL) = whether
 * a row came (a NULL value gives 0). */
int irmf__q_int(irmf_store *st, int64_t *out, bool *found, const char *sql,
    const char *fmt, ...);
/* Column i as a copy (NULL for NULL or out of memory) / as is. */
char *irmf__col_dup(sqlite3_stmt *s, int i);
const char *irmf__col_text(sqlite3_stmt *s, int i);

int irmf__exec_sql(irmf_store *st, const char *sql, const char *what);
/* BEGIN IMMEDIATE: writers queue on the busy timeout, never fail. */
int irmf__begin_write(irmf_store *st);
int irmf__commit(irmf_store *st);
/* Roll back after a failure, keeping the failure's message; the interned
 * ids of the transaction are forgotten. */
void irmf__rollback(irmf_store *st);

/* ---------------------------------------------------- changes.c */

/* Append a change; the strings are copied. */
int irmf__changes_add(irmf_changes *c, irmf_change_kind kind, int64_t run,
    const char *server, const char *setting, const char *old_value,
    const char *new_value, const char *old_since, const char *at,
    const char *message);
void irmf__change_free(irmf_change *c);
/* qsort orders: drift (server, then setting) and history (newest run
 * first, then as drift). */
int irmf__cmp_drift(const void *pa, const void *pb);
int irmf__cmp_history(const void *pa, const void *pb);

/* ------------------------------------------------------ canon.c */

typedef struct kv {
	const char *a, *b;
} kv;

/* The identity part of the canonical form. */
typedef struct ident {
	const char *fqdn, *product, *build, *os, *cohort;
	unsigned roles, sections;
} ident;

/* SHA-256 (lowercase hex) of the length-prefixed serialization of id,
 * errs (item, reason) and sets (key, value); errs and sets are sorted in
 * place. */
int irmf__canon_hash(const ident *id, kv *errs, size_t nerr, kv *sets,
    size_t nset, char hex[65]);
/* Bit i set: section i (reg, irm, irm-test, file, identity) present. */
unsigned irmf__sections_of(const irmf_snapshot *snap);
/* Whether key could not have been collected: its section is absent from
 * sections or a collection error of errsnap covers it. */
bool irmf__uncollected(const char *key, unsigned sections,
    const irmf_snapshot *errsnap);
/* The canonical hash of snap with its recorded settings set. */
int irmf__hash_snapshot(const irmf_snapshot *snap, const irmf_settings *set,
    char hex[65]);

/* ------------------------------------------- record.c, intervals.c */

/* One input of a run, prepared before the write transaction starts so
 * that the database lock is held only for the writes. */
typedef struct entry {
	const irmf_snapshot *snap;   /* NULL for a listed failure */
	const char *server;
	const char *error;           /* set when the host failed */
	irmf_settings set;
	char hash[65];
	char collected[32];          /* normalized collected_at or "" */
} entry;

typedef struct run_ctx {
	int64_t run, prev_run;
	const char *at;
	irmf_changes *drift;
} run_ctx;

/* Diff the server's current intervals against e's settings, write the
 * changes and report them in rx->drift (no "added" for a new server). */
int irmf__update_intervals(irmf_store *st, int64_t srv, const entry *e,
    bool is_new, const run_ctx *rx);

#endif
