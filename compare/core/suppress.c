/*
 * suppress.c - parse suppression files and mark suppressed findings
 * (suppress.h, docs/suppressions.md).
 *
 * The format is one directive per line so that a reviewer sees each
 * accepted exception and its reason in a diff.  Setting keys may contain
 * spaces (registry paths such as "Web Server Extensions"), so the reason
 * is separated by " -- " rather than by whitespace.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "irmfleet/textesc.h"
#include "normalize.h"
#include "str.h"
#include "suppress.h"

/* A suppression file is hand-written: anything larger is a mistake. */
#define SUPPRESS_MAX_BYTES (4u << 20)
#define SUPPRESS_MAX_LINE 4096

void
irmf_suppress_clear(irmf_suppressions *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->items[i].server);
		free(s->items[i].pattern);
		free(s->items[i].reason);
	}
	free(s->items);
	free(s->file);
	memset(s, 0, sizeof(*s));
}

static char *
trim(char *p)
{
	char *e;

	while (*p == ' ' || *p == '\t')
		p++;
	e = p + strlen(p);
	while (e > p && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return p;
}

static int
push(irmf_suppressions *s, const char *server, const char *pattern,
    const char *reason, size_t line)
{
	irmf_suppression *x;

	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 8;
		irmf_suppression *p = realloc(s->items, ncap * sizeof(*p));
		if (p == NULL)
			return irmf_error_oom();
		s->items = p;
		s->cap = ncap;
	}
	x = &s->items[s->n];
	memset(x, 0, sizeof(*x));
	x->line = line;
	if ((server && (x->server = irmf_strdup(server)) == NULL) ||
	    (x->pattern = irmf_lower(pattern)) == NULL ||
	    (x->reason = irmf_strdup(reason)) == NULL) {
		free(x->server);
		free(x->pattern);
		return irmf_error_oom();
	}
	s->n++;
	return IRMF_OK;
}

/* Split the first whitespace-separated word off *p. */
static char *
word(char **p)
{
	char *w = *p, *e = w + strcspn(w, " \t");

	if (*e != '\0')
		*e++ = '\0';
	*p = trim(e);
	return w;
}

/* Parse one line (modified in place). */
/* The word is shown escaped: a binary line must not reach the terminal
 * raw through the error message. */
static int
unknown_directive(const char *name, size_t ln, const char *kw)
{
	char *shown = irmf_text_escape(kw);
	int rc;

	if (shown == NULL)
		return irmf_error_oom();
	rc = irmf_error_set(IRMF_EPARSE, "%s:%zu: unknown directive '%s' "
	    "(expected 'ignore' or 'accept')", name, ln, shown);
	free(shown);
	return rc;
}

static int
parse_line(irmf_suppressions *s, char *line, const char *name, size_t ln)
{
	char *p = trim(line), *sep, *kw, *server = NULL, *reason = NULL;
	bool accept;

	if (*p == '\0' || *p == '#')
		return IRMF_OK;
	/* the reason first: settings may contain spaces, never " -- " */
	if ((sep = strstr(p, " -- ")) != NULL) {
		*sep = '\0';
		reason = trim(sep + 4);
	}
	kw = word(&p);
	if (strcmp(kw, "ignore") == 0)
		accept = false;
	else if (strcmp(kw, "accept") == 0)
		accept = true;
	else
		return unknown_directive(name, ln, kw);
	if (reason == NULL || *reason == '\0')
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: missing reason "
		    "(end the line with ' -- <why this is accepted>')", name,
		    ln);
	if (accept) {
		if (*p == '\0')
			return irmf_error_set(IRMF_EPARSE, "%s:%zu: 'accept' "
			    "needs a server and a setting", name, ln);
		server = word(&p);
	}
	if (*p == '\0')
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: '%s' needs a "
		    "setting key or rule id", name, ln, kw);
	return push(s, server, p, reason, ln);
}

int
irmf_suppress_parse(irmf_suppressions *s, const char *buf, size_t len,
    const char *name)
{
	size_t ln = 0, pos = 0;
	char line[SUPPRESS_MAX_LINE + 1];
	int rc;

	if (s->file == NULL && (s->file = irmf_strdup(name)) == NULL)
		return IRMF_ENOMEM;
	while (pos < len) {
		size_t end = pos;
		while (end < len && buf[end] != '\n')
			end++;
		ln++;
		if (end - pos > SUPPRESS_MAX_LINE)
			return irmf_error_set(IRMF_ELIMIT, "%s:%zu: line longer "
			    "than %u bytes", name, ln, SUPPRESS_MAX_LINE);
		if (memchr(buf + pos, '\0', end - pos) != NULL)
			return irmf_error_set(IRMF_EPARSE, "%s:%zu: NUL byte "
			    "(not a text file)", name, ln);
		memcpy(line, buf + pos, end - pos);
		line[end - pos] = '\0';
		if ((rc = parse_line(s, line, name, ln)) < 0)
			return rc;
		pos = end + 1;
	}
	return IRMF_OK;
}

int
irmf_suppress_load(irmf_suppressions *s, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len;
	int rc = IRMF_OK;

	if (f == NULL)
		return irmf_error_set(errno == ENOENT ? IRMF_ENOTFOUND :
		    IRMF_EIO, "'%s': %s", path, strerror(errno));
	if ((buf = malloc(SUPPRESS_MAX_BYTES + 1)) == NULL) {
		rc = irmf_error_oom();
		goto cleanup;
	}
	len = fread(buf, 1, SUPPRESS_MAX_BYTES + 1, f);
	if (ferror(f))
		rc = irmf_error_set(IRMF_EIO, "'%s': read error", path);
	else if (len > SUPPRESS_MAX_BYTES)
		rc = irmf_error_set(IRMF_ELIMIT, "'%s': larger than %u bytes",
		    path, SUPPRESS_MAX_BYTES);
	else
		rc = irmf_suppress_parse(s, buf, len, path);
cleanup:
	free(buf);
	fclose(f);
	return rc;
}

static bool
glob_ci(const char *pattern, const char *s)
{
	char *ls;
	bool m;

	if (s == NULL || (ls = irmf_lower(s)) == NULL)
		return false;
	m = fnmatch(pattern, ls, FNM_NOESCAPE) == 0;
	free(ls);
	return m;
}

static bool
matches(const irmf_suppression *x, const irmf_finding *f)
{
	if (x->server != NULL &&
	    (f->server == NULL || strcasecmp(x->server, f->server) != 0))
		return false;
	return glob_ci(x->pattern, f->setting) ||
	    glob_ci(x->pattern, f->rule_id);
}

int
irmf_suppress_apply(irmf_suppressions *s, irmf_findings *list)
{
	for (size_t i = 0; i < list->n; i++) {
		irmf_finding *f = &list->items[i];
		if (f->suppressed)
			continue;
		for (size_t j = 0; j < s->n; j++) {
			if (!matches(&s->items[j], f))
				continue;
			if (irmf_set_str(&f->suppress_reason,
			    s->items[j].reason) < 0)
				return IRMF_ENOMEM;
			f->suppressed = true;
			list->nsuppressed++;
			s->items[j].hits++;
			break;
		}
	}
	return IRMF_OK;
}
