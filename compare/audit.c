/*
 * audit.c - the periodic drift audit (include/irmfleet/audit.h): load
 * every snapshot through the fleet loader (fleet.c, as compare does,
 * every bad input reported), compare the fleet as it is now, record the
 * run in the history (compare/store/) and find the drift and the stale
 * servers; the report is written by compare/report/report_audit.c.
 *
 * Loading and comparing come before recording, and the caller opens the
 * store only after they succeeded: an input the comparison refuses (two
 * snapshots of one server) must not be recorded, nor a database created
 * for it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compare_int.h"
#include "error.h"
#include "fileio.h"
#include "irmfleet/audit.h"
#include "report_audit.h"

struct irmf_audit {
	irmf_audit_options o;
	irmf_strlist files;          /* the inputs, expanded */
	irmf_host_failure *failed;   /* hosts without a snapshot (owned) */
	size_t nfailed, capfailed;
	irmf_compare *cmp;           /* NULL when nothing was compared */
	irmf_snapshot **snaps;       /* the compared fleet's, in input order */
	size_t nsnaps, ninvalid;
	irmf_compare_counts counts;
	irmf_run_summary sum;
	irmf_changes drift, stale;
	size_t changes, not_checked;
	irmf_audit_timeline *tl;     /* per server that changed (HTML) */
	size_t ntl;
	bool old_input, recorded;
};

void
irmf_audit_options_init(irmf_audit_options *o)
{
	memset(o, 0, sizeof(*o));
	o->stale_seconds = 7 * 86400;
	o->stale_label = "7d";
}

int
irmf_audit_new(irmf_audit **out, const irmf_audit_options *o)
{
	irmf_audit *a = calloc(1, sizeof(*a));

	*out = NULL;
	if (a == NULL)
		return irmf_error_oom();
	if (o != NULL)
		a->o = *o;
	else
		irmf_audit_options_init(&a->o);
	*out = a;
	return IRMF_OK;
}

void
irmf_audit_free(irmf_audit *a)
{
	if (a == NULL)
		return;
	irmf_strlist_clear(&a->files);
	for (size_t i = 0; i < a->nfailed; i++) {
		free((char *)a->failed[i].server);
		free((char *)a->failed[i].message);
	}
	free(a->failed);
	irmf_compare_free(a->cmp);
	free(a->snaps);
	irmf_changes_clear(&a->drift);
	irmf_changes_clear(&a->stale);
	for (size_t i = 0; i < a->ntl; i++) {
		irmf_changes_clear(&a->tl[i].history);
		for (size_t k = 0; k < a->tl[i].nsince; k++)
			irmf_current_clear(&a->tl[i].since[k].cur);
		free(a->tl[i].since);
	}
	free(a->tl);
	free(a);
}

static void
note(const irmf_audit *a, irmf_audit_note kind, const char *line)
{
	if (a->o.note != NULL)
		a->o.note(kind, line, a->o.note_payload);
}

int
irmf_audit_add_path(irmf_audit *a, const char *path)
{
	irmf_strlist warnings = { 0 };
	int rc = irmf_fleet_expand_path(path, &a->files, &warnings);

	for (size_t i = 0; i < warnings.n; i++)
		note(a, IRMF_AUDIT_WARNING, warnings.items[i]);
	irmf_strlist_clear(&warnings);
	return rc;
}

int
irmf_audit_add_failure(irmf_audit *a, const char *server,
    const char *message)
{
	irmf_host_failure *f;

	if (server == NULL || server[0] == '\0')
		return irmf_error_set(IRMF_EUSAGE, "failed host without a name");
	if (a->nfailed == a->capfailed) {
		size_t ncap = a->capfailed ? a->capfailed * 2 : 16;
		f = realloc(a->failed, ncap * sizeof(*f));
		if (f == NULL)
			return irmf_error_oom();
		a->failed = f;
		a->capfailed = ncap;
	}
	f = &a->failed[a->nfailed];
	f->server = irmf_strdup(server);
	f->message = irmf_strdup(message ? message : "not collected");
	if (f->server == NULL || f->message == NULL) {
		free((char *)f->server);
		free((char *)f->message);
		return IRMF_ENOMEM;
	}
	a->nfailed++;
	return IRMF_OK;
}

/* Per loaded file, in input order: a file that did not load, or one
 * named after another server than the one it holds. */
static void
loaded(size_t i, const irmf_member *m, const char *failure, void *payload)
{
	irmf_audit *a = payload;
	char msg[4400];

	(void)i;
	if (m == NULL) {
		a->ninvalid++;
		note(a, IRMF_AUDIT_INVALID, failure);
	} else if (irmf_compare_name_mismatch(m->snap, m->path, msg,
	    sizeof(msg))) {
		note(a, IRMF_AUDIT_WARNING, msg);
	}
}

/* Compare the loaded fleet (which the comparison takes over). */
static int
compare_fleet(irmf_audit *a, irmf_fleet *fleet)
{
	int rc;

	if ((a->snaps = calloc(fleet->n + 1, sizeof(*a->snaps))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < fleet->n; i++)
		a->snaps[i] = fleet->members[i].snap;
	a->nsnaps = fleet->n;
	if ((rc = irmf_compare_new(&a->cmp)) < 0 ||
	    (rc = irmf_compare_take_fleet(a->cmp, fleet)) < 0)
		return rc;
	if (a->o.suppress != NULL &&
	    (rc = irmf_compare_set_suppress_file(a->cmp, a->o.suppress)) < 0)
		return rc;
	if ((rc = irmf_compare_run(a->cmp)) < 0)
		return rc;
	return irmf_compare_counts_get(a->cmp, &a->counts);
}

int
irmf_audit_compare(irmf_audit *a)
{
	irmf_fleet fleet = { 0 };
	int rc;

	if (a->cmp != NULL || a->ninvalid > 0)
		return irmf_error_set(IRMF_EUSAGE, "audit already compared");
	memset(&a->counts, 0, sizeof(a->counts));
	if (a->files.n == 0)   /* every host of an inventory failed */
		return IRMF_OK;
	rc = irmf_fleet_load_each(&fleet, a->files.items, a->files.n,
	    irmf_compare_load_threads(), loaded, a);
	if (rc == IRMF_OK)
		rc = compare_fleet(a, &fleet);
	irmf_fleet_clear(&fleet);   /* empty unless it was not handed on */
	return rc;
}

size_t
irmf_audit_invalid(const irmf_audit *a)
{
	return a->ninvalid;
}

size_t
irmf_audit_inputs(const irmf_audit *a)
{
	return a->files.n;
}

static int
cmp_name_ci(const void *x, const void *y)
{
	return strcasecmp(*(const char *const *)x, *(const char *const *)y);
}

/* Whether every server of this run is itself stale: then the input is
 * an old export (or the example fleet), not a fleet of decommissioned
 * servers, and suggesting `forget` on each line would mislead.  Sorted
 * names: a big fleet must not cost servers x stale comparisons. */
static bool
run_all_stale(const irmf_changes *stale, irmf_snapshot *const *snaps,
    size_t n)
{
	const char **names;
	bool all = true;

	if (n == 0 || stale->n < n)
		return false;
	if ((names = malloc(stale->n * sizeof(*names))) == NULL)
		return false;   /* only the wording of the report depends on it */
	for (size_t j = 0; j < stale->n; j++)
		names[j] = stale->items[j].server;
	qsort(names, stale->n, sizeof(*names), cmp_name_ci);
	for (size_t i = 0; i < n && all; i++) {
		const char *name = irmf_snapshot_server(snaps[i]);
		all = name != NULL && bsearch(&name, names, stale->n,
		    sizeof(*names), cmp_name_ci) != NULL;
	}
	free(names);
	return all;
}

static void
count_changes(irmf_audit *a, const irmf_changes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		if (irmf_change_is_unchecked(c->items[i].kind))
			a->not_checked++;
		else
			a->changes++;
	}
}

/* Since when each setting of the server that drifted differs from the
 * majority (drift is in server order: its changes are [first, end)). */
static int
timeline_since(irmf_store *st, irmf_audit_timeline *t,
    const irmf_changes *drift, size_t first, size_t end)
{
	int rc;

	if ((t->since = calloc(end - first, sizeof(*t->since))) == NULL)
		return irmf_error_oom();
	for (size_t i = first; i < end; i++) {
		const irmf_change *c = &drift->items[i];
		irmf_audit_since *s = &t->since[t->nsince];
		if (!irmf_audit_change_is_drift(c) || c->setting == NULL ||
		    t->nsince == IRMF_AUDIT_SINCE_MAX)
			continue;
		s->setting = c->setting;
		if ((rc = irmf_store_current(st, t->server, c->setting,
		    &s->cur)) < 0)
			return rc;
		t->nsince++;
	}
	return IRMF_OK;
}

/* One server's timeline: its latest recorded changes, newest first. */
static int
timeline(irmf_store *st, irmf_audit_timeline *t, const irmf_changes *drift,
    size_t first, size_t end, bool fetch)
{
	irmf_history_query q = { .server = drift->items[first].server,
	    .limit = IRMF_AUDIT_TIMELINE_MAX + 1 };
	int rc;

	t->server = q.server;
	/* each query is quick, but a fleet-wide change (a new connector
	 * URL everywhere) must not make every audit slow: only for the
	 * HTML report, and for the first changed servers */
	if (!fetch)
		return IRMF_OK;
	t->fetched = true;
	if ((rc = irmf_store_history(st, &q, &t->history)) < 0)
		return rc;
	/* the one more says there are more; the report shows the limit */
	t->truncated = t->history.n > IRMF_AUDIT_TIMELINE_MAX;
	return timeline_since(st, t, drift, first, end);
}

/* The servers whose configuration changed since the previous audit,
 * with their timelines when asked for (the report layer cannot query
 * the store). */
static int
timelines(irmf_audit *a, irmf_store *st)
{
	const irmf_changes *d = &a->drift;
	size_t i = 0;
	int rc;

	if (d->n > 0 && (a->tl = calloc(d->n, sizeof(*a->tl))) == NULL)
		return irmf_error_oom();
	while (i < d->n) {
		size_t end = i;
		bool drifted = false;
		while (end < d->n && strcasecmp(d->items[end].server,
		    d->items[i].server) == 0)
			drifted |= irmf_audit_change_is_drift(&d->items[end++]);
		if (drifted && (rc = timeline(st, &a->tl[a->ntl], d, i, end,
		    a->o.timelines && a->ntl < IRMF_AUDIT_TIMELINE_SERVERS)) < 0)
			return rc;
		a->ntl += drifted;
		i = end;
	}
	return IRMF_OK;
}

int
irmf_audit_record(irmf_audit *a, irmf_store *st)
{
	int rc;

	if (a->recorded)
		return irmf_error_set(IRMF_EUSAGE, "audit already recorded");
	if ((rc = irmf_store_record_run(st, a->snaps, a->nsnaps, a->failed,
	    a->nfailed, a->o.at, &a->sum, &a->drift)) < 0 ||
	    (rc = irmf_store_stale(st, a->sum.at, a->o.stale_seconds,
	    &a->stale)) < 0)
		return rc;
	if ((rc = timelines(a, st)) < 0)
		return rc;
	a->recorded = true;
	count_changes(a, &a->drift);
	count_changes(a, &a->stale);
	a->old_input = run_all_stale(&a->stale, a->snaps, a->nsnaps);
	return IRMF_OK;
}

const irmf_run_summary *
irmf_audit_summary(const irmf_audit *a)
{
	return &a->sum;
}

const irmf_changes *
irmf_audit_drift(const irmf_audit *a)
{
	return &a->drift;
}

const irmf_changes *
irmf_audit_stale(const irmf_audit *a)
{
	return &a->stale;
}

void
irmf_audit_counts(const irmf_audit *a, irmf_compare_counts *out)
{
	*out = a->counts;
}

size_t
irmf_audit_changes(const irmf_audit *a)
{
	return a->changes;
}

size_t
irmf_audit_not_checked(const irmf_audit *a)
{
	return a->not_checked;
}

irmf_audit_result
irmf_audit_result_of(const irmf_audit *a)
{
	if (a->not_checked > 0 || a->counts.not_collected > 0)
		return IRMF_AUDIT_NOT_CHECKED;
	if (a->changes > 0)
		return IRMF_AUDIT_DRIFT;
	if (a->counts.findings > 0)
		return IRMF_AUDIT_FINDINGS;
	return IRMF_AUDIT_CLEAN;
}

static void
view_of(const irmf_audit *a, irmf_audit_view *v)
{
	*v = (irmf_audit_view){
		.comparison = a->cmp ? irmf_compare_result(a->cmp) : NULL,
		.sum = &a->sum, .drift = &a->drift, .stale = &a->stale,
		.stale_label = a->o.stale_label, .db_label = a->o.db_label,
		.old_input = a->old_input, .changes = a->changes,
		.not_checked = a->not_checked, .findings = a->counts.findings,
		.result = (int)irmf_audit_result_of(a),
		.timelines = a->tl, .ntimelines = a->ntl,
	};
}

int
irmf_audit_write(const irmf_audit *a, FILE *out, irmf_report_format format,
    unsigned flags)
{
	irmf_audit_view v;

	if (!a->recorded)
		return irmf_error_set(IRMF_EUSAGE, "audit not recorded");
	view_of(a, &v);
	return irmf_report_audit(&v, out, format, flags);
}

int
irmf_audit_report(const irmf_audit *a, FILE *out, irmf_report_format format)
{
	return irmf_audit_write(a, out, format, 0);
}

typedef struct audit_out {
	const irmf_audit *a;
	irmf_report_format format;
	unsigned flags;
} audit_out;

static int
render_audit(void *ctx, FILE *f)
{
	const audit_out *o = ctx;

	return irmf_audit_write(o->a, f, o->format, o->flags);
}

int
irmf_audit_write_file(const irmf_audit *a, const char *path,
    irmf_report_format format, unsigned flags)
{
	audit_out o = { a, format, flags };

	return irmf_file_write_rendered(path, render_audit, &o);
}

int
irmf_audit_nagios_state(const irmf_audit *a)
{
	irmf_audit_view v;

	if (!a->recorded)
		return IRMF_NAGIOS_UNKNOWN;
	view_of(a, &v);
	return irmf_report_audit_nagios_state(&v);
}
