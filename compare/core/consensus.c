/*
 * consensus.c - the majority of a cohort and the servers that differ
 * from it (consensus.h).
 *
 * Cost: a fleet of S servers with K settings each is compared in
 * O(S*K) hashing plus, per key, a linear "all equal?" scan; only keys on
 * which servers actually differ are sorted (O(S log S) for that key).
 * The union of keys is a case-insensitive hash table, and each server's
 * settings are bucketed by key with a counting sort, so no step is
 * O(servers x keys x servers).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "consensus.h"
#include "digest.h"
#include "documented.h"
#include "error.h"
#include "explain.h"
#include "settings.h"
#include "buf.h"

/* Names listed in a distribution before "N servers" is used instead. */
#define NAMES_MAX 5
/* Groups (distinct values) spelled out in one distribution. */
#define GROUPS_MAX 8

/* ------------------------------------------------------------ key union */

typedef struct keyent {
	const char *key;        /* borrowed from the first setting seen */
	uint64_t hash;
	irmf_section section;
	size_t start, count;    /* range in the bucketed records */
} keyent;

typedef struct keytab {
	keyent *keys;
	size_t n, cap;
	size_t *slots;          /* key index + 1; 0 = empty */
	size_t nslots;          /* power of two */
} keytab;

static int
keytab_grow(keytab *t)
{
	size_t ns = t->nslots ? t->nslots * 2 : 256;
	size_t *slots = calloc(ns, sizeof(*slots));

	if (slots == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < t->n; i++) {
		size_t j = t->keys[i].hash & (ns - 1);
		while (slots[j] != 0)
			j = (j + 1) & (ns - 1);
		slots[j] = i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = ns;
	return IRMF_OK;
}

/* Index of key in t, adding it if new. */
static int
keytab_intern(keytab *t, const irmf_setting *s, size_t *out)
{
	uint64_t h = irmf_fnv1a_ci(s->key);
	size_t j;
	int rc;

	if ((t->n + 1) * 2 > t->nslots && (rc = keytab_grow(t)) < 0)
		return rc;
	for (j = h & (t->nslots - 1); t->slots[j] != 0;
	    j = (j + 1) & (t->nslots - 1)) {
		keyent *k = &t->keys[t->slots[j] - 1];
		if (k->hash == h && strcasecmp(k->key, s->key) == 0) {
			*out = t->slots[j] - 1;
			return IRMF_OK;
		}
	}
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 128;
		keyent *p = realloc(t->keys, ncap * sizeof(*p));
		if (p == NULL)
			return irmf_error_oom();
		t->keys = p;
		t->cap = ncap;
	}
	memset(&t->keys[t->n], 0, sizeof(keyent));
	t->keys[t->n].key = s->key;
	t->keys[t->n].hash = h;
	t->keys[t->n].section = s->section;
	t->slots[j] = ++t->n;
	*out = t->n - 1;
	return IRMF_OK;
}

static void
keytab_free(keytab *t)
{
	free(t->keys);
	free(t->slots);
}

/* ------------------------------------------------------- comparison */

typedef struct rec {
	size_t member;
	const irmf_setting *s;
} rec;

/* One checked server's value of the key being compared. */
typedef struct val {
	const char *norm;       /* NULL = absent */
	size_t member;
	size_t line;            /* length of the version-line prefix */
} val;

typedef struct group {
	size_t start, count;    /* range in the sorted val array */
	size_t first;           /* member index of its first server */
} group;

typedef struct cohort_ctx {
	irmf_member *const *m;
	size_t n;
	const char *cohort;
	const char *scope;           /* "exchange-v15 servers", or those of
	                              * one version line */
	char scope_buf[128];
	irmf_findings *out;
	const irmf_setting **have;   /* per member, for the current key */
	unsigned char *sections;     /* per member: bit per present section */
	val *vals;
	group *groups;
	bool strip;                  /* current key: drop the type tags */
} cohort_ctx;

static const char *
server_of(const cohort_ctx *c, size_t i)
{
	return c->m[i]->snap->server;
}

static bool
has_suffix_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int
cmp_norm(const char *a, const char *b)
{
	if (a == b)   /* interned (strpool.h): the common equal case */
		return 0;
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* Order by value, then by member index (fleet order is by server name
 * within a cohort, see compare.c), so each group lists servers sorted. */
static int
cmp_val(const void *pa, const void *pb)
{
	const val *a = pa, *b = pb;
	int c = cmp_norm(a->norm, b->norm);

	if (c != 0)
		return c;
	return (a->member > b->member) - (a->member < b->member);
}

/* Largest group first; equal sizes in server order. */
static int
cmp_group(const void *pa, const void *pb)
{
	const group *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return (a->first > b->first) - (a->first < b->first);
}

/* Length of a leading "REG_xxx " type tag of a display value, or 0. */
static size_t
tag_len(const char *v)
{
	const char *sp;

	if (v == NULL || strncmp(v, "REG_", 4) != 0 ||
	    (sp = strchr(v, ' ')) == NULL)
		return 0;
	return (size_t)(sp - v) + 1;
}

/* Display of a group's value; strip drops the type tag. */
static const char *
group_display(const cohort_ctx *c, const group *g, const val *vals,
    bool strip)
{
	const irmf_setting *s = c->have[vals[g->start].member];

	if (s == NULL)
		return "(absent)";
	return strip ? s->value + tag_len(s->value) : s->value;
}

/* Strip type tags when every present value has the same one. */
static bool
tags_agree(const cohort_ctx *c, const group *g, size_t ng, const val *vals)
{
	const char *first = NULL;
	size_t flen = 0;

	for (size_t i = 0; i < ng; i++) {
		const irmf_setting *s = c->have[vals[g[i].start].member];
		size_t l;
		if (s == NULL)
			continue;
		l = tag_len(s->value);
		if (first == NULL) {
			first = s->value;
			flen = l;
		} else if (l != flen || strncmp(first, s->value, l) != 0) {
			return false;
		}
	}
	return true;
}

static void
add_names(irmf_buf *b, const cohort_ctx *c, const group *g, const val *vals,
    size_t total)
{
	if (g->count > NAMES_MAX) {
		irmf_buf_printf(b, "%zu of %zu servers", g->count, total);
		return;
	}
	for (size_t i = 0; i < g->count; i++) {
		if (i > 0)
			irmf_buf_add(b, ", ");
		irmf_buf_add(b, server_of(c, vals[g->start + i].member));
	}
}

static void
add_group(irmf_buf *b, const cohort_ctx *c, const group *g, const val *vals,
    size_t total, bool count_form, bool strip)
{
	if (b->n > 0)
		irmf_buf_add(b, "; ");
	if (count_form)
		irmf_buf_printf(b, "%zu of %zu servers", g->count, total);
	else
		add_names(b, c, g, vals, total);
	irmf_buf_add(b, ": ");
	irmf_buf_add(b, group_display(c, g, vals, strip));
}

/* "11 of 12 servers: https://a; EX07: http://a": the majority first (for
 * an outlier), then the group of the server the finding is about (mine,
 * or none), then the others by size.  At most GROUPS_MAX groups are
 * spelled out, so that a setting with a value per server cannot make
 * every finding's distribution as long as the fleet. */
static char *
distribution(const cohort_ctx *c, const group *g, size_t ng,
    const val *vals, size_t total, bool majority, const group *mine,
    bool strip)
{
	irmf_buf b = IRMF_BUF_INIT;
	size_t shown = 0, rest_servers = 0;

	if (mine != NULL && mine != &g[0]) {
		add_group(&b, c, &g[0], vals, total, majority, strip);
		add_group(&b, c, mine, vals, total, false, strip);
		shown = 2;
	}
	for (size_t i = 0; i < ng; i++) {
		if (mine != NULL && (&g[i] == mine || i == 0))
			continue;
		if (shown == GROUPS_MAX) {
			rest_servers += g[i].count;
			continue;
		}
		add_group(&b, c, &g[i], vals, total, i == 0 && majority,
		    strip);
		shown++;
	}
	if (rest_servers > 0)
		irmf_buf_printf(&b, "; %zu more value%s on %zu server%s",
		    ng - shown, ng - shown == 1 ? "" : "s", rest_servers,
		    rest_servers == 1 ? "" : "s");
	return irmf_buf_take(&b);
}

/* Does the row's advice introduce a command (ends in ':')?  Rows whose
 * advice is an action instead (install a client, update a server) get no
 * command: a version key is evidence of what is installed, never a value
 * to set (writing MSIPC\CurrentVersion would forge the version the
 * configuration tool and the version rules read). */
static bool
row_takes_command(const irmf_explain_row *row)
{
	size_t fl = strlen(row->fix);

	return fl > 0 && row->fix[fl - 1] == ':';
}

/* Append text[0..n) with {switch} and {msipcvia} filled in for the
 * server the fix is for: the configuration tool's switch of its own
 * generation, never another's. */
static void
add_fix_text(irmf_buf *b, const char *text, size_t n,
    const irmf_snapshot *for_server)
{
	static const char *const vars[] = { "{switch}", "{msipcvia}" };
	const char *p = text, *end = text + n;

	while (p < end) {
		const char *hit = NULL;
		size_t which = 0;
		for (size_t v = 0; v < 2; v++) {
			const char *h = strstr(p, vars[v]);
			if (h != NULL && h < end && (hit == NULL || h < hit)) {
				hit = h;
				which = v;
			}
		}
		if (hit == NULL || for_server == NULL) {
			irmf_buf_addn(b, p, (size_t)(end - p));
			return;
		}
		irmf_buf_addn(b, p, (size_t)(hit - p));
		irmf_buf_add(b, which == 0 ? irmf_genconfig_switch(for_server) :
		    irmf_msipc_via(for_server));
		p = hit + strlen(vars[which]);
	}
}

static void
add_row_fix(irmf_buf *b, const irmf_explain_row *row, bool with_cmd,
    const irmf_snapshot *for_server)
{
	size_t fl = strlen(row->fix);

	if (!with_cmd && row_takes_command(row)) {
		add_fix_text(b, row->fix, fl - 1, for_server);
		irmf_buf_add(b, ".");
	} else {
		add_fix_text(b, row->fix, fl, for_server);
	}
}

/* Remediation: the row's advice, then the command that changes only
 * what differs (explain.c), and what it deliberately leaves alone. */
static char *
remediation(const irmf_explain_row *row, const char *key, irmf_remedy *r)
{
	irmf_buf b = IRMF_BUF_INIT;
	char *cmd = NULL;

	r->kept = 0;
	if (row_takes_command(row) && irmf_remedy_command(key, r, &cmd) < 0)
		return NULL;
	r->only_kept = cmd == NULL && r->kept > 0;
	if (r->remove && cmd != NULL)
		irmf_buf_add(&b, "Remove it, as its peers do not have it:");
	else if (r->only_kept)
		irmf_buf_printf(&b, "Do not remove it: the connector "
		    "documentation prescribes it for %s servers.  Its peers "
		    "lack it, so look at them: if they need it, add it there "
		    "as it is on this server.", r->cohort);
	else if (r->remove && row_takes_command(row))
		irmf_buf_add(&b, "Remove it so that the server matches its "
		    "peers.");
	else
		add_row_fix(&b, row, cmd != NULL, r->mine ? r->mine : r->model);
	if (cmd != NULL) {
		irmf_buf_add(&b, "\n");
		irmf_buf_add(&b, cmd);
	}
	if (cmd != NULL && r->kept > 0)
		irmf_buf_printf(&b, "\nLeft in place: %zu value%s that the "
		    "connector documentation prescribes for %s servers and its "
		    "peers lack (look at the peers).", r->kept,
		    r->kept == 1 ? "" : "s", r->cohort);
	free(cmd);
	return irmf_buf_take(&b);
}

/* Whether two normalized values differ only in their type tag. */
static bool
only_type_differs(const char *a, const char *b)
{
	size_t la = tag_len(a), lb = tag_len(b);

	return a && b && la > 0 && lb > 0 && strcmp(a + la, b + lb) == 0 &&
	    (la != lb || strncmp(a, b, la) != 0);
}

static int
emit(cohort_ctx *c, irmf_finding *f, char *expl, char *rem, char *dist)
{
	int rc;

	f->explanation = expl;
	f->remediation = rem;
	f->distribution = dist;
	if (expl == NULL || rem == NULL || dist == NULL)
		rc = IRMF_ENOMEM;
	else
		rc = irmf_findings_add(c->out, f);
	free(expl);
	free(rem);
	free(dist);
	return rc;
}

/* No majority: say how to settle it, with the command that gives every
 * server the value of the largest group (or removes the setting, when
 * most servers lack it). */
static char *
split_remediation(const irmf_explain_row *row, const char *key,
    irmf_remedy *r)
{
	irmf_buf b = IRMF_BUF_INIT;
	char *cmd = NULL;

	if (row_takes_command(row) && irmf_remedy_command(key, r, &cmd) < 0)
		return NULL;
	irmf_buf_add(&b, "Decide which value is right for this role (the "
	    "connector rules in docs/rules.md say what most settings should "
	    "be) and make every server the same.");
	if (cmd != NULL && r->remove)
		irmf_buf_printf(&b, "  If no server should have it, remove "
		    "it where it is set, e.g. on %s:\n%s", r->model->server, cmd);
	else if (cmd != NULL)
		irmf_buf_printf(&b, "  To use %s's value on a server:\n%s",
		    r->model->server, cmd);
	else {
		irmf_buf_add(&b, "  ");
		add_row_fix(&b, row, false, r->model);
	}
	free(cmd);
	return irmf_buf_take(&b);
}

static int
report_split(cohort_ctx *c, const keyent *k, const group *g, size_t ng,
    const val *vals, size_t total)
{
	const irmf_explain_row *row = irmf_explain_lookup(k->key);
	bool strip = c->strip;
	irmf_finding f;
	irmf_buf e = IRMF_BUF_INIT;
	const irmf_snapshot *model = c->m[vals[g[0].start].member]->snap;
	irmf_remedy rem = { 0 };
	bool largest_absent;

	memset(&f, 0, sizeof(f));
	f.cohort = (char *)c->cohort;
	f.setting = (char *)k->key;
	f.kind = IRMF_FIND_SPLIT;
	f.severity = row->severity;
	if (total == 2)
		irmf_buf_printf(&e, "%s and %s, the only two %s "
		    "checked, disagree on %s; with two servers there is no "
		    "majority to tell which one is right.  ",
		    server_of(c, vals[g[0].start].member),
		    server_of(c, vals[g[1].start].member), c->scope,
		    row->what);
	else
		irmf_buf_printf(&e, "The %zu %s checked are split "
		    "over %zu values of %s and none is held by a majority, "
		    "so there is no consensus to tell which servers are "
		    "wrong.  ", total, c->scope, ng, row->what);
	irmf_buf_add(&e, row->why);
	largest_absent = c->have[vals[g[0].start].member] == NULL;
	rem.model = largest_absent ? c->m[vals[g[1].start].member]->snap :
	    model;
	rem.cohort = c->cohort;
	rem.remove = largest_absent;
	return emit(c, &f, irmf_buf_take(&e), split_remediation(row, k->key,
	    &rem),
	    distribution(c, g, ng, vals, total, false, NULL, strip));
}

/* For a key compared as a whole: which mappings differ, one by one, so
 * that a set of five values does not hide the one that matters.  An AD
 * RMS migration mapping missing here means content protected by the old
 * cluster under that name cannot be opened on this server. */
static void
explain_key_diff(irmf_buf *e, const char *key, const irmf_snapshot *mine,
    const irmf_snapshot *model)
{
	const irmf_reg_key *a, *b;
	bool lost_migration = false;

	if (strncasecmp(key, "reg:", 4) != 0 ||
	    (a = irmf_snapshot_reg_find(mine, key + 4)) == NULL ||
	    (b = irmf_snapshot_reg_find(model, key + 4)) == NULL)
		return;
	for (size_t i = 0; i < b->nvalues; i++) {
		const irmf_reg_value *v = &b->values[i];
		if (irmf_reg_key_find_value(a, v->name) != NULL)
			continue;
		irmf_buf_printf(e, "It lacks the mapping %s => %s.  ",
		    v->name[0] ? v->name : "(default)",
		    irmf_reg_type_is_string(v->type) && v->str ? v->str : "");
		lost_migration |= irmf_is_migration_name(v->name);
	}
	for (size_t i = 0; i < a->nvalues; i++) {
		const irmf_reg_value *v = &a->values[i];
		if (irmf_reg_key_find_value(b, v->name) != NULL)
			continue;
		irmf_buf_printf(e, "It has the mapping %s => %s, which its "
		    "peers lack.  ", v->name[0] ? v->name : "(default)",
		    irmf_reg_type_is_string(v->type) && v->str ? v->str : "");
	}
	if (lost_migration)
		irmf_buf_add(e, "A missing AD RMS migration mapping means that "
		    "content protected by the old AD RMS cluster under that "
		    "name cannot be opened on this server, while its peers "
		    "open it.  ");
}

/* When what this server has and its peers lack is prescribed by the
 * documentation for its cohort (and nothing else differs), the server is
 * right and its peers are the ones to look at: say so, as a warning. */
static void
explain_documented(const cohort_ctx *c, irmf_finding *f, irmf_buf *e,
    const char *key, const irmf_remedy *r)
{
	(void)key;
	if (!r->only_kept)
		return;
	f->severity = IRMF_SEV_WARNING;
	irmf_buf_printf(e, "  The connector documentation prescribes this "
	    "for %s servers, so it is its peers that lack it (for an AD RMS "
	    "migration mapping: they cannot open content protected by the "
	    "old cluster under that name).", c->cohort);
}

static int
report_outlier(cohort_ctx *c, const keyent *k, const group *g, size_t ng,
    const val *vals, size_t total, const group *me, size_t vi)
{
	const irmf_explain_row *row = irmf_explain_lookup(k->key);
	bool strip = c->strip;
	const irmf_setting *mine = c->have[vals[vi].member];
	const irmf_setting *maj = c->have[vals[g[0].start].member];
	const char *server = server_of(c, vals[vi].member);
	const irmf_snapshot *model;
	irmf_finding f;
	irmf_buf e = IRMF_BUF_INIT;
	irmf_remedy r = { 0 };
	char *rem;

	memset(&f, 0, sizeof(f));
	f.server = (char *)server;
	f.cohort = (char *)c->cohort;
	f.setting = (char *)k->key;
	f.severity = row->severity;
	/* a value literally named "(default)" is not read by Windows: on its
	 * own it breaks nothing (registry-literal-default explains it, and
	 * the missing default value is a finding of its own) */
	if (has_suffix_ci(k->key, "\\" IRMF_LITERAL_DEFAULT) &&
	    f.severity > IRMF_SEV_WARNING)
		f.severity = IRMF_SEV_WARNING;
	if (mine != NULL && maj != NULL &&
	    only_type_differs(mine->norm, maj->norm)) {
		f.kind = IRMF_FIND_OUTLIER;
		f.value = (char *)mine->value;
		f.expected = (char *)maj->value;
		irmf_buf_printf(&e, "%s has the same data in %s as %zu of %zu "
		    "%s but a different registry type (type "
		    "differs): %.*s instead of %.*s.  ", server, row->what,
		    g[0].count, total, c->scope,
		    (int)tag_len(mine->value) - 1, mine->value,
		    (int)tag_len(maj->value) - 1, maj->value);
	} else if (mine != NULL && maj != NULL) {
		f.kind = IRMF_FIND_OUTLIER;
		f.value = (char *)(strip ? mine->value + tag_len(mine->value) :
		    mine->value);
		f.expected = (char *)(strip ? maj->value + tag_len(maj->value) :
		    maj->value);
		irmf_buf_printf(&e, "%s has %s where %zu of %zu %s "
		    "have %s (%s).  ", server, f.value, g[0].count, total,
		    c->scope, f.expected, row->what);
		explain_key_diff(&e, k->key, c->m[vals[vi].member]->snap,
		    c->m[vals[g[0].start].member]->snap);
	} else if (mine == NULL) {
		f.kind = IRMF_FIND_MISSING;
		f.expected = (char *)(strip ? maj->value + tag_len(maj->value) :
		    maj->value);
		irmf_buf_printf(&e, "%s lacks %s, which %zu of %zu %s "
		    "have (%s).  ", server, k->key, g[0].count, total,
		    c->scope, row->what);
	} else {
		f.kind = IRMF_FIND_OUTLIER;
		f.value = (char *)(strip ? mine->value + tag_len(mine->value) :
		    mine->value);
		irmf_buf_printf(&e, "%s has %s (extra), which %zu of %zu %s "
		    "do not have (%s).  ", server, k->key, g[0].count,
		    total, c->scope, row->what);
	}
	irmf_buf_add(&e, row->why);
	/* the fix copies a majority server's value, or deletes the extra */
	model = mine != NULL && maj == NULL ? c->m[vals[vi].member]->snap :
	    c->m[vals[g[0].start].member]->snap;
	r.model = model;
	r.mine = c->m[vals[vi].member]->snap;
	r.cohort = c->cohort;
	r.remove = maj == NULL;
	rem = remediation(row, k->key, &r);
	explain_documented(c, &f, &e, k->key, &r);
	return emit(c, &f, irmf_buf_take(&e), rem,
	    distribution(c, g, ng, vals, total, true, me, strip));
}

/*
 * Versions that follow the OS or the product line are only comparable
 * within that line: msdrm.dll 10.0.14393.x (Windows Server 2016) and
 * 10.0.17763.x (2019) are both right, as are ExSetup 15.1.x (Exchange
 * 2016) and 15.2.x (2019) in one v15 cohort.  For such keys the servers
 * are partitioned by the first `components` version components and each
 * line has its own majority; a server without the file is left to the
 * rules (which know whether the file is required).
 */
static const struct {
	const char *key;
	int components;
} version_lines[] = {
	{ "file:msdrm.dll", 3 },      /* ships with Windows: OS build */
	{ "file:exsetup.exe", 2 },    /* product major.minor */
	{ NULL, 0 }
};

static int
line_components(const char *key)
{
	for (size_t i = 0; version_lines[i].key; i++)
		if (strcasecmp(key, version_lines[i].key) == 0)
			return version_lines[i].components;
	return 0;
}

static size_t
line_len(const char *norm, int components)
{
	size_t i = 0;

	for (int dots = 0; norm[i] != '\0'; i++)
		if (norm[i] == '.' && ++dots == components)
			break;
	return i;
}

static int
cmp_line(const void *pa, const void *pb)
{
	const val *a = pa, *b = pb;
	size_t n = a->line < b->line ? a->line : b->line;
	int c = strncmp(a->norm, b->norm, n);

	if (c != 0)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return cmp_val(pa, pb);
}

/* Majority (or split) among vals[0..nv), all comparable. */
static int
decide(cohort_ctx *c, const keyent *k, val *vals, size_t nv)
{
	size_t ng = 0;
	bool differ = false;
	int rc = IRMF_OK;

	for (size_t i = 1; i < nv && !differ; i++)
		differ = cmp_norm(vals[0].norm, vals[i].norm) != 0;
	if (nv < 2 || !differ)
		return IRMF_OK;
	qsort(vals, nv, sizeof(val), cmp_val);
	for (size_t i = 0; i < nv; i++) {
		if (i == 0 || cmp_norm(vals[i - 1].norm, vals[i].norm) != 0) {
			c->groups[ng].start = i;
			c->groups[ng].count = 0;
			c->groups[ng].first = vals[i].member;
			ng++;
		}
		c->groups[ng - 1].count++;
	}
	/* there may be as many groups as servers (a value per server) */
	qsort(c->groups, ng, sizeof(group), cmp_group);
	/* once per key, not per outlier: there may be a group per server */
	c->strip = tags_agree(c, c->groups, ng, vals);
	if (c->groups[0].count * 2 <= nv)
		return report_split(c, k, c->groups, ng, vals, nv);
	for (size_t gi = 1; gi < ng && rc == IRMF_OK; gi++)
		for (size_t j = 0; j < c->groups[gi].count && rc == IRMF_OK;
		    j++)
			rc = report_outlier(c, k, c->groups, ng, vals, nv,
			    &c->groups[gi], c->groups[gi].start + j);
	return rc;
}

/* Each version line of a partitioned key separately. */
static int
decide_lines(cohort_ctx *c, const keyent *k, size_t nv, int components)
{
	size_t kept = 0;
	int rc = IRMF_OK;

	for (size_t i = 0; i < nv; i++)
		if (c->vals[i].norm != NULL) {
			c->vals[kept] = c->vals[i];
			c->vals[kept].line = line_len(c->vals[i].norm,
			    components);
			kept++;
		}
	qsort(c->vals, kept, sizeof(val), cmp_line);
	for (size_t i = 0, j; i < kept && rc == IRMF_OK; i = j) {
		for (j = i + 1; j < kept && c->vals[j].line ==
		    c->vals[i].line && strncmp(c->vals[j].norm,
		    c->vals[i].norm, c->vals[i].line) == 0; j++)
			;
		snprintf(c->scope_buf, sizeof(c->scope_buf), "%s servers "
		    "with %s %.*s.x", c->cohort, k->key + 5,
		    (int)c->vals[i].line, c->vals[i].norm);
		c->scope = c->scope_buf;
		rc = decide(c, k, c->vals + i, j - i);
	}
	return rc;
}

/* Compare one key among the checked members. */
/* Is key an IRM key of the other Exchange generation than cohort's? */
static bool
other_generation_key(const char *cohort, const char *key)
{
	const char *other = strcmp(cohort, "exchange-v14") == 0 ? "v15" :
	    strcmp(cohort, "exchange-v15") == 0 ? "v14" : NULL;
	static const char ex[] = "reg:HKLM\\SOFTWARE\\Microsoft\\"
	    "ExchangeServer\\";

	return other != NULL && strncasecmp(key, ex, sizeof(ex) - 1) == 0 &&
	    strncasecmp(key + sizeof(ex) - 1, other, 3) == 0 &&
	    key[sizeof(ex) + 2] == '\\';
}

static int
compare_key(cohort_ctx *c, const keyent *k)
{
	size_t nv = 0;
	int components = line_components(k->key);

	/* Get-IRMConfiguration is one object per organisation: servers whose
	 * exports differ were exported at different times, which is not
	 * drift and no majority may be imposed (rules_org.c says so once) */
	if (strncmp(k->key, "irm:", 4) == 0)
		return IRMF_OK;
	/* IRM keys of the other Exchange generation are ignored by this
	 * one: exchange-key-version reports them, and no consensus fix may
	 * name another generation's keys */
	if (other_generation_key(c->cohort, k->key))
		return IRMF_OK;

	snprintf(c->scope_buf, sizeof(c->scope_buf), "%s servers",
	    c->cohort);
	c->scope = c->scope_buf;
	for (size_t i = 0; i < c->n; i++) {
		const irmf_snapshot *s = c->m[i]->snap;
		if (!(c->sections[i] & (1u << k->section)))
			continue;   /* section not in this snapshot: unknown */
		if (s->nerrors > 0 && irmf_setting_collect_error(s, k->key))
			continue;   /* reported as not-collected */
		c->vals[nv].norm = c->have[i] ? c->have[i]->norm : NULL;
		c->vals[nv].member = i;
		c->vals[nv].line = 0;
		nv++;
	}
	if (components > 0)
		return decide_lines(c, k, nv, components);
	return decide(c, k, c->vals, nv);
}

static unsigned char
section_bits(const irmf_snapshot *s)
{
	unsigned char bits = 0;

	for (int sec = IRMF_SECTION_REGISTRY; sec <= IRMF_SECTION_GROUPS;
	    sec++)
		if (irmf_section_present(s, (irmf_section)sec))
			bits |= (unsigned char)(1u << sec);
	return bits;
}

typedef struct keyord {
	const char *key;
	size_t idx;
} keyord;

static int
cmp_keyord(const void *pa, const void *pb)
{
	return strcasecmp(((const keyord *)pa)->key,
	    ((const keyord *)pb)->key);
}

int
irmf_consensus_cohort(irmf_member *const *members, size_t n,
    const char *cohort, irmf_findings *out)
{
	cohort_ctx c;
	keytab t;
	rec *recs = NULL, *bucketed = NULL;
	size_t *keyof = NULL, total = 0, r = 0;
	keyord *order = NULL;
	int rc = IRMF_OK;

	memset(&c, 0, sizeof(c));
	memset(&t, 0, sizeof(t));
	/* servers whose generation is unknown may be of different
	 * generations: their majority would be a guess (exchange-/sharepoint-identity
	 * says so, and what to export) */
	if (n < 2 || !irmf_cohort_compared(cohort))
		return IRMF_OK;
	c.m = members;
	c.n = n;
	c.cohort = cohort;
	c.out = out;
	for (size_t i = 0; i < n; i++)
		total += members[i]->settings.n;
	c.have = calloc(n, sizeof(*c.have));
	c.sections = calloc(n, 1);
	c.vals = calloc(n, sizeof(*c.vals));
	c.groups = calloc(n, sizeof(*c.groups));
	recs = calloc(total + 1, sizeof(*recs));
	bucketed = calloc(total + 1, sizeof(*bucketed));
	keyof = calloc(total + 1, sizeof(*keyof));
	if (!c.have || !c.sections || !c.vals || !c.groups || !recs ||
	    !bucketed || !keyof) {
		rc = irmf_error_oom();
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		const irmf_settings *prev = i > 0 ? &members[i - 1]->settings :
		    NULL;
		size_t prev_r = r - (prev ? prev->n : 0);
		c.sections[i] = section_bits(members[i]->snap);
		for (size_t j = 0; j < members[i]->settings.n; j++, r++) {
			recs[r].member = i;
			recs[r].s = &members[i]->settings.items[j];
			/* servers of a cohort mostly have the same sorted keys:
			 * the previous server's j-th key is a cheap first guess */
			if (prev != NULL && j < prev->n &&
			    (prev->items[j].key == recs[r].s->key ||
			    strcmp(prev->items[j].key, recs[r].s->key) == 0))
				keyof[r] = keyof[prev_r + j];
			else if ((rc = keytab_intern(&t, recs[r].s,
			    &keyof[r])) < 0)
				goto cleanup;
			t.keys[keyof[r]].count++;
		}
	}
	/* counting sort of the records by key */
	for (size_t k = 0, pos = 0; k < t.n; k++) {
		t.keys[k].start = pos;
		pos += t.keys[k].count;
		t.keys[k].count = 0;
	}
	for (r = 0; r < total; r++) {
		keyent *k = &t.keys[keyof[r]];
		bucketed[k->start + k->count++] = recs[r];
	}
	if ((order = calloc(t.n + 1, sizeof(*order))) == NULL) {
		rc = irmf_error_oom();
		goto cleanup;
	}
	/* keys in a stable order, so that equal findings (the sort is not
	 * stable) come out the same on every run */
	for (size_t k = 0; k < t.n; k++) {
		order[k].key = t.keys[k].key;
		order[k].idx = k;
	}
	qsort(order, t.n, sizeof(*order), cmp_keyord);
	for (size_t oi = 0; oi < t.n && rc == IRMF_OK; oi++) {
		const keyent *k = &t.keys[order[oi].idx];
		for (size_t j = 0; j < k->count; j++)
			c.have[bucketed[k->start + j].member] =
			    bucketed[k->start + j].s;
		rc = compare_key(&c, k);
		for (size_t j = 0; j < k->count; j++)
			c.have[bucketed[k->start + j].member] = NULL;
	}
cleanup:
	free(c.have);
	free(c.sections);
	free(c.vals);
	free(c.groups);
	free(recs);
	free(bucketed);
	free(keyof);
	free(order);
	keytab_free(&t);
	return rc;
}

/* ------------------------------------------------------ not collected */

static const char *
reason_advice(irmf_collect_reason r)
{
	switch (r) {
	case IRMF_REASON_TIMEOUT:
		return "Collect again with a longer timeout, or when the "
		    "server is less busy.";
	case IRMF_REASON_ACCESS_DENIED:
		return "Give the collecting account read access to it (local "
		    "Administrators, or Exchange View-Only Organization "
		    "Management for the IRM configuration) and collect again.";
	case IRMF_REASON_NOT_FOUND:
		return "Check that the command or file exists on the server "
		    "(Exchange Management Shell for the IRM cmdlets) and "
		    "collect again.";
	case IRMF_REASON_PARSE_ERROR:
		return "Export the item again (whole, unedited, as the "
		    "documented command writes it) and import again.";
	case IRMF_REASON_COMMAND_FAILED:
		return "Run the command by hand on the server to see why it "
		    "fails, fix that, and collect again.";
	case IRMF_REASON_CONNECTION:
		return "Check that the server is up and reachable over SSH "
		    "from the collecting host, and collect again.";
	}
	return "Collect again.";
}

int
irmf_consensus_not_collected(const irmf_member *m, irmf_findings *out)
{
	for (size_t i = 0; i < m->snap->nerrors; i++) {
		const irmf_collect_error *e = &m->snap->errors[i];
		irmf_finding f;
		irmf_buf b = IRMF_BUF_INIT;
		int rc;

		memset(&f, 0, sizeof(f));
		f.server = m->snap->server;
		f.cohort = (char *)m->cohort;
		f.setting = e->item;
		f.kind = IRMF_FIND_NOT_COLLECTED;
		f.severity = IRMF_SEV_WARNING;
		if (strcmp(e->item, "host") == 0)
			irmf_buf_printf(&b, "%s could not be checked at all",
			    m->snap->server);
		else
			irmf_buf_printf(&b, "%s was not checked for %s",
			    m->snap->server, e->item);
		irmf_buf_printf(&b, ": collection failed (%s%s%s).  What it "
		    "has there is unknown, so it is counted neither as "
		    "consistent with its peers nor as an outlier.",
		    irmf_collect_reason_name(e->reason),
		    e->message && e->message[0] ? ": " : "",
		    e->message ? e->message : "");
		if ((f.explanation = irmf_buf_take(&b)) == NULL)
			return IRMF_ENOMEM;
		f.remediation = (char *)reason_advice(e->reason);
		rc = irmf_findings_add(out, &f);
		free(f.explanation);
		if (rc < 0)
			return rc;
	}
	return IRMF_OK;
}
