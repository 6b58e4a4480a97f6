/*
 * histcli.c - helpers shared by the history commands (histcli.h): where
 * the database is when --db is not given, and one way to print a change
 * so that audit drift and history timelines read the same.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "histcli.h"
#include "irmfleet/errors.h"
#include "irmfleet/textesc.h"

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

void
histcli_print_change(FILE *f, const irmf_change *c, bool with_time)
{
	/* names, keys and values come from the servers: escaped */
	if (with_time)
		irmf_text_printf(f, "%s  ", c->at ? c->at : "-");
	irmf_text_printf(f, "%-12s %-13s %s", c->server ? c->server : "-",
	    irmf_change_kind_name(c->kind), c->setting ? c->setting : "");
	if (c->message)
		irmf_text_printf(f, "%s%s", c->setting ? ": " : "", c->message);
	fputc('\n', f);
	if (c->old_value)
		irmf_text_printf(f, "    was: %s%s%s%s\n", c->old_value,
		    c->old_since ? " (since " : "",
		    c->old_since ? c->old_since : "", c->old_since ? ")" : "");
	if (c->new_value)
		irmf_text_printf(f, "    now: %s\n", c->new_value);
}

static json_t *
jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
histcli_change_json(const irmf_change *c)
{
	return json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "server", jstr(c->server),
	    "kind", irmf_change_kind_name(c->kind),
	    "setting", jstr(c->setting),
	    "old_value", jstr(c->old_value),
	    "new_value", jstr(c->new_value),
	    "old_since", jstr(c->old_since),
	    "at", jstr(c->at),
	    "message", jstr(c->message));
}

int
histcli_dump_json(json_t *root)
{
	if (root == NULL || json_dumpf(root, stdout, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER) != 0 || fputc('\n', stdout) == EOF)
		return -1;
	return 0;
}
