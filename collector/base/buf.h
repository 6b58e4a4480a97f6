/*
 * buf.h - the one growable buffer of the library: messages, explanations
 * and commands are built in it, parsers keep their scratch lines in it,
 * the SSH transport collects a command's output in it.  The bytes are
 * always NUL-terminated (p[n] == '\0' once anything was added), so text
 * can be used as a C string while binary data keeps its length.
 *
 * A failure is sticky, as in curl's dynbuf: after an allocation failure
 * (IRMF_ENOMEM) or an append past the optional size cap (IRMF_ELIMIT) the
 * buffer holds its error, later appends do nothing and return it, and
 * irmf_buf_take returns NULL, so a caller that builds a string piece by
 * piece checks once at the end.  The last error is set when it happens.
 *
 * Appending is inline up to the capacity check, because the registry
 * parsers append for every line of a hive dump.
 */
#ifndef IRMF_BUF_H
#define IRMF_BUF_H

#include <stddef.h>
#include <string.h>

#include "error.h"

typedef struct irmf_buf {
	char *p;       /* NULL until something is added */
	size_t n;      /* bytes held, not counting the NUL */
	size_t cap;    /* bytes allocated; 0 once failed, so every append
	                * takes the slow path and sees the error */
	size_t max;    /* the most bytes it may hold; 0 = no cap */
	int err;       /* first failure, sticky */
} irmf_buf;

#define IRMF_BUF_INIT { NULL, 0, 0, 0, 0 }

/* Make room for `extra` more bytes (and the NUL); the error if it cannot. */
int irmf_buf_grow(irmf_buf *b, size_t extra);

static inline int
irmf_buf_addn(irmf_buf *b, const void *s, size_t n)
{
	if (b->n + n + 1 > b->cap && irmf_buf_grow(b, n) < 0)
		return b->err;
	if (n > 0)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return IRMF_OK;
}

/* s NULL adds nothing (optional fields). */
int irmf_buf_add(irmf_buf *b, const char *s);
int irmf_buf_printf(irmf_buf *b, const char *fmt, ...) IRMF_PRINTF(2, 3);
/* Lower-case hex of data[0..n). */
int irmf_buf_add_hex(irmf_buf *b, const void *data, size_t n);
/* The bytes of hex digit pairs s[0..n) (either case); IRMF_EPARSE, with
 * nothing added and the buffer still usable, if n is odd or a character
 * is not a hex digit. */
int irmf_buf_add_unhex(irmf_buf *b, const char *s, size_t n);
/* Base64 (RFC 4648, padded, no line breaks) of data[0..n). */
int irmf_buf_add_base64(irmf_buf *b, const void *data, size_t n);
/* The bytes of padded base64 text s[0..n) (no whitespace; n a multiple of
 * 4); IRMF_EPARSE, with nothing added, if it is not base64. */
int irmf_buf_add_unbase64(irmf_buf *b, const char *s, size_t n);

/* Forget the content, keep the allocation (and a sticky error). */
static inline void
irmf_buf_reset(irmf_buf *b)
{
	b->n = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

/* reset + addn: the buffer holds s[0..n). */
static inline int
irmf_buf_set(irmf_buf *b, const void *s, size_t n)
{
	irmf_buf_reset(b);
	return irmf_buf_addn(b, s, n);
}

/* The content as a C string ("" if nothing was added); borrowed. */
static inline const char *
irmf_buf_str(const irmf_buf *b)
{
	return b->p != NULL ? b->p : "";
}

/* The string (caller frees; "" if nothing was added), or NULL after a
 * failure.  The buffer is reset either way (the cap too). */
char *irmf_buf_take(irmf_buf *b);
void irmf_buf_free(irmf_buf *b);

#endif
