/*
 * inventory_raw.c - building the inventory as written (inventory_int.h),
 * the part every reader shares: groups and hosts by name, memberships,
 * children edges, variables with where they were written, warnings, and
 * Ansible's host patterns (ranges "ex[01:20]", letters "db-[a:f]",
 * "name:port"), which INI and YAML inventories both allow.
 */
#include <ctype.h>
#include <errno.h>
#include <search.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "inventory_int.h"
#include "snapshot_int.h"

/* a name -> index entry of a tsearch(3) tree */
typedef struct name_ix {
	const char *name;
	size_t ix;
} name_ix;

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(((const name_ix *)a)->name, ((const name_ix *)b)->name);
}

/* Host names are compared as Windows and compare do: without case. */
static int
cmp_name_ci(const void *a, const void *b)
{
	return strcasecmp(((const name_ix *)a)->name,
	    ((const name_ix *)b)->name);
}

static void
index_free(void **root, int (*cmp)(const void *, const void *))
{
	while (*root != NULL) {
		name_ix *e = *(name_ix **)*root;

		tdelete(e, root, cmp);
		free(e);
	}
}

/* Insert name -> ix into a tree (name must outlive the tree). */
static int
index_add(void **root, int (*cmp)(const void *, const void *),
    const char *name, size_t ix)
{
	name_ix *e = malloc(sizeof(*e));

	if (e == NULL)
		return irmf_error_oom();
	e->name = name;
	e->ix = ix;
	if (tsearch(e, root, cmp) == NULL) {
		free(e);
		return irmf_error_oom();
	}
	return IRMF_OK;
}

static const name_ix *
index_find(void *const *root, int (*cmp)(const void *, const void *),
    const char *name)
{
	name_ix key = { name, 0 };
	void *node = tfind(&key, root, cmp);

	return node ? *(name_ix **)node : NULL;
}

/* ---------------------------------------------------------- variables */

static void
varlist_clear(inv_varlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
inv_set_var(inv_varlist *l, const char *key, const char *value,
    enum inv_kind kind, const char *where)
{
	char *k = NULL, *v = NULL;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0) {
			if (irmf_set_str(&l->v[i].value, value) != 0)
				return IRMF_ENOMEM;
			l->v[i].where = where;
			l->v[i].kind = kind;
			l->v[i].reported = false;
			return IRMF_OK;
		}
	if (irmf_grow((void **)&l->v, &l->cap, l->n, sizeof(inv_var)) != 0)
		return IRMF_ENOMEM;
	if ((k = irmf_strdup(key)) == NULL || (v = irmf_strdup(value)) == NULL) {
		free(k);
		return IRMF_ENOMEM;
	}
	l->v[l->n].key = k;
	l->v[l->n].value = v;
	l->v[l->n].where = where;
	l->v[l->n].kind = kind;
	l->v[l->n].reported = false;
	l->n++;
	return IRMF_OK;
}

const inv_var *
inv_get_var(const inv_varlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return &l->v[i];
	return NULL;
}

/* ------------------------------------------------------------- raw */

int
inv_raw_init(inv_raw *r)
{
	size_t gi;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = irmf_strpool_new(&r->pool)) != 0)
		return rc;
	/* ungrouped first: hosts before any section go to group 0 */
	if ((rc = inv_add_group(r, "ungrouped", "", &gi)) != 0 ||
	    (rc = inv_add_group(r, "all", "", &gi)) != 0)
		return rc;
	return IRMF_OK;
}

void
inv_raw_clear(inv_raw *r)
{
	index_free(&r->group_ix, cmp_name);
	index_free(&r->host_ix, cmp_name_ci);
	for (size_t i = 0; i < r->ngroups; i++) {
		free(r->groups[i].name);
		free(r->groups[i].children);
		for (int l = 0; l < INV_NLAYERS; l++)
			varlist_clear(&r->groups[i].vars[l]);
	}
	free(r->groups);
	for (size_t i = 0; i < r->nhosts; i++) {
		free(r->hosts[i].name);
		for (int l = 0; l < INV_NLAYERS; l++)
			varlist_clear(&r->hosts[i].vars[l]);
	}
	free(r->hosts);
	free(r->edges);
	free(r->members);
	for (size_t i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	irmf_strpool_free(r->pool);
	memset(r, 0, sizeof(*r));
}

const char *
inv_where(inv_raw *r, const char *file, size_t line)
{
	char buf[1200];
	const char *s;

	if (line > 0)
		snprintf(buf, sizeof(buf), "%s:%zu", file, line);
	else
		snprintf(buf, sizeof(buf), "%s", file);
	s = irmf_strpool_intern(r->pool, buf);
	return s ? s : file;   /* out of memory: the file alone will do */
}

void
inv_warn(inv_raw *r, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	char *s;

	if (r->nwarnings >= INV_MAX_WARNINGS) {
		r->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (irmf_grow((void **)&r->warnings, &r->capwarnings, r->nwarnings,
	    sizeof(char *)) != 0 || (s = irmf_strdup(buf)) == NULL) {
		irmf_error_clear();   /* a warning lost to OOM is not fatal */
		r->dropped++;
		return;
	}
	r->warnings[r->nwarnings++] = s;
}

bool
inv_group_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

/* Host names become snapshot file names and SSH addresses: letters,
 * digits, '.', '-', '_' only, not starting with '-' or '.'. */
static bool
valid_host_name(const char *s)
{
	if (*s == '\0' || *s == '-' || *s == '.' || strlen(s) > 253)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' &&
		    *s != '_')
			return false;
	return true;
}

int
inv_add_group(inv_raw *r, const char *name, const char *where, size_t *gi)
{
	const name_ix *e = index_find(&r->group_ix, cmp_name, name);
	inv_group *g;

	if (e != NULL) {
		*gi = e->ix;
		return IRMF_OK;
	}
	if (!inv_group_name_ok(name))
		return irmf_error_set(IRMF_EPARSE,
		    "%s: invalid group name '%s'", where, name);
	if (irmf_grow((void **)&r->groups, &r->capgroups, r->ngroups,
	    sizeof(inv_group)) != 0)
		return IRMF_ENOMEM;
	g = &r->groups[r->ngroups];
	memset(g, 0, sizeof(*g));
	if ((g->name = irmf_strdup(name)) == NULL)
		return IRMF_ENOMEM;
	r->ngroups++;   /* inv_raw_clear frees the name from here on */
	if (index_add(&r->group_ix, cmp_name, g->name, r->ngroups - 1) != 0)
		return IRMF_ENOMEM;
	*gi = r->ngroups - 1;
	return IRMF_OK;
}

/* Two hosts whose names differ only in case would be one server to
 * compare (and one snapshot file on a case-insensitive file system):
 * refused, naming both places. */
int
inv_add_host(inv_raw *r, const char *name, const char *where, size_t *hi)
{
	const name_ix *e = index_find(&r->host_ix, cmp_name_ci, name);
	inv_rawhost *h;

	if (e != NULL) {
		const inv_rawhost *o = &r->hosts[e->ix];

		if (strcmp(o->name, name) != 0)
			return irmf_error_set(IRMF_EPARSE,
			    "%s: host '%s' is host '%s' of %s in another "
			    "case; server names do not differ by case (use one "
			    "spelling)", where, name, o->name, o->where);
		*hi = e->ix;
		return IRMF_OK;
	}
	if (!valid_host_name(name))
		return irmf_error_set(IRMF_EPARSE,
		    "%s: invalid host name '%s'", where, name);
	if (r->nhosts >= IRMF_INVENTORY_MAX_HOSTS)
		return irmf_error_set(IRMF_ELIMIT, "%s: more than %d hosts",
		    where, IRMF_INVENTORY_MAX_HOSTS);
	if (irmf_grow((void **)&r->hosts, &r->caphosts, r->nhosts,
	    sizeof(inv_rawhost)) != 0)
		return IRMF_ENOMEM;
	h = &r->hosts[r->nhosts];
	memset(h, 0, sizeof(*h));
	if ((h->name = irmf_strdup(name)) == NULL)
		return IRMF_ENOMEM;
	h->where = where;
	r->nhosts++;
	if (index_add(&r->host_ix, cmp_name_ci, h->name, r->nhosts - 1) != 0)
		return IRMF_ENOMEM;
	*hi = r->nhosts - 1;
	return IRMF_OK;
}

int
inv_child(inv_raw *r, size_t parent, const char *child, const char *where)
{
	size_t ci;
	int rc;

	if (strcmp(child, "all") == 0)
		return irmf_error_set(IRMF_EPARSE,
		    "%s: 'all' cannot be a child group", where);
	if ((rc = inv_add_group(r, child, where, &ci)) != 0)
		return rc;
	/* a repeated edge is harmless: resolve counts it down twice */
	if (irmf_grow((void **)&r->edges, &r->capedges, r->nedges,
	    sizeof(inv_edge)) != 0)
		return IRMF_ENOMEM;
	r->edges[r->nedges].parent = parent;
	r->edges[r->nedges].child = ci;
	r->edges[r->nedges].where = where;
	r->nedges++;
	return IRMF_OK;
}

/* ------------------------------------------------------ host patterns */

typedef struct hostlist {
	size_t *v;
	size_t n, cap;
} hostlist;

static int pattern_add(inv_raw *r, size_t gi, const char *name,
    const char *where, hostlist *out);

/* Parse the "[a:b]" or "[a:b:step]" at lb..rb. */
static int
range_bounds(const char *lb, const char *rb, const char *where, char *lo,
    char *hi, long *step)
{
	char inner[64], st[16] = "1", *end;
	int nf;

	if (rb - lb - 1 >= (long)sizeof(inner))
		return irmf_error_set(IRMF_EPARSE, "%s: bad host range",
		    where);
	memcpy(inner, lb + 1, (size_t)(rb - lb - 1));
	inner[rb - lb - 1] = '\0';
	nf = sscanf(inner, "%31[^:]:%31[^:]:%15s", lo, hi, st);
	if (nf < 2)
		return irmf_error_set(IRMF_EPARSE,
		    "%s: bad host range '[%s]' (expected [start:end])", where,
		    inner);
	errno = 0;
	*step = strtol(st, &end, 10);
	if (*end || *step <= 0 || errno)
		return irmf_error_set(IRMF_EPARSE,
		    "%s: bad step in host range '[%s]'", where, inner);
	return IRMF_OK;
}

/* Expand the first range of name (numeric with optional zero padding,
 * or single letters) and go on with each result. */
static int
expand_range(inv_raw *r, size_t gi, const char *name, const char *lb,
    const char *where, hostlist *out)
{
	const char *rb = strchr(lb, ']');
	char lo[32], hi[32], buf[512];
	int plen = (int)(lb - name), rc;
	long step = 1, a, b;
	char *e1, *e2;

	if (rb == NULL || strlen(name) >= 256)
		return irmf_error_set(IRMF_EPARSE,
		    "%s: bad host range in '%s'", where, name);
	if ((rc = range_bounds(lb, rb, where, lo, hi, &step)) != 0)
		return rc;
	if (isalpha((unsigned char)lo[0]) && !lo[1] &&
	    isalpha((unsigned char)hi[0]) && !hi[1] && lo[0] <= hi[0]) {
		for (int c = lo[0]; c <= hi[0]; c += (int)step) {
			snprintf(buf, sizeof(buf), "%.*s%c%s", plen, name, c,
			    rb + 1);
			if ((rc = pattern_add(r, gi, buf, where, out)) != 0)
				return rc;
		}
		return IRMF_OK;
	}
	errno = 0;
	a = strtol(lo, &e1, 10);
	b = strtol(hi, &e2, 10);
	if (*e1 || *e2 || errno || a < 0 || b < a ||
	    !isdigit((unsigned char)lo[0]))
		return irmf_error_set(IRMF_EPARSE,
		    "%s: bad host range '[%.*s]' (expected [start:end])", where,
		    (int)(rb - lb - 1), lb + 1);
	if ((b - a) / step >= IRMF_INVENTORY_MAX_HOSTS)
		return irmf_error_set(IRMF_ELIMIT,
		    "%s: host range '[%.*s]' has more than %d hosts", where,
		    (int)(rb - lb - 1), lb + 1, IRMF_INVENTORY_MAX_HOSTS);
	int width = lo[0] == '0' ? (int)strlen(lo) : 0;
	for (long v = a; v <= b; v += step) {
		snprintf(buf, sizeof(buf), "%.*s%0*ld%s", plen, name, width, v,
		    rb + 1);
		if ((rc = pattern_add(r, gi, buf, where, out)) != 0)
			return rc;
	}
	return IRMF_OK;
}

static int
pattern_add(inv_raw *r, size_t gi, const char *name, const char *where,
    hostlist *out)
{
	const char *lb = strchr(name, '[');
	char hname[256], *colon;
	size_t hi;
	int rc;

	if (lb != NULL)
		return expand_range(r, gi, name, lb, where, out);
	snprintf(hname, sizeof(hname), "%s", name);
	if ((colon = strchr(hname, ':')) != NULL)
		*colon = '\0';
	if (!valid_host_name(hname))
		return irmf_error_set(IRMF_EPARSE,
		    "%s: invalid host name '%s'", where, name);
	if ((rc = inv_add_host(r, hname, where, &hi)) != 0)
		return rc;
	/* Ansible sets the pattern's port as the host's ansible_port */
	if (colon != NULL && (rc = inv_set_var(&r->hosts[hi].vars[
	    INV_LAYER_INVENTORY], "ansible_port", colon + 1, INV_SCALAR,
	    where)) != 0)
		return rc;
	/* a repeated membership is harmless to the resolver: no search
	 * here, which would make a big group quadratic */
	if (irmf_grow((void **)&r->members, &r->capmembers, r->nmembers,
	    sizeof(inv_member)) != 0 ||
	    irmf_grow((void **)&out->v, &out->cap, out->n, sizeof(size_t)) != 0)
		return IRMF_ENOMEM;
	r->members[r->nmembers].host = hi;
	r->members[r->nmembers].group = gi;
	r->nmembers++;
	out->v[out->n++] = hi;
	return IRMF_OK;
}

int
inv_hosts(inv_raw *r, size_t gi, const char *pattern, const char *where,
    size_t **his, size_t *n)
{
	hostlist l = { NULL, 0, 0 };
	int rc = pattern_add(r, gi, pattern, where, &l);

	if (rc != 0) {
		free(l.v);
		*his = NULL;
		*n = 0;
		return rc;
	}
	*his = l.v;
	*n = l.n;
	return IRMF_OK;
}
