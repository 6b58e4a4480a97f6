/*
 * cohort.c - which servers are compared with each other (settings.h):
 * the cohort of a server from its roles and its generation (identity.c),
 * remembered on the snapshot because compare asks for it many times; and
 * what the generation means for a fix (the GenConnectorConfig switch, how
 * MSIPC is configured).  A server whose generation is unknown or
 * contradictory gets a cohort of its own kind and is compared with nobody.
 */
#include <stdbool.h>
#include <string.h>

#include "identity.h"
#include "settings.h"

static bool
has_role(const char *roles, const char *role)
{
	size_t n = strlen(role);

	for (const char *p = roles; (p = strstr(p, role)) != NULL; p += n)
		if ((p == roles || p[-1] == ' ' || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ','))
			return true;
	return false;
}

/* Does the connector documentation configure an Exchange server of these
 * roles (Get-ExchangeServer's, NULL when not exported: then assume so)?
 * configure-servers-rms-connector: Exchange 2010 Client Access and Hub
 * Transport, 2013 Client Access and Mailbox, 2016/2019 Mailbox (which
 * includes both); an Edge Transport server is never configured, so its
 * missing keys are no finding. */
static bool
exchange_configured(const char *roles, irmf_generation gen)
{
	if (roles == NULL)
		return true;
	if (gen == IRMF_GEN_EXCHANGE_2010)
		return has_role(roles, "ClientAccess") ||
		    has_role(roles, "HubTransport");
	return has_role(roles, "Mailbox") || has_role(roles, "ClientAccess") ||
	    has_role(roles, "HubTransport");
}

void
irmf_cohort_remember(irmf_snapshot *snap)
{
	snap->cohort_memo = NULL;
	snap->cohort_memo = irmf_cohort_of(snap);
	snap->memo_roles = snap->roles;
	snap->memo_nkeys = snap->nkeys;
	snap->memo_nfiles = snap->nfiles;
}

const char *
irmf_cohort_of(const irmf_snapshot *snap)
{
	irmf_identity id;

	if (snap->cohort_memo != NULL && snap->memo_roles == snap->roles &&
	    snap->memo_nkeys == snap->nkeys && snap->memo_nfiles == snap->nfiles)
		return snap->cohort_memo;

	if (snap->roles & (IRMF_ROLE_EXCHANGE | IRMF_ROLE_SHAREPOINT)) {
		/* never a cohort the server may not belong to: without
		 * evidence of its generation it is compared with nobody */
		irmf_identity_of(snap, &id);
		if ((snap->roles & IRMF_ROLE_EXCHANGE) &&
		    !exchange_configured(snap->exchange_roles, id.generation))
			return "exchange-not-configured";
		switch (id.generation) {
		case IRMF_GEN_EXCHANGE_2010: return "exchange-v14";
		case IRMF_GEN_EXCHANGE_2013: return "exchange-v15";
		case IRMF_GEN_SHAREPOINT_2010: return "sharepoint-2010-fci";
		case IRMF_GEN_SHAREPOINT_2013: return "sharepoint-2013+";
		default:
			return (snap->roles & IRMF_ROLE_EXCHANGE) ?
			    "exchange-unknown" : "sharepoint-unknown";
		}
	}
	if (snap->roles & IRMF_ROLE_FCI)
		return "sharepoint-2010-fci";
	if (snap->roles & IRMF_ROLE_CONNECTOR)
		return "connector";
	return "unknown";
}

const char *
irmf_genconfig_switch(const irmf_snapshot *snap)
{
	const char *c = irmf_cohort_of(snap);

	if (strcmp(c, "exchange-v14") == 0)
		return "-SetExchange2010";
	if (strcmp(c, "exchange-v15") == 0)
		return "-SetExchange2013";
	if (strcmp(c, "sharepoint-2013+") == 0)
		return "-SetSharePoint2013";
	if (strcmp(c, "sharepoint-2010-fci") == 0)
		return (snap->roles & IRMF_ROLE_SHAREPOINT) ?
		    "-SetSharePoint2010" : "-SetFCI2012";
	if (strcmp(c, "exchange-unknown") == 0)
		return "-SetExchange2010 (Exchange 2010) or -SetExchange2013 "
		    "(2013 or later), whichever this server runs (its generation "
		    "is unknown: see exchange-identity)";
	if (strcmp(c, "sharepoint-unknown") == 0)
		return "-SetSharePoint2010 (SharePoint 2010) or "
		    "-SetSharePoint2013 (2013 or later), whichever this server "
		    "runs (its generation is unknown: see sharepoint-identity)";
	return "with the switch for this server's role";
}

const char *
irmf_msipc_via(const irmf_snapshot *snap)
{
	if (snap->roles & IRMF_ROLE_EXCHANGE)
		return "on Exchange the configuration tool does not write the "
		    "MSIPC keys: set them by hand, as the documentation's "
		    "Exchange 2016/2019 table lists them";
	return "the server configuration tool writes it: "
	    ".\\GenConnectorConfig.ps1 -ConnectorUri <connector URL> "
	    "-SetSharePoint2013";
}

bool
irmf_cohort_unidentified(const char *cohort)
{
	return strcmp(cohort, "exchange-unknown") == 0 ||
	    strcmp(cohort, "sharepoint-unknown") == 0;
}

bool
irmf_cohort_compared(const char *cohort)
{
	return !irmf_cohort_unidentified(cohort) &&
	    strcmp(cohort, "exchange-not-configured") != 0;
}
