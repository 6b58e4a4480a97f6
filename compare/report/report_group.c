/*
 * report_group.c - what the reporters share: the grouping of findings by
 * root cause (report.h says what a group is and why), the one-line
 * problem of a finding as the brief text, the HTML first screen and the
 * JUnit/Nagios outputs state it, and the facts a report gives about
 * itself (tool version, generation time, the time range of the data).
 *
 * The families are domain knowledge, kept in one table: which settings
 * and rules are about where a server sends its RMS traffic, which about
 * whether the connector lets it in, and so on.  A finding matches a
 * family by its setting key or by its rule id.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "error.h"
#include "irmfleet/store.h"

typedef struct family {
	const char *label;
	const char *const *settings;   /* substrings of the setting key */
	const char *const *rules;      /* prefixes of the rule id */
} family;

static const char *const url_settings[] = { "ServerRedirection",
    "\\ServiceLocation\\", "LicensingRedirection", "probe:", NULL };
static const char *const url_rules[] = { "connector-url", "events-http",
    "probe-", "connector-unreachable", "redirection-",
    "exchange-redirection", "msdrm-connector", "exchange-msdrm",
    "msipc-certification", "msipc-publishing", "msipc-licensing",
    "publishing-points", NULL };
static const char *const auth_settings[] = { "auth:", "identity:groups",
    NULL };
static const char *const auth_rules[] = { "auth-", "events-unauthorized",
    "events-no-access", NULL };
static const char *const irm_settings[] = { "irm:", "irm-test:", NULL };
static const char *const irm_rules[] = { "irm-", NULL };
static const char *const ver_settings[] = { "file:", "product:", NULL };
static const char *const ver_rules[] = { "exchange-2010-build",
    "exchange-2013-build", "msipc-version", NULL };

static const family families[] = {
	{ "connector URLs", url_settings, url_rules },
	{ "connector authorization", auth_settings, auth_rules },
	{ "IRM configuration", irm_settings, irm_rules },
	{ "versions", ver_settings, ver_rules },
};

static bool
any_in(const char *s, const char *const *needles)
{
	for (; s != NULL && *needles != NULL; needles++)
		if (strstr(s, *needles) != NULL)
			return true;
	return false;
}

static bool
any_prefix(const char *s, const char *const *prefixes)
{
	for (; s != NULL && *prefixes != NULL; prefixes++)
		if (strncmp(s, *prefixes, strlen(*prefixes)) == 0)
			return true;
	return false;
}

const char *
irmf_finding_cause(const irmf_finding *f)
{
	/* a failed collection is its own cause, whatever it was about */
	if (f->kind == IRMF_FIND_NOT_COLLECTED)
		return f->setting ? f->setting : "";
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (any_in(f->setting, families[i].settings) ||
		    any_prefix(f->rule_id, families[i].rules))
			return families[i].label;
	return f->setting ? f->setting : "";
}

const char *const irmf_report_checks[] = { "connector URLs",
    "connector authorization", "IRM configuration", "versions",
    "other settings", "collection", NULL };

const char *
irmf_finding_check(const irmf_finding *f)
{
	const char *c = irmf_finding_cause(f);

	if (f->kind == IRMF_FIND_NOT_COLLECTED)
		return "collection";
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (c == families[i].label)
			return c;
	return "other settings";
}

void
irmf_finding_problem(const irmf_finding *f, char *buf, size_t len)
{
	const char *k = f->setting ? f->setting : "?";

	switch (f->kind) {
	case IRMF_FIND_OUTLIER:
		snprintf(buf, len, "%s differs from its peers", k);
		break;
	case IRMF_FIND_SPLIT:
		snprintf(buf, len, "no majority value for %s", k);
		break;
	case IRMF_FIND_RULE:
		snprintf(buf, len, "%s breaks rule %s", k,
		    f->rule_id ? f->rule_id : "?");
		break;
	case IRMF_FIND_MISSING:
		snprintf(buf, len, "%s is missing (its peers have it)", k);
		break;
	case IRMF_FIND_NOT_COLLECTED:
		snprintf(buf, len, "%s could not be collected", k);
		break;
	}
}

static int
cmp_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcasecmp(a, b);
}

/* Group members sit together: same server, cohort and cause, then the
 * report order (items are pointers into the sorted findings array). */
static int
cmp_member(const void *pa, const void *pb)
{
	const irmf_finding *a = *(const irmf_finding *const *)pa;
	const irmf_finding *b = *(const irmf_finding *const *)pb;
	int c = cmp_text(a->server, b->server);

	if (c == 0)
		c = cmp_text(a->cohort, b->cohort);
	if (c == 0)
		c = strcmp(irmf_finding_cause(a), irmf_finding_cause(b));
	if (c == 0)
		c = (a > b) - (a < b);
	return c;
}

static int
cmp_group(const void *pa, const void *pb)
{
	const irmf_fgroup *a = pa, *b = pb;

	if (a->worst != b->worst)
		return a->worst > b->worst ? -1 : 1;
	if (cmp_text(a->server, b->server) != 0)
		return cmp_text(a->server, b->server);
	return (a->items[0] > b->items[0]) - (a->items[0] < b->items[0]);
}

static bool
same_group(const irmf_finding *a, const irmf_finding *b)
{
	return cmp_text(a->server, b->server) == 0 &&
	    cmp_text(a->cohort, b->cohort) == 0 &&
	    strcmp(irmf_finding_cause(a), irmf_finding_cause(b)) == 0;
}

int
irmf_fgroups_build(const irmf_result *r, irmf_fgroups *out)
{
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	out->all = calloc(r->findings.n + 1, sizeof(*out->all));
	out->g = calloc(r->findings.n + 1, sizeof(*out->g));
	if (out->all == NULL || out->g == NULL) {
		irmf_fgroups_clear(out);
		return irmf_error_oom();
	}
	for (size_t i = 0; i < r->findings.n; i++)
		if (!r->findings.items[i].suppressed)
			out->all[n++] = &r->findings.items[i];
	qsort(out->all, n, sizeof(*out->all), cmp_member);
	for (size_t i = 0; i < n; i++) {
		const irmf_finding *f = out->all[i];
		irmf_fgroup *g = &out->g[out->n];
		if (i > 0 && same_group(out->all[i - 1], f)) {
			g = &out->g[out->n - 1];
			g->n++;
			if (f->severity > g->worst)
				g->worst = f->severity;
			continue;
		}
		g->server = f->server;
		g->cohort = f->cohort;
		g->cause = irmf_finding_cause(f);
		g->items = &out->all[i];
		g->n = 1;
		g->worst = f->severity;
		out->n++;
	}
	qsort(out->g, out->n, sizeof(*out->g), cmp_group);
	return IRMF_OK;
}

void
irmf_fgroups_clear(irmf_fgroups *g)
{
	free(g->all);
	free(g->g);
	memset(g, 0, sizeof(*g));
}

bool
irmf_report_server_reached(const irmf_snapshot *s)
{
	return irmf_snapshot_error_for(s, "host") == NULL;
}

/* The directory the first snapshot came from ("fleet" for
 * examples/fleet/EX01.xml): how an admin names the fleet. */
static void
fleet_name(const irmf_result *r, char *buf, size_t len)
{
	const char *p = r->fleet.n ? r->fleet.members[0].path : NULL;
	const char *slash, *start;

	snprintf(buf, len, "fleet");
	if (p == NULL || (slash = strrchr(p, '/')) == NULL)
		return;
	start = slash;
	while (start > p && start[-1] != '/')
		start--;
	if (slash > start)
		snprintf(buf, len, "%.*s", (int)(slash - start), start);
}

void
irmf_report_meta_get(const irmf_result *r, irmf_report_meta *m)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end = NULL;
	long long t = sde && *sde ? strtoll(sde, &end, 10) : 0;

	memset(m, 0, sizeof(*m));
	m->version = IRMF_VERSION;
	m->generated_t = end && *end == '\0' && t >= 0 ? (time_t)t :
	    time(NULL);
	irmf_time_format(m->generated_t, m->generated, sizeof(m->generated));
	for (size_t i = 0; i < r->fleet.n; i++) {
		const char *at = r->fleet.members[i].snap->collected_at;
		/* ISO 8601 UTC text sorts chronologically */
		if (at == NULL || strlen(at) >= sizeof(m->oldest))
			continue;
		if (m->oldest[0] == '\0' || strcmp(at, m->oldest) < 0)
			snprintf(m->oldest, sizeof(m->oldest), "%s", at);
		if (strcmp(at, m->newest) > 0)
			snprintf(m->newest, sizeof(m->newest), "%s", at);
	}
	fleet_name(r, m->fleet, sizeof(m->fleet));
}

bool
irmf_fgroup_same_server(const irmf_fgroup *a, const irmf_fgroup *b)
{
	/* groups without a server (cohort- or fleet-wide) belong together
	 * when they are of the same cohort */
	if (a->server == NULL || b->server == NULL)
		return a->server == b->server && a->cohort && b->cohort &&
		    strcmp(a->cohort, b->cohort) == 0;
	return strcasecmp(a->server, b->server) == 0;
}
