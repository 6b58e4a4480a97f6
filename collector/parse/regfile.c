/*
 * regfile.c - reads regedit export files (.reg, REGEDIT5 and REGEDIT4) into
 * the snapshot's registry (see regfile.h for the contract).
 *
 * The file is decoded once by textdecode.c and walked line by line.  Only
 * hex data (with "\" continuations) and quoted strings (which regedit
 * writes unescaped, so an embedded newline spans lines) read further
 * lines.  The grammar follows what regedit writes and what it accepts:
 *   [KEY] / [-KEY]        text up to the last ']' on the line; anything
 *                         after it is ignored, runs of '\' collapse
 *   "name"=... / @=...    '=' may be surrounded by blanks
 *   "str"  dword:N  hex:..  hex(T):..  -   data forms
 *   ; comment             whole line or after data
 * hex(2)/hex(7)/hex(1)/hex(6) bytes are UTF-16LE in REGEDIT5 files and
 * ANSI (the textdecode fallback code page, or UTF-8 if valid) in REGEDIT4;
 * hex(4)/hex(5)/hex(b) are little/big/little-endian numbers.
 * Everything is one pass over the text with scratch buffers that only
 * grow, so the cost is linear in the input.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "error.h"
#include "regfile.h"
#include "snapshot_int.h"
#include "textdecode.h"

#define HDR5 "Windows Registry Editor Version 5.00"
#define HDR4 "REGEDIT4"
#define HDRWINE "WINE REGISTRY Version"

typedef struct rf {
	irmf_snapshot *snap;
	const char *name;
	irmf_lines it;
	bool v4;               /* REGEDIT4: hex strings are 8-bit */
	bool have_section;     /* a [KEY] or [-KEY] line was seen */
	irmf_reg_key *key;     /* current key; NULL after [-KEY] */
	irmf_buf vname, str, bytes;
} rf;

/* What a value line asks for, once its data is read. */
typedef enum vkind { V_DELETE, V_STRING, V_DWORD, V_HEX } vkind;

static const char *
nm(const char *name)
{
	return name ? name : "<input>";
}

/* Length of at most 60 bytes of s[0..n), not cutting a UTF-8 sequence. */
static int
excerpt_len(const char *s, size_t n)
{
	if (n <= 60)
		return (int)n;
	n = 60;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Only blanks or a ';' comment left on the line. */
static bool
at_eol(const char *p, const char *end)
{
	p = skip_ws(p, end);
	return p == end || *p == ';';
}

/* Header kind of a line: 5, 4, -1 (Wine), 0 (none). */
static int
header_kind(const char *p, const char *end)
{
	size_t n = (size_t)(end - p);

	if (n >= strlen(HDR5) && strncasecmp(p, HDR5, strlen(HDR5)) == 0 &&
	    at_eol(p + strlen(HDR5), end))
		return 5;
	if (n >= strlen(HDR4) && strncasecmp(p, HDR4, strlen(HDR4)) == 0 &&
	    at_eol(p + strlen(HDR4), end))
		return 4;
	if (n >= strlen(HDRWINE) && strncmp(p, HDRWINE, strlen(HDRWINE)) == 0)
		return -1;
	return 0;
}

/*
 * Record a problem with one value's data: the value is skipped and the key
 * is marked failed (parse-error), as regedit would refuse that line.
 */
static int IRMF_PRINTF(3, 4)
value_error(rf *r, size_t line, const char *fmt, ...)
{
	char msg[512], item[IRMF_ERROR_MSG_MAX];
	va_list ap;
	int len;

	if (r->key == NULL)
		return IRMF_OK;   /* values of a deleted key are ignored anyway */
	len = snprintf(msg, sizeof(msg), "%s:%zu: value '%s': ", nm(r->name),
	    line, r->vname.p ? r->vname.p : "");
	if (len < 0 || (size_t)len >= sizeof(msg))
		len = 0;
	va_start(ap, fmt);
	vsnprintf(msg + len, sizeof(msg) - (size_t)len, fmt, ap);
	va_end(ap);
	snprintf(item, sizeof(item), "registry:%s", r->key->path);
	return irmf_snapshot_add_error(r->snap, item, IRMF_REASON_PARSE_ERROR,
	    msg);
}

/*
 * Quoted string at **pp ('"'), with the \\ and \" escapes regedit writes;
 * any other backslash is kept.  With `multiline`, reaching the end of the
 * line continues on the next one (regedit does not escape newlines);
 * otherwise it is an error.  On return *pp and *endp point past the quote on
 * the (possibly later) line.
 */
static int
parse_quoted(rf *r, const char **pp, const char **endp, irmf_buf *out,
    bool multiline)
{
	const char *p = *pp + 1, *end = *endp, *seg;
	size_t start_line = r->it.lineno;
	size_t n;

	out->n = 0;
	if (irmf_buf_addn(out, "", 0) < 0)
		return IRMF_ENOMEM;
	for (;;) {
		seg = p;
		while (p < end && *p != '"' && *p != '\\')
			p++;
		if (irmf_buf_addn(out, seg, (size_t)(p - seg)) < 0)
			return IRMF_ENOMEM;
		if (p < end && *p == '"')
			break;
		if (p < end) {   /* backslash */
			if (p + 1 < end && (p[1] == '\\' || p[1] == '"')) {
				if (irmf_buf_addn(out, p + 1, 1) < 0)
					return IRMF_ENOMEM;
				p += 2;
			} else {
				if (irmf_buf_addn(out, p, 1) < 0)
					return IRMF_ENOMEM;
				p++;
			}
			continue;
		}
		if (!multiline || !irmf_lines_next(&r->it, &p, &n))
			return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected "
			    "'\"' closing the string that starts on line %zu, "
			    "got the end of %s", nm(r->name), r->it.lineno,
			    start_line, multiline ? "the file" : "the line");
		end = p + n;
		if (irmf_buf_addn(out, "\n", 1) < 0)
			return IRMF_ENOMEM;
	}
	*pp = p + 1;
	*endp = end;
	return IRMF_OK;
}

/*
 * "dword:N": any number of hex digits whose value fits 32 bits (real files
 * have 7 and 9 digits).  Returns false with err set if malformed.
 */
static bool
parse_dword(const char *p, const char *end, uint32_t *out, char *err,
    size_t errn)
{
	uint64_t v = 0;
	size_t digits = 0;

	p = skip_ws(p, end);
	for (; p < end && irmf_hex_digit((unsigned char)*p) >= 0; p++, digits++) {
		v = v * 16 + (uint64_t)irmf_hex_digit((unsigned char)*p);
		if (v > 0xFFFFFFFFu) {
			snprintf(err, errn, "dword does not fit 32 bits");
			return false;
		}
	}
	if (digits == 0) {
		snprintf(err, errn, "expected hex digits after 'dword:'");
		return false;
	}
	if (!at_eol(p, end)) {
		p = skip_ws(p, end);
		snprintf(err, errn, "expected end of line after the dword, "
		    "got '%.*s'", excerpt_len(p, (size_t)(end - p)), p);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/*
 * Hex byte list "xx,xx,\" continued over lines.  On a malformed token err
 * is set, and the remaining continuation lines are still consumed so the
 * next line is read in sync.
 */
static int
parse_hexlist(rf *r, const char *p, const char *end, char *err, size_t errn)
{
	const char *ln;
	size_t n;

	r->bytes.n = 0;
	for (;;) {
		int hi, lo;
		unsigned char byte;

		p = skip_ws(p, end);
		if (p == end || *p == ';')
			return IRMF_OK;
		if (*p == '\\' && at_eol(p + 1, end)) {
			if (!irmf_lines_next(&r->it, &ln, &n))
				return IRMF_OK;
			p = ln;
			end = ln + n;
			continue;
		}
		if (*err == '\0' && (hi = irmf_hex_digit((unsigned char)*p)) >= 0) {
			p++;
			if (p < end && (lo = irmf_hex_digit((unsigned char)*p)) >= 0) {
				byte = (unsigned char)(hi * 16 + lo);
				p++;
			} else
				byte = (unsigned char)hi;
			if (irmf_buf_addn(&r->bytes, &byte, 1) < 0)
				return IRMF_ENOMEM;
			p = skip_ws(p, end);
			if (p < end && *p == ',')
				p++;
			else if (p < end && *p != '\\' && *p != ';')
				snprintf(err, errn, "expected ',' between hex "
				    "bytes on line %zu, got '%c'",
				    r->it.lineno, *p);
			continue;
		}
		if (*err == '\0')
			snprintf(err, errn, "expected a hex byte on line %zu, "
			    "got '%.*s'", r->it.lineno,
			    excerpt_len(p, (size_t)(end - p)), p);
		/* resync: follow a trailing '\' to the next line */
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end == p || end[-1] != '\\' ||
		    !irmf_lines_next(&r->it, &ln, &n))
			return IRMF_OK;
		p = ln;
		end = ln + n;
	}
}

/* Copy the last error message into err (truncating). */
static void
last_message(char *err, size_t errn)
{
	size_t n = strnlen(irmf_error_last()->message, errn - 1);

	memcpy(err, irmf_error_last()->message, n);
	err[n] = '\0';
}

/* Decode string bytes of a hex(1/2/6/7) value to UTF-8. */
static int
bytes_to_utf8(rf *r, const char *b, size_t n, char **out)
{
	size_t olen;

	if (r->v4)
		return irmf_text_decode_8bit(b, n, NULL, r->name, out, &olen);
	return irmf_text_utf16le(b, n, r->name, out, &olen);
}

/* Offset of the first NUL character (unit) in b[0..n), or n. */
static size_t
nul_at(const rf *r, const char *b, size_t n, size_t from)
{
	size_t w = r->v4 ? 1 : 2;

	for (size_t i = from; i + w <= n; i += w)
		if (b[i] == 0 && (w == 1 || b[i + 1] == 0))
			return i;
	return n;
}

/*
 * REG_MULTI_SZ bytes -> items.  The final terminator (one or two NULs) is
 * dropped; the rest splits at NULs, keeping empty entries, which is how
 * `reg query` shows the same data ("a\0\0b").
 */
static int
set_multi(rf *r, const char *b, size_t n, char *err, size_t errn)
{
	size_t w = r->v4 ? 1 : 2, count = 0, i, start;
	char **items = NULL;
	int rc = IRMF_OK;

	for (int k = 0; k < 2 && n >= w && nul_at(r, b, n, n - w) == n - w; k++)
		n -= w;
	if (n > 0) {
		for (i = 0; (i = nul_at(r, b, n, i)) < n; i += w)
			count++;
		count++;
		if ((items = calloc(count, sizeof(*items))) == NULL)
			return irmf_error_oom();
	}
	for (i = 0, start = 0; n > 0 && i < count; i++) {
		size_t stop = nul_at(r, b, n, start);
		if ((rc = bytes_to_utf8(r, b + start, stop - start,
		    &items[i])) < 0)
			goto cleanup;
		start = stop + w;
	}
	rc = irmf_reg_key_set_multi(r->key, r->vname.p, items, n ? count : 0);
cleanup:
	if (rc == IRMF_EPARSE) {
		last_message(err, errn);
		rc = IRMF_OK;
	}
	for (i = 0; items != NULL && i < count; i++)
		free(items[i]);
	free(items);
	return rc;
}

/* Store hex(T) bytes as the model wants them for type T. */
static int
set_hex(rf *r, unsigned type, char *err, size_t errn)
{
	const unsigned char *b = (const unsigned char *)r->bytes.p;
	size_t n = r->bytes.n, width;
	uint64_t v = 0;
	char *s = NULL;
	int rc;

	switch (type) {
	case IRMF_REG_SZ:
	case IRMF_REG_EXPAND_SZ:
	case IRMF_REG_LINK:
	case IRMF_REG_MULTI_SZ:
		if (!r->v4 && n % 2 != 0) {
			snprintf(err, errn, "odd number of bytes (%zu) in "
			    "UTF-16 string data", n);
			return IRMF_OK;
		}
		if (type == IRMF_REG_MULTI_SZ)
			return set_multi(r, r->bytes.p, n, err, errn);
		if ((rc = bytes_to_utf8(r, r->bytes.p, nul_at(r, r->bytes.p,
		    n, 0), &s)) == IRMF_EPARSE) {
			last_message(err, errn);
			return IRMF_OK;
		}
		if (rc == IRMF_OK)
			rc = irmf_reg_key_set_sz(r->key, r->vname.p,
			    (irmf_reg_type)type, s);
		free(s);
		return rc;
	case IRMF_REG_DWORD:
	case IRMF_REG_DWORD_BIG_ENDIAN:
	case IRMF_REG_QWORD:
		width = type == IRMF_REG_QWORD ? 8 : 4;
		if (n > width) {
			snprintf(err, errn, "%zu bytes of data for a %zu-byte "
			    "number", n, width);
			return IRMF_OK;
		}
		/* short data (real files have hex(4):00) reads zero-extended */
		for (size_t i = 0; i < n; i++) {
			if (type == IRMF_REG_DWORD_BIG_ENDIAN)
				v = (v << 8) | b[i];
			else
				v |= (uint64_t)b[i] << (8 * i);
		}
		return irmf_reg_key_set_num(r->key, r->vname.p,
		    (irmf_reg_type)type, v);
	default:
		return irmf_reg_key_set_bin(r->key, r->vname.p,
		    (irmf_reg_type)type, b, n);
	}
}

/* "hex:" or "hex(T):" prefix; *type is 3 for plain hex. */
static bool
parse_hex_prefix(const char **pp, const char *end, unsigned long *type)
{
	const char *p = *pp + 3;
	const char *q;

	if (p < end && *p == ':') {
		*type = IRMF_REG_BINARY;
		*pp = p + 1;
		return true;
	}
	if (p >= end || *p != '(' || p + 1 >= end ||
	    irmf_hex_digit((unsigned char)p[1]) < 0)
		return false;
	*type = 0;
	for (q = p + 1; q < end && irmf_hex_digit((unsigned char)*q) >= 0;
	    q++) {
		*type = *type * 16 + (unsigned long)irmf_hex_digit((unsigned char)*q);
		if (*type > 0xFFFFFFFFul)
			return false;
	}
	if (q + 1 >= end || q[0] != ')' || q[1] != ':')
		return false;
	*pp = q + 2;
	return true;
}

/* The data part of a value line, p just after '='. */
static int
value_data(rf *r, const char *p, const char *end, size_t line)
{
	char err[384] = "";
	unsigned long type;
	uint32_t dw;
	int rc = IRMF_OK;

	if (p == end) {
		snprintf(err, sizeof(err), "expected data after '='");
	} else if (*p == '-' && at_eol(p + 1, end)) {
		if (r->key != NULL)
			rc = irmf_reg_key_delete_value(r->key, r->vname.p);
	} else if (*p == '"') {
		if ((rc = parse_quoted(r, &p, &end, &r->str, true)) < 0)
			return rc;
		if (!at_eol(p, end))
			snprintf(err, sizeof(err), "expected end of line after "
			    "the string, got '%.*s'",
			    excerpt_len(p, (size_t)(end - p)), p);
		else if (r->key != NULL)
			rc = irmf_reg_key_set_sz(r->key, r->vname.p,
			    IRMF_REG_SZ, r->str.p);
	} else if ((size_t)(end - p) >= 6 && strncasecmp(p, "dword:", 6) == 0) {
		if (parse_dword(p + 6, end, &dw, err, sizeof(err)) &&
		    r->key != NULL)
			rc = irmf_reg_key_set_num(r->key, r->vname.p,
			    IRMF_REG_DWORD, dw);
	} else if ((size_t)(end - p) >= 4 && strncasecmp(p, "hex", 3) == 0 &&
	    parse_hex_prefix(&p, end, &type)) {
		if ((rc = parse_hexlist(r, p, end, err, sizeof(err))) < 0)
			return rc;
		if (*err == '\0' && type > IRMF_REG_QWORD)
			snprintf(err, sizeof(err), "registry type hex(%lx) is "
			    "not one irmfleet models (0 to b)", type);
		else if (*err == '\0' && r->key != NULL)
			rc = set_hex(r, (unsigned)type, err, sizeof(err));
	} else {
		snprintf(err, sizeof(err), "expected '\"string\"', 'dword:', "
		    "'hex:', 'hex(N):' or '-' after '=', got '%.*s'",
		    excerpt_len(p, (size_t)(end - p)), p);
	}
	if (rc < 0)
		return rc;
	if (*err != '\0')
		return value_error(r, line, "%s", err);
	return IRMF_OK;
}

static int
value_line(rf *r, const char *p, const char *end)
{
	size_t line = r->it.lineno;
	int rc;

	if (!r->have_section)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected a '[KEY]' "
		    "line before the first value, got '%.*s'", nm(r->name),
		    line, excerpt_len(p, (size_t)(end - p)), p);
	r->vname.n = 0;
	if (*p == '@') {
		if ((rc = irmf_buf_addn(&r->vname, "", 0)) < 0)
			return rc;
		p++;
	} else if ((rc = parse_quoted(r, &p, &end, &r->vname, false)) < 0)
		return rc;
	p = skip_ws(p, end);
	if (p == end || *p != '=')
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected '=' after "
		    "the value name, got '%.*s'", nm(r->name), line,
		    excerpt_len(p, (size_t)(end - p)), p);
	p = skip_ws(p + 1, end);
	return value_data(r, p, end, line);
}

static int
key_line(rf *r, const char *p, const char *end)
{
	const char *close = end;
	bool del;
	int rc;

	while (close > p && close[-1] != ']')
		close--;
	if (close == p)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected ']' "
		    "closing the key name, got '%.*s'", nm(r->name),
		    r->it.lineno, excerpt_len(p, (size_t)(end - p)), p);
	close--;
	p++;
	del = p < close && *p == '-';
	p += del;
	/* "\\" runs are typos for "\": key names cannot hold a backslash */
	r->str.n = 0;
	if ((rc = irmf_buf_addn(&r->str, "", 0)) < 0)
		return rc;
	for (; p < close; p++)
		if (!(*p == '\\' && p + 1 < close && p[1] == '\\') &&
		    (rc = irmf_buf_addn(&r->str, p, 1)) < 0)
			return rc;
	r->have_section = true;
	r->key = NULL;
	if (r->str.n == 0)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected a key name "
		    "between '[' and ']'", nm(r->name), r->it.lineno);
	if (del)
		rc = irmf_snapshot_reg_delete_key(r->snap, r->str.p);
	else
		rc = irmf_snapshot_reg_key(r->snap, r->str.p, &r->key);
	if (rc == IRMF_EPARSE)
		return irmf_error_prefix("%s:%zu: ", nm(r->name), r->it.lineno);
	return rc;
}

/* The first non-blank line must be a regedit header. */
static int
header(rf *r)
{
	const char *line, *p, *end;
	size_t n;
	int kind;

	do {
		if (!irmf_lines_next(&r->it, &line, &n))
			return irmf_error_set(IRMF_EPARSE, "%s: expected the "
			    "header '" HDR5 "' or '" HDR4 "', got an empty file",
			    nm(r->name));
		end = line + n;
		p = skip_ws(line, end);
	} while (p == end);
	kind = header_kind(p, end);
	if (kind == -1)
		return irmf_error_set(IRMF_EUNSUPPORTED, "%s:%zu: Wine registry "
		    "files ('%.*s') are not supported, expected the header '"
		    HDR5 "' or '" HDR4 "' of a regedit export", nm(r->name),
		    r->it.lineno, excerpt_len(p, (size_t)(end - p)), p);
	if (kind == 0)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected the header "
		    "'" HDR5 "' or '" HDR4 "', got '%.*s'", nm(r->name),
		    r->it.lineno, excerpt_len(p, (size_t)(end - p)), p);
	r->v4 = kind == 4;
	return IRMF_OK;
}

static int
body(rf *r)
{
	const char *line, *p, *end;
	size_t n;
	int rc = IRMF_OK;

	while (rc == IRMF_OK && irmf_lines_next(&r->it, &line, &n)) {
		end = line + n;
		p = skip_ws(line, end);
		if (p == end || *p == ';')
			continue;
		if (*p == '[')
			rc = key_line(r, p, end);
		else if (*p == '"' || *p == '@')
			rc = value_line(r, p, end);
		else if (header_kind(p, end) > 0)
			continue;   /* files concatenated with copy /b */
		else
			rc = irmf_error_set(IRMF_EPARSE, "%s:%zu: expected "
			    "'[KEY]', '\"name\"=data', '@=data' or a ';' "
			    "comment, got '%.*s'", nm(r->name), r->it.lineno,
			    excerpt_len(p, (size_t)(end - p)), p);
	}
	return rc;
}

int
irmf_regfile_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name)
{
	rf r;
	char *text = NULL;
	size_t tlen;
	int rc;

	memset(&r, 0, sizeof(r));
	r.snap = snap;
	r.name = name;
	if ((rc = irmf_text_decode(buf, len, name, &text, &tlen)) < 0)
		goto cleanup;
	irmf_lines_init(&r.it, text, tlen);
	if ((rc = header(&r)) < 0)
		goto cleanup;
	rc = body(&r);
cleanup:
	irmf_buf_free(&r.vname);
	irmf_buf_free(&r.str);
	irmf_buf_free(&r.bytes);
	free(text);
	return rc;
}

bool
irmf_regfile_sniff(const char *t)
{
	const char *end;

	if (t == NULL)
		return false;
	if (strncmp(t, "\xEF\xBB\xBF", 3) == 0)
		t += 3;
	while (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n')
		t++;
	end = t + strcspn(t, "\r\n");
	if (header_kind(t, end) != 0)
		return true;
	if (*t != '[')
		return false;
	t += 1 + (t[1] == '-');
	return strncasecmp(t, "HK", 2) == 0;
}
