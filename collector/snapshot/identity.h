/*
 * identity.h - which product generation a server runs, established from
 * ranked evidence in its snapshot, never guessed.
 *
 * Exchange 2010 reads its IRM keys under ExchangeServer\v14, 2013 and later
 * under v15; SharePoint 2010 uses the MSDRM client, 2013 and later MSIPC.
 * Every version-dependent check, cohort and fix hangs on this, so it is
 * decided from the strongest evidence the snapshot holds (strongest
 * first):
 *
 *   Exchange:   ExSetup.exe file version (the real build, rollups included)
 *               > HKLM\SOFTWARE\Microsoft\ExchangeServer\v14|v15\Setup
 *                 (MsiProductMajor/Minor, MsiBuildMajor/Minor)
 *               > Get-ExchangeServer AdminDisplayVersion (product build)
 *               > the IRM keys themselves (a v14 or v15 IRM subkey)
 *   SharePoint: HKLM\SOFTWARE\Microsoft\Shared Tools\Web Server Extensions
 *                 \14.0|15.0|16.0 Version
 *               > the product build of the snapshot
 *               > the client keys (MSIPC ServiceLocation: 2013+, MSDRM
 *                 ServiceLocation alone: 2010)
 *
 * Two strong sources that disagree make the generation a conflict; no
 * evidence at all makes it unknown.  The IRM keys are configuration, so
 * they are used only when nothing stronger exists (a server whose build
 * says 2013 but whose keys are under v14 is a 2013 server with wrong keys,
 * which the rules report).  The result is derived from the snapshot's
 * content alone: the XML writer records it (formatVersion 2) and every
 * reader recomputes it, so both always agree.
 */
#ifndef IRMF_IDENTITY_H
#define IRMF_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "snapshot_int.h"

typedef enum irmf_generation {
	IRMF_GEN_NONE = 0,          /* no generation applies (FCI, connector,
	                             * no role) */
	IRMF_GEN_UNKNOWN,           /* Exchange/SharePoint, no evidence */
	IRMF_GEN_CONFLICT,          /* strong sources disagree */
	IRMF_GEN_EXCHANGE_2010,     /* v14 */
	IRMF_GEN_EXCHANGE_2013,     /* v15: 2013, 2016, 2019, SE */
	IRMF_GEN_SHAREPOINT_2010,   /* 14.0, MSDRM */
	IRMF_GEN_SHAREPOINT_2013    /* 15.0/16.0: 2013, 2016, 2019, SE */
} irmf_generation;

/* How strong one piece of evidence is (a lower number is stronger). */
typedef enum irmf_evidence_rank {
	IRMF_EV_FILE = 0,           /* ExSetup.exe file version */
	IRMF_EV_SETUP_KEY,          /* v14|v15\Setup, Web Server Extensions */
	IRMF_EV_PRODUCT,            /* Get-ExchangeServer / product build */
	IRMF_EV_CONFIG_KEYS         /* the IRM / client keys (configuration) */
} irmf_evidence_rank;

#define IRMF_IDENTITY_MAX_EVIDENCE 8

typedef struct irmf_evidence {
	irmf_evidence_rank rank;
	irmf_generation says;
	char source[160];           /* "file:ExSetup.exe", "reg:HKLM\...\Setup" */
	char value[64];             /* "14.3.389.1", "subkeys under v14\IRM" */
} irmf_evidence;

typedef struct irmf_identity {
	irmf_generation generation;
	/* the product the generation is of: IRMF_ROLE_EXCHANGE,
	 * IRMF_ROLE_SHAREPOINT, or 0 (no generation applies) */
	unsigned product;
	/* The build, and where it came from ("" when unknown).  On Exchange
	 * 2010 only ExSetup.exe carries the update rollup: build_exact says
	 * whether the build includes it (ExSetup.exe), or is the service-pack
	 * level only (Setup key, Get-ExchangeServer). */
	char build[64];
	char build_source[160];
	bool build_exact;
	irmf_evidence evidence[IRMF_IDENTITY_MAX_EVIDENCE];
	size_t nevidence;
	/* The strongest rank that decided (meaningful when known). */
	irmf_evidence_rank decided_by;
} irmf_identity;

/* Establish the generation of snap (its Exchange role first, then
 * SharePoint; FCI, connector and role-less servers get IRMF_GEN_NONE). */
void irmf_identity_of(const irmf_snapshot *snap, irmf_identity *out);

/* Stable names: "exchange-2010", "exchange-2013+", "sharepoint-2010",
 * "sharepoint-2013+", "unknown", "conflict", "none". */
const char *irmf_generation_name(irmf_generation g);
/* What a person reads: "Exchange 2010", "Exchange 2013 or later", ... */
const char *irmf_generation_label(irmf_generation g);
const char *irmf_evidence_rank_name(irmf_evidence_rank r);

/* One line describing the identity and its evidence, for reports: a
 * known generation with the evidence that decided it ("Exchange 2010
 * from ExSetup.exe 14.3.389.1", "Exchange 2013 or later from the IRM keys
 * only"), an unknown or contradictory one with
 * every piece of evidence ("conflict: ExSetup.exe 14.3.389.1 says
 * Exchange 2010; Get-ExchangeServer 15.1.2507.6 says Exchange 2013 or
 * later", "unknown: no evidence (export ...)").  Writes at most len bytes
 * (NUL included). */
void irmf_identity_describe(const irmf_identity *id, char *buf, size_t len);

/* Does any key of snap lie at or below prefix (an HKLM path,
 * case-insensitive)?  Used for "a v14 IRM subkey is evidence even when
 * the IRM key itself has no line". */
bool irmf_snapshot_has_key_under(const irmf_snapshot *snap,
    const char *prefix);

#endif
