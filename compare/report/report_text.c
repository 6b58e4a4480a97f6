/*
 * report_text.c - the comparison for a terminal: a summary first (what
 * was compared and how bad it is), then the findings grouped by severity
 * and server, each with the evidence, why it matters and the fix; then
 * suppressed findings (one line each, with the reason) and the items that
 * could not be checked.  Colours only with IRMF_REPORT_COLOR (the CLI
 * sets it when stdout is a terminal and NO_COLOR is unset).  Everything
 * that comes from the fleet (names, keys, values, texts filled with them)
 * is written through irmfleet/textesc.h, so a control sequence or bidi
 * override in a registry value shows as \x1b or \u202e instead of acting
 * on the terminal.
 *
 * Every server is shown with its identity (collector/snapshot/identity.h): the
 * summary counts per cohort what decided the servers' generation and
 * names the servers whose generation is unknown, and each server's
 * findings start with a header naming its cohort, generation and the
 * evidence for it, so that a finding about v14 keys can be read knowing
 * why the server is taken for Exchange 2010.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "digest.h"
#include "error.h"
#include "identity.h"
#include "irmfleet/textesc.h"

#define WRAP 78

typedef struct tctx {
	FILE *out;
	bool color;
	const irmf_result *r;
	const irmf_snapshot **by_name;   /* the fleet sorted by server, or
	                                  * NULL (headers show the cohort) */
} tctx;

static const char *
c_on(const tctx *t, const char *code)
{
	return t->color ? code : "";
}

static const char *
c_off(const tctx *t)
{
	return t->color ? "\033[0m" : "";
}

static const char *
sev_color(irmf_severity s)
{
	switch (s) {
	case IRMF_SEV_ERROR: return "\033[1;31m";
	case IRMF_SEV_WARNING: return "\033[1;33m";
	case IRMF_SEV_INFO: return "\033[1;36m";
	}
	return "";
}

static const char *
plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Print text word-wrapped at WRAP columns, every line indented; explicit
 * newlines (commands in a remediation) are kept, and lines that are
 * commands are never broken. */
static void
wrapped(const tctx *t, const char *text, int indent)
{
	const char *p = text;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		bool command = strncmp(p, "reg ", 4) == 0 ||
		    strncmp(p, "Set-", 4) == 0 || strncmp(p, "[", 1) == 0 ||
		    strncmp(p, "# ", 2) == 0;
		size_t col = 0, i = 0;

		fprintf(t->out, "%*s", indent, "");
		while (i < len) {
			size_t w = i;
			while (w < len && p[w] != ' ')
				w++;
			if (!command && col > 0 &&
			    col + (w - i) + indent + 1 > WRAP) {
				fprintf(t->out, "\n%*s", indent, "");
				col = 0;
			} else if (col > 0) {
				fputc(' ', t->out);
				col++;
			}
			irmf_text_fwrite(p + i, w - i, t->out);
			col += w - i;
			i = w;
			while (i < len && p[i] == ' ')
				i++;
		}
		fputc('\n', t->out);
		p += len;
		if (*p == '\n')
			p++;
	}
}

/* What decided a generation, as the summary counts it. */
static const char *
decided_name(const irmf_identity *id)
{
	if (id->generation == IRMF_GEN_UNKNOWN)
		return "unknown";
	if (id->generation == IRMF_GEN_CONFLICT)
		return "conflict";
	switch (id->decided_by) {
	case IRMF_EV_FILE: return "by ExSetup.exe";
	case IRMF_EV_SETUP_KEY: return "by setup key";
	case IRMF_EV_PRODUCT: return "by product build";
	case IRMF_EV_CONFIG_KEYS: return "by config keys only";
	}
	return "unknown";
}

/* "  (3 by ExSetup.exe, 1 by config keys only)" after a cohort's line:
 * how sure the cohort's membership is.  Nothing for cohorts whose servers
 * have no generation (connector nodes, FCI). */
static void
cohort_identities(const tctx *t, const irmf_cohort *c)
{
	static const char *const kinds[] = { "by ExSetup.exe", "by setup key",
	    "by product build", "by config keys only", "unknown", "conflict" };
	size_t counts[sizeof(kinds) / sizeof(kinds[0])] = { 0 };
	bool any = false;

	for (size_t i = 0; i < c->n; i++) {
		irmf_identity id;
		irmf_identity_of(t->r->fleet.members[c->members[i]].snap, &id);
		if (id.generation == IRMF_GEN_NONE)
			continue;
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (strcmp(kinds[k], decided_name(&id)) == 0)
				counts[k]++;
	}
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (counts[k] == 0)
			continue;
		fprintf(t->out, "%s%zu %s", any ? ", " : "  (", counts[k],
		    kinds[k]);
		any = true;
	}
	if (any)
		fputc(')', t->out);
}

/* "generation unknown: 2 servers (EX03, EX04) ..." when any server's
 * generation could not be established: such a server is compared with
 * no peers, which the reader of the summary must know. */
static void
unknown_generations(const tctx *t, const irmf_result *r)
{
	size_t n = 0;

	for (int pass = 0; pass < 2; pass++) {
		size_t k = 0;
		for (size_t i = 0; i < r->fleet.n; i++) {
			const irmf_snapshot *s = r->fleet.members[i].snap;
			irmf_identity id;
			irmf_identity_of(s, &id);
			if (id.generation != IRMF_GEN_UNKNOWN &&
			    id.generation != IRMF_GEN_CONFLICT)
				continue;
			if (pass == 0)
				n++;
			else
				irmf_text_printf(t->out, "%s%s", k++ ? ", " :
				    "", s->server);
		}
		if (n == 0)
			return;
		if (pass == 0)
			fprintf(t->out, "generation unknown or contradictory: "
			    "%zu %s (", n, plural(n, "server", "servers"));
	}
	fprintf(t->out, "), compared with no peers\n");
}

/* Which connector authorization list the auth-* rules judged by: a
 * typed one (with roles), or one derived from event 1004 (accounts only:
 * no finding rests on it as an error). */
static void
auth_source(const tctx *t, const irmf_result *r)
{
	const char *src = irmf_result_auth_source(r);

	if (src == NULL)
		return;
	if (strcmp(src, "csv") == 0)
		fprintf(t->out, "authorization list: typed (CSV, with roles)\n");
	else
		fprintf(t->out, "authorization list: derived from the connector "
		    "nodes' event 1004\n  (accounts only, roles unknown: import "
		    "the CSV, docs/authorization-list.md)\n");
}

static void
summary(const tctx *t, const irmf_result *r)
{
	irmf_compare_counts c;

	irmf_result_counts(r, &c);
	fprintf(t->out, "%sirmfleet compare%s: %zu %s in %zu %s\n",
	    c_on(t, "\033[1m"), c_off(t), c.servers,
	    plural(c.servers, "server", "servers"), c.cohorts,
	    plural(c.cohorts, "cohort", "cohorts"));
	for (size_t i = 0; i < r->ncohorts; i++) {
		fprintf(t->out, "  %-22s %zu %s", r->cohorts[i].name,
		    r->cohorts[i].n, plural(r->cohorts[i].n, "server",
		    "servers"));
		cohort_identities(t, &r->cohorts[i]);
		fputc('\n', t->out);
	}
	unknown_generations(t, r);
	auth_source(t, r);
	fprintf(t->out, "findings: %s%zu error%s%s, %s%zu warning%s%s, "
	    "%zu info", c.errors ? c_on(t, sev_color(IRMF_SEV_ERROR)) : "",
	    c.errors, plural(c.errors, "", "s"), c.errors ? c_off(t) : "",
	    c.warnings ? c_on(t, sev_color(IRMF_SEV_WARNING)) : "",
	    c.warnings, plural(c.warnings, "", "s"),
	    c.warnings ? c_off(t) : "", c.infos);
	fprintf(t->out, "; %zu suppressed\n", c.suppressed);
	if (r->nunchecked_servers > 0) {
		fprintf(t->out, "not checked: %zu %s (", r->nunchecked_servers,
		    plural(r->nunchecked_servers, "server", "servers"));
		for (size_t i = 0; i < r->nunchecked; i++)
			if (i == 0 || strcmp(r->unchecked[i].server,
			    r->unchecked[i - 1].server) != 0)
				irmf_text_printf(t->out, "%s%s", i ? ", " : "",
				    r->unchecked[i].server);
		fprintf(t->out, ")\n");
	}
	if (c.findings == 0)
		fprintf(t->out, "no findings: every server agrees with its "
		    "peers%s\n", r->nunchecked_servers ? " (on what could be "
		    "checked)" : "");
}

/*
 * Findings that share setting, kind, rule and expected value (the same
 * outlier on many servers) have the same reason and the same fix: the
 * first is printed in full, the others refer to it, so that a fleet with
 * fifty old servers reads as one explanation and fifty names.
 */
typedef struct seen_tab {
	const irmf_finding **slots;
	size_t cap;                  /* power of two, or 0 if unavailable */
} seen_tab;

/* FNV-1a of s, then a byte no text holds, so ("ab", "c") and ("a", "bc")
 * differ. */
static uint64_t
mix(uint64_t h, const char *s)
{
	return (irmf_fnv1a(h, s) ^ 0xff) * IRMF_FNV1A_PRIME;
}

static bool
same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static bool
same_advice(const irmf_finding *a, const irmf_finding *b)
{
	return a->kind == b->kind && a->severity == b->severity &&
	    same_text(a->setting, b->setting) &&
	    same_text(a->rule_id, b->rule_id) &&
	    same_text(a->expected, b->expected) &&
	    same_text(a->remediation, b->remediation);
}

/* The earlier finding with the same advice, or NULL (f is then recorded). */
static const irmf_finding *
seen_before(seen_tab *st, const irmf_finding *f)
{
	size_t j;

	if (st->cap == 0 || f->kind == IRMF_FIND_NOT_COLLECTED ||
	    f->server == NULL)
		return NULL;
	j = mix(mix(mix(IRMF_FNV1A_INIT, f->setting), f->rule_id),
	    f->expected) & (st->cap - 1);
	for (; st->slots[j] != NULL; j = (j + 1) & (st->cap - 1))
		if (same_advice(st->slots[j], f))
			return st->slots[j];
	st->slots[j] = f;
	return NULL;
}

static void
one_finding(const tctx *t, const irmf_finding *f, const irmf_finding *like,
    bool own_severity)
{
	fprintf(t->out, "    %s%s%s%s%s  ", c_on(t, "\033[1m"),
	    irmf_finding_kind_name(f->kind), c_off(t),
	    own_severity ? " " : "", own_severity ?
	    irmf_severity_name(f->severity) : "");
	irmf_text_printf(t->out, "%s\n", f->setting);
	if (f->rule_id)
		irmf_text_printf(t->out, "      rule:         %s\n", f->rule_id);
	if (f->value)
		irmf_text_printf(t->out, "      value:        %s\n", f->value);
	if (f->expected)
		irmf_text_printf(t->out, "      expected:     %s\n",
		    f->expected);
	if (like != NULL) {
		irmf_text_printf(t->out, "      why, fix:     as for %s above\n",
		    like->server);
		return;
	}
	if (f->distribution)
		irmf_text_printf(t->out, "      distribution: %s\n",
		    f->distribution);
	if (f->explanation) {
		fprintf(t->out, "      why:\n");
		wrapped(t, f->explanation, 8);
	}
	if (f->remediation) {
		fprintf(t->out, "      fix:\n");
		wrapped(t, f->remediation, 8);
	}
}

static int
cmp_by_name(const void *a, const void *b)
{
	return strcasecmp((*(const irmf_snapshot *const *)a)->server,
	    (*(const irmf_snapshot *const *)b)->server);
}

/* The snapshot of a finding's server (names are unique without case in
 * a fleet), or NULL. */
static const irmf_snapshot *
server_snap(const tctx *t, const char *server)
{
	size_t lo = 0, hi = t->by_name ? t->r->fleet.n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const irmf_snapshot *s = t->by_name[mid];
		int c = strcasecmp(server, s->server);
		if (c == 0)
			return s;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* "  EX10A (exchange-v14; Exchange 2010 from ExSetup.exe 14.3.389.1)":
 * the server, its cohort and what it runs, with the evidence. */
static void
server_header(const tctx *t, const irmf_finding *f)
{
	const irmf_snapshot *s = server_snap(t, f->server);
	irmf_identity id;
	char what[1024];

	fprintf(t->out, "  %s", c_on(t, "\033[1m"));
	irmf_text_fputs(f->server, t->out);
	fputs(c_off(t), t->out);
	if (s != NULL)
		irmf_identity_of(s, &id);
	if (s == NULL || id.generation == IRMF_GEN_NONE) {
		irmf_text_printf(t->out, " (%s)\n", f->cohort);
		return;
	}
	if (id.nevidence == 0 && irmf_snapshot_error_for(s, "host") != NULL)
		snprintf(what, sizeof(what), "not reached: generation unknown");
	else
		irmf_identity_describe(&id, what, sizeof(what));
	irmf_text_printf(t->out, " (%s; %s)\n", f->cohort, what);
}

static const char *
section_name(irmf_severity s)
{
	return s == IRMF_SEV_ERROR ? "ERRORS" : s == IRMF_SEV_WARNING ?
	    "WARNINGS" : "INFO";
}

/* A group of several findings gets a line naming the cause, and each
 * finding less severe than the group says its own severity; a group of
 * one prints as an ungrouped finding always did. */
static void
group(const tctx *t, const irmf_fgroup *g, seen_tab *st)
{
	if (g->n > 1) {
		fprintf(t->out, "    %sroot cause%s: ", c_on(t, "\033[1m"),
		    c_off(t));
		irmf_text_printf(t->out, "%s (%zu findings, fixed together)\n",
		    g->cause, g->n);
	}
	for (size_t i = 0; i < g->n; i++) {
		const irmf_finding *f = g->items[i];
		one_finding(t, f, seen_before(st, f), f->severity != g->worst);
	}
}

static void
findings(const tctx *t, const irmf_result *r, const irmf_fgroups *gs)
{
	const irmf_fgroup *prev = NULL;
	seen_tab st = { NULL, 0 };
	size_t cap = 16;

	while (cap < r->findings.n * 2)
		cap *= 2;
	/* without the table every finding is printed in full: still right */
	if ((st.slots = calloc(cap, sizeof(*st.slots))) != NULL)
		st.cap = cap;
	for (size_t i = 0; i < gs->n; i++) {
		const irmf_fgroup *g = &gs->g[i];
		const irmf_finding *f = g->items[0];
		if (prev == NULL || prev->worst != g->worst) {
			fprintf(t->out, "\n%s%s%s\n", c_on(t,
			    sev_color(g->worst)), section_name(g->worst),
			    c_off(t));
			prev = NULL;
		}
		if ((prev == NULL || !same_text(prev->server, g->server) ||
		    !same_text(prev->cohort, g->cohort)) && f->server) {
			server_header(t, f);
		} else if (prev == NULL || !same_text(prev->server, g->server) ||
		    !same_text(prev->cohort, g->cohort)) {
			fprintf(t->out, "  %scohort ", c_on(t, "\033[1m"));
			irmf_text_fputs(f->cohort ? f->cohort : "?", t->out);
			fputs(c_off(t), t->out);
			fputs(" (all servers)\n", t->out);
		}
		group(t, g, &st);
		prev = g;
	}
	free(st.slots);
}

static void
suppressed(const tctx *t, const irmf_result *r)
{
	if (r->findings.nsuppressed == 0)
		return;
	fprintf(t->out, "\nSUPPRESSED (%zu)\n", r->findings.nsuppressed);
	for (size_t i = 0; i < r->findings.n; i++) {
		const irmf_finding *f = &r->findings.items[i];
		if (!f->suppressed)
			continue;
		irmf_text_printf(t->out, "  %s %s %s %s -- %s\n",
		    f->server ? f->server : f->cohort,
		    irmf_severity_name(f->severity),
		    irmf_finding_kind_name(f->kind), f->setting,
		    f->suppress_reason ? f->suppress_reason : "");
	}
}

static void
unchecked(const tctx *t, const irmf_result *r)
{
	if (r->nunchecked == 0)
		return;
	fprintf(t->out, "\nNOT CHECKED (%zu %s on %zu %s)\n", r->nunchecked,
	    plural(r->nunchecked, "item", "items"), r->nunchecked_servers,
	    plural(r->nunchecked_servers, "server", "servers"));
	for (size_t i = 0; i < r->nunchecked; i++) {
		const irmf_unchecked *u = &r->unchecked[i];
		irmf_text_printf(t->out, "  %s: %s (%s%s%s)\n", u->server,
		    u->err->item,
		    irmf_collect_reason_name(u->err->reason),
		    u->err->message ? ": " : "",
		    u->err->message ? u->err->message : "");
	}
}

int
irmf_report_text(const irmf_result *r, FILE *out, unsigned flags)
{
	tctx t;
	irmf_fgroups gs;

	t.out = out;
	t.color = (flags & IRMF_REPORT_COLOR) != 0;
	t.r = r;
	/* without the index headers show the cohort only: still right */
	if ((t.by_name = malloc((r->fleet.n + 1) * sizeof(*t.by_name))) !=
	    NULL) {
		for (size_t i = 0; i < r->fleet.n; i++)
			t.by_name[i] = r->fleet.members[i].snap;
		qsort(t.by_name, r->fleet.n, sizeof(*t.by_name), cmp_by_name);
	}
	summary(&t, r);
	if (irmf_fgroups_build(r, &gs) < 0) {
		free(t.by_name);
		return irmf_error_last()->code;
	}
	findings(&t, r, &gs);
	irmf_fgroups_clear(&gs);
	free(t.by_name);
	suppressed(&t, r);
	unchecked(&t, r);
	if (fflush(out) != 0 || ferror(out))
		return irmf_error_set(IRMF_EIO, "writing the text report "
		    "failed");
	return IRMF_OK;
}
