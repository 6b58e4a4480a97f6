/*
 * textesc.c - escaping untrusted text for terminals and text reports
 * (irmfleet/textesc.h).  Every text output of irmfleet that shows data
 * from a server or an input file goes through here, so that a control
 * sequence or a bidi override held in a registry value reaches the admin
 * as visible \x1b or \u202e, never as an effect.  The command quoting of
 * suggested fixes (cmdquote.c) uses the same classification to decide
 * what cannot be pasted on a command line at all.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irmfleet/textesc.h"
#include "buf.h"

/* Length of the well-formed UTF-8 sequence at s[0..n) and its code point,
 * or 0 when s[0] does not start one.  Strict (RFC 3629): overlong forms,
 * surrogates and values past U+10FFFF are not well-formed, so a terminal
 * that decodes them leniently is never handed one. */
static size_t
utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2; c = s[0] & 0x1f; min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3; c = s[0] & 0x0f; min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4; c = s[0] & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static bool
cp_escaped(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
	    c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069);
}

/* Length of the leading part of s[0..n) that needs no escape. */
static size_t
plain_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp = 0;
		size_t len = utf8_char(s + i, n - i, &cp);
		if (len == 0 || cp_escaped(cp))
			break;
		i += len;
	}
	return i;
}

/* Call emit for s[0..n) in runs: plain text as it is, every character to
 * escape as its escape. */
static int
escape_runs(const char *s, size_t n, int (*emit)(void *, const char *,
    size_t), void *ctx)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t run = plain_prefix(u + i, n - i), len;
		uint32_t cp = 0;
		char esc[16];
		int el;

		if (run > 0 && emit(ctx, s + i, run) < 0)
			return -1;
		if ((i += run) == n)
			break;
		if ((len = utf8_char(u + i, n - i, &cp)) == 0) {
			cp = u[i];   /* a stray byte shows as itself */
			len = 1;
		}
		el = snprintf(esc, sizeof(esc), cp < 0x100 ? "\\x%02x" :
		    "\\u%04x", (unsigned)cp);
		if (emit(ctx, esc, (size_t)el) < 0)
			return -1;
		i += len;
	}
	return 0;
}

bool
irmf_text_is_plain(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return plain_prefix((const unsigned char *)s, n) == n;
}

static int
emit_buf(void *ctx, const char *s, size_t n)
{
	irmf_buf *b = ctx;

	irmf_buf_addn(b, s, n);
	return b->err ? -1 : 0;
}

char *
irmf_text_escape_n(const char *s, size_t n)
{
	irmf_buf b = IRMF_BUF_INIT;

	escape_runs(s, n, emit_buf, &b);
	return irmf_buf_take(&b);
}

char *
irmf_text_escape(const char *s)
{
	return s == NULL ? NULL : irmf_text_escape_n(s, strlen(s));
}

static int
emit_file(void *ctx, const char *s, size_t n)
{
	return fwrite(s, 1, n, ctx) == n ? 0 : -1;
}

int
irmf_text_fwrite(const char *s, size_t n, FILE *f)
{
	return escape_runs(s, n, emit_file, f) < 0 ? EOF : 0;
}

int
irmf_text_fputs(const char *s, FILE *f)
{
	return s == NULL ? 0 : irmf_text_fwrite(s, strlen(s), f);
}

int
irmf_text_vprintf(FILE *f, const char *fmt, va_list ap)
{
	va_list aq;
	char *s;
	int n, rc;
	size_t len;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return EOF;
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	len = (size_t)n;
	if (len > 0 && s[len - 1] == '\n')
		len--;
	rc = irmf_text_fwrite(s, len, f);
	if (rc == 0 && len < (size_t)n && fputc('\n', f) == EOF)
		rc = EOF;
	free(s);
	return rc;
}

int
irmf_text_printf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = irmf_text_vprintf(f, fmt, ap);
	va_end(ap);
	return rc;
}

int
irmf_text_put_shell_word(FILE *f, const char *w)
{
	int rc = 0;

	/* plain words as they are: what a person would have typed */
	if (w[0] != '\0' && w[strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789@%+=:,./_-")] == '\0')
		return fputs(w, f) == EOF ? EOF : 0;
	rc |= fputc('\'', f) == EOF;
	for (; *w; w++)
		rc |= (*w == '\'' ? fputs("'\\''", f) : fputc(*w, f)) == EOF;
	rc |= fputc('\'', f) == EOF;
	return rc ? EOF : 0;
}
