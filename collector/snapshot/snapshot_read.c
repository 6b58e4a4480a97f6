/*
 * snapshot_read.c - a snapshot file into the model, in one streaming pass
 * (schemas/snapshot.xsd, docs/snapshot-format.md).
 *
 * Compare and audit load thousands of snapshots, so reading must cost
 * little more than parsing: the parser's events go to the schema
 * validator and to this file's handlers at once (irmf_xml_stream_validate),
 * and the model is built as the elements go by; no tree is built, walked
 * or freed.
 *
 * The schema checks structure.  What XSD 1.0 cannot say - registry data
 * that must match the value's type, one of "name"/"nameBase64", duplicate
 * keys, values and properties - is checked here, with the element's line.
 * Because the handlers see an element before the validator does, a model
 * error is only kept (the rest of the document is still validated) and
 * reported when the document turned out valid: a schema error always wins,
 * as it did when the tree was validated first.  Root, namespace and format
 * version (1 or 2) are checked at the root element and stop the parse, so
 * a file of another kind gets a message that says so.  Version 2's
 * <generation> is kept aside for validate only (identity.c derives the
 * generation from the content; nothing trusts the recorded one).
 *
 * Strings XML 1.0 cannot carry are base64 in the file: attribute "x"
 * becomes "xBase64", element text gets encoding="base64".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "buf.h"
#include "error.h"
#include "fileio.h"
#include "snapshot_int.h"
#include "xmlutil.h"

#define XSD_NAME "snapshot.xsd"
#define MAX_DEPTH 8      /* the schema's deepest element is at depth 5 */
#define TRY(expr) do { int try_rc_ = (expr); if (try_rc_ < 0) return try_rc_; } while (0)

/* The elements of the format; E_OTHER is anything else (the schema will
 * reject it, so it is simply skipped here). */
typedef enum el_code {
	E_OTHER = 0, E_SNAPSHOT, E_IDENTITY, E_SERVER, E_FQDN, E_ROLES, E_ROLE,
	E_PRODUCT, E_OS, E_COLLECTED_AT, E_METHOD, E_COLLECTOR, E_SOURCES,
	E_SOURCE, E_REGISTRY, E_KEY, E_VALUE, E_ITEM, E_IRM_CONFIG, E_PROPERTY,
	E_IRM_TEST, E_STEP, E_CHECK, E_MESSAGE, E_FILES, E_FILE, E_SECURITY,
	E_COMPUTER_ACCOUNT, E_GROUPS, E_GROUP, E_SERVICE_ACCOUNTS, E_ACCOUNT,
	E_AUTHORIZATIONS, E_AUTHORIZATION, E_EVENTS, E_EVENT, E_WINDOW, E_PROBES,
	E_PROBE, E_ERRORS, E_ERROR, E_KEY_ACL, E_GENERATION, E_EVIDENCE
} el_code;

static const struct {
	const char *name;
	el_code code;
	bool text;       /* carries text the model keeps */
} elements[] = {
	/* the most frequent first: the table is searched linearly */
	{ "value", E_VALUE, false }, { "key", E_KEY, false },
	{ "item", E_ITEM, true }, { "property", E_PROPERTY, false },
	{ "snapshot", E_SNAPSHOT, false }, { "identity", E_IDENTITY, false },
	{ "server", E_SERVER, true }, { "fqdn", E_FQDN, true },
	{ "roles", E_ROLES, false }, { "role", E_ROLE, true },
	{ "product", E_PRODUCT, false }, { "os", E_OS, true },
	{ "collectedAt", E_COLLECTED_AT, true }, { "method", E_METHOD, true },
	{ "collector", E_COLLECTOR, false }, { "sources", E_SOURCES, false },
	{ "source", E_SOURCE, false }, { "registry", E_REGISTRY, false },
	{ "irmConfiguration", E_IRM_CONFIG, false },
	{ "irmTest", E_IRM_TEST, false },
	{ "step", E_STEP, false }, { "check", E_CHECK, true },
	{ "message", E_MESSAGE, true }, { "files", E_FILES, false },
	{ "file", E_FILE, false }, { "security", E_SECURITY, false },
	{ "computerAccount", E_COMPUTER_ACCOUNT, true },
	{ "groups", E_GROUPS, false }, { "group", E_GROUP, true },
	{ "serviceAccounts", E_SERVICE_ACCOUNTS, false },
	{ "account", E_ACCOUNT, true },
	{ "authorizations", E_AUTHORIZATIONS, false },
	{ "authorization", E_AUTHORIZATION, false },
	{ "events", E_EVENTS, false }, { "event", E_EVENT, false },
	{ "window", E_WINDOW, false },
	{ "probes", E_PROBES, false }, { "probe", E_PROBE, false },
	{ "errors", E_ERRORS, false }, { "error", E_ERROR, false },
	{ "keyAcl", E_KEY_ACL, false },
	{ "generation", E_GENERATION, false },
	{ "evidence", E_EVIDENCE, false },
};

typedef struct frame {
	el_code code;
	long line;           /* of the start tag */
	bool text;           /* collect character data */
	bool b64;            /* encoding="base64" */
} frame;

/* What an element being read needs until its end tag. */
typedef struct pending {
	irmf_reg_value val;          /* <value> */
	char *pname, *pvalue;        /* <property> */
	irmf_prop_type ptype;
	bool pnil;
	char **items;                /* <item>s of a <property> */
	size_t nitems, capitems;
	size_t capmulti;             /* of val.multi */
	bool pass;                   /* <step> */
	char *subject;               /* step check, probe url, error item */
	char *message;               /* their <message> */
	int code;                    /* probe result, error reason */
	int status;                  /* probe HTTP status */
} pending;

typedef struct reader {
	const char *name;
	irmf_snapshot *s;
	int rc;                      /* first model error: later events skipped */
	bool stopped;                /* the root was wrong: parse stopped */
	const char *local;           /* name of the element being started */
	char msg[IRMF_ERROR_MSG_MAX];
	frame stack[MAX_DEPTH];
	size_t depth;                /* elements open, may exceed MAX_DEPTH */
	const irmf_xml_attr *attrs;  /* of the element being started */
	size_t nattrs;
	irmf_buf text;               /* character data of the open leaf */
	long identity_line;
	int version;                 /* the root's formatVersion */
	irmf_reg_key *key;           /* <key> being read */
	pending p;
} reader;

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

static int bad(const reader *r, const char *fmt, ...) IRMF_PRINTF(2, 3);

/* A model error at the current element: "name:line: message". */
static int
bad(const reader *r, const char *fmt, ...)
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
static int
at_line(const reader *r, int rc)
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

static void
trim(char *s)
{
	const char *p = s;
	size_t n = strlen(s);

	trim_span(&p, &n);
	memmove(s, p, n);
	s[n] = '\0';
}

/* Attribute `attr` and its base64 twin "attrBase64", in one scan. */
static void
find_pair(const reader *r, const char *attr, const irmf_xml_attr **plain,
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
static int
get_attr(const reader *r, const char *attr, char **out)
{
	const irmf_xml_attr *plain, *enc;

	*out = NULL;
	find_pair(r, attr, &plain, &enc);
	if (plain != NULL && enc != NULL)
		return bad(r, "both '%s' and its base64 twin are present",
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

static int
need_attr(const reader *r, const char *attr, char **out)
{
	TRY(get_attr(r, attr, out));
	if (*out == NULL)
		return bad(r, "attribute '%s' is missing", attr);
	return IRMF_OK;
}

/* A token attribute (enumerations, numbers, booleans: never base64),
 * trimmed into buf; false when absent.  A token too long for buf is cut:
 * no valid token is that long, and the caller's parse rejects it. */
static bool
get_token(const reader *r, const char *attr, char *buf, size_t cap)
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

static int
need_token(const reader *r, const char *attr, char *buf, size_t cap)
{
	if (!get_token(r, attr, buf, cap))
		return bad(r, "attribute '%s' is missing", attr);
	return IRMF_OK;
}

static bool
xsd_true(const char *s)
{
	return strcmp(s, "true") == 0 || strcmp(s, "1") == 0;
}

/* An xs:boolean attribute; absent is false. */
static bool
get_bool(const reader *r, const char *attr)
{
	char v[16];

	return get_token(r, attr, v, sizeof(v)) && xsd_true(v);
}

/* Parse a whole decimal string into an unsigned value <= max. */
static int
parse_u64(const reader *r, const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return bad(r, "'%s' is not a decimal number", s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return bad(r, "'%s' is not a decimal number in range", s);
	*out = v;
	return IRMF_OK;
}

static int
parse_int(const reader *r, const char *s, int *out)
{
	char *end;
	long v;

	if (*s == '\0')
		return bad(r, "'%s' is not an integer", "");
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < INT32_MIN || v > INT32_MAX)
		return bad(r, "'%s' is not an integer in range", s);
	*out = (int)v;
	return IRMF_OK;
}

/* The text of the element ending now, decoded if encoding="base64". */
static int
take_text(reader *r, char **out)
{
	const frame *f = &r->stack[r->depth - 1];
	const char *t = irmf_buf_str(&r->text);

	if (f->b64)
		return b64_decode(t, r->text.n, out, r->name, f->line);
	*out = irmf_strndup(t, r->text.n);
	return *out == NULL ? IRMF_ENOMEM : IRMF_OK;
}

/* Replace *dst with the element's text. */
static int
text_into(reader *r, char **dst)
{
	char *v;

	TRY(take_text(r, &v));
	free(*dst);
	*dst = v;
	return IRMF_OK;
}

static int
push_item(char ***items, size_t *n, size_t *cap, char *v)
{
	if (irmf_grow((void **)items, cap, *n, sizeof(**items)) < 0) {
		free(v);
		return IRMF_ENOMEM;
	}
	(*items)[(*n)++] = v;
	return IRMF_OK;
}

static void
pending_clear(pending *p)
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
static void
value_reset(pending *p)
{
	if (p->val.name != NULL || p->val.str != NULL || p->val.multi != NULL ||
	    p->val.bin != NULL)
		irmf_reg_value_clear(&p->val);
	memset(&p->val, 0, sizeof(p->val));
	p->capmulti = 0;
}

static el_code
parent(const reader *r)
{
	return r->depth >= 2 ? r->stack[r->depth - 2].code : E_OTHER;
}

/* ------------------------------------------------------- root, identity */

/* Root, namespace and format version: stop at once when wrong, before the
 * validator's cryptic "no matching global declaration". */
static int
start_root(reader *r, const char *local, const char *uri)
{
	char ver[32], *end;
	long v;

	if (strcmp(local, "snapshot") != 0 || uri == NULL ||
	    strcmp(uri, IRMF_SNAPSHOT_NS) != 0)
		return irmf_error_set(IRMF_EPARSE, "%s:%ld: root element is "
		    "'%s' in namespace '%s', expected 'snapshot' in namespace "
		    "'%s'", r->name, r->stack[0].line, local, uri ? uri : "",
		    IRMF_SNAPSHOT_NS);
	/* absent: the schema says so (formatVersion is required) */
	if (!get_token(r, "formatVersion", ver, sizeof(ver)))
		return IRMF_OK;
	v = strtol(ver, &end, 10);
	if (ver[0] < '0' || ver[0] > '9' || *end != '\0' ||
	    v < IRMF_SNAPSHOT_FORMAT_MIN || v > IRMF_SNAPSHOT_FORMAT_VERSION)
		return irmf_error_set(IRMF_EUNSUPPORTED, "%s:%ld: snapshot "
		    "format version '%s' is not supported (this irmfleet "
		    "reads versions %d to %d)", r->name, r->stack[0].line, ver,
		    IRMF_SNAPSHOT_FORMAT_MIN, IRMF_SNAPSHOT_FORMAT_VERSION);
	r->version = (int)v;
	return IRMF_OK;
}

static int
start_pair(reader *r, char **a, char **b, const char *attr_a,
    const char *attr_b)
{
	char *va = NULL, *vb = NULL;
	int rc;

	if ((rc = get_attr(r, attr_a, &va)) < 0 ||
	    (rc = get_attr(r, attr_b, &vb)) < 0) {
		free(va);
		return rc;
	}
	free(*a);
	free(*b);
	*a = va;
	*b = vb;
	return IRMF_OK;
}

static int
start_source(reader *r)
{
	char *file = NULL, *sha = NULL, *fmt = NULL;
	int rc;

	if ((rc = get_attr(r, "file", &file)) == 0 &&
	    (rc = get_attr(r, "sha256", &sha)) == 0 &&
	    (rc = get_attr(r, "format", &fmt)) == 0)
		rc = irmf_snapshot_add_source(r->s, file, sha, fmt);
	free(file);
	free(sha);
	free(fmt);
	return rc;
}

/* <generation> (formatVersion 2): kept only for validate's check against
 * the generation the content gives (identity.c); its evidence children
 * are the schema's business.  A version 1 file cannot have it: that file
 * was not written by a version 1 writer, and saying so beats guessing. */
static int
start_generation(reader *r)
{
	char name[32];

	if (r->version < 2)
		return bad(r, "<generation> needs formatVersion 2 (the file "
		    "says %d)", r->version);
	(void)get_token(r, "name", name, sizeof(name));
	free(r->s->recorded_generation);
	if ((r->s->recorded_generation = irmf_strdup(name)) == NULL)
		return IRMF_ENOMEM;
	r->s->recorded_line = r->stack[r->depth - 1].line;
	free(r->s->recorded_build);
	return get_attr(r, "build", &r->s->recorded_build);
}

static int
end_enum_text(reader *r, bool role)
{
	char *v;
	irmf_role ro;
	int rc;

	TRY(take_text(r, &v));
	trim(v);
	if (role) {
		if ((rc = irmf_role_parse(v, &ro)) == 0)
			r->s->roles |= (unsigned)ro;
	} else
		rc = irmf_method_parse(v, &r->s->method);
	free(v);
	return rc < 0 ? at_line(r, rc) : IRMF_OK;
}

static int
end_identity_child(reader *r, el_code c)
{
	irmf_snapshot *s = r->s;

	switch (c) {
	case E_SERVER:
		return text_into(r, &s->server);
	case E_FQDN:
		return text_into(r, &s->fqdn);
	case E_OS:
		return text_into(r, &s->os_version);
	case E_COLLECTED_AT:
		return text_into(r, &s->collected_at);
	case E_METHOD:
		return end_enum_text(r, false);
	default:
		return IRMF_OK;
	}
}

/* ------------------------------------------------------------ registry */

static int
start_key(reader *r)
{
	char *path = NULL;
	size_t before = r->s->nkeys;
	int rc;

	r->key = NULL;
	TRY(need_attr(r, "path", &path));
	rc = irmf_snapshot_reg_key(r->s, path, &r->key);
	if (rc == 0 && r->s->nkeys == before)
		rc = bad(r, "duplicate key '%s'", path);
	else if (rc < 0)
		rc = at_line(r, rc);
	free(path);
	return rc;
}

static int
start_value(reader *r)
{
	irmf_reg_value *v = &r->p.val;
	char type[64];
	int rc;

	value_reset(&r->p);
	if (r->key == NULL)
		return IRMF_OK;   /* <value> outside a <key>: schema error */
	TRY(need_attr(r, "name", &v->name));
	TRY(need_token(r, "type", type, sizeof(type)));
	if ((rc = irmf_reg_type_parse(type, &v->type)) < 0)
		return at_line(r, rc);
	TRY(get_attr(r, "data", &v->str));   /* converted at the end tag */
	if (v->type == IRMF_REG_MULTI_SZ && v->str != NULL)
		return bad(r, "%s", "REG_MULTI_SZ data must be <item> elements, "
		    "not a data attribute");
	return IRMF_OK;
}

/* The data attribute (held in v->str) converted to the value's type. */
static int
value_data(const reader *r, irmf_reg_value *v)
{
	char *data = v->str;
	size_t len;

	if (irmf_reg_type_is_string(v->type)) {
		if (v->str == NULL && (v->str = irmf_strdup("")) == NULL)
			return IRMF_ENOMEM;
		return IRMF_OK;
	}
	v->str = NULL;
	if (irmf_reg_type_is_number(v->type)) {
		int rc = parse_u64(r, data, v->type == IRMF_REG_QWORD ?
		    UINT64_MAX : UINT32_MAX, &v->num);
		free(data);
		return rc;
	}
	/* binary types: hex bytes */
	len = data ? strlen(data) : 0;
	if (len > 0) {
		irmf_buf bin = IRMF_BUF_INIT;
		int rc = irmf_buf_add_unhex(&bin, data, len);

		free(data);
		if (rc == IRMF_EPARSE) {
			irmf_buf_free(&bin);
			return bad(r, "%s data is not hex bytes",
			    irmf_reg_type_name(v->type));
		}
		len = bin.n;
		if ((v->bin = (unsigned char *)irmf_buf_take(&bin)) == NULL)
			return IRMF_ENOMEM;
		v->nbin = len;
		return IRMF_OK;
	}
	free(data);
	return IRMF_OK;
}

static int
start_value_item(reader *r)
{
	if (r->key != NULL && r->p.val.type != IRMF_REG_MULTI_SZ)
		return bad(r, "<item> is only allowed in REG_MULTI_SZ, not %s",
		    irmf_reg_type_name(r->p.val.type));
	return IRMF_OK;
}

static int
end_value_item(reader *r)
{
	irmf_reg_value *v = &r->p.val;
	char *t;

	if (r->key == NULL)
		return IRMF_OK;
	TRY(take_text(r, &t));
	return push_item(&v->multi, &v->nmulti, &r->p.capmulti, t);
}

static int
end_value(reader *r)
{
	bool dup;
	int rc;

	if (r->key == NULL)
		return IRMF_OK;
	if (r->p.val.type != IRMF_REG_MULTI_SZ &&
	    (rc = value_data(r, &r->p.val)) < 0)
		return rc;
	if ((rc = irmf_reg_key_add_value(r->key, &r->p.val, &dup)) == 0 && dup)
		rc = bad(r, "duplicate value '%s'", r->p.val.name);
	value_reset(&r->p);
	return rc;
}

/* ------------------------------------------------------------ IRM */

static int
start_property(reader *r)
{
	pending *p = &r->p;
	char type[64];
	int rc;

	pending_clear(p);
	TRY(need_attr(r, "name", &p->pname));
	TRY(need_token(r, "type", type, sizeof(type)));
	p->pnil = get_bool(r, "nil");
	TRY(get_attr(r, "value", &p->pvalue));
	if ((rc = irmf_prop_type_parse(type, &p->ptype)) < 0)
		return at_line(r, rc);
	if (irmf_snapshot_prop_find(r->s, p->pname) != NULL)
		return bad(r, "duplicate property '%s'", p->pname);
	if ((p->pnil || irmf_prop_type_is_list(p->ptype)) && p->pvalue != NULL)
		return bad(r, "property '%s' has a value although it is nil "
		    "or a list", p->pname);
	return IRMF_OK;
}

static int
start_property_item(reader *r)
{
	const pending *p = &r->p;

	if (p->pname != NULL && (p->pnil || !irmf_prop_type_is_list(p->ptype)))
		return bad(r, "property '%s' has <item> elements although it "
		    "is nil or not a list", p->pname);
	return IRMF_OK;
}

static int
end_property(reader *r)
{
	pending *p = &r->p;
	int rc;

	if (p->pname == NULL)
		return IRMF_OK;
	if (p->pnil || !irmf_prop_type_is_list(p->ptype))
		rc = irmf_snapshot_prop_set(r->s, p->pname, p->ptype,
		    p->pvalue, p->pnil);
	else
		rc = irmf_snapshot_prop_set_list(r->s, p->pname, p->ptype,
		    p->items, p->nitems);
	pending_clear(p);
	return rc;
}

static int
end_step(reader *r)
{
	int rc = irmf_snapshot_irm_test_add(r->s, r->p.subject, r->p.pass,
	    r->p.message);

	pending_clear(&r->p);
	return rc;
}

/* ------------------------------------------------- files, connector */

static int
start_file(reader *r)
{
	char *name = NULL, *path = NULL, *ver = NULL;
	int rc;

	if ((rc = need_attr(r, "name", &name)) < 0 ||
	    (rc = get_attr(r, "path", &path)) < 0 ||
	    (rc = get_attr(r, "version", &ver)) < 0)
		goto cleanup;
	if (irmf_snapshot_file_find(r->s, name) != NULL)
		rc = bad(r, "duplicate file '%s'", name);
	else
		rc = irmf_snapshot_file_set(r->s, name, path, ver);
cleanup:
	free(name);
	free(path);
	free(ver);
	return rc;
}

/* <groups scope="token|direct">: how far the list reaches. */
static int
start_groups(reader *r)
{
	char scope[16];

	if (!get_token(r, "scope", scope, sizeof(scope)))
		return IRMF_OK;
	if (irmf_groups_scope_parse(scope, &r->s->groups_scope) < 0)
		return bad(r, "groups scope '%s' is neither token nor direct",
		    scope);
	return IRMF_OK;
}

static int
start_key_acl(reader *r)
{
	char *path = NULL, *sddl = NULL;
	int rc;

	if ((rc = need_attr(r, "path", &path)) < 0 ||
	    (rc = get_attr(r, "sddl", &sddl)) < 0)
		goto cleanup;
	if (irmf_snapshot_key_acl(r->s, path) != NULL)
		rc = bad(r, "duplicate keyAcl '%s'", path);
	else if ((rc = irmf_snapshot_set_key_acl(r->s, path, sddl)) ==
	    IRMF_EPARSE)
		rc = bad(r, "keyAcl path '%s' is not a registry key", path);
cleanup:
	free(path);
	free(sddl);
	return rc;
}

static int
start_authorization(reader *r)
{
	char *account = NULL, kind[64], role[64];
	irmf_account_kind k;
	irmf_role ro;
	int rc;

	if ((rc = need_attr(r, "account", &account)) < 0 ||
	    (rc = need_token(r, "kind", kind, sizeof(kind))) < 0 ||
	    (rc = need_token(r, "role", role, sizeof(role))) < 0)
		goto cleanup;
	if ((rc = irmf_account_kind_parse(kind, &k)) < 0 ||
	    (rc = irmf_role_parse(role, &ro)) < 0)
		rc = at_line(r, rc);
	else
		rc = irmf_snapshot_add_authorization(r->s, account, k, ro);
cleanup:
	free(account);
	return rc;
}

static int
start_event(reader *r)
{
	char id[64], count[64];
	char *account = NULL, *computer = NULL, *first = NULL, *last = NULL;
	uint64_t cnt = 0;
	int idv = 0, rc;

	if ((rc = need_token(r, "id", id, sizeof(id))) < 0 ||
	    (rc = need_token(r, "count", count, sizeof(count))) < 0 ||
	    (rc = get_attr(r, "account", &account)) < 0 ||
	    (rc = get_attr(r, "computer", &computer)) < 0 ||
	    (rc = get_attr(r, "first", &first)) < 0 ||
	    (rc = get_attr(r, "last", &last)) < 0 ||
	    (rc = parse_int(r, id, &idv)) < 0 ||
	    (rc = parse_u64(r, count, UINT32_MAX, &cnt)) < 0)
		goto cleanup;
	rc = irmf_snapshot_add_event_summary(r->s, idv, account, computer,
	    (unsigned)cnt, first, last);
cleanup:
	free(account);
	free(computer);
	free(first);
	free(last);
	return rc;
}

/* <window ids="1002" returned="12" wholeLog="true" oldest="..."/>:
 * what one event query covered (optional, see irmf_event_window). */
static int
start_window(reader *r)
{
	char ids[256], ret[64];
	char *oldest = NULL;
	uint64_t n = 0;
	int rc;

	if ((rc = need_token(r, "ids", ids, sizeof(ids))) < 0 ||
	    (rc = need_token(r, "returned", ret, sizeof(ret))) < 0 ||
	    (rc = get_attr(r, "oldest", &oldest)) < 0 ||
	    (rc = parse_u64(r, ret, UINT32_MAX, &n)) < 0)
		goto cleanup;
	if (ids[strspn(ids, "0123456789 ")] != '\0' ||
	    ids[strspn(ids, " ")] == '\0') {
		rc = bad(r, "attribute 'ids' is not a list of event IDs");
		goto cleanup;
	}
	rc = irmf_snapshot_add_event_window(r->s, ids, (unsigned)n,
	    get_bool(r, "wholeLog"), oldest);
cleanup:
	free(oldest);
	return rc;
}

static int
start_probe(reader *r)
{
	char result[64], status[64];
	irmf_probe_result res;
	int rc;

	pending_clear(&r->p);
	TRY(need_attr(r, "url", &r->p.subject));
	TRY(need_token(r, "result", result, sizeof(result)));
	if ((rc = irmf_probe_result_parse(result, &res)) < 0)
		return at_line(r, rc);
	r->p.code = (int)res;
	if (get_token(r, "status", status, sizeof(status)))
		TRY(parse_int(r, status, &r->p.status));
	return IRMF_OK;
}

static int
start_error(reader *r)
{
	char reason[64];
	irmf_collect_reason why;
	int rc;

	pending_clear(&r->p);
	TRY(need_attr(r, "item", &r->p.subject));
	TRY(need_token(r, "reason", reason, sizeof(reason)));
	if ((rc = irmf_collect_reason_parse(reason, &why)) < 0)
		return at_line(r, rc);
	r->p.code = (int)why;
	return IRMF_OK;
}

static int
end_probe_or_error(reader *r, el_code c)
{
	int rc = IRMF_OK;

	if (r->p.subject == NULL)
		return IRMF_OK;
	if (c == E_PROBE)
		rc = irmf_snapshot_add_probe(r->s, r->p.subject,
		    (irmf_probe_result)r->p.code, r->p.status, r->p.message);
	else
		rc = irmf_snapshot_add_error(r->s, r->p.subject,
		    (irmf_collect_reason)r->p.code, r->p.message);
	pending_clear(&r->p);
	return rc;
}

/* ------------------------------------------------------------ dispatch */

static int
start_section(reader *r, el_code c)
{
	switch (c) {
	case E_IDENTITY:
		r->identity_line = r->stack[r->depth - 1].line;
		return IRMF_OK;
	case E_IRM_CONFIG:
		r->s->has_irm_config = true;
		return IRMF_OK;
	case E_IRM_TEST:
		r->s->irm_test_pass = get_bool(r, "pass");
		r->s->has_irm_test = true;
		return IRMF_OK;
	case E_AUTHORIZATIONS:
		r->s->has_authorizations = true;
		return IRMF_OK;
	case E_EVENTS:
		r->s->has_events = true;
		return IRMF_OK;
	case E_REGISTRY: case E_FILES: case E_SECURITY: case E_PROBES:
	case E_ERRORS:
		return IRMF_OK;
	default:
		return bad(r, "unexpected element '%s'", r->local);
	}
}

/* An element starts, under `up`. */
static int
start_child(reader *r, el_code up, el_code c)
{
	if (up == E_SNAPSHOT)
		return start_section(r, c);
	if (up == E_IDENTITY && c == E_PRODUCT) {
		int rc = start_pair(r, &r->s->product, &r->s->product_build,
		    "name", "build");
		char *roles = NULL;
		if (rc < 0 || (rc = get_attr(r, "exchangeRoles", &roles)) < 0)
			return rc;
		free(r->s->exchange_roles);
		r->s->exchange_roles = roles;
		return IRMF_OK;
	}
	if (up == E_IDENTITY && c == E_GENERATION)
		return start_generation(r);
	if (up == E_IDENTITY && c == E_COLLECTOR)
		return start_pair(r, &r->s->collector_name,
		    &r->s->collector_version, "name", "version");
	if (up == E_SOURCES && c == E_SOURCE)
		return start_source(r);
	if (up == E_REGISTRY && c == E_KEY)
		return start_key(r);
	if (up == E_KEY && c == E_VALUE)
		return start_value(r);
	if (up == E_VALUE && c == E_ITEM)
		return start_value_item(r);
	if (up == E_IRM_CONFIG && c == E_PROPERTY)
		return start_property(r);
	if (up == E_PROPERTY && c == E_ITEM)
		return start_property_item(r);
	if (up == E_IRM_TEST && c == E_STEP) {
		pending_clear(&r->p);
		r->p.pass = get_bool(r, "pass");
		return IRMF_OK;
	}
	if (up == E_FILES && c == E_FILE)
		return start_file(r);
	if (up == E_AUTHORIZATIONS && c == E_AUTHORIZATION)
		return start_authorization(r);
	if (up == E_SECURITY && c == E_GROUPS)
		return start_groups(r);
	if (up == E_SECURITY && c == E_KEY_ACL)
		return start_key_acl(r);
	if (up == E_EVENTS && c == E_EVENT)
		return start_event(r);
	if (up == E_EVENTS && c == E_WINDOW)
		return start_window(r);
	if (up == E_PROBES && c == E_PROBE)
		return start_probe(r);
	if (up == E_ERRORS && c == E_ERROR)
		return start_error(r);
	return IRMF_OK;   /* anything else: nothing until its end tag */
}

static int
end_list_text(reader *r, irmf_strlist *l)
{
	char *v;
	int rc;

	TRY(take_text(r, &v));
	rc = irmf_strlist_add(l, v);
	free(v);
	return rc;
}

/* An element under `up` ends. */
static int
end_child(reader *r, el_code up, el_code c)
{
	switch (up) {
	case E_IDENTITY:
		if (c == E_ROLES || c == E_PRODUCT || c == E_COLLECTOR ||
		    c == E_GENERATION)
			return IRMF_OK;
		return end_identity_child(r, c);
	case E_ROLES:
		return end_enum_text(r, true);
	case E_KEY:
		return c == E_VALUE ? end_value(r) : IRMF_OK;
	case E_VALUE:
		return c == E_ITEM ? end_value_item(r) : IRMF_OK;
	case E_IRM_CONFIG:
		return c == E_PROPERTY ? end_property(r) : IRMF_OK;
	case E_PROPERTY: {
		char *t;
		if (c != E_ITEM || r->p.pname == NULL)
			return IRMF_OK;
		TRY(take_text(r, &t));
		return push_item(&r->p.items, &r->p.nitems, &r->p.capitems, t);
	}
	case E_IRM_TEST:
		return c == E_STEP ? end_step(r) : IRMF_OK;
	case E_STEP:
		if (c == E_CHECK)
			return text_into(r, &r->p.subject);
		return c == E_MESSAGE ? text_into(r, &r->p.message) : IRMF_OK;
	case E_SECURITY:
		return c == E_COMPUTER_ACCOUNT ?
		    text_into(r, &r->s->computer_account) : IRMF_OK;
	case E_GROUPS:
		return end_list_text(r, &r->s->groups);
	case E_SERVICE_ACCOUNTS:
		return end_list_text(r, &r->s->service_accounts);
	case E_PROBES:
	case E_ERRORS:
		return c == E_PROBE || c == E_ERROR ?
		    end_probe_or_error(r, c) : IRMF_OK;
	case E_PROBE:
	case E_ERROR:
		return c == E_MESSAGE ? text_into(r, &r->p.message) : IRMF_OK;
	case E_SNAPSHOT:
		if (c == E_IDENTITY && (r->s->server == NULL ||
		    *r->s->server == '\0'))
			return irmf_error_set(IRMF_EPARSE, "%s:%ld: identity has "
			    "no server name", r->name, r->identity_line);
		return IRMF_OK;
	default:
		return IRMF_OK;
	}
}

/* ------------------------------------------------------------ handlers */

static el_code
lookup(const char *local, bool *text)
{
	for (size_t i = 0; i < sizeof(elements) / sizeof(elements[0]); i++)
		if (strcmp(elements[i].name, local) == 0) {
			*text = elements[i].text;
			return elements[i].code;
		}
	*text = false;
	return E_OTHER;
}

/* Keep the first model error and skip the rest of the model: the schema
 * may still have something to say, and its word comes first. */
static void
model_failed(reader *r, int rc)
{
	if (r->rc != 0)
		return;
	r->rc = rc;
	snprintf(r->msg, sizeof(r->msg), "%s", irmf_error_last()->message);
	pending_clear(&r->p);
}

static int
on_start(void *ud, long line, const char *local, const char *uri,
    const irmf_xml_attr *attrs, size_t nattrs)
{
	reader *r = ud;
	frame *f;
	const irmf_xml_attr *plain, *enc;
	int rc;

	if (r->depth++ >= MAX_DEPTH)
		return IRMF_OK;   /* deeper than the format: the schema says so */
	f = &r->stack[r->depth - 1];
	f->code = lookup(local, &f->text);
	f->line = line;
	r->attrs = attrs;
	r->nattrs = nattrs;
	r->local = local;
	irmf_buf_reset(&r->text);
	f->b64 = false;
	if (f->text) {
		find_pair(r, "encoding", &plain, &enc);
		f->b64 = plain != NULL && plain->len == 6 &&
		    memcmp(plain->value, "base64", 6) == 0;
	}
	if (r->depth == 1 && (rc = start_root(r, local, uri)) < 0) {
		r->stopped = true;
		return rc;   /* stops the parse */
	}
	if (r->depth == 1)
		return IRMF_OK;
	if (r->rc == 0 && (rc = start_child(r, parent(r), f->code)) < 0)
		model_failed(r, rc);
	return IRMF_OK;
}

static int
on_end(void *ud, long line, const char *local)
{
	reader *r = ud;
	int rc;

	(void)line;
	(void)local;
	if (r->depth > MAX_DEPTH) {
		r->depth--;
		return IRMF_OK;
	}
	if (r->rc == 0 && r->depth >= 2 &&
	    (rc = end_child(r, parent(r), r->stack[r->depth - 1].code)) < 0)
		model_failed(r, rc);
	irmf_buf_reset(&r->text);
	r->depth--;
	return IRMF_OK;
}

static int
on_text(void *ud, const char *s, size_t len)
{
	reader *r = ud;

	if (r->depth == 0 || r->depth > MAX_DEPTH ||
	    !r->stack[r->depth - 1].text || r->rc != 0)
		return IRMF_OK;
	return irmf_buf_addn(&r->text, s, len);
}

static const irmf_xml_handler handler = { on_start, on_end, on_text };

/* parse + schema + model in one pass; every problem goes to `report` when
 * it is not NULL (all schema errors, else the first model error). */
static int
load(const char *buf, size_t len, const char *name, irmf_report_fn report,
    void *payload, irmf_snapshot **out)
{
	reader r;
	bool ours;
	int rc;

	if (out != NULL)
		*out = NULL;
	memset(&r, 0, sizeof(r));
	r.name = name;
	TRY(irmf_snapshot_new(&r.s, NULL));
	rc = irmf_xml_stream_validate(buf, len, XSD_NAME, IRMF_SNAPSHOT_NS,
	    name, &handler, &r, report, payload);
	ours = r.stopped;   /* the root's error */
	if (rc == 0 && r.rc != 0) {
		rc = irmf_error_set(r.rc, "%s", r.msg);
		ours = true;
	}
	/* the stream reports parser and schema errors, not ours */
	if (rc < 0 && report != NULL && ours)
		report(irmf_error_last()->message, payload);
	pending_clear(&r.p);
	irmf_buf_free(&r.text);
	if (rc == 0 && out != NULL)
		*out = r.s;
	else
		irmf_snapshot_free(r.s);
	return rc;
}

int
irmf_snapshot_load_buffer(irmf_snapshot **out, const char *buf, size_t len,
    const char *name)
{
	return load(buf, len, name ? name : "(buffer)", NULL, NULL, out);
}

/* Read the file, then load(); a file that cannot be read is reported too. */
static int
load_file(const char *path, irmf_report_fn report, void *payload,
    irmf_snapshot **out)
{
	char *buf = NULL;
	size_t len;
	int rc;

	if ((rc = irmf_file_read(path, IRMF_XML_MAX_INPUT, &buf, &len)) < 0) {
		if (report != NULL)
			report(irmf_error_last()->message, payload);
		return rc;
	}
	rc = load(buf, len, path, report, payload, out);
	free(buf);
	return rc;
}

int
irmf_snapshot_load(irmf_snapshot **out, const char *path)
{
	*out = NULL;
	return load_file(path, NULL, NULL, out);
}

int
irmf_snapshot_validate_file(const char *path, irmf_report_fn report,
    void *payload)
{
	return load_file(path, report, payload, NULL);
}
