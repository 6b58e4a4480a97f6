/*
 * collectstate.c - the run-state file a collect run keeps in its output
 * directory (IRMF_COLLECT_STATE_FILE): one line per host the run has not
 * fully collected, "name<TAB>reason<TAB>message", the hosts not finished
 * yet with reason "not-finished".  engine.c rewrites it atomically as the
 * run goes, so a run that is killed leaves a state naming what is left:
 * --retry-failed resumes from it, and compare names the listed hosts that
 * have no snapshot instead of comparing a partial fleet in silence.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "collect.h"
#include "error.h"
#include "fileio.h"

/* The host name of one line "host<TAB>reason<TAB>message" (line is
 * modified), or NULL if the line is not one: a torn line lacks a field,
 * and a host name is never empty and holds no control character, so
 * garbage is not taken for hosts to collect. */
static const char *
state_line_host(char *line)
{
	char *tab = strchr(line, '\t');

	if (tab == NULL || tab == line || strchr(tab + 1, '\t') == NULL)
		return NULL;
	*tab = '\0';
	for (const unsigned char *p = (const unsigned char *)line; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return NULL;
	return line;
}

int
irmf_collect_state_read(const char *dir, irmf_strlist *failed)
{
	char path[4096];
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	FILE *f;
	irmf_strlist hosts = { 0 };
	int r = IRMF_OK;

	snprintf(path, sizeof(path), "%s/%s", dir, IRMF_COLLECT_STATE_FILE);
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return irmf_error_set(IRMF_ENOTFOUND, "no previous "
			    "collect run in '%s' (nothing to retry)", dir);
		return irmf_error_set(IRMF_EIO, "cannot open '%s': %s", path,
		    strerror(errno));
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		const char *host;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		/* a NUL inside the line: binary, not a state file */
		if ((size_t)n != strlen(line) ||
		    (host = state_line_host(line)) == NULL) {
			r = irmf_error_set(IRMF_EPARSE, "%s:%zu: malformed line "
			    "(expected host<TAB>reason<TAB>message, as collect "
			    "writes it)", path, lineno);
			break;
		}
		if ((r = irmf_strlist_add(&hosts, host)) != 0)
			break;
	}
	if (r == 0 && ferror(f))
		r = irmf_error_set(IRMF_EIO, "cannot read '%s'", path);
	free(line);
	fclose(f);
	/* all or nothing: a refused file adds no host */
	for (size_t i = 0; r == 0 && i < hosts.n; i++)
		r = irmf_strlist_add(failed, hosts.items[i]);
	irmf_strlist_clear(&hosts);
	return r;
}

/* One line of text: tabs and newlines become spaces. */
static void
put_field(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

int
irmf_collect_state_write(const char *dir, const irmf_collect_result *res)
{
	char path[4096], *text = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, IRMF_COLLECT_STATE_FILE);
	if ((f = open_memstream(&text, &len)) == NULL)
		return irmf_error_oom();
	fprintf(f, "# irmfleet collect: hosts the last run did not fully "
	    "collect (read by --retry-failed and compare)\n");
	for (size_t i = 0; i < res->n; i++) {
		const result_entry *e = &res->e[i];

		if (e->finished && e->status == IRMF_HOST_COLLECTED)
			continue;
		put_field(f, e->host);
		fputc('\t', f);
		put_field(f, e->finished ? e->reason : "not-finished");
		fputc('\t', f);
		put_field(f, e->finished ? e->message :
		    "the run stopped before this host was done");
		fputc('\n', f);
	}
	if (fclose(f) != 0) {
		free(text);
		return irmf_error_oom();
	}
	r = irmf_file_write_atomic(path, text, len);
	free(text);
	return r;
}

int
irmf_collect_state_missing(const char *dir, char ***out, size_t *n)
{
	irmf_strlist listed = { 0 }, missing = { 0 };
	char path[4096];
	struct stat st;
	int r;

	*out = NULL;
	*n = 0;
	if ((r = irmf_collect_state_read(dir, &listed)) != 0) {
		if (r == IRMF_ENOTFOUND) {   /* not a collect directory */
			irmf_error_clear();
			return IRMF_OK;
		}
		return r;
	}
	for (size_t i = 0; i < listed.n && r == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s.xml", dir, listed.items[i]);
		if (stat(path, &st) != 0)
			r = irmf_strlist_add(&missing, listed.items[i]);
	}
	irmf_strlist_clear(&listed);
	if (r == 0 && missing.n > 0 &&
	    (r = irmf_strlist_add(&missing, "")) == 0) {
		/* hand out the array, NULL-terminated in place of the "" */
		free(missing.items[missing.n - 1]);
		missing.items[missing.n - 1] = NULL;
		*n = missing.n - 1;
		*out = missing.items;
		return IRMF_OK;
	}
	irmf_strlist_clear(&missing);
	return r;
}

void
irmf_collect_names_free(char **names)
{
	for (size_t i = 0; names != NULL && names[i] != NULL; i++)
		free(names[i]);
	free(names);
}
