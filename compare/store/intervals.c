/*
 * intervals.c - a server's settings over time, for recording a run: the
 * keys and values interned to ids, the server's open intervals (its
 * current settings) diffed against the new ones, changed and removed
 * values closed, new ones opened (inserted in batches: a first audit of a
 * large fleet is a million rows), and every difference reported as a
 * change.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include <sqlite3.h>

#include "error.h"
#include "store_db.h"

static int
intern_key(irmf_store *st, const char *key, int64_t *id)
{
	char *low = malloc(strlen(key) + 1);
	bool found;
	int rc = IRMF_OK;

	if (low == NULL)
		return irmf_error_oom();
	for (size_t i = 0; (low[i] = (char)tolower((unsigned char)key[i])); i++)
		;
	if ((*id = irmf__idmap_get(&st->keys, low)) != 0)
		goto out;
	if ((rc = irmf__q_int(st, id, &found,
	    "SELECT id FROM setting_keys WHERE key = ?", "t", key)) < 0)
		goto out;
	if (!found) {
		if ((rc = irmf__q_run(st,
		    "INSERT INTO setting_keys (key) VALUES (?)",
		    "t", key)) < 0)
			goto out;
		*id = sqlite3_last_insert_rowid(st->db);
	}
	rc = irmf__idmap_put(&st->keys, low, *id);
out:
	free(low);
	return rc;
}

static int
intern_value(irmf_store *st, const char *value, const char *norm, int64_t *id)
{
	size_t nv = strlen(value), nn = strlen(norm);
	char *ck = malloc(nv + nn + 2);
	bool found;
	int rc = IRMF_OK;

	if (ck == NULL)
		return irmf_error_oom();
	memcpy(ck, value, nv);
	ck[nv] = '\x1f';
	memcpy(ck + nv + 1, norm, nn + 1);
	if ((*id = irmf__idmap_get(&st->values, ck)) != 0)
		goto out;
	if ((rc = irmf__q_int(st, id, &found, "SELECT id FROM setting_values "
	    "WHERE value = ? AND norm = ?", "tt", value, norm)) < 0)
		goto out;
	if (!found) {
		if ((rc = irmf__q_run(st,
		    "INSERT INTO setting_values (value, norm) "
		    "VALUES (?, ?)", "tt", value, norm)) < 0)
			goto out;
		*id = sqlite3_last_insert_rowid(st->db);
	}
	rc = irmf__idmap_put(&st->values, ck, *id);
out:
	free(ck);
	return rc;
}

typedef struct open_iv {
	int64_t key_id, value_id;
	char *key, *value, *since;
	bool matched;
} open_iv;

typedef struct open_list {
	open_iv *v;
	size_t n, cap;
} open_list;

static void
open_list_clear(open_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
		free(l->v[i].since);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
cmp_open_key_id(const void *pa, const void *pb)
{
	const open_iv *a = pa, *b = pb;

	return (a->key_id > b->key_id) - (a->key_id < b->key_id);
}

static const char q_open_ivs[] =
	"SELECT i.key_id, i.value_id, k.key, v.value, r.started_at "
	"FROM intervals i JOIN setting_keys k ON k.id = i.key_id "
	"JOIN setting_values v ON v.id = i.value_id "
	"JOIN runs r ON r.id = i.from_run "
	"WHERE i.server_id = ? AND i.to_run IS NULL";

/* The server's open intervals (its current settings), by key_id. */
static int
load_open(irmf_store *st, int64_t srv, open_list *l)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = irmf__q_open(st, q_open_ivs, &s, "i", srv)) < 0)
		return rc;
	while ((rc = irmf__q_step(st, s)) == 1) {
		open_iv *o;
		if (l->n == l->cap) {
			size_t ncap = l->cap ? l->cap * 2 : 64;
			open_iv *p = realloc(l->v, ncap * sizeof(*p));
			if (p == NULL) {
				sqlite3_reset(s);
				return irmf_error_oom();
			}
			l->v = p;
			l->cap = ncap;
		}
		o = &l->v[l->n++];
		memset(o, 0, sizeof(*o));
		o->key_id = sqlite3_column_int64(s, 0);
		o->value_id = sqlite3_column_int64(s, 1);
		o->key = irmf__col_dup(s, 2);
		o->value = irmf__col_dup(s, 3);
		o->since = irmf__col_dup(s, 4);
		if (!o->key || !o->value || !o->since) {
			sqlite3_reset(s);
			return IRMF_ENOMEM;
		}
	}
	if (rc == 0 && l->n > 1)
		qsort(l->v, l->n, sizeof(open_iv), cmp_open_key_id);
	return rc;
}

static int
close_iv(irmf_store *st, int64_t srv, int64_t key_id, int64_t run)
{
	return irmf__q_run(st,
	    "UPDATE intervals SET to_run = ? WHERE server_id = ? "
	    "AND key_id = ? AND to_run IS NULL", "iii", run, srv, key_id);
}

static int
open_iv_insert(irmf_store *st, int64_t srv, int64_t key_id, int64_t val_id,
    int64_t run)
{
	return irmf__q_run(st,
	    "INSERT INTO intervals (server_id, key_id, value_id, "
	    "from_run) VALUES (?, ?, ?, ?)", "iiii", srv, key_id, val_id, run);
}

/* New intervals of one server, inserted IV_BATCH rows per statement: a
 * first audit of a large fleet is a million rows. */
#define IV_BATCH 32

typedef struct ivbuf {
	int64_t key[IV_BATCH], val[IV_BATCH];
	size_t n;
} ivbuf;

static char batch_sql_buf[128 + IV_BATCH * 16];

static void
batch_sql_init(void)
{
	size_t n = (size_t)snprintf(batch_sql_buf, sizeof(batch_sql_buf),
	    "INSERT INTO intervals (server_id, key_id, value_id, from_run) "
	    "VALUES ");

	for (int i = 0; i < IV_BATCH; i++)
		n += (size_t)snprintf(batch_sql_buf + n,
		    sizeof(batch_sql_buf) - n, "%s(?,?,?,?)", i ? "," : "");
}

/* The statement text doubles as its cache key (q_prep), so it is built
 * once per process. */
static const char *
batch_sql(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, batch_sql_init);
	return batch_sql_buf;
}

static int
ivbuf_flush(irmf_store *st, int64_t srv, int64_t run, ivbuf *b)
{
	sqlite3_stmt *s;
	int rc;

	if (b->n < IV_BATCH) {
		for (size_t i = 0; i < b->n; i++)
			if ((rc = open_iv_insert(st, srv, b->key[i], b->val[i],
			    run)) < 0)
				return rc;
		b->n = 0;
		return IRMF_OK;
	}
	if ((rc = irmf__q_prep(st, batch_sql(), &s)) < 0)
		return rc;
	for (int i = 0; i < IV_BATCH; i++)
		if (sqlite3_bind_int64(s, 4 * i + 1, srv) != SQLITE_OK ||
		    sqlite3_bind_int64(s, 4 * i + 2, b->key[i]) != SQLITE_OK ||
		    sqlite3_bind_int64(s, 4 * i + 3, b->val[i]) != SQLITE_OK ||
		    sqlite3_bind_int64(s, 4 * i + 4, run) != SQLITE_OK)
			return irmf__db_fail(st, "binding a parameter");
	b->n = 0;
	while ((rc = irmf__q_step(st, s)) == 1)
		;
	return rc;
}

static int
ivbuf_add(irmf_store *st, int64_t srv, int64_t run, ivbuf *b, int64_t key,
    int64_t val)
{
	b->key[b->n] = key;
	b->val[b->n] = val;
	if (++b->n == IV_BATCH)
		return ivbuf_flush(st, srv, run, b);
	return IRMF_OK;
}

/* Diff the server's current intervals against the new settings, write
 * the changes and report them. */
int
irmf__update_intervals(irmf_store *st, int64_t srv, const entry *e, bool is_new,
    const run_ctx *rx)
{
	open_list open = { 0 };
	ivbuf nb;
	int rc;

	nb.n = 0;
	if ((rc = load_open(st, srv, &open)) < 0)
		goto out;
	for (size_t i = 0; i < e->set.n; i++) {
		const irmf_setting *s = &e->set.items[i];
		open_iv probe = { 0 }, *o;
		int64_t kid, vid;

		if ((rc = intern_key(st, s->key, &kid)) < 0 ||
		    (rc = intern_value(st, s->value, s->norm, &vid)) < 0)
			goto out;
		probe.key_id = kid;
		o = open.n ? bsearch(&probe, open.v, open.n, sizeof(open_iv),
		    cmp_open_key_id) : NULL;
		if (o != NULL) {
			o->matched = true;
			if (o->value_id == vid)
				continue;
			if ((rc = close_iv(st, srv, kid, rx->run)) < 0 ||
			    (rc = irmf__changes_add(rx->drift,
			    IRMF_CHANGE_CHANGED,
			    rx->run, e->server, s->key, o->value, s->value,
			    o->since, rx->at, NULL)) < 0)
				goto out;
		} else if (!is_new && (rc = irmf__changes_add(rx->drift,
		    IRMF_CHANGE_ADDED, rx->run, e->server, s->key, NULL,
		    s->value, NULL, rx->at, NULL)) < 0) {
			goto out;
		}
		if ((rc = ivbuf_add(st, srv, rx->run, &nb, kid, vid)) < 0)
			goto out;
	}
	if ((rc = ivbuf_flush(st, srv, rx->run, &nb)) < 0)
		goto out;
	for (size_t i = 0; i < open.n; i++) {
		open_iv *o = &open.v[i];
		if (o->matched || irmf__uncollected(o->key,
		    irmf__sections_of(e->snap), e->snap))
			continue;   /* unknown now, not removed: keep it open */
		if ((rc = close_iv(st, srv, o->key_id, rx->run)) < 0 ||
		    (rc = irmf__changes_add(rx->drift, IRMF_CHANGE_REMOVED,
		    rx->run,
		    e->server, o->key, o->value, NULL, o->since, rx->at,
		    NULL)) < 0)
			goto out;
	}
out:
	open_list_clear(&open);
	return rc;
}
