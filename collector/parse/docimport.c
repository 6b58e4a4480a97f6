/*
 * docimport.c - a folder (or list) of export documents to one snapshot
 * per server (include/irmfleet/docimport.h).  The server's name and roles
 * come from each document (irmf_psdoc_identity); the document is then
 * imported like any file (irmf_import_to_dir), so sources, gaps and the
 * atomic write are import's own.  One broken or incomplete document does
 * not stop the others: the caller is told of each, and the count of
 * failures is returned.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "fileio.h"
#include "irmfleet/docimport.h"
#include "psdoc.h"

typedef struct run {
	const char *out_dir;
	const irmf_import_options *base;
	irmf_docimport_fn done;
	void *payload;
	size_t seen, failed;
} run;

/* One document; from_dir: a file that is no document is skipped. */
static int
one(run *r, const char *path, bool from_dir)
{
	size_t max = r->base->max_file_size ? r->base->max_file_size :
	    IRMF_IMPORT_MAX_FILE;
	irmf_import_options o = *r->base;
	char *buf = NULL, *server = NULL, *written = NULL;
	size_t len;
	unsigned roles;
	int rc;

	if ((rc = irmf_file_read(path, max, &buf, &len)) == 0 &&
	    !irmf_psdoc_sniff(buf, len)) {
		free(buf);
		if (from_dir)
			return IRMF_OK;
		buf = NULL;
		rc = irmf_error_set(IRMF_EUNSUPPORTED, "%s: not an export "
		    "document (import other files with --server NAME)", path);
	}
	r->seen++;
	if (rc == 0 && (rc = irmf_psdoc_identity(buf, len, path, &server,
	    &roles)) == 0) {
		o.server = server;
		o.roles = roles;
		o.fqdn = NULL;
		rc = irmf_import_to_dir(&o, &path, 1, r->out_dir, &written);
	}
	if (rc < 0)
		r->failed++;
	if (r->done != NULL)
		r->done(path, written, rc, r->payload);
	free(written);
	free(server);
	free(buf);
	return rc == IRMF_ENOMEM ? rc : IRMF_OK;
}

static int
xml_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 &&
	    strcmp(d->d_name + n - 4, ".xml") == 0;
}

static int
folder(run *r, const char *dir)
{
	struct dirent **list = NULL;
	int n = scandir(dir, &list, xml_file, alphasort), rc = IRMF_OK;

	if (n < 0)
		return irmf_error_set(IRMF_EIO, "%s: cannot read the folder",
		    dir);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(list[i]->d_name) + 2;
		char *p = malloc(len);

		if (p == NULL)
			rc = irmf_error_oom();
		else if (rc == IRMF_OK) {
			snprintf(p, len, "%s/%s", dir, list[i]->d_name);
			rc = one(r, p, true);
		}
		free(p);
		free(list[i]);
	}
	free(list);
	return rc;
}

int
irmf_import_documents(const char *const *paths, size_t npaths,
    const char *out_dir, const irmf_import_options *base,
    irmf_docimport_fn done, void *payload)
{
	run r = { out_dir, base, done, payload, 0, 0 };
	struct stat st;
	int rc = IRMF_OK;

	for (size_t i = 0; i < npaths && rc == IRMF_OK; i++)
		rc = stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode) ?
		    folder(&r, paths[i]) : one(&r, paths[i], false);
	if (rc < 0)
		return rc;
	if (r.seen == 0)
		return irmf_error_set(IRMF_EUSAGE, "no export document found in "
		    "%s%s", paths[0], npaths > 1 ? " ..." : "");
	return (int)r.failed;
}
