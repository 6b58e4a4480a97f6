/*
 * textlines.c - line iteration and slice helpers for the text parsers
 * (see textlines.h).  Parsers work on slices of the decoded buffer so
 * that a large capture is never copied line by line.
 */
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "error.h"
#include "textlines.h"

void
irmf_lines_init(irmf_lines *it, const char *text, size_t len)
{
	it->p = text;
	it->end = text + len;
	it->lineno = 0;
}

bool
irmf_lines_next(irmf_lines *it, irmf_slice *line)
{
	const char *q = it->p;

	if (it->p >= it->end)
		return false;
	while (q < it->end && *q != '\n' && *q != '\r')
		q++;
	line->s = it->p;
	line->n = (size_t)(q - it->p);
	if (q < it->end && *q == '\r') {
		q++;
		if (q < it->end && *q == '\n')
			q++;
	} else if (q < it->end) {
		q++;   /* '\n' */
	}
	it->p = q;
	it->lineno++;
	return true;
}

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t';
}

irmf_slice
irmf_slice_ltrim(irmf_slice s)
{
	while (s.n > 0 && is_ws(*s.s)) {
		s.s++;
		s.n--;
	}
	return s;
}

irmf_slice
irmf_slice_rtrim(irmf_slice s)
{
	while (s.n > 0 && is_ws(s.s[s.n - 1]))
		s.n--;
	return s;
}

irmf_slice
irmf_slice_trim(irmf_slice s)
{
	return irmf_slice_rtrim(irmf_slice_ltrim(s));
}

bool
irmf_slice_blank(irmf_slice s)
{
	return irmf_slice_ltrim(s).n == 0;
}

bool
irmf_slice_eq_ci(irmf_slice s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && strncasecmp(s.s, lit, n) == 0;
}

bool
irmf_slice_prefix_ci(irmf_slice s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && strncasecmp(s.s, lit, n) == 0;
}

size_t
irmf_slice_indent(irmf_slice s)
{
	return s.n - irmf_slice_ltrim(s).n;
}

/* ------------------------------------------------------------ strbuf */

int
irmf_strbuf_add(irmf_strbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *p;

		while (cap < b->n + n + 1)
			cap *= 2;
		if ((p = realloc(b->s, cap)) == NULL)
			return irmf_error_oom();
		b->s = p;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
	return IRMF_OK;
}

int
irmf_strbuf_add_slice(irmf_strbuf *b, irmf_slice s)
{
	return irmf_strbuf_add(b, s.s, s.n);
}

void
irmf_strbuf_reset(irmf_strbuf *b)
{
	b->n = 0;
	if (b->s != NULL)
		b->s[0] = '\0';
}

void
irmf_strbuf_free(irmf_strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->n = b->cap = 0;
}

const char *
irmf_strbuf_str(const irmf_strbuf *b)
{
	return b->s != NULL ? b->s : "";
}

/* ------------------------------------------------------------ decoding */

int
irmf_text_prepare(const char *buf, size_t len, const char *name,
    char **out, size_t *outlen)
{
	const char *nul;

	*out = NULL;
	*outlen = 0;
	/* UTF-8 byte order mark */
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if ((nul = memchr(buf, '\0', len)) != NULL)
		return irmf_error_set(IRMF_EUNSUPPORTED,
		    "%s: byte offset %zu: NUL byte in text (UTF-16 input is "
		    "not supported by this parser yet)", name,
		    (size_t)(nul - buf));
	if ((*out = malloc(len + 1)) == NULL)
		return irmf_error_oom();
	memcpy(*out, buf, len);
	(*out)[len] = '\0';
	*outlen = len;
	return IRMF_OK;
}
