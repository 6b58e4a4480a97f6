/*
 * coverage_findings.c - one not-collected finding per (imported server,
 * area) that its peers have and it lacks (see coverage_findings.h; the
 * areas and their export commands are collector/snapshot/coverage.c's table).
 *
 * Only imports are judged: `collect` asks for every area of a role, so a
 * collected snapshot without, say, file versions had none to find, and a
 * failed item is already a collection error with its own finding.  An
 * area whose collection failed is left to that finding, and a server of
 * unknown generation is left to the exchange-/sharepoint-identity rule for its
 * generation evidence (it says what to export), so nothing is said twice.
 * Get-IRMConfiguration is the organisation's, judged once for the fleet
 * (rules_org.c): a peer's export covers a server that has none.
 */
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "coverage_findings.h"
#include "identity.h"
#include "buf.h"

/* Per cohort: how many members expect each area, and how many have it. */
typedef struct cohort_count {
	size_t expect[IRMF_AREA_COUNT];
	size_t have[IRMF_AREA_COUNT];
} cohort_count;

static size_t
product_len(const char *cohort)
{
	if (strncmp(cohort, "exchange-", 9) == 0)
		return 9;
	if (strncmp(cohort, "sharepoint-", 11) == 0)
		return 11;
	return 0;
}

/* Are the servers of cohort d peers of those of cohort c?  The same
 * cohort; and a cohort of unknown generation with every cohort of its
 * product, either way (its servers may be of any generation). */
static bool
peer_cohorts(const char *c, const char *d)
{
	size_t n = product_len(c);

	if (strcmp(c, d) == 0)
		return true;
	return n > 0 && strncmp(c, d, n) == 0 &&
	    (irmf_cohort_unidentified(c) || irmf_cohort_unidentified(d));
}

static void
count_cohort(const irmf_result *r, size_t ci, cohort_count *out)
{
	const irmf_cohort *c = &r->cohorts[ci];

	for (size_t j = 0; j < c->n; j++) {
		const irmf_snapshot *s = r->fleet.members[c->members[j]].snap;
		for (unsigned a = 0; a < IRMF_AREA_COUNT; a++) {
			if (!irmf_area_expected((irmf_area)a, s->roles))
				continue;
			out->expect[a]++;
			if (irmf_area_present(s, (irmf_area)a))
				out->have[a]++;
		}
	}
}

/* The generation of a server of unknown generation is the
 * exchange-/sharepoint-identity rule's finding, with what to export. */
static bool
identity_rule_says_it(const irmf_snapshot *s, irmf_area a)
{
	irmf_identity id;

	if (a != IRMF_AREA_GENERATION)
		return false;
	irmf_identity_of(s, &id);
	return id.generation == IRMF_GEN_UNKNOWN ||
	    id.generation == IRMF_GEN_CONFLICT;
}

static int
add_finding(irmf_result *r, const irmf_member *m, irmf_area a,
    size_t have, size_t peers)
{
	const irmf_snapshot *s = m->snap;
	irmf_buf b = IRMF_BUF_INIT;
	irmf_finding f;
	char setting[64];
	int rc;

	memset(&f, 0, sizeof(f));
	snprintf(setting, sizeof(setting), "coverage:%s", irmf_area_name(a));
	f.server = s->server;
	f.cohort = (char *)m->cohort;
	f.setting = setting;
	f.kind = IRMF_FIND_NOT_COLLECTED;
	f.severity = IRMF_SEV_WARNING;
	irmf_buf_printf(&b, "%s was not checked for %s: its import has no "
	    "%s, while %zu of %zu peers have it; what it has there is "
	    "unknown, so it is counted neither as consistent with its peers "
	    "nor as an outlier.", s->server, irmf_area_name(a),
	    irmf_area_what(s, a), have, peers);
	f.explanation = irmf_buf_take(&b);
	irmf_buf_printf(&b, "Export it on %s: %s; then import it with the "
	    "server's other files (irmfleet import --server %s --out DIR "
	    "with all of its files: the snapshot is written anew).",
	    s->server, irmf_area_how(s, a), s->server);
	f.remediation = irmf_buf_take(&b);
	rc = f.explanation && f.remediation ?
	    irmf_findings_add(&r->findings, &f) : irmf_error_oom();
	free(f.explanation);
	free(f.remediation);
	return rc;
}

static int
check_member(irmf_result *r, const irmf_member *m, const cohort_count *cnt,
    size_t ncohorts)
{
	const irmf_snapshot *s = m->snap;

	if (s->method != IRMF_METHOD_IMPORT)
		return IRMF_OK;
	for (unsigned a = 0; a < IRMF_AREA_COUNT; a++) {
		size_t have = 0, expect = 0;
		int rc;

		if (!irmf_area_expected((irmf_area)a, s->roles) ||
		    irmf_area_org_wide((irmf_area)a) ||
		    irmf_area_present(s, (irmf_area)a) ||
		    irmf_area_failed(s, (irmf_area)a) ||
		    identity_rule_says_it(s, (irmf_area)a))
			continue;
		for (size_t d = 0; d < ncohorts; d++)
			if (peer_cohorts(m->cohort, r->cohorts[d].name)) {
				have += cnt[d].have[a];
				expect += cnt[d].expect[a];
			}
		/* itself: expected, not had */
		if (have == 0 || expect < 2)
			continue;
		if ((rc = add_finding(r, m, (irmf_area)a, have,
		    expect - 1)) < 0)
			return rc;
	}
	return IRMF_OK;
}

int
irmf_coverage_findings(irmf_result *r)
{
	cohort_count *cnt;
	int rc = IRMF_OK;

	if (r->ncohorts == 0)
		return IRMF_OK;
	if ((cnt = calloc(r->ncohorts, sizeof(*cnt))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < r->ncohorts; i++)
		count_cohort(r, i, &cnt[i]);
	for (size_t i = 0; i < r->ncohorts && rc == IRMF_OK; i++)
		for (size_t j = 0; j < r->cohorts[i].n && rc == IRMF_OK; j++)
			rc = check_member(r, &r->fleet.members[
			    r->cohorts[i].members[j]], cnt, r->ncohorts);
	free(cnt);
	return rc;
}
