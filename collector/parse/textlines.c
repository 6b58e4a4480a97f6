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

bool
irmf_lines_next_slice(irmf_lines *it, irmf_slice *line)
{
	if (!irmf_lines_next(it, &line->s, &line->n))
		return false;
	/* sniffers may see text that was not through irmf_text_decode */
	if (line->n > 0 && line->s[line->n - 1] == '\r')
		line->n--;
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

/* ------------------------------------------------------------ decoding */

int
irmf_text_prepare(const char *buf, size_t len, const char *name,
    char **out, size_t *outlen)
{
	return irmf_text_decode(buf, len, name, out, outlen);
}
