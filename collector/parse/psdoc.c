/*
 * psdoc.c - reader of the export script's per-server document (psdoc.h,
 * docs/export-format.md).  The bytes are first freed of what surrounds
 * them on stdout (markers, a profile's noise), then parsed with libxml2's
 * safe options (xmlutil.c) and validated against schemas/export.xsd, and
 * the tree is walked item by item.
 *
 * A document cut short is never read as "absent": a document that is
 * not well-formed and lacks its closing <end> element, or whose <end>
 * counts more items than it holds, is an "incomplete" error and nothing
 * is taken from it.  Embedded payloads reuse the other parsers: the
 * connector's events are Windows event XML (evtxml.c) and the Exchange
 * objects CLIXML (clixml.c), each in a scratch snapshot merged only when
 * it parsed.  An item the script skipped (not collected by its way of
 * running) is recorded as such, distinct from failed and from absent.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>
#include <openssl/evp.h>

#include "clixml.h"
#include "error.h"
#include "evtxml.h"
#include "irmfleet/exportscript.h"
#include "psdoc.h"
#include "snapshot_int.h"
#include "buf.h"
#include "xmlutil.h"

#define XSD_NAME "export.xsd"
#define ROOT "irmfleetExport"

typedef struct walk {
	irmf_snapshot *snap;
	const char *name;     /* file name for messages */
} walk;

/* ------------------------------------------------------------ framing */

static const char *
find(const char *buf, size_t len, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= len; i++)
		if (buf[i] == s[0] && memcmp(buf + i, s, n) == 0)
			return buf + i;
	return NULL;
}

/* Past the begin marker at b and at most two line-end bytes after it,
 * never beyond buf[0..len) (the bytes are not NUL-terminated). */
static const char *
after_begin(const char *buf, size_t len, const char *b)
{
	const char *end = buf + len;
	int n = 0;

	b += strlen(IRMF_PSDOC_BEGIN);
	while (n < 2 && b < end && (*b == '\r' || *b == '\n')) {
		b++;
		n++;
	}
	return b;
}

/* The document inside buf: after the begin marker's line when there is
 * one (up to the end marker), past a UTF-8 BOM. */
static int
unwrap(const char *buf, size_t len, const char *name, const char **doc,
    size_t *dlen)
{
	const char *b = find(buf, len, IRMF_PSDOC_BEGIN), *e;

	*doc = buf;
	*dlen = len;
	if (b != NULL) {
		b = after_begin(buf, len, b);
		e = find(b, len - (size_t)(b - buf), IRMF_PSDOC_END);
		if (e == NULL)
			return irmf_error_set(IRMF_EPARSE, "%s: incomplete export "
			    "document: the output stops before the end marker "
			    "(connection lost or script stopped?); export the "
			    "server again", name);
		*doc = b;
		*dlen = (size_t)(e - b);
	}
	if (*dlen >= 3 && memcmp(*doc, "\xEF\xBB\xBF", 3) == 0) {
		*doc += 3;
		*dlen -= 3;
	}
	return IRMF_OK;
}

void
irmf_psdoc_body(const char *buf, size_t len, const char **doc, size_t *dlen)
{
	const char *b = find(buf, len, IRMF_PSDOC_BEGIN), *e;

	*doc = buf;
	*dlen = len;
	if (b == NULL)
		return;
	b = after_begin(buf, len, b);
	e = find(b, len - (size_t)(b - buf), IRMF_PSDOC_END);
	if (e == NULL)
		e = buf + len;
	/* the line end the script writes before the end marker */
	if (e > b && e[-1] == '\n')
		e--;
	if (e > b && e[-1] == '\r')
		e--;
	*doc = b;
	*dlen = (size_t)(e - b);
}

bool
irmf_psdoc_sniff(const char *buf, size_t len)
{
	size_t n = len < 4096 ? len : 4096;

	if (find(buf, n, IRMF_PSDOC_BEGIN) != NULL)
		return true;
	return find(buf, n, "<" ROOT) != NULL &&
	    find(buf, n, IRMF_EXPORT_NS) != NULL;
}

static int check_complete(const xmlNode *root, const char *name);

/* Parse and check root, version, completeness and schema; *out is the
 * tree. */
static int
load(xmlDocPtr *out, const char *buf, size_t len, const char *name)
{
	const char *doc;
	size_t dlen;
	xmlNodePtr root;
	xmlChar *v;
	long ver;
	int rc;

	*out = NULL;
	if ((rc = unwrap(buf, len, name, &doc, &dlen)) < 0)
		return rc;
	if ((rc = irmf_xml_read_memory(out, doc, dlen, name, NULL, NULL)) < 0) {
		if (rc == IRMF_EPARSE && find(doc, dlen, "<" ROOT) != NULL &&
		    find(doc, dlen, "</" ROOT) == NULL)
			return irmf_error_set(IRMF_EPARSE, "%s: incomplete export "
			    "document: it stops before its closing <end> "
			    "(connection lost or copy cut short?); export the "
			    "server again", name);
		return rc;
	}
	root = xmlDocGetRootElement(*out);
	if (root->ns == NULL || strcmp((const char *)root->name, ROOT) != 0 ||
	    strcmp((const char *)root->ns->href, IRMF_EXPORT_NS) != 0) {
		rc = irmf_error_set(IRMF_EUNSUPPORTED, "%s:%ld: not an irmfleet "
		    "export document (root <%s>)", name, irmf_xml_line(root),
		    (const char *)root->name);
		goto fail;
	}
	v = xmlGetProp(root, (const xmlChar *)"formatVersion");
	ver = v != NULL ? strtol((const char *)v, NULL, 10) : 0;
	if (ver != IRMF_EXPORT_FORMAT_VERSION) {
		rc = irmf_error_set(IRMF_EUNSUPPORTED, "%s:%ld: export document "
		    "formatVersion '%s' is not supported (this irmfleet reads "
		    "%d): use the export script of the same irmfleet version",
		    name, irmf_xml_line(root), v ? (const char *)v : "",
		    IRMF_EXPORT_FORMAT_VERSION);
		xmlFree(v);
		goto fail;
	}
	xmlFree(v);
	/* before the schema, which would only say <end> is missing */
	if ((rc = check_complete(root, name)) < 0)
		goto fail;
	if ((rc = irmf_xml_validate_memory(doc, dlen, XSD_NAME, IRMF_EXPORT_NS,
	    name, "export document")) < 0)
		goto fail;
	return IRMF_OK;
fail:
	xmlFreeDoc(*out);
	*out = NULL;
	return rc;
}

/* ------------------------------------------------------------ helpers */

static bool
is(const xmlNode *n, const char *local)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, local) == 0;
}

/* An attribute's value ("" when missing); owned by the caller. */
static char *
attr(const xmlNode *n, const char *a)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)a);
	char *s = irmf_strdup(v != NULL ? (const char *)v : "");

	xmlFree(v);
	return s;
}

/* An element's text, base64-decoded when encoding="base64". */
static int
text_of(const walk *w, const xmlNode *n, char **out, size_t *olen)
{
	xmlChar *t = xmlNodeGetContent(n), *enc;
	size_t tl = t != NULL ? strlen((const char *)t) : 0;
	int rc = IRMF_OK;

	enc = xmlGetProp(n, (const xmlChar *)"encoding");
	*out = NULL;
	if (enc == NULL) {
		*out = irmf_strndup(t != NULL ? (const char *)t : "", tl);
		*olen = tl;
		rc = *out != NULL ? IRMF_OK : IRMF_ENOMEM;
	} else {
		EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
		int a = 0, b = 0;

		*out = malloc(tl / 4 * 3 + 4);
		if (ctx == NULL || *out == NULL)
			rc = irmf_error_oom();
		else {
			EVP_DecodeInit(ctx);
			if (EVP_DecodeUpdate(ctx, (unsigned char *)*out, &a,
			    t, (int)tl) < 0 || EVP_DecodeFinal(ctx,
			    (unsigned char *)*out + a, &b) < 0)
				rc = irmf_error_set(IRMF_EPARSE, "%s:%ld: bad "
				    "base64 text", w->name, irmf_xml_line(n));
			else {
				*olen = (size_t)(a + b);
				(*out)[*olen] = '\0';
			}
		}
		EVP_ENCODE_CTX_free(ctx);
		if (rc < 0) {
			free(*out);
			*out = NULL;
		}
	}
	xmlFree(enc);
	xmlFree(t);
	return rc;
}

/* ----------------------------------------------------------- registry */

static const struct {
	const char *kind;
	irmf_reg_type type;
} kinds[] = {
	{ "String", IRMF_REG_SZ }, { "ExpandString", IRMF_REG_EXPAND_SZ },
	{ "MultiString", IRMF_REG_MULTI_SZ }, { "DWord", IRMF_REG_DWORD },
	{ "QWord", IRMF_REG_QWORD }, { "Binary", IRMF_REG_BINARY },
	{ "None", IRMF_REG_NONE },
	/* a kind .NET has no name for (REG_RESOURCE_LIST ...): its bytes */
	{ "Unknown", IRMF_REG_BINARY },
};

static int
value_number(const walk *w, const xmlNode *n, const char *s,
    irmf_reg_type t, irmf_reg_value *v)
{
	char *end;
	unsigned long long x;

	x = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || strlen(s) > 20 ||
	    (t == IRMF_REG_DWORD && x > UINT32_MAX))
		return irmf_error_set(IRMF_EPARSE, "%s:%ld: '%.40s' is not a "
		    "%s number", w->name, irmf_xml_line(n), s,
		    t == IRMF_REG_DWORD ? "DWord" : "QWord");
	v->num = x;
	return IRMF_OK;
}

static int
value_binary(const walk *w, const xmlNode *n, const char *s,
    irmf_reg_value *v)
{
	size_t len = strlen(s);

	if (len % 2 != 0)
		return irmf_error_set(IRMF_EPARSE, "%s:%ld: binary data has an "
		    "odd number of hex digits", w->name, irmf_xml_line(n));
	if ((v->bin = malloc(len / 2 + 1)) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < len; i += 2) {
		int hi = irmf_hex_digit(s[i]), lo = irmf_hex_digit(s[i + 1]);
		if (hi < 0 || lo < 0)
			return irmf_error_set(IRMF_EPARSE, "%s:%ld: binary data "
			    "is not hex", w->name, irmf_xml_line(n));
		v->bin[v->nbin++] = (unsigned char)(hi << 4 | lo);
	}
	return IRMF_OK;
}

/* The <data> texts of a value into v, by its type. */
static int
value_data(const walk *w, const xmlNode *vn, irmf_reg_value *v)
{
	size_t ndata = 0;
	int rc = IRMF_OK;

	for (const xmlNode *d = vn->children; d != NULL && rc == IRMF_OK;
	    d = d->next) {
		char *s;
		size_t sl;

		if (!is(d, "data"))
			continue;
		if ((rc = text_of(w, d, &s, &sl)) < 0)
			break;
		if (ndata++ > 0 && v->type != IRMF_REG_MULTI_SZ)
			rc = irmf_error_set(IRMF_EPARSE, "%s:%ld: value '%s' "
			    "has more than one <data>", w->name,
			    irmf_xml_line(d), v->name);
		else if (v->type == IRMF_REG_MULTI_SZ) {
			char **m = realloc(v->multi, (v->nmulti + 1) *
			    sizeof(*m));
			if (m == NULL)
				rc = irmf_error_oom();
			else {
				v->multi = m;
				v->multi[v->nmulti++] = s;
				s = NULL;
			}
		} else if (irmf_reg_type_is_string(v->type)) {
			v->str = s;
			s = NULL;
		} else if (irmf_reg_type_is_number(v->type))
			rc = value_number(w, d, s, v->type, v);
		else
			rc = value_binary(w, d, s, v);
		free(s);
	}
	if (rc == IRMF_OK && ndata == 0 && v->type != IRMF_REG_MULTI_SZ)
		rc = irmf_error_set(IRMF_EPARSE, "%s:%ld: value '%s' has no "
		    "<data>", w->name, irmf_xml_line(vn), v->name);
	return rc;
}

static int
reg_value(const walk *w, irmf_reg_key *key, const xmlNode *vn)
{
	irmf_reg_value v;
	char *kind = attr(vn, "kind");
	bool dup = false;
	int rc = IRMF_OK;

	memset(&v, 0, sizeof(v));
	v.name = attr(vn, "name");
	v.type = (irmf_reg_type)-1;
	for (size_t i = 0; kind != NULL && i < sizeof(kinds) / sizeof(kinds[0]);
	    i++)
		if (strcmp(kind, kinds[i].kind) == 0)
			v.type = kinds[i].type;
	if (v.name == NULL || kind == NULL)
		rc = IRMF_ENOMEM;
	else if ((int)v.type < 0)
		rc = irmf_error_set(IRMF_EPARSE, "%s:%ld: unknown value kind "
		    "'%s'", w->name, irmf_xml_line(vn), kind);
	else if ((rc = value_data(w, vn, &v)) == IRMF_OK &&
	    (rc = irmf_reg_key_add_value(key, &v, &dup)) == IRMF_OK && dup)
		rc = irmf_error_set(IRMF_EPARSE, "%s:%ld: value '%s' of %s "
		    "given twice", w->name, irmf_xml_line(vn), v.name,
		    key->path);
	irmf_reg_value_clear(&v);
	free(kind);
	return rc;
}

static int
reg_key(const walk *w, const xmlNode *kn)
{
	char *path = attr(kn, "path");
	irmf_reg_key *key = NULL;
	int rc;

	if (path == NULL)
		return IRMF_ENOMEM;
	if (strncmp(path, "HKEY_LOCAL_MACHINE\\", 19) != 0)
		rc = irmf_error_set(IRMF_EPARSE, "%s:%ld: key '%.200s' is not "
		    "under HKEY_LOCAL_MACHINE", w->name, irmf_xml_line(kn),
		    path);
	else
		rc = irmf_snapshot_reg_key(w->snap, path, &key);
	for (const xmlNode *v = kn->children; rc == IRMF_OK && v != NULL;
	    v = v->next)
		if (is(v, "value"))
			rc = reg_value(w, key, v);
	free(path);
	return rc;
}

/* ------------------------------------------------------ other payloads */

static int
file_payload(const walk *w, const xmlNode *n)
{
	char *name = attr(n, "name"), *path = attr(n, "path");
	char *ver = attr(n, "fileVersion");
	int rc = IRMF_ENOMEM;

	if (name != NULL && path != NULL && ver != NULL)
		rc = irmf_snapshot_file_set(w->snap, name, path[0] ? path :
		    NULL, ver);
	free(name);
	free(path);
	free(ver);
	return rc;
}

static int
acl_payload(const walk *w, const xmlNode *n)
{
	char *path = attr(n, "path"), *sddl = attr(n, "sddl");
	int rc = IRMF_ENOMEM;

	if (path != NULL && sddl != NULL)
		rc = irmf_snapshot_set_key_acl(w->snap, path, sddl);
	free(path);
	free(sddl);
	return rc;
}

static int
groups_payload(const walk *w, const xmlNode *n)
{
	char *account = attr(n, "account"), *scope = attr(n, "scope");
	int rc = IRMF_ENOMEM;

	if (account != NULL && scope != NULL &&
	    (rc = irmf_snapshot_set_computer_account(w->snap, account)) == 0 &&
	    (rc = irmf_groups_scope_parse(scope, &w->snap->groups_scope)) == 0)
		for (const xmlNode *g = n->children; g != NULL && rc == 0;
		    g = g->next) {
			char *gname;

			if (!is(g, "group"))
				continue;
			if ((gname = attr(g, "name")) == NULL)
				return IRMF_ENOMEM;
			rc = irmf_snapshot_add_group(w->snap, gname);
			free(gname);
		}
	free(account);
	free(scope);
	return rc;
}

/* The probe's message, with the proxy it went through and a certificate
 * chain that did not build (the snapshot has no fields of their own). */
static char *
probe_message(const xmlNode *p)
{
	char *msg = attr(p, "message"), *proxy = attr(p, "proxy");
	char *cert = attr(p, "certificate");
	irmf_buf b = IRMF_BUF_INIT;

	if (msg != NULL && msg[0])
		irmf_buf_add(&b, msg);
	if (proxy != NULL && proxy[0] && strcmp(proxy, "direct") != 0)
		irmf_buf_printf(&b, "%svia proxy %s", b.n ? "; " : "", proxy);
	if (cert != NULL && cert[0] && strcmp(cert, "valid") != 0)
		irmf_buf_printf(&b, "%scertificate: %s", b.n ? "; " : "",
		    cert);
	free(msg);
	free(proxy);
	free(cert);
	return irmf_buf_take(&b);
}

static int
probe_one(const walk *w, const xmlNode *p)
{
	char *url = attr(p, "url"), *res = attr(p, "result");
	char *code = attr(p, "statusCode"), *msg = probe_message(p);
	irmf_probe_result r;
	long status = code != NULL ? strtol(code, NULL, 10) : 0;
	int rc = IRMF_ENOMEM;

	if (url != NULL && res != NULL && code != NULL && msg != NULL &&
	    (rc = irmf_probe_result_parse(res, &r)) == 0) {
		if (r == IRMF_PROBE_HTTP && (status < 100 || status > 999))
			rc = irmf_error_set(IRMF_EPARSE, "%s:%ld: HTTP status "
			    "'%s' out of range", w->name, irmf_xml_line(p),
			    code);
		else
			rc = irmf_snapshot_add_probe(w->snap, url, r,
			    r == IRMF_PROBE_HTTP ? (int)status : 0,
			    msg[0] ? msg : NULL);
	}
	free(url);
	free(res);
	free(code);
	free(msg);
	return rc;
}

static int
reach_payload(const walk *w, const xmlNode *n)
{
	int rc = IRMF_OK;

	for (const xmlNode *p = n->children; p != NULL && rc == 0; p = p->next)
		if (is(p, "probe"))
			rc = probe_one(w, p);
	return rc;
}

/* A payload parsed by another parser into a scratch snapshot, merged
 * when it parsed. */
static int
merge_parsed(const walk *w, const char *buf, size_t len,
    int (*parse)(irmf_snapshot *, const char *, size_t, const char *),
    const char *ids, unsigned cap)
{
	irmf_snapshot *part = NULL;
	int rc;

	if ((rc = irmf_snapshot_new(&part, w->snap->server)) < 0)
		return rc;
	if (parse != NULL)
		rc = parse(part, buf, len, w->name);
	else
		rc = irmf_evtxml_parse_query(part, buf, len, w->name, ids, cap);
	if (rc == IRMF_OK)
		rc = irmf_snapshot_merge(w->snap, part);
	irmf_snapshot_free(part);
	return rc;
}

static int
events_payload(const walk *w, const xmlNode *n)
{
	char *ids = attr(n, "ids"), *cap = attr(n, "cap");
	irmf_buf b = IRMF_BUF_INIT;
	char *all = NULL;
	int rc = IRMF_OK;

	for (const xmlNode *e = n->children; e != NULL && rc == 0;
	    e = e->next) {
		char *s;
		size_t sl;

		if (!is(e, "event"))
			continue;
		if ((rc = text_of(w, e, &s, &sl)) == 0) {
			irmf_buf_addn(&b, s, sl);
			irmf_buf_add(&b, "\n");
			free(s);
		}
	}
	all = irmf_buf_take(&b);
	if (rc == IRMF_OK && (all == NULL || ids == NULL || cap == NULL))
		rc = IRMF_ENOMEM;
	if (rc == IRMF_OK)
		rc = merge_parsed(w, all, strlen(all), NULL, ids,
		    (unsigned)strtoul(cap, NULL, 10));
	free(all);
	free(ids);
	free(cap);
	return rc;
}

static int
clixml_payload(const walk *w, const xmlNode *n)
{
	char *s;
	size_t sl;
	int rc;

	if ((rc = text_of(w, n, &s, &sl)) < 0)
		return rc;
	rc = merge_parsed(w, s, sl, irmf_clixml_parse, NULL, 0);
	free(s);
	return rc;
}

/* -------------------------------------------------------------- items */

static const struct {
	const char *element, *kind;
	int (*fn)(const walk *, const xmlNode *);
} payloads[] = {
	{ "key", "registry", reg_key },
	{ "file", "file", file_payload },
	{ "acl", "acl", acl_payload },
	{ "groups", "groups", groups_payload },
	{ "reachability", "reachability", reach_payload },
	{ "events", "events", events_payload },
	{ "clixml", "clixml", clixml_payload },
};

static int
item_payload(const walk *w, const xmlNode *item, const char *kind)
{
	int rc = IRMF_OK;

	for (const xmlNode *c = item->children; c != NULL && rc == 0;
	    c = c->next) {
		size_t i;

		if (c->type != XML_ELEMENT_NODE || is(c, "error"))
			continue;
		for (i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++)
			if (is(c, payloads[i].element))
				break;
		if (i == sizeof(payloads) / sizeof(payloads[0]) ||
		    strcmp(payloads[i].kind, kind) != 0)
			return irmf_error_set(IRMF_EPARSE, "%s:%ld: <%s> in an "
			    "item of kind %s", w->name, irmf_xml_line(c),
			    (const char *)c->name, kind);
		rc = payloads[i].fn(w, c);
	}
	return rc;
}

/* The message of an item's <error>: "message [errorId] (type, hresult)",
 * the parts it has; NULL when out of memory. */
static char *
item_message(const xmlNode *item, const char *none)
{
	const xmlNode *e = item->children;
	char *msg = NULL, *eid = NULL, *hr = NULL, *type = NULL;
	irmf_buf b = IRMF_BUF_INIT;

	while (e != NULL && !is(e, "error"))
		e = e->next;
	if (e != NULL) {
		msg = attr(e, "message");
		eid = attr(e, "errorId");
		hr = attr(e, "hresult");
		type = attr(e, "type");
	}
	irmf_buf_add(&b, msg != NULL && msg[0] ? msg : none);
	if (eid != NULL && eid[0])
		irmf_buf_printf(&b, " [%s]", eid);
	if (type != NULL && type[0])
		irmf_buf_printf(&b, " (%s%s%s)", type, hr && hr[0] ? ", " : "",
		    hr ? hr : "");
	free(msg);
	free(eid);
	free(hr);
	free(type);
	return irmf_buf_take(&b);
}

/* collect's item key of an export item: the three event groups share
 * collect's "events". */
static const char *
item_key(const char *id)
{
	return strncmp(id, "events:", 7) == 0 ? "events" : id;
}

/* A denied or failed item: a collection error under the item's key. */
static int
item_error(const walk *w, const xmlNode *item, const char *id, bool denied)
{
	char *msg = item_message(item, "failed on the server (no message)");
	int rc;

	if (msg == NULL)
		return IRMF_ENOMEM;
	rc = irmf_snapshot_add_error(w->snap, item_key(id), denied ?
	    IRMF_REASON_ACCESS_DENIED : IRMF_REASON_COMMAND_FAILED, msg);
	free(msg);
	return rc;
}

/* A skipped item (this way of running does not collect it: the Exchange
 * objects outside the Exchange Management Shell or over SSH): recorded
 * as not collected, with the script's reason, so that compare can say
 * what is unknown and what to run instead of taking it for absent. */
static int
item_skipped(const walk *w, const xmlNode *item, const char *id)
{
	char *msg = item_message(item, "not collected by this way of "
	    "running the export script");
	int rc;

	if (msg == NULL)
		return IRMF_ENOMEM;
	rc = irmf_snapshot_add_skipped(w->snap, item_key(id), msg);
	free(msg);
	return rc;
}

static int
item(const walk *w, const xmlNode *n)
{
	char *id = attr(n, "id"), *kind = attr(n, "kind");
	char *status = attr(n, "status");
	int rc = IRMF_ENOMEM;

	if (id == NULL || kind == NULL || status == NULL)
		goto out;
	if (strcmp(status, "ok") == 0)
		rc = item_payload(w, n, kind);
	else if (strcmp(status, "denied") == 0 || strcmp(status, "failed") == 0)
		rc = item_error(w, n, id, status[0] == 'd');
	else if (strcmp(status, "skipped") == 0)
		rc = item_skipped(w, n, id);
	else   /* absent: looked, nothing there */
		rc = IRMF_OK;
out:
	free(id);
	free(kind);
	free(status);
	return rc;
}

/* -------------------------------------------------------------- header */

static int
parse_roles(const char *s, unsigned *roles)
{
	char buf[128], *tok, *save = NULL;

	*roles = 0;
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		irmf_role r;
		if (irmf_role_parse(tok, &r) < 0)
			return IRMF_EPARSE;
		*roles |= (unsigned)r;
	}
	return IRMF_OK;
}

static const xmlNode *
child(const xmlNode *n, const char *local)
{
	for (const xmlNode *c = n->children; c != NULL; c = c->next)
		if (is(c, local))
			return c;
	return NULL;
}

/* Every <item> before <end items="N">, and N of them. */
static int
check_complete(const xmlNode *root, const char *name)
{
	const xmlNode *end = child(root, "end");
	char *count = end != NULL ? attr(end, "items") : NULL;
	unsigned long want = count != NULL ? strtoul(count, NULL, 10) : 0;
	unsigned long have = 0;

	free(count);
	for (const xmlNode *c = root->children; c != NULL; c = c->next)
		have += is(c, "item");
	if (end == NULL || have != want)
		return irmf_error_set(IRMF_EPARSE, "%s: incomplete export "
		    "document: %lu of %lu items (cut short?); export the server "
		    "again", name, have, want);
	return IRMF_OK;
}

static bool
same_server(const char *snap_name, const char *doc_name, const char *fqdn)
{
	size_t n = strcspn(snap_name, ".");

	return irmf_streq_ci(snap_name, doc_name) ||
	    (fqdn != NULL && irmf_streq_ci(snap_name, fqdn)) ||
	    (strlen(doc_name) == n && strncasecmp(snap_name, doc_name, n) == 0);
}

static int
header(const walk *w, const xmlNode *root)
{
	const xmlNode *srv = child(root, "server"), *run = child(root, "run");
	char *name = attr(srv, "name"), *fqdn = attr(srv, "fqdn");
	char *roles = attr(srv, "roles"), *at = attr(run, "collectedAt");
	unsigned r = 0;
	int rc = IRMF_ENOMEM;

	if (name == NULL || fqdn == NULL || roles == NULL || at == NULL)
		goto out;
	if (w->snap->server != NULL &&
	    !same_server(w->snap->server, name, fqdn)) {
		rc = irmf_error_set(IRMF_EUSAGE, "%s: the document is for "
		    "server '%s', not '%s'", w->name, name, w->snap->server);
		goto out;
	}
	if ((rc = parse_roles(roles, &r)) < 0)
		goto out;
	w->snap->roles |= r;
	if (fqdn[0] && w->snap->fqdn == NULL &&
	    (rc = irmf_snapshot_set_fqdn(w->snap, fqdn)) < 0)
		goto out;
	rc = w->snap->collected_at == NULL ?
	    irmf_snapshot_set_collected_at(w->snap, at) : IRMF_OK;
out:
	free(name);
	free(fqdn);
	free(roles);
	free(at);
	return rc;
}

int
irmf_psdoc_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name)
{
	xmlDocPtr doc = NULL;
	const xmlNode *root;
	walk w = { snap, name };
	int rc;

	if ((rc = load(&doc, buf, len, name)) < 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	if ((rc = header(&w, root)) == IRMF_OK)
		for (const xmlNode *c = root->children; c != NULL && rc == 0;
		    c = c->next)
			if (is(c, "item"))
				rc = item(&w, c);
	xmlFreeDoc(doc);
	return rc;
}

int
irmf_psdoc_identity(const char *buf, size_t len, const char *name,
    char **server, unsigned *roles)
{
	xmlDocPtr doc = NULL;
	const xmlNode *root, *srv;
	char *r = NULL;
	int rc;

	*server = NULL;
	*roles = 0;
	if ((rc = load(&doc, buf, len, name)) < 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	srv = child(root, "server");
	*server = attr(srv, "name");
	r = attr(srv, "roles");
	if (*server == NULL || r == NULL)
		rc = IRMF_ENOMEM;
	else
		rc = parse_roles(r, roles);
	free(r);
	if (rc < 0) {
		free(*server);
		*server = NULL;
	}
	xmlFreeDoc(doc);
	return rc;
}
