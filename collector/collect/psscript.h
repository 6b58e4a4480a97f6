/*
 * psscript.h - the export script's template (psscript.ps1, embedded at
 * build time by cmake/embed.cmake) and the generator that fills in its
 * plan (irmf_export_script, include/irmfleet/exportscript.h).
 */
#ifndef IRMF_PSSCRIPT_H
#define IRMF_PSSCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"

/* psscript.ps1, NUL-terminated (generated psscript_template.c). */
extern const unsigned char irmf_psscript_template[];

/* The PowerShell data block ("$Plan = @{ ... }") describing what the
 * per-server part of the script reads for a plan; *out is malloc'd. */
int irmf_psscript_plan(const irmf_plan *plan, char **out);

/* What a collect script does with the organisation-wide Exchange items
 * (Get-IRMConfiguration, the server's Get-ExchangeServer entry), which
 * need Active Directory credentials: a key logon has none. */
typedef struct irmf_psscript_org {
	bool read;          /* -Organisation: read them through the
	                     * server's Exchange endpoint (password logon) */
	bool failed;        /* not read: recorded failed (else skipped) */
	const char *note;   /* why not read here; NULL: "needs the export
	                     * script or a password logon" */
} irmf_psscript_org;

/* The script collect sends on a host's stdin: the export script of the
 * role set with -Stdout on (the document between the begin/end markers
 * on stdout) and the organisation items as org says (NULL: skipped as
 * "needs the export script or a password logon").  *out is malloc'd,
 * CRLF. */
int irmf_psscript_collect(char **out, size_t *out_len, unsigned roles,
    unsigned event_count, const irmf_psscript_org *org);

/* The one-script plan of a role set: one command (IRMF_PLAN_SCRIPT_*)
 * with that script as its input; org as above. */
int irmf_plan_build_script_org(irmf_plan **out, unsigned roles,
    unsigned event_count, const irmf_psscript_org *org);
int irmf_plan_build_script(irmf_plan **out, unsigned roles,
    unsigned event_count);

#endif
