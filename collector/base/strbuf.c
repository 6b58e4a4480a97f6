/*
 * strbuf.c - growable strings (strbuf.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static int
sb_reserve(irmf_buf *b, size_t extra)
{
	size_t ncap;
	char *p;

	if (b->err)
		return b->err;
	if (b->n + extra + 1 <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (b->n + extra + 1 > ncap)
		ncap *= 2;
	if ((p = realloc(b->p, ncap)) == NULL)
		return b->err = irmf_error_oom();
	b->p = p;
	b->cap = ncap;
	return 0;
}

void
irmf_buf_addn(irmf_buf *b, const char *s, size_t n)
{
	if (sb_reserve(b, n) < 0)
		return;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void
irmf_buf_add(irmf_buf *b, const char *s)
{
	if (s != NULL)   /* optional fields add nothing */
		irmf_buf_addn(b, s, strlen(s));
}

void
irmf_buf_printf(irmf_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || sb_reserve(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

char *
irmf_buf_take(irmf_buf *b)
{
	char *p = NULL;

	if (!b->err) {
		p = b->p;
		if (p == NULL && (p = calloc(1, 1)) == NULL)
			irmf_error_oom();
	} else {
		free(b->p);
	}
	memset(b, 0, sizeof(*b));
	return p;
}

void
irmf_buf_free(irmf_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
