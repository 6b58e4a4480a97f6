/*
 * clixml.c - generic PowerShell CLIXML reader: bytes -> owned value tree
 * (see clixml.h).  The mapping of object types into a snapshot lives in
 * clixml_map.c; this file knows only the serialization format
 * ([MS-PSRP] 2.2.5 and what Export-Clixml writes).
 *
 * libxml2 builds a DOM (xmlutil.c: safe options, error translation); it
 * is then converted into irmf_cx_node values, checking the structure as it goes
 * so that an odd file fails with "file:line: what was wrong" instead of
 * being half understood.  Parsing is bounded: input size, value nesting
 * and value count; no network, no DTD, no entity substitution.  RefId
 * back-references (<Ref>, <TNRef>) are resolved after the walk through
 * sorted tables, so a document with many objects stays O(n log n).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "clixml.h"
#include "error.h"
#include "xmlutil.h"
#include "xmlsniff.h"

struct irmf_clixml_doc {
	irmf_cx_node **roots;
	size_t nroots, caproots;
	irmf_cx_node **all;           /* every node, for freeing and refs */
	size_t nall, capall;
	irmf_cx_types **tns;          /* every <TN> */
	size_t ntns, captns;
};

/* Conversion state for one document. */
typedef struct cx_ctx {
	irmf_clixml_doc *doc;
	const char *name;
} cx_ctx;


/* ------------------------------------------------------------ escapes */

/* If s starts with _xHHHH_, return the code unit, else -1. */
static long
escape_at(const char *s)
{
	long v = 0;

	if (s[0] != '_' || s[1] != 'x')
		return -1;
	for (int i = 2; i < 6; i++) {
		int h = irmf_hex_digit((unsigned char)s[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return s[6] == '_' ? v : -1;
}

static size_t
put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

char *
irmf_clixml_unescape(const char *s)
{
	/* an escape is 7 bytes and yields at most 4 (a pair: 14 -> 4) */
	char *out = malloc(strlen(s) + 1), *o = out;

	if (out == NULL) {
		irmf_error_oom();
		return NULL;
	}
	while (*s != '\0') {
		long u = escape_at(s), lo;
		unsigned long cp;

		if (u < 0) {
			*o++ = *s++;
			continue;
		}
		s += 7;
		cp = (unsigned long)u;
		if (u >= 0xd800 && u <= 0xdbff && (lo = escape_at(s)) >= 0xdc00 &&
		    lo <= 0xdfff) {
			cp = 0x10000 + (((unsigned long)u - 0xd800) << 10) +
			    ((unsigned long)lo - 0xdc00);
			s += 7;
		} else if (u == 0 || (u >= 0xd800 && u <= 0xdfff)) {
			cp = 0xfffd;
		}
		o += put_utf8(o, cp);
	}
	*o = '\0';
	return out;
}

/* ----------------------------------------------------------- the tree */

static bool
is_el(const xmlNode *n, const char *local)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, local) == 0;
}

/* Decoded copy of an attribute (NULL if absent) into *out. */
static int
attr_dup(const xmlNode *el, const char *attr, bool unescape, char **out)
{
	xmlChar *v = xmlGetProp(el, (const xmlChar *)attr);

	*out = NULL;
	if (v == NULL)
		return IRMF_OK;
	*out = unescape ? irmf_clixml_unescape((const char *)v)
	    : irmf_strdup((const char *)v);
	xmlFree(v);
	return *out ? IRMF_OK : IRMF_ENOMEM;
}

/* Decoded text content of an element. */
static int
text_dup(const xmlNode *el, char **out)
{
	xmlChar *v = xmlNodeGetContent(el);

	*out = irmf_clixml_unescape(v ? (const char *)v : "");
	xmlFree(v);
	return *out ? IRMF_OK : IRMF_ENOMEM;
}

static int
node_new(cx_ctx *c, const xmlNode *el, irmf_cx_kind kind,
    irmf_cx_node **out)
{
	irmf_clixml_doc *d = c->doc;
	irmf_cx_node *n;

	*out = NULL;
	if (d->nall >= IRMF_CLIXML_MAX_NODES)
		return irmf_error_set(IRMF_ELIMIT,
		    "%s:%ld: more than %d values in one document", c->name,
		    irmf_xml_line(el), IRMF_CLIXML_MAX_NODES);
	if (IRMF_GROW(d->all, d->capall, d->nall) < 0)
		return IRMF_ENOMEM;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return irmf_error_oom();
	d->all[d->nall++] = n;
	n->kind = kind;
	n->line = irmf_xml_line(el);
	if ((n->tag = irmf_strdup((const char *)el->name)) == NULL)
		return IRMF_ENOMEM;
	if (attr_dup(el, "N", true, &n->name) < 0 ||
	    attr_dup(el, "RefId", false, &n->refid) < 0)
		return IRMF_ENOMEM;
	*out = n;
	return IRMF_OK;
}

static void
node_free(irmf_cx_node *n)
{
	free(n->tag);
	free(n->name);
	free(n->text);
	free(n->refid);
	free(n->props);
	free(n->ms);
	free(n->items);
	free(n->tnref_);
	free(n);
}

/* Primitive element names ([MS-PSRP] 2.2.5.1) and how to check them. */
enum prim_check { CHK_NONE, CHK_BOOL, CHK_SIGNED, CHK_UNSIGNED };
static const struct {
	const char *tag;
	enum prim_check check;
	uint64_t max;           /* magnitude limit for the integer types */
} prims[] = {
	{ "S", CHK_NONE, 0 }, { "C", CHK_UNSIGNED, 0xffff },
	{ "B", CHK_BOOL, 0 }, { "DT", CHK_NONE, 0 }, { "TS", CHK_NONE, 0 },
	{ "By", CHK_UNSIGNED, 0xff }, { "SB", CHK_SIGNED, 0x80 },
	{ "U16", CHK_UNSIGNED, 0xffff }, { "I16", CHK_SIGNED, 0x8000 },
	{ "U32", CHK_UNSIGNED, 0xffffffffu },
	{ "I32", CHK_SIGNED, 0x80000000u },
	{ "U64", CHK_UNSIGNED, UINT64_MAX },
	{ "I64", CHK_SIGNED, (uint64_t)1 << 63 },
	{ "Sg", CHK_NONE, 0 }, { "Db", CHK_NONE, 0 }, { "D", CHK_NONE, 0 },
	{ "BA", CHK_NONE, 0 }, { "G", CHK_NONE, 0 }, { "URI", CHK_NONE, 0 },
	{ "Version", CHK_NONE, 0 }, { "XD", CHK_NONE, 0 },
	{ "SBK", CHK_NONE, 0 }, { "SS", CHK_NONE, 0 }, { "PR", CHK_NONE, 0 },
};

static int
prim_index(const char *tag)
{
	for (size_t i = 0; i < sizeof(prims) / sizeof(prims[0]); i++)
		if (strcmp(prims[i].tag, tag) == 0)
			return (int)i;
	return -1;
}

/* Check the text of a Boolean or integer primitive. */
static int
prim_check(cx_ctx *c, const irmf_cx_node *n, int pi)
{
	const char *t = n->text;
	uint64_t v = 0, max = prims[pi].max;
	bool neg = false, ok = true;

	while (isspace((unsigned char)*t))
		t++;
	switch (prims[pi].check) {
	case CHK_NONE:
		return IRMF_OK;
	case CHK_BOOL:
		if (strcmp(t, "true") == 0 || strcmp(t, "false") == 0)
			return IRMF_OK;
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%ld: <B> holds '%.40s', expected true or false",
		    c->name, n->line, n->text);
	case CHK_SIGNED:
	case CHK_UNSIGNED:
		break;
	}
	if (*t == '-' && prims[pi].check == CHK_SIGNED)
		neg = true, t++;
	else if (*t == '+')
		t++;
	if (!isdigit((unsigned char)*t))
		ok = false;
	for (; ok && isdigit((unsigned char)*t); t++) {
		unsigned d = (unsigned)(*t - '0');
		if (v > (UINT64_MAX - d) / 10)
			ok = false;
		else
			v = v * 10 + d;
	}
	while (ok && isspace((unsigned char)*t))
		t++;
	if (ok && (*t != '\0' || v > max ||
	    (!neg && prims[pi].check == CHK_SIGNED && v == max)))
		ok = false;
	if (ok)
		return IRMF_OK;
	return irmf_error_set(IRMF_EPARSE,
	    "%s:%ld: <%s> holds '%.40s', not a number of that type", c->name,
	    n->line, n->tag, n->text);
}

static int convert_value(cx_ctx *c, const xmlNode *el, int depth,
    irmf_cx_node **out);

static int
append(irmf_cx_node ***arr, size_t *n, size_t *cap, irmf_cx_node *v)
{
	if (irmf_grow((void **)arr, cap, *n, sizeof(**arr)) < 0)
		return IRMF_ENOMEM;
	(*arr)[(*n)++] = v;
	return IRMF_OK;
}

/* Convert every element child of el as a value into an array. */
static int
convert_children(cx_ctx *c, const xmlNode *el, int depth,
    irmf_cx_node ***arr, size_t *n, size_t *cap)
{
	for (const xmlNode *ch = el->children; ch != NULL; ch = ch->next) {
		irmf_cx_node *v;
		int rc;

		if (ch->type != XML_ELEMENT_NODE)
			continue;
		if ((rc = convert_value(c, ch, depth, &v)) < 0)
			return rc;
		if (append(arr, n, cap, v) < 0)
			return IRMF_ENOMEM;
	}
	return IRMF_OK;
}

/* <TN RefId="n"><T>type</T>...</TN> */
static int
convert_tn(cx_ctx *c, const xmlNode *el, irmf_cx_types **out)
{
	irmf_clixml_doc *d = c->doc;
	irmf_cx_types *t = NULL;
	size_t cap = 0;

	if (IRMF_GROW(d->tns, d->captns, d->ntns) < 0)
		return IRMF_ENOMEM;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return irmf_error_oom();
	d->tns[d->ntns++] = t;
	if (attr_dup(el, "RefId", false, &t->refid) < 0)
		return IRMF_ENOMEM;
	for (const xmlNode *ch = el->children; ch != NULL; ch = ch->next) {
		char *s;

		if (ch->type != XML_ELEMENT_NODE)
			continue;
		if (!is_el(ch, "T"))
			return irmf_error_set(IRMF_EPARSE,
			    "%s:%ld: unexpected <%s> in <TN>, expected <T>",
			    c->name, irmf_xml_line(ch), ch->name);
		if (IRMF_GROW(t->names, cap, t->n) < 0 || text_dup(ch, &s) < 0)
			return IRMF_ENOMEM;
		t->names[t->n++] = s;
	}
	*out = t;
	return IRMF_OK;
}

/* <DCT><En><S N="Key">..</S><Obj N="Value">..</Obj></En>...</DCT> */
static int
convert_dct(cx_ctx *c, const xmlNode *el, int depth, irmf_cx_node *obj)
{
	for (const xmlNode *en = el->children; en != NULL; en = en->next) {
		irmf_cx_node *kv[2] = { NULL, NULL };

		if (en->type != XML_ELEMENT_NODE)
			continue;
		if (!is_el(en, "En"))
			return irmf_error_set(IRMF_EPARSE,
			    "%s:%ld: unexpected <%s> in <DCT>, expected <En>",
			    c->name, irmf_xml_line(en), en->name);
		for (const xmlNode *ch = en->children; ch; ch = ch->next) {
			irmf_cx_node *v;
			int rc, slot;

			if (ch->type != XML_ELEMENT_NODE)
				continue;
			if ((rc = convert_value(c, ch, depth, &v)) < 0)
				return rc;
			slot = irmf_streq_ci(v->name, "Key") ? 0
			    : irmf_streq_ci(v->name, "Value") ? 1 : -1;
			if (slot < 0 || kv[slot] != NULL)
				return irmf_error_set(IRMF_EPARSE,
				    "%s:%ld: dictionary entry member must be "
				    "one N=\"Key\" and one N=\"Value\"",
				    c->name, v->line);
			kv[slot] = v;
		}
		if (kv[0] == NULL || kv[1] == NULL)
			return irmf_error_set(IRMF_EPARSE,
			    "%s:%ld: dictionary entry without %s", c->name,
			    irmf_xml_line(en), kv[0] ? "a Value" : "a Key");
		if (append(&obj->items, &obj->nitems, &obj->nitems_cap_,
		    kv[0]) < 0 || append(&obj->items, &obj->nitems,
		    &obj->nitems_cap_, kv[1]) < 0)
			return IRMF_ENOMEM;
	}
	return IRMF_OK;
}

static const struct {
	const char *tag;
	irmf_cx_coll coll;
} colls[] = {
	{ "LST", IRMF_CX_COLL_LST }, { "IE", IRMF_CX_COLL_IE },
	{ "STK", IRMF_CX_COLL_STK }, { "QUE", IRMF_CX_COLL_QUE },
	{ "DCT", IRMF_CX_COLL_DCT },
};

/* One child element of an <Obj>. */
static int
convert_obj_part(cx_ctx *c, const xmlNode *ch, int depth, irmf_cx_node *n)
{
	irmf_cx_types *t = NULL;

	if (is_el(ch, "TN")) {
		if (n->types != NULL || n->tnref_ != NULL)
			goto dup;
		if (convert_tn(c, ch, &t) < 0)
			return irmf_error_last()->code;
		n->types = t;
		return IRMF_OK;
	}
	if (is_el(ch, "TNRef")) {
		if (n->types != NULL || n->tnref_ != NULL)
			goto dup;
		if (attr_dup(ch, "RefId", false, &n->tnref_) < 0)
			return IRMF_ENOMEM;
		if (n->tnref_ == NULL)
			return irmf_error_set(IRMF_EPARSE,
			    "%s:%ld: <TNRef> without RefId", c->name,
			    irmf_xml_line(ch));
		return IRMF_OK;
	}
	if (is_el(ch, "ToString")) {
		if (n->text != NULL)
			goto dup;
		return text_dup(ch, &n->text);
	}
	if (is_el(ch, "Props"))
		return convert_children(c, ch, depth, &n->props, &n->nprops,
		    &n->nprops_cap_);
	if (is_el(ch, "MS"))
		return convert_children(c, ch, depth, &n->ms, &n->nms,
		    &n->nms_cap_);
	for (size_t i = 0; i < sizeof(colls) / sizeof(colls[0]); i++) {
		if (!is_el(ch, colls[i].tag))
			continue;
		if (n->coll != IRMF_CX_COLL_NONE)
			goto dup;
		n->coll = colls[i].coll;
		if (n->coll == IRMF_CX_COLL_DCT)
			return convert_dct(c, ch, depth, n);
		return convert_children(c, ch, depth, &n->items, &n->nitems,
		    &n->nitems_cap_);
	}
	/* anything else must be the object's own value (enum, string) */
	if (n->prim != NULL)
		goto dup;
	return convert_value(c, ch, depth, &n->prim);
dup:
	return irmf_error_set(IRMF_EPARSE, "%s:%ld: second <%s> in one <Obj>",
	    c->name, irmf_xml_line(ch), ch->name);
}

static int
convert_value(cx_ctx *c, const xmlNode *el, int depth, irmf_cx_node **out)
{
	const char *tag = (const char *)el->name;
	irmf_cx_node *n;
	int rc, pi;

	*out = NULL;
	if (depth >= IRMF_CLIXML_MAX_DEPTH)
		return irmf_error_set(IRMF_ELIMIT,
		    "%s:%ld: values nested deeper than %d levels", c->name,
		    irmf_xml_line(el), IRMF_CLIXML_MAX_DEPTH);
	if (strcmp(tag, "Obj") == 0) {
		if ((rc = node_new(c, el, IRMF_CX_OBJ, &n)) < 0)
			return rc;
		for (const xmlNode *ch = el->children; ch; ch = ch->next)
			if (ch->type == XML_ELEMENT_NODE &&
			    (rc = convert_obj_part(c, ch, depth + 1, n)) < 0)
				return rc;
	} else if (strcmp(tag, "Ref") == 0) {
		if ((rc = node_new(c, el, IRMF_CX_REF, &n)) < 0)
			return rc;
		if (n->refid == NULL)
			return irmf_error_set(IRMF_EPARSE,
			    "%s:%ld: <Ref> without RefId", c->name, n->line);
	} else if (strcmp(tag, "Nil") == 0) {
		if ((rc = node_new(c, el, IRMF_CX_NIL, &n)) < 0)
			return rc;
	} else if ((pi = prim_index(tag)) >= 0) {
		if ((rc = node_new(c, el, IRMF_CX_PRIM, &n)) < 0)
			return rc;
		if (text_dup(el, &n->text) < 0)
			return IRMF_ENOMEM;
		if ((rc = prim_check(c, n, pi)) < 0)
			return rc;
	} else {
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%ld: unexpected element <%s> where a CLIXML value was "
		    "expected", c->name, irmf_xml_line(el), tag);
	}
	*out = n;
	return IRMF_OK;
}

/* ------------------------------------------------------ RefId tables */

static int
cmp_node_refid(const void *a, const void *b)
{
	const irmf_cx_node *x = *(irmf_cx_node *const *)a;
	const irmf_cx_node *y = *(irmf_cx_node *const *)b;

	return strcmp(x->refid, y->refid);
}

static int
cmp_tn_refid(const void *a, const void *b)
{
	const irmf_cx_types *x = *(irmf_cx_types *const *)a;
	const irmf_cx_types *y = *(irmf_cx_types *const *)b;

	return strcmp(x->refid, y->refid);
}

/* Resolve <Ref> and <TNRef> through sorted tables of Obj and TN RefIds. */
static int
resolve_refs(cx_ctx *c)
{
	irmf_clixml_doc *d = c->doc;
	irmf_cx_node **objs = NULL;
	irmf_cx_types **tns = NULL;
	size_t nobjs = 0, ntns = 0;
	int rc = IRMF_OK;

	objs = malloc((d->nall + 1) * sizeof(*objs));
	tns = malloc((d->ntns + 1) * sizeof(*tns));
	if (objs == NULL || tns == NULL) {
		rc = irmf_error_oom();
		goto cleanup;
	}
	for (size_t i = 0; i < d->nall; i++)
		if (d->all[i]->kind == IRMF_CX_OBJ && d->all[i]->refid)
			objs[nobjs++] = d->all[i];
	for (size_t i = 0; i < d->ntns; i++)
		if (d->tns[i]->refid != NULL)
			tns[ntns++] = d->tns[i];
	qsort(objs, nobjs, sizeof(*objs), cmp_node_refid);
	qsort(tns, ntns, sizeof(*tns), cmp_tn_refid);
	for (size_t i = 1; i < nobjs; i++)
		if (strcmp(objs[i - 1]->refid, objs[i]->refid) == 0) {
			const irmf_cx_node *late = objs[i]->line >
			    objs[i - 1]->line ? objs[i] : objs[i - 1];
			rc = irmf_error_set(IRMF_EPARSE,
			    "%s:%ld: second object with RefId '%s'", c->name,
			    late->line, late->refid);
			goto cleanup;
		}
	for (size_t i = 0; i < d->nall; i++) {
		irmf_cx_node *n = d->all[i], key, *kp = &key, **hit;
		irmf_cx_types tkey, *tkp = &tkey, **thit;

		if (n->kind == IRMF_CX_REF) {
			key.refid = n->refid;
			hit = bsearch(&kp, objs, nobjs, sizeof(*objs),
			    cmp_node_refid);
			if (hit == NULL) {
				rc = irmf_error_set(IRMF_EPARSE,
				    "%s:%ld: <Ref> to unknown RefId '%s'",
				    c->name, n->line, n->refid);
				goto cleanup;
			}
			n->target = *hit;
		} else if (n->tnref_ != NULL) {
			tkey.refid = n->tnref_;
			thit = bsearch(&tkp, tns, ntns, sizeof(*tns),
			    cmp_tn_refid);
			if (thit == NULL) {
				rc = irmf_error_set(IRMF_EPARSE,
				    "%s:%ld: <TNRef> to unknown RefId '%s'",
				    c->name, n->line, n->tnref_);
				goto cleanup;
			}
			n->types = *thit;
		}
	}
cleanup:
	free(objs);
	free(tns);
	return rc;
}

/* ---------------------------------------------------------- document */

static bool
ns_ok(const xmlNode *root)
{
	return root->ns == NULL || root->ns->href == NULL ||
	    strcmp((const char *)root->ns->href, IRMF_CLIXML_NS) == 0;
}

int
irmf_clixml_doc_parse(irmf_clixml_doc **out, const char *buf, size_t len,
    const char *name)
{
	xmlDocPtr dom = NULL;
	xmlNodePtr root;
	irmf_clixml_doc *doc = NULL;
	cx_ctx c;
	int rc;

	*out = NULL;
	if (name == NULL)
		name = "<input>";
	if (len > IRMF_CLIXML_MAX_BYTES)
		return irmf_error_set(IRMF_ELIMIT,
		    "%s: %zu bytes is more than the 64 MiB limit", name, len);
	if ((rc = irmf_xml_read_memory(&dom, buf, len, name, NULL, NULL)) < 0)
		return rc;
	root = xmlDocGetRootElement(dom);
	if (root == NULL || !is_el(root, "Objs") || !ns_ok(root)) {
		rc = irmf_error_set(IRMF_EPARSE,
		    "%s:%ld: root element is <%s>, not a PowerShell CLIXML "
		    "<Objs>", name, root ? irmf_xml_line(root) : 1L,
		    root ? (const char *)root->name : "");
		goto cleanup;
	}
	if ((doc = calloc(1, sizeof(*doc))) == NULL) {
		rc = irmf_error_oom();
		goto cleanup;
	}
	c.doc = doc;
	c.name = name;
	if ((rc = convert_children(&c, root, 0, &doc->roots, &doc->nroots,
	    &doc->caproots)) < 0 || (rc = resolve_refs(&c)) < 0)
		goto cleanup;
	*out = doc;
	doc = NULL;
cleanup:
	irmf_clixml_doc_free(doc);
	xmlFreeDoc(dom);
	return rc;
}

void
irmf_clixml_doc_free(irmf_clixml_doc *doc)
{
	if (doc == NULL)
		return;
	for (size_t i = 0; i < doc->nall; i++)
		node_free(doc->all[i]);
	for (size_t i = 0; i < doc->ntns; i++) {
		for (size_t j = 0; j < doc->tns[i]->n; j++)
			free(doc->tns[i]->names[j]);
		free(doc->tns[i]->names);
		free(doc->tns[i]->refid);
		free(doc->tns[i]);
	}
	free(doc->all);
	free(doc->tns);
	free(doc->roots);
	free(doc);
}

size_t
irmf_clixml_doc_nroots(const irmf_clixml_doc *doc)
{
	return doc->nroots;
}

const irmf_cx_node *
irmf_clixml_doc_root(const irmf_clixml_doc *doc, size_t i)
{
	return i < doc->nroots ? doc->roots[i] : NULL;
}

/* ---------------------------------------------------------- accessors */

const irmf_cx_node *
irmf_cx_deref(const irmf_cx_node *n)
{
	return n != NULL && n->kind == IRMF_CX_REF ? n->target : n;
}

/* A type name without the prefixes PowerShell adds to copies. */
static const char *
bare_type(const char *t)
{
	if (strncmp(t, "Deserialized.", 13) == 0)
		t += 13;
	if (strncmp(t, "Selected.", 9) == 0)
		t += 9;
	return t;
}

bool
irmf_cx_is_type(const irmf_cx_node *n, const char *type)
{
	n = irmf_cx_deref(n);
	if (n == NULL || n->types == NULL)
		return false;
	for (size_t i = 0; i < n->types->n; i++)
		if (strcasecmp(bare_type(n->types->names[i]), type) == 0)
			return true;
	return false;
}

bool
irmf_cx_type_has_prefix(const irmf_cx_node *n, const char *prefix)
{
	n = irmf_cx_deref(n);
	if (n == NULL || n->types == NULL)
		return false;
	for (size_t i = 0; i < n->types->n; i++)
		if (strncasecmp(bare_type(n->types->names[i]), prefix,
		    strlen(prefix)) == 0)
			return true;
	return false;
}

const char *
irmf_cx_type_name(const irmf_cx_node *n)
{
	n = irmf_cx_deref(n);
	if (n == NULL || n->types == NULL || n->types->n == 0)
		return NULL;
	return n->types->names[0];
}

const irmf_cx_node *
irmf_cx_member(const irmf_cx_node *obj, const char *name)
{
	obj = irmf_cx_deref(obj);
	if (obj == NULL || obj->kind != IRMF_CX_OBJ)
		return NULL;
	for (size_t i = 0; i < obj->nprops; i++)
		if (irmf_streq_ci(obj->props[i]->name, name))
			return irmf_cx_deref(obj->props[i]);
	for (size_t i = 0; i < obj->nms; i++)
		if (irmf_streq_ci(obj->ms[i]->name, name))
			return irmf_cx_deref(obj->ms[i]);
	return NULL;
}

const char *
irmf_cx_member_text(const irmf_cx_node *obj, const char *name)
{
	const irmf_cx_node *m = irmf_cx_member(obj, name);

	return m != NULL && m->kind == IRMF_CX_PRIM ? m->text : NULL;
}

/* --------------------------------------------------------------- sniff */

bool
irmf_clixml_sniff(const char *buf, size_t len)
{
	char pre[IRMF_XMLSNIFF_WINDOW + 1];
	const char *tag;

	if (buf == NULL)
		return false;
	irmf_xml_sniff_prefix(buf, len, pre, sizeof(pre));
	tag = irmf_xml_sniff_first_tag(pre);
	return irmf_xml_sniff_tag_is(tag, "Objs") &&
	    strstr(tag, IRMF_CLIXML_NS) != NULL;
}
