/*
 * prune.c - removing history: prune (everything older than a time but a
 * server's latest state) and forget (every row of named servers).  Both
 * run in one write transaction with foreign keys checked once before
 * commit, and leave a database that db check (check.c) finds consistent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "error.h"
#include "store_db.h"

/* -------------------------------------------------------------- prune */

int
irmf_store_prune(irmf_store *st, const char *before, bool dry_run,
    irmf_prune_stats *stats)
{
	static const char q_iv[] = "DELETE FROM intervals WHERE to_run IN "
	    "(SELECT id FROM runs WHERE started_at < ?)";
	static const char q_sight[] = "DELETE FROM sightings WHERE last_run "
	    "IN (SELECT id FROM runs WHERE started_at < ?) AND id NOT IN "
	    "(SELECT x FROM (SELECT (SELECT g.id FROM sightings g WHERE "
	    "g.server_id = s.id ORDER BY g.last_run DESC LIMIT 1) AS x FROM "
	    "servers s UNION ALL SELECT (SELECT g.id FROM sightings g WHERE "
	    "g.server_id = s.id AND g.status = 'ok' ORDER BY g.last_run DESC "
	    "LIMIT 1) FROM servers s UNION ALL SELECT (SELECT g.id FROM "
	    "sightings g WHERE g.server_id = s.id AND g.status = 'ok' ORDER BY "
	    "g.first_run LIMIT 1) FROM servers s) WHERE x IS NOT NULL)";
	static const char q_errs[] = "DELETE FROM snapshot_errors WHERE "
	    "snapshot_id NOT IN (SELECT snapshot_id FROM sightings WHERE "
	    "snapshot_id IS NOT NULL)";
	static const char q_snaps[] = "DELETE FROM snapshots WHERE id NOT IN "
	    "(SELECT snapshot_id FROM sightings WHERE snapshot_id IS NOT NULL)";
	static const char q_runs[] = "DELETE FROM runs WHERE started_at < ? "
	    "AND id NOT IN (SELECT from_run FROM intervals UNION SELECT to_run "
	    "FROM intervals WHERE to_run IS NOT NULL UNION SELECT first_run "
	    "FROM sightings UNION SELECT last_run FROM sightings)";
	static const char q_vals[] = "DELETE FROM setting_values WHERE id NOT "
	    "IN (SELECT value_id FROM intervals)";
	static const char q_keys[] = "DELETE FROM setting_keys WHERE id NOT "
	    "IN (SELECT key_id FROM intervals)";
	static const char q_meta[] = "INSERT INTO meta (key, value) VALUES "
	    "('pruned_before', ?1) ON CONFLICT (key) DO UPDATE SET value = "
	    "max(value, ?1)";
	static const char q_fk[] = "SELECT count(*) FROM pragma_foreign_key_check";
	char cut[32];
	time_t t;
	int64_t bad;
	int rc;

	memset(stats, 0, sizeof(*stats));
	if ((rc = irmf_time_parse(before, time(NULL), &t)) < 0)
		return rc;
	irmf_time_format(t, cut, sizeof(cut));
	/* Checking each deleted run against the unindexed run columns of
	 * intervals would scan them per row; check once before commit. */
	if ((rc = irmf__exec_sql(st, "PRAGMA foreign_keys = OFF",
	    "pruning")) < 0)
		return rc;
	if ((rc = irmf__begin_write(st)) < 0)
		goto out;
	if ((rc = irmf__q_run(st, q_iv, "t", cut)) < 0)
		goto fail;
	stats->intervals = (size_t)sqlite3_changes(st->db);
	if ((rc = irmf__q_run(st, q_sight, "t", cut)) < 0)
		goto fail;
	stats->sightings = (size_t)sqlite3_changes(st->db);
	if ((rc = irmf__q_run(st, q_errs, "")) < 0 || (rc = irmf__q_run(st,
	    q_snaps, "")) < 0)
		goto fail;
	stats->snapshots = (size_t)sqlite3_changes(st->db);
	if ((rc = irmf__q_run(st, q_runs, "t", cut)) < 0)
		goto fail;
	stats->runs = (size_t)sqlite3_changes(st->db);
	if ((rc = irmf__q_run(st, q_vals, "")) < 0 || (rc = irmf__q_run(st,
	    q_keys, "")) < 0 || (rc = irmf__q_run(st, q_meta, "t", cut)) < 0 ||
	    (rc = irmf__q_int(st, &bad, NULL, q_fk, "")) < 0)
		goto fail;
	if (bad != 0) {
		rc = irmf_error_set(IRMF_EDB, "'%s': pruning would break %lld "
		    "references; nothing removed", st->path, (long long)bad);
		goto fail;
	}
	if (dry_run) {   /* the counts are those of a real prune */
		irmf__rollback(st);
		goto out;
	}
	if ((rc = irmf__commit(st)) < 0)
		goto fail;
	goto out;
fail:
	irmf__rollback(st);
	memset(stats, 0, sizeof(*stats));
out:
	if (irmf__exec_sql(st, "PRAGMA foreign_keys = ON", "pruning") < 0 &&
	    rc == 0)
		rc = IRMF_EDB;
	return rc;
}

/* ------------------------------------------------------------- forget */

/* The servers' ids, in argument order.  Unknown names fail the whole
 * call, naming them (the first few). */
static int
forget_ids(irmf_store *st, const char *const *servers, size_t n, int64_t *ids)
{
	char names[256] = "";
	size_t unknown = 0, len = 0;
	bool found;
	int rc;

	for (size_t i = 0; i < n; i++) {
		if (servers[i] == NULL || servers[i][0] == '\0')
			return irmf_error_set(IRMF_EUSAGE, "'%s': empty server "
			    "name", st->path);
		if ((rc = irmf__q_int(st, &ids[i], &found,
		    "SELECT id FROM servers "
		    "WHERE name = ?", "t", servers[i])) < 0)
			return rc;
		if (found)
			continue;
		if (len < sizeof(names)) {
			int w = snprintf(names + len, sizeof(names) - len,
			    "%s'%s'", unknown ? ", " : "", servers[i]);
			len = w < 0 ? sizeof(names) : len + (size_t)w;
		}
		unknown++;
	}
	if (unknown == 0)
		return IRMF_OK;
	return irmf_error_set(IRMF_ENOTFOUND, "'%s': server%s %s%s not in the "
	    "history; nothing forgotten", st->path, unknown == 1 ? "" : "s",
	    names, unknown == 1 ? " is" : " are");
}

/* Remove one server's rows.  The audits that saw it lose it from their
 * host counts, so that db check's "as many sightings as hosts" holds. */
static int
forget_one(irmf_store *st, int64_t srv, irmf_forget_stats *o)
{
	static const char q_runs[] = "UPDATE runs SET "
	    "hosts_ok = hosts_ok - (SELECT count(*) FROM sightings g WHERE "
	    "g.server_id = ?1 AND g.status = 'ok' AND runs.id BETWEEN "
	    "g.first_run AND g.last_run), "
	    "hosts_failed = hosts_failed - (SELECT count(*) FROM sightings g "
	    "WHERE g.server_id = ?1 AND g.status = 'failed' AND runs.id "
	    "BETWEEN g.first_run AND g.last_run) "
	    "WHERE EXISTS (SELECT 1 FROM sightings g WHERE g.server_id = ?1 "
	    "AND runs.id BETWEEN g.first_run AND g.last_run)";
	static const char q_iv[] = "DELETE FROM intervals WHERE server_id = ?";
	static const char q_sight[] = "DELETE FROM sightings WHERE "
	    "server_id = ?";
	static const char q_errs[] = "DELETE FROM snapshot_errors WHERE "
	    "snapshot_id IN (SELECT id FROM snapshots WHERE server_id = ?)";
	static const char q_snaps[] = "DELETE FROM snapshots WHERE "
	    "server_id = ?";
	static const char q_srv[] = "DELETE FROM servers WHERE id = ?";
	static const char q_name[] = "SELECT name FROM servers WHERE id = ?";
	sqlite3_stmt *s;
	int rc;

	/* the name as recorded (the command line may spell it otherwise) */
	if ((rc = irmf__q_prep(st, q_name, &s)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, srv);
	if ((rc = irmf__q_step(st, s)) == 1) {
		const unsigned char *t = sqlite3_column_text(s, 0);
		snprintf(o->name, sizeof(o->name), "%s", t ? (const char *)t :
		    "");
		sqlite3_reset(s);
	} else if (rc < 0)
		return rc;
	if ((rc = irmf__q_run(st, q_runs, "i", srv)) < 0)
		return rc;
	o->runs = (size_t)sqlite3_changes(st->db);
	if ((rc = irmf__q_run(st, q_iv, "i", srv)) < 0)
		return rc;
	o->intervals = (size_t)sqlite3_changes(st->db);
	if ((rc = irmf__q_run(st, q_sight, "i", srv)) < 0)
		return rc;
	o->sightings = (size_t)sqlite3_changes(st->db);
	if ((rc = irmf__q_run(st, q_errs, "i", srv)) < 0 ||
	    (rc = irmf__q_run(st, q_snaps, "i", srv)) < 0)
		return rc;
	o->snapshots = (size_t)sqlite3_changes(st->db);
	return irmf__q_run(st, q_srv, "i", srv);
}

/* Audits, setting keys and values that nothing refers to any more.  An
 * audit is removed only once no server is counted in it (it saw only
 * forgotten servers). */
static int
forget_shared(irmf_store *st, irmf_forget_shared *sh)
{
	static const char q_runs[] = "DELETE FROM runs WHERE "
	    "hosts_ok + hosts_failed = 0 AND id NOT IN (SELECT from_run FROM "
	    "intervals UNION SELECT to_run FROM intervals WHERE to_run IS NOT "
	    "NULL UNION SELECT first_run FROM sightings UNION SELECT last_run "
	    "FROM sightings)";
	static const char q_vals[] = "DELETE FROM setting_values WHERE id NOT "
	    "IN (SELECT value_id FROM intervals)";
	static const char q_keys[] = "DELETE FROM setting_keys WHERE id NOT "
	    "IN (SELECT key_id FROM intervals)";
	int rc;

	if ((rc = irmf__q_run(st, q_runs, "")) < 0)
		return rc;
	sh->runs = (size_t)sqlite3_changes(st->db);
	if ((rc = irmf__q_run(st, q_vals, "")) < 0)
		return rc;
	sh->values = (size_t)sqlite3_changes(st->db);
	if ((rc = irmf__q_run(st, q_keys, "")) < 0)
		return rc;
	sh->keys = (size_t)sqlite3_changes(st->db);
	return IRMF_OK;
}

static int
forget_all(irmf_store *st, const char *const *servers, size_t n,
    int64_t *ids, irmf_forget_stats *out, irmf_forget_shared *sh)
{
	static const char q_fk[] = "SELECT count(*) FROM pragma_foreign_key_check";
	int64_t bad;
	int rc;

	if ((rc = forget_ids(st, servers, n, ids)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < i && ids[j] != ids[i])
			j++;
		if (j < i)   /* named twice: what the first mention removed */
			out[i] = out[j];
		else if ((rc = forget_one(st, ids[i], &out[i])) < 0)
			return rc;
	}
	if ((rc = forget_shared(st, sh)) < 0 ||
	    (rc = irmf__q_int(st, &bad, NULL, q_fk, "")) < 0)
		return rc;
	if (bad != 0)
		return irmf_error_set(IRMF_EDB, "'%s': forgetting would break "
		    "%lld references; nothing removed", st->path,
		    (long long)bad);
	return IRMF_OK;
}

int
irmf_store_forget(irmf_store *st, const char *const *servers, size_t n,
    bool dry_run, irmf_forget_stats *out, irmf_forget_shared *shared)
{
	irmf_forget_shared sh = { 0 };
	int64_t *ids;
	int rc;

	memset(out, 0, n * sizeof(*out));
	if (shared != NULL)
		memset(shared, 0, sizeof(*shared));
	if (n == 0)
		return irmf_error_set(IRMF_EUSAGE, "'%s': no server to forget",
		    st->path);
	if ((ids = calloc(n, sizeof(*ids))) == NULL)
		return irmf_error_oom();
	/* per-row checks of the unindexed run and value columns would scan
	 * them per deleted row; check once before commit, as prune does */
	if ((rc = irmf__exec_sql(st, "PRAGMA foreign_keys = OFF",
	    "forgetting")) < 0)
		goto out;
	if ((rc = irmf__begin_write(st)) < 0)
		goto restore;
	if ((rc = forget_all(st, servers, n, ids, out, &sh)) < 0 ||
	    (!dry_run && (rc = irmf__commit(st)) < 0)) {
		irmf__rollback(st);
		memset(out, 0, n * sizeof(*out));
		memset(&sh, 0, sizeof(sh));
		goto restore;
	}
	if (dry_run)
		irmf__rollback(st);
	/* interned ids cached by an earlier run may have been removed */
	irmf__idmap_clear(&st->keys);
	irmf__idmap_clear(&st->values);
	if (shared != NULL)
		*shared = sh;
restore:
	if (irmf__exec_sql(st, "PRAGMA foreign_keys = ON", "forgetting") < 0 &&
	    rc == 0)
		rc = IRMF_EDB;
out:
	free(ids);
	return rc;
}
