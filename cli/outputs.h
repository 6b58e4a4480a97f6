/*
 * outputs.h - the report options compare and audit share (outputs.c):
 * `--format FMT` (the report to --output or standard output),
 * `--format FMT:FILE` (repeatable: also write FILE in FMT), `--output
 * FILE` and `--brief`, and writing every report they ask for.  One
 * parser, so that both commands take the same formats the same way.
 */
#ifndef IRMF_CLI_OUTPUTS_H
#define IRMF_CLI_OUTPUTS_H

#include <stdbool.h>
#include <stdio.h>

#include "irmfleet/compare.h"

#define CLI_MAX_OUTPUTS 16

/* The reports a run writes: the bare --format (to --output or stdout)
 * and every --format FMT:FILE. */
typedef struct cli_outputs {
	irmf_report_format format;     /* the bare one (text by default) */
	bool bare;                     /* a bare --format was given */
	const char *output;            /* --output, or NULL */
	unsigned flags;                /* IRMF_REPORT_BRIEF from --brief */
	irmf_report_format fmts[CLI_MAX_OUTPUTS];
	const char *files[CLI_MAX_OUTPUTS];
	size_t n;
	bool nagios;                   /* any output is nagios */
} cli_outputs;

/* --format ARG ("json" or "json:FILE"; FILE may hold colons).  0, or
 * the usage error was reported as "irmfleet CMD: ..." and -1. */
int cli_outputs_format(cli_outputs *o, const char *cmd, const char *arg);

/* Whether any output is in format f. */
bool cli_outputs_has(const cli_outputs *o, irmf_report_format f);

/* Write one report: to path (atomically) or, path NULL, to out. */
typedef int (*cli_report_fn)(const void *obj, FILE *out, const char *path,
    irmf_report_format format, unsigned flags);

/* Every report asked for ("-" is standard output; colour only on a
 * terminal without NO_COLOR); 0, or the failing one's error code. */
int cli_outputs_write(const cli_outputs *o, cli_report_fn fn,
    const void *obj);

#endif
