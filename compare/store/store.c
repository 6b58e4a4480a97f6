/*
 * store.c - the SQLite history (include/irmfleet/store.h).
 *
 * This is the only file that talks to sqlite3; every sqlite3 error is
 * turned into IRMF_EDB here, with the database path.  The schema is in
 * `migrations` below (docs/history.md explains it): runs, servers,
 * snapshot contents deduplicated by canonical hash, "sightings" (a server
 * seen in consecutive runs with the same content is one row whose
 * last_run moves forward), and setting intervals (a value held from one
 * run until another).  An unchanged fleet therefore adds one runs row per
 * audit, and the file grows with changes only.
 *
 * A run is recorded in one BEGIN IMMEDIATE transaction: writers queue on
 * the busy timeout instead of failing, and a process killed mid-way
 * leaves the database as it was before the run.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "error.h"
#include "fileio.h"
#include "settings.h"
#include "snapshot_int.h"
#include "store_int.h"

#define DEFAULT_BUSY_MS 120000
#define NSECTIONS 5

/* ------------------------------------------------------------ schema */

/* Each entry takes the schema from version i to i + 1.  Never edit a
 * released entry; append a new one and bump IRMF_STORE_SCHEMA_VERSION. */
static const char *const migrations[] = {
	/* 0 -> 1: the history tables */
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  started_at TEXT NOT NULL,"
	"  finished_at TEXT,"
	"  hosts_ok INTEGER NOT NULL,"
	"  hosts_failed INTEGER NOT NULL);"
	"CREATE TABLE servers ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE);"
	"CREATE TABLE snapshots ("
	"  id INTEGER PRIMARY KEY,"
	"  server_id INTEGER NOT NULL REFERENCES servers(id),"
	"  hash TEXT NOT NULL,"
	"  fqdn TEXT, roles INTEGER NOT NULL, product TEXT, build TEXT,"
	"  os TEXT, cohort TEXT NOT NULL,"
	"  sections INTEGER NOT NULL,"
	"  nsettings INTEGER NOT NULL,"
	"  UNIQUE (server_id, hash));"
	"CREATE TABLE snapshot_errors ("
	"  snapshot_id INTEGER NOT NULL REFERENCES snapshots(id)"
	"    ON DELETE CASCADE,"
	"  item TEXT NOT NULL, reason TEXT NOT NULL, message TEXT);"
	"CREATE INDEX snapshot_errors_snap ON snapshot_errors(snapshot_id);"
	"CREATE TABLE sightings ("
	"  id INTEGER PRIMARY KEY,"
	"  server_id INTEGER NOT NULL REFERENCES servers(id),"
	"  status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),"
	"  snapshot_id INTEGER REFERENCES snapshots(id),"
	"  error TEXT,"
	"  first_run INTEGER NOT NULL REFERENCES runs(id),"
	"  last_run INTEGER NOT NULL REFERENCES runs(id),"
	"  first_collected TEXT, last_collected TEXT,"
	"  CHECK ((status = 'ok') = (snapshot_id IS NOT NULL)));"
	"CREATE INDEX sightings_server ON sightings(server_id, last_run);"
	"CREATE TABLE setting_keys ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL UNIQUE COLLATE NOCASE);"
	"CREATE TABLE setting_values ("
	"  id INTEGER PRIMARY KEY,"
	"  value TEXT NOT NULL, norm TEXT NOT NULL,"
	"  UNIQUE (value, norm));"
	"CREATE TABLE intervals ("
	"  server_id INTEGER NOT NULL REFERENCES servers(id),"
	"  key_id INTEGER NOT NULL REFERENCES setting_keys(id),"
	"  value_id INTEGER NOT NULL REFERENCES setting_values(id),"
	/* from_run/to_run reference runs(id) too, but are not declared as
	 * foreign keys: the check per inserted row cost a third of recording
	 * a large fleet; db check verifies them */
	"  from_run INTEGER NOT NULL,"
	"  to_run INTEGER,"
	"  PRIMARY KEY (server_id, key_id, from_run)) WITHOUT ROWID;",

	/* 1 -> 2: prune bookkeeping; at most one open interval per
	 * (server, setting), enforced */
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
	"  WITHOUT ROWID;"
	"CREATE UNIQUE INDEX intervals_open ON intervals(server_id, key_id)"
	"  WHERE to_run IS NULL;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) ==
    IRMF_STORE_SCHEMA_VERSION, "one migration per schema version");

/* ------------------------------------------------- string -> id cache */

typedef struct idmap_entry {
	char *k;
	int64_t v;
} idmap_entry;

typedef struct idmap {
	idmap_entry *e;
	size_t n, cap;   /* cap is 0 or a power of two */
} idmap;

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void
idmap_clear(idmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->e[i].k);
	free(m->e);
	memset(m, 0, sizeof(*m));
}

static int64_t
idmap_get(const idmap *m, const char *k)
{
	if (m->cap == 0)
		return 0;
	for (size_t i = fnv1a(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->e[i].k == NULL)
			return 0;
		if (strcmp(m->e[i].k, k) == 0)
			return m->e[i].v;
	}
}

static int idmap_put(idmap *m, const char *k, int64_t v);

static int
idmap_grow(idmap *m)
{
	idmap old = *m;
	size_t ncap = m->cap ? m->cap * 2 : 1024;

	if ((m->e = calloc(ncap, sizeof(*m->e))) == NULL) {
		*m = old;
		return irmf_error_oom();
	}
	m->cap = ncap;
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.e[i].k != NULL) {
			size_t j = fnv1a(old.e[i].k) & (ncap - 1);
			while (m->e[j].k != NULL)
				j = (j + 1) & (ncap - 1);
			m->e[j] = old.e[i];
			m->n++;
		}
	free(old.e);
	return IRMF_OK;
}

static int
idmap_put(idmap *m, const char *k, int64_t v)
{
	size_t i;
	int rc;

	if ((m->n + 1) * 2 > m->cap && (rc = idmap_grow(m)) < 0)
		return rc;
	for (i = fnv1a(k) & (m->cap - 1); m->e[i].k != NULL;
	    i = (i + 1) & (m->cap - 1))
		if (strcmp(m->e[i].k, k) == 0) {
			m->e[i].v = v;
			return IRMF_OK;
		}
	if ((m->e[i].k = irmf_strdup(k)) == NULL)
		return IRMF_ENOMEM;
	m->e[i].v = v;
	m->n++;
	return IRMF_OK;
}

/* ------------------------------------------------------------- handle */

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

/* The one place sqlite3 errors become irmfleet errors. */
static int
db_fail(irmf_store *st, const char *what)
{
	int code = sqlite3_extended_errcode(st->db);

	if ((code & 0xff) == SQLITE_NOMEM)
		return irmf_error_oom();
	return irmf_error_set(IRMF_EDB, "'%s': %s: %s", st->path, what,
	    sqlite3_errmsg(st->db));
}

/* A cached prepared statement for a static SQL string, reset and with
 * bindings cleared. */
static int
q_prep(irmf_store *st, const char *sql, sqlite3_stmt **out)
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
		return db_fail(st, "preparing a query");
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
			return db_fail(st, "binding a parameter");
	}
	return IRMF_OK;
}

static int
q_open(irmf_store *st, const char *sql, sqlite3_stmt **out,
    const char *fmt, ...)
{
	va_list ap;
	int rc;

	if ((rc = q_prep(st, sql, out)) < 0)
		return rc;
	va_start(ap, fmt);
	rc = q_bindv(st, *out, fmt, ap);
	va_end(ap);
	return rc;
}

/* 1 = row, 0 = done (statement reset), <0 = error (statement reset). */
static int
q_step(irmf_store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return 0;
	}
	rc = db_fail(st, "query");
	sqlite3_reset(s);
	return rc;
}

/* Run a statement that returns no rows. */
static int
q_run(irmf_store *st, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *s;
	va_list ap;
	int rc;

	if ((rc = q_prep(st, sql, &s)) < 0)
		return rc;
	va_start(ap, fmt);
	rc = q_bindv(st, s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	while ((rc = q_step(st, s)) == 1)
		;
	return rc;
}

/* First column of the first row as int64; *found = whether a row came
 * (a NULL value gives 0). */
static int
q_int(irmf_store *st, int64_t *out, bool *found, const char *sql,
    const char *fmt, ...)
{
	sqlite3_stmt *s = NULL;
	va_list ap;
	int rc;

	*out = 0;
	if (found)
		*found = false;
	if ((rc = q_prep(st, sql, &s)) < 0)
		return rc;
	va_start(ap, fmt);
	rc = q_bindv(st, s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	if ((rc = q_step(st, s)) == 1) {
		*out = sqlite3_column_int64(s, 0);
		if (found)
			*found = true;
		sqlite3_reset(s);
		rc = 0;
	}
	return rc;
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? irmf_strdup((const char *)t) : NULL;
}

static const char *
col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

static int
exec_sql(irmf_store *st, const char *sql, const char *what)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(st, what);
	return IRMF_OK;
}

static int
begin_write(irmf_store *st)
{
	return exec_sql(st, "BEGIN IMMEDIATE", "starting a write transaction");
}

static int
commit(irmf_store *st)
{
	return exec_sql(st, "COMMIT", "committing");
}

/* Roll back after a failure, keeping the failure's message. */
static void
rollback(irmf_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	idmap_clear(&st->keys);
	idmap_clear(&st->values);
}

static int
pragma_int(irmf_store *st, const char *sql, int64_t *out)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*out = 0;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, "reading the database header");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE)
		rc = db_fail(st, "reading the database header");
	sqlite3_finalize(s);
	return rc < 0 ? rc : IRMF_OK;
}

/* Refuse files that are not ours or come from a newer irmfleet; this
 * only reads, so a foreign file is refused before anything (the switch
 * to WAL, a migration) changes it.  *empty: no tables yet (a new file). */
static int check_header_reads(irmf_store *st, int64_t *version,
    bool *empty);

/* The reads must see one state of the file: an audit creating it may
 * commit its first migration (tables, schema version and application id
 * together) between two of them, and "tables but no application id" would
 * then refuse our own fresh database.  Outside a transaction they run in
 * a read transaction of their own. */
static int
check_header(irmf_store *st, int64_t *version, bool *empty)
{
	int rc;

	if (!sqlite3_get_autocommit(st->db))
		return check_header_reads(st, version, empty);
	if ((rc = exec_sql(st, "BEGIN", "reading the database header")) < 0)
		return rc;
	if ((rc = check_header_reads(st, version, empty)) < 0) {
		/* keep the reason already set; the rollback only ends the
		 * read transaction */
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	return exec_sql(st, "COMMIT", "reading the database header");
}

static int
check_header_reads(irmf_store *st, int64_t *version, bool *empty)
{
	int64_t app, ntables;
	int rc;

	*empty = false;
	if ((rc = pragma_int(st, "PRAGMA user_version", version)) < 0 ||
	    (rc = pragma_int(st, "PRAGMA application_id", &app)) < 0) {
		if ((sqlite3_errcode(st->db) & 0xff) == SQLITE_NOTADB)
			return irmf_error_set(IRMF_EUNSUPPORTED, "'%s': not an "
			    "irmfleet history database (not an SQLite "
			    "database)", st->path);
		return rc;
	}
	if (app != 0 && app != IRMF_STORE_APP_ID)
		return irmf_error_set(IRMF_EUNSUPPORTED, "'%s': not an irmfleet "
		    "history database (application id 0x%llx)", st->path,
		    (unsigned long long)app);
	/* ours has the application id from its first migration on */
	if (app == 0) {
		if ((rc = pragma_int(st, "SELECT count(*) FROM sqlite_master",
		    &ntables)) < 0)
			return rc;
		if (ntables > 0 || *version != 0)
			return irmf_error_set(IRMF_EUNSUPPORTED, "'%s': not an "
			    "irmfleet history database (has %s but no "
			    "irmfleet application id)", st->path, ntables > 0 ?
			    "tables" : "a schema version");
		*empty = true;
	}
	if (*version > IRMF_STORE_SCHEMA_VERSION)
		return irmf_error_set(IRMF_EUNSUPPORTED, "'%s': history database "
		    "has schema version %lld, newer than this irmfleet supports "
		    "(%d); use a newer irmfleet", st->path, (long long)*version,
		    IRMF_STORE_SCHEMA_VERSION);
	return IRMF_OK;
}

static int
migrate(irmf_store *st)
{
	int64_t v;
	char sql[96];
	bool empty;
	int rc;

	if ((rc = begin_write(st)) < 0)
		return rc;
	/* re-read under the write lock: another process may have migrated */
	if ((rc = check_header(st, &v, &empty)) < 0)
		goto fail;
	for (; v < IRMF_STORE_SCHEMA_VERSION; v++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %lld",
		    (long long)v + 1);
		if ((rc = exec_sql(st, migrations[v], "migrating the schema")) < 0 ||
		    (rc = exec_sql(st, sql, "migrating the schema")) < 0)
			goto fail;
	}
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d",
	    IRMF_STORE_APP_ID);
	if ((rc = exec_sql(st, sql, "migrating the schema")) < 0 ||
	    (rc = commit(st)) < 0)
		goto fail;
	return IRMF_OK;
fail:
	rollback(st);
	return rc;
}

/* Switch to WAL.  While another process creates the file or switches
 * it, SQLite reports SQLITE_BUSY here without calling the busy handler,
 * so wait and retry ourselves, within the same busy timeout. */
static int
use_wal(irmf_store *st, int busy_ms)
{
	sqlite3_stmt *s = NULL;
	int rc, waited = 0;
	bool wal;

	for (;;) {
		if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1,
		    &s, NULL) != SQLITE_OK) {
			rc = sqlite3_errcode(st->db);
		} else {
			rc = sqlite3_step(s);
			if (rc == SQLITE_ROW) {
				wal = strcasecmp((const char *)
				    sqlite3_column_text(s, 0), "wal") == 0;
				sqlite3_finalize(s);
				if (!wal)
					return irmf_error_set(IRMF_EDB, "'%s': "
					    "cannot use WAL mode (is the file on "
					    "a network file system?)", st->path);
				return IRMF_OK;
			}
			rc = sqlite3_errcode(st->db);
			sqlite3_finalize(s);
		}
		s = NULL;
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
		if (waited >= busy_ms)
			break;
		sqlite3_sleep(20);
		waited += 20;
	}
	return db_fail(st, "switching to WAL mode");
}

/* A read-only open (history, db check) changes nothing, so it cannot
 * create or migrate: say what to run instead. */
static int
check_readable(irmf_store *st, int64_t v, bool empty)
{
	if (empty)
		return irmf_error_set(IRMF_ENOTFOUND, "'%s': no history "
		    "recorded in this database (run 'irmfleet audit' first)",
		    st->path);
	if (v < IRMF_STORE_SCHEMA_VERSION)
		return irmf_error_set(IRMF_EUNSUPPORTED, "'%s': history "
		    "database has schema version %lld, older than this "
		    "irmfleet's (%d); the next 'irmfleet audit' upgrades it",
		    st->path, (long long)v, IRMF_STORE_SCHEMA_VERSION);
	return IRMF_OK;
}

static int
setup(irmf_store *st, int busy_ms, bool read_only)
{
	int64_t v;
	bool empty;
	int rc;

	if (busy_ms <= 0)
		busy_ms = DEFAULT_BUSY_MS;
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, busy_ms);
	if ((rc = check_header(st, &v, &empty)) < 0)
		return rc;
	if (read_only)
		return check_readable(st, v, empty);
	if ((rc = use_wal(st, busy_ms)) < 0)
		return rc;
	/* FULL: a committed audit survives power loss too; one fsync per run */
	if ((rc = exec_sql(st, "PRAGMA synchronous = FULL; "
	    "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536",
	    "configuring the connection")) < 0)
		return rc;
	if (v < IRMF_STORE_SCHEMA_VERSION)
		return migrate(st);
	return IRMF_OK;
}

int
irmf_store_open(irmf_store **out, const char *path,
    const irmf_store_options *opts)
{
	irmf_store_options defaults = { 0 };
	irmf_store *st;
	struct stat sb;
	int flags = SQLITE_OPEN_READWRITE, rc;

	*out = NULL;
	if (opts == NULL)
		opts = &defaults;
	if (path == NULL || *path == '\0')
		return irmf_error_set(IRMF_EUSAGE, "no history database given");
	if (stat(path, &sb) != 0) {
		if (!opts->create || opts->read_only)
			return irmf_error_set(IRMF_ENOTFOUND, "'%s': no such "
			    "history database (run 'irmfleet audit' first)",
			    path);
	} else if (!S_ISREG(sb.st_mode)) {
		/* SQLite would block on a FIFO, or write to a device */
		return irmf_error_set(IRMF_EUNSUPPORTED, "'%s': not an irmfleet "
		    "history database (%s)", path, irmf_file_kind(sb.st_mode));
	}
	if (opts->read_only)
		flags = SQLITE_OPEN_READONLY;
	else if (opts->create)
		flags |= SQLITE_OPEN_CREATE;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return irmf_error_oom();
	if ((st->path = irmf_strdup(path)) == NULL) {
		free(st);
		return IRMF_ENOMEM;
	}
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		rc = st->db ? db_fail(st, "opening") : irmf_error_oom();
		irmf_store_close(st);
		return rc;
	}
	if ((rc = setup(st, opts->busy_timeout_ms, opts->read_only)) < 0) {
		irmf_store_close(st);
		return rc;
	}
	*out = st;
	return IRMF_OK;
}

void
irmf_store_close(irmf_store *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < st->nstmts; i++)
		sqlite3_finalize(st->stmts[i].s);
	sqlite3_close(st->db);
	idmap_clear(&st->keys);
	idmap_clear(&st->values);
	free(st->path);
	free(st);
}

char *
irmf_store_default_path(void)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *p;
	size_t n;

	if (xdg != NULL && xdg[0] == '/') {
		n = strlen(xdg) + 32;
		if ((p = malloc(n)) != NULL)
			snprintf(p, n, "%s/irmfleet/history.db", xdg);
	} else if (home != NULL && home[0] == '/') {
		n = strlen(home) + 48;
		if ((p = malloc(n)) != NULL)
			snprintf(p, n, "%s/.local/state/irmfleet/history.db",
			    home);
	} else {
		p = malloc(32);
		if (p != NULL)
			snprintf(p, 32, "irmfleet-history.db");
	}
	if (p == NULL)
		irmf_error_oom();
	return p;
}

/* ------------------------------------------------------- change lists */

static const char *const change_names[] = {
	"added", "removed", "changed", "new-server", "failed",
	"not-collected", "absent", "stale"
};

const char *
irmf_change_kind_name(irmf_change_kind k)
{
	if ((unsigned)k < sizeof(change_names) / sizeof(change_names[0]))
		return change_names[k];
	return "unknown";
}

bool
irmf_change_is_unchecked(irmf_change_kind k)
{
	return k == IRMF_CHANGE_FAILED || k == IRMF_CHANGE_NOT_COLLECTED ||
	    k == IRMF_CHANGE_ABSENT || k == IRMF_CHANGE_STALE;
}

static void
change_free(irmf_change *c)
{
	free(c->server);
	free(c->setting);
	free(c->old_value);
	free(c->new_value);
	free(c->old_since);
	free(c->at);
	free(c->message);
}

void
irmf_changes_clear(irmf_changes *c)
{
	for (size_t i = 0; i < c->n; i++)
		change_free(&c->items[i]);
	free(c->items);
	memset(c, 0, sizeof(*c));
}

/* Append a change; the strings are copied. */
static int
changes_add(irmf_changes *c, irmf_change_kind kind, int64_t run,
    const char *server, const char *setting, const char *old_value,
    const char *new_value, const char *old_since, const char *at,
    const char *message)
{
	irmf_change *x;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		irmf_change *p = realloc(c->items, ncap * sizeof(*p));
		if (p == NULL)
			return irmf_error_oom();
		c->items = p;
		c->cap = ncap;
	}
	x = &c->items[c->n];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->run_id = run;
	if ((server && !(x->server = irmf_strdup(server))) ||
	    (setting && !(x->setting = irmf_strdup(setting))) ||
	    (old_value && !(x->old_value = irmf_strdup(old_value))) ||
	    (new_value && !(x->new_value = irmf_strdup(new_value))) ||
	    (old_since && !(x->old_since = irmf_strdup(old_since))) ||
	    (at && !(x->at = irmf_strdup(at))) ||
	    (message && !(x->message = irmf_strdup(message)))) {
		change_free(x);
		return IRMF_ENOMEM;
	}
	c->n++;
	return IRMF_OK;
}

static int
nullcmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcasecmp(a, b);
}

/* Drift order: server, then setting. */
static int
cmp_drift(const void *pa, const void *pb)
{
	const irmf_change *a = pa, *b = pb;
	int c = nullcmp(a->server, b->server);

	return c ? c : nullcmp(a->setting, b->setting);
}

/* History order: newest run first, then server, setting. */
static int
cmp_history(const void *pa, const void *pb)
{
	const irmf_change *a = pa, *b = pb;

	if (a->run_id != b->run_id)
		return a->run_id > b->run_id ? -1 : 1;
	return cmp_drift(pa, pb);
}

/* ------------------------------------------------- canonical content */

typedef struct kv {
	const char *a, *b;
} kv;

static int
cmp_kv(const void *pa, const void *pb)
{
	const kv *x = pa, *y = pb;
	int c = strcasecmp(x->a, y->a);

	if (c == 0)
		c = strcmp(x->a, y->a);
	return c ? c : strcmp(x->b, y->b);
}

/* Settings come sorted from the flattening; skip the sort then. */
static bool
kv_sorted(const kv *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (cmp_kv(&v[i - 1], &v[i]) > 0)
			return false;
	return true;
}

typedef struct ident {
	const char *fqdn, *product, *build, *os, *cohort;
	unsigned roles, sections;
} ident;

static void
h_str(EVP_MD_CTX *ctx, const char *s, bool fold)
{
	char buf[256];
	size_t n, len;

	if (s == NULL) {
		EVP_DigestUpdate(ctx, "-", 1);
		return;
	}
	len = strlen(s);
	/* "<len>:" without printf: this runs for every setting */
	n = sizeof(buf);
	buf[--n] = ':';
	for (size_t x = len; ; x /= 10) {
		buf[--n] = (char)('0' + x % 10);
		if (x < 10)
			break;
	}
	EVP_DigestUpdate(ctx, buf + n, sizeof(buf) - n);
	if (!fold) {
		EVP_DigestUpdate(ctx, s, len);
		return;
	}
	while (len > 0) {
		n = len < sizeof(buf) ? len : sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = (char)tolower((unsigned char)s[i]);
		EVP_DigestUpdate(ctx, buf, n);
		s += n;
		len -= n;
	}
}

/* SHA-256 of a length-prefixed serialization; errs and sets are sorted
 * in place.  Setting keys are case-folded as the store compares them. */
static int
canon_hash(const ident *id, kv *errs, size_t nerr, kv *sets, size_t nset,
    char hex[65])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char num[64];

	if (ctx == NULL)
		return irmf_error_oom();
	if (nerr > 1 && !kv_sorted(errs, nerr))
		qsort(errs, nerr, sizeof(kv), cmp_kv);
	if (nset > 1 && !kv_sorted(sets, nset))
		qsort(sets, nset, sizeof(kv), cmp_kv);
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return irmf_error_set(IRMF_ERROR, "sha-256 unavailable");
	}
	EVP_DigestUpdate(ctx, "irmfleet-history-1\n", 19);
	h_str(ctx, id->fqdn, false);
	h_str(ctx, id->product, false);
	h_str(ctx, id->build, false);
	h_str(ctx, id->os, false);
	h_str(ctx, id->cohort, false);
	snprintf(num, sizeof(num), "r%u s%u e%zu", id->roles, id->sections,
	    nerr);
	h_str(ctx, num, false);
	for (size_t i = 0; i < nerr; i++) {
		h_str(ctx, errs[i].a, true);
		h_str(ctx, errs[i].b, false);
	}
	snprintf(num, sizeof(num), "n%zu", nset);
	h_str(ctx, num, false);
	for (size_t i = 0; i < nset; i++) {
		h_str(ctx, sets[i].a, true);
		h_str(ctx, sets[i].b, false);
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	for (unsigned i = 0; i < mdlen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
	return IRMF_OK;
}

static unsigned
sections_of(const irmf_snapshot *snap)
{
	unsigned m = 0;

	for (int i = 0; i < NSECTIONS; i++)
		if (irmf_section_present(snap, (irmf_section)i))
			m |= 1u << i;
	return m;
}

static int
section_of_key(const char *key)
{
	static const char *const prefixes[NSECTIONS] = {
		"reg:", "irm:", "irm-test:", "file:", "identity:"
	};

	for (int i = 0; i < NSECTIONS; i++)
		if (strncasecmp(key, prefixes[i], strlen(prefixes[i])) == 0)
			return i;
	return -1;
}

/* A setting that the snapshot could not have collected: its section is
 * absent or a collection error covers it.  errsnap carries the errors. */
static bool
uncollected(const char *key, unsigned sections, const irmf_snapshot *errsnap)
{
	int sec = section_of_key(key);

	if (sec >= 0 && !(sections & (1u << sec)))
		return true;
	return irmf_setting_collect_error(errsnap, key) != NULL;
}

int
irmf_store_recorded_settings(const irmf_snapshot *snap, irmf_settings *out)
{
	unsigned sections = sections_of(snap);
	size_t j = 0;
	int rc;

	if ((rc = irmf_settings_extract(snap, out)) < 0)
		return rc;
	for (size_t i = 0; i < out->n; i++) {
		irmf_setting *s = &out->items[i];
		if (uncollected(s->key, sections, snap)) {
			free(s->key);
			free(s->value);
			free(s->norm);
			continue;
		}
		out->items[j++] = *s;
	}
	out->n = j;
	return IRMF_OK;
}

static int
hash_snapshot(const irmf_snapshot *snap, const irmf_settings *set,
    char hex[65])
{
	ident id = { snap->fqdn, snap->product, snap->product_build,
	    snap->os_version, irmf_cohort_of(snap), snap->roles,
	    sections_of(snap) };
	kv *errs = calloc(snap->nerrors + 1, sizeof(kv));
	kv *sets = calloc(set->n + 1, sizeof(kv));
	int rc;

	if (errs == NULL || sets == NULL) {
		rc = irmf_error_oom();
		goto out;
	}
	for (size_t i = 0; i < snap->nerrors; i++) {
		errs[i].a = snap->errors[i].item;
		errs[i].b = irmf_collect_reason_name(snap->errors[i].reason);
	}
	for (size_t i = 0; i < set->n; i++) {
		sets[i].a = set->items[i].key;
		sets[i].b = set->items[i].value;
	}
	rc = canon_hash(&id, errs, snap->nerrors, sets, set->n, hex);
out:
	free(errs);
	free(sets);
	return rc;
}

int
irmf_store_snapshot_hash(const irmf_snapshot *snap, char hex[65])
{
	irmf_settings set = { 0 };
	int rc;

	if ((rc = irmf_store_recorded_settings(snap, &set)) == 0)
		rc = hash_snapshot(snap, &set, hex);
	irmf_settings_clear(&set);
	return rc;
}

/* ------------------------------------------------------ recording */

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
	return hash_snapshot(e->snap, &e->set, e->hash);
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
intern_key(irmf_store *st, const char *key, int64_t *id)
{
	char *low = malloc(strlen(key) + 1);
	bool found;
	int rc = IRMF_OK;

	if (low == NULL)
		return irmf_error_oom();
	for (size_t i = 0; (low[i] = (char)tolower((unsigned char)key[i])); i++)
		;
	if ((*id = idmap_get(&st->keys, low)) != 0)
		goto out;
	if ((rc = q_int(st, id, &found,
	    "SELECT id FROM setting_keys WHERE key = ?", "t", key)) < 0)
		goto out;
	if (!found) {
		if ((rc = q_run(st, "INSERT INTO setting_keys (key) VALUES (?)",
		    "t", key)) < 0)
			goto out;
		*id = sqlite3_last_insert_rowid(st->db);
	}
	rc = idmap_put(&st->keys, low, *id);
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
	if ((*id = idmap_get(&st->values, ck)) != 0)
		goto out;
	if ((rc = q_int(st, id, &found, "SELECT id FROM setting_values "
	    "WHERE value = ? AND norm = ?", "tt", value, norm)) < 0)
		goto out;
	if (!found) {
		if ((rc = q_run(st, "INSERT INTO setting_values (value, norm) "
		    "VALUES (?, ?)", "tt", value, norm)) < 0)
			goto out;
		*id = sqlite3_last_insert_rowid(st->db);
	}
	rc = idmap_put(&st->values, ck, *id);
out:
	free(ck);
	return rc;
}

static int
server_id(irmf_store *st, const char *name, int64_t *id)
{
	bool found;
	int rc;

	if ((rc = q_int(st, id, &found, "SELECT id FROM servers WHERE name = ?",
	    "t", name)) < 0 || found)
		return rc;
	if ((rc = q_run(st, "INSERT INTO servers (name) VALUES (?)", "t",
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

	if ((rc = q_open(st, q_last, &s, "i", srv)) < 0)
		return rc;
	if ((rc = q_step(st, s)) == 1) {
		if (sqlite3_column_int64(s, 3) == prev_run && prev_run != 0 &&
		    strcmp(col_text(s, 1), status) == 0 &&
		    sqlite3_column_int64(s, 2) == snap_id)
			sid = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	} else if (rc < 0) {
		return rc;
	}
	if (sid != 0)
		return q_run(st, "UPDATE sightings SET last_run = ?, "
		    "last_collected = ?, error = ? WHERE id = ?", "itti", run,
		    collected, error, sid);
	return q_run(st, "INSERT INTO sightings (server_id, status, "
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
	if ((rc = q_int(st, id, &found, "SELECT id FROM snapshots WHERE "
	    "server_id = ? AND hash = ?", "it", srv, e->hash)) < 0 || found)
		return rc;
	if ((rc = q_run(st, "INSERT INTO snapshots (server_id, hash, fqdn, "
	    "roles, product, build, os, cohort, sections, nsettings) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "ittittttii", srv, e->hash,
	    sn->fqdn, (int64_t)sn->roles, sn->product, sn->product_build,
	    sn->os_version, irmf_cohort_of(sn), (int64_t)sections_of(sn),
	    (int64_t)e->set.n)) < 0)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	*added = true;
	for (size_t i = 0; i < sn->nerrors; i++)
		if ((rc = q_run(st, "INSERT INTO snapshot_errors (snapshot_id, "
		    "item, reason, message) VALUES (?, ?, ?, ?)", "ittt", *id,
		    sn->errors[i].item,
		    irmf_collect_reason_name(sn->errors[i].reason),
		    sn->errors[i].message)) < 0)
			return rc;
	return IRMF_OK;
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

	if ((rc = q_open(st, q_open_ivs, &s, "i", srv)) < 0)
		return rc;
	while ((rc = q_step(st, s)) == 1) {
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
		o->key = col_dup(s, 2);
		o->value = col_dup(s, 3);
		o->since = col_dup(s, 4);
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
	return q_run(st, "UPDATE intervals SET to_run = ? WHERE server_id = ? "
	    "AND key_id = ? AND to_run IS NULL", "iii", run, srv, key_id);
}

static int
open_iv_insert(irmf_store *st, int64_t srv, int64_t key_id, int64_t val_id,
    int64_t run)
{
	return q_run(st, "INSERT INTO intervals (server_id, key_id, value_id, "
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
	if ((rc = q_prep(st, batch_sql(), &s)) < 0)
		return rc;
	for (int i = 0; i < IV_BATCH; i++)
		if (sqlite3_bind_int64(s, 4 * i + 1, srv) != SQLITE_OK ||
		    sqlite3_bind_int64(s, 4 * i + 2, b->key[i]) != SQLITE_OK ||
		    sqlite3_bind_int64(s, 4 * i + 3, b->val[i]) != SQLITE_OK ||
		    sqlite3_bind_int64(s, 4 * i + 4, run) != SQLITE_OK)
			return db_fail(st, "binding a parameter");
	b->n = 0;
	while ((rc = q_step(st, s)) == 1)
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

typedef struct run_ctx {
	int64_t run, prev_run;
	const char *at;
	irmf_changes *drift;
} run_ctx;

/* Diff the server's current intervals against the new settings, write
 * the changes and report them. */
static int
update_intervals(irmf_store *st, int64_t srv, const entry *e, bool is_new,
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
			    (rc = changes_add(rx->drift, IRMF_CHANGE_CHANGED,
			    rx->run, e->server, s->key, o->value, s->value,
			    o->since, rx->at, NULL)) < 0)
				goto out;
		} else if (!is_new && (rc = changes_add(rx->drift,
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
		if (o->matched || uncollected(o->key, sections_of(e->snap),
		    e->snap))
			continue;   /* unknown now, not removed: keep it open */
		if ((rc = close_iv(st, srv, o->key_id, rx->run)) < 0 ||
		    (rc = changes_add(rx->drift, IRMF_CHANGE_REMOVED, rx->run,
		    e->server, o->key, o->value, NULL, o->since, rx->at,
		    NULL)) < 0)
			goto out;
	}
out:
	open_list_clear(&open);
	return rc;
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
	    (rc = q_int(st, &prev_snap, NULL, q_latest_ok, "i", srv)) < 0)
		return rc;
	if (added)
		(*nnew)++;
	if (prev_snap != snap_id) {
		if ((rc = update_intervals(st, srv, e, prev_snap == 0, rx)) < 0)
			return rc;
		snprintf(msg, sizeof(msg), "%zu settings", e->set.n);
		if (prev_snap == 0 && rx->prev_run != 0 &&
		    (rc = changes_add(rx->drift, IRMF_CHANGE_NEW_SERVER, rx->run,
		    e->server, NULL, NULL, NULL, NULL, rx->at, msg)) < 0)
			return rc;
	}
	for (size_t i = 0; i < e->snap->nerrors; i++) {
		const irmf_collect_error *ce = &e->snap->errors[i];
		char buf[512];
		snprintf(buf, sizeof(buf), "%s%s%s",
		    irmf_collect_reason_name(ce->reason),
		    ce->message ? ": " : "", ce->message ? ce->message : "");
		if ((rc = changes_add(rx->drift, IRMF_CHANGE_NOT_COLLECTED,
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
	if ((rc = q_open(st, q, &s, "ii", rx->prev_run, rx->run)) < 0)
		return rc;
	while ((rc = q_step(st, s)) == 1)
		if ((rc = changes_add(rx->drift, IRMF_CHANGE_ABSENT, rx->run,
		    col_text(s, 0), NULL, NULL, NULL, col_text(s, 1), rx->at,
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

	if ((rc = q_open(st, q_prev, &s, "")) < 0)
		return rc;
	if ((rc = q_step(st, s)) == 1) {
		rx.prev_run = sqlite3_column_int64(s, 0);
		snprintf(sum->prev_at, sizeof(sum->prev_at), "%s",
		    col_text(s, 1));
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
	if ((rc = q_run(st, "INSERT INTO runs (started_at, hosts_ok, "
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
				rc = changes_add(drift, IRMF_CHANGE_FAILED,
				    rx.run, e->server, NULL, NULL, NULL, NULL, at,
				    e->error);
		} else
			rc = record_ok(st, srv, e, &rx, &sum->snapshots_new);
		if (rc < 0)
			return rc;
	}
	if ((rc = report_absent(st, &rx)) < 0)
		return rc;
	return q_run(st, "UPDATE runs SET finished_at = ? WHERE id = ?", "ti",
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
	if ((rc = check_inputs(ents, n)) < 0 || (rc = begin_write(st)) < 0)
		goto out;
	if ((rc = write_run(st, ents, n, sum->at, sum, drift)) < 0 ||
	    (rc = commit(st)) < 0) {
		rollback(st);
		irmf_changes_clear(drift);
		goto out;
	}
	idmap_clear(&st->keys);
	idmap_clear(&st->values);
	if (drift->n > 1)
		qsort(drift->items, drift->n, sizeof(irmf_change), cmp_drift);
out:
	for (size_t i = 0; i < n; i++)
		irmf_settings_clear(&ents[i].set);
	free(ents);
	return rc;
}

/* ------------------------------------------------------------ queries */

/* An uncached statement for SQL built at run time, with named
 * parameters :srv, :key, :since bound when they occur. */
static int
q_dyn(irmf_store *st, const char *sql, const irmf_history_query *q,
    const char *since, sqlite3_stmt **out)
{
	static const char *const names[] = { ":srv", ":key", ":since" };
	const char *vals[3] = { q->server, q->setting, since };

	if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK)
		return db_fail(st, "preparing a history query");
	for (int i = 0; i < 3; i++) {
		int idx = sqlite3_bind_parameter_index(*out, names[i]);
		if (idx > 0 && sqlite3_bind_text(*out, idx, vals[i], -1,
		    SQLITE_STATIC) != SQLITE_OK) {
			sqlite3_finalize(*out);
			return db_fail(st, "binding a parameter");
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
	if ((rc = q_open(st, q, &s, "")) < 0)
		return rc;
	while ((rc = q_step(st, s)) == 1) {
		const char *last_ok = col_text(s, 1), *first = col_text(s, 2);
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
		if ((rc = changes_add(out, IRMF_CHANGE_STALE, 0, col_text(s, 0),
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
		const char *msg = col_text(s, 8);
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
		if ((rc = changes_add(out, kind, sqlite3_column_int64(s, 0),
		    col_text(s, 2), col_text(s, 3), col_text(s, 4),
		    col_text(s, 5), col_text(s, 6), col_text(s, 1), msg)) < 0)
			break;
	}
	if (rc == SQLITE_DONE)
		rc = IRMF_OK;
	else if (rc > 0)
		rc = db_fail(st, "reading the history");
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
		if ((rc = q_int(st, &id, &found, "SELECT id FROM servers "
		    "WHERE name = ?", "t", q->server)) < 0)
			return rc;
		if (!found)
			return irmf_error_set(IRMF_ENOTFOUND, "'%s': server '%s' "
			    "is not in the history", st->path, q->server);
	}
	if (q->setting != NULL) {
		if ((rc = q_int(st, &id, &found, "SELECT id FROM setting_keys "
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
	if ((rc = q_open(st, q_horizon, &s, "")) < 0)
		return rc;
	if ((rc = q_step(st, s)) == 1) {
		const char *h = col_text(s, 0);
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
		qsort(out->items, out->n, sizeof(irmf_change), cmp_history);
	if (q->limit > 0 && out->n > q->limit) {
		for (size_t i = q->limit; i < out->n; i++)
			change_free(&out->items[i]);
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

	if ((rc = q_int(st, srv, &found, "SELECT id FROM servers WHERE "
	    "name = ?", "t", server)) < 0)
		return rc;
	if (!found)
		return irmf_error_set(IRMF_ENOTFOUND, "'%s': server '%s' is not "
		    "in the history", st->path, server);
	if ((rc = q_int(st, key, &found, "SELECT id FROM setting_keys WHERE "
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
	if ((rc = q_open(st, q_own, &s, "ii", srv, key)) < 0)
		goto out;
	if ((rc = q_step(st, s)) == 1) {
		out->value = col_dup(s, 0);
		norm = col_dup(s, 1);
		out->since = col_dup(s, 2);
		sqlite3_reset(s);
	} else if (rc == 0) {
		if ((rc = q_open(st, q_gone, &s, "ii", srv, key)) < 0)
			goto out;
		if ((rc = q_step(st, s)) == 1) {
			out->since = col_dup(s, 0);
			sqlite3_reset(s);
		}
	}
	if (rc < 0 || (rc = q_open(st, q_major, &s, "i", key)) < 0)
		goto out;
	if ((rc = q_step(st, s)) == 1) {
		maj_norm = col_dup(s, 0);
		out->majority_value = col_dup(s, 1);
		out->majority_count = (size_t)sqlite3_column_int64(s, 2);
		maj_since = col_dup(s, 3);
		/* a tie is no majority */
		if ((rc = q_step(st, s)) == 1) {
			if ((size_t)sqlite3_column_int64(s, 2) ==
			    out->majority_count) {
				free(maj_norm);
				maj_norm = NULL;
			}
			sqlite3_reset(s);
		}
	}
	if (rc < 0 || (rc = q_int(st, &others, NULL, q_others, "ii", key,
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
	if ((rc = exec_sql(st, "PRAGMA foreign_keys = OFF", "pruning")) < 0)
		return rc;
	if ((rc = begin_write(st)) < 0)
		goto out;
	if ((rc = q_run(st, q_iv, "t", cut)) < 0)
		goto fail;
	stats->intervals = (size_t)sqlite3_changes(st->db);
	if ((rc = q_run(st, q_sight, "t", cut)) < 0)
		goto fail;
	stats->sightings = (size_t)sqlite3_changes(st->db);
	if ((rc = q_run(st, q_errs, "")) < 0 || (rc = q_run(st, q_snaps, "")) < 0)
		goto fail;
	stats->snapshots = (size_t)sqlite3_changes(st->db);
	if ((rc = q_run(st, q_runs, "t", cut)) < 0)
		goto fail;
	stats->runs = (size_t)sqlite3_changes(st->db);
	if ((rc = q_run(st, q_vals, "")) < 0 || (rc = q_run(st, q_keys, "")) < 0 ||
	    (rc = q_run(st, q_meta, "t", cut)) < 0 ||
	    (rc = q_int(st, &bad, NULL, q_fk, "")) < 0)
		goto fail;
	if (bad != 0) {
		rc = irmf_error_set(IRMF_EDB, "'%s': pruning would break %lld "
		    "references; nothing removed", st->path, (long long)bad);
		goto fail;
	}
	if (dry_run) {   /* the counts are those of a real prune */
		rollback(st);
		goto out;
	}
	if ((rc = commit(st)) < 0)
		goto fail;
	goto out;
fail:
	rollback(st);
	memset(stats, 0, sizeof(*stats));
out:
	if (exec_sql(st, "PRAGMA foreign_keys = ON", "pruning") < 0 && rc == 0)
		rc = IRMF_EDB;
	return rc;
}

/* ------------------------------------------------------------- forget */

/* The servers' ids, in argument order.  Unknown names fail the whole
 * call, naming them (the first few). */
static int
forget_ids(irmf_store *st, const char *const *servers, size_t n,
    int64_t *ids)
{
	char names[256] = "";
	size_t unknown = 0, len = 0;
	bool found;
	int rc;

	for (size_t i = 0; i < n; i++) {
		if (servers[i] == NULL || servers[i][0] == '\0')
			return irmf_error_set(IRMF_EUSAGE, "'%s': empty server "
			    "name", st->path);
		if ((rc = q_int(st, &ids[i], &found, "SELECT id FROM servers "
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
	if ((rc = q_prep(st, q_name, &s)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, srv);
	if ((rc = q_step(st, s)) == 1) {
		const unsigned char *t = sqlite3_column_text(s, 0);
		snprintf(o->name, sizeof(o->name), "%s", t ? (const char *)t :
		    "");
		sqlite3_reset(s);
	} else if (rc < 0)
		return rc;
	if ((rc = q_run(st, q_runs, "i", srv)) < 0)
		return rc;
	o->runs = (size_t)sqlite3_changes(st->db);
	if ((rc = q_run(st, q_iv, "i", srv)) < 0)
		return rc;
	o->intervals = (size_t)sqlite3_changes(st->db);
	if ((rc = q_run(st, q_sight, "i", srv)) < 0)
		return rc;
	o->sightings = (size_t)sqlite3_changes(st->db);
	if ((rc = q_run(st, q_errs, "i", srv)) < 0 ||
	    (rc = q_run(st, q_snaps, "i", srv)) < 0)
		return rc;
	o->snapshots = (size_t)sqlite3_changes(st->db);
	return q_run(st, q_srv, "i", srv);
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

	if ((rc = q_run(st, q_runs, "")) < 0)
		return rc;
	sh->runs = (size_t)sqlite3_changes(st->db);
	if ((rc = q_run(st, q_vals, "")) < 0)
		return rc;
	sh->values = (size_t)sqlite3_changes(st->db);
	if ((rc = q_run(st, q_keys, "")) < 0)
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
	    (rc = q_int(st, &bad, NULL, q_fk, "")) < 0)
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
	if ((rc = exec_sql(st, "PRAGMA foreign_keys = OFF", "forgetting")) < 0)
		goto out;
	if ((rc = begin_write(st)) < 0)
		goto restore;
	if ((rc = forget_all(st, servers, n, ids, out, &sh)) < 0 ||
	    (!dry_run && (rc = commit(st)) < 0)) {
		rollback(st);
		memset(out, 0, n * sizeof(*out));
		memset(&sh, 0, sizeof(sh));
		goto restore;
	}
	if (dry_run)
		rollback(st);
	/* interned ids cached by an earlier run may have been removed */
	idmap_clear(&st->keys);
	idmap_clear(&st->values);
	if (shared != NULL)
		*shared = sh;
restore:
	if (exec_sql(st, "PRAGMA foreign_keys = ON", "forgetting") < 0 &&
	    rc == 0)
		rc = IRMF_EDB;
out:
	free(ids);
	return rc;
}

/* -------------------------------------------------------------- check */

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
		return db_fail(c->st, what);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *a = col_text(s, 0), *b = col_text(s, 1);
		const char *d = col_text(s, 2);
		if (strcmp(what, "integrity_check") == 0 && a &&
		    strcmp(a, "ok") == 0)
			continue;
		problem(c, "%s: %s%s%s%s%s", what, a ? a : "", b ? " " : "",
		    b ? b : "", d ? " " : "", d ? d : "");
	}
	if (rc != SQLITE_DONE)
		rc = db_fail(c->st, what);
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
	const char *name = col_text(row, 1), *hash = col_text(row, 3);
	ident id = { col_text(row, 4), col_text(row, 6), col_text(row, 7),
	    col_text(row, 8), col_text(row, 9),
	    (unsigned)sqlite3_column_int64(row, 5),
	    (unsigned)sqlite3_column_int64(row, 10) };
	irmf_snapshot *errsnap = NULL;
	pool errs = { 0 }, sets = { 0 };
	sqlite3_stmt *s;
	char hex[65];
	int rc;

	if ((rc = irmf_snapshot_new(&errsnap, name)) < 0 ||
	    (rc = q_open(c->st, q_errs, &s, "i",
	    sqlite3_column_int64(row, 2))) < 0)
		goto out;
	while ((rc = q_step(c->st, s)) == 1) {
		irmf_collect_reason r = IRMF_REASON_COMMAND_FAILED;
		if (irmf_collect_reason_parse(col_text(s, 1), &r) < 0)
			irmf_error_clear();
		if ((rc = pool_add(&errs, col_text(s, 0), col_text(s, 1))) < 0 ||
		    (rc = irmf_snapshot_add_error(errsnap, col_text(s, 0), r,
		    col_text(s, 2))) < 0) {
			sqlite3_reset(s);
			goto out;
		}
	}
	if (rc < 0 || (rc = q_open(c->st, q_sets, &s, "i",
	    sqlite3_column_int64(row, 0))) < 0)
		goto out;
	while ((rc = q_step(c->st, s)) == 1)
		if (!uncollected(col_text(s, 0), id.sections, errsnap) &&
		    (rc = pool_add(&sets, col_text(s, 0), col_text(s, 1))) < 0) {
			sqlite3_reset(s);
			goto out;
		}
	if (rc < 0 || (rc = canon_hash(&id, errs.v, errs.n, sets.v, sets.n,
	    hex)) < 0)
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
		rc = db_fail(st, "checking");
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((rc = check_server(&c, s)) < 0)
			goto out;
	rc = rc == SQLITE_DONE ? IRMF_OK : db_fail(st, "checking");
out:
	sqlite3_finalize(s);
	*nproblems = c.n;
	return rc;
}
