/*
 * query.c - reading the history: stale servers, the timeline of changes
 * (optionally for one server, one setting, since a time, never before the
 * prune horizon) and "since when" for one server's setting against the
 * fleet's majority.  Everything here only reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "error.h"
#include "store_db.h"

/* An uncached statement for SQL built at run time, with named
 * parameters :srv, :key, :since bound when they occur. */
static int
q_dyn(irmf_store *st, const char *sql, const irmf_history_query *q,
    const char *since, sqlite3_stmt **out)
{
	static const char *const names[] = { ":srv", ":key", ":since" };
	const char *vals[3] = { q->server, q->setting, since };

	if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK)
		return irmf__db_fail(st, "preparing a history query");
	for (int i = 0; i < 3; i++) {
		int idx = sqlite3_bind_parameter_index(*out, names[i]);
		if (idx > 0 && sqlite3_bind_text(*out, idx, vals[i], -1,
		    SQLITE_STATIC) != SQLITE_OK) {
			sqlite3_finalize(*out);
			return irmf__db_fail(st, "binding a parameter");
		}
	}
	return IRMF_OK;
}

int
irmf_store_stale(irmf_store *st, const char *now, int64_t max_age,
    irmf_changes *out)
{
	static const char q[] = "SELECT s.name, "
	    "(SELECT coalesce(g.last_collected, r.started_at) FROM sightings g "
	    " JOIN runs r ON r.id = g.last_run WHERE g.server_id = s.id AND "
	    " g.status = 'ok' ORDER BY g.last_run DESC LIMIT 1), "
	    "(SELECT r.started_at FROM sightings g JOIN runs r ON "
	    " r.id = g.first_run WHERE g.server_id = s.id "
	    " ORDER BY g.first_run LIMIT 1) "
	    "FROM servers s ORDER BY s.name";
	sqlite3_stmt *s;
	time_t tnow, t;
	int rc;

	tnow = time(NULL);
	if (now != NULL && (rc = irmf_time_parse(now, tnow, &tnow)) < 0)
		return rc;
	if ((rc = irmf__q_open(st, q, &s, "")) < 0)
		return rc;
	while ((rc = irmf__q_step(st, s)) == 1) {
		const char *last_ok = irmf__col_text(s, 1),
		    *first = irmf__col_text(s, 2);
		const char *ref = last_ok ? last_ok : first;
		char msg[96];

		if (ref == NULL || irmf_time_parse(ref, tnow, &t) < 0 ||
		    (int64_t)(tnow - t) <= max_age)
			continue;
		if (last_ok)
			snprintf(msg, sizeof(msg), "last collected %s", last_ok);
		else
			snprintf(msg, sizeof(msg), "never collected "
			    "successfully (first seen %s)", first);
		if ((rc = irmf__changes_add(out, IRMF_CHANGE_STALE, 0,
		    irmf__col_text(s, 0),
		    NULL, NULL, NULL, last_ok, NULL, msg)) < 0) {
			sqlite3_reset(s);
			return rc;
		}
	}
	irmf_error_clear();
	return rc;
}

/* Columns of every history query: run id, run time, server, setting,
 * old value, new value, old since, first (0/1), message. */
static int
history_rows(irmf_store *st, const char *sql, const irmf_history_query *q,
    const char *since, int mode, irmf_changes *out)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = q_dyn(st, sql, q, since, &s)) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		irmf_change_kind kind = (irmf_change_kind)mode;
		const char *msg = irmf__col_text(s, 8);
		char buf[64];

		if (mode == IRMF_CHANGE_ADDED) {
			if (sqlite3_column_int(s, 7) && q->setting == NULL)
				continue;   /* summarized as new-server */
			if (sqlite3_column_type(s, 4) != SQLITE_NULL)
				kind = IRMF_CHANGE_CHANGED;
			else if (sqlite3_column_int(s, 7))
				msg = "first audit of the server";
		} else if (mode == IRMF_CHANGE_NEW_SERVER) {
			snprintf(buf, sizeof(buf), "%lld settings",
			    (long long)sqlite3_column_int64(s, 8));
			msg = buf;
		}
		if ((rc = irmf__changes_add(out, kind, sqlite3_column_int64(s,
		    0), irmf__col_text(s, 2), irmf__col_text(s, 3),
		    irmf__col_text(s, 4),
		    irmf__col_text(s, 5), irmf__col_text(s, 6),
		    irmf__col_text(s, 1), msg)) < 0)
			break;
	}
	if (rc == SQLITE_DONE)
		rc = IRMF_OK;
	else if (rc > 0)
		rc = irmf__db_fail(st, "reading the history");
	sqlite3_finalize(s);
	return rc;
}

static int
build_sql(char *buf, size_t n, const char *base, const irmf_history_query *q,
    const char *since, const char *time_col)
{
	int len = snprintf(buf, n, "%s%s%s%s%s%s", base,
	    q->server ? " AND s.name = :srv" : "",
	    q->setting ? " AND k.key = :key" : "",
	    since ? " AND " : "", since ? time_col : "",
	    since ? " >= :since" : "");

	if (len < 0 || (size_t)len >= n)
		return irmf_error_set(IRMF_ELIMIT, "history query too long");
	return IRMF_OK;
}

/* A server or setting the history has never seen is a typo more often
 * than not: an error, not an empty timeline that reads "nothing
 * changed". */
static int
check_known(irmf_store *st, const irmf_history_query *q)
{
	int64_t id;
	bool found;
	int rc;

	if (q->server != NULL) {
		if ((rc = irmf__q_int(st, &id, &found, "SELECT id FROM servers "
		    "WHERE name = ?", "t", q->server)) < 0)
			return rc;
		if (!found)
			return irmf_error_set(IRMF_ENOTFOUND, "'%s': server '%s' "
			    "is not in the history", st->path, q->server);
	}
	if (q->setting != NULL) {
		if ((rc = irmf__q_int(st, &id, &found,
		    "SELECT id FROM setting_keys "
		    "WHERE key = ?", "t", q->setting)) < 0)
			return rc;
		if (!found)
			return irmf_error_set(IRMF_ENOTFOUND, "'%s': setting '%s' "
			    "is not in the history", st->path, q->setting);
	}
	return IRMF_OK;
}

int
irmf_store_history(irmf_store *st, const irmf_history_query *q,
    irmf_changes *out)
{
	static const char q_set[] =
	    "SELECT i.from_run, r.started_at, s.name, k.key, pv.value, "
	    "v.value, pr.started_at, (p.server_id IS NULL AND i.from_run = "
	    "(SELECT min(g.first_run) FROM sightings g WHERE g.server_id = "
	    "i.server_id AND g.status = 'ok')), NULL "
	    "FROM intervals i JOIN servers s ON s.id = i.server_id "
	    "JOIN setting_keys k ON k.id = i.key_id "
	    "JOIN setting_values v ON v.id = i.value_id "
	    "JOIN runs r ON r.id = i.from_run "
	    "LEFT JOIN intervals p ON p.server_id = i.server_id AND "
	    "p.key_id = i.key_id AND p.to_run = i.from_run "
	    "LEFT JOIN setting_values pv ON pv.id = p.value_id "
	    "LEFT JOIN runs pr ON pr.id = p.from_run WHERE 1";
	static const char q_removed[] =
	    "SELECT i.to_run, r.started_at, s.name, k.key, v.value, NULL, "
	    "fr.started_at, 0, NULL "
	    "FROM intervals i JOIN servers s ON s.id = i.server_id "
	    "JOIN setting_keys k ON k.id = i.key_id "
	    "JOIN setting_values v ON v.id = i.value_id "
	    "JOIN runs r ON r.id = i.to_run JOIN runs fr ON fr.id = i.from_run "
	    "WHERE i.to_run IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
	    "intervals n WHERE n.server_id = i.server_id AND n.key_id = "
	    "i.key_id AND n.from_run = i.to_run)";
	static const char q_failed[] =
	    "SELECT g.first_run, r.started_at, s.name, NULL, NULL, NULL, NULL, "
	    "0, g.error FROM sightings g JOIN servers s ON s.id = g.server_id "
	    "JOIN runs r ON r.id = g.first_run WHERE g.status = 'failed'";
	static const char q_new[] =
	    "SELECT g.first_run, r.started_at, s.name, NULL, NULL, NULL, NULL, "
	    "0, sn.nsettings FROM sightings g JOIN servers s ON "
	    "s.id = g.server_id JOIN runs r ON r.id = g.first_run "
	    "JOIN snapshots sn ON sn.id = g.snapshot_id WHERE g.status = 'ok' "
	    "AND g.first_run = (SELECT min(h.first_run) FROM sightings h "
	    "WHERE h.server_id = g.server_id AND h.status = 'ok')";
	static const char q_horizon[] = "SELECT value FROM meta WHERE "
	    "key = 'pruned_before'";
	irmf_history_query hq = *q;
	sqlite3_stmt *s;
	char sql[2048], since[32];
	const char *sp = NULL;
	time_t t;
	int rc;

	irmf_changes_clear(out);
	if ((rc = check_known(st, q)) < 0)
		return rc;
	if (q->since != NULL) {
		if ((rc = irmf_time_parse(q->since, time(NULL), &t)) < 0)
			return rc;
		irmf_time_format(t, since, sizeof(since));
		sp = since;
	}
	/* before the prune horizon the timeline has holes: start there */
	if ((rc = irmf__q_open(st, q_horizon, &s, "")) < 0)
		return rc;
	if ((rc = irmf__q_step(st, s)) == 1) {
		const char *h = irmf__col_text(s, 0);
		if (h != NULL && (sp == NULL || strcmp(h, sp) > 0)) {
			snprintf(since, sizeof(since), "%s", h);
			sp = since;
		}
		sqlite3_reset(s);
	} else if (rc < 0) {
		return rc;
	}
	if ((rc = build_sql(sql, sizeof(sql), q_set, q, sp,
	    "r.started_at")) < 0 ||
	    (rc = history_rows(st, sql, q, sp, IRMF_CHANGE_ADDED, out)) < 0 ||
	    (rc = build_sql(sql, sizeof(sql), q_removed, q, sp,
	    "r.started_at")) < 0 ||
	    (rc = history_rows(st, sql, q, sp, IRMF_CHANGE_REMOVED, out)) < 0)
		goto fail;
	/* host events concern every setting of the host */
	hq.setting = NULL;
	if ((rc = build_sql(sql, sizeof(sql), q_failed, &hq, sp,
	    "r.started_at")) < 0 ||
	    (rc = history_rows(st, sql, &hq, sp, IRMF_CHANGE_FAILED, out)) < 0)
		goto fail;
	if (q->setting == NULL &&
	    ((rc = build_sql(sql, sizeof(sql), q_new, q, sp,
	    "r.started_at")) < 0 ||
	    (rc = history_rows(st, sql, q, sp, IRMF_CHANGE_NEW_SERVER,
	    out)) < 0))
		goto fail;
	if (out->n > 1)
		qsort(out->items, out->n, sizeof(irmf_change),
		    irmf__cmp_history);
	if (q->limit > 0 && out->n > q->limit) {
		for (size_t i = q->limit; i < out->n; i++)
			irmf__change_free(&out->items[i]);
		out->n = q->limit;
	}
	return IRMF_OK;
fail:
	irmf_changes_clear(out);
	return rc;
}

void
irmf_current_clear(irmf_current *c)
{
	free(c->value);
	free(c->since);
	free(c->majority_value);
	free(c->differs_since);
	memset(c, 0, sizeof(*c));
}

static int
lookup_ids(irmf_store *st, const char *server, const char *setting,
    int64_t *srv, int64_t *key)
{
	bool found;
	int rc;

	if ((rc = irmf__q_int(st, srv, &found, "SELECT id FROM servers WHERE "
	    "name = ?", "t", server)) < 0)
		return rc;
	if (!found)
		return irmf_error_set(IRMF_ENOTFOUND, "'%s': server '%s' is not "
		    "in the history", st->path, server);
	if ((rc = irmf__q_int(st, key, &found,
	    "SELECT id FROM setting_keys WHERE "
	    "key = ?", "t", setting)) < 0)
		return rc;
	if (!found)
		return irmf_error_set(IRMF_ENOTFOUND, "'%s': setting '%s' is not "
		    "in the history", st->path, setting);
	return IRMF_OK;
}

int
irmf_store_current(irmf_store *st, const char *server, const char *setting,
    irmf_current *out)
{
	static const char q_own[] = "SELECT v.value, v.norm, r.started_at "
	    "FROM intervals i JOIN setting_values v ON v.id = i.value_id "
	    "JOIN runs r ON r.id = i.from_run WHERE i.server_id = ? AND "
	    "i.key_id = ? AND i.to_run IS NULL";
	static const char q_gone[] = "SELECT r.started_at FROM intervals i "
	    "JOIN runs r ON r.id = i.to_run WHERE i.server_id = ? AND "
	    "i.key_id = ? ORDER BY i.to_run DESC LIMIT 1";
	static const char q_major[] = "SELECT v.norm, min(v.value), count(*), "
	    "min(r.started_at) FROM intervals i JOIN setting_values v ON "
	    "v.id = i.value_id JOIN runs r ON r.id = i.from_run WHERE "
	    "i.key_id = ? AND i.to_run IS NULL "
	    "GROUP BY v.norm ORDER BY count(*) DESC, v.norm LIMIT 2";
	static const char q_others[] = "SELECT count(*) FROM intervals "
	    "WHERE key_id = ? AND to_run IS NULL AND server_id != ?";
	sqlite3_stmt *s;
	int64_t srv, key, others;
	char *norm = NULL, *maj_norm = NULL, *maj_since = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = lookup_ids(st, server, setting, &srv, &key)) < 0)
		return rc;
	if ((rc = irmf__q_open(st, q_own, &s, "ii", srv, key)) < 0)
		goto out;
	if ((rc = irmf__q_step(st, s)) == 1) {
		out->value = irmf__col_dup(s, 0);
		norm = irmf__col_dup(s, 1);
		out->since = irmf__col_dup(s, 2);
		sqlite3_reset(s);
	} else if (rc == 0) {
		if ((rc = irmf__q_open(st, q_gone, &s, "ii", srv, key)) < 0)
			goto out;
		if ((rc = irmf__q_step(st, s)) == 1) {
			out->since = irmf__col_dup(s, 0);
			sqlite3_reset(s);
		}
	}
	if (rc < 0 || (rc = irmf__q_open(st, q_major, &s, "i", key)) < 0)
		goto out;
	if ((rc = irmf__q_step(st, s)) == 1) {
		maj_norm = irmf__col_dup(s, 0);
		out->majority_value = irmf__col_dup(s, 1);
		out->majority_count = (size_t)sqlite3_column_int64(s, 2);
		maj_since = irmf__col_dup(s, 3);
		/* a tie is no majority */
		if ((rc = irmf__q_step(st, s)) == 1) {
			if ((size_t)sqlite3_column_int64(s, 2) ==
			    out->majority_count) {
				free(maj_norm);
				maj_norm = NULL;
			}
			sqlite3_reset(s);
		}
	}
	if (rc < 0 || (rc = irmf__q_int(st, &others, NULL, q_others, "ii", key,
	    srv)) < 0)
		goto out;
	out->others = (size_t)others;
	out->differs = maj_norm != NULL && (norm == NULL ||
	    strcmp(norm, maj_norm) != 0);
	if (out->differs) {
		/* the later of: this server took its value, the others' value
		 * first appeared (see docs/history.md) */
		const char *a = out->since, *b = maj_since;
		const char *d = a == NULL ? b : b == NULL ? a :
		    strcmp(a, b) > 0 ? a : b;
		if (d != NULL && (out->differs_since = irmf_strdup(d)) == NULL)
			rc = IRMF_ENOMEM;
	}
out:
	free(norm);
	free(maj_norm);
	free(maj_since);
	if (rc < 0)
		irmf_current_clear(out);
	return rc < 0 ? rc : IRMF_OK;
}
