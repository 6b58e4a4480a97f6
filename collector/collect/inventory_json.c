/*
 * inventory_json.c - the JSON inventory reader, with jansson: the output
 * of `ansible-inventory --list` (and of inventory scripts), where each
 * group is {"hosts": [...], "children": [...], "vars": {...}} (or a plain
 * list of hosts) and "_meta": {"hostvars": {HOST: {...}}} holds each
 * host's variables - group_vars/ and host_vars/ already merged in by
 * Ansible, which is why none are read beside a JSON inventory.
 *
 * A .json file in the shape of a YAML inventory (groups whose "hosts" is
 * a mapping, as Ansible's YAML plugin reads .json files) goes to the YAML
 * reader.  JSON values have no line numbers in jansson: where a variable
 * came from is its path, "inv.json:_meta.hostvars.ex01.ansible_port".
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "inventory_int.h"

typedef struct jrd {
	inv_raw *r;
	const char *file;
} jrd;

static const char *
where_at(jrd *j, const char *path, const char *key)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s:%s%s%s", j->file, path, key ? "." : "",
	    key ? key : "");
	return inv_where(j->r, buf, 0);
}

/* A JSON value as the string Ansible would see (Python's str()). */
static int
set_json_var(jrd *j, inv_varlist *l, const char *key, json_t *v,
    const char *where)
{
	char num[64];
	const char *s = "";
	enum inv_kind kind = INV_SCALAR;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		if (strlen(s) != json_string_length(v))
			return irmf_error_set(IRMF_EPARSE, "%s: NUL character "
			    "in a value", where);
		break;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		s = num;
		break;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		s = num;
		break;
	case JSON_TRUE:
		s = "True";
		break;
	case JSON_FALSE:
		s = "False";
		break;
	case JSON_NULL:
		kind = INV_NULL;
		break;
	default:
		kind = INV_COMPLEX;
		break;
	}
	(void)j;
	return inv_set_var(l, key, s, kind, where);
}

static int
read_vars(jrd *j, json_t *obj, inv_varlist *l, const char *path)
{
	const char *key;
	json_t *v;
	int rc = IRMF_OK;

	if (!json_is_object(obj))
		return irmf_error_set(IRMF_EPARSE, "%s:%s: expected an object "
		    "of variables", j->file, path);
	json_object_foreach(obj, key, v) {
		if ((rc = set_json_var(j, l, key, v, where_at(j, path, key))) != 0)
			break;
	}
	return rc;
}

/* A list of names: hosts of group gi, or its children. */
static int
read_names(jrd *j, size_t gi, json_t *a, const char *path, bool children)
{
	size_t i;
	json_t *v;
	int rc = IRMF_OK;

	if (!json_is_array(a))
		return irmf_error_set(IRMF_EPARSE, "%s:%s: expected a list of "
		    "names", j->file, path);
	json_array_foreach(a, i, v) {
		const char *where = where_at(j, path, NULL);
		size_t *his = NULL, n = 0;

		if (!json_is_string(v))
			return irmf_error_set(IRMF_EPARSE, "%s:%s[%zu]: expected "
			    "a name", j->file, path, i);
		if (children)
			rc = inv_child(j->r, gi, json_string_value(v), where);
		else
			rc = inv_hosts(j->r, gi, json_string_value(v), where, &his,
			    &n);
		free(his);
		if (rc != 0)
			break;
	}
	return rc;
}

static int
read_group(jrd *j, const char *name, json_t *g)
{
	char path[600];
	const char *key;
	json_t *v;
	size_t gi;
	int rc;

	if ((rc = inv_add_group(j->r, name, where_at(j, name, NULL), &gi)) != 0)
		return rc;
	if (json_is_array(g))   /* a script's {"group": ["h1", "h2"]} */
		return read_names(j, gi, g, name, false);
	if (!json_is_object(g)) {
		inv_warn(j->r, "%s:%s: skipped: not a group (an object with "
		    "hosts, children, vars)", j->file, name);
		return IRMF_OK;
	}
	json_object_foreach(g, key, v) {
		snprintf(path, sizeof(path), "%s.%s", name, key);
		if (!strcmp(key, "hosts"))
			rc = read_names(j, gi, v, path, false);
		else if (!strcmp(key, "children"))
			rc = read_names(j, gi, v, path, true);
		else if (!strcmp(key, "vars"))
			rc = read_vars(j, v, &j->r->groups[gi].vars[
			    INV_LAYER_INVENTORY], path);
		else
			inv_warn(j->r, "%s:%s: skipped (only hosts, children "
			    "and vars are read)", j->file, path);
		if (rc != 0)
			break;
	}
	return rc;
}

static int
read_hostvars(jrd *j, json_t *meta)
{
	json_t *hv = json_object_get(meta, "hostvars"), *v;
	const char *host;
	char path[600];
	int rc = IRMF_OK;

	if (hv == NULL)
		return IRMF_OK;
	if (!json_is_object(hv))
		return irmf_error_set(IRMF_EPARSE, "%s:_meta.hostvars: expected "
		    "an object", j->file);
	json_object_foreach(hv, host, v) {
		size_t hi;

		snprintf(path, sizeof(path), "_meta.hostvars.%s", host);
		if ((rc = inv_add_host(j->r, host, where_at(j, path, NULL),
		    &hi)) != 0 ||
		    (rc = read_vars(j, v, &j->r->hosts[hi].vars[
		    INV_LAYER_INVENTORY], path)) != 0)
			break;
	}
	return rc;
}

/* Whether root is ansible-inventory --list's shape rather than a YAML
 * inventory written as JSON: _meta, or a group whose hosts is a list. */
static bool
list_shape(json_t *root)
{
	const char *key;
	json_t *g;

	if (json_object_get(root, "_meta") != NULL)
		return true;
	json_object_foreach(root, key, g) {
		if (json_is_array(g) || json_is_array(json_object_get(g, "hosts")))
			return true;
	}
	return false;
}

int
inv_read_json(inv_raw *r, const char *buf, size_t len, const char *file)
{
	jrd j = { r, file };
	json_error_t err;
	json_t *root, *g;
	const char *name;
	int rc = IRMF_OK;

	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL)
		return irmf_error_set(IRMF_EPARSE, "%s:%d:%d: %s", file, err.line,
		    err.column, err.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return irmf_error_set(IRMF_EPARSE, "%s: expected a JSON object "
		    "(the output of ansible-inventory --list)", file);
	}
	if (!list_shape(root)) {
		json_decref(root);
		return inv_read_yaml(r, buf, len, file);
	}
	json_object_foreach(root, name, g) {
		if (strcmp(name, "_meta") != 0 &&
		    (rc = read_group(&j, name, g)) != 0)
			break;
	}
	if (rc == 0 && (g = json_object_get(root, "_meta")) != NULL)
		rc = json_is_object(g) ? read_hostvars(&j, g) :
		    irmf_error_set(IRMF_EPARSE, "%s:_meta: expected an object",
		    file);
	json_decref(root);
	return rc;
}
