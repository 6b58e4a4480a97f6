/*
 * documented.c - the keys and values the connector documentation (and
 * Microsoft's own tools) write for each cohort; see documented.h for why
 * consensus needs to know.  Sources: rms-connector-registry-settings
 * (Exchange 2016/2019 rows 1-7, Exchange 2010 rows 1-4, SharePoint rows
 * 1-3, FCI rows 1-2), migrate-from-ad-rms-phase4 step 9 (migration values
 * under LicenseServerRedirection), Redirect_OnPrem.cmd (MSDRM
 * EnterpriseCertification, the MSIPC mirror under Wow6432Node,
 * LicensingRedirection values per AD RMS name); summarised in
 * ../shared/domain.md sections 1 and 8.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "documented.h"
#include "normalize.h"
#include "url.h"

/* path without its root ("SOFTWARE\..."), or NULL for another root. */
static const char *
below_hklm(const char *path)
{
	if (strncasecmp(path, "HKLM\\", 5) == 0)
		return path + 5;
	if (strncasecmp(path, "HKEY_LOCAL_MACHINE\\", 19) == 0)
		return path + 19;
	return NULL;
}

bool
irmf_is_migration_name(const char *name)
{
	return name != NULL && irmf_is_url(name) && !irmf_url_is_rms(name) &&
	    (irmf_url_path_is(name, "/_wmcs/licensing") ||
	    irmf_url_path_is(name, "/_wmcs/certification"));
}

static bool
msdrm_documented(const char *sub, const char *name, bool exchange)
{
	static const char sl[] = "SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\";
	const char *k;

	if (strncasecmp(sub, sl, sizeof(sl) - 1) != 0)
		return false;
	k = sub + sizeof(sl) - 1;
	if (name != NULL && name[0] != '\0')
		return false;
	return strcasecmp(k, "Activation") == 0 ||
	    strcasecmp(k, "EnterprisePublishing") == 0 ||
	    /* Redirect_OnPrem.cmd points it at the tenant on Exchange */
	    (exchange && strcasecmp(k, "EnterpriseCertification") == 0);
}

static bool
msipc_documented(const char *sub, const char *name)
{
	static const char sl[] = "SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\";
	static const char wow[] =
	    "SOFTWARE\\Wow6432Node\\Microsoft\\MSIPC\\ServiceLocation\\";
	const char *k;

	if (strncasecmp(sub, sl, sizeof(sl) - 1) == 0)
		k = sub + sizeof(sl) - 1;
	else if (strncasecmp(sub, wow, sizeof(wow) - 1) == 0)
		k = sub + sizeof(wow) - 1;
	else
		return false;
	if (strcasecmp(k, "LicensingRedirection") == 0)
		return true;   /* one mapping per tenant or AD RMS name */
	return (strcasecmp(k, "EnterpriseCertification") == 0 ||
	    strcasecmp(k, "EnterprisePublishing") == 0) &&
	    (name == NULL || name[0] == '\0');
}

static bool
exchange_irm_documented(const char *sub, const char *name, const char *ver)
{
	char cert[96], lic[96];

	snprintf(cert, sizeof(cert), "SOFTWARE\\Microsoft\\ExchangeServer\\%s"
	    "\\IRM\\CertificationServerRedirection", ver);
	snprintf(lic, sizeof(lic), "SOFTWARE\\Microsoft\\ExchangeServer\\%s"
	    "\\IRM\\LicenseServerRedirection", ver);
	if (strcasecmp(sub, cert) == 0)
		return name == NULL || irmf_url_is_rms(name);
	if (strcasecmp(sub, lic) == 0)
		return name == NULL || irmf_url_is_rms(name) ||
		    irmf_is_migration_name(name);
	return false;
}

bool
irmf_documented_for(const char *cohort, const char *path, const char *name)
{
	const char *sub = path ? below_hklm(path) : NULL;

	if (sub == NULL || cohort == NULL)
		return false;
	if (strcmp(cohort, "exchange-v14") == 0)
		return msdrm_documented(sub, name, true) ||
		    exchange_irm_documented(sub, name, "v14");
	if (strcmp(cohort, "exchange-v15") == 0)
		return msdrm_documented(sub, name, true) ||
		    exchange_irm_documented(sub, name, "v15") ||
		    msipc_documented(sub, name);
	if (strcmp(cohort, "sharepoint-2013+") == 0)
		return msipc_documented(sub, name);
	if (strcmp(cohort, "sharepoint-2010-fci") == 0)
		return msdrm_documented(sub, name, false);
	return false;
}
