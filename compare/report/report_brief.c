/*
 * report_brief.c - `irmfleet compare --brief`: one line per server that
 * needs action (an error or a warning), worst first, naming its worst
 * problem and how many findings it has, for a cron mail or a chat
 * message.  Cohort-wide findings (no majority) get a line of their own.
 * Values from the fleet go through irmfleet/textesc.h as in the full text
 * report.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "error.h"
#include "irmfleet/textesc.h"

/* Whether an earlier group already gave this server its line. */
static bool
printed(const irmf_fgroups *gs, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (irmf_fgroup_same_server(&gs->g[j], &gs->g[i]) &&
		    gs->g[j].worst > IRMF_SEV_INFO)
			return true;
	return false;
}

static void
line(FILE *out, const irmf_fgroups *gs, size_t i)
{
	const irmf_fgroup *g = &gs->g[i];
	size_t n = 0;
	char problem[1024];

	for (size_t j = 0; j < gs->n; j++)
		if (irmf_fgroup_same_server(&gs->g[j], g))
			n += gs->g[j].n;
	irmf_finding_problem(g->items[0], problem, sizeof(problem));
	if (g->server)
		irmf_text_printf(out, "%s: %s: %s", g->server,
		    irmf_severity_name(g->worst), problem);
	else
		irmf_text_printf(out, "cohort %s: %s: %s", g->cohort ?
		    g->cohort : "?", irmf_severity_name(g->worst), problem);
	fprintf(out, " (%zu %s)\n", n, n == 1 ? "finding" : "findings");
}

int
irmf_report_brief(const irmf_result *r, FILE *out, unsigned flags)
{
	irmf_fgroups gs;
	size_t lines = 0;

	(void)flags;
	if (irmf_fgroups_build(r, &gs) < 0)
		return irmf_error_last()->code;
	for (size_t i = 0; i < gs.n; i++) {
		if (gs.g[i].worst == IRMF_SEV_INFO || printed(&gs, i))
			continue;
		line(out, &gs, i);
		lines++;
	}
	if (lines == 0)
		fprintf(out, "no server needs action (%zu %s compared)\n",
		    r->fleet.n, r->fleet.n == 1 ? "server" : "servers");
	irmf_fgroups_clear(&gs);
	if (fflush(out) != 0 || ferror(out))
		return irmf_error_set(IRMF_EIO, "writing the brief report "
		    "failed");
	return IRMF_OK;
}
