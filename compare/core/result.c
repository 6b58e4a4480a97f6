/*
 * result.c - freeing a comparison result and counting its findings for
 * the summary line and the exit code.  Kept apart from the driver so the
 * reporters, which count, do not depend on the driver that calls them.
 */
#include <stdlib.h>
#include <string.h>

#include "result.h"

void
irmf_result_clear(irmf_result *r)
{
	/* the fleet last: freeing a big block (a cohort's member list) after
	 * the fleet's millions of small ones makes glibc consolidate all of
	 * those at once, which took more time than freeing them */
	for (size_t i = 0; i < r->ncohorts; i++)
		free(r->cohorts[i].members);
	free(r->cohorts);
	irmf_findings_clear(&r->findings);
	free(r->unchecked);
	irmf_fleet_clear(&r->fleet);
	memset(r, 0, sizeof(*r));
}

const char *
irmf_result_auth_source(const irmf_result *r)
{
	const char *src = NULL;

	for (size_t i = 0; i < r->fleet.n; i++) {
		const irmf_snapshot *s = r->fleet.members[i].snap;
		if (!s->has_authorizations)
			continue;
		if (s->auth_source == IRMF_AUTH_TYPED)
			return "csv";
		src = "event-1004";
	}
	return src;
}

void
irmf_result_counts(const irmf_result *r, irmf_compare_counts *out)
{
	memset(out, 0, sizeof(*out));
	out->servers = r->fleet.n;
	out->cohorts = r->ncohorts;
	out->not_checked_servers = r->nunchecked_servers;
	for (size_t i = 0; i < r->findings.n; i++) {
		const irmf_finding *f = &r->findings.items[i];
		if (f->suppressed) {
			out->suppressed++;
			continue;
		}
		out->findings++;
		if (f->kind == IRMF_FIND_NOT_COLLECTED)
			out->not_collected++;
		if (f->severity == IRMF_SEV_ERROR)
			out->errors++;
		else if (f->severity == IRMF_SEV_WARNING)
			out->warnings++;
		else
			out->infos++;
	}
}

