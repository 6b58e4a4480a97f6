/*
 * histcli.c - helpers shared by the history commands (histcli.h): where
 * the database is when --db is not given, opening it, and the exit
 * status of a failed library call.  (How a change is shown is the
 * library's: irmf_change_print, compare/report/report_history.c.)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "histcli.h"
#include "irmfleet/errors.h"

int
histcli_status_of(int rc)
{
	return cli_exit_of(rc);
}

/* mkdir -p of the directory part of path (default path only). */
static int
make_parent(const char *path)
{
	char *d = strdup(path);
	int rc = 0;

	if (d == NULL)
		return -1;
	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	free(d);
	return rc;
}

irmf_store *
histcli_open(const char *cmd, const char *path, histcli_mode mode,
    int *status)
{
	bool create = mode == HISTCLI_CREATE;
	irmf_store_options o = { .create = create,
	    .read_only = mode == HISTCLI_READ };
	irmf_store *st = NULL;
	char *def = NULL;
	int rc;

	if (path == NULL) {
		if ((def = irmf_store_default_path()) == NULL) {
			cli_error_last();
			*status = CLI_EXIT_FAILED;
			return NULL;
		}
		if (create && make_parent(def) != 0) {
			cli_error(cmd, "cannot create the directory of '%s': %s",
			    def, strerror(errno));
			free(def);
			*status = CLI_EXIT_FAILED;
			return NULL;
		}
		path = def;
	}
	if ((rc = irmf_store_open(&st, path, &o)) < 0) {
		cli_error_last();
		*status = histcli_status_of(rc);
	}
	free(def);
	return st;
}
