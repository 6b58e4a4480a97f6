/*
 * record.c - recording a run (irmf_store_record_run): every snapshot is
 * flattened and hashed first, on several threads and outside the
 * database lock; then one BEGIN IMMEDIATE transaction adds the run,
 * extends or starts each server's sighting, stores new snapshot contents,
 * diffs the settings into intervals (intervals.c) and reports the drift.
 * A process killed mid-way leaves the database as it was before the run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include <sqlite3.h>

#include "error.h"
#include "store_db.h"

static int
cmp_entry(const void *pa, const void *pb)
{
	return strcasecmp(((const entry *)pa)->server,
	    ((const entry *)pb)->server);
}

static int
prepare_entry(entry *e)
{
	const irmf_collect_error *host;
	time_t t;
	int rc;

	host = irmf_snapshot_error_for(e->snap, "host");
	if (host != NULL) {
		e->error = host->message ? host->message :
		    irmf_collect_reason_name(host->reason);
		return IRMF_OK;
	}
	if (e->snap->collected_at != NULL &&
	    irmf_time_parse(e->snap->collected_at, 0, &t) == 0)
		irmf_time_format(t, e->collected, sizeof(e->collected));
	else
		irmf_error_clear();
	if ((rc = irmf_store_recorded_settings(e->snap, &e->set)) < 0)
		return rc;
	return irmf__hash_snapshot(e->snap, &e->set, e->hash);
}

/* Flattening and hashing are pure and take a quarter of recording a
 * large fleet: spread them over the CPUs. */
typedef struct prep_job {
	entry *ents;
	size_t n;
	atomic_size_t next;
	atomic_int failed;
} prep_job;

static void *
prep_worker(void *arg)
{
	prep_job *j = arg;
	size_t i;

	while (!atomic_load(&j->failed) &&
	    (i = atomic_fetch_add(&j->next, 1)) < j->n)
		if (prepare_entry(&j->ents[i]) < 0)
			atomic_store(&j->failed, 1);
	return NULL;
}

static int
prepare_all(entry *ents, size_t n)
{
	pthread_t tid[8];
	prep_job j = { .ents = ents, .n = n };
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = 0, want = ncpu > 1 ? (size_t)ncpu - 1 : 0;

	atomic_init(&j.next, 0);
	atomic_init(&j.failed, 0);
	if (n < 64)   /* not worth a thread */
		want = 0;
	for (; nt < want && nt < 8; nt++)
		if (pthread_create(&tid[nt], NULL, prep_worker, &j) != 0)
			break;
	prep_worker(&j);
	for (size_t t = 0; t < nt; t++)
		pthread_join(tid[t], NULL);
	if (!atomic_load(&j.failed))
		return IRMF_OK;
	/* a worker's message is its thread's: redo on this thread */
	for (size_t i = 0; i < n; i++) {
		int rc;
		irmf_settings_clear(&ents[i].set);
		ents[i].error = NULL;
		if ((rc = prepare_entry(&ents[i])) < 0)
			return rc;
	}
	return irmf_error_set(IRMF_ERROR, "preparing the run failed");
}

static int
server_id(irmf_store *st, const char *name, int64_t *id)
{
	bool found;
	int rc;

	if ((rc = irmf__q_int(st, id, &found,
	    "SELECT id FROM servers WHERE name = ?",
	    "t", name)) < 0 || found)
		return rc;
	if ((rc = irmf__q_run(st, "INSERT INTO servers (name) VALUES (?)", "t",
	    name)) < 0)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	return IRMF_OK;
}

/* Extend the server's sighting if it was seen in the previous run with
 * the same status and content, else start a new one. */
static int
record_sighting(irmf_store *st, int64_t srv, const char *status,
    int64_t snap_id, const char *error, int64_t run, int64_t prev_run,
    const char *collected)
{
	static const char q_last[] = "SELECT id, status, snapshot_id, "
	    "last_run FROM sightings WHERE server_id = ? "
	    "ORDER BY last_run DESC LIMIT 1";
	sqlite3_stmt *s;
	int64_t sid = 0;
	int rc;

	if ((rc = irmf__q_open(st, q_last, &s, "i", srv)) < 0)
		return rc;
	if ((rc = irmf__q_step(st, s)) == 1) {
		if (sqlite3_column_int64(s, 3) == prev_run && prev_run != 0 &&
		    strcmp(irmf__col_text(s, 1), status) == 0 &&
		    sqlite3_column_int64(s, 2) == snap_id)
			sid = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	} else if (rc < 0) {
		return rc;
	}
	if (sid != 0)
		return irmf__q_run(st, "UPDATE sightings SET last_run = ?, "
		    "last_collected = ?, error = ? WHERE id = ?", "itti", run,
		    collected, error, sid);
	return irmf__q_run(st, "INSERT INTO sightings (server_id, status, "
	    "snapshot_id, error, first_run, last_run, first_collected, "
	    "last_collected) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "itItiitt", srv,
	    status, snap_id, error, run, run, collected, collected);
}

static int
find_or_add_snapshot(irmf_store *st, int64_t srv, const entry *e,
    int64_t *id, bool *added)
{
	const irmf_snapshot *sn = e->snap;
	bool found;
	int rc;

	*added = false;
	if ((rc = irmf__q_int(st, id, &found, "SELECT id FROM snapshots WHERE "
	    "server_id = ? AND hash = ?", "it", srv, e->hash)) < 0 || found)
		return rc;
	if ((rc = irmf__q_run(st,
	    "INSERT INTO snapshots (server_id, hash, fqdn, "
	    "roles, product, build, os, cohort, sections, nsettings) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "ittittttii", srv, e->hash,
	    sn->fqdn, (int64_t)sn->roles, sn->product, sn->product_build,
	    sn->os_version, irmf_cohort_of(sn), (int64_t)irmf__sections_of(sn),
	    (int64_t)e->set.n)) < 0)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	*added = true;
	for (size_t i = 0; i < sn->nerrors; i++)
		if ((rc = irmf__q_run(st,
		    "INSERT INTO snapshot_errors (snapshot_id, "
		    "item, reason, message) VALUES (?, ?, ?, ?)", "ittt", *id,
		    sn->errors[i].item,
		    irmf_collect_reason_name(sn->errors[i].reason),
		    sn->errors[i].message)) < 0)
			return rc;
	return IRMF_OK;
}

static int
record_ok(irmf_store *st, int64_t srv, const entry *e, const run_ctx *rx,
    size_t *nnew)
{
	static const char q_latest_ok[] = "SELECT snapshot_id FROM sightings "
	    "WHERE server_id = ? AND status = 'ok' ORDER BY last_run DESC "
	    "LIMIT 1";
	int64_t snap_id, prev_snap;
	bool added;
	char msg[64];
	int rc;

	if ((rc = find_or_add_snapshot(st, srv, e, &snap_id, &added)) < 0 ||
	    (rc = irmf__q_int(st, &prev_snap, NULL, q_latest_ok, "i", srv)) < 0)
		return rc;
	if (added)
		(*nnew)++;
	if (prev_snap != snap_id) {
		if ((rc = irmf__update_intervals(st, srv, e, prev_snap == 0,
		    rx)) < 0)
			return rc;
		snprintf(msg, sizeof(msg), "%zu settings", e->set.n);
		if (prev_snap == 0 && rx->prev_run != 0 &&
		    (rc = irmf__changes_add(rx->drift, IRMF_CHANGE_NEW_SERVER,
		    rx->run,
		    e->server, NULL, NULL, NULL, NULL, rx->at, msg)) < 0)
			return rc;
	}
	for (size_t i = 0; i < e->snap->nerrors; i++) {
		const irmf_collect_error *ce = &e->snap->errors[i];
		char buf[512];
		snprintf(buf, sizeof(buf), "%s%s%s",
		    irmf_collect_reason_name(ce->reason),
		    ce->message ? ": " : "", ce->message ? ce->message : "");
		if ((rc = irmf__changes_add(rx->drift,
		    IRMF_CHANGE_NOT_COLLECTED,
		    rx->run, e->server, ce->item, NULL, NULL, NULL, rx->at,
		    buf)) < 0)
			return rc;
	}
	return record_sighting(st, srv, "ok", snap_id, NULL, rx->run,
	    rx->prev_run, e->collected[0] ? e->collected : rx->at);
}

/* Servers seen in the previous run and not in this one. */
static int
report_absent(irmf_store *st, const run_ctx *rx)
{
	static const char q[] = "SELECT s.name, r.started_at FROM servers s "
	    "JOIN sightings g ON g.server_id = s.id AND g.last_run = ?1 "
	    "JOIN runs r ON r.id = g.last_run "
	    "WHERE NOT EXISTS (SELECT 1 FROM sightings h WHERE "
	    "h.server_id = s.id AND h.last_run = ?2) ORDER BY s.name";
	sqlite3_stmt *s;
	int rc;

	if (rx->prev_run == 0)
		return IRMF_OK;
	if ((rc = irmf__q_open(st, q, &s, "ii", rx->prev_run, rx->run)) < 0)
		return rc;
	while ((rc = irmf__q_step(st, s)) == 1)
		if ((rc = irmf__changes_add(rx->drift, IRMF_CHANGE_ABSENT,
		    rx->run,
		    irmf__col_text(s, 0), NULL, NULL, NULL, irmf__col_text(s,
		    1), rx->at,
		    "not in this audit")) < 0) {
			sqlite3_reset(s);
			return rc;
		}
	return rc;
}

static int
check_inputs(entry *ents, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ents[i].server == NULL || ents[i].server[0] == '\0')
			return irmf_error_set(IRMF_EUSAGE, "snapshot without a "
			    "server name");
	qsort(ents, n, sizeof(entry), cmp_entry);
	for (size_t i = 1; i < n; i++)
		if (strcasecmp(ents[i].server, ents[i - 1].server) == 0)
			return irmf_error_set(IRMF_EUSAGE, "server '%s' appears "
			    "twice in one audit", ents[i].server);
	return IRMF_OK;
}

/* at is the requested run time, or "" for now (taken under the write
 * lock, so that concurrent audits get increasing times). */
static int
write_run(irmf_store *st, entry *ents, size_t n, char *at,
    irmf_run_summary *sum, irmf_changes *drift)
{
	static const char q_prev[] = "SELECT id, started_at FROM runs "
	    "ORDER BY id DESC LIMIT 1";
	run_ctx rx = { 0, 0, at, drift };
	bool now = at[0] == '\0';
	sqlite3_stmt *s;
	int rc;

	if (now)
		irmf_time_format(time(NULL), at, sizeof(sum->at));

	if ((rc = irmf__q_open(st, q_prev, &s, "")) < 0)
		return rc;
	if ((rc = irmf__q_step(st, s)) == 1) {
		rx.prev_run = sqlite3_column_int64(s, 0);
		snprintf(sum->prev_at, sizeof(sum->prev_at), "%s",
		    irmf__col_text(s, 1));
		sqlite3_reset(s);
		/* the timeline is ordered by run; time must not go back
		 * (a clock stepped back makes "now" the previous run's) */
		if (now && strcmp(at, sum->prev_at) < 0)
			snprintf(at, sizeof(sum->at), "%s", sum->prev_at);
		else if (strcmp(at, sum->prev_at) < 0)
			return irmf_error_set(IRMF_EUSAGE, "'%s': run time %s "
			    "is before the latest recorded run (%s)", st->path,
			    at, sum->prev_at);
	} else if (rc < 0) {
		return rc;
	}
	if ((rc = irmf__q_run(st, "INSERT INTO runs (started_at, hosts_ok, "
	    "hosts_failed) VALUES (?, ?, ?)", "tii", at,
	    (int64_t)sum->hosts_ok, (int64_t)sum->hosts_failed)) < 0)
		return rc;
	rx.run = sqlite3_last_insert_rowid(st->db);
	sum->run_id = rx.run;
	sum->prev_run_id = rx.prev_run;
	for (size_t i = 0; i < n; i++) {
		entry *e = &ents[i];
		int64_t srv;

		if ((rc = server_id(st, e->server, &srv)) < 0)
			return rc;
		if (e->error != NULL) {
			if ((rc = record_sighting(st, srv, "failed", 0, e->error,
			    rx.run, rx.prev_run, NULL)) == 0)
				rc = irmf__changes_add(drift,
				    IRMF_CHANGE_FAILED,
				    rx.run, e->server, NULL, NULL, NULL, NULL, at,
				    e->error);
		} else
			rc = record_ok(st, srv, e, &rx, &sum->snapshots_new);
		if (rc < 0)
			return rc;
	}
	if ((rc = report_absent(st, &rx)) < 0)
		return rc;
	return irmf__q_run(st, "UPDATE runs SET finished_at = ? WHERE id = ?",
	    "ti",
	    at, rx.run);
}

int
irmf_store_record_run(irmf_store *st, irmf_snapshot *const *snaps,
    size_t nsnaps, const irmf_host_failure *failed, size_t nfailed,
    const char *at, irmf_run_summary *sum, irmf_changes *drift)
{
	size_t n = nsnaps + nfailed;
	entry *ents = calloc(n + 1, sizeof(entry));
	time_t t;
	int rc = IRMF_OK;

	memset(sum, 0, sizeof(*sum));
	irmf_changes_clear(drift);
	if (ents == NULL)
		return irmf_error_oom();
	if (n == 0) {
		rc = irmf_error_set(IRMF_EUSAGE, "nothing to record");
		goto out;
	}
	if (at != NULL) {
		if ((rc = irmf_time_parse(at, 0, &t)) < 0)
			goto out;
		irmf_time_format(t, sum->at, sizeof(sum->at));
	}
	for (size_t i = 0; i < nsnaps; i++) {
		ents[i].snap = snaps[i];
		ents[i].server = snaps[i]->server;
	}
	if ((rc = prepare_all(ents, nsnaps)) < 0)
		goto out;
	for (size_t i = 0; i < nsnaps; i++) {
		if (ents[i].error)
			sum->hosts_failed++;
		else
			sum->hosts_ok++;
	}
	for (size_t i = 0; i < nfailed; i++) {
		entry *e = &ents[nsnaps + i];
		e->server = failed[i].server;
		e->error = failed[i].message ? failed[i].message :
		    "collection failed";
		sum->hosts_failed++;
	}
	if ((rc = check_inputs(ents, n)) < 0 ||
	    (rc = irmf__begin_write(st)) < 0)
		goto out;
	if ((rc = write_run(st, ents, n, sum->at, sum, drift)) < 0 ||
	    (rc = irmf__commit(st)) < 0) {
		irmf__rollback(st);
		irmf_changes_clear(drift);
		goto out;
	}
	irmf__idmap_clear(&st->keys);
	irmf__idmap_clear(&st->values);
	if (drift->n > 1)
		qsort(drift->items, drift->n, sizeof(irmf_change),
		    irmf__cmp_drift);
out:
	for (size_t i = 0; i < n; i++)
		irmf_settings_clear(&ents[i].set);
	free(ents);
	return rc;
}
