/*
 * coverage.c - the areas each role's snapshot normally has (coverage.h),
 * as one table: which roles expect an area, how to tell that a snapshot
 * has it, which collection errors cover it, and what to export.
 *
 * The commands are those of docs/import-formats.md ("What each role
 * needs") and docs/remote-commands.md: what `collect` would have asked
 * for, in a form an admin runs by hand and `irmfleet import` reads.  The
 * wording depends on the generation where the keys or files do (v14 or
 * v15 keys, MSDRM or MSIPC); a server whose generation is unknown gets
 * both.
 */
#include <string.h>
#include <strings.h>

#include "coverage.h"
#include "identity.h"

#define R_EXCH IRMF_ROLE_EXCHANGE
#define R_SP IRMF_ROLE_SHAREPOINT
#define R_FCI IRMF_ROLE_FCI
#define R_CONN IRMF_ROLE_CONNECTOR
#define R_SERVER (R_EXCH | R_SP | R_FCI)

#define K_MS "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\"

typedef struct area_def {
	const char *name;
	unsigned expected;       /* roles that normally have it */
	unsigned optional;       /* roles for which it is documented only */
	const char *error_items; /* '|'-separated error item prefixes */
	bool org_wide;           /* one export covers the organisation */
} area_def;

static const area_def areas[IRMF_AREA_COUNT] = {
	[IRMF_AREA_REGISTRY] = { "registry", R_SERVER, R_CONN, "registry:", false },
	[IRMF_AREA_IRM_CONFIG] = { "irm-config", R_EXCH, 0, "irm-config",
	    true },
	[IRMF_AREA_FILES] = { "files", R_SERVER, 0, "files|file:", false },
	[IRMF_AREA_IDENTITY] = { "identity", R_SERVER, 0, "groups", false },
	[IRMF_AREA_GENERATION] = { "generation", R_EXCH | R_SP, 0,
	    "exchange-server|files|file:ExSetup.exe|"
	    "registry:" K_MS "ExchangeServer\\v14\\Setup|"
	    "registry:" K_MS "ExchangeServer\\v15\\Setup|"
	    "registry:" K_MS "Shared Tools\\Web Server Extensions", false },
	[IRMF_AREA_AUTHORIZATIONS] = { "authorizations", R_CONN, 0,
	    "authorizations", false },
	[IRMF_AREA_EVENTS] = { "events", R_CONN, 0, "events", false },
	[IRMF_AREA_PROBES] = { "probes", 0, R_SERVER, "probes|probe:", false },
};

/* Wording per role and generation: the first row whose roles meet the
 * server's and whose generation matches (IRMF_GEN_NONE: any) is used. */
typedef struct area_text {
	irmf_area area;
	unsigned roles;
	irmf_generation gen;
	const char *what;
	const char *how;
} area_text;

#define EXSETUP_HOW "(Get-Command ExSetup.exe).FileVersionInfo | " \
	"Export-Clixml exsetup.xml (Exchange Management Shell)"
#define MSDRM_DLL_HOW "Get-Item \"$env:windir\\System32\\msdrm.dll\" | " \
	"Export-Clixml msdrm.xml"
#define MSIPC_DLL_HOW "Get-Item \"${env:ProgramFiles}\\Active Directory " \
	"Rights Management Services Client 2.1\\msipc.dll\" | Export-Clixml " \
	"msipc.xml"
#define MSDRM_REG_HOW "reg export HKLM\\SOFTWARE\\Microsoft\\MSDRM msdrm.reg"
#define MSIPC_REG_HOW "reg export HKLM\\SOFTWARE\\Microsoft\\MSIPC msipc.reg"

static const area_text texts[] = {
	{ IRMF_AREA_REGISTRY, R_EXCH, IRMF_GEN_EXCHANGE_2010,
	  "registry export of the IRM keys (ExchangeServer\\v14\\IRM, MSDRM)",
	  "reg export HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\IRM "
	  "irm.reg and " MSDRM_REG_HOW },
	{ IRMF_AREA_REGISTRY, R_EXCH, IRMF_GEN_EXCHANGE_2013,
	  "registry export of the IRM keys (ExchangeServer\\v15\\IRM, MSDRM)",
	  "reg export HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM "
	  "irm.reg and " MSDRM_REG_HOW },
	{ IRMF_AREA_REGISTRY, R_EXCH, IRMF_GEN_NONE,
	  "registry export of the IRM keys (ExchangeServer\\v15\\IRM or "
	  "v14\\IRM, MSDRM)",
	  "reg export HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM "
	  "irm.reg (v14 instead of v15 on Exchange 2010) and " MSDRM_REG_HOW },
	{ IRMF_AREA_REGISTRY, R_SP, IRMF_GEN_SHAREPOINT_2013,
	  "registry export of the MSIPC keys", MSIPC_REG_HOW },
	{ IRMF_AREA_REGISTRY, R_SP, IRMF_GEN_SHAREPOINT_2010,
	  "registry export of the MSDRM keys", MSDRM_REG_HOW },
	{ IRMF_AREA_REGISTRY, R_SP, IRMF_GEN_NONE,
	  "registry export of the MSIPC keys (SharePoint 2013 and later) or "
	  "MSDRM keys (2010)",
	  MSIPC_REG_HOW " (SharePoint 2013 and later) or " MSDRM_REG_HOW
	  " (SharePoint 2010)" },
	{ IRMF_AREA_REGISTRY, R_FCI, IRMF_GEN_NONE,
	  "registry export of the MSDRM keys", MSDRM_REG_HOW },
	{ IRMF_AREA_REGISTRY, R_CONN, IRMF_GEN_NONE,
	  "connector proxy setting (AADRM\\Connector ProxyAddress)",
	  "reg query HKLM\\SOFTWARE\\Microsoft\\AADRM\\Connector /v "
	  "ProxyAddress > proxy.txt (only this value: the key also holds the "
	  "connector's secrets)" },
	{ IRMF_AREA_IRM_CONFIG, R_EXCH, IRMF_GEN_NONE,
	  "Get-IRMConfiguration export (one per organisation is enough: "
	  "skip it if another Exchange server's import has it)",
	  "Get-IRMConfiguration | Export-Clixml irm.xml (Exchange Management "
	  "Shell)" },
	{ IRMF_AREA_FILES, R_EXCH, IRMF_GEN_NONE,
	  "file versions (msdrm.dll, ExSetup.exe)",
	  MSDRM_DLL_HOW " and " EXSETUP_HOW },
	{ IRMF_AREA_FILES, R_SP, IRMF_GEN_SHAREPOINT_2013,
	  "file version (msipc.dll)", MSIPC_DLL_HOW },
	{ IRMF_AREA_FILES, R_SP, IRMF_GEN_SHAREPOINT_2010,
	  "file version (msdrm.dll)", MSDRM_DLL_HOW },
	{ IRMF_AREA_FILES, R_SP, IRMF_GEN_NONE,
	  "file version (msipc.dll on SharePoint 2013 and later, msdrm.dll "
	  "on 2010)",
	  MSIPC_DLL_HOW " (SharePoint 2013 and later) or " MSDRM_DLL_HOW
	  " (SharePoint 2010)" },
	{ IRMF_AREA_FILES, R_FCI, IRMF_GEN_NONE,
	  "file version (msdrm.dll)", MSDRM_DLL_HOW },
	{ IRMF_AREA_IDENTITY, R_SERVER, IRMF_GEN_NONE,
	  "computer account and group memberships",
	  "gpresult /scope computer /r > gpresult.txt (elevated)" },
	{ IRMF_AREA_GENERATION, R_EXCH, IRMF_GEN_NONE,
	  "generation evidence (ExSetup.exe version, ExchangeServer\\v15|v14"
	  "\\Setup key or Get-ExchangeServer)",
	  EXSETUP_HOW ", or reg export HKLM\\SOFTWARE\\Microsoft\\"
	  "ExchangeServer\\v15\\Setup setup.reg (v14 instead of v15 on "
	  "Exchange 2010)" },
	{ IRMF_AREA_GENERATION, R_SP, IRMF_GEN_NONE,
	  "generation evidence (Shared Tools\\Web Server Extensions key)",
	  "reg export \"HKLM\\SOFTWARE\\Microsoft\\Shared Tools\\Web Server "
	  "Extensions\" wse.reg" },
	{ IRMF_AREA_AUTHORIZATIONS, R_CONN, IRMF_GEN_NONE,
	  "authorization list (typed, with roles; event 1004 gives the "
	  "accounts only)",
	  "copy the list of the RMS connector administrator tool into a "
	  "text file as docs/authorization-list.md shows" },
	{ IRMF_AREA_EVENTS, R_CONN, IRMF_GEN_NONE,
	  "connector event export",
	  "wevtutil qe Application /q:\"*[System[Provider[@Name='Microsoft "
	  "RMS connector']]]\" /f:xml > events.xml (import an empty one as "
	  "evtxml:events.xml)" },
	{ IRMF_AREA_PROBES, R_SERVER, IRMF_GEN_NONE,
	  "URL probes", "irmfleet collect runs them; there is no export" },
};

/* Registry roots per role: a key at or below one of them is the role's
 * registry area. */
typedef struct reg_root {
	unsigned roles;
	const char *path;
} reg_root;

static const reg_root reg_roots[] = {
	{ R_SERVER, K_MS "MSDRM" },
	{ R_EXCH | R_SP, K_MS "MSIPC" },
	{ R_SP, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\MSIPC" },
	{ R_EXCH, K_MS "ExchangeServer\\v14\\IRM" },
	{ R_EXCH, K_MS "ExchangeServer\\v15\\IRM" },
	{ R_CONN, K_MS "AADRM\\Connector" },
};

static const char *const rms_files[] = {
	"msdrm.dll", "msipc.dll", "ExSetup.exe"
};

const char *
irmf_area_name(irmf_area a)
{
	return (unsigned)a < IRMF_AREA_COUNT ? areas[a].name : "unknown";
}

bool
irmf_area_expected(irmf_area a, unsigned roles)
{
	return (unsigned)a < IRMF_AREA_COUNT &&
	    (areas[a].expected & roles) != 0;
}

bool
irmf_area_optional(irmf_area a, unsigned roles)
{
	return (unsigned)a < IRMF_AREA_COUNT &&
	    !irmf_area_expected(a, roles) && (areas[a].optional & roles) != 0;
}

bool
irmf_area_org_wide(irmf_area a)
{
	return (unsigned)a < IRMF_AREA_COUNT && areas[a].org_wide;
}

static bool
has_role_keys(const irmf_snapshot *s)
{
	for (size_t i = 0; i < sizeof(reg_roots) / sizeof(reg_roots[0]); i++)
		if ((reg_roots[i].roles & s->roles) != 0 &&
		    irmf_snapshot_has_key_under(s, reg_roots[i].path))
			return true;
	return false;
}

static bool
has_rms_file(const irmf_snapshot *s)
{
	for (size_t i = 0; i < sizeof(rms_files) / sizeof(rms_files[0]); i++)
		if (irmf_snapshot_file_find(s, rms_files[i]) != NULL)
			return true;
	return false;
}

/* Evidence stronger than the IRM keys: those are configuration, which
 * GenConnectorConfig's .reg files alone already give. */
static bool
has_generation_evidence(const irmf_snapshot *s)
{
	irmf_identity id;

	irmf_identity_of(s, &id);
	for (size_t i = 0; i < id.nevidence; i++)
		if (id.evidence[i].rank < IRMF_EV_CONFIG_KEYS)
			return true;
	return false;
}

bool
irmf_area_present(const irmf_snapshot *s, irmf_area a)
{
	switch (a) {
	case IRMF_AREA_REGISTRY: return has_role_keys(s);
	case IRMF_AREA_IRM_CONFIG: return s->has_irm_config;
	case IRMF_AREA_FILES: return has_rms_file(s);
	case IRMF_AREA_IDENTITY:
		return s->groups.n > 0 || s->computer_account != NULL;
	case IRMF_AREA_GENERATION: return has_generation_evidence(s);
	case IRMF_AREA_AUTHORIZATIONS:
		/* a list derived from event 1004 lacks the roles: the typed
		 * list is still what to import */
		return s->has_authorizations &&
		    s->auth_source == IRMF_AUTH_TYPED;
	case IRMF_AREA_EVENTS: return s->has_events;
	case IRMF_AREA_PROBES: return s->nprobes > 0;
	}
	return false;
}

/* Does item start with one of the '|'-separated prefixes? */
static bool
item_matches(const char *item, const char *prefixes)
{
	while (*prefixes != '\0') {
		size_t n = strcspn(prefixes, "|");
		if (strncasecmp(item, prefixes, n) == 0)
			return true;
		prefixes += n;
		if (*prefixes == '|')
			prefixes++;
	}
	return false;
}

bool
irmf_area_failed(const irmf_snapshot *s, irmf_area a)
{
	if ((unsigned)a >= IRMF_AREA_COUNT)
		return false;
	for (size_t i = 0; i < s->nerrors; i++) {
		const char *item = s->errors[i].item;
		if (strcasecmp(item, "host") == 0 ||
		    item_matches(item, areas[a].error_items))
			return true;
	}
	return false;
}

static const area_text *
text_of(const irmf_snapshot *s, irmf_area a)
{
	irmf_identity id;

	irmf_identity_of(s, &id);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].area == a && (texts[i].roles & s->roles) != 0 &&
		    (texts[i].gen == IRMF_GEN_NONE ||
		    texts[i].gen == id.generation))
			return &texts[i];
	return NULL;
}

const char *
irmf_area_what(const irmf_snapshot *s, irmf_area a)
{
	const area_text *t = text_of(s, a);

	return t != NULL ? t->what : irmf_area_name(a);
}

const char *
irmf_area_how(const irmf_snapshot *s, irmf_area a)
{
	const area_text *t = text_of(s, a);

	return t != NULL ? t->how : "see docs/import-formats.md";
}

unsigned
irmf_coverage_gaps(const irmf_snapshot *s)
{
	unsigned gaps = 0;

	for (unsigned a = 0; a < IRMF_AREA_COUNT; a++)
		if (irmf_area_expected((irmf_area)a, s->roles) &&
		    !irmf_area_present(s, (irmf_area)a) &&
		    !irmf_area_failed(s, (irmf_area)a))
			gaps |= 1u << a;
	return gaps;
}
