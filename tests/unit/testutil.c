/*
 * testutil.c - helpers shared by the cmocka suites (see testutil.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "irmfleet/textesc.h"
#include "testutil.h"

const char *
tu_fixture_path(const char *rel)
{
	static char buf[4096];

	if (rel[0] == '/')
		snprintf(buf, sizeof(buf), "%s", rel);
	else
		snprintf(buf, sizeof(buf), "%s/%s", IRMF_FIXTURES, rel);
	return buf;
}

char *
tu_read_fixture(const char *rel, size_t *len)
{
	const char *path = tu_fixture_path(rel);
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		fail_msg("cannot open fixture %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	if (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)
		fail_msg("short read on %s", path);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

char *
tu_tempdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[4096];
	char *d;

	snprintf(tmpl, sizeof(tmpl), "%s/irmf-test-XXXXXX", base ? base : "/tmp");
	d = mkdtemp(tmpl);
	assert_non_null(d);
	return strdup(d);
}

void
tu_rmtree(const char *dir)
{
	char cmd[4200];

	/* test-only cleanup of a directory we created with mkdtemp */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "warning: could not remove %s\n", dir);
}

/* ------------------------------------------------- fix-text safety check */

/* Length of a PowerShell single quote at s (', U+2018-U+201B), or 0. */
static size_t
tu_ps_quote(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == '\'')
		return 1;
	if (u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x98 && u[2] <= 0x9b)
		return 3;
	return 0;
}

static bool
tu_lines_plain(const char *text, const char **why)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");
		char *line = strndup(p, n);
		bool ok = line != NULL && irmf_text_is_plain(line);
		if (ok && line[0] == '#' && strpbrk(line, "&|<>^%!\"") != NULL) {
			*why = "a comment line holds a cmd metacharacter";
			free(line);
			return false;
		}
		free(line);
		if (!ok) {
			*why = "a control character, bidi mark or bad UTF-8";
			return false;
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	return true;
}

/* Mark in state[] which bytes lie inside a quoted argument; the reason
 * when the quoting itself is unsafe. */
static const char *
tu_scan_quotes(const char *t, char *state)
{
	char q = 0;

	for (size_t i = 0; t[i]; i++) {
		size_t ql = tu_ps_quote(t + i), bs = 0;
		if (q == 0) {
			if (t[i] == '"')
				q = 'd';
			else if (ql > 0 && i > 0 && strchr(" =(,@{", t[i - 1]))
				q = 's';
			state[i] = q;
			i += q == 's' ? ql - 1 : 0;
			continue;
		}
		state[i] = q;
		if (t[i] == '\n')
			return "a line break inside a quoted argument";
		if (q == 'd' && (t[i] == '%' || t[i] == '!'))
			return "% or ! inside a cmd argument";
		if (q == 'd' && t[i] == '"') {
			while (bs < i && t[i - 1 - bs] == '\\')
				bs++;
			if (bs % 2 != 0)
				return "a backslash escapes the closing quote";
			q = 0;
		} else if (q == 's' && ql > 0) {
			size_t q2 = tu_ps_quote(t + i + ql);
			for (size_t k = 1; k < ql + q2; k++)
				state[i + k] = q;
			if (q2 == 0)
				q = 0;
			i += ql + q2 - 1;
		}
	}
	return q != 0 ? "an unclosed quote" : NULL;
}

const char *
tu_fix_unsafe(const char *text, const char *const *hostile, size_t nhostile)
{
	const char *why = NULL;
	size_t len = strlen(text);
	char *state;

	if (!tu_lines_plain(text, &why))
		return why;
	if ((state = calloc(len + 1, 1)) == NULL)
		return "out of memory";
	why = tu_scan_quotes(text, state);
	for (size_t h = 0; why == NULL && h < nhostile; h++) {
		size_t hl = strlen(hostile[h]);
		for (const char *o = hl ? strstr(text, hostile[h]) : NULL;
		    o != NULL && why == NULL; o = strstr(o + 1, hostile[h]))
			for (size_t k = 0; k < hl; k++)
				if (state[(size_t)(o - text) + k] == 0)
					why = "a hostile value outside quotes";
	}
	free(state);
	return why;
}
