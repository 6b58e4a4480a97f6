/*
 * outputs.c - the report options of compare and audit (outputs.h):
 * parsing --format FMT[:FILE] and writing each report the run asked for.
 * Files are written by the library's atomic writers (temporary file,
 * fsync, rename), so a reader never sees half a report.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "outputs.h"

/* NO_COLOR (https://no-color.org): set and non-empty disables colour. */
static unsigned
color_flags(void)
{
	const char *nc = getenv("NO_COLOR");

	if ((nc != NULL && nc[0] != '\0') || !isatty(STDOUT_FILENO))
		return 0;
	return IRMF_REPORT_COLOR;
}

int
cli_outputs_format(cli_outputs *o, const char *cmd, const char *arg)
{
	const char *colon = strchr(arg, ':');
	char name[32];
	irmf_report_format f;

	if (colon == NULL || (size_t)(colon - arg) >= sizeof(name)) {
		if (irmf_report_format_parse(arg, &f) < 0) {
			cli_error_last();
			return -1;
		}
		o->format = f;
		o->bare = true;
		o->nagios |= f == IRMF_FORMAT_NAGIOS;
		return 0;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(colon - arg), arg);
	if (irmf_report_format_parse(name, &f) < 0) {
		cli_error_last();
		return -1;
	}
	if (colon[1] == '\0' || o->n == CLI_MAX_OUTPUTS) {
		cli_error(cmd, "--format %s: %s", arg, colon[1] ?
		    "too many outputs" : "no file after the colon");
		return -1;
	}
	o->fmts[o->n] = f;
	o->files[o->n++] = colon + 1;
	o->nagios |= f == IRMF_FORMAT_NAGIOS;
	return 0;
}

static int
write_one(cli_report_fn fn, const void *obj, const char *path,
    irmf_report_format f, unsigned flags)
{
	if (path != NULL && strcmp(path, "-") == 0)
		path = NULL;   /* "-" is standard output, as usual */
	if (path != NULL)
		return fn(obj, NULL, path, f, flags);
	return fn(obj, stdout, NULL, f, flags | color_flags());
}

int
cli_outputs_write(const cli_outputs *o, cli_report_fn fn, const void *obj)
{
	int rc = 0;

	if (o->bare || o->output != NULL || o->n == 0)
		rc = write_one(fn, obj, o->output, o->format, o->flags);
	for (size_t i = 0; i < o->n && rc >= 0; i++)
		rc = write_one(fn, obj, o->files[i], o->fmts[i], o->flags);
	return rc;
}

bool
cli_outputs_has(const cli_outputs *o, irmf_report_format f)
{
	bool bare = o->bare || o->output != NULL || o->n == 0;

	if (bare && o->format == f)
		return true;
	for (size_t i = 0; i < o->n; i++)
		if (o->fmts[i] == f)
			return true;
	return false;
}
