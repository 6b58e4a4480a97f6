/*
 * compare.c - the comparison driver and the public API of
 * include/irmfleet/compare.h.
 *
 * Order of work: load every snapshot (fleet.c), refuse duplicates,
 * flatten settings and assign cohorts, run consensus per cohort
 * (consensus.c) and the connector rules, add one not-collected finding per
 * failed item and per area an imported server lacks while its peers have
 * it (coverage_findings.c), apply suppressions (suppress.c), sort.  The reporters read
 * the resulting irmf_result (compare_int.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "compare_int.h"
#include "consensus.h"
#include "coverage_findings.h"
#include "error.h"
#include "fileio.h"
#include "rules.h"
#include "suppress.h"

struct irmf_compare {
	irmf_strlist paths;       /* as added: files or directories */
	char *suppress_path;
	irmf_strlist warnings;    /* "file:line: ..." for stale suppressions */
	irmf_result res;
	bool ran;
};

static const irmf_fleet *sort_fleet;   /* qsort has no context in C11 */

static int
cmp_cohort_server(const void *pa, const void *pb)
{
	const irmf_member *a = &sort_fleet->members[*(const size_t *)pa];
	const irmf_member *b = &sort_fleet->members[*(const size_t *)pb];
	int c = strcmp(a->cohort, b->cohort);

	return c != 0 ? c : strcasecmp(a->snap->server, b->snap->server);
}

/* Group member indices by cohort, servers sorted by name in each. */
static int
build_cohorts(irmf_result *r)
{
	size_t n = r->fleet.n, *idx;

	if (n == 0)
		return IRMF_OK;
	if ((idx = malloc(n * sizeof(*idx))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	sort_fleet = &r->fleet;
	qsort(idx, n, sizeof(*idx), cmp_cohort_server);
	sort_fleet = NULL;
	if ((r->cohorts = calloc(n, sizeof(*r->cohorts))) == NULL) {
		free(idx);
		return irmf_error_oom();
	}
	for (size_t i = 0; i < n;) {
		size_t j = i;
		irmf_cohort *c = &r->cohorts[r->ncohorts++];
		const char *name = r->fleet.members[idx[i]].cohort;
		while (j < n && strcmp(r->fleet.members[idx[j]].cohort,
		    name) == 0)
			j++;
		c->name = name;
		c->n = j - i;
		if ((c->members = malloc(c->n * sizeof(size_t))) == NULL) {
			free(idx);
			return irmf_error_oom();
		}
		memcpy(c->members, idx + i, c->n * sizeof(size_t));
		i = j;
	}
	free(idx);
	return IRMF_OK;
}

static int
run_consensus(irmf_result *r)
{
	irmf_member **m;
	int rc = IRMF_OK;

	if ((m = malloc((r->fleet.n + 1) * sizeof(*m))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < r->ncohorts && rc == IRMF_OK; i++) {
		const irmf_cohort *c = &r->cohorts[i];
		for (size_t j = 0; j < c->n; j++)
			m[j] = &r->fleet.members[c->members[j]];
		rc = irmf_consensus_cohort(m, c->n, c->name, &r->findings);
	}
	free(m);
	return rc;
}

/* The connector documentation's rules (rules.c), on the whole fleet. */
static unsigned load_threads(void);

static int
run_rules(irmf_result *r)
{
	irmf_snapshot **snaps;
	int rc;

	if (r->fleet.n == 0)
		return IRMF_OK;
	if ((snaps = malloc(r->fleet.n * sizeof(*snaps))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < r->fleet.n; i++)
		snaps[i] = r->fleet.members[i].snap;
	rc = irmf_rules_run_threads(snaps, r->fleet.n, &r->findings,
	    load_threads());
	free(snaps);
	return rc;
}

static int
build_unchecked(irmf_result *r)
{
	size_t total = 0;

	for (size_t i = 0; i < r->fleet.n; i++)
		total += r->fleet.members[i].snap->nerrors;
	if (total == 0)
		return IRMF_OK;
	if ((r->unchecked = calloc(total, sizeof(*r->unchecked))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < r->fleet.n; i++) {
		const irmf_member *m = &r->fleet.members[i];
		int rc;
		if (m->snap->nerrors > 0)
			r->nunchecked_servers++;
		for (size_t j = 0; j < m->snap->nerrors; j++) {
			irmf_unchecked *u = &r->unchecked[r->nunchecked++];
			u->server = m->snap->server;
			u->cohort = m->cohort;
			u->err = &m->snap->errors[j];
		}
		if ((rc = irmf_consensus_not_collected(m, &r->findings)) < 0)
			return rc;
	}
	return IRMF_OK;
}

static int
cmp_name_ci(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* A failed item is reported once, by consensus (one not-collected
 * finding per item): a rule's not-collected finding on a server that has
 * collection errors of its own only repeats it.  Rule findings that are
 * not-collected because of *another* server's failure (a connector node's
 * events, say) are kept. */
static int
drop_repeated_not_collected(irmf_result *r)
{
	irmf_findings *l = &r->findings;
	const char **failed;
	size_t nfailed = 0, keep = 0;

	/* servers with collection errors, sorted for bsearch: the findings
	 * may be many, so no scan of the fleet per finding */
	if ((failed = malloc((r->fleet.n + 1) * sizeof(*failed))) == NULL)
		return irmf_error_oom();
	for (size_t j = 0; j < r->fleet.n; j++)
		if (r->fleet.members[j].snap->nerrors > 0)
			failed[nfailed++] = r->fleet.members[j].snap->server;
	if (nfailed > 1)
		qsort(failed, nfailed, sizeof(*failed), cmp_name_ci);
	for (size_t i = 0; i < l->n; i++) {
		irmf_finding *f = &l->items[i];
		if (f->kind == IRMF_FIND_NOT_COLLECTED && f->rule_id != NULL &&
		    f->server != NULL && nfailed > 0 &&
		    bsearch(&f->server, failed, nfailed, sizeof(*failed),
		    cmp_name_ci) != NULL) {
			irmf_finding_clear(f);
			continue;
		}
		l->items[keep++] = *f;
	}
	l->n = keep;
	free(failed);
	return IRMF_OK;
}

int
irmf_result_analyze(irmf_result *r, unsigned what)
{
	int rc;

	if ((rc = irmf_fleet_check_unique(&r->fleet)) < 0 ||
	    (rc = irmf_fleet_prepare(&r->fleet)) < 0 ||
	    (rc = build_cohorts(r)) < 0)
		return rc;
	if ((what & IRMF_ANALYZE_CONSENSUS) && (rc = run_consensus(r)) < 0)
		return rc;
	if ((what & IRMF_ANALYZE_RULES) && (rc = run_rules(r)) < 0)
		return rc;
	if ((what & IRMF_ANALYZE_COVERAGE) &&
	    (rc = irmf_coverage_findings(r)) < 0)
		return rc;
	if ((rc = build_unchecked(r)) < 0)
		return rc;
	if ((rc = drop_repeated_not_collected(r)) < 0)
		return rc;
	irmf_findings_sort(&r->findings);
	return IRMF_OK;
}

/* ------------------------------------------------------------ public API */

int
irmf_compare_new(irmf_compare **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? IRMF_OK : irmf_error_oom();
}

void
irmf_compare_free(irmf_compare *c)
{
	if (c == NULL)
		return;
	irmf_strlist_clear(&c->paths);
	irmf_strlist_clear(&c->warnings);
	free(c->suppress_path);
	irmf_result_clear(&c->res);
	free(c);
}

int
irmf_compare_add_path(irmf_compare *c, const char *path)
{
	if (path == NULL || path[0] == '\0')
		return irmf_error_set(IRMF_EUSAGE, "empty snapshot path");
	return irmf_strlist_add(&c->paths, path);
}

int
irmf_compare_add_snapshot(irmf_compare *c, const irmf_snapshot *snap,
    const char *path)
{
	if (snap == NULL)
		return irmf_error_set(IRMF_EUSAGE, "no snapshot to add");
	if (c->ran)
		return irmf_error_set(IRMF_EUSAGE, "comparison already run");
	return irmf_fleet_add_borrowed(&c->res.fleet, snap, path);
}

int
irmf_compare_take_fleet(irmf_compare *c, irmf_fleet *f)
{
	if (c->ran || c->res.fleet.n > 0 || c->paths.n > 0)
		return irmf_error_set(IRMF_EUSAGE, "comparison already has "
		    "snapshots");
	irmf_fleet_clear(&c->res.fleet);
	c->res.fleet = *f;
	memset(f, 0, sizeof(*f));
	return IRMF_OK;
}

const irmf_result *
irmf_compare_result(const irmf_compare *c)
{
	return c->ran ? &c->res : NULL;
}

int
irmf_compare_set_suppress_file(irmf_compare *c, const char *path)
{
	return irmf_set_str(&c->suppress_path, path);
}

int
irmf_compare_expand_path(const char *path, irmf_report_fn warn,
    void *payload, char ***files, size_t *n)
{
	irmf_strlist list = { 0 }, warnings = { 0 };
	int rc = irmf_fleet_expand_path(path, &list, &warnings);

	for (size_t i = 0; warn != NULL && i < warnings.n; i++)
		warn(warnings.items[i], payload);
	irmf_strlist_clear(&warnings);
	if (rc < 0) {
		irmf_strlist_clear(&list);
		return rc;
	}
	*files = list.items;   /* the list's array and strings, handed over */
	*n = list.n;
	return IRMF_OK;
}

void
irmf_compare_paths_free(char **files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

/* Threads for loading: the online CPUs, capped (IRMFLEET_THREADS
 * overrides, e.g. 1 for reproducing a problem). */
static unsigned
load_threads(void)
{
	const char *env = getenv("IRMFLEET_THREADS");
	long n;

	if (env != NULL && (n = strtol(env, NULL, 10)) > 0)
		return n > 64 ? 64 : (unsigned)n;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > 16 ? 16 : (unsigned)n;
}

unsigned
irmf_compare_load_threads(void)
{
	return load_threads();
}

int
irmf_compare_run(irmf_compare *c)
{
	irmf_strlist files = { 0 };
	irmf_suppressions sup;
	int rc = IRMF_OK;

	memset(&sup, 0, sizeof(sup));
	if (c->ran)
		return irmf_error_set(IRMF_EUSAGE, "comparison already run");
	c->ran = true;
	if (c->paths.n == 0 && c->res.fleet.n == 0)
		return irmf_error_set(IRMF_EUSAGE, "no snapshots to compare");
	if (c->suppress_path != NULL &&
	    (rc = irmf_suppress_load(&sup, c->suppress_path)) < 0)
		goto cleanup;
	for (size_t i = 0; i < c->paths.n; i++)
		if ((rc = irmf_fleet_expand_path(c->paths.items[i],
		    &files, &c->warnings)) < 0)
			goto cleanup;
	if ((rc = irmf_fleet_load(&c->res.fleet, files.items, files.n,
	    load_threads())) < 0 ||
	    (rc = irmf_fleet_check_names(&c->res.fleet, &c->warnings)) < 0 ||
	    (rc = irmf_result_analyze(&c->res, IRMF_ANALYZE_ALL)) < 0)
		goto cleanup;
	if ((rc = irmf_suppress_apply(&sup, &c->res.findings)) < 0)
		goto cleanup;
	/* a suppression that matches nothing is stale: the difference it
	 * accepted is gone (or the line has a typo) */
	for (size_t i = 0; i < sup.n && rc == IRMF_OK; i++) {
		char msg[512];
		if (sup.items[i].hits > 0)
			continue;
		snprintf(msg, sizeof(msg), "%s:%zu: suppression matches no "
		    "finding", sup.file, sup.items[i].line);
		rc = irmf_strlist_add(&c->warnings, msg);
	}
	if (rc < 0)
		goto cleanup;
	irmf_findings_sort(&c->res.findings);
cleanup:
	irmf_strlist_clear(&files);
	irmf_suppress_clear(&sup);
	return rc;
}

int
irmf_compare_report(const irmf_compare *c, FILE *out,
    irmf_report_format format, unsigned flags)
{
	if (!c->ran)
		return irmf_error_set(IRMF_EUSAGE, "comparison not run");
	switch (format) {
	case IRMF_FORMAT_TEXT:
		if (flags & IRMF_REPORT_BRIEF)
			return irmf_report_brief(&c->res, out, flags);
		return irmf_report_text(&c->res, out, flags);
	case IRMF_FORMAT_JSON:
		return irmf_report_json(&c->res, out, flags);
	case IRMF_FORMAT_HTML:
		return irmf_report_html(&c->res, out, flags);
	case IRMF_FORMAT_JUNIT:
		return irmf_report_junit(&c->res, out, flags);
	case IRMF_FORMAT_PROMETHEUS:
		return irmf_report_prometheus(&c->res, out, flags);
	case IRMF_FORMAT_NAGIOS:
		return irmf_report_nagios(&c->res, out, flags);
	}
	return irmf_error_set(IRMF_EUSAGE, "unknown report format %d",
	    (int)format);
}

typedef struct compare_out {
	const irmf_compare *c;
	irmf_report_format format;
	unsigned flags;
} compare_out;

static int
render_compare(void *ctx, FILE *f)
{
	const compare_out *o = ctx;

	return irmf_compare_report(o->c, f, o->format, o->flags);
}

int
irmf_compare_report_file(const irmf_compare *c, const char *path,
    irmf_report_format format, unsigned flags)
{
	compare_out o = { c, format, flags };

	return irmf_file_write_rendered(path, render_compare, &o);
}

int
irmf_compare_counts_get(const irmf_compare *c, irmf_compare_counts *out)
{
	if (!c->ran)
		return irmf_error_set(IRMF_EUSAGE, "comparison not run");
	irmf_result_counts(&c->res, out);
	return IRMF_OK;
}

size_t
irmf_compare_warnings(const irmf_compare *c, char *const **out)
{
	*out = c->warnings.items;
	return c->warnings.n;
}

int
irmf_report_format_parse(const char *name, irmf_report_format *out)
{
	static const struct { const char *name; irmf_report_format f; }
	    names[] = {
		{ "text", IRMF_FORMAT_TEXT }, { "json", IRMF_FORMAT_JSON },
		{ "html", IRMF_FORMAT_HTML }, { "junit", IRMF_FORMAT_JUNIT },
		{ "prometheus", IRMF_FORMAT_PROMETHEUS },
		{ "nagios", IRMF_FORMAT_NAGIOS },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].f;
			return IRMF_OK;
		}
	return irmf_error_set(IRMF_EUSAGE, "unknown report format '%s' "
	    "(text, json, html, junit, prometheus or nagios)", name);
}

