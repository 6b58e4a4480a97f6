/*
 * inventory.c - parse an Ansible INI inventory into the list of hosts
 * irmfleet collects.
 *
 * Accepted syntax (a subset of Ansible's, so that an admin's existing
 * inventory works): comments ('#' or ';' lines, '#' tokens), host lines
 * `name [key=value ...]` under [group] (or before any section, ungrouped),
 * `name:port`, numeric and letter ranges `ex[01:12]`, `[group:vars]` and
 * `[all:vars]` with `key=value` lines, `[group:children]`.  Values follow
 * shlex rules as in Ansible (single/double quotes, backslash escapes).
 * Anything else is an error naming file:line.
 *
 * Parsing is two passes: the first records groups, hosts and variables as
 * written; resolve() then computes each host's roles and connection
 * settings with Ansible's precedence.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "inventory.h"
#include "plan.h"
#include "snapshot_int.h"

#define MAX_TOKENS 256

/* The variables a host's connection (and its optional Test-IRMConfiguration
 * item) take from the inventory, each with Ansible's precedence. */
enum { K_HOST, K_PORT, K_USER, K_SENDER, NKEYS };
#define MAX_DEPTH 64

typedef struct var {
	char *key, *value;
	size_t line;
} var;

typedef struct varlist {
	var *v;
	size_t n, cap;
} varlist;

typedef struct group {
	char *name;
	varlist vars;
	size_t *children;         /* edge indices (parser.edges) */
	size_t nchildren;
	size_t nparents;          /* in-degree, counted down while sorting */
	/* resolved over the group and its ancestors (resolve()) */
	int depth;
	size_t depth_line;        /* the [:children] line giving that depth */
	unsigned roles;
	size_t best[NKEYS];       /* group deciding each var_keys, or NONE */
} group;

/* "child" listed under [parent:children] at line */
typedef struct edge {
	size_t parent, child, line;
} edge;

/* host `host` listed under group `group` */
typedef struct member {
	size_t host, group;
} member;

typedef struct rawhost {
	char *name;
	size_t line;
	varlist vars;
} rawhost;

/* a name -> index entry of a tsearch(3) tree */
typedef struct name_ix {
	const char *name;
	size_t ix;
} name_ix;

typedef struct parser {
	const char *file;
	size_t line;
	group *groups;
	size_t ngroups, capgroups;
	rawhost *hosts;
	size_t nhosts, caphosts;
	edge *edges;
	size_t nedges, capedges;
	member *members;
	size_t nmembers, capmembers;
	void *group_ix, *host_ix;   /* tsearch trees of name_ix */
} parser;

#define NONE ((size_t)-1)

/* ----------------------------------------------------------- helpers */

static void
varlist_clear(varlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Set key=value in l (replacing an earlier value of the same key). */
static int
varlist_set(varlist *l, const char *key, const char *value, size_t line)
{
	char *k = NULL, *v = NULL;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0) {
			if (irmf_set_str(&l->v[i].value, value) != 0)
				return IRMF_ENOMEM;
			l->v[i].line = line;
			return IRMF_OK;
		}
	if (irmf_grow((void **)&l->v, &l->cap, l->n, sizeof(var)) != 0)
		return IRMF_ENOMEM;
	if ((k = irmf_strdup(key)) == NULL || (v = irmf_strdup(value)) == NULL) {
		free(k);
		return IRMF_ENOMEM;
	}
	l->v[l->n].key = k;
	l->v[l->n].value = v;
	l->v[l->n].line = line;
	l->n++;
	return IRMF_OK;
}

static const var *
varlist_get(const varlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return &l->v[i];
	return NULL;
}

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

static void
parser_clear(parser *p)
{
	index_free(&p->group_ix, cmp_name);
	index_free(&p->host_ix, cmp_name_ci);
	for (size_t i = 0; i < p->ngroups; i++) {
		free(p->groups[i].name);
		free(p->groups[i].children);
		varlist_clear(&p->groups[i].vars);
	}
	free(p->groups);
	for (size_t i = 0; i < p->nhosts; i++) {
		free(p->hosts[i].name);
		varlist_clear(&p->hosts[i].vars);
	}
	free(p->hosts);
	free(p->edges);
	free(p->members);
}

static bool
valid_group_name(const char *s)
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

/* ansible_host may also be an IPv6 literal. */
static bool
valid_address(const char *s)
{
	if (*s == '\0' || *s == '-' || strlen(s) > 253)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(".-_:%", *s))
			return false;
	return true;
}

/* Windows accounts: "admin", "CONTOSO\admin", "admin@contoso.com". */
static bool
valid_user(const char *s)
{
	if (*s == '\0' || *s == '-' || strlen(s) > 256)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(".-_\\@$", *s))
			return false;
	return true;
}

static int
find_group(parser *p, const char *name, group **out)
{
	const name_ix *e = index_find(&p->group_ix, cmp_name, name);
	group *g;

	if (e != NULL) {
		*out = &p->groups[e->ix];
		return IRMF_OK;
	}
	if (irmf_grow((void **)&p->groups, &p->capgroups, p->ngroups,
	    sizeof(group)) != 0)
		return IRMF_ENOMEM;
	g = &p->groups[p->ngroups];
	memset(g, 0, sizeof(*g));
	if ((g->name = irmf_strdup(name)) == NULL)
		return IRMF_ENOMEM;
	p->ngroups++;   /* parser_clear frees the name from here on */
	if (index_add(&p->group_ix, cmp_name, g->name, p->ngroups - 1) != 0)
		return IRMF_ENOMEM;
	*out = g;
	return IRMF_OK;
}

/* The host called `name`, added if new.  Two hosts whose names differ only
 * in case would be one server to compare (and one snapshot file on a
 * case-insensitive file system): refused here, naming both lines. */
static int
find_host(parser *p, const char *name, size_t *out)
{
	const name_ix *e = index_find(&p->host_ix, cmp_name_ci, name);
	rawhost *h;

	if (e != NULL) {
		const rawhost *o = &p->hosts[e->ix];

		if (strcmp(o->name, name) != 0)
			return irmf_error_set(IRMF_EPARSE,
			    "%s:%zu: host '%s' is host '%s' of line %zu in "
			    "another case; server names do not differ by case "
			    "(use one spelling)", p->file, p->line, name,
			    o->name, o->line);
		*out = e->ix;
		return IRMF_OK;
	}
	if (p->nhosts >= IRMF_INVENTORY_MAX_HOSTS)
		return irmf_error_set(IRMF_ELIMIT,
		    "%s:%zu: more than %d hosts", p->file, p->line,
		    IRMF_INVENTORY_MAX_HOSTS);
	if (irmf_grow((void **)&p->hosts, &p->caphosts, p->nhosts,
	    sizeof(rawhost)) != 0)
		return IRMF_ENOMEM;
	h = &p->hosts[p->nhosts];
	memset(h, 0, sizeof(*h));
	if ((h->name = irmf_strdup(name)) == NULL)
		return IRMF_ENOMEM;
	h->line = p->line;
	p->nhosts++;
	if (index_add(&p->host_ix, cmp_name_ci, h->name, p->nhosts - 1) != 0)
		return IRMF_ENOMEM;
	*out = p->nhosts - 1;
	return IRMF_OK;
}

/* ---------------------------------------------------------- tokenizer */

/*
 * Split a line like shlex.split(line, comments=True): whitespace separates
 * tokens, '...' is literal, "..." allows \" and \\, a backslash outside
 * quotes escapes the next character, '#' at a token start ends the line.
 * Tokens are written NUL-separated into `buf` (as long as the line).
 */
static int
tokenize(parser *p, const char *s, size_t n, char *buf, char **tok,
    size_t *ntok)
{
	size_t i = 0, o = 0;

	*ntok = 0;
	for (;;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= n || s[i] == '#')
			return IRMF_OK;
		if (*ntok == MAX_TOKENS)
			return irmf_error_set(IRMF_ELIMIT,
			    "%s:%zu: more than %d words on one line", p->file,
			    p->line, MAX_TOKENS);
		tok[(*ntok)++] = buf + o;
		while (i < n && s[i] != ' ' && s[i] != '\t') {
			char c = s[i++];

			if (c == '\'') {
				while (i < n && s[i] != '\'')
					buf[o++] = s[i++];
				if (i >= n)
					goto unterminated;
				i++;
			} else if (c == '"') {
				while (i < n && s[i] != '"') {
					if (s[i] == '\\' && i + 1 < n &&
					    (s[i + 1] == '"' || s[i + 1] == '\\'))
						i++;
					buf[o++] = s[i++];
				}
				if (i >= n)
					goto unterminated;
				i++;
			} else if (c == '\\') {
				if (i < n)
					buf[o++] = s[i++];
			} else {
				buf[o++] = c;
			}
		}
		buf[o++] = '\0';
	}
unterminated:
	return irmf_error_set(IRMF_EPARSE, "%s:%zu: unterminated quote",
	    p->file, p->line);
}

/* --------------------------------------------------------- host lines */

static int add_host_line(parser *p, group *g, char *name, char **tok,
    size_t ntok);

/*
 * Expand the first "[a:b]" or "[a:b:step]" range of `name` (Ansible host
 * patterns: numeric with optional zero padding, or single letters) and
 * recurse on each result.
 */
static int
expand_range(parser *p, group *g, const char *name, char **tok, size_t ntok,
    bool *expanded)
{
	const char *lb = strchr(name, '['), *rb;
	char lo[32], hi[32], st[16] = "1";
	char out[512];
	int r = IRMF_OK;

	*expanded = false;
	if (lb == NULL)
		return IRMF_OK;
	if ((rb = strchr(lb, ']')) == NULL || rb - lb - 1 >= 60)
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: bad host range in '%s'", p->file, p->line, name);
	char inner[64];
	memcpy(inner, lb + 1, (size_t)(rb - lb - 1));
	inner[rb - lb - 1] = '\0';
	int nf = sscanf(inner, "%31[^:]:%31[^:]:%15s", lo, hi, st);
	if (nf < 2 || strlen(name) >= 256)
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: bad host range '[%s]' (expected [start:end])",
		    p->file, p->line, inner);
	char *end;
	errno = 0;
	long step = strtol(st, &end, 10);
	if (*end || step <= 0 || errno)
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: bad step in host range '[%s]'", p->file, p->line,
		    inner);
	*expanded = true;
	int plen = (int)(lb - name);
	if (isalpha((unsigned char)lo[0]) && !lo[1] &&
	    isalpha((unsigned char)hi[0]) && !hi[1] && lo[0] <= hi[0]) {
		for (int c = lo[0]; c <= hi[0] && r == 0; c += (int)step) {
			snprintf(out, sizeof(out), "%.*s%c%s", plen, name, c,
			    rb + 1);
			r = add_host_line(p, g, out, tok, ntok);
		}
		return r;
	}
	long a, b;
	char *e1, *e2;
	errno = 0;
	a = strtol(lo, &e1, 10);
	b = strtol(hi, &e2, 10);
	if (*e1 || *e2 || errno || a < 0 || b < a || !isdigit((unsigned char)lo[0]))
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: bad host range '[%s]' (expected [start:end])",
		    p->file, p->line, inner);
	if ((b - a) / step >= IRMF_INVENTORY_MAX_HOSTS)
		return irmf_error_set(IRMF_ELIMIT,
		    "%s:%zu: host range '[%s]' has more than %d hosts",
		    p->file, p->line, inner, IRMF_INVENTORY_MAX_HOSTS);
	int width = lo[0] == '0' ? (int)strlen(lo) : 0;
	for (long v = a; v <= b && r == 0; v += step) {
		snprintf(out, sizeof(out), "%.*s%0*ld%s", plen, name, width, v,
		    rb + 1);
		r = add_host_line(p, g, out, tok, ntok);
	}
	return r;
}

static int
set_host_var(parser *p, rawhost *h, const char *tok)
{
	const char *eq = strchr(tok, '=');
	char key[128];

	if (eq == NULL || eq == tok || (size_t)(eq - tok) >= sizeof(key))
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: expected 'key=value' after host '%s', got '%s'",
		    p->file, p->line, h->name, tok);
	memcpy(key, tok, (size_t)(eq - tok));
	key[eq - tok] = '\0';
	return varlist_set(&h->vars, key, eq + 1, p->line);
}

static int
add_host_line(parser *p, group *g, char *name, char **tok, size_t ntok)
{
	bool expanded;
	char *colon;
	size_t hi = 0;
	int r;

	if ((r = expand_range(p, g, name, tok, ntok, &expanded)) != 0 ||
	    expanded)
		return r;
	char hname[256];
	snprintf(hname, sizeof(hname), "%s", name);
	colon = strchr(hname, ':');
	if (colon != NULL)
		*colon = '\0';
	if (!valid_host_name(hname))
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: invalid host name '%s'", p->file, p->line, name);
	if ((r = find_host(p, hname, &hi)) != 0)
		return r;
	if (colon != NULL &&
	    (r = varlist_set(&p->hosts[hi].vars, "ansible_port", colon + 1,
	    p->line)) != 0)
		return r;
	for (size_t i = 1; i < ntok; i++)
		if ((r = set_host_var(p, &p->hosts[hi], tok[i])) != 0)
			return r;
	/* a repeated membership is harmless to resolve(): no search here,
	 * which would make a big group quadratic */
	if (irmf_grow((void **)&p->members, &p->capmembers, p->nmembers,
	    sizeof(member)) != 0)
		return IRMF_ENOMEM;
	p->members[p->nmembers].host = hi;
	p->members[p->nmembers].group = (size_t)(g - p->groups);
	p->nmembers++;
	return IRMF_OK;
}

/* ------------------------------------------------------------ sections */

enum section { SEC_HOSTS, SEC_VARS, SEC_CHILDREN };

static int
parse_header(parser *p, const char *s, size_t n, group **g, enum section *sec)
{
	char name[128];
	const char *colon;
	size_t len;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n < 2 || s[n - 1] != ']')
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: unterminated section header '%.*s'", p->file,
		    p->line, (int)(n > 80 ? 80 : n), s);
	s++;
	n -= 2;
	colon = memchr(s, ':', n);
	len = colon ? (size_t)(colon - s) : n;
	if (len >= sizeof(name))
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: group name '%.40s...' longer than %zu characters",
		    p->file, p->line, s, sizeof(name) - 1);
	memcpy(name, s, len);
	name[len] = '\0';
	if (!valid_group_name(name))
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: invalid group name '%s'", p->file, p->line, name);
	*sec = SEC_HOSTS;
	if (colon != NULL) {
		size_t rest = n - len - 1;

		if (rest == 4 && memcmp(colon + 1, "vars", 4) == 0)
			*sec = SEC_VARS;
		else if (rest == 8 && memcmp(colon + 1, "children", 8) == 0)
			*sec = SEC_CHILDREN;
		else
			return irmf_error_set(IRMF_EPARSE,
			    "%s:%zu: unknown section type ':%.*s' in '[%s:...]' "
			    "(expected vars or children)", p->file, p->line,
			    (int)(rest > 40 ? 40 : rest), colon + 1, name);
	}
	return find_group(p, name, g);
}

/* A [group:vars] line: "key=value" or "key = value". */
static int
parse_var_line(parser *p, group *g, const char *s, size_t n, char *buf,
    char **tok)
{
	const char *eq = memchr(s, '=', n);
	char key[128];
	size_t klen, ntok;
	int r;

	if (eq == NULL)
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: expected 'key=value' in [%s:vars], got '%.*s'",
		    p->file, p->line, g->name, (int)(n > 80 ? 80 : n), s);
	klen = (size_t)(eq - s);
	while (klen > 0 && (s[klen - 1] == ' ' || s[klen - 1] == '\t'))
		klen--;
	if (klen == 0 || klen >= sizeof(key))
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: missing variable name before '='", p->file,
		    p->line);
	memcpy(key, s, klen);
	key[klen] = '\0';
	for (size_t i = 0; i < klen; i++)
		if (!isalnum((unsigned char)key[i]) && key[i] != '_')
			return irmf_error_set(IRMF_EPARSE,
			    "%s:%zu: invalid variable name '%s'", p->file,
			    p->line, key);
	if ((r = tokenize(p, eq + 1, n - (size_t)(eq + 1 - s), buf, tok,
	    &ntok)) != 0)
		return r;
	if (ntok > 1)
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: value of '%s' has several words (quote it)",
		    p->file, p->line, key);
	return varlist_set(&g->vars, key, ntok ? tok[0] : "", p->line);
}

static int
add_child(parser *p, group *g, const char *child)
{
	size_t gi = (size_t)(g - p->groups);
	group *c;
	int r;

	if (!valid_group_name(child))
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: invalid group name '%s'", p->file, p->line, child);
	if (strcmp(child, "all") == 0)
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: 'all' cannot be a child group", p->file, p->line);
	if ((r = find_group(p, child, &c)) != 0)
		return r;
	/* a repeated edge is harmless: resolve() counts it down twice */
	if (irmf_grow((void **)&p->edges, &p->capedges, p->nedges,
	    sizeof(edge)) != 0)
		return IRMF_ENOMEM;
	p->edges[p->nedges].parent = gi;
	p->edges[p->nedges].child = (size_t)(c - p->groups);
	p->edges[p->nedges].line = p->line;
	p->nedges++;
	return IRMF_OK;
}

static int
parse_lines(parser *p, const char *buf, size_t len, char *scratch,
    char **tok)
{
	size_t gi, ntok;
	enum section sec = SEC_HOSTS;
	group *g;
	int r;

	if ((r = find_group(p, "ungrouped", &g)) != 0 ||
	    (r = find_group(p, "all", &g)) != 0)
		return r;
	g = &p->groups[0];
	for (size_t off = 0; off < len;) {
		const char *s = buf + off, *nl = memchr(s, '\n', len - off);
		size_t n = nl ? (size_t)(nl - s) : len - off;

		off += n + (nl != NULL);
		p->line++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (p->line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			n -= 3;
		}
		while (n > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (n == 0 || *s == '#' || *s == ';')
			continue;
		if (memchr(s, '\0', n) != NULL)
			return irmf_error_set(IRMF_EPARSE,
			    "%s:%zu: NUL byte in inventory (not a text file?)",
			    p->file, p->line);
		if (*s == '[') {
			if ((r = parse_header(p, s, n, &g, &sec)) != 0)
				return r;
			continue;
		}
		gi = (size_t)(g - p->groups);
		switch (sec) {
		case SEC_VARS:
			r = parse_var_line(p, g, s, n, scratch, tok);
			break;
		case SEC_CHILDREN:
			if ((r = tokenize(p, s, n, scratch, tok, &ntok)) != 0)
				return r;
			if (ntok != 1)
				return irmf_error_set(IRMF_EPARSE,
				    "%s:%zu: expected one group name in "
				    "[%s:children]", p->file, p->line, g->name);
			r = add_child(p, g, tok[0]);
			break;
		default:
			if ((r = tokenize(p, s, n, scratch, tok, &ntok)) != 0)
				return r;
			if (ntok == 0)
				continue;
			r = add_host_line(p, g, tok[0], tok, ntok);
			break;
		}
		if (r != 0)
			return r;
		g = &p->groups[gi];
	}
	return IRMF_OK;
}

/* ------------------------------------------------------------- resolve */

/*
 * resolve() is linear in the size of the inventory: groups are ordered
 * parents first (Kahn's topological sort of the [:children] graph), and
 * each group inherits from its parents what a host needs from all its
 * ancestors (roles, and the group deciding each connection setting), so a
 * host looks only at its own groups.
 */

static const char *const var_keys[NKEYS][3] = {
	{ "ansible_host", "ansible_ssh_host", NULL },
	{ "ansible_port", "ansible_ssh_port", NULL },
	{ "ansible_user", "ansible_ssh_user", NULL },
	{ "irmfleet_irm_test_sender", NULL, NULL },
};

/* The first of keys set in l. */
static const var *
varlist_first(const varlist *l, const char *const *keys)
{
	const var *v = NULL;

	for (const char *const *k = keys; *k && v == NULL; k++)
		v = varlist_get(l, *k);
	return v;
}

/* Of two groups setting a variable, the one Ansible lets win: the deeper,
 * then the greater name. */
static size_t
winner(const parser *p, size_t a, size_t b)
{
	const group *x, *y;

	if (a == NONE || b == NONE)
		return a == NONE ? b : a;
	x = &p->groups[a];
	y = &p->groups[b];
	if (x->depth != y->depth)
		return x->depth > y->depth ? a : b;
	return strcmp(x->name, y->name) > 0 ? a : b;
}

/* Each group's children (edge indices), its parent count and its own
 * roles and settings. */
static int
init_groups(parser *p)
{
	for (size_t i = 0; i < p->nedges; i++) {
		p->groups[p->edges[i].parent].nchildren++;
		p->groups[p->edges[i].child].nparents++;
	}
	for (size_t i = 0; i < p->ngroups; i++) {
		group *g = &p->groups[i];
		irmf_role role;

		if (g->nchildren > 0 &&
		    (g->children = calloc(g->nchildren, sizeof(size_t))) == NULL)
			return irmf_error_oom();
		g->nchildren = 0;
		g->depth = strcmp(g->name, "all") == 0 ? 0 : 1;
		if (irmf_role_parse(g->name, &role) == 0)
			g->roles = (unsigned)role;
		for (int k = 0; k < NKEYS; k++)
			g->best[k] = varlist_first(&g->vars, var_keys[k]) ? i :
			    NONE;
	}
	irmf_error_clear();   /* irmf_role_parse's complaints */
	for (size_t i = 0; i < p->nedges; i++) {
		group *g = &p->groups[p->edges[i].parent];

		g->children[g->nchildren++] = i;
	}
	return IRMF_OK;
}

/* Called when every parent of edge e's parent is final: pass on to the
 * child.  A group's own setting beats any ancestor's (it is deeper). */
static void
inherit(parser *p, const edge *e)
{
	const group *g = &p->groups[e->parent];
	group *c = &p->groups[e->child];

	if (g->depth + 1 > c->depth) {
		c->depth = g->depth + 1;
		c->depth_line = e->line;
	}
	c->roles |= g->roles;
	for (int k = 0; k < NKEYS; k++)
		if (c->best[k] != e->child)
			c->best[k] = winner(p, c->best[k], g->best[k]);
}

/* Name one cycle among the groups left unsorted (each has a parent left
 * unsorted: follow parents until a group repeats). */
static int
report_cycle(parser *p)
{
	size_t *pred = malloc(p->ngroups * sizeof(size_t));
	size_t *seen = calloc(p->ngroups, sizeof(size_t));
	size_t x = NONE, step = 0, len = 0;
	char path[512] = "";

	if (pred == NULL || seen == NULL) {
		free(pred);
		free(seen);
		return irmf_error_oom();
	}
	for (size_t i = 0; i < p->nedges; i++) {
		const edge *e = &p->edges[i];

		if (p->groups[e->child].nparents > 0 &&
		    p->groups[e->parent].nparents > 0) {
			pred[e->child] = i;
			x = e->child;
		}
	}
	if (x == NONE) {   /* cannot happen: a group left has a parent left */
		free(pred);
		free(seen);
		return irmf_error_set(IRMF_EPARSE, "%s: [:children] cycle",
		    p->file);
	}
	while (seen[x] == 0) {
		seen[x] = ++step;
		x = p->edges[pred[x]].parent;
	}
	/* x is on the cycle: name its edges, from x's parent back to x */
	size_t line = p->edges[pred[x]].line, y = x;
	do {
		const edge *e = &p->edges[pred[y]];
		int n = snprintf(path + len, sizeof(path) - len,
		    "%s[%s:children] lists %s", len ? ", " : "",
		    p->groups[e->parent].name, p->groups[y].name);

		len = n > 0 && (size_t)n < sizeof(path) - len ? len + (size_t)n :
		    sizeof(path) - 1;
		y = e->parent;
	} while (y != x);
	int r = irmf_error_set(IRMF_EPARSE, "%s:%zu: [:children] cycle: "
	    "group '%s' is its own ancestor (%s)", p->file, line,
	    p->groups[x].name, path);
	free(pred);
	free(seen);
	return r;
}

/* Sort the groups parents first, computing each one's depth, roles and
 * deciding groups; refuse cycles and nesting deeper than MAX_DEPTH. */
static int
sort_groups(parser *p)
{
	size_t *queue, head = 0, tail = 0;
	int r = IRMF_OK;

	if ((r = init_groups(p)) != 0)
		return r;
	if ((queue = malloc((p->ngroups + 1) * sizeof(size_t))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < p->ngroups; i++)
		if (p->groups[i].nparents == 0)
			queue[tail++] = i;
	while (head < tail && r == 0) {
		const group *g = &p->groups[queue[head++]];

		if (g->depth > MAX_DEPTH) {
			r = irmf_error_set(IRMF_ELIMIT, "%s:%zu: group '%s' is "
			    "nested %d levels deep in [:children] (at most %d)",
			    p->file, g->depth_line, g->name, g->depth,
			    MAX_DEPTH);
			break;
		}
		for (size_t j = 0; j < g->nchildren; j++) {
			const edge *e = &p->edges[g->children[j]];

			inherit(p, e);
			if (--p->groups[e->child].nparents == 0)
				queue[tail++] = e->child;
		}
	}
	free(queue);
	if (r == 0 && tail < p->ngroups)
		r = report_cycle(p);
	return r;
}

static int
resolve_host(parser *p, size_t hi, irmf_inv_host *out, const size_t *best)
{
	const rawhost *h = &p->hosts[hi];
	const var *v[NKEYS];

	for (int k = 0; k < NKEYS; k++) {
		v[k] = varlist_first(&h->vars, var_keys[k]);
		if (v[k] == NULL && best[k] != NONE)
			v[k] = varlist_first(&p->groups[best[k]].vars,
			    var_keys[k]);
	}
	out->line = h->line;
	if ((out->name = irmf_strdup(h->name)) == NULL)
		return IRMF_ENOMEM;
	if (v[K_HOST] != NULL && !valid_address(v[K_HOST]->value))
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%zu: invalid ansible_host '%s' for host '%s'", p->file,
		    v[K_HOST]->line, v[K_HOST]->value, h->name);
	if ((out->address = irmf_strdup(v[K_HOST] ? v[K_HOST]->value :
	    h->name)) == NULL)
		return IRMF_ENOMEM;
	out->port = 22;
	if (v[K_PORT] != NULL) {
		const char *s = v[K_PORT]->value;
		char *end;
		long port;

		errno = 0;
		port = strtol(s, &end, 10);
		if (s[0] == '\0' || *end || errno || port < 1 || port > 65535)
			return irmf_error_set(IRMF_EPARSE,
			    "%s:%zu: bad port '%s' for host '%s'", p->file,
			    v[K_PORT]->line, s, h->name);
		out->port = (int)port;
	}
	if (v[K_USER] != NULL) {
		if (!valid_user(v[K_USER]->value))
			return irmf_error_set(IRMF_EPARSE,
			    "%s:%zu: invalid ansible_user '%s' for host '%s'",
			    p->file, v[K_USER]->line, v[K_USER]->value, h->name);
		if ((out->user = irmf_strdup(v[K_USER]->value)) == NULL)
			return IRMF_ENOMEM;
	}
	if (v[K_SENDER] != NULL) {
		if (!irmf_plan_sender_ok(v[K_SENDER]->value))
			return irmf_error_set(IRMF_EPARSE, "%s:%zu: invalid "
			    "irmfleet_irm_test_sender '%s' for host '%s' "
			    "(expected a plain SMTP address)", p->file,
			    v[K_SENDER]->line, v[K_SENDER]->value, h->name);
		if ((out->irm_test_sender = irmf_strdup(
		    v[K_SENDER]->value)) == NULL)
			return IRMF_ENOMEM;
	}
	return IRMF_OK;
}

static int
resolve(parser *p, irmf_inventory *inv)
{
	const name_ix *all = index_find(&p->group_ix, cmp_name, "all");
	size_t *best = NULL;
	int r;

	if ((r = sort_groups(p)) != 0)
		return r;
	best = malloc((p->nhosts ? p->nhosts : 1) * NKEYS * sizeof(size_t));
	inv->hosts = calloc(p->nhosts ? p->nhosts : 1, sizeof(irmf_inv_host));
	if (best == NULL || inv->hosts == NULL) {
		free(best);
		return irmf_error_oom();
	}
	/* every host is in all, and in the groups that list it */
	for (size_t i = 0; i < p->nhosts; i++) {
		inv->hosts[i].roles = p->groups[all->ix].roles;
		for (int k = 0; k < NKEYS; k++)
			best[i * NKEYS + k] = p->groups[all->ix].best[k];
	}
	for (size_t i = 0; i < p->nmembers; i++) {
		const member *m = &p->members[i];
		const group *g = &p->groups[m->group];

		inv->hosts[m->host].roles |= g->roles;
		for (int k = 0; k < NKEYS; k++)
			best[m->host * NKEYS + k] = winner(p,
			    best[m->host * NKEYS + k], g->best[k]);
	}
	for (size_t i = 0; i < p->nhosts && r == 0; i++) {
		inv->nhosts++;
		r = resolve_host(p, i, &inv->hosts[i], &best[i * NKEYS]);
	}
	free(best);
	return r;
}

/* ---------------------------------------------------------------- API */

void
irmf_inventory_free(irmf_inventory *inv)
{
	if (inv == NULL)
		return;
	for (size_t i = 0; i < inv->nhosts; i++) {
		free(inv->hosts[i].name);
		free(inv->hosts[i].address);
		free(inv->hosts[i].user);
		free(inv->hosts[i].irm_test_sender);
	}
	free(inv->hosts);
	free(inv->name);
	free(inv);
}

int
irmf_inventory_parse(irmf_inventory **out, const char *buf, size_t len,
    const char *name)
{
	parser p;
	irmf_inventory *inv = NULL;
	char *scratch = NULL;
	char **tok = NULL;
	int r;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.file = name ? name : "inventory";
	if (len > IRMF_INVENTORY_MAX_BYTES)
		return irmf_error_set(IRMF_ELIMIT,
		    "%s: inventory larger than %zu bytes", p.file,
		    IRMF_INVENTORY_MAX_BYTES);
	scratch = malloc(len + 1);
	tok = calloc(MAX_TOKENS, sizeof(*tok));
	inv = calloc(1, sizeof(*inv));
	if (scratch == NULL || tok == NULL || inv == NULL) {
		r = irmf_error_oom();
		goto out;
	}
	if ((inv->name = irmf_strdup(p.file)) == NULL) {
		r = IRMF_ENOMEM;
		goto out;
	}
	if ((r = parse_lines(&p, buf, len, scratch, tok)) != 0 ||
	    (r = resolve(&p, inv)) != 0)
		goto out;
	*out = inv;
	inv = NULL;
out:
	irmf_inventory_free(inv);
	parser_clear(&p);
	free(scratch);
	free(tok);
	return r;
}

int
irmf_inventory_load(irmf_inventory **out, const char *path)
{
	FILE *f = NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	const char *base;
	int r;

	*out = NULL;
	if ((f = fopen(path, "rb")) == NULL)   /* missing: the user's error */
		return irmf_error_set(errno == ENOENT ? IRMF_ENOTFOUND :
		    IRMF_EIO, "cannot open inventory '%s': %s", path,
		    strerror(errno));
	for (;;) {
		if (len == cap) {
			if (cap >= IRMF_INVENTORY_MAX_BYTES) {
				r = irmf_error_set(IRMF_ELIMIT,
				    "%s: inventory larger than %zu bytes", path,
				    IRMF_INVENTORY_MAX_BYTES);
				goto out;
			}
			cap = cap ? cap * 2 : 8192;
			char *nb = realloc(buf, cap);
			if (nb == NULL) {
				r = irmf_error_oom();
				goto out;
			}
			buf = nb;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		r = irmf_error_set(IRMF_EIO, "cannot read inventory '%s'", path);
		goto out;
	}
	base = strrchr(path, '/');
	r = irmf_inventory_parse(out, buf ? buf : "", len,
	    base ? base + 1 : path);
out:
	if (f != NULL)
		fclose(f);
	free(buf);
	return r;
}

size_t
irmf_inventory_count(const irmf_inventory *inv)
{
	return inv ? inv->nhosts : 0;
}

const char *
irmf_inventory_host_name(const irmf_inventory *inv, size_t i)
{
	return i < inv->nhosts ? inv->hosts[i].name : NULL;
}

const char *
irmf_inventory_host_address(const irmf_inventory *inv, size_t i)
{
	return i < inv->nhosts ? inv->hosts[i].address : NULL;
}

int
irmf_inventory_host_port(const irmf_inventory *inv, size_t i)
{
	return i < inv->nhosts ? inv->hosts[i].port : 0;
}

const char *
irmf_inventory_host_user(const irmf_inventory *inv, size_t i)
{
	return i < inv->nhosts ? inv->hosts[i].user : NULL;
}

unsigned
irmf_inventory_host_roles(const irmf_inventory *inv, size_t i)
{
	return i < inv->nhosts ? inv->hosts[i].roles : 0;
}

size_t
irmf_inventory_host_line(const irmf_inventory *inv, size_t i)
{
	return i < inv->nhosts ? inv->hosts[i].line : 0;
}
