/*
 * snapshot_read_util.c - the snapshot reader's helpers: attributes (and
 * their base64 twins), element text, XSD whitespace, numbers, pending
 * element state, and errors carrying the element's line.
 *
 * XSD collapses whitespace around tokens, numbers and booleans, so these
 * do too; strings XML 1.0 cannot carry arrive base64-encoded.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot_read_int.h"

/* ------------------------------------------------------------ base64 */

/* Decode base64 text (whitespace ignored) into a NUL-terminated string;
 * a NUL inside the data cannot be held by the model and is an error. */
static int
b64_decode(const char *in, size_t n, char **out, const char *name, long line)
{
	irmf_buf clean = IRMF_BUF_INIT, dec = IRMF_BUF_INIT;
	int rc;

	*out = NULL;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && in[j] != ' ' && in[j] != '\t' &&
		    in[j] != '\n' && in[j] != '\r'; j++)
			;
		irmf_buf_addn(&clean, in + i, j - i);
		if (j < n)
			j++;
	}
	if ((rc = clean.err) == 0 &&
	    (rc = irmf_buf_add_unbase64(&dec, clean.p, clean.n)) == 0 &&
	    memchr(irmf_buf_str(&dec), '\0', dec.n) != NULL)
		rc = irmf_error_set(IRMF_EPARSE, "%s:%ld: base64 value "
		    "contains a NUL character", name, line);
	else if (rc == IRMF_EPARSE)
		rc = irmf_error_set(IRMF_EPARSE, "%s:%ld: invalid base64 "
		    "value", name, line);
	irmf_buf_free(&clean);
	if (rc == 0 && (*out = irmf_buf_take(&dec)) == NULL)
		rc = IRMF_ENOMEM;
	irmf_buf_free(&dec);
	return rc;
}

/* ------------------------------------------------------------ helpers */

/* A model error at the current element: "name:line: message". */
int
srd_bad(const reader *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return irmf_error_set(IRMF_EPARSE, "%s:%ld: %s", r->name,
	    r->stack[r->depth - 1].line, msg);
}

/* A model-layer error (enum parse ...) with this element's line. */
int
srd_at_line(const reader *r, int rc)
{
	if (rc == IRMF_ENOMEM)
		return rc;
	irmf_error_prefix("%s:%ld: ", r->name, r->stack[r->depth - 1].line);
	return IRMF_EPARSE;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* XSD collapses whitespace around tokens, numbers and booleans (" true "
 * is a valid xs:boolean), so the reader must too. */
static void
trim_span(const char **s, size_t *n)
{
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
}

void
srd_trim(char *s)
{
	const char *p = s;
	size_t n = strlen(s);

	trim_span(&p, &n);
	memmove(s, p, n);
	s[n] = '\0';
}

/* Attribute `attr` and its base64 twin "attrBase64", in one scan. */
void
srd_find_pair(const reader *r, const char *attr, const irmf_xml_attr **plain,
    const irmf_xml_attr **enc)
{
	size_t n = strlen(attr);

	*plain = *enc = NULL;
	for (size_t i = 0; i < r->nattrs; i++) {
		const char *an = r->attrs[i].name;
		if (strncmp(an, attr, n) != 0)
			continue;
		if (an[n] == '\0')
			*plain = &r->attrs[i];
		else if (strcmp(an + n, "Base64") == 0)
			*enc = &r->attrs[i];
	}
}

/* String attribute `attr` or its base64 twin, malloc'd (NULL when neither
 * is present). */
int
srd_get_attr(const reader *r, const char *attr, char **out)
{
	const irmf_xml_attr *plain, *enc;

	*out = NULL;
	srd_find_pair(r, attr, &plain, &enc);
	if (plain != NULL && enc != NULL)
		return srd_bad(r, "both '%s' and its base64 twin are present",
		    attr);
	if (enc != NULL)
		return b64_decode(enc->value, enc->len, out, r->name,
		    r->stack[r->depth - 1].line);
	if (plain == NULL)
		return IRMF_OK;
	if ((*out = irmf_strndup(plain->value, plain->len)) == NULL)
		return IRMF_ENOMEM;
	return IRMF_OK;
}

int
srd_need_attr(const reader *r, const char *attr, char **out)
{
	TRY(srd_get_attr(r, attr, out));
	if (*out == NULL)
		return srd_bad(r, "attribute '%s' is missing", attr);
	return IRMF_OK;
}

/* A token attribute (enumerations, numbers, booleans: never base64),
 * trimmed into buf; false when absent.  A token too long for buf is cut:
 * no valid token is that long, and the caller's parse rejects it. */
bool
srd_get_token(const reader *r, const char *attr, char *buf, size_t cap)
{
	for (size_t i = 0; i < r->nattrs; i++) {
		const char *v = r->attrs[i].value;
		size_t n = r->attrs[i].len;

		if (strcmp(r->attrs[i].name, attr) != 0)
			continue;
		trim_span(&v, &n);
		if (n >= cap)
			n = cap - 1;
		memcpy(buf, v, n);
		buf[n] = '\0';
		return true;
	}
	buf[0] = '\0';
	return false;
}

int
srd_need_token(const reader *r, const char *attr, char *buf, size_t cap)
{
	if (!srd_get_token(r, attr, buf, cap))
		return srd_bad(r, "attribute '%s' is missing", attr);
	return IRMF_OK;
}

static bool
xsd_true(const char *s)
{
	return strcmp(s, "true") == 0 || strcmp(s, "1") == 0;
}

/* An xs:boolean attribute; absent is false. */
bool
srd_get_bool(const reader *r, const char *attr)
{
	char v[16];

	return srd_get_token(r, attr, v, sizeof(v)) && xsd_true(v);
}

/* Parse a whole decimal string into an unsigned value <= max. */
int
srd_parse_u64(const reader *r, const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return srd_bad(r, "'%s' is not a decimal number", s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return srd_bad(r, "'%s' is not a decimal number in range", s);
	*out = v;
	return IRMF_OK;
}

int
srd_parse_int(const reader *r, const char *s, int *out)
{
	char *end;
	long v;

	if (*s == '\0')
		return srd_bad(r, "'%s' is not an integer", "");
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < INT32_MIN || v > INT32_MAX)
		return srd_bad(r, "'%s' is not an integer in range", s);
	*out = (int)v;
	return IRMF_OK;
}

/* The text of the element ending now, decoded if encoding="base64". */
int
srd_take_text(reader *r, char **out)
{
	const frame *f = &r->stack[r->depth - 1];
	const char *t = irmf_buf_str(&r->text);

	if (f->b64)
		return b64_decode(t, r->text.n, out, r->name, f->line);
	*out = irmf_strndup(t, r->text.n);
	return *out == NULL ? IRMF_ENOMEM : IRMF_OK;
}

/* Replace *dst with the element's text. */
int
srd_text_into(reader *r, char **dst)
{
	char *v;

	TRY(srd_take_text(r, &v));
	free(*dst);
	*dst = v;
	return IRMF_OK;
}

int
srd_push_item(char ***items, size_t *n, size_t *cap, char *v)
{
	if (irmf_grow((void **)items, cap, *n, sizeof(**items)) < 0) {
		free(v);
		return IRMF_ENOMEM;
	}
	(*items)[(*n)++] = v;
	return IRMF_OK;
}

void
srd_pending_clear(pending *p)
{
	irmf_reg_value_clear(&p->val);
	free(p->pname);
	free(p->pvalue);
	for (size_t i = 0; i < p->nitems; i++)
		free(p->items[i]);
	free(p->items);
	free(p->subject);
	free(p->message);
	memset(p, 0, sizeof(*p));
}

/* Only the <value> part: the common case, kept cheap. */
void
srd_value_reset(pending *p)
{
	if (p->val.name != NULL || p->val.str != NULL || p->val.multi != NULL ||
	    p->val.bin != NULL)
		irmf_reg_value_clear(&p->val);
	memset(&p->val, 0, sizeof(p->val));
	p->capmulti = 0;
}

el_code
srd_parent(const reader *r)
{
	return r->depth >= 2 ? r->stack[r->depth - 2].code : E_OTHER;
}
