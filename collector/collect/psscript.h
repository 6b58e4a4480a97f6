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

#endif
