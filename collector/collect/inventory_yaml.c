/*
 * inventory_yaml.c - the Ansible YAML inventory reader, and the reader of
 * the group_vars/ and host_vars/ files (YAML or JSON), with libyaml.
 *
 * The shape is Ansible's YAML inventory plugin's: a mapping of groups
 * (usually just `all:`), each a mapping with `hosts:` (host patterns, as
 * in INI: ranges and name:port, each with a mapping of its variables),
 * `vars:` and `children:` (groups again).  As Ansible does, an empty
 * entry is skipped, a string where a mapping is expected is a one-key
 * mapping, an unknown key in a group is a warning; a list where Ansible
 * requires a mapping is an error naming file:line:column.  YAML merge
 * keys (`<<: *anchor`) apply in variable mappings.  Anchors and aliases
 * are followed with a bound on the nodes visited, so an alias bomb is an
 * error, not an hour of work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "error.h"
#include "inventory_int.h"

/* Nodes visited per document, aliases counted each time they are
 * followed. */
#define MAX_VISITS ((size_t)4 * IRMF_INVENTORY_MAX_HOSTS)

typedef struct yrd {
	inv_raw *r;
	const char *file;
	yaml_document_t doc;
	size_t visits;
} yrd;

static yaml_node_t *
node(yrd *y, int i)
{
	return yaml_document_get_node(&y->doc, i);
}

static const char *
where_of(yrd *y, const yaml_node_t *n)
{
	return inv_where(y->r, y->file, n->start_mark.line + 1);
}

static int
visit(yrd *y, const yaml_node_t *n)
{
	if (++y->visits > MAX_VISITS)
		return irmf_error_set(IRMF_ELIMIT, "%s:%zu:%zu: more than %zu "
		    "YAML nodes to read (aliases repeating a large part?)",
		    y->file, n->start_mark.line + 1, n->start_mark.column + 1,
		    MAX_VISITS);
	return IRMF_OK;
}

static int
bad(yrd *y, const yaml_node_t *n, const char *what)
{
	return irmf_error_set(IRMF_EPARSE, "%s:%zu:%zu: %s", y->file,
	    n->start_mark.line + 1, n->start_mark.column + 1, what);
}

static bool
is_null(const yaml_node_t *n)
{
	const char *v;

	if (n == NULL)
		return true;
	if (n->type != YAML_SCALAR_NODE)
		return false;
	if (n->tag && strcmp((const char *)n->tag, YAML_NULL_TAG) == 0)
		return true;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = (const char *)n->data.scalar.value;
	return !strcmp(v, "") || !strcmp(v, "~") || !strcmp(v, "null") ||
	    !strcmp(v, "Null") || !strcmp(v, "NULL");
}

/* The text of a scalar node; NULL (and an error) for another node or a
 * scalar with a NUL in it. */
static const char *
text(yrd *y, const yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE) {
		char msg[200];

		snprintf(msg, sizeof(msg), "%s must be a plain value", what);
		bad(y, n, msg);
		return NULL;
	}
	if (memchr(n->data.scalar.value, '\0', n->data.scalar.length)) {
		bad(y, n, "NUL character in a value");
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/* ----------------------------------------------------------- variables */

static int read_vars(yrd *y, const yaml_node_t *m, inv_varlist *l,
    int depth);

/* `<<: *anchor` (or a list of them): the merged mapping's variables,
 * before the mapping's own, which win. */
static int
merge(yrd *y, const yaml_node_t *v, inv_varlist *l, int depth)
{
	int rc = IRMF_OK;

	if (v->type == YAML_MAPPING_NODE)
		return read_vars(y, v, l, depth + 1);
	if (v->type != YAML_SEQUENCE_NODE)
		return bad(y, v, "a merge key ('<<') needs a mapping");
	for (yaml_node_item_t *i = v->data.sequence.items.start;
	    i < v->data.sequence.items.top && rc == 0; i++) {
		yaml_node_t *m = node(y, *i);

		if (m == NULL || m->type != YAML_MAPPING_NODE)
			return bad(y, v, "a merge key ('<<') needs mappings");
		rc = read_vars(y, m, l, depth + 1);
	}
	return rc;
}

static int
one_var(yrd *y, const yaml_node_t *k, const yaml_node_t *v, inv_varlist *l)
{
	const char *key = text(y, k, "a variable name"), *val = "";
	enum inv_kind kind = INV_SCALAR;

	if (key == NULL)
		return IRMF_EPARSE;
	if (is_null(v))
		kind = INV_NULL;
	else if (v->type != YAML_SCALAR_NODE ||
	    (v->tag && strcmp((const char *)v->tag, "!vault") == 0))
		kind = INV_COMPLEX;   /* a list, a mapping or a secret */
	else if ((val = text(y, v, "a value")) == NULL)
		return IRMF_EPARSE;
	return inv_set_var(l, key, val, kind, where_of(y, k));
}

static int
read_vars(yrd *y, const yaml_node_t *m, inv_varlist *l, int depth)
{
	yaml_node_pair_t *p;
	int rc = IRMF_OK;

	if (is_null(m))
		return IRMF_OK;
	if ((rc = visit(y, m)) != 0)
		return rc;
	if (depth > INV_MAX_DEPTH)
		return bad(y, m, "merge keys nested too deep");
	if (m->type != YAML_MAPPING_NODE)
		return bad(y, m, "expected a mapping of variables (name: value)");
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top &&
	    rc == 0; p++) {
		yaml_node_t *k = node(y, p->key), *v = node(y, p->value);

		if (k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, "<<") == 0)
			rc = merge(y, v, l, depth);
	}
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top &&
	    rc == 0; p++) {
		yaml_node_t *k = node(y, p->key), *v = node(y, p->value);

		if (k->type != YAML_SCALAR_NODE ||
		    strcmp((const char *)k->data.scalar.value, "<<") != 0)
			rc = one_var(y, k, v, l);
	}
	return rc;
}

/* -------------------------------------------------------------- groups */

static int read_group(yrd *y, const yaml_node_t *key, const yaml_node_t *data,
    int depth, size_t *gi);

static int
read_hosts(yrd *y, size_t gi, const yaml_node_t *m)
{
	int rc = IRMF_OK;

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	    p < m->data.mapping.pairs.top && rc == 0; p++) {
		yaml_node_t *k = node(y, p->key), *v = node(y, p->value);
		const char *pattern = text(y, k, "a host name");
		size_t *his = NULL, n = 0;

		if (pattern == NULL || (rc = visit(y, k)) != 0)
			return pattern ? rc : IRMF_EPARSE;
		if ((rc = inv_hosts(y->r, gi, pattern, where_of(y, k), &his,
		    &n)) != 0)
			return rc;
		if (!is_null(v) && v->type != YAML_MAPPING_NODE)
			rc = bad(y, v, "a host's variables must be a mapping "
			    "(name: value)");
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = read_vars(y, v, &y->r->hosts[his[i]].vars[
			    INV_LAYER_INVENTORY], 0);
		free(his);
	}
	return rc;
}

static int
read_children(yrd *y, size_t gi, const yaml_node_t *m, int depth)
{
	int rc = IRMF_OK;

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	    p < m->data.mapping.pairs.top && rc == 0; p++) {
		yaml_node_t *k = node(y, p->key), *v = node(y, p->value);
		size_t ci;

		if ((rc = read_group(y, k, v, depth + 1, &ci)) == 0 &&
		    ci != INV_NONE)
			rc = inv_child(y->r, gi, y->r->groups[ci].name,
			    where_of(y, k));
	}
	return rc;
}

/* One entry (hosts, vars, children) of group gi. */
static int
group_entry(yrd *y, size_t gi, const char *key, const yaml_node_t *v,
    int depth)
{
	const char *name = y->r->groups[gi].name;
	bool section = !strcmp(key, "hosts") || !strcmp(key, "vars") ||
	    !strcmp(key, "children");

	if (is_null(v))
		return IRMF_OK;
	if (section && v->type == YAML_SCALAR_NODE) {
		/* Ansible reads "hosts: ex01" as {ex01: null} */
		const char *one = text(y, v, "a name");
		size_t *his = NULL, n = 0;
		int rc;

		if (one == NULL)
			return IRMF_EPARSE;
		if (!strcmp(key, "vars"))
			return bad(y, v, "vars: must be a mapping");
		if (!strcmp(key, "children"))
			return inv_child(y->r, gi, one, where_of(y, v));
		rc = inv_hosts(y->r, gi, one, where_of(y, v), &his, &n);
		free(his);
		return rc;
	}
	if (v->type != YAML_MAPPING_NODE) {
		char msg[300];

		if (!section) {
			inv_warn(y->r, "%s: key '%s' of group '%s' skipped (only "
			    "hosts, vars and children are read)", where_of(y, v),
			    key, name);
			return IRMF_OK;
		}
		snprintf(msg, sizeof(msg), "%s: of group '%s' must be a mapping "
		    "(name: ...), not a list", key, name);
		return bad(y, v, msg);
	}
	if (!strcmp(key, "vars"))
		return read_vars(y, v, &y->r->groups[gi].vars[
		    INV_LAYER_INVENTORY], 0);
	if (!strcmp(key, "hosts"))
		return read_hosts(y, gi, v);
	if (!strcmp(key, "children"))
		return read_children(y, gi, v, depth);
	inv_warn(y->r, "%s: key '%s' of group '%s' skipped (only hosts, vars "
	    "and children are read)", where_of(y, v), key, name);
	return IRMF_OK;
}

static int
read_group(yrd *y, const yaml_node_t *key, const yaml_node_t *data,
    int depth, size_t *gi)
{
	const char *name = text(y, key, "a group name");
	int rc;

	*gi = INV_NONE;
	if (name == NULL)
		return IRMF_EPARSE;
	if ((rc = visit(y, key)) != 0)
		return rc;
	if (depth > INV_MAX_DEPTH)
		return irmf_error_set(IRMF_ELIMIT, "%s:%zu:%zu: group '%s' is "
		    "nested more than %d levels deep in children", y->file,
		    key->start_mark.line + 1, key->start_mark.column + 1, name,
		    INV_MAX_DEPTH);
	if (!is_null(data) && data->type != YAML_MAPPING_NODE) {
		inv_warn(y->r, "%s: '%s' skipped: not a group (a group is a "
		    "mapping with hosts, vars, children)", where_of(y, key),
		    name);
		return IRMF_OK;
	}
	if ((rc = inv_add_group(y->r, name, where_of(y, key), gi)) != 0 ||
	    is_null(data))
		return rc;
	for (yaml_node_pair_t *p = data->data.mapping.pairs.start;
	    p < data->data.mapping.pairs.top && rc == 0; p++) {
		yaml_node_t *k = node(y, p->key), *v = node(y, p->value);
		const char *ks = text(y, k, "a group's key");

		rc = ks ? group_entry(y, *gi, ks, v, depth) : IRMF_EPARSE;
	}
	return rc;
}

/* ---------------------------------------------------------- documents */

/* Load the first document of buf into y->doc; its root, or NULL when it
 * is empty. */
static int
load(yrd *y, const char *buf, size_t len, yaml_node_t **root)
{
	yaml_parser_t parser;
	int rc = IRMF_OK;

	*root = NULL;
	if (len > IRMF_INVENTORY_MAX_BYTES)
		return irmf_error_set(IRMF_ELIMIT, "%s: larger than %zu bytes",
		    y->file, IRMF_INVENTORY_MAX_BYTES);
	if (!yaml_parser_initialize(&parser))
		return irmf_error_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		rc = irmf_error_set(parser.error == YAML_MEMORY_ERROR ?
		    IRMF_ENOMEM : IRMF_EPARSE, "%s:%zu:%zu: %s%s%s", y->file,
		    parser.problem_mark.line + 1, parser.problem_mark.column + 1,
		    parser.problem ? parser.problem : "YAML error",
		    parser.context ? " " : "",
		    parser.context ? parser.context : "");
		memset(&y->doc, 0, sizeof(y->doc));
	} else {
		*root = yaml_document_get_root_node(&y->doc);
	}
	yaml_parser_delete(&parser);
	return rc;
}

int
inv_read_yaml(inv_raw *r, const char *buf, size_t len, const char *file)
{
	yrd y;
	yaml_node_t *root;
	int rc;

	memset(&y, 0, sizeof(y));
	y.r = r;
	y.file = file;

	if ((rc = load(&y, buf, len, &root)) != 0)
		return rc;
	if (root != NULL && !is_null(root) && root->type != YAML_MAPPING_NODE)
		rc = bad(&y, root, "a YAML inventory is a mapping of groups "
		    "(all: with hosts:, vars:, children:)");
	else if (root != NULL && !is_null(root))
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		    p < root->data.mapping.pairs.top && rc == 0; p++) {
			size_t gi;

			rc = read_group(&y, node(&y, p->key),
			    node(&y, p->value), 1, &gi);
		}
	yaml_document_delete(&y.doc);
	return rc;
}

int
inv_read_vars_yaml(inv_raw *r, inv_varlist *l, const char *buf, size_t len,
    const char *file)
{
	yrd y;
	yaml_node_t *root;
	int rc;

	memset(&y, 0, sizeof(y));
	y.r = r;
	y.file = file;

	if ((rc = load(&y, buf, len, &root)) != 0)
		return rc;
	if (root != NULL)
		rc = read_vars(&y, root, l, 0);
	yaml_document_delete(&y.doc);
	return rc;
}
