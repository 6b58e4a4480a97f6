/*
 * rules_util.c - small helpers the rule checks share (rules_int.h): a
 * string builder for values and texts, URL pieces (host, path, the
 * Microsoft RMS domains, base URLs), account-name equality, and registry
 * lookups that remember what a server's checks already asked for.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "identity.h"
#include "normalize.h"
#include "rules_int.h"
#include "settings.h"

/* ------------------------------------------------------------ strings */



bool
irmf_account_eq(const char *a, const char *b)
{
	const char *sa, *sb;

	if (a == NULL || b == NULL)
		return false;
	if (strcasecmp(a, b) == 0)
		return true;
	sa = strrchr(a, '\\');
	sb = strrchr(b, '\\');
	if (sa != NULL && sb != NULL)
		return false;   /* both qualified and different */
	return strcasecmp(sa ? sa + 1 : a, sb ? sb + 1 : b) == 0;
}

/* ------------------------------------------------------------ registry */

bool
irmf_rule_have_registry(const irmf_snapshot *snap)
{
	if (snap->nkeys > 0 || snap->method == IRMF_METHOD_SSH)
		return true;
	/* a .reg/reg query export that held none of the keys irmfleet reads
	 * still says "these keys are absent" */
	for (size_t i = 0; i < snap->nsources; i++)
		if (snap->sources[i].format != NULL &&
		    strncasecmp(snap->sources[i].format, "reg", 3) == 0)
			return true;
	return false;
}

const char *
irmf_rule_cohort(irmf_rule_run *run, const irmf_snapshot *snap)
{
	if (run->who_snap != snap) {
		run->who_cohort = irmf_cohort_of(snap);
		run->who_bit = irmf_rules_bit_of(run->who_cohort);
		run->who_snap = snap;
	}
	return run->who_cohort;
}

unsigned
irmf_rule_bit(irmf_rule_run *run, const irmf_snapshot *snap)
{
	(void)irmf_rule_cohort(run, snap);
	return run->who_bit;
}

const char *
irmf_rule_exch_ver(irmf_rule_run *run, const irmf_snapshot *snap)
{
	return strcmp(irmf_rule_cohort(run, snap), "exchange-v14") == 0 ?
	    "v14" : "v15";
}

/* Concatenate up to four strings into one exact-size allocation: these
 * run for every rule on every server, on several threads, and a growing
 * buffer's realloc always takes glibc's arena lock (free and malloc of
 * small blocks mostly do not). */
static char *
concat4(const char *a, size_t na, const char *b, const char *c,
    const char *d)
{
	size_t nb = strlen(b), nc = strlen(c), nd = strlen(d);
	char *r = malloc(na + nb + nc + nd + 1);

	if (r == NULL) {
		irmf_error_oom();
		return NULL;
	}
	memcpy(r, a, na);
	memcpy(r + na, b, nb);
	memcpy(r + na + nb, c, nc);
	memcpy(r + na + nb + nc, d, nd + 1);
	return r;
}

char *
irmf_rule_path(irmf_rule_run *run, const char *tmpl,
    const irmf_snapshot *snap)
{
	const char *p = strstr(tmpl, "{ver}");

	if (p == NULL)
		return irmf_strdup(tmpl);
	return concat4(tmpl, (size_t)(p - tmpl), irmf_rule_exch_ver(run, snap),
	    p + 5, "");
}

char *
irmf_rule_reg_setting(const char *path, const char *name)
{
	if (name == NULL)
		return concat4("reg:", 4, path, "", "");
	return concat4("reg:", 4, path, "\\", irmf_setting_name_of_value(name));
}

const irmf_reg_key *
irmf_rule_find(irmf_rule_run *run, const irmf_snapshot *snap,
    const char *path)
{
	size_t n = strlen(path), slot;
	const irmf_reg_key *k;

	if (run->memo_snap != snap) {
		run->memo_snap = snap;
		run->nmemo = 0;
	}
	for (size_t i = 0; i < run->nmemo; i++)
		if (strcmp(run->memo[i].path, path) == 0)
			return run->memo[i].key;
	k = irmf_snapshot_reg_find(snap, path);
	if (n < sizeof(run->memo[0].path)) {
		/* full: start over rather than search a long list */
		slot = run->nmemo < sizeof(run->memo) / sizeof(run->memo[0]) ?
		    run->nmemo++ : (run->nmemo = 1, 0);
		memcpy(run->memo[slot].path, path, n + 1);
		run->memo[slot].key = k;
	}
	return k;
}

const char *
irmf_rule_reg_str(irmf_rule_run *run, const irmf_snapshot *snap,
    const char *path, const char *name)
{
	const irmf_reg_key *k = irmf_rule_find(run, snap, path);
	const irmf_reg_value *v;

	if (k == NULL || (v = irmf_reg_key_find_value(k, name)) == NULL)
		return NULL;
	switch (v->type) {
	case IRMF_REG_SZ:
	case IRMF_REG_EXPAND_SZ:
	case IRMF_REG_LINK:
		return v->str ? v->str : "";
	case IRMF_REG_MULTI_SZ:
		return v->nmulti > 0 ? v->multi[0] : "";
	default:
		return "";   /* present, but not text: no URL */
	}
}

/* -------------------------------------------------------------- roles */

int
irmf_rule_role_ix(const irmf_snapshot *snap)
{
	if (snap->roles & IRMF_ROLE_EXCHANGE)
		return 0;
	if (snap->roles & IRMF_ROLE_SHAREPOINT)
		return 1;
	if (snap->roles & IRMF_ROLE_FCI)
		return 2;
	return -1;
}

const char *
irmf_rule_scheme_for(const irmf_rule_run *run, const irmf_snapshot *snap)
{
	int ix = irmf_rule_role_ix(snap);

	return ix < 0 ? run->scheme : run->scheme_role[ix];
}

/* ------------------------------------------------------- cohorts, nodes */

unsigned
irmf_rules_cohort_bit(const irmf_snapshot *snap)
{
	return irmf_rules_bit_of(irmf_cohort_of(snap));
}

unsigned
irmf_rules_bit_of(const char *c)
{
	static const struct { const char *name; unsigned bit; } map[] = {
		{ "exchange-v14", IRMF_RC_EXCHANGE_V14 },
		{ "exchange-v15", IRMF_RC_EXCHANGE_V15 },
		{ "sharepoint-2013+", IRMF_RC_SHAREPOINT_2013 },
		{ "sharepoint-2010-fci", IRMF_RC_SHAREPOINT_2010_FCI },
		{ "connector", IRMF_RC_CONNECTOR },
		{ "exchange-unknown", IRMF_RC_EXCHANGE_UNKNOWN },
		{ "sharepoint-unknown", IRMF_RC_SHAREPOINT_UNKNOWN },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(c, map[i].name) == 0)
			return map[i].bit;
	return 0;
}

bool
irmf_rule_is_node(const irmf_snapshot *s)
{
	return (s->roles & IRMF_ROLE_CONNECTOR) != 0;
}

bool
irmf_rule_is_client(irmf_rule_run *run, const irmf_snapshot *s)
{
	return (irmf_rule_bit(run, s) & IRMF_RC_CLIENTS) != 0;
}

int
irmf_rule_cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

const irmf_collect_error *
irmf_rule_node_error(const irmf_snapshot *s, const char *item)
{
	const irmf_collect_error *e = irmf_snapshot_error_for(s, item);

	return e ? e : irmf_snapshot_error_for(s, "host");
}

bool
irmf_rule_exchange_2013(const irmf_snapshot *s)
{
	irmf_identity id;

	irmf_identity_of(s, &id);
	return id.generation == IRMF_GEN_EXCHANGE_2013 &&
	    strncmp(id.build, "15.0.", 5) == 0;
}
