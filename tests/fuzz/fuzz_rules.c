/*
 * fuzz_rules.c - libFuzzer target for the connector rules (compare/
 * rules*.c) on snapshots read from arbitrary XML: the input is loaded as a
 * snapshot, and the rules run on a fleet of it, a copy of it that claims
 * the connector role (so its authorizations and events are used against
 * the first), and the two alone.  Every finding must name its rule,
 * setting, explanation, remediation and cohort, and its server unless it
 * is about the organisation or the connector as a whole; nothing may
 * crash, leak or trip the sanitizers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "rules.h"
#include "snapshot_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
run(irmf_snapshot *const *snaps, size_t n)
{
	irmf_findings f = { 0 };

	if (irmf_rules_run(snaps, n, &f) != 0)
		abort();    /* only allocation failure may fail */
	for (size_t i = 0; i < f.n; i++) {
		const irmf_finding *x = &f.items[i];
		/* a fleet-level finding (the organisation's Get-IRMConfiguration,
		 * a connector no server reaches) names no server */
		if (x->rule_id == NULL || x->setting == NULL ||
		    x->explanation == NULL || x->remediation == NULL ||
		    x->cohort == NULL)
			abort();
		if (x->server == NULL && strcmp(x->cohort, "organization") != 0 &&
		    strcmp(x->cohort, "connector") != 0)
			abort();
	}
	irmf_findings_clear(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	irmf_snapshot *s[2] = { NULL, NULL };

	if (irmf_snapshot_load_buffer(&s[0], (const char *)data, size,
	    "fuzz.xml") != 0)
		return 0;
	if (irmf_snapshot_load_buffer(&s[1], (const char *)data, size,
	    "fuzz.xml") != 0)
		abort();    /* the same bytes loaded once already */
	s[1]->roles |= IRMF_ROLE_CONNECTOR;
	run(s, 2);
	run(s, 1);
	run(s + 1, 1);
	irmf_snapshot_free(s[0]);
	irmf_snapshot_free(s[1]);
	return 0;
}
