/*
 * rules.c - the engine that applies the rule table (rules_table.c) to a
 * fleet (see rules.h).
 *
 * Facts used by several checks (the fleet's tenant and connector URLs, the
 * majority scheme; the connector-side facts in rules_connector.c) are
 * computed once before any check runs, in parallel parts of the fleet,
 * then every server's checks run, again in parts.  Shared helpers live in
 * rules_util.c.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "normalize.h"
#include "rules_int.h"
#include "settings.h"

/* --------------------------------------------------------- fleet facts */

/* A tally of normalized strings, to find the most common one. */
typedef struct tally {
	char **keys;
	size_t *counts;
	size_t n, cap;
	bool err;
} tally;

/* Count key n more times. */
static void
tally_add_n(tally *t, const char *key, size_t n)
{
	if (t->err || key == NULL || key[0] == '\0')
		return;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->keys[i], key) == 0) {
			t->counts[i] += n;
			return;
		}
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 8;
		char **k = realloc(t->keys, ncap * sizeof(*k));
		size_t *c;
		if (k == NULL) {
			t->err = true;
			return;
		}
		t->keys = k;
		if ((c = realloc(t->counts, ncap * sizeof(*c))) == NULL) {
			t->err = true;
			return;
		}
		t->counts = c;
		t->cap = ncap;
	}
	if ((t->keys[t->n] = irmf_strdup(key)) == NULL) {
		t->err = true;
		return;
	}
	t->counts[t->n++] = n;
}

static void
tally_add(tally *t, const char *key)
{
	tally_add_n(t, key, 1);
}

/* Add src's counts to dst: keys new to dst come after dst's own, in src's
 * order, so merging the tallies of consecutive slices of the fleet gives
 * the "first seen" order of one pass over it. */
static void
tally_merge(tally *dst, const tally *src)
{
	dst->err |= src->err;
	for (size_t i = 0; i < src->n; i++)
		tally_add_n(dst, src->keys[i], src->counts[i]);
}

/* Most common key (first seen wins a tie) or NULL; *unique says whether
 * no other key has the same count. */
static const char *
tally_top(const tally *t, bool *unique)
{
	size_t best = 0;

	*unique = false;
	if (t->n == 0)
		return NULL;
	for (size_t i = 1; i < t->n; i++)
		if (t->counts[i] > t->counts[best])
			best = i;
	*unique = true;
	for (size_t i = 0; i < t->n; i++)
		if (i != best && t->counts[i] == t->counts[best])
			*unique = false;
	return t->keys[best];
}

static void
tally_clear(tally *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->keys[i]);
	free(t->keys);
	free(t->counts);
	memset(t, 0, sizeof(*t));
}

static void
tally_url_base(tally *t, const char *url)
{
	char *b;

	if (url == NULL || !irmf_is_url(url))
		return;
	if ((b = irmf_url_base(url)) == NULL) {
		t->err = true;
		return;
	}
	tally_add(t, b);
	free(b);
}

/* Feed the tenant tally: tenant-shaped URLs (irmf_url_is_tenant) the
 * server's registry names (redirection value names, MSDRM ServiceLocation
 * on Exchange); another *.aadrm.com host is not the tenant. */
static void
tally_key_names(irmf_rule_run *run, tally *ten, const irmf_snapshot *s,
    const char *path)
{
	const irmf_reg_key *k = irmf_rule_find(run, s, path);

	for (size_t i = 0; k != NULL && i < k->nvalues; i++)
		if (irmf_url_is_tenant(k->values[i].name))
			tally_url_base(ten, k->values[i].name);
}

static void
tally_tenant(irmf_rule_run *run, tally *ten, const irmf_snapshot *s)
{
	unsigned c = irmf_rule_bit(run, s);
	const char *u;

	if (c & IRMF_RC_EXCHANGE) {
		char *csr = irmf_rule_path(run, IRMF_K_EXCH_IRM
		    "\\CertificationServerRedirection", s);
		char *lsr = irmf_rule_path(run, IRMF_K_EXCH_IRM
		    "\\LicenseServerRedirection", s);
		if (csr == NULL || lsr == NULL)
			ten->err = true;
		else {
			tally_key_names(run, ten, s, csr);
			tally_key_names(run, ten, s, lsr);
		}
		free(csr);
		free(lsr);
		if ((u = irmf_rule_reg_str(run, s, IRMF_K_MSDRM_SL "\\Activation",
		    "")) != NULL && irmf_url_is_tenant(u))
			tally_url_base(ten, u);
	}
	if (c & IRMF_RC_CLIENTS)
		tally_key_names(run, ten, s, IRMF_K_MSIPC_SL "\\LicensingRedirection");
}

/* Per server: the distinct connector bases and schemes it uses. */
typedef struct conn_ctx {
	tally mine, schemes;
} conn_ctx;

static int
conn_cb(void *p, const char *setting, const char *url)
{
	conn_ctx *c = p;
	bool seen = false;
	const char *sch = strncasecmp(url, "https://", 8) == 0 ? "https" :
	    "http";

	(void)setting;
	tally_url_base(&c->mine, url);
	for (size_t i = 0; i < c->schemes.n; i++)
		seen |= strcmp(c->schemes.keys[i], sch) == 0;
	if (!seen)
		tally_add(&c->schemes, sch);
	return (c->mine.err || c->schemes.err) ? IRMF_ENOMEM : IRMF_OK;
}

/* The fleet's URL tallies: tenant bases, connector bases (counted by
 * occurrence), schemes (once a server). */
typedef struct url_tallies {
	tally ten, con, sch;
	tally sch_role[IRMF_RULE_ROLES];   /* schemes within each role */
} url_tallies;

static void
url_tallies_clear(url_tallies *u)
{
	tally_clear(&u->ten);
	tally_clear(&u->con);
	tally_clear(&u->sch);
	for (int r = 0; r < IRMF_RULE_ROLES; r++)
		tally_clear(&u->sch_role[r]);
}

static int
tally_servers(irmf_rule_run *run, size_t from, size_t to, url_tallies *u)
{
	int rc = IRMF_OK;

	for (size_t i = from; i < to && rc >= 0; i++) {
		conn_ctx c = { { 0 }, { 0 } };
		tally_tenant(run, &u->ten, run->snaps[i]);
		rc = irmf_rule_conn_urls(run, run->snaps[i], conn_cb, &c);
		tally_merge(&u->con, &c.mine);
		tally_merge(&u->sch, &c.schemes);
		if (irmf_rule_role_ix(run->snaps[i]) >= 0)
			tally_merge(&u->sch_role[irmf_rule_role_ix(
			    run->snaps[i])], &c.schemes);
		tally_clear(&c.mine);
		tally_clear(&c.schemes);
	}
	return rc;
}

/* The fleet's tenant and connector URLs and majority scheme, from the
 * merged tallies. */
static int
settle_urls(irmf_rule_run *run, const url_tallies *u)
{
	const char *t;
	bool uniq;

	if (u->ten.err || u->con.err || u->sch.err)
		return irmf_error_oom();
	if ((t = tally_top(&u->ten, &uniq)) != NULL &&
	    (run->tenant = irmf_strdup(t)) == NULL)
		return IRMF_ENOMEM;
	if ((t = tally_top(&u->con, &uniq)) != NULL &&
	    (run->connector = irmf_strdup(t)) == NULL)
		return IRMF_ENOMEM;
	if ((t = tally_top(&u->sch, &uniq)) != NULL && uniq)
		run->scheme = strcmp(t, "https") == 0 ? "https" : "http";
	for (int r = 0; r < IRMF_RULE_ROLES; r++) {
		if (u->sch_role[r].err)
			return irmf_error_oom();
		if ((t = tally_top(&u->sch_role[r], &uniq)) != NULL && uniq)
			run->scheme_role[r] = strcmp(t, "https") == 0 ?
			    "https" : "http";
	}
	return IRMF_OK;
}

/* ------------------------------------------------------------- driver */

/* Every rule on servers [from, to). */
static int
check_servers(irmf_rule_run *run, size_t from, size_t to)
{
	size_t nrules;
	const irmf_rule_info *rules = irmf_rules_table(&nrules);
	int rc;

	/* server by server, so the lookups each server's checks share stay
	 * remembered (irmf_rule_find) */
	for (size_t i = from; i < to; i++) {
		unsigned bit = irmf_rule_bit(run, run->snaps[i]);
		run->cur = i;
		for (size_t r = 0; r < nrules; r++) {
			const irmf_rule_info *rule = &rules[r];
			if (!(bit & rule->cohorts))
				continue;
			if ((rc = rule->check(rule, run, run->snaps[i])) < 0)
				return rc;
		}
	}
	return IRMF_OK;
}

/*
 * Big fleets are split into slices of consecutive servers, one thread
 * each, for the two per-server passes: tallying URLs and the checks.  A
 * slice works on a private copy of the run: the passes change only the
 * per-server state (cur, the lookup memo, the not-collected marks) and
 * their output (tallies, findings), and only read what was prepared
 * before.  Outputs are merged in slice order, so the result is that of
 * one pass over the fleet.
 */
typedef struct rules_part {
	irmf_rule_run run;
	int (*work)(struct rules_part *);
	size_t from, to;
	url_tallies urls;
	irmf_findings found;
	int rc;
	char msg[IRMF_ERROR_MSG_MAX];
} rules_part;

#define MAX_PARTS 16
#define MIN_PER_PART 256   /* below this a thread costs more than it saves */

static int
part_tally(rules_part *p)
{
	return tally_servers(&p->run, p->from, p->to, &p->urls);
}

static int
part_check(rules_part *p)
{
	return check_servers(&p->run, p->from, p->to);
}

static void *
part_main(void *arg)
{
	rules_part *p = arg;

	irmf_error_clear();
	if ((p->rc = p->work(p)) < 0)
		snprintf(p->msg, sizeof(p->msg), "%s",
		    irmf_error_last()->message);
	return NULL;
}

/* Run `work` on nparts slices of run's servers; the first failure (in
 * slice order) becomes this thread's error. */
static int
run_parts(const irmf_rule_run *run, rules_part *parts, unsigned nparts,
    int (*work)(rules_part *))
{
	pthread_t tid[MAX_PARTS];
	bool started[MAX_PARTS] = { false };

	for (unsigned t = 0; t < nparts; t++) {
		rules_part *p = &parts[t];
		memset(p, 0, sizeof(*p));
		p->run = *run;
		p->run.out = &p->found;
		p->run.memo_snap = NULL;
		p->run.nmemo = 0;
		p->run.nc_auth_mark = p->run.nc_events_mark = 0;
		p->work = work;
		p->from = run->n * t / nparts;
		p->to = run->n * (t + 1) / nparts;
	}
	for (unsigned t = 1; t < nparts; t++)
		started[t] = pthread_create(&tid[t], NULL, part_main,
		    &parts[t]) == 0;
	for (unsigned t = 0; t < nparts; t++)
		if (t == 0 || !started[t])
			part_main(&parts[t]);   /* no thread: same work here */
	for (unsigned t = 1; t < nparts; t++)
		if (started[t])
			pthread_join(tid[t], NULL);
	for (unsigned t = 0; t < nparts; t++)
		if (parts[t].rc < 0)
			return irmf_error_set(parts[t].rc, "%s", parts[t].msg);
	return IRMF_OK;
}

static int
prepare_urls(irmf_rule_run *run, rules_part *parts, unsigned nparts)
{
	url_tallies all;
	int rc;

	memset(&all, 0, sizeof(all));
	if (nparts <= 1)
		rc = tally_servers(run, 0, run->n, &all);
	else if ((rc = run_parts(run, parts, nparts, part_tally)) == 0)
		for (unsigned t = 0; t < nparts; t++) {
			tally_merge(&all.ten, &parts[t].urls.ten);
			tally_merge(&all.con, &parts[t].urls.con);
			tally_merge(&all.sch, &parts[t].urls.sch);
			for (int r = 0; r < IRMF_RULE_ROLES; r++)
				tally_merge(&all.sch_role[r],
				    &parts[t].urls.sch_role[r]);
		}
	for (unsigned t = 0; t < nparts && nparts > 1; t++)
		url_tallies_clear(&parts[t].urls);
	if (rc >= 0)
		rc = settle_urls(run, &all);
	url_tallies_clear(&all);
	return rc;
}

static int
check_all(irmf_rule_run *run, rules_part *parts, unsigned nparts)
{
	int rc;

	if (nparts <= 1)
		return check_servers(run, 0, run->n);
	rc = run_parts(run, parts, nparts, part_check);
	for (unsigned t = 0; t < nparts; t++) {
		if (rc == IRMF_OK)
			rc = irmf_findings_move(run->out, &parts[t].found);
		irmf_findings_clear(&parts[t].found);
	}
	return rc;
}

int
irmf_rules_run_threads(irmf_snapshot *const *snaps, size_t n,
    irmf_findings *out, unsigned threads)
{
	irmf_rule_run run = { 0 };
	rules_part *parts = NULL;
	unsigned nparts = threads;
	size_t first;
	int rc;

	run.snaps = snaps;
	run.n = n;
	run.out = out;
	if (nparts > MAX_PARTS)
		nparts = MAX_PARTS;
	if (nparts > n / MIN_PER_PART)
		nparts = (unsigned)(n / MIN_PER_PART);
	if (nparts > 1 && (parts = calloc(nparts, sizeof(*parts))) == NULL)
		return irmf_error_oom();
	if ((rc = prepare_urls(&run, parts, nparts)) < 0 ||
	    (rc = irmf_rules_prepare_connector(&run)) < 0)
		goto out;
	first = out->n;
	if ((rc = check_all(&run, parts, nparts)) == IRMF_OK)
		rc = irmf_rules_org(&run, out, first);
out:
	free(parts);
	irmf_rules_release_connector(&run);
	free(run.tenant);
	free(run.connector);
	return rc;
}

int
irmf_rules_run(irmf_snapshot *const *snaps, size_t n, irmf_findings *out)
{
	return irmf_rules_run_threads(snaps, n, out, 1);
}
