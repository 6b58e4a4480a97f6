/*
 * cmd_compare.c - `irmfleet compare`: load a fleet of snapshots, find the
 * servers that differ from their peers or break the connector's rules,
 * and report (text, JSON or HTML) with an exit code scripts can branch on.
 *
 * Exit status: 0 no findings; 1 findings; 2 usage or input error (a bad
 * snapshot, duplicate servers, a malformed suppression file); 3 some
 * servers could not be (fully) checked, which wins over 1 because a
 * comparison with holes must not pass for a complete one; 5 runtime
 * failure (writing the report, memory).  With --format nagios (anywhere
 * among the outputs) the exit status is the monitoring-plugin state
 * instead: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the run failed).
 *
 * Several reports in one run: every --format FMT:FILE writes FILE in
 * that format (atomically); a bare --format FMT is today's one report,
 * to --output or standard output.  Given only FMT:FILE outputs, nothing
 * goes to standard output unless --output or a bare --format asks.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "outputs.h"
#include "irmfleet/compare.h"
#include "irmfleet/errors.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: irmfleet compare [--format FMT[:FILE]]... [--output FILE]\n"
	    "                        [--brief] [--suppress FILE] "
	    "SNAPSHOT...|DIR...\n"
	    "\n"
	    "Compare each server's settings with its peers' (same role and\n"
	    "product line) and with the RMS connector documentation.\n"
	    "\n"
	    "  -f, --format FMT     report format: text (default), json, html,\n"
	    "                       junit, prometheus, nagios\n"
	    "  -f, --format FMT:FILE  also write FILE in format FMT (atomically;\n"
	    "                       repeatable: --format json:r.json "
	    "--format html:r.html)\n"
	    "  -o, --output FILE    write the report to FILE (atomically; - is\n"
	    "                       standard output)\n"
	    "  -b, --brief          text: one line per server that needs "
	    "action\n"
	    "  -s, --suppress FILE  accepted differences (docs/suppressions.md)\n"
	    "  -h, --help           this help\n"
	    "\n"
	    "exit status: 0 no findings, 1 findings, 2 usage or input error,\n"
	    "3 some servers could not be checked, 5 runtime failure; with\n"
	    "--format nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN\n");
}

int
cli_compare_status(const irmf_compare_counts *c)
{
	if (c->not_collected > 0)
		return CLI_EXIT_NOT_CHECKED;
	if (c->findings > 0)
		return CLI_EXIT_FINDINGS;
	return CLI_EXIT_OK;
}

/* One report of the comparison: to path (atomically) or to out. */
static int
report_one(const void *obj, FILE *out, const char *path,
    irmf_report_format f, unsigned flags)
{
	const irmf_compare *cmp = obj;

	return path ? irmf_compare_report_file(cmp, path, f, flags) :
	    irmf_compare_report(cmp, out, f, flags);
}

static int
parse_args(int argc, char **argv, cli_outputs *o, const char **suppress)
{
	static const struct option opts[] = {
		{ "brief", no_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "suppress", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "bf:ho:s:", opts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			o->flags |= IRMF_REPORT_BRIEF;
			break;
		case 'f':
			if (cli_outputs_format(o, "compare", optarg) < 0)
				return CLI_EXIT_USAGE;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		case 'o':
			o->output = optarg;
			break;
		case 's':
			*suppress = optarg;
			break;
		default:
			usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_error("compare", "no snapshots given");
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

/* The exit status of a run whose reports were written. */
static int
run_status(const cli_outputs *o, const irmf_compare_counts *counts,
    size_t missing)
{
	if (o->nagios)
		return irmf_compare_nagios_state(counts) == IRMF_NAGIOS_OK &&
		    missing ? IRMF_NAGIOS_WARNING :
		    irmf_compare_nagios_state(counts);
	return missing ? CLI_EXIT_NOT_CHECKED : cli_compare_status(counts);
}

int
cmd_compare(int argc, char **argv)
{
	cli_outputs o = { .format = IRMF_FORMAT_TEXT };
	const char *suppress = NULL;
	irmf_compare *cmp = NULL;
	irmf_compare_counts counts;
	int rc, status;
	size_t missing;

	if ((status = parse_args(argc, argv, &o, &suppress)) >= 0)
		return status != CLI_EXIT_OK && o.nagios ?
		    IRMF_NAGIOS_UNKNOWN : status;
	if ((rc = irmf_compare_new(&cmp)) < 0)
		goto fail;
	for (int i = optind; i < argc; i++)
		if ((rc = irmf_compare_add_path(cmp, argv[i])) < 0)
			goto fail;
	missing = cli_uncollected(argc, argv, optind);
	if (suppress != NULL && (rc = irmf_compare_set_suppress_file(cmp,
	    suppress)) < 0)
		goto fail;
	rc = irmf_compare_run(cmp);
	{
		/* before a failure too: a skipped entry may be why */
		char *const *w;
		size_t nw = irmf_compare_warnings(cmp, &w);
		for (size_t i = 0; i < nw; i++)
			cli_error("compare", "warning: %s", w[i]);
	}
	if (rc < 0 || (rc = cli_outputs_write(&o, report_one, cmp)) < 0 ||
	    (rc = irmf_compare_counts_get(cmp, &counts)) < 0)
		goto fail;
	status = run_status(&o, &counts, missing);
	irmf_compare_free(cmp);
	return status;
fail:
	cli_error_last();
	irmf_compare_free(cmp);
	/* a check that could not run is UNKNOWN to a monitoring system */
	return o.nagios ? IRMF_NAGIOS_UNKNOWN : cli_exit_of(rc);
}

/* The usage text, for the command table (main.c: help CMD). */
void
cmd_compare_usage(FILE *f)
{
	usage(f);
}
