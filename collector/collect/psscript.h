/*
 * psscript.h - the export script's template (psscript.ps1, embedded at
 * build time by cmake/embed.cmake) and the generator that fills in its
 * plan (irmf_export_script, include/irmfleet/exportscript.h).
 */
#ifndef IRMF_PSSCRIPT_H
#define IRMF_PSSCRIPT_H

#include <stddef.h>

#include "plan.h"

/* psscript.ps1, NUL-terminated (generated psscript_template.c). */
extern const unsigned char irmf_psscript_template[];

/* The PowerShell data block ("$Plan = @{ ... }") describing what the
 * per-server part of the script reads for a plan; *out is malloc'd. */
int irmf_psscript_plan(const irmf_plan *plan, char **out);

/* The script collect sends on a host's stdin: the export script of the
 * role set with -Stdout on (the document between the begin/end markers
 * on stdout; organisation-wide Exchange items skipped as "needs the
 * export script or a password logon").  *out is malloc'd, CRLF. */
int irmf_psscript_collect(char **out, size_t *out_len, unsigned roles,
    unsigned event_count);

/* The one-script plan of a role set: one command (IRMF_PLAN_SCRIPT_*)
 * with that script as its input. */
int irmf_plan_build_script(irmf_plan **out, unsigned roles,
    unsigned event_count);

#endif
