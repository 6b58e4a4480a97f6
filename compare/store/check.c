/*
 * check.c - db check (irmf_store_check): SQLite's own integrity and
 * foreign key checks, then the store's invariants (finished runs, host
 * counts, sightings and intervals that do not overlap), then every
 * server's latest state rebuilt from the rows and compared with the
 * canonical hash recorded for it (canon.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "error.h"
#include "store_db.h"

typedef struct checker {
	irmf_store *st;
	irmf_report_fn report;
	void *payload;
	size_t n;
} checker;

static void problem(checker *c, const char *fmt, ...) IRMF_PRINTF(2, 3);

static void
problem(checker *c, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int len;

	len = snprintf(buf, sizeof(buf), "%s: ", c->st->path);
	va_start(ap, fmt);
	if (len > 0 && (size_t)len < sizeof(buf))
		vsnprintf(buf + len, sizeof(buf) - (size_t)len, fmt, ap);
	va_end(ap);
	c->n++;
	if (c->report)
		c->report(buf, c->payload);
}

/* Run a query whose every row is a problem described by its columns. */
static int
check_rows(checker *c, const char *sql, const char *what)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(c->st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return irmf__db_fail(c->st, what);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *a = irmf__col_text(s, 0), *b = irmf__col_text(s, 1);
		const char *d = irmf__col_text(s, 2);
		if (strcmp(what, "integrity_check") == 0 && a &&
		    strcmp(a, "ok") == 0)
			continue;
		problem(c, "%s: %s%s%s%s%s", what, a ? a : "", b ? " " : "",
		    b ? b : "", d ? " " : "", d ? d : "");
	}
	if (rc != SQLITE_DONE)
		rc = irmf__db_fail(c->st, what);
	else
		rc = IRMF_OK;
	sqlite3_finalize(s);
	return rc;
}

typedef struct pool {
	irmf_strlist s;
	kv *v;
	size_t n, cap;
} pool;

static int
pool_add(pool *p, const char *a, const char *b)
{
	if (p->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 64;
		kv *x = realloc(p->v, ncap * sizeof(*x));
		if (x == NULL)
			return irmf_error_oom();
		p->v = x;
		p->cap = ncap;
	}
	if (irmf_strlist_add(&p->s, a ? a : "") < 0)
		return IRMF_ENOMEM;
	p->v[p->n].a = p->s.items[p->s.n - 1];
	if (irmf_strlist_add(&p->s, b ? b : "") < 0)
		return IRMF_ENOMEM;
	p->v[p->n].b = p->s.items[p->s.n - 1];
	p->n++;
	return IRMF_OK;
}

static void
pool_clear(pool *p)
{
	irmf_strlist_clear(&p->s);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* Rebuild the server's latest state from the stored rows and compare its
 * canonical hash with the hash recorded for that content. */
static int
check_server(checker *c, sqlite3_stmt *row)
{
	static const char q_errs[] = "SELECT item, reason, message FROM "
	    "snapshot_errors WHERE snapshot_id = ?";
	static const char q_sets[] = "SELECT k.key, v.value FROM intervals i "
	    "JOIN setting_keys k ON k.id = i.key_id JOIN setting_values v ON "
	    "v.id = i.value_id WHERE i.server_id = ? AND i.to_run IS NULL";
	const char *name = irmf__col_text(row, 1);
	const char *hash = irmf__col_text(row, 3);
	ident id = { irmf__col_text(row, 4), irmf__col_text(row, 6),
	    irmf__col_text(row, 7), irmf__col_text(row, 8),
	    irmf__col_text(row, 9),
	    (unsigned)sqlite3_column_int64(row, 5),
	    (unsigned)sqlite3_column_int64(row, 10) };
	irmf_snapshot *errsnap = NULL;
	pool errs = { 0 }, sets = { 0 };
	sqlite3_stmt *s;
	char hex[65];
	int rc;

	if ((rc = irmf_snapshot_new(&errsnap, name)) < 0 ||
	    (rc = irmf__q_open(c->st, q_errs, &s, "i",
	    sqlite3_column_int64(row, 2))) < 0)
		goto out;
	while ((rc = irmf__q_step(c->st, s)) == 1) {
		irmf_collect_reason r = IRMF_REASON_COMMAND_FAILED;
		if (irmf_collect_reason_parse(irmf__col_text(s, 1), &r) < 0)
			irmf_error_clear();
		if ((rc = pool_add(&errs, irmf__col_text(s, 0),
		    irmf__col_text(s, 1))) < 0 ||
		    (rc = irmf_snapshot_add_error(errsnap, irmf__col_text(s, 0),
		    r, irmf__col_text(s, 2))) < 0) {
			sqlite3_reset(s);
			goto out;
		}
	}
	if (rc < 0 || (rc = irmf__q_open(c->st, q_sets, &s, "i",
	    sqlite3_column_int64(row, 0))) < 0)
		goto out;
	while ((rc = irmf__q_step(c->st, s)) == 1)
		if (!irmf__uncollected(irmf__col_text(s, 0), id.sections,
		    errsnap) && (rc = pool_add(&sets, irmf__col_text(s, 0),
		    irmf__col_text(s, 1))) < 0) {
			sqlite3_reset(s);
			goto out;
		}
	if (rc < 0 || (rc = irmf__canon_hash(&id, errs.v, errs.n, sets.v,
	    sets.n, hex)) < 0)
		goto out;
	if ((int64_t)sets.n != sqlite3_column_int64(row, 11) ||
	    hash == NULL || strcmp(hex, hash) != 0)
		problem(c, "server '%s': latest state does not reconstruct "
		    "(%zu settings stored, %lld recorded; hash %.12s, recorded "
		    "%.12s)", name, sets.n,
		    (long long)sqlite3_column_int64(row, 11), hex,
		    hash ? hash : "-");
out:
	irmf_snapshot_free(errsnap);
	pool_clear(&errs);
	pool_clear(&sets);
	return rc;
}

static const char *const consistency_checks[][2] = {
	{ "SELECT 'run', id, 'was never finished (half-recorded)' FROM runs "
	  "WHERE finished_at IS NULL", "runs" },
	{ "SELECT 'run', r.id, 'records ' || (r.hosts_ok + r.hosts_failed) || "
	  "' hosts but has ' || count(g.id) || ' sightings' FROM runs r "
	  "LEFT JOIN sightings g ON g.first_run <= r.id AND g.last_run >= r.id "
	  "WHERE r.started_at >= coalesce((SELECT value FROM meta WHERE "
	  "key = 'pruned_before'), '') GROUP BY r.id "
	  "HAVING count(g.id) != r.hosts_ok + r.hosts_failed OR "
	  "sum(g.status = 'failed') IS NOT r.hosts_failed AND "
	  "count(g.id) > 0", "runs" },
	{ "SELECT 'sighting', id, 'ends before it starts' FROM sightings "
	  "WHERE last_run < first_run", "sightings" },
	{ "SELECT 'sightings', a.id || ',' || b.id, 'overlap for one server' "
	  "FROM sightings a JOIN sightings b ON a.server_id = b.server_id AND "
	  "a.id < b.id AND a.first_run <= b.last_run AND "
	  "b.first_run <= a.last_run", "sightings" },
	{ "SELECT 'interval', server_id || '/' || key_id || '/' || from_run, "
	  "'ends before it starts' FROM intervals WHERE to_run IS NOT NULL "
	  "AND to_run <= from_run", "intervals" },
	{ "SELECT 'interval', i.server_id || '/' || i.key_id || '/' || "
	  "i.from_run, 'overlaps the next interval' FROM intervals i JOIN "
	  "intervals j ON j.server_id = i.server_id AND j.key_id = i.key_id "
	  "AND j.from_run > i.from_run WHERE i.to_run IS NULL OR "
	  "i.to_run > j.from_run", "intervals" },
	{ "SELECT 'interval', i.server_id || '/' || i.key_id || '/' || "
	  "i.from_run, 'refers to a missing run' FROM intervals i WHERE "
	  "NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = i.from_run) OR "
	  "(i.to_run IS NOT NULL AND NOT EXISTS (SELECT 1 FROM runs r "
	  "WHERE r.id = i.to_run))", "intervals" },
	{ "SELECT 'server', s.name, 'has settings but no successful "
	  "sighting' FROM servers s WHERE EXISTS (SELECT 1 FROM intervals i "
	  "WHERE i.server_id = s.id) AND NOT EXISTS (SELECT 1 FROM sightings "
	  "g WHERE g.server_id = s.id AND g.status = 'ok')", "servers" },
};

int
irmf_store_check(irmf_store *st, irmf_report_fn report, void *payload,
    size_t *nproblems)
{
	static const char q_latest[] = "SELECT s.id, s.name, sn.id, sn.hash, "
	    "sn.fqdn, sn.roles, sn.product, sn.build, sn.os, sn.cohort, "
	    "sn.sections, sn.nsettings FROM servers s JOIN snapshots sn ON "
	    "sn.id = (SELECT g.snapshot_id FROM sightings g WHERE g.server_id "
	    "= s.id AND g.status = 'ok' ORDER BY g.last_run DESC LIMIT 1) "
	    "ORDER BY s.name";
	checker c = { st, report, payload, 0 };
	sqlite3_stmt *s = NULL;
	int rc;

	*nproblems = 0;
	if ((rc = check_rows(&c, "PRAGMA integrity_check",
	    "integrity_check")) < 0 ||
	    (rc = check_rows(&c, "SELECT \"table\", rowid, \"parent\" FROM "
	    "pragma_foreign_key_check", "foreign_key_check")) < 0)
		goto out;
	if (c.n > 0)   /* the rows themselves cannot be trusted */
		goto out;
	for (size_t i = 0; i < sizeof(consistency_checks) /
	    sizeof(consistency_checks[0]); i++)
		if ((rc = check_rows(&c, consistency_checks[i][0],
		    consistency_checks[i][1])) < 0)
			goto out;
	if (sqlite3_prepare_v2(st->db, q_latest, -1, &s, NULL) != SQLITE_OK) {
		rc = irmf__db_fail(st, "checking");
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((rc = check_server(&c, s)) < 0)
			goto out;
	rc = rc == SQLITE_DONE ? IRMF_OK : irmf__db_fail(st, "checking");
out:
	sqlite3_finalize(s);
	*nproblems = c.n;
	return rc;
}
