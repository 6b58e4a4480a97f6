/*
 * textlines.h - slices and small string helpers for the line-oriented
 * parsers (irmtext, authlist, groups), on top of the decoding and line
 * iterator of textdecode.h.
 */
#ifndef IRMF_TEXTLINES_H
#define IRMF_TEXTLINES_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "textdecode.h"

/* A line as a (pointer, length) slice into the text; not NUL-terminated. */
typedef struct irmf_slice {
	const char *s;
	size_t n;
} irmf_slice;

/* irmf_lines_next() returning a slice without a trailing CR; false at the
 * end of the text. */
bool irmf_lines_next_slice(irmf_lines *it, irmf_slice *line);

/* Slice helpers. */
irmf_slice irmf_slice_trim(irmf_slice s);        /* spaces, tabs both ends */
irmf_slice irmf_slice_ltrim(irmf_slice s);
irmf_slice irmf_slice_rtrim(irmf_slice s);
bool irmf_slice_blank(irmf_slice s);
bool irmf_slice_eq_ci(irmf_slice s, const char *lit);
bool irmf_slice_prefix_ci(irmf_slice s, const char *lit);
/* Count of leading whitespace characters (a tab counts as one). */
size_t irmf_slice_indent(irmf_slice s);

/* Append a slice to a growable buffer (buf.h). */
static inline int
irmf_slice_append(irmf_buf *b, irmf_slice s)
{
	return irmf_buf_addn(b, s.s, s.n);
}

/* Turn a file's bytes into UTF-8 text with LF line ends (irmf_text_decode);
 * *out is malloc'd and NUL-terminated. */
int irmf_text_prepare(const char *buf, size_t len, const char *name,
    char **out, size_t *outlen);

#endif
