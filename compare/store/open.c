/*
 * open.c - opening a history database (include/irmfleet/store.h): the
 * schema and its migrations, the checks that refuse a file that is not
 * ours or comes from a newer irmfleet, WAL mode, and the default path.
 *
 * The schema is in `migrations` below (docs/history.md explains it):
 * runs, servers, snapshot contents deduplicated by canonical hash,
 * "sightings" (a server seen in consecutive runs with the same content is
 * one row whose last_run moves forward), and setting intervals (a value
 * held from one run until another).  An unchanged fleet therefore adds
 * one runs row per audit, and the file grows with changes only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "error.h"
#include "fileio.h"
#include "store_db.h"

#define DEFAULT_BUSY_MS 120000

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

static int
pragma_int(irmf_store *st, const char *sql, int64_t *out)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*out = 0;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return irmf__db_fail(st, "reading the database header");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE)
		rc = irmf__db_fail(st, "reading the database header");
	sqlite3_finalize(s);
	return rc < 0 ? rc : IRMF_OK;
}

/* Refuse files that are not ours or come from a newer irmfleet; this
 * only reads, so a foreign file is refused before anything (the switch
 * to WAL, a migration) changes it.  *empty: no tables yet (a new file). */
static int check_header_reads(irmf_store *st, int64_t *version, bool *empty);

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
	if ((rc = irmf__exec_sql(st, "BEGIN",
	    "reading the database header")) < 0)
		return rc;
	if ((rc = check_header_reads(st, version, empty)) < 0) {
		/* keep the reason already set; the rollback only ends the
		 * read transaction */
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	return irmf__exec_sql(st, "COMMIT", "reading the database header");
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

	if ((rc = irmf__begin_write(st)) < 0)
		return rc;
	/* re-read under the write lock: another process may have migrated */
	if ((rc = check_header(st, &v, &empty)) < 0)
		goto fail;
	for (; v < IRMF_STORE_SCHEMA_VERSION; v++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %lld",
		    (long long)v + 1);
		if ((rc = irmf__exec_sql(st, migrations[v],
		    "migrating the schema")) < 0 ||
		    (rc = irmf__exec_sql(st, sql, "migrating the schema")) < 0)
			goto fail;
	}
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d",
	    IRMF_STORE_APP_ID);
	if ((rc = irmf__exec_sql(st, sql, "migrating the schema")) < 0 ||
	    (rc = irmf__commit(st)) < 0)
		goto fail;
	return IRMF_OK;
fail:
	irmf__rollback(st);
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
	return irmf__db_fail(st, "switching to WAL mode");
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
	if ((rc = irmf__exec_sql(st, "PRAGMA synchronous = FULL; "
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
		rc = st->db ? irmf__db_fail(st, "opening") : irmf_error_oom();
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
	irmf__idmap_clear(&st->keys);
	irmf__idmap_clear(&st->values);
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
