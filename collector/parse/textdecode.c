/*
 * textdecode.c - byte-to-UTF-8 decoding shared by the text parsers
 * (regquery.c, regfile.c, the PowerShell text parsers).  Exports from
 * Windows arrive as UTF-16LE (regedit, PowerShell redirection), UTF-8,
 * or an 8-bit code page (cmd, REGEDIT4); see textdecode.h for the
 * detection rules.  The conversions themselves are iconv's; this file only
 * decides which one to run, normalises line ends and reports malformed
 * input with the file name and byte offset.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "textdecode.h"

/* How much of the input the UTF-16 heuristic looks at. */
#define SNIFF_BYTES 4096

static const char *
nm(const char *name)
{
	return name ? name : "<input>";
}

const char *
irmf_text_encoding_name(irmf_text_encoding enc)
{
	switch (enc) {
	case IRMF_ENC_UTF8: return "utf-8";
	case IRMF_ENC_UTF8_BOM: return "utf-8-bom";
	case IRMF_ENC_UTF16LE: return "utf-16le";
	case IRMF_ENC_UTF16BE: return "utf-16be";
	case IRMF_ENC_UTF16LE_NOBOM: return "utf-16le-nobom";
	case IRMF_ENC_UTF16BE_NOBOM: return "utf-16be-nobom";
	case IRMF_ENC_CODEPAGE: return "codepage";
	}
	return "unknown";
}

/*
 * BOM-less UTF-16: every ASCII character (the brackets, quotes and line
 * ends of any .reg or export) has a NUL high byte, so NULs gather at one
 * parity: odd offsets for LE, even for BE.  UTF-8 and code page text
 * have no NUL at all.  Not a share of NULs: a file whose values are
 * mostly Japanese has NULs in under half of its high bytes, and was
 * taken for 8-bit text with stray NULs ("binary file?").  Returns 1 for
 * LE, 2 for BE, 0 for neither.
 */
static int
sniff_utf16(const unsigned char *s, size_t len)
{
	size_t n, even0 = 0, odd0 = 0, pairs;

	while (len > 0 && s[len - 1] == 0)
		len--;   /* NUL padding at the end is no pattern */
	n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
	pairs = n / 2;

	if (pairs < 4)
		return 0;
	for (size_t i = 0; i + 1 < n; i += 2) {
		even0 += s[i] == 0;
		odd0 += s[i + 1] == 0;
	}
	/* at least 4 and 1 in 20 characters ASCII (one stray NUL in 8-bit
	 * text is no pattern), and (almost) all NULs at one parity: a
	 * character like U+3000 has a NUL low byte */
	if (odd0 >= 4 && odd0 * 20 >= pairs && odd0 >= even0 * 8)
		return 1;
	if (even0 >= 4 && even0 * 20 >= pairs && even0 >= odd0 * 8)
		return 2;
	return 0;
}

/* Offset of the first byte that breaks UTF-8 validity, or len if valid.
 * Rejects overlong forms, surrogates and code points above U+10FFFF. */
static size_t
utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint64_t w;
		unsigned c = s[i];
		size_t need;
		unsigned lo = 0x80, hi = 0xBF;

		/* ASCII fast path, 8 bytes at a time */
		if (i + 8 <= len) {
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else
			return i;
		if (len - i <= need)
			return i;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k <= need; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
		i += need + 1;
	}
	return len;
}

/* CRLF and lone CR -> LF, in place; returns the new length. */
static size_t
normalize_newlines(char *s, size_t len)
{
	char *r = memchr(s, '\r', len), *w, *end = s + len;

	if (r == NULL)
		return len;
	w = r;
	while (r < end) {
		char *next;
		size_t chunk;

		/* r points at a CR */
		*w++ = '\n';
		r++;
		if (r < end && *r == '\n')
			r++;
		next = memchr(r, '\r', (size_t)(end - r));
		if (next == NULL)
			next = end;
		chunk = (size_t)(next - r);
		memmove(w, r, chunk);
		w += chunk;
		r = next;
	}
	return (size_t)(w - s);
}

/*
 * iconv from `from` to UTF-8.  With `substitute`, an undecodable byte
 * becomes U+FFFD (8-bit code pages); without, it is an error at its byte
 * offset (UTF-16).  base_off is added to offsets in messages (the BOM).
 */
static int
convert(const char *from, const char *in, size_t inlen, bool substitute,
    const char *name, size_t base_off, char **out, size_t *out_len)
{
	iconv_t cd;
	size_t cap = inlen * 3 + 4, il = inlen, ol;
	char *buf = NULL, *ip = (char *)in, *op;
	int rc = IRMF_OK;

	*out = NULL;
	if ((cd = iconv_open("UTF-8", from)) == (iconv_t)-1)
		return irmf_error_set(IRMF_EUSAGE,
		    "%s: unknown code page '%s' (set IRMFLEET_CODEPAGE to an "
		    "iconv name such as CP1252 or CP850)", nm(name), from);
	if ((buf = malloc(cap)) == NULL) {
		rc = irmf_error_oom();
		goto cleanup;
	}
	op = buf;
	ol = cap - 1;
	while (il > 0) {
		if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
			break;
		size_t off = base_off + (size_t)(ip - in);
		if (errno == EILSEQ && substitute && ol >= 3) {
			memcpy(op, "\xEF\xBF\xBD", 3);
			op += 3;
			ol -= 3;
			ip++;
			il--;
			continue;
		}
		if (errno == EILSEQ)
			rc = irmf_error_set(IRMF_EPARSE, "%s: byte offset %zu: "
			    "invalid %s (unpaired surrogate)", nm(name), off,
			    from);
		else if (errno == EINVAL)
			rc = irmf_error_set(IRMF_EPARSE, "%s: byte offset %zu: "
			    "truncated %s at end of input (odd length or "
			    "unpaired high surrogate)", nm(name), off, from);
		else
			rc = irmf_error_set(IRMF_ERROR, "%s: byte offset %zu: "
			    "cannot convert from %s", nm(name), off, from);
		goto cleanup;
	}
	*op = '\0';
	*out_len = (size_t)(op - buf);
	*out = buf;
	buf = NULL;
cleanup:
	free(buf);
	iconv_close(cd);
	return rc;
}

/* Resolve the fallback code page name into buf. */
static int
pick_codepage(const char *codepage, const char *name, char *buf, size_t n)
{
	const char *cp = codepage;
	size_t i;

	if (cp == NULL || *cp == '\0')
		cp = getenv("IRMFLEET_CODEPAGE");
	if (cp == NULL || *cp == '\0')
		cp = "CP1252";
	for (i = 0; cp[i] && isdigit((unsigned char)cp[i]); i++)
		;
	if (strlen(cp) + 3 > n)
		return irmf_error_set(IRMF_EUSAGE, "%s: code page name '%.40s' "
		    "is too long", nm(name), cp);
	snprintf(buf, n, "%s%s", cp[i] == '\0' ? "CP" : "", cp);
	return IRMF_OK;
}

static int
copy_utf8(const char *in, size_t len, char **out, size_t *out_len)
{
	char *buf = malloc(len + 1);

	if (buf == NULL)
		return irmf_error_oom();
	memcpy(buf, in, len);
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	return IRMF_OK;
}

/* Drop trailing NUL padding; an interior NUL is an error (by line). */
static int
check_nul(char *s, size_t *len, const char *name)
{
	char *z;
	size_t line = 1;

	while (*len > 0 && s[*len - 1] == '\0')
		(*len)--;
	s[*len] = '\0';
	if ((z = memchr(s, '\0', *len)) == NULL)
		return IRMF_OK;
	for (const char *p = s; (p = memchr(p, '\n', (size_t)(z - p))) != NULL;
	    p++)
		line++;
	return irmf_error_set(IRMF_EPARSE, "%s:%zu: unexpected NUL character "
	    "(binary file?)", nm(name), line);
}

int
irmf_text_decode_cp(const char *buf, size_t len, const char *name,
    const char *codepage, char **out, size_t *out_len,
    irmf_text_encoding *enc)
{
	const unsigned char *u = (const unsigned char *)buf;
	irmf_text_encoding e;
	char cp[48];
	char *text = NULL;
	size_t tlen = 0;
	int rc, u16;

	*out = NULL;
	*out_len = 0;
	if (len > IRMF_TEXT_MAX)
		return irmf_error_set(IRMF_ELIMIT, "%s: input is %zu bytes, "
		    "more than the %zu byte limit", nm(name), len,
		    IRMF_TEXT_MAX);
	if (buf == NULL && len > 0)
		return irmf_error_set(IRMF_EUSAGE, "%s: no input buffer",
		    nm(name));
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		e = IRMF_ENC_UTF8_BOM;
		if (utf8_invalid_at(u + 3, len - 3) != len - 3)
			return irmf_error_set(IRMF_EPARSE, "%s: byte offset "
			    "%zu: invalid UTF-8 after a UTF-8 byte order mark",
			    nm(name), 3 + utf8_invalid_at(u + 3, len - 3));
		rc = copy_utf8(buf + 3, len - 3, &text, &tlen);
	} else if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
		e = IRMF_ENC_UTF16LE;
		rc = convert("UTF-16LE", buf + 2, len - 2, false, name, 2,
		    &text, &tlen);
	} else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
		e = IRMF_ENC_UTF16BE;
		rc = convert("UTF-16BE", buf + 2, len - 2, false, name, 2,
		    &text, &tlen);
	} else if ((u16 = sniff_utf16(u, len)) != 0) {
		e = u16 == 1 ? IRMF_ENC_UTF16LE_NOBOM : IRMF_ENC_UTF16BE_NOBOM;
		rc = convert(u16 == 1 ? "UTF-16LE" : "UTF-16BE", buf, len,
		    false, name, 0, &text, &tlen);
	} else if (utf8_invalid_at(u, len) == len) {
		e = IRMF_ENC_UTF8;
		rc = copy_utf8(buf, len, &text, &tlen);
	} else {
		e = IRMF_ENC_CODEPAGE;
		if ((rc = pick_codepage(codepage, name, cp, sizeof(cp))) == 0)
			rc = convert(cp, buf, len, true, name, 0, &text, &tlen);
	}
	if (rc < 0)
		goto cleanup;
	tlen = normalize_newlines(text, tlen);
	if ((rc = check_nul(text, &tlen, name)) < 0)
		goto cleanup;
	/* a decoded UTF-16 BOM (U+FEFF) may remain if the file had two */
	if (tlen >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		memmove(text, text + 3, tlen - 3 + 1);
		tlen -= 3;
	}
	*out = text;
	*out_len = tlen;
	text = NULL;
	if (enc != NULL)
		*enc = e;
cleanup:
	free(text);
	return rc;
}

int
irmf_text_decode_8bit(const char *in, size_t len, const char *codepage,
    const char *name, char **out, size_t *out_len)
{
	char cp[48];
	int rc;

	*out = NULL;
	if (utf8_invalid_at((const unsigned char *)in, len) == len)
		return copy_utf8(in, len, out, out_len);
	if ((rc = pick_codepage(codepage, name, cp, sizeof(cp))) < 0)
		return rc;
	return convert(cp, in, len, true, name, 0, out, out_len);
}

int
irmf_text_utf16le(const char *in, size_t len, const char *name, char **out,
    size_t *out_len)
{
	*out = NULL;
	if (len == 0)
		return copy_utf8("", 0, out, out_len);
	return convert("UTF-16LE", in, len, false, name, 0, out, out_len);
}

int
irmf_text_decode(const char *buf, size_t len, const char *name, char **out,
    size_t *out_len)
{
	return irmf_text_decode_cp(buf, len, name, NULL, out, out_len, NULL);
}

/* ---------------------------------------------------------------- lines */

void
irmf_lines_init(irmf_lines *it, const char *text, size_t len)
{
	it->p = text;
	it->end = text + len;
	it->lineno = 0;
}

bool
irmf_lines_next(irmf_lines *it, const char **line, size_t *len)
{
	const char *nl;

	if (it->p == NULL || it->p >= it->end)
		return false;
	nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	*line = it->p;
	if (nl == NULL) {
		*len = (size_t)(it->end - it->p);
		it->p = it->end;
	} else {
		*len = (size_t)(nl - it->p);
		it->p = nl + 1;
	}
	it->lineno++;
	return true;
}
