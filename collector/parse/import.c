/*
 * import.c - the import pipeline behind `irmfleet import`: read each file
 * (bounded), hash it (SHA-256, libcrypto EVP), detect its format from the
 * content (detect.c) unless the argument names it ("evtxml:FILE"), and
 * parse it in command-line order: registry exports straight into the
 * server's snapshot (deletions apply in order, as in regedit), other
 * formats into a snapshot of their own merged in (snapshot_merge.c).
 * The result is written only when every file parsed, through the atomic
 * irmf_snapshot_save(), so a broken file never leaves a partial snapshot.
 * Files that parse but leave out an area the server's role normally has
 * (coverage.h: a Get-IRMConfiguration export alone has no registry keys
 * or file versions) are no error, but the caller is told which areas and
 * how to export them: compare cannot check what was not exported.
 *
 * collected_at is the import time, not a time found in the files: most
 * formats carry none (Format-List text, .reg exports, reg query), and the
 * ones that do (events) describe when something happened, not when the
 * server was looked at.  The sources list keeps each file's SHA-256 so
 * the exact inputs can be traced.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>


#include "coverage.h"
#include "detect.h"
#include "digest.h"
#include "error.h"
#include "fileio.h"
#include "irmfleet/import.h"
#include "snapshot_int.h"

#define SHA256_HEX IRMF_SHA256_HEX

static int
check_server(const char *s)
{
	size_t n;

	if (s == NULL || *s == '\0')
		return irmf_error_set(IRMF_EUSAGE, "a server name is required "
		    "(--server NAME)");
	n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_.");
	if (s[n] != '\0' || s[0] == '.' || n > 255)
		return irmf_error_set(IRMF_EUSAGE, "server name '%.64s' may "
		    "only hold letters, digits, '-', '_' and '.', and must not "
		    "start with '.'", s);
	return IRMF_OK;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : path;
}

static bool
path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncasecmp(path, prefix, n) == 0 &&
	    (path[n] == '\0' || path[n] == '\\');
}

static bool
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; hay != NULL && *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

/* Roles the files show: Exchange's IRM cmdlets and keys, SharePoint's
 * keys, a connector's authorization list or events. */
static unsigned
infer_roles(const irmf_snapshot *s)
{
	unsigned r = s->roles;

	if (contains_ci(s->product, "Exchange") || s->has_irm_config ||
	    s->has_irm_test)
		r |= IRMF_ROLE_EXCHANGE;
	if (contains_ci(s->product, "SharePoint"))
		r |= IRMF_ROLE_SHAREPOINT;
	for (size_t i = 0; i < s->nkeys; i++) {
		const char *p = s->keys[i].path;

		if (path_under(p, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\"
		    "ExchangeServer"))
			r |= IRMF_ROLE_EXCHANGE;
		if (path_under(p, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\"
		    "Shared Tools\\Web Server Extensions") ||
		    path_under(p, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\"
		    "Office Server"))
			r |= IRMF_ROLE_SHAREPOINT;
	}
	/* an event export without connector events says nothing */
	if (s->has_authorizations || s->nevents > 0)
		r |= IRMF_ROLE_CONNECTOR;
	return r;
}

/* A "FORMAT:PATH" argument names its format, skipping detection (an empty
 * event export has nothing to detect).  Only a known format name counts as
 * a prefix, so ordinary paths containing ':' are left alone. */
static const irmf_format *
forced_format(const char *arg, const char **path)
{
	const char *colon = strchr(arg, ':');
	const irmf_format *tab;
	size_t n;

	*path = arg;
	if (colon == NULL)
		return NULL;
	tab = irmf_formats(&n);
	for (size_t i = 0; i < n; i++)
		if (strlen(tab[i].name) == (size_t)(colon - arg) &&
		    strncmp(arg, tab[i].name, (size_t)(colon - arg)) == 0) {
			*path = colon + 1;
			return &tab[i];
		}
	return NULL;
}

/* Registry exports are applied to the server's snapshot in place, as
 * regedit applies files in order: a later file's [-KEY] or "name"=-
 * removes what an earlier one set.  Other formats describe objects, so
 * each is parsed on its own and merged (first file's scalars win). */
static bool
applies_in_place(const irmf_format *fmt)
{
	return strcmp(fmt->name, "regfile") == 0 ||
	    strcmp(fmt->name, "regquery") == 0;
}

/* Parse one file into snap (in place or through a merge). */
static int
import_one(irmf_snapshot *snap, const irmf_import_options *opts,
    const char *arg, size_t max, char (*seen)[SHA256_HEX], size_t nseen,
    const char *const *paths)
{
	irmf_snapshot *part = NULL;
	const char *path;
	const irmf_format *fmt = forced_format(arg, &path);
	char hex[SHA256_HEX];
	char *buf = NULL;
	size_t len;
	int rc;

	if ((rc = irmf_file_read(path, max, &buf, &len)) < 0 ||
	    (rc = irmf_sha256_hex(buf, len, hex)) < 0)
		goto out;
	for (size_t i = 0; i < nseen; i++)
		if (strcmp(seen[i], hex) == 0) {
			rc = irmf_error_set(IRMF_EUSAGE, "%s: same content as "
			    "'%s' (given twice?)", path, paths[i]);
			goto out;
		}
	memcpy(seen[nseen], hex, SHA256_HEX);
	if (fmt == NULL && (rc = irmf_detect(buf, len, path, &fmt)) < 0)
		goto out;
	if (applies_in_place(fmt)) {
		rc = fmt->parse(snap, buf, len, path);
	} else if ((rc = irmf_snapshot_new(&part, snap->server)) == 0) {
		rc = fmt->parse(part, buf, len, path);
		/* a well-formed export of some other cmdlet: say so, go on */
		if (rc == IRMF_EUNSUPPORTED && strcmp(fmt->name, "clixml") == 0) {
			if (opts->warn != NULL)
				opts->warn(irmf_error_last()->message,
				    opts->warn_payload);
			irmf_error_clear();
			rc = IRMF_OK;
		}
		if (rc == 0)
			rc = irmf_snapshot_merge(snap, part);
	}
	if (rc == 0)
		rc = irmf_snapshot_add_source(snap, base_name(path), hex,
		    fmt->name);
out:
	irmf_snapshot_free(part);
	free(buf);
	return rc;
}

/* One message per area the role normally has and the files lack. */
static void
tell_gaps(const irmf_snapshot *snap, const irmf_import_options *opts)
{
	unsigned gaps = irmf_coverage_gaps(snap);

	for (unsigned a = 0; a < IRMF_AREA_COUNT; a++) {
		char msg[1024];
		if (!(gaps & (1u << a)))
			continue;
		snprintf(msg, sizeof(msg), "%s: no %s: export with %s; then "
		    "import again with all of the server's files",
		    snap->server,
		    irmf_area_what(snap, (irmf_area)a),
		    irmf_area_how(snap, (irmf_area)a));
		opts->gap(msg, opts->warn_payload);
	}
}

int
irmf_import_files(irmf_snapshot **out, const irmf_import_options *opts,
    const char *const *paths, size_t npaths)
{
	irmf_snapshot *snap = NULL;
	char (*seen)[SHA256_HEX] = NULL;
	size_t max = opts->max_file_size ? opts->max_file_size :
	    IRMF_IMPORT_MAX_FILE;
	int rc;

	*out = NULL;
	if ((rc = check_server(opts->server)) < 0)
		return rc;
	if (npaths == 0)
		return irmf_error_set(IRMF_EUSAGE, "no files to import");
	if ((seen = calloc(npaths, sizeof(*seen))) == NULL)
		return irmf_error_oom();
	if ((rc = irmf_snapshot_new(&snap, opts->server)) < 0 ||
	    (rc = irmf_snapshot_set_fqdn(snap, opts->fqdn)) < 0 ||
	    (rc = irmf_snapshot_stamp_now(snap)) < 0 ||
	    (rc = irmf_snapshot_set_collector(snap, "irmfleet import",
	    IRMF_VERSION)) < 0)
		goto out;
	snap->method = IRMF_METHOD_IMPORT;
	for (size_t i = 0; i < npaths; i++)
		if ((rc = import_one(snap, opts, paths[i], max, seen, i,
		    paths)) < 0)
			goto out;
	snap->roles = opts->roles ? opts->roles : infer_roles(snap);
	if (snap->roles == 0) {
		rc = irmf_error_set(IRMF_EUSAGE, "%s: cannot tell the server's "
		    "role from its files; give --role (exchange, sharepoint, "
		    "fci or connector)", opts->server);
		goto out;
	}
	if (opts->gap != NULL)
		tell_gaps(snap, opts);
	*out = snap;
	snap = NULL;
out:
	irmf_snapshot_free(snap);
	free(seen);
	return rc;
}

/* mkdir -p: create dir and its missing parents. */
static int
make_dirs(const char *dir)
{
	char *p = irmf_strdup(dir);
	int rc = IRMF_OK;

	if (p == NULL)
		return IRMF_ENOMEM;
	for (char *q = p + 1; ; q++) {
		if (*q != '/' && *q != '\0')
			continue;
		char c = *q;
		*q = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			rc = irmf_error_set(IRMF_EIO, "%s: cannot create the "
			    "output directory: %s", p, strerror(errno));
			break;
		}
		*q = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

int
irmf_import_to_dir(const irmf_import_options *opts, const char *const *paths,
    size_t npaths, const char *dir, char **out_path)
{
	irmf_snapshot *snap = NULL;
	char *path = NULL;
	size_t n;
	int rc;

	if (out_path != NULL)
		*out_path = NULL;
	if (dir == NULL || *dir == '\0')
		return irmf_error_set(IRMF_EUSAGE, "an output directory is "
		    "required (--out DIR)");
	if ((rc = irmf_import_files(&snap, opts, paths, npaths)) < 0)
		return rc;
	if ((rc = make_dirs(dir)) < 0)
		goto out;
	irmf_file_clean_stale(dir);   /* left by killed imports */
	n = strlen(dir) + strlen(opts->server) + sizeof("/.xml");
	if ((path = malloc(n)) == NULL) {
		rc = irmf_error_oom();
		goto out;
	}
	snprintf(path, n, "%s/%s.xml", dir, opts->server);
	/* atomic: a temporary file renamed over path, nothing on failure */
	if ((rc = irmf_snapshot_save(snap, path)) < 0)
		goto out;
	if (out_path != NULL) {
		*out_path = path;
		path = NULL;
	}
out:
	free(path);
	irmf_snapshot_free(snap);
	return rc;
}

void
irmf_import_formats(void (*fn)(const char *name, const char *description,
    void *payload), void *payload)
{
	size_t n;
	const irmf_format *f = irmf_formats(&n);

	for (size_t i = 0; i < n; i++)
		fn(f[i].name, f[i].description, payload);
}
