/*
 * snapshot_xml.c - a snapshot to and from its XML file
 * (schemas/snapshot.xsd, docs/snapshot-format.md).
 *
 * Writing builds a libxml2 tree in the model's order, validates it
 * against the schema (so the tool never writes a file it would itself
 * reject), serializes it deterministically - the same model always gives
 * the same bytes, which the audit store relies on when it hashes
 * snapshots - and saves it atomically.
 *
 * Reading parses safely, checks the root, the format version and the
 * schema, then walks the tree into a model.  The schema checks structure;
 * what XSD 1.0 cannot say (registry data that must match the value's
 * type, one of "name"/"nameBase64", duplicates) is checked here with the
 * element's line.
 *
 * Strings XML 1.0 cannot carry (control characters, invalid UTF-8) are
 * base64-encoded: attribute "x" becomes "xBase64", element text gets
 * encoding="base64".  So any model round-trips exactly.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <openssl/evp.h>

#include "error.h"
#include "fileio.h"
#include "snapshot_int.h"
#include "xmlutil.h"

#define XSD_NAME "snapshot.xsd"
#define X(s) ((const xmlChar *)(s))
#define TRY(expr) do { int try_rc_ = (expr); if (try_rc_ < 0) return try_rc_; } while (0)

/* =============================================================== base64 */

static char *
b64_encode(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(4 * ((n + 2) / 3) + 1);

	if (out == NULL) {
		irmf_error_oom();
		return NULL;
	}
	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)s,
	    (int)n);
	return out;
}

/* Decode base64 text (whitespace ignored) into a NUL-terminated string;
 * a NUL inside the data cannot be held by the model and is an error. */
static int
b64_decode(const char *in, char **out, const char *name, long line)
{
	size_t n = strlen(in), m = 0, pad = 0;
	char *clean = NULL, *dec = NULL;
	int len, rc = IRMF_OK;

	*out = NULL;
	if ((clean = malloc(n + 1)) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < n; i++)
		if (in[i] != ' ' && in[i] != '\t' && in[i] != '\n' &&
		    in[i] != '\r')
			clean[m++] = in[i];
	clean[m] = '\0';
	if (m % 4 != 0)
		goto bad;
	if (m > 0 && clean[m - 1] == '=')
		pad++;
	if (m > 1 && clean[m - 2] == '=')
		pad++;
	if ((dec = malloc(m / 4 * 3 + 1)) == NULL) {
		rc = irmf_error_oom();
		goto cleanup;
	}
	len = m ? EVP_DecodeBlock((unsigned char *)dec,
	    (unsigned char *)clean, (int)m) : 0;
	if (len < 0 || (size_t)len < pad)
		goto bad;
	len -= (int)pad;
	if (memchr(dec, '\0', (size_t)len) != NULL) {
		rc = irmf_error_set(IRMF_EPARSE, "%s:%ld: base64 value "
		    "contains a NUL character", name, line);
		goto cleanup;
	}
	dec[len] = '\0';
	*out = dec;
	dec = NULL;
	goto cleanup;
bad:
	rc = irmf_error_set(IRMF_EPARSE, "%s:%ld: invalid base64 value", name,
	    line);
cleanup:
	free(clean);
	free(dec);
	return rc;
}

/* =============================================================== writer */

/* The writer streams the model through irmf_xml_writer (xmlTextWriter):
 * no tree, so a snapshot of a whole hive costs one growing buffer instead
 * of millions of nodes.  Element and attribute order is the schema's. */
typedef irmf_xml_writer W;

static int
el(W *w, const char *name)
{
	return irmf_xml_writer_start(w, name);
}

static int
el_end(W *w)
{
	return irmf_xml_writer_end(w);
}

static int
set_attr(W *w, const char *attr, const char *val)
{
	return irmf_xml_writer_attr(w, attr, val);
}

/* A string attribute; NULL writes nothing, text XML cannot carry goes to
 * the "<attr>Base64" twin. */
static int
set_str_attr(W *w, const char *attr, const char *val)
{
	char twin[64];
	char *enc;
	int rc;

	if (val == NULL)
		return IRMF_OK;
	if (irmf_xml_text_ok(val))
		return set_attr(w, attr, val);
	snprintf(twin, sizeof(twin), "%sBase64", attr);
	if ((enc = b64_encode(val)) == NULL)
		return IRMF_ENOMEM;
	rc = set_attr(w, twin, enc);
	free(enc);
	return rc;
}

static int
set_num_attr(W *w, const char *attr, unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", v);
	return set_attr(w, attr, buf);
}

static int
set_int_attr(W *w, const char *attr, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return set_attr(w, attr, buf);
}

/* A text element; NULL writes nothing, "" an empty element. */
static int
add_text_el(W *w, const char *name, const char *val)
{
	char *enc;
	int rc;

	if (val == NULL)
		return IRMF_OK;
	TRY(el(w, name));
	if (irmf_xml_text_ok(val)) {
		TRY(irmf_xml_writer_text(w, val));
		return el_end(w);
	}
	if ((enc = b64_encode(val)) == NULL)
		return IRMF_ENOMEM;
	if ((rc = set_attr(w, "encoding", "base64")) == 0)
		rc = irmf_xml_writer_text(w, enc);
	free(enc);
	TRY(rc);
	return el_end(w);
}

static int
write_identity(W *w, const irmf_snapshot *s)
{
	TRY(el(w, "identity"));
	TRY(add_text_el(w, "server", s->server));
	TRY(add_text_el(w, "fqdn", s->fqdn));
	TRY(el(w, "roles"));
	for (unsigned i = 0; i < 4; i++)
		if (s->roles & (1u << i))
			TRY(add_text_el(w, "role",
			    irmf_role_name((irmf_role)(1u << i))));
	TRY(el_end(w));
	if (s->product != NULL || s->product_build != NULL) {
		TRY(el(w, "product"));
		TRY(set_str_attr(w, "name", s->product));
		TRY(set_str_attr(w, "build", s->product_build));
		TRY(el_end(w));
	}
	TRY(add_text_el(w, "os", s->os_version));
	TRY(add_text_el(w, "collectedAt", s->collected_at));
	TRY(add_text_el(w, "method", irmf_method_name(s->method)));
	if (s->collector_name != NULL || s->collector_version != NULL) {
		TRY(el(w, "collector"));
		TRY(set_str_attr(w, "name", s->collector_name));
		TRY(set_str_attr(w, "version", s->collector_version));
		TRY(el_end(w));
	}
	if (s->nsources > 0) {
		TRY(el(w, "sources"));
		for (size_t i = 0; i < s->nsources; i++) {
			TRY(el(w, "source"));
			TRY(set_str_attr(w, "file", s->sources[i].file));
			if (s->sources[i].sha256 != NULL)
				TRY(set_attr(w, "sha256", s->sources[i].sha256));
			TRY(set_str_attr(w, "format", s->sources[i].format));
			TRY(el_end(w));
		}
		TRY(el_end(w));
	}
	return el_end(w);
}

static bool
reg_is_string(irmf_reg_type t)
{
	return t == IRMF_REG_SZ || t == IRMF_REG_EXPAND_SZ ||
	    t == IRMF_REG_LINK;
}

static bool
reg_is_number(irmf_reg_type t)
{
	return t == IRMF_REG_DWORD || t == IRMF_REG_DWORD_BIG_ENDIAN ||
	    t == IRMF_REG_QWORD;
}

/* Binary data as lower-case hex; *scratch is reused across values. */
static int
write_hex(W *w, const irmf_reg_value *v, char **scratch, size_t *cap)
{
	static const char hexd[] = "0123456789abcdef";
	char *nb;

	if (2 * v->nbin + 1 > *cap) {
		if ((nb = realloc(*scratch, 2 * v->nbin + 1)) == NULL)
			return irmf_error_oom();
		*scratch = nb;
		*cap = 2 * v->nbin + 1;
	}
	for (size_t i = 0; i < v->nbin; i++) {
		(*scratch)[2 * i] = hexd[v->bin[i] >> 4];
		(*scratch)[2 * i + 1] = hexd[v->bin[i] & 15];
	}
	(*scratch)[2 * v->nbin] = '\0';
	return set_attr(w, "data", *scratch);
}

static int
write_value(W *w, const irmf_reg_value *v, char **scratch, size_t *cap)
{
	TRY(el(w, "value"));
	TRY(set_str_attr(w, "name", v->name ? v->name : ""));
	TRY(set_attr(w, "type", irmf_reg_type_name(v->type)));
	if (reg_is_string(v->type))
		TRY(set_str_attr(w, "data", v->str ? v->str : ""));
	else if (reg_is_number(v->type))
		TRY(set_num_attr(w, "data", (unsigned long long)v->num));
	else if (v->type == IRMF_REG_MULTI_SZ)
		for (size_t i = 0; i < v->nmulti; i++)
			TRY(add_text_el(w, "item",
			    v->multi[i] ? v->multi[i] : ""));
	else
		TRY(write_hex(w, v, scratch, cap));
	return el_end(w);
}

static int
write_registry(W *w, const irmf_snapshot *s)
{
	char *scratch = NULL;
	size_t cap = 0;
	int rc = IRMF_OK;

	if (s->nkeys == 0)
		return IRMF_OK;
	TRY(el(w, "registry"));
	for (size_t i = 0; i < s->nkeys && rc == 0; i++) {
		if ((rc = el(w, "key")) < 0 ||
		    (rc = set_str_attr(w, "path", s->keys[i].path)) < 0)
			break;
		for (size_t j = 0; j < s->keys[i].nvalues && rc == 0; j++)
			rc = write_value(w, &s->keys[i].values[j], &scratch,
			    &cap);
		if (rc == 0)
			rc = el_end(w);
	}
	free(scratch);
	TRY(rc);
	return el_end(w);
}

static bool
prop_is_list(irmf_prop_type t)
{
	return t == IRMF_PROP_URI_LIST || t == IRMF_PROP_LIST;
}

static int
write_property(W *w, const irmf_prop *p)
{
	TRY(el(w, "property"));
	TRY(set_str_attr(w, "name", p->name));
	TRY(set_attr(w, "type", irmf_prop_type_name(p->type)));
	if (p->is_nil) {
		TRY(set_attr(w, "nil", "true"));
	} else if (prop_is_list(p->type)) {
		for (size_t j = 0; j < p->nitems; j++)
			TRY(add_text_el(w, "item",
			    p->items[j] ? p->items[j] : ""));
	} else {
		TRY(set_str_attr(w, "value", p->value ? p->value : ""));
	}
	return el_end(w);
}

static int
write_irm(W *w, const irmf_snapshot *s)
{
	if (s->has_irm_config) {
		TRY(el(w, "irmConfiguration"));
		for (size_t i = 0; i < s->nprops; i++)
			TRY(write_property(w, &s->props[i]));
		TRY(el_end(w));
	}
	if (!s->has_irm_test)
		return IRMF_OK;
	TRY(el(w, "irmTest"));
	TRY(set_attr(w, "pass", s->irm_test_pass ? "true" : "false"));
	for (size_t i = 0; i < s->nirm_steps; i++) {
		TRY(el(w, "step"));
		TRY(set_attr(w, "pass", s->irm_steps[i].pass ? "true" :
		    "false"));
		TRY(add_text_el(w, "check", s->irm_steps[i].check ?
		    s->irm_steps[i].check : ""));
		TRY(add_text_el(w, "message", s->irm_steps[i].message));
		TRY(el_end(w));
	}
	return el_end(w);
}

static int
write_list(W *w, const char *name, const char *item, const irmf_strlist *l)
{
	if (l->n == 0)
		return IRMF_OK;
	TRY(el(w, name));
	for (size_t i = 0; i < l->n; i++)
		TRY(add_text_el(w, item, l->items[i]));
	return el_end(w);
}

static int
write_files_security(W *w, const irmf_snapshot *s)
{
	if (s->nfiles > 0) {
		TRY(el(w, "files"));
		for (size_t i = 0; i < s->nfiles; i++) {
			TRY(el(w, "file"));
			TRY(set_str_attr(w, "name", s->files[i].name));
			TRY(set_str_attr(w, "path", s->files[i].path));
			TRY(set_str_attr(w, "version", s->files[i].version));
			TRY(el_end(w));
		}
		TRY(el_end(w));
	}
	if (s->computer_account == NULL && s->groups.n == 0 &&
	    s->service_accounts.n == 0)
		return IRMF_OK;
	TRY(el(w, "security"));
	TRY(add_text_el(w, "computerAccount", s->computer_account));
	TRY(write_list(w, "groups", "group", &s->groups));
	TRY(write_list(w, "serviceAccounts", "account", &s->service_accounts));
	return el_end(w);
}

static int
write_event(W *w, const irmf_event_summary *e)
{
	TRY(el(w, "event"));
	TRY(set_int_attr(w, "id", e->id));
	TRY(set_str_attr(w, "account", e->account));
	TRY(set_str_attr(w, "computer", e->computer));
	TRY(set_num_attr(w, "count", e->count));
	if (e->first != NULL)
		TRY(set_attr(w, "first", e->first));
	if (e->last != NULL)
		TRY(set_attr(w, "last", e->last));
	return el_end(w);
}

static int
write_connector(W *w, const irmf_snapshot *s)
{
	if (s->has_authorizations) {
		TRY(el(w, "authorizations"));
		for (size_t i = 0; i < s->nauths; i++) {
			TRY(el(w, "authorization"));
			TRY(set_str_attr(w, "account", s->auths[i].account));
			TRY(set_attr(w, "kind",
			    irmf_account_kind_name(s->auths[i].kind)));
			TRY(set_attr(w, "role", irmf_role_name(s->auths[i].role)));
			TRY(el_end(w));
		}
		TRY(el_end(w));
	}
	if (!s->has_events)
		return IRMF_OK;
	TRY(el(w, "events"));
	for (size_t i = 0; i < s->nevents; i++)
		TRY(write_event(w, &s->events[i]));
	return el_end(w);
}

static int
write_probes_errors(W *w, const irmf_snapshot *s)
{
	if (s->nprobes > 0) {
		TRY(el(w, "probes"));
		for (size_t i = 0; i < s->nprobes; i++) {
			const irmf_probe *p = &s->probes[i];
			TRY(el(w, "probe"));
			TRY(set_str_attr(w, "url", p->url));
			TRY(set_attr(w, "result",
			    irmf_probe_result_name(p->result)));
			if (p->result == IRMF_PROBE_HTTP || p->http_status != 0)
				TRY(set_int_attr(w, "status", p->http_status));
			TRY(add_text_el(w, "message", p->message));
			TRY(el_end(w));
		}
		TRY(el_end(w));
	}
	if (s->nerrors == 0)
		return IRMF_OK;
	TRY(el(w, "errors"));
	for (size_t i = 0; i < s->nerrors; i++) {
		const irmf_collect_error *e = &s->errors[i];
		TRY(el(w, "error"));
		TRY(set_str_attr(w, "item", e->item));
		TRY(set_attr(w, "reason", irmf_collect_reason_name(e->reason)));
		TRY(add_text_el(w, "message", e->message));
		TRY(el_end(w));
	}
	return el_end(w);
}

static int
write_snapshot(W *w, const irmf_snapshot *s)
{
	char ver[16];

	snprintf(ver, sizeof(ver), "%d", IRMF_SNAPSHOT_FORMAT_VERSION);
	TRY(el(w, "snapshot"));
	/* the namespace declaration as a plain first attribute: that is
	 * where the tree serializer put it */
	TRY(set_attr(w, "xmlns", IRMF_SNAPSHOT_NS));
	TRY(set_attr(w, "formatVersion", ver));
	TRY(write_identity(w, s));
	TRY(write_registry(w, s));
	TRY(write_irm(w, s));
	TRY(write_files_security(w, s));
	TRY(write_connector(w, s));
	TRY(write_probes_errors(w, s));
	return el_end(w);
}

/* Write, then validate the bytes (streaming: never write what we could
 * not read back); `target` (a path or NULL) is named in errors. */
static int
snapshot_serialize(const irmf_snapshot *snap, const char *target, char **out,
    size_t *out_len)
{
	irmf_xml_writer *w = NULL;
	char what[512];
	int rc;

	*out = NULL;
	*out_len = 0;
	if (snap->server == NULL || *snap->server == '\0')
		return irmf_error_set(IRMF_EUSAGE, "%s%ssnapshot has no server "
		    "name", target ? target : "", target ? ": " : "");
	TRY(irmf_xml_writer_new(&w));
	if ((rc = write_snapshot(w, snap)) == 0)
		rc = irmf_xml_writer_finish(w, out, out_len);
	irmf_xml_writer_free(w);
	if (rc < 0)
		return rc;
	/* follows "target:line: " in schema messages */
	snprintf(what, sizeof(what), "invalid snapshot of '%s'", snap->server);
	if ((rc = irmf_xml_validate_memory(*out, *out_len, XSD_NAME,
	    IRMF_SNAPSHOT_NS, target ? target : "(buffer)", what)) < 0) {
		free(*out);
		*out = NULL;
		*out_len = 0;
	}
	return rc;
}

int
irmf_snapshot_to_buffer(const irmf_snapshot *snap, char **out,
    size_t *out_len)
{
	return snapshot_serialize(snap, NULL, out, out_len);
}

int
irmf_snapshot_save(const irmf_snapshot *snap, const char *path)
{
	char *buf = NULL;
	size_t len;
	int rc;

	if ((rc = snapshot_serialize(snap, path, &buf, &len)) < 0)
		return rc;
	rc = irmf_file_write_atomic(path, buf, len);
	free(buf);
	return rc;
}

/* =============================================================== reader */

struct reader {
	const char *name;
	irmf_snapshot *s;
};

static int bad(const struct reader *r, const xmlNode *n, const char *fmt,
    ...) IRMF_PRINTF(3, 4);

/* A reader error at element n: "name:line: message". */
static int
bad(const struct reader *r, const xmlNode *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return irmf_error_set(IRMF_EPARSE, "%s:%ld: %s", r->name,
	    irmf_xml_line(n), msg);
}

static xmlNodePtr
next_el(xmlNodePtr n)
{
	while (n != NULL && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

#define FOR_EACH_EL(c, parent) \
	for (xmlNodePtr c = next_el((parent)->children); c != NULL; \
	    c = next_el(c->next))

static bool
is_el(const xmlNode *n, const char *name)
{
	return n != NULL && strcmp((const char *)n->name, name) == 0;
}

/* Copy a libxml2 string into our allocator and free the original. */
static int
take_xml_str(xmlChar *x, char **out)
{
	*out = NULL;
	if (x == NULL)
		return IRMF_OK;
	*out = irmf_strdup((const char *)x);
	xmlFree(x);
	return *out == NULL ? IRMF_ENOMEM : IRMF_OK;
}

/* Read string attribute `attr` or its base64 twin into *out (NULL when
 * neither is present). */
static int
get_attr(const struct reader *r, xmlNodePtr n, const char *attr, char **out)
{
	char twin[64];
	char *plain = NULL, *enc = NULL;
	int rc;

	*out = NULL;
	snprintf(twin, sizeof(twin), "%sBase64", attr);
	TRY(take_xml_str(xmlGetNoNsProp(n, X(attr)), &plain));
	if ((rc = take_xml_str(xmlGetNoNsProp(n, X(twin)), &enc)) < 0) {
		free(plain);
		return rc;
	}
	if (plain != NULL && enc != NULL) {
		free(plain);
		free(enc);
		return bad(r, n, "both '%s' and its base64 twin are present",
		    attr);
	}
	if (enc == NULL) {
		*out = plain;
		return IRMF_OK;
	}
	rc = b64_decode(enc, out, r->name, irmf_xml_line(n));
	free(enc);
	return rc;
}

static int
need_attr(const struct reader *r, xmlNodePtr n, const char *attr, char **out)
{
	TRY(get_attr(r, n, attr, out));
	if (*out == NULL)
		return bad(r, n, "attribute '%s' is missing", attr);
	return IRMF_OK;
}

/* XSD collapses whitespace around tokens, numbers and booleans (" true "
 * is a valid xs:boolean), so the reader must too. */
static void
trim(char *s)
{
	size_t n, i = 0;

	if (s == NULL)
		return;
	n = strlen(s);
	while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL)
		s[--n] = '\0';
	while (s[i] != '\0' && strchr(" \t\r\n", s[i]) != NULL)
		i++;
	memmove(s, s + i, n - i + 1);
}

/* A token/number attribute: like get_attr/need_attr, trimmed. */
static int
get_token(const struct reader *r, xmlNodePtr n, const char *attr, char **out)
{
	TRY(get_attr(r, n, attr, out));
	trim(*out);
	return IRMF_OK;
}

static int
need_token(const struct reader *r, xmlNodePtr n, const char *attr,
    char **out)
{
	TRY(need_attr(r, n, attr, out));
	trim(*out);
	return IRMF_OK;
}

/* Element text, decoded if encoding="base64". */
static int
get_text(const struct reader *r, xmlNodePtr n, char **out)
{
	char *raw = NULL, *enc = NULL;
	int rc;

	*out = NULL;
	TRY(take_xml_str(xmlNodeGetContent(n), &raw));
	if (raw == NULL && (raw = irmf_strdup("")) == NULL)
		return IRMF_ENOMEM;
	if ((rc = take_xml_str(xmlGetNoNsProp(n, X("encoding")), &enc)) < 0)
		goto cleanup;
	if (enc == NULL) {
		*out = raw;
		raw = NULL;
	} else if (strcmp(enc, "base64") == 0) {
		rc = b64_decode(raw, out, r->name, irmf_xml_line(n));
	} else {
		rc = bad(r, n, "unknown encoding '%s'", enc);
	}
cleanup:
	free(raw);
	free(enc);
	return rc;
}

/* Parse a whole decimal string into an unsigned value <= max. */
static int
parse_u64(const struct reader *r, xmlNodePtr n, const char *s, uint64_t max,
    uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return bad(r, n, "'%s' is not a decimal number", s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return bad(r, n, "'%s' is not a decimal number in range", s);
	*out = v;
	return IRMF_OK;
}

static int
parse_int(const struct reader *r, xmlNodePtr n, const char *s, int *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return bad(r, n, "'%s' is not an integer", "");
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < INT32_MIN || v > INT32_MAX)
		return bad(r, n, "'%s' is not an integer in range", s);
	*out = (int)v;
	return IRMF_OK;
}

static bool
xsd_true(const char *s)
{
	return s != NULL && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0);
}

/* An xs:boolean attribute; absent is false. */
static int
get_attr_bool(const struct reader *r, xmlNodePtr n, const char *attr,
    bool *out)
{
	char *v = NULL;

	TRY(get_token(r, n, attr, &v));
	*out = xsd_true(v);
	free(v);
	return IRMF_OK;
}

/* Report a model-layer error (enum parse ...) with this element's line. */
static int
at_line(const struct reader *r, xmlNodePtr n, int rc)
{
	if (rc == IRMF_ENOMEM)
		return rc;
	irmf_error_prefix("%s:%ld: ", r->name, irmf_xml_line(n));
	return IRMF_EPARSE;
}

/* ------------------------------------------------------- identity */

static int
read_product_collector(const struct reader *r, xmlNodePtr n,
    char **a, char **b, const char *attr_a, const char *attr_b)
{
	char *va = NULL, *vb = NULL;
	int rc;

	if ((rc = get_attr(r, n, attr_a, &va)) < 0 ||
	    (rc = get_attr(r, n, attr_b, &vb)) < 0) {
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
read_sources(const struct reader *r, xmlNodePtr list)
{
	char *file = NULL, *sha = NULL, *fmt = NULL;
	int rc = IRMF_OK;

	FOR_EACH_EL(c, list) {
		if ((rc = get_attr(r, c, "file", &file)) < 0 ||
		    (rc = get_attr(r, c, "sha256", &sha)) < 0 ||
		    (rc = get_attr(r, c, "format", &fmt)) < 0 ||
		    (rc = irmf_snapshot_add_source(r->s, file, sha, fmt)) < 0)
			break;
		free(file);
		free(sha);
		free(fmt);
		file = sha = fmt = NULL;
	}
	free(file);
	free(sha);
	free(fmt);
	return rc;
}

static int
read_text_into(const struct reader *r, xmlNodePtr n, char **dst)
{
	char *v;

	TRY(get_text(r, n, &v));
	free(*dst);
	*dst = v;
	return IRMF_OK;
}

static int
read_identity(const struct reader *r, xmlNodePtr id)
{
	irmf_snapshot *s = r->s;
	char *v = NULL;
	irmf_role role;
	int rc;

	FOR_EACH_EL(c, id) {
		if (is_el(c, "server"))
			TRY(read_text_into(r, c, &s->server));
		else if (is_el(c, "fqdn"))
			TRY(read_text_into(r, c, &s->fqdn));
		else if (is_el(c, "os"))
			TRY(read_text_into(r, c, &s->os_version));
		else if (is_el(c, "collectedAt"))
			TRY(read_text_into(r, c, &s->collected_at));
		else if (is_el(c, "product"))
			TRY(read_product_collector(r, c, &s->product,
			    &s->product_build, "name", "build"));
		else if (is_el(c, "collector"))
			TRY(read_product_collector(r, c, &s->collector_name,
			    &s->collector_version, "name", "version"));
		else if (is_el(c, "sources"))
			TRY(read_sources(r, c));
		else if (is_el(c, "method")) {
			TRY(get_text(r, c, &v));
			trim(v);
			rc = irmf_method_parse(v, &s->method);
			free(v);
			if (rc < 0)
				return at_line(r, c, rc);
		} else if (is_el(c, "roles")) {
			FOR_EACH_EL(rc_el, c) {
				TRY(get_text(r, rc_el, &v));
				trim(v);
				rc = irmf_role_parse(v, &role);
				free(v);
				if (rc < 0)
					return at_line(r, rc_el, rc);
				s->roles |= (unsigned)role;
			}
		}
	}
	if (s->server == NULL || *s->server == '\0')
		return bad(r, id, "%s", "identity has no server name");
	return IRMF_OK;
}

/* ------------------------------------------------------- registry */

static int
hex_val(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
read_value_data(const struct reader *r, xmlNodePtr n, irmf_reg_value *v,
    char *data)
{
	size_t len;

	if (reg_is_string(v->type)) {
		v->str = data ? data : irmf_strdup("");
		return v->str == NULL ? IRMF_ENOMEM : IRMF_OK;
	}
	if (reg_is_number(v->type)) {
		int rc = parse_u64(r, n, data, v->type == IRMF_REG_QWORD ?
		    UINT64_MAX : UINT32_MAX, &v->num);
		free(data);
		return rc;
	}
	/* binary types: hex bytes */
	len = data ? strlen(data) : 0;
	if (len % 2 != 0)
		goto badhex;
	if (len > 0 && (v->bin = malloc(len / 2)) == NULL) {
		free(data);
		return irmf_error_oom();
	}
	for (size_t i = 0; i < len / 2; i++) {
		int hi = hex_val((unsigned char)data[2 * i]);
		int lo = hex_val((unsigned char)data[2 * i + 1]);
		if (hi < 0 || lo < 0)
			goto badhex;
		v->bin[i] = (unsigned char)(hi << 4 | lo);
		v->nbin++;
	}
	free(data);
	return IRMF_OK;
badhex:
	free(data);
	return bad(r, n, "%s data is not hex bytes", irmf_reg_type_name(v->type));
}

static int
read_multi(const struct reader *r, xmlNodePtr n, irmf_reg_value *v)
{
	size_t cap = 0;
	char **nm;

	FOR_EACH_EL(c, n) {
		if (v->nmulti == cap) {
			cap = cap ? cap * 2 : 4;
			if ((nm = realloc(v->multi, cap * sizeof(*nm))) == NULL)
				return irmf_error_oom();
			v->multi = nm;
		}
		TRY(get_text(r, c, &v->multi[v->nmulti]));
		v->nmulti++;
	}
	return IRMF_OK;
}

static int
read_value(const struct reader *r, irmf_reg_key *key, xmlNodePtr n)
{
	irmf_reg_value v = { 0 };
	char *type = NULL, *data = NULL;
	int rc;

	if ((rc = need_attr(r, n, "name", &v.name)) < 0 ||
	    (rc = need_token(r, n, "type", &type)) < 0)
		goto cleanup;
	if ((rc = irmf_reg_type_parse(type, &v.type)) < 0) {
		rc = at_line(r, n, rc);
		goto cleanup;
	}
	if (irmf_reg_key_find_value(key, v.name) != NULL) {
		rc = bad(r, n, "duplicate value '%s'", v.name);
		goto cleanup;
	}
	if ((rc = get_attr(r, n, "data", &data)) < 0)
		goto cleanup;
	if (v.type == IRMF_REG_MULTI_SZ) {
		if (data != NULL) {
			rc = bad(r, n, "%s", "REG_MULTI_SZ data must be <item> "
			    "elements, not a data attribute");
			goto cleanup;
		}
		rc = read_multi(r, n, &v);
	} else if (next_el(n->children) != NULL) {
		rc = bad(r, n, "<item> is only allowed in REG_MULTI_SZ, not %s",
		    type);
	} else {
		rc = read_value_data(r, n, &v, data);
		data = NULL;
	}
	if (rc < 0)
		goto cleanup;
	rc = irmf_reg_key_set_value(key, &v);
cleanup:
	irmf_reg_value_clear(&v);
	free(type);
	free(data);
	return rc;
}

static int
read_registry(const struct reader *r, xmlNodePtr reg)
{
	irmf_reg_key *key;
	char *path = NULL;
	size_t before;
	int rc;

	FOR_EACH_EL(c, reg) {
		TRY(need_attr(r, c, "path", &path));
		before = r->s->nkeys;
		rc = irmf_snapshot_reg_key(r->s, path, &key);
		if (rc == 0 && r->s->nkeys == before)
			rc = bad(r, c, "duplicate key '%s'", path);
		else if (rc < 0)
			rc = at_line(r, c, rc);
		free(path);
		if (rc < 0)
			return rc;
		FOR_EACH_EL(v, c)
			TRY(read_value(r, key, v));
	}
	return IRMF_OK;
}

/* ------------------------------------------------------- IRM */

static int
read_items(const struct reader *r, xmlNodePtr n, char ***items, size_t *ni)
{
	size_t cap = 0;
	char **nv;

	FOR_EACH_EL(c, n) {
		if (*ni == cap) {
			cap = cap ? cap * 2 : 4;
			if ((nv = realloc(*items, cap * sizeof(*nv))) == NULL)
				return irmf_error_oom();
			*items = nv;
		}
		TRY(get_text(r, c, &(*items)[*ni]));
		(*ni)++;
	}
	return IRMF_OK;
}

static int
read_property(const struct reader *r, xmlNodePtr n)
{
	char *name = NULL, *type = NULL, *value = NULL;
	char **items = NULL;
	size_t nitems = 0;
	irmf_prop_type t;
	bool nil;
	int rc;

	if ((rc = need_attr(r, n, "name", &name)) < 0 ||
	    (rc = need_token(r, n, "type", &type)) < 0 ||
	    (rc = get_attr_bool(r, n, "nil", &nil)) < 0 ||
	    (rc = get_attr(r, n, "value", &value)) < 0)
		goto cleanup;
	if ((rc = irmf_prop_type_parse(type, &t)) < 0) {
		rc = at_line(r, n, rc);
		goto cleanup;
	}
	if (irmf_snapshot_prop_find(r->s, name) != NULL) {
		rc = bad(r, n, "duplicate property '%s'", name);
		goto cleanup;
	}
	if ((nil || prop_is_list(t)) && value != NULL) {
		rc = bad(r, n, "property '%s' has a value although it is nil "
		    "or a list", name);
		goto cleanup;
	}
	if ((nil || !prop_is_list(t)) && next_el(n->children) != NULL) {
		rc = bad(r, n, "property '%s' has <item> elements although it "
		    "is nil or not a list", name);
		goto cleanup;
	}
	if (nil || !prop_is_list(t)) {
		rc = irmf_snapshot_prop_set(r->s, name, t, value, nil);
		goto cleanup;
	}
	if ((rc = read_items(r, n, &items, &nitems)) < 0)
		goto cleanup;
	rc = irmf_snapshot_prop_set_list(r->s, name, t, items, nitems);
cleanup:
	for (size_t i = 0; i < nitems; i++)
		free(items[i]);
	free(items);
	free(name);
	free(type);
	free(value);
	return rc;
}

static int
read_irm_test(const struct reader *r, xmlNodePtr t)
{
	char *check = NULL, *msg = NULL;
	bool pass;
	int rc = IRMF_OK;

	TRY(get_attr_bool(r, t, "pass", &r->s->irm_test_pass));
	r->s->has_irm_test = true;
	FOR_EACH_EL(st, t) {
		if ((rc = get_attr_bool(r, st, "pass", &pass)) < 0)
			break;
		FOR_EACH_EL(c, st) {
			if (is_el(c, "check"))
				rc = read_text_into(r, c, &check);
			else if (is_el(c, "message"))
				rc = read_text_into(r, c, &msg);
			if (rc < 0)
				goto cleanup;
		}
		if ((rc = irmf_snapshot_irm_test_add(r->s, check, pass,
		    msg)) < 0)
			break;
		free(check);
		free(msg);
		check = msg = NULL;
	}
cleanup:
	free(check);
	free(msg);
	return rc;
}

/* ------------------------------------------------------- files, security */

static int
read_files(const struct reader *r, xmlNodePtr files)
{
	char *name = NULL, *path = NULL, *ver = NULL;
	int rc = IRMF_OK;

	FOR_EACH_EL(c, files) {
		if ((rc = need_attr(r, c, "name", &name)) < 0 ||
		    (rc = get_attr(r, c, "path", &path)) < 0 ||
		    (rc = get_attr(r, c, "version", &ver)) < 0)
			break;
		if (irmf_snapshot_file_find(r->s, name) != NULL) {
			rc = bad(r, c, "duplicate file '%s'", name);
			break;
		}
		if ((rc = irmf_snapshot_file_set(r->s, name, path, ver)) < 0)
			break;
		free(name);
		free(path);
		free(ver);
		name = path = ver = NULL;
	}
	free(name);
	free(path);
	free(ver);
	return rc;
}

static int
read_strlist(const struct reader *r, xmlNodePtr list, irmf_strlist *l)
{
	char *v;
	int rc;

	FOR_EACH_EL(c, list) {
		TRY(get_text(r, c, &v));
		rc = irmf_strlist_add(l, v);
		free(v);
		if (rc < 0)
			return rc;
	}
	return IRMF_OK;
}

static int
read_security(const struct reader *r, xmlNodePtr sec)
{
	FOR_EACH_EL(c, sec) {
		if (is_el(c, "computerAccount"))
			TRY(read_text_into(r, c, &r->s->computer_account));
		else if (is_el(c, "groups"))
			TRY(read_strlist(r, c, &r->s->groups));
		else if (is_el(c, "serviceAccounts"))
			TRY(read_strlist(r, c, &r->s->service_accounts));
	}
	return IRMF_OK;
}

/* ------------------------------------------------------- connector */

static int
read_authorizations(const struct reader *r, xmlNodePtr list)
{
	char *account = NULL, *kind = NULL, *role = NULL;
	irmf_account_kind k;
	irmf_role ro;
	int rc = IRMF_OK;

	r->s->has_authorizations = true;
	FOR_EACH_EL(c, list) {
		if ((rc = need_attr(r, c, "account", &account)) < 0 ||
		    (rc = need_token(r, c, "kind", &kind)) < 0 ||
		    (rc = need_token(r, c, "role", &role)) < 0)
			break;
		if ((rc = irmf_account_kind_parse(kind, &k)) < 0 ||
		    (rc = irmf_role_parse(role, &ro)) < 0) {
			rc = at_line(r, c, rc);
			break;
		}
		if ((rc = irmf_snapshot_add_authorization(r->s, account, k,
		    ro)) < 0)
			break;
		free(account);
		free(kind);
		free(role);
		account = kind = role = NULL;
	}
	free(account);
	free(kind);
	free(role);
	return rc;
}

static int
read_event(const struct reader *r, xmlNodePtr c)
{
	char *id = NULL, *count = NULL, *account = NULL, *computer = NULL;
	char *first = NULL, *last = NULL;
	uint64_t cnt = 0;
	int idv = 0, rc;

	if ((rc = need_token(r, c, "id", &id)) < 0 ||
	    (rc = need_token(r, c, "count", &count)) < 0 ||
	    (rc = get_attr(r, c, "account", &account)) < 0 ||
	    (rc = get_attr(r, c, "computer", &computer)) < 0 ||
	    (rc = get_attr(r, c, "first", &first)) < 0 ||
	    (rc = get_attr(r, c, "last", &last)) < 0 ||
	    (rc = parse_int(r, c, id, &idv)) < 0 ||
	    (rc = parse_u64(r, c, count, UINT32_MAX, &cnt)) < 0)
		goto cleanup;
	rc = irmf_snapshot_add_event_summary(r->s, idv, account, computer,
	    (unsigned)cnt, first, last);
cleanup:
	free(id);
	free(count);
	free(account);
	free(computer);
	free(first);
	free(last);
	return rc;
}

static int
read_probe(const struct reader *r, xmlNodePtr c)
{
	char *url = NULL, *result = NULL, *status = NULL, *msg = NULL;
	irmf_probe_result res;
	int st = 0, rc;

	if ((rc = need_attr(r, c, "url", &url)) < 0 ||
	    (rc = need_token(r, c, "result", &result)) < 0 ||
	    (rc = get_token(r, c, "status", &status)) < 0)
		goto cleanup;
	if ((rc = irmf_probe_result_parse(result, &res)) < 0) {
		rc = at_line(r, c, rc);
		goto cleanup;
	}
	if (status != NULL && (rc = parse_int(r, c, status, &st)) < 0)
		goto cleanup;
	FOR_EACH_EL(m, c)
		if (is_el(m, "message") && (rc = read_text_into(r, m, &msg)) < 0)
			goto cleanup;
	rc = irmf_snapshot_add_probe(r->s, url, res, st, msg);
cleanup:
	free(url);
	free(result);
	free(status);
	free(msg);
	return rc;
}

static int
read_error(const struct reader *r, xmlNodePtr c)
{
	char *item = NULL, *reason = NULL, *msg = NULL;
	irmf_collect_reason why;
	int rc;

	if ((rc = need_attr(r, c, "item", &item)) < 0 ||
	    (rc = need_token(r, c, "reason", &reason)) < 0)
		goto cleanup;
	if ((rc = irmf_collect_reason_parse(reason, &why)) < 0) {
		rc = at_line(r, c, rc);
		goto cleanup;
	}
	FOR_EACH_EL(m, c)
		if (is_el(m, "message") && (rc = read_text_into(r, m, &msg)) < 0)
			goto cleanup;
	rc = irmf_snapshot_add_error(r->s, item, why, msg);
cleanup:
	free(item);
	free(reason);
	free(msg);
	return rc;
}

static int
read_sections(const struct reader *r, xmlNodePtr root)
{
	FOR_EACH_EL(c, root) {
		if (is_el(c, "identity"))
			TRY(read_identity(r, c));
		else if (is_el(c, "registry"))
			TRY(read_registry(r, c));
		else if (is_el(c, "irmConfiguration")) {
			r->s->has_irm_config = true;
			FOR_EACH_EL(p, c)
				TRY(read_property(r, p));
		} else if (is_el(c, "irmTest"))
			TRY(read_irm_test(r, c));
		else if (is_el(c, "files"))
			TRY(read_files(r, c));
		else if (is_el(c, "security"))
			TRY(read_security(r, c));
		else if (is_el(c, "authorizations"))
			TRY(read_authorizations(r, c));
		else if (is_el(c, "events")) {
			r->s->has_events = true;
			FOR_EACH_EL(e, c)
				TRY(read_event(r, e));
		} else if (is_el(c, "probes")) {
			FOR_EACH_EL(p, c)
				TRY(read_probe(r, p));
		} else if (is_el(c, "errors")) {
			FOR_EACH_EL(e, c)
				TRY(read_error(r, e));
		} else {
			return bad(r, c, "unexpected element '%s'",
			    (const char *)c->name);
		}
	}
	return IRMF_OK;
}

/* Root, namespace and format version: checked before the schema so that
 * a file of another kind or a newer format gets a message that says so. */
static int
check_header(xmlDocPtr doc, const char *name)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlChar *ver;
	char want[16];
	int rc = IRMF_OK;

	TRY(irmf_xml_check_root(doc, IRMF_SNAPSHOT_NS, "snapshot", name));
	snprintf(want, sizeof(want), "%d", IRMF_SNAPSHOT_FORMAT_VERSION);
	ver = xmlGetNoNsProp(root, X("formatVersion"));
	if (ver != NULL && strcmp((const char *)ver, want) != 0)
		rc = irmf_error_set(IRMF_EUNSUPPORTED, "%s:%ld: snapshot "
		    "format version '%s' is not supported (this irmfleet "
		    "reads version %s)", name, irmf_xml_line(root),
		    (const char *)ver, want);
	xmlFree(ver);
	return rc;
}

/* Build the model from a validated document. */
static int
doc_to_snapshot(xmlDocPtr doc, const char *name, irmf_snapshot **out)
{
	struct reader r = { name, NULL };
	int rc;

	*out = NULL;
	TRY(irmf_snapshot_new(&r.s, NULL));
	if ((rc = read_sections(&r, xmlDocGetRootElement(doc))) < 0) {
		irmf_snapshot_free(r.s);
		return rc;
	}
	*out = r.s;
	return IRMF_OK;
}

/* parse -> header -> schema -> model; every problem goes to `report` when
 * it is not NULL (the schema step reports all its errors). */
static int
load_doc(const char *buf, size_t len, const char *name, irmf_report_fn report,
    void *payload, irmf_snapshot **out)
{
	xmlDocPtr doc = NULL;
	int rc;

	if (out != NULL)
		*out = NULL;
	if ((rc = irmf_xml_read_memory(&doc, buf, len, name, report,
	    payload)) < 0)
		return rc;   /* the parser already reported */
	if ((rc = check_header(doc, name)) < 0)
		goto report;
	if ((rc = irmf_xml_validate_doc_report(doc, XSD_NAME, name, report,
	    payload)) < 0) {
		if (rc == IRMF_ESCHEMA)
			goto cleanup;   /* each error already reported */
		goto report;
	}
	if (out != NULL)
		rc = doc_to_snapshot(doc, name, out);
	else {
		irmf_snapshot *tmp = NULL;
		rc = doc_to_snapshot(doc, name, &tmp);
		irmf_snapshot_free(tmp);
	}
	if (rc == 0)
		goto cleanup;
report:
	if (report != NULL)
		report(irmf_error_last()->message, payload);
cleanup:
	xmlFreeDoc(doc);
	return rc;
}

int
irmf_snapshot_load_buffer(irmf_snapshot **out, const char *buf, size_t len,
    const char *name)
{
	return load_doc(buf, len, name ? name : "(buffer)", NULL, NULL, out);
}

int
irmf_snapshot_load(irmf_snapshot **out, const char *path)
{
	char *buf = NULL;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = irmf_file_read(path, IRMF_XML_MAX_INPUT, &buf, &len)) < 0)
		return rc;
	rc = load_doc(buf, len, path, NULL, NULL, out);
	free(buf);
	return rc;
}

int
irmf_snapshot_validate_file(const char *path, irmf_report_fn report,
    void *payload)
{
	char *buf = NULL;
	size_t len;
	int rc;

	if ((rc = irmf_file_read(path, IRMF_XML_MAX_INPUT, &buf, &len)) < 0) {
		if (report != NULL)
			report(irmf_error_last()->message, payload);
		return rc;
	}
	rc = load_doc(buf, len, path, report, payload, NULL);
	free(buf);
	return rc;
}
