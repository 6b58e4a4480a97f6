/*
 * db.c - the store's statement helpers over sqlite3 (store_db.h): the one
 * place sqlite3 errors become irmfleet errors (IRMF_EDB, naming the
 * database), cached prepared statements bound by a format string, and the
 * write transaction (BEGIN IMMEDIATE: writers queue on the busy timeout
 * instead of failing, and a process killed mid-way leaves the database as
 * it was before).
 */
#include <stdarg.h>

#include <sqlite3.h>

#include "error.h"
#include "store_db.h"

/* The one place sqlite3 errors become irmfleet errors. */
int
irmf__db_fail(irmf_store *st, const char *what)
{
	int code = sqlite3_extended_errcode(st->db);

	if ((code & 0xff) == SQLITE_NOMEM)
		return irmf_error_oom();
	return irmf_error_set(IRMF_EDB, "'%s': %s: %s", st->path, what,
	    sqlite3_errmsg(st->db));
}

/* A cached prepared statement for a static SQL string, reset and with
 * bindings cleared. */
int
irmf__q_prep(irmf_store *st, const char *sql, sqlite3_stmt **out)
{
	size_t i;

	for (i = 0; i < st->nstmts; i++)
		if (st->stmts[i].sql == sql) {
			sqlite3_reset(st->stmts[i].s);
			sqlite3_clear_bindings(st->stmts[i].s);
			*out = st->stmts[i].s;
			return IRMF_OK;
		}
	if (i == MAX_STMTS)
		return irmf_error_set(IRMF_ELIMIT, "'%s': too many statements",
		    st->path);
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st->stmts[i].s, NULL) != SQLITE_OK)
		return irmf__db_fail(st, "preparing a query");
	st->stmts[i].sql = sql;
	st->nstmts++;
	*out = st->stmts[i].s;
	return IRMF_OK;
}

/* Bind by format: 'i' int64_t, 'I' int64_t with 0 binding NULL,
 * 't' const char * (NULL binds NULL). */
static int
q_bindv(irmf_store *st, sqlite3_stmt *s, const char *fmt, va_list ap)
{
	for (int i = 1; fmt[i - 1] != '\0'; i++) {
		int rc;
		if (fmt[i - 1] == 'i') {
			rc = sqlite3_bind_int64(s, i, va_arg(ap, int64_t));
		} else if (fmt[i - 1] == 'I') {
			int64_t v = va_arg(ap, int64_t);
			rc = v ? sqlite3_bind_int64(s, i, v) :
			    sqlite3_bind_null(s, i);
		} else {
			const char *t = va_arg(ap, const char *);
			rc = t ? sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC) :
			    sqlite3_bind_null(s, i);
		}
		if (rc != SQLITE_OK)
			return irmf__db_fail(st, "binding a parameter");
	}
	return IRMF_OK;
}

int
irmf__q_open(irmf_store *st, const char *sql, sqlite3_stmt **out,
    const char *fmt, ...)
{
	va_list ap;
	int rc;

	if ((rc = irmf__q_prep(st, sql, out)) < 0)
		return rc;
	va_start(ap, fmt);
	rc = q_bindv(st, *out, fmt, ap);
	va_end(ap);
	return rc;
}

/* 1 = row, 0 = done (statement reset), <0 = error (statement reset). */
int
irmf__q_step(irmf_store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return 0;
	}
	rc = irmf__db_fail(st, "query");
	sqlite3_reset(s);
	return rc;
}

/* Run a statement that returns no rows. */
int
irmf__q_run(irmf_store *st, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *s;
	va_list ap;
	int rc;

	if ((rc = irmf__q_prep(st, sql, &s)) < 0)
		return rc;
	va_start(ap, fmt);
	rc = q_bindv(st, s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	while ((rc = irmf__q_step(st, s)) == 1)
		;
	return rc;
}

/* First column of the first row as int64; *found = whether a row came
 * (a NULL value gives 0). */
int
irmf__q_int(irmf_store *st, int64_t *out, bool *found, const char *sql,
    const char *fmt, ...)
{
	sqlite3_stmt *s = NULL;
	va_list ap;
	int rc;

	*out = 0;
	if (found)
		*found = false;
	if ((rc = irmf__q_prep(st, sql, &s)) < 0)
		return rc;
	va_start(ap, fmt);
	rc = q_bindv(st, s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	if ((rc = irmf__q_step(st, s)) == 1) {
		*out = sqlite3_column_int64(s, 0);
		if (found)
			*found = true;
		sqlite3_reset(s);
		rc = 0;
	}
	return rc;
}

char *
irmf__col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? irmf_strdup((const char *)t) : NULL;
}

const char *
irmf__col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

int
irmf__exec_sql(irmf_store *st, const char *sql, const char *what)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return irmf__db_fail(st, what);
	return IRMF_OK;
}

int
irmf__begin_write(irmf_store *st)
{
	return irmf__exec_sql(st, "BEGIN IMMEDIATE",
	    "starting a write transaction");
}

int
irmf__commit(irmf_store *st)
{
	return irmf__exec_sql(st, "COMMIT", "committing");
}

/* Roll back after a failure, keeping the failure's message. */
void
irmf__rollback(irmf_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	irmf__idmap_clear(&st->keys);
	irmf__idmap_clear(&st->values);
}
