/*
 * coverage.h - the areas a server of each role normally has in its
 * snapshot (registry, IRM configuration, file versions, identity,
 * generation evidence, the connector's authorizations and events, probes),
 * how to tell whether a snapshot has one, and the Windows command that
 * exports it.
 *
 * `collect` asks for every area of a role and records a failure as a
 * collection error; an import has only what the admin exported, and an
 * area that was not exported is unknown, never "absent".  Two users read
 * this one table: `irmfleet import` warns which areas of the server's role
 * its files do not cover, and compare (compare/coverage_findings.c)
 * reports a server whose import lacks an area its peers have.  The table
 * lives in collector/ because import needs it; compare includes it.
 */
#ifndef IRMF_COVERAGE_H
#define IRMF_COVERAGE_H

#include <stdbool.h>

#include "snapshot_int.h"

typedef enum irmf_area {
	IRMF_AREA_REGISTRY = 0,    /* the role's registry keys */
	IRMF_AREA_IRM_CONFIG,      /* Get-IRMConfiguration (Exchange) */
	IRMF_AREA_FILES,           /* msdrm.dll, msipc.dll, ExSetup.exe */
	IRMF_AREA_IDENTITY,        /* computer account and its groups */
	IRMF_AREA_GENERATION,      /* evidence of the product generation */
	IRMF_AREA_AUTHORIZATIONS,  /* the connector's authorization list */
	IRMF_AREA_EVENTS,          /* the connector's events */
	IRMF_AREA_PROBES           /* URL probes (optional everywhere) */
} irmf_area;

#define IRMF_AREA_COUNT 8

/* Stable name ("registry", "irm-config", "files", "identity",
 * "generation", "authorizations", "events", "probes"): compare's finding
 * for a missing area has the setting key "coverage:<name>". */
const char *irmf_area_name(irmf_area a);

/* Does a server of these roles (IRMF_ROLE_* bits) normally have the area,
 * so that lacking it is worth a warning?  Optional areas (probes; the
 * connector's ProxyAddress, which exists only where a proxy is set) are
 * documented but never expected. */
bool irmf_area_expected(irmf_area a, unsigned roles);
/* Documented for these roles but not required. */
bool irmf_area_optional(irmf_area a, unsigned roles);
/* One export covers the whole organisation (Get-IRMConfiguration reads
 * one Active Directory object): a server's import without it is told,
 * but compare, which judges it once for the fleet (rules_org.c), does
 * not ask it of every server. */
bool irmf_area_org_wide(irmf_area a);

/* Does the snapshot hold the area?  Registry: a key under one of the
 * role's roots (an exported Setup key is generation evidence, not the IRM
 * configuration); files: a version of one of the RMS files; generation:
 * evidence stronger than the IRM keys themselves (collector/snapshot/identity.h). */
bool irmf_area_present(const irmf_snapshot *s, irmf_area a);

/* Does a collection error of the snapshot cover the area ("host", a
 * "registry:..." item, "irm-config", "file:...", "groups", ...)?  Such an
 * area is reported as not-collected already. */
bool irmf_area_failed(const irmf_snapshot *s, irmf_area a);

/* What the area holds for this server ("file versions (msdrm.dll,
 * ExSetup.exe)") and the Windows command(s) that export it, worded for
 * its role and, where it matters, its generation.  Static strings. */
const char *irmf_area_what(const irmf_snapshot *s, irmf_area a);
const char *irmf_area_how(const irmf_snapshot *s, irmf_area a);

/* The expected areas the snapshot lacks and no collection error covers,
 * as a bit set (1u << area). */
unsigned irmf_coverage_gaps(const irmf_snapshot *s);

#endif
