/*
 * rules_identity.c - the rule that says when a server's product
 * generation could not be established (see collector/snapshot/identity.h).
 *
 * Such a server sits in a cohort of its own ("exchange-unknown",
 * "sharepoint-unknown"): it is compared with nobody and the rules that
 * depend on the generation (v14 or v15 keys, MSDRM or MSIPC, minimum
 * builds) do not run on it.  This finding is what makes that visible: it
 * names the evidence found, what contradicts what, and what to export.
 */
#include <stdio.h>

#include "identity.h"
#include "rules_int.h"

int
irmf_chk_identity(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	irmf_identity id;
	char what[1024];

	/* a host not reached at all has its own not-collected finding */
	if (irmf_snapshot_error_for(s, "host") != NULL)
		return IRMF_OK;
	irmf_identity_of(s, &id);
	if (id.generation != IRMF_GEN_UNKNOWN &&
	    id.generation != IRMF_GEN_CONFLICT)
		return IRMF_OK;
	irmf_identity_describe(&id, what, sizeof(what));
	return irmf_rule_report(run, rule, s, "identity:generation", what,
	    rule->want, NULL);
}
