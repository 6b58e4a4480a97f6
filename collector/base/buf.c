/*
 * buf.c - the growable buffer (buf.h): growth with a sticky error and an
 * optional cap, formatted appends, and hex and base64 both ways (base64
 * through OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock, which every base64
 * user of the library shared by copy before).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "buf.h"
#include "str.h"

/* Fail for good: remember the error, and make the fast path of
 * irmf_buf_addn always call irmf_buf_grow, which returns it. */
static int
fail(irmf_buf *b, int err)
{
	b->err = err;
	b->cap = 0;
	return err;
}

int
irmf_buf_grow(irmf_buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (b->err)
		return b->err;
	if (extra > (size_t)-1 / 2 - b->n)
		return fail(b, irmf_error_oom());
	need = b->n + extra + 1;
	if (need <= b->cap)
		return IRMF_OK;
	if (b->max != 0 && need > b->max + 1)
		return fail(b, irmf_error_set(IRMF_ELIMIT, "text exceeds the "
		    "limit of %zu bytes", b->max));
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap *= 2;
	/* never allocate past the cap, so the fast path's capacity check is
	 * also the cap check */
	if (b->max != 0 && ncap > b->max + 1)
		ncap = b->max + 1;
	if ((p = realloc(b->p, ncap)) == NULL)
		return fail(b, irmf_error_oom());
	b->p = p;
	b->cap = ncap;
	return IRMF_OK;
}

int
irmf_buf_add(irmf_buf *b, const char *s)
{
	if (s == NULL)   /* optional fields add nothing */
		return b->err;
	return irmf_buf_addn(b, s, strlen(s));
}

int
irmf_buf_printf(irmf_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return b->err;
	if (irmf_buf_grow(b, (size_t)n) < 0)
		return b->err;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
	return IRMF_OK;
}

int
irmf_buf_add_hex(irmf_buf *b, const void *data, size_t n)
{
	static const char digit[] = "0123456789abcdef";
	const unsigned char *d = data;
	char *o;

	if (irmf_buf_grow(b, 2 * n) < 0)
		return b->err;
	o = b->p + b->n;
	for (size_t i = 0; i < n; i++) {
		o[2 * i] = digit[d[i] >> 4];
		o[2 * i + 1] = digit[d[i] & 15];
	}
	b->n += 2 * n;
	b->p[b->n] = '\0';
	return IRMF_OK;
}

int
irmf_buf_add_unhex(irmf_buf *b, const char *s, size_t n)
{
	unsigned char *o;

	if (n % 2 != 0)
		return irmf_error_set(IRMF_EPARSE, "odd number of hex digits");
	if (irmf_buf_grow(b, n / 2) < 0)
		return b->err;
	o = (unsigned char *)b->p + b->n;
	for (size_t i = 0; i < n; i += 2) {
		int hi = irmf_hex_digit((unsigned char)s[i]);
		int lo = irmf_hex_digit((unsigned char)s[i + 1]);

		if (hi < 0 || lo < 0) {
			b->p[b->n] = '\0';
			return irmf_error_set(IRMF_EPARSE, "'%.2s' is not a "
			    "hex byte", s + i);
		}
		o[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	b->n += n / 2;
	b->p[b->n] = '\0';
	return IRMF_OK;
}

int
irmf_buf_add_base64(irmf_buf *b, const void *data, size_t n)
{
	size_t len = 4 * ((n + 2) / 3);

	if (n > (size_t)INT_MAX / 4 * 3)
		return fail(b, irmf_error_set(IRMF_ELIMIT, "%zu bytes are too "
		    "many to encode", n));
	if (irmf_buf_grow(b, len) < 0)
		return b->err;
	EVP_EncodeBlock((unsigned char *)b->p + b->n, data, (int)n);
	b->n += len;   /* EVP_EncodeBlock wrote the NUL */
	return IRMF_OK;
}

int
irmf_buf_add_unbase64(irmf_buf *b, const char *s, size_t n)
{
	size_t pad = 0;
	int len;

	if (n % 4 != 0 || n > (size_t)INT_MAX)
		return irmf_error_set(IRMF_EPARSE, "invalid base64 text");
	if (irmf_buf_grow(b, n / 4 * 3) < 0)
		return b->err;
	/* EVP_DecodeBlock counts the padding as zero bytes: take it off */
	if (n > 0 && s[n - 1] == '=')
		pad++;
	if (n > 1 && s[n - 2] == '=')
		pad++;
	len = n ? EVP_DecodeBlock((unsigned char *)b->p + b->n,
	    (const unsigned char *)s, (int)n) : 0;
	if (len < 0 || (size_t)len < pad) {
		b->p[b->n] = '\0';
		return irmf_error_set(IRMF_EPARSE, "invalid base64 text");
	}
	b->n += (size_t)len - pad;
	b->p[b->n] = '\0';
	return IRMF_OK;
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
