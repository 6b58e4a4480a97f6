/*
 * regquery.c - reads `reg query` console text into the snapshot's registry
 * (see regquery.h for the format and its ambiguities).  Used by `irmfleet
 * import` for saved output and by the SSH collector for live output.
 *
 * One pass over the decoded text.  A value line is held as "pending" until
 * the next line shows it has ended, because reg.exe prints the newlines of
 * a REG_SZ verbatim; then it is converted by type and stored.  Columns are
 * split at the first known "REG_xxx" token that has blanks on both sides:
 * modern reg.exe separates columns with exactly four spaces (a name may
 * itself end in spaces), XP's reg.exe with a tab that pasted copies show
 * expanded, so after a "! REG.EXE VERSION" banner blanks are trimmed.
 * Scratch buffers only grow and keys are found through the snapshot's hash
 * index, so a whole-hive dump parses in linear time.
 */
#define _GNU_SOURCE 1   /* memmem */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "error.h"
#include "regquery.h"
#include "snapshot_int.h"
#include "textdecode.h"

typedef struct rq {
	irmf_snapshot *snap;
	const char *name;
	irmf_lines it;
	bool xp;               /* "! REG.EXE VERSION 3.0" seen */
	irmf_reg_key *key;     /* key of the values that follow */
	char *query;           /* canonical key from a prompt echo, or NULL */
	/* the value being read */
	bool pending;
	bool pdefault;         /* the unnamed value */
	irmf_reg_type ptype;
	size_t pline;
	irmf_buf pname, pdata, path;
} rq;

/* "(Po umolchaniyu)" in Cyrillic */
#define RU_DEFAULT "(\xD0\x9F\xD0\xBE \xD1\x83\xD0\xBC\xD0\xBE\xD0\xBB" \
    "\xD1\x87\xD0\xB0\xD0\xBD\xD0\xB8\xD1\x8E)"

/* Display names of the unnamed value ('?' = any one character, because
 * OEM output decoded with the wrong code page garbles accents). */
static const char *default_names[] = {
	"(Default)", "<NO NAME>", "(Standard)", "(par d?faut)",
	"(Predeterminado)", "(Predefinito)", "(Padr?o)", "(Standaard)",
	"(Domy?lna)", "(V?choz?)", "(Alap?rtelmezett)", "(Oletus)",
	"(Standardv?rde)",
	/* ru */
	RU_DEFAULT,
	"(\xE6\x97\xA2\xE5\xAE\x9A)",                         /* ja */
	"(\xEB\x94\xB0\xEB\xB3\xB8\xEA\xB0\x92)",             /* ko */
	"(\xE9\xBB\x98\xE8\xAE\xA4)",                         /* zh-CN */
	"(\xE9\xA0\x90\xE8\xA8\xAD)",                         /* zh-TW */
};

/* What reg.exe prints for an unset default value (with /ve). */
static const char *not_set_texts[] = {
	"(value not set)", "(Wert nicht festgelegt)", "(valeur non d?finie)",
	"(valor no establecido)", "(valore non impostato)",
};

static const struct {
	const char *name;
	size_t len;
} roots[] = {
	{ "HKEY_LOCAL_MACHINE", 18 }, { "HKEY_CURRENT_USER", 17 },
	{ "HKEY_CLASSES_ROOT", 17 }, { "HKEY_USERS", 10 },
	{ "HKEY_CURRENT_CONFIG", 19 }, { "HKEY_PERFORMANCE_DATA", 21 },
	{ "HKEY_DYN_DATA", 13 }, { "HKLM", 4 }, { "HKCU", 4 }, { "HKCR", 4 },
	{ "HKU", 3 }, { "HKCC", 4 },
};

static const char *
nm(const char *name)
{
	return name ? name : "<input>";
}

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

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

static bool
starts_with(const char *p, const char *end, const char *prefix)
{
	size_t n = strlen(prefix);

	return (size_t)(end - p) >= n && strncmp(p, prefix, n) == 0;
}

/* Case-insensitive search for needle in [p, end). */
static const char *
find_ci(const char *p, const char *end, const char *needle)
{
	size_t n = strlen(needle);

	for (; (size_t)(end - p) >= n; p++)
		if (strncasecmp(p, needle, n) == 0)
			return p;
	return NULL;
}

/* Length of one UTF-8 character at p (1 for a stray byte). */
static size_t
u8len(const char *p, const char *end)
{
	unsigned char c = (unsigned char)*p;
	size_t n = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

	return n <= (size_t)(end - p) ? n : 1;
}

/* [s, end) equals pattern, '?' matching one UTF-8 character. */
static bool
match_pattern(const char *s, const char *end, const char *pat)
{
	for (; *pat; pat++) {
		if (s >= end)
			return false;
		if (*pat == '?')
			s += u8len(s, end);
		else if (*s++ != *pat)
			return false;
	}
	return s == end;
}

static bool
match_any(const char *s, const char *end, const char **pats, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (match_pattern(s, end, pats[i]))
			return true;
	return false;
}

static bool
type_lookup(const char *p, size_t n, irmf_reg_type *out)
{
	for (int t = IRMF_REG_NONE; t <= IRMF_REG_QWORD; t++) {
		const char *tn = irmf_reg_type_name((irmf_reg_type)t);
		if (strlen(tn) == n && memcmp(p, tn, n) == 0) {
			*out = (irmf_reg_type)t;
			return true;
		}
	}
	if (n == 23 && memcmp(p, "REG_DWORD_LITTLE_ENDIAN", n) == 0) {
		*out = IRMF_REG_DWORD;
		return true;
	}
	if (n == 23 && memcmp(p, "REG_QWORD_LITTLE_ENDIAN", n) == 0) {
		*out = IRMF_REG_QWORD;
		return true;
	}
	return false;
}

/* Length of the root at p ("HKEY_LOCAL_MACHINE") if followed by '\' or
 * the end, else 0. */
static size_t
root_len(const char *p, const char *end)
{
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		size_t n = roots[i].len;
		if ((size_t)(end - p) >= n &&
		    strncasecmp(p, roots[i].name, n) == 0 &&
		    (p + n == end || p[n] == '\\'))
			return n;
	}
	return 0;
}

/* Skip a "\\HOST\" prefix (reg query \\HOST\HKLM\...). */
static const char *
skip_host(const char *p, const char *end)
{
	const char *q;

	if (end - p < 3 || p[0] != '\\' || p[1] != '\\')
		return p;
	q = memchr(p + 2, '\\', (size_t)(end - p - 2));
	return q ? q + 1 : p;
}

/* Record that one value could not be read; the key is then "failed". */
static int IRMF_PRINTF(3, 4)
value_error(rq *r, size_t line, const char *fmt, ...)
{
	char msg[512], item[IRMF_ERROR_MSG_MAX];
	va_list ap;
	int len;

	len = snprintf(msg, sizeof(msg), "%s:%zu: ", nm(r->name), line);
	if (len < 0 || (size_t)len >= sizeof(msg))
		len = 0;
	va_start(ap, fmt);
	vsnprintf(msg + len, sizeof(msg) - (size_t)len, fmt, ap);
	va_end(ap);
	snprintf(item, sizeof(item), "registry:%s", r->key->path);
	return irmf_snapshot_add_error(r->snap, item, IRMF_REASON_PARSE_ERROR,
	    msg);
}

/* "0x1A" (or decimal) -> number that fits `bits`. */
static bool
parse_num(const char *s, unsigned bits, uint64_t *out)
{
	uint64_t v = 0, max = bits == 64 ? UINT64_MAX : (1ULL << bits) - 1;
	int base = 10, d;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (*p == '\0')
		return false;
	for (; *p; p++) {
		if (isdigit((unsigned char)*p))
			d = *p - '0';
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = tolower((unsigned char)*p) - 'a' + 10;
		else
			return false;
		if (v > (max - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return true;
}

static int
store_multi(rq *r, const char *name)
{
	char *data = r->pdata.p, *p, *sep;
	char **items = NULL;
	size_t count = 0, i = 0;
	int rc;

	if (r->pdata.n > 0) {
		count = 1;
		for (p = data; (p = strstr(p, "\\0")) != NULL; p += 2)
			count++;
		if ((items = calloc(count, sizeof(*items))) == NULL)
			return irmf_error_oom();
		for (p = data; (sep = strstr(p, "\\0")) != NULL; p = sep + 2) {
			*sep = '\0';
			items[i++] = p;
		}
		items[i] = p;
	}
	rc = irmf_reg_key_set_multi(r->key, name, items, count);
	free(items);
	return rc;
}

static int
store_hex(rq *r, const char *name)
{
	unsigned char *out = (unsigned char *)r->pdata.p;
	const char *s = r->pdata.p;
	size_t n = r->pdata.n;

	if (n % 2 != 0)
		return value_error(r, r->pline, "value '%s': odd number of hex "
		    "digits in %s data", name, irmf_reg_type_name(r->ptype));
	/* decode in place: the output is half the size of the text */
	for (size_t i = 0; i < n; i += 2) {
		if (!isxdigit((unsigned char)s[i]) ||
		    !isxdigit((unsigned char)s[i + 1]))
			return value_error(r, r->pline, "value '%s': expected "
			    "hex digits in %s data, got '%.2s'", name,
			    irmf_reg_type_name(r->ptype), s + i);
		int hi = isdigit((unsigned char)s[i]) ? s[i] - '0' :
		    tolower((unsigned char)s[i]) - 'a' + 10;
		int lo = isdigit((unsigned char)s[i + 1]) ? s[i + 1] - '0' :
		    tolower((unsigned char)s[i + 1]) - 'a' + 10;
		out[i / 2] = (unsigned char)(hi * 16 + lo);
	}
	return irmf_reg_key_set_bin(r->key, name, r->ptype, out, n / 2);
}

/* Store the pending value, converted by type. */
static int
commit(rq *r)
{
	const char *name = r->pdefault ? "" : r->pname.p;
	const char *data = r->pdata.p;
	uint64_t v;

	if (!r->pending)
		return IRMF_OK;
	r->pending = false;
	switch (r->ptype) {
	case IRMF_REG_SZ:
	case IRMF_REG_EXPAND_SZ:
	case IRMF_REG_LINK:
		if (r->pdefault && match_any(data, data + r->pdata.n,
		    not_set_texts, sizeof(not_set_texts) / sizeof(char *)))
			return IRMF_OK;   /* unset default: absent */
		return irmf_reg_key_set_sz(r->key, name, r->ptype, data);
	case IRMF_REG_MULTI_SZ:
		return store_multi(r, name);
	case IRMF_REG_DWORD:
	case IRMF_REG_DWORD_BIG_ENDIAN:
	case IRMF_REG_QWORD:
		if (!parse_num(data, r->ptype == IRMF_REG_QWORD ? 64 : 32, &v))
			return value_error(r, r->pline, "value '%s': expected "
			    "a %s number like 0x1, got '%.*s'", name,
			    irmf_reg_type_name(r->ptype),
			    excerpt_len(data, r->pdata.n), data);
		return irmf_reg_key_set_num(r->key, name, r->ptype, v);
	default:
		return store_hex(r, name);
	}
}

/*
 * Split an indented line at a type column.  On success name/data are
 * set (data may be empty) and *type is the type, or *known is false for a
 * REG_ token irmfleet does not know.
 */
static bool
split_at(const rq *r, bool strict, const char *s, const char *end,
    const char **ne, const char **ds, irmf_reg_type *type, bool *known)
{
	const char *q = s, *t;

	while ((q = memmem(q, (size_t)(end - q), "REG_", 4)) != NULL) {
		t = q + 4;
		while (t < end && (isupper((unsigned char)*t) ||
		    isdigit((unsigned char)*t) || *t == '_'))
			t++;
		if (q == s || !is_blank(q[-1]) || (t < end && !is_blank(*t)) ||
		    (strict && (q - s <= 4 || memcmp(q - 4, "    ", 4) != 0 ||
		    (t < end && (end - t < 4 || memcmp(t, "    ", 4) != 0)) ||
		    !type_lookup(q, (size_t)(t - q), type)))) {
			q += 4;
			continue;
		}
		if (!r->xp && q - s > 4 && memcmp(q - 4, "    ", 4) == 0)
			*ne = q - 4;
		else
			for (*ne = q; *ne > s && is_blank((*ne)[-1]); (*ne)--)
				;
		if (*ne == s) {
			q += 4;
			continue;
		}
		if (t == end)
			*ds = end;
		else if (!r->xp && end - t >= 4 && memcmp(t, "    ", 4) == 0)
			*ds = t + 4;
		else if (*t == '\t')
			*ds = t + 1;
		else
			*ds = skip_ws(t, end);
		*known = type_lookup(q, (size_t)(t - q), type);
		return true;
	}
	return false;
}

/* Modern output first: a known type with exactly four spaces on both
 * sides, so that a name like "my REG_SZ copy" is not cut at its "REG_SZ";
 * then any blank-separated REG_ token (XP, pasted or hand-edited text). */
static bool
split_value(const rq *r, const char *s, const char *end, const char **ne,
    const char **ds, irmf_reg_type *type, bool *known)
{
	return (!r->xp && split_at(r, true, s, end, ne, ds, type, known)) ||
	    split_at(r, false, s, end, ne, ds, type, known);
}

static bool
pending_string(const rq *r)
{
	return r->pending && (r->ptype == IRMF_REG_SZ ||
	    r->ptype == IRMF_REG_EXPAND_SZ || r->ptype == IRMF_REG_MULTI_SZ ||
	    r->ptype == IRMF_REG_LINK);
}

/* A line that continues a string value printed with its newline. */
static int
continuation(rq *r, const char *l, const char *end)
{
	if (irmf_buf_addn(&r->pdata, "\n", 1) < 0)
		return IRMF_ENOMEM;
	return irmf_buf_addn(&r->pdata, l, (size_t)(end - l));
}

static int
indented_line(rq *r, const char *l, const char *s, const char *end)
{
	const char *ne, *ds;
	irmf_reg_type type;
	bool known;
	int rc;

	if (!split_value(r, s, end, &ne, &ds, &type, &known)) {
		if (pending_string(r))
			return continuation(r, l, end);
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected a value "
		    "line '    name    REG_TYPE    data', got '%.*s'",
		    nm(r->name), r->it.lineno,
		    excerpt_len(l, (size_t)(end - l)), l);
	}
	if ((rc = commit(r)) < 0)
		return rc;
	if (r->key == NULL)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected a key line "
		    "('HKEY_...') before the first value, got '%.*s'",
		    nm(r->name), r->it.lineno,
		    excerpt_len(l, (size_t)(end - l)), l);
	if (!known)
		return value_error(r, r->it.lineno, "value '%.*s': unknown "
		    "registry type in '%.*s'", (int)(ne - s), s,
		    excerpt_len(ne, (size_t)(end - ne)), ne);
	if ((rc = irmf_buf_set(&r->pname, s, (size_t)(ne - s))) < 0 ||
	    (rc = irmf_buf_set(&r->pdata, ds, (size_t)(end - ds))) < 0)
		return rc;
	r->pdefault = match_any(s, ne, default_names,
	    sizeof(default_names) / sizeof(default_names[0]));
	r->ptype = type;
	r->pline = r->it.lineno;
	r->pending = true;
	return IRMF_OK;
}

static int
key_line(rq *r, const char *p, const char *end)
{
	int rc;

	while (end > p && is_blank(end[-1]))
		end--;
	if ((rc = irmf_buf_set(&r->path, p, (size_t)(end - p))) < 0)
		return rc;
	r->key = NULL;
	if ((rc = irmf_snapshot_reg_key(r->snap, r->path.p, &r->key)) ==
	    IRMF_EPARSE)
		return irmf_error_prefix("%s:%zu: ", nm(r->name), r->it.lineno);
	return rc;
}

/* "ERROR: ..." from reg.exe. */
static int
error_line(rq *r, const char *p, const char *end)
{
	char item[IRMF_ERROR_MSG_MAX], msg[512];
	irmf_collect_reason reason = IRMF_REASON_COMMAND_FAILED;

	if (find_ci(p, end, "unable to find") != NULL)
		return IRMF_OK;   /* the queried key or value is absent */
	if (find_ci(p, end, "access is denied") != NULL)
		reason = IRMF_REASON_ACCESS_DENIED;
	snprintf(item, sizeof(item), "registry%s%s",
	    r->query || r->key ? ":" : "",
	    r->query ? r->query : r->key ? r->key->path : "");
	snprintf(msg, sizeof(msg), "%s:%zu: %.*s", nm(r->name), r->it.lineno,
	    (int)(end - p), p);
	return irmf_snapshot_add_error(r->snap, item, reason, msg);
}

/* Prompt echo "C:\>reg query KEY ..." / "PS> reg query KEY": returns
 * whether the line is one, and remembers KEY. */
static bool
prompt_line(rq *r, const char *p, const char *end)
{
	const char *q = find_ci(p, end, "reg query ");
	const char *k, *ke;
	size_t skip = 10;
	char *path;

	if (q == NULL) {
		q = find_ci(p, end, "reg.exe query ");
		skip = 14;
	}
	if (q == NULL || memchr(p, '>', (size_t)(q - p)) == NULL)
		return false;
	k = skip_ws(q + skip, end);
	if (k < end && *k == '"') {
		k++;
		ke = memchr(k, '"', (size_t)(end - k));
		if (ke == NULL)
			ke = end;
	} else
		for (ke = k; ke < end && !is_blank(*ke); ke++)
			;
	k = skip_host(k, ke);
	free(r->query);
	r->query = NULL;
	if (irmf_buf_set(&r->path, k, (size_t)(ke - k)) == 0 &&
	    (path = irmf_reg_canonical_path(r->path.p)) != NULL)
		r->query = path;
	irmf_error_clear();   /* an odd path only means no item name */
	return true;
}

/* Only blank lines follow the current one. */
static bool
rest_blank(const rq *r)
{
	for (const char *p = r->it.p; p < r->it.end; p++)
		if (!is_blank(*p) && *p != '\n')
			return false;
	return true;
}

static int
col0_line(rq *r, const char *l, const char *end)
{
	const char *k = skip_host(l, end);
	int rc;

	if (root_len(k, end) > 0) {
		if ((rc = commit(r)) < 0)
			return rc;
		return key_line(r, k, end);
	}
	if (pending_string(r) && !starts_with(l, end, "End of search:") &&
	    !starts_with(l, end, "ERROR:"))
		return continuation(r, l, end);
	if ((rc = commit(r)) < 0)
		return rc;
	if (starts_with(l, end, "! REG.EXE VERSION")) {
		r->xp = true;
		return IRMF_OK;
	}
	if (starts_with(l, end, "End of search:"))
		return IRMF_OK;
	if (starts_with(l, end, "ERROR:"))
		return error_line(r, l, end);
	if (prompt_line(r, l, end))
		return IRMF_OK;
	/* a localized "End of search: N match(es) found." as the last line */
	if (rest_blank(r) && memchr(l, ':', (size_t)(end - l)) != NULL &&
	    strpbrk(l, "0123456789") != NULL &&
	    strpbrk(l, "0123456789") < end)
		return IRMF_OK;
	return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected a key line "
	    "('HKEY_LOCAL_MACHINE\\...'), an indented value line or a blank "
	    "line, got '%.*s'", nm(r->name), r->it.lineno,
	    excerpt_len(l, (size_t)(end - l)), l);
}

int
irmf_regquery_parse_cp(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name, const char *codepage)
{
	rq r;
	char *text = NULL;
	const char *env = getenv("IRMFLEET_CODEPAGE");
	const char *l, *end, *s;
	size_t tlen, n;
	int rc;

	memset(&r, 0, sizeof(r));
	r.snap = snap;
	r.name = name;
	/* 8-bit reg query text is console output: OEM, not ANSI */
	if (codepage == NULL && (env == NULL || *env == '\0'))
		codepage = "CP850";
	if ((rc = irmf_text_decode_cp(buf, len, name, codepage, &text, &tlen,
	    NULL)) < 0)
		goto cleanup;
	irmf_lines_init(&r.it, text, tlen);
	while (rc == IRMF_OK && irmf_lines_next(&r.it, &l, &n)) {
		end = l + n;
		s = skip_ws(l, end);
		if (s == end)
			rc = commit(&r);
		else if (s == l)
			rc = col0_line(&r, l, end);
		else
			rc = indented_line(&r, l, s, end);
	}
	if (rc == IRMF_OK)
		rc = commit(&r);
cleanup:
	free(r.query);
	irmf_buf_free(&r.pname);
	irmf_buf_free(&r.pdata);
	irmf_buf_free(&r.path);
	free(text);
	return rc;
}

int
irmf_regquery_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name)
{
	return irmf_regquery_parse_cp(snap, buf, len, name, NULL);
}

bool
irmf_regquery_sniff(const char *t)
{
	const char *end, *k;
	bool found;
	rq r;

	if (t == NULL)
		return false;
	if (strncmp(t, "\xEF\xBB\xBF", 3) == 0)
		t += 3;
	while (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n') {
		/* a key line must start its line: stop at indentation */
		if ((*t == ' ' || *t == '\t') && (t[1] != ' ' && t[1] != '\t' &&
		    t[1] != '\r' && t[1] != '\n'))
			return false;
		t++;
	}
	end = t + strcspn(t, "\r\n");
	k = skip_host(t, end);
	if (strncmp(k, "HKEY_", 5) == 0 && root_len(k, end) > 0)
		return true;
	if (starts_with(t, end, "! REG.EXE VERSION"))
		return true;
	if (starts_with(t, end, "ERROR: The system was unable to find the "
	    "specified registry key or value"))
		return true;
	memset(&r, 0, sizeof(r));
	found = prompt_line(&r, t, end);
	free(r.query);
	irmf_buf_free(&r.path);
	return found;
}
