/*
 * inventory_int.h - what the inventory readers share: the inventory as
 * written (groups, hosts, memberships, [:children] edges and variables,
 * each variable with the place it was written), before resolution.
 *
 * Three readers fill it - inventory_ini.c (Ansible INI), inventory_yaml.c
 * (Ansible YAML, and the group_vars/ host_vars/ files beside an
 * inventory), inventory_json.c (the JSON of `ansible-inventory --list`) -
 * and one resolver (inventory.c) turns it into the hosts collect uses, so
 * the three formats cannot disagree on precedence or on what a variable
 * means.  Every variable is kept in one of two layers, because Ansible
 * ranks the group_vars/ and host_vars/ files above the inventory's own
 * variables (docs/inventory.md).
 */
#ifndef IRMF_INVENTORY_INT_H
#define IRMF_INVENTORY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "inventory.h"
#include "strpool.h"

#define INV_NONE ((size_t)-1)
/* Deepest [:children] / children: nesting accepted. */
#define INV_MAX_DEPTH 64
/* Warnings kept per inventory (one per host that is not collected over
 * SSH, one per setting otherwise); more are counted in a last line. */
#define INV_MAX_WARNINGS (IRMF_INVENTORY_MAX_HOSTS + 1000)

/* The two variable layers, lowest first. */
enum { INV_LAYER_INVENTORY, INV_LAYER_VARSFILE, INV_NLAYERS };

/* The variables the resolver maps (each has Ansible's spellings). */
enum { K_HOST, K_PORT, K_USER, K_SENDER, K_KEYFILE, K_CONNECTION,
	K_COMMON_ARGS, K_EXTRA_ARGS, NKEYS };
#define NSLOTS (INV_NLAYERS * NKEYS)

/* What a variable holds: the resolver uses only plain values. */
enum inv_kind {
	INV_SCALAR,               /* a string or number */
	INV_NULL,                 /* YAML null / JSON null: the default */
	INV_COMPLEX               /* a list, a mapping or a !vault value */
};

typedef struct inv_var {
	char *key, *value;        /* value: "" unless INV_SCALAR */
	const char *where;        /* "inv.yml:12" (interned) */
	enum inv_kind kind;
	bool reported;            /* a warning about it was given */
} inv_var;

typedef struct inv_varlist {
	inv_var *v;
	size_t n, cap;
} inv_varlist;

typedef struct inv_group {
	char *name;
	inv_varlist vars[INV_NLAYERS];
	size_t *children;         /* edge indices (inv_raw.edges) */
	size_t nchildren;
	size_t nparents;          /* in-degree, counted down while sorting */
	/* resolved over the group and its ancestors (inventory.c) */
	int depth;
	long priority;            /* ansible_group_priority */
	const char *depth_where;  /* the edge giving that depth */
	unsigned roles;
	size_t best[NSLOTS];      /* group deciding each slot, or INV_NONE */
} inv_group;

/* `child` listed among the children of `parent`, at where */
typedef struct inv_edge {
	size_t parent, child;
	const char *where;
} inv_edge;

/* host `host` listed in group `group` */
typedef struct inv_member {
	size_t host, group;
} inv_member;

typedef struct inv_rawhost {
	char *name;
	const char *where;        /* first appearance */
	inv_varlist vars[INV_NLAYERS];
} inv_rawhost;

typedef struct inv_raw {
	inv_group *groups;
	size_t ngroups, capgroups;
	inv_rawhost *hosts;
	size_t nhosts, caphosts;
	inv_edge *edges;
	size_t nedges, capedges;
	inv_member *members;
	size_t nmembers, capmembers;
	void *group_ix, *host_ix;   /* tsearch trees of names */
	irmf_strpool *pool;         /* the `where` strings */
	char **warnings;
	size_t nwarnings, capwarnings, dropped;
} inv_raw;

/* An empty inventory: the groups all and ungrouped (0 and 1). */
int inv_raw_init(inv_raw *r);
void inv_raw_clear(inv_raw *r);

/* "file:line" interned in r (line 0: the file alone). */
const char *inv_where(inv_raw *r, const char *file, size_t line);
/* A warning about the inventory ("file:line: ..."), shown by `inventory
 * check` and collect; never fails the read (kept up to a bound). */
void inv_warn(inv_raw *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The group called name (created if new); where names a bad name. */
int inv_add_group(inv_raw *r, const char *name, const char *where, size_t *gi);
/* The host called name (created if new), without membership. */
int inv_add_host(inv_raw *r, const char *name, const char *where, size_t *hi);
/* child becomes a child group of parent. */
int inv_child(inv_raw *r, size_t parent, const char *child,
    const char *where);
/* Add the hosts of an Ansible host pattern ("ex[01:20].contoso.com",
 * "ex01:2222") to group gi; *his (malloc'd) lists them, *n how many. */
int inv_hosts(inv_raw *r, size_t gi, const char *pattern, const char *where,
    size_t **his, size_t *n);

/* key=value in l, replacing an earlier value of key. */
int inv_set_var(inv_varlist *l, const char *key, const char *value,
    enum inv_kind kind, const char *where);
const inv_var *inv_get_var(const inv_varlist *l, const char *key);

/* Whether name is a valid group name ('-' allowed, as irmfleet always
 * has). */
bool inv_group_name_ok(const char *s);

/* The readers: add what buf says to r.  file names the input in
 * messages. */
int inv_read_ini(inv_raw *r, const char *buf, size_t len, const char *file);
int inv_read_yaml(inv_raw *r, const char *buf, size_t len, const char *file);
int inv_read_json(inv_raw *r, const char *buf, size_t len, const char *file);
/* A group_vars/ or host_vars/ file: a YAML (or JSON) mapping of
 * variables, into l. */
int inv_read_vars_yaml(inv_raw *r, inv_varlist *l, const char *buf,
    size_t len, const char *file);
/* Read the host_vars/ and group_vars/ beside an inventory in dir (names
 * in messages are relative to it). */
int inv_read_vars_dirs(inv_raw *r, const char *dir);

/* Compute each host's roles and settings into inv (inventory.c). */
int inv_resolve(inv_raw *r, irmf_inventory *inv);

#endif
