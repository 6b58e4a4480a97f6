/*
 * inventory.c - the one resolver of Ansible inventories, and the public
 * inventory API.
 *
 * The readers (inventory_ini.c, inventory_yaml.c, inventory_json.c) fill
 * an inv_raw with the inventory as written; inv_resolve() then computes
 * each host's roles and connection settings with Ansible's precedence,
 * lowest first (docs/inventory.md):
 *
 *   group vars in the inventory (all < parent < child; same depth:
 *   ansible_group_priority, then name) < group_vars/ files (same order)
 *   < host vars in the inventory < host_vars/ files
 *
 * which is Ansible's documented order ("inventory file or script group
 * vars" < "inventory group_vars/all" < "inventory group_vars/<group>" <
 * "inventory file or script host vars" < "inventory host_vars/<host>",
 * in its "Variable precedence" list).  It is linear in
 * the size of the inventory: groups are ordered parents first (Kahn's
 * sort of the children graph), each inheriting from its parents the
 * deciding group of every variable, so a host looks only at its own
 * groups.  What the inventory sets and irmfleet does not apply is said in
 * a warning, never dropped silently.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fileio.h"
#include "inventory_int.h"
#include "plan.h"
#include "snapshot_int.h"

/* Ansible's spellings of each mapped variable, preferred first. */
static const char *const var_keys[NKEYS][3] = {
	{ "ansible_host", "ansible_ssh_host", NULL },
	{ "ansible_port", "ansible_ssh_port", NULL },
	{ "ansible_user", "ansible_ssh_user", NULL },
	{ "irmfleet_irm_test_sender", NULL, NULL },
	{ "ansible_ssh_private_key_file", "ansible_private_key_file", NULL },
	{ "ansible_connection", NULL, NULL },
	{ "ansible_ssh_common_args", NULL, NULL },
	{ "ansible_ssh_extra_args", NULL, NULL },
};

static const inv_var *
varlist_first(const inv_varlist *l, const char *const *keys)
{
	const inv_var *v = NULL;

	for (const char *const *k = keys; *k && v == NULL; k++)
		v = inv_get_var(l, *k);
	return v;
}

/* Of two groups setting a variable, the one Ansible lets win: the deeper,
 * then the higher ansible_group_priority, then the greater name. */
static size_t
winner(const inv_raw *r, size_t a, size_t b)
{
	const inv_group *x, *y;

	if (a == INV_NONE || b == INV_NONE)
		return a == INV_NONE ? b : a;
	x = &r->groups[a];
	y = &r->groups[b];
	if (x->depth != y->depth)
		return x->depth > y->depth ? a : b;
	if (x->priority != y->priority)
		return x->priority > y->priority ? a : b;
	return strcmp(x->name, y->name) > 0 ? a : b;
}

static void
group_priority(inv_raw *r, inv_group *g)
{
	const inv_var *v = inv_get_var(&g->vars[INV_LAYER_INVENTORY],
	    "ansible_group_priority");
	char *end;

	if (v == NULL || v->kind != INV_SCALAR)
		return;
	errno = 0;
	g->priority = strtol(v->value, &end, 10);
	if (*end || errno || v->value[0] == '\0') {
		g->priority = 0;
		inv_warn(r, "%s: ansible_group_priority '%s' of group '%s' is "
		    "not a number: ignored", v->where, v->value, g->name);
	}
}

/* Each group's children, parent count, own roles and settings. */
static int
init_groups(inv_raw *r)
{
	for (size_t i = 0; i < r->nedges; i++) {
		r->groups[r->edges[i].parent].nchildren++;
		r->groups[r->edges[i].child].nparents++;
	}
	for (size_t i = 0; i < r->ngroups; i++) {
		inv_group *g = &r->groups[i];
		irmf_role role;

		if (g->nchildren > 0 &&
		    (g->children = calloc(g->nchildren, sizeof(size_t))) == NULL)
			return irmf_error_oom();
		g->nchildren = 0;
		g->depth = strcmp(g->name, "all") == 0 ? 0 : 1;
		group_priority(r, g);
		if (irmf_role_parse(g->name, &role) == 0)
			g->roles = (unsigned)role;
		for (int l = 0; l < INV_NLAYERS; l++)
			for (int k = 0; k < NKEYS; k++)
				g->best[l * NKEYS + k] = varlist_first(
				    &g->vars[l], var_keys[k]) ? i : INV_NONE;
	}
	irmf_error_clear();   /* irmf_role_parse's complaints */
	for (size_t i = 0; i < r->nedges; i++) {
		inv_group *g = &r->groups[r->edges[i].parent];

		g->children[g->nchildren++] = i;
	}
	return IRMF_OK;
}

/* Called when every parent of e's parent is final: pass on to the child.
 * A group's own setting beats any ancestor's (it is deeper). */
static void
inherit(inv_raw *r, const inv_edge *e)
{
	const inv_group *g = &r->groups[e->parent];
	inv_group *c = &r->groups[e->child];

	if (g->depth + 1 > c->depth) {
		c->depth = g->depth + 1;
		c->depth_where = e->where;
	}
	c->roles |= g->roles;
	for (int s = 0; s < NSLOTS; s++)
		if (c->best[s] != e->child)
			c->best[s] = winner(r, c->best[s], g->best[s]);
}

/* Name one cycle among the groups left unsorted (each has a parent left
 * unsorted: follow parents until a group repeats). */
static int
report_cycle(inv_raw *r)
{
	size_t *pred = malloc(r->ngroups * sizeof(size_t));
	size_t *seen = calloc(r->ngroups, sizeof(size_t));
	size_t x = INV_NONE, step = 0, len = 0;
	char path[512] = "";

	if (pred == NULL || seen == NULL) {
		free(pred);
		free(seen);
		return irmf_error_oom();
	}
	for (size_t i = 0; i < r->nedges; i++) {
		const inv_edge *e = &r->edges[i];

		if (r->groups[e->child].nparents > 0 &&
		    r->groups[e->parent].nparents > 0) {
			pred[e->child] = i;
			x = e->child;
		}
	}
	if (x == INV_NONE) {   /* cannot happen: a group left has a parent */
		free(pred);
		free(seen);
		return irmf_error_set(IRMF_EPARSE, "children cycle");
	}
	while (seen[x] == 0) {
		seen[x] = ++step;
		x = r->edges[pred[x]].parent;
	}
	/* x is on the cycle: name its edges, from x's parent back to x */
	const char *where = r->edges[pred[x]].where;
	size_t y = x;
	do {
		const inv_edge *e = &r->edges[pred[y]];
		int n = snprintf(path + len, sizeof(path) - len,
		    "%s%s lists %s as a child", len ? ", " : "",
		    r->groups[e->parent].name, r->groups[y].name);

		len = n > 0 && (size_t)n < sizeof(path) - len ? len + (size_t)n :
		    sizeof(path) - 1;
		y = e->parent;
	} while (y != x);
	int rc = irmf_error_set(IRMF_EPARSE, "%s: children cycle: group '%s' "
	    "is its own ancestor (%s)", where, r->groups[x].name, path);
	free(pred);
	free(seen);
	return rc;
}

/* Sort the groups parents first, computing each one's depth, roles and
 * deciding groups; refuse cycles and nesting deeper than INV_MAX_DEPTH. */
static int
sort_groups(inv_raw *r)
{
	size_t *queue, head = 0, tail = 0;
	int rc;

	if ((rc = init_groups(r)) != 0)
		return rc;
	if ((queue = malloc((r->ngroups + 1) * sizeof(size_t))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < r->ngroups; i++)
		if (r->groups[i].nparents == 0)
			queue[tail++] = i;
	while (head < tail && rc == 0) {
		const inv_group *g = &r->groups[queue[head++]];

		if (g->depth > INV_MAX_DEPTH) {
			rc = irmf_error_set(IRMF_ELIMIT, "%s: group '%s' is "
			    "nested %d levels deep in children (at most %d)",
			    g->depth_where, g->name, g->depth, INV_MAX_DEPTH);
			break;
		}
		for (size_t j = 0; j < g->nchildren; j++) {
			const inv_edge *e = &r->edges[g->children[j]];

			inherit(r, e);
			if (--r->groups[e->child].nparents == 0)
				queue[tail++] = e->child;
		}
	}
	free(queue);
	if (rc == 0 && tail < r->ngroups)
		rc = report_cycle(r);
	return rc;
}

/* The value of variable k for host hi: host_vars/ file, host var,
 * group_vars/ file, group var; a null value means the default. */
static const inv_var *
host_value(const inv_raw *r, size_t hi, const size_t *best, int k)
{
	const inv_rawhost *h = &r->hosts[hi];
	const inv_var *v = NULL;

	for (int l = INV_NLAYERS - 1; l >= 0 && v == NULL; l--)
		v = varlist_first(&h->vars[l], var_keys[k]);
	for (int l = INV_NLAYERS - 1; l >= 0 && v == NULL; l--)
		if (best[l * NKEYS + k] != INV_NONE)
			v = varlist_first(&r->groups[best[l * NKEYS + k]].vars[l],
			    var_keys[k]);
	return v != NULL && v->kind == INV_NULL ? NULL : v;
}

/* --------------------------------------------------------- one host */

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

/* A key file path: any text but control characters. */
static bool
valid_path(const char *s)
{
	if (*s == '\0' || strlen(s) > 4000)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* A value irmfleet must use as written: a list, a mapping, a vault
 * secret or a Jinja2 template cannot be. */
static int
plain_value(const inv_var *v, const char *host)
{
	if (v->kind == INV_COMPLEX)
		return irmf_error_set(IRMF_EPARSE, "%s: %s of host '%s' is not "
		    "a plain value (a list, a mapping or a vault-encrypted "
		    "value)", v->where, v->key, host);
	if (strstr(v->value, "{{") != NULL || strstr(v->value, "{%") != NULL)
		return irmf_error_set(IRMF_EPARSE, "%s: %s of host '%s' is a "
		    "Jinja2 template ('%s'): irmfleet does not evaluate "
		    "templates, write the value", v->where, v->key, host,
		    v->value);
	return IRMF_OK;
}

/* The line of a "file:line" place, 0 if it has none (JSON). */
static size_t
where_line(const char *where)
{
	const char *c = strrchr(where, ':');
	char *end;
	unsigned long n;

	if (c == NULL || c[1] == '\0')
		return 0;
	n = strtoul(c + 1, &end, 10);
	return *end == '\0' ? (size_t)n : 0;
}

static int
set_source(irmf_inv_host *out, irmf_inv_field f, const inv_var *v)
{
	if (v == NULL)
		return IRMF_OK;
	return (out->source[f] = irmf_strdup(v->where)) ? IRMF_OK : IRMF_ENOMEM;
}

/* ansible_connection: ssh (and its aliases) is collected; winrm and psrp
 * hosts are the export script's; anything else is not a Windows server
 * irmfleet can reach. */
static int
connection(irmf_inv_host *out, const inv_var *v)
{
	static const char *const ssh[] = { "ssh", "smart", "paramiko",
	    "paramiko_ssh", "ansible.builtin.ssh",
	    "ansible.builtin.paramiko_ssh", "ansible.netcommon.libssh", NULL };
	const char *c = v->value;
	char msg[600];

	for (const char *const *s = ssh; *s; s++)
		if (strcmp(c, *s) == 0)
			return IRMF_OK;
	if (strncmp(c, "ansible.builtin.", 16) == 0)
		c += 16;
	if (strcmp(c, "winrm") == 0 || strcmp(c, "psrp") == 0)
		snprintf(msg, sizeof(msg), "ansible_connection=%s (%s): irmfleet "
		    "collects over SSH only; collect this server with the "
		    "script of `irmfleet export-script` (docs/export-script.md) "
		    "and import its output", v->value, v->where);
	else
		snprintf(msg, sizeof(msg), "ansible_connection=%s (%s) is not "
		    "SSH: irmfleet collects over SSH only", v->value, v->where);
	return (out->skip = irmf_strdup(msg)) ? IRMF_OK : IRMF_ENOMEM;
}

/* ansible_ssh_common_args / _extra_args are options for ssh(1), which
 * irmfleet does not run: said once per place they are set. */
static void
report_ssh_args(inv_raw *r, inv_var *v, const char *host)
{
	if (v == NULL || v->reported)
		return;
	v->reported = true;
	inv_warn(r, "%s: %s '%s' is not applied (irmfleet does not run "
	    "ssh(1); put such options in ~/.ssh/config) - first host '%s'",
	    v->where, v->key, v->value, host);
}

static int
resolve_port(irmf_inv_host *out, const inv_var *v, const char *host)
{
	char *end;
	long port;

	out->port = 22;
	if (v == NULL)
		return IRMF_OK;
	errno = 0;
	port = strtol(v->value, &end, 10);
	if (v->value[0] == '\0' || *end || errno || port < 1 || port > 65535)
		return irmf_error_set(IRMF_EPARSE, "%s: bad port '%s' for host "
		    "'%s'", v->where, v->value, host);
	out->port = (int)port;
	return set_source(out, IRMF_INV_PORT, v);
}

/* The checked settings of host hi from the variables that decide. */
static int
resolve_host(inv_raw *r, size_t hi, irmf_inv_host *out, const size_t *best)
{
	const inv_rawhost *h = &r->hosts[hi];
	const inv_var *v[NKEYS];
	int rc;

	for (int k = 0; k < NKEYS; k++)
		if ((v[k] = host_value(r, hi, best, k)) != NULL &&
		    k != K_COMMON_ARGS && k != K_EXTRA_ARGS &&
		    (rc = plain_value(v[k], h->name)) != 0)
			return rc;
	out->line = where_line(h->where);
	if ((out->name = irmf_strdup(h->name)) == NULL)
		return IRMF_ENOMEM;
	if (v[K_HOST] != NULL && !valid_address(v[K_HOST]->value))
		return irmf_error_set(IRMF_EPARSE,
		    "%s: invalid ansible_host '%s' for host '%s'",
		    v[K_HOST]->where, v[K_HOST]->value, h->name);
	if ((out->address = irmf_strdup(v[K_HOST] ? v[K_HOST]->value :
	    h->name)) == NULL || set_source(out, IRMF_INV_ADDRESS, v[K_HOST]))
		return IRMF_ENOMEM;
	if ((rc = resolve_port(out, v[K_PORT], h->name)) != 0)
		return rc;
	if (v[K_USER] != NULL) {
		if (!valid_user(v[K_USER]->value))
			return irmf_error_set(IRMF_EPARSE,
			    "%s: invalid ansible_user '%s' for host '%s'",
			    v[K_USER]->where, v[K_USER]->value, h->name);
		if ((out->user = irmf_strdup(v[K_USER]->value)) == NULL ||
		    set_source(out, IRMF_INV_USER, v[K_USER]) != 0)
			return IRMF_ENOMEM;
	}
	if (v[K_KEYFILE] != NULL) {
		if (!valid_path(v[K_KEYFILE]->value))
			return irmf_error_set(IRMF_EPARSE, "%s: invalid %s '%s' "
			    "for host '%s'", v[K_KEYFILE]->where,
			    v[K_KEYFILE]->key, v[K_KEYFILE]->value, h->name);
		if ((out->identity = irmf_strdup(v[K_KEYFILE]->value)) ==
		    NULL || set_source(out, IRMF_INV_IDENTITY, v[K_KEYFILE]))
			return IRMF_ENOMEM;
	}
	if (v[K_SENDER] != NULL) {
		if (!irmf_plan_sender_ok(v[K_SENDER]->value))
			return irmf_error_set(IRMF_EPARSE, "%s: invalid "
			    "irmfleet_irm_test_sender '%s' for host '%s' "
			    "(expected a plain SMTP address)",
			    v[K_SENDER]->where, v[K_SENDER]->value, h->name);
		if ((out->irm_test_sender = irmf_strdup(
		    v[K_SENDER]->value)) == NULL)
			return IRMF_ENOMEM;
	}
	if (v[K_CONNECTION] != NULL &&
	    (rc = connection(out, v[K_CONNECTION])) != 0)
		return rc;
	if (out->skip != NULL && out->roles != 0)
		inv_warn(r, "host '%s' is not collected: %s", h->name,
		    out->skip);
	report_ssh_args(r, (inv_var *)v[K_COMMON_ARGS], h->name);
	report_ssh_args(r, (inv_var *)v[K_EXTRA_ARGS], h->name);
	return IRMF_OK;
}

/* ------------------------------------------------------------ resolve */

int
inv_resolve(inv_raw *r, irmf_inventory *inv)
{
	size_t all = 1, *best = NULL;   /* inv_raw_init: all is group 1 */
	int rc;

	if ((rc = sort_groups(r)) != 0)
		return rc;
	best = malloc((r->nhosts ? r->nhosts : 1) * NSLOTS * sizeof(size_t));
	inv->hosts = calloc(r->nhosts ? r->nhosts : 1, sizeof(irmf_inv_host));
	if (best == NULL || inv->hosts == NULL) {
		free(best);
		return irmf_error_oom();
	}
	/* every host is in all, and in the groups that list it */
	for (size_t i = 0; i < r->nhosts; i++) {
		inv->hosts[i].roles = r->groups[all].roles;
		for (int s = 0; s < NSLOTS; s++)
			best[i * NSLOTS + s] = r->groups[all].best[s];
	}
	for (size_t i = 0; i < r->nmembers; i++) {
		const inv_member *m = &r->members[i];
		const inv_group *g = &r->groups[m->group];

		inv->hosts[m->host].roles |= g->roles;
		for (int s = 0; s < NSLOTS; s++)
			best[m->host * NSLOTS + s] = winner(r,
			    best[m->host * NSLOTS + s], g->best[s]);
	}
	for (size_t i = 0; i < r->nhosts && rc == 0; i++) {
		inv->nhosts++;
		rc = resolve_host(r, i, &inv->hosts[i], &best[i * NSLOTS]);
	}
	free(best);
	return rc;
}

/* ---------------------------------------------------------------- API */

void
irmf_inventory_free(irmf_inventory *inv)
{
	if (inv == NULL)
		return;
	for (size_t i = 0; i < inv->nhosts; i++) {
		irmf_inv_host *h = &inv->hosts[i];

		free(h->name);
		free(h->address);
		free(h->user);
		free(h->irm_test_sender);
		free(h->identity);
		free(h->skip);
		for (int f = 0; f < IRMF_INV_NFIELDS; f++)
			free(h->source[f]);
	}
	free(inv->hosts);
	for (size_t i = 0; i < inv->nwarnings; i++)
		free(inv->warnings[i]);
	free(inv->warnings);
	free(inv->name);
	free(inv);
}

#define HOST_FIELD(fn, type, field, none)				\
	type								\
	fn(const irmf_inventory *inv, size_t i)				\
	{								\
		return inv != NULL && i < inv->nhosts ?			\
		    inv->hosts[i].field : (none);			\
	}

size_t
irmf_inventory_count(const irmf_inventory *inv)
{
	return inv ? inv->nhosts : 0;
}

HOST_FIELD(irmf_inventory_host_name, const char *, name, NULL)
HOST_FIELD(irmf_inventory_host_address, const char *, address, NULL)
HOST_FIELD(irmf_inventory_host_port, int, port, 0)
HOST_FIELD(irmf_inventory_host_user, const char *, user, NULL)
HOST_FIELD(irmf_inventory_host_roles, unsigned, roles, 0)
HOST_FIELD(irmf_inventory_host_line, size_t, line, 0)
HOST_FIELD(irmf_inventory_host_identity, const char *, identity, NULL)
HOST_FIELD(irmf_inventory_host_skip, const char *, skip, NULL)
HOST_FIELD(irmf_inventory_host_irm_test_sender, const char *,
    irm_test_sender, NULL)

const char *
irmf_inventory_host_source(const irmf_inventory *inv, size_t i,
    irmf_inv_field f)
{
	if (inv == NULL || i >= inv->nhosts || (unsigned)f >= IRMF_INV_NFIELDS)
		return NULL;
	return inv->hosts[i].source[f];
}

const char *
irmf_inventory_format(const irmf_inventory *inv)
{
	return inv ? inv->format : NULL;
}

size_t
irmf_inventory_warning_count(const irmf_inventory *inv)
{
	return inv ? inv->nwarnings : 0;
}

const char *
irmf_inventory_warning(const irmf_inventory *inv, size_t i)
{
	return inv != NULL && i < inv->nwarnings ? inv->warnings[i] : NULL;
}
