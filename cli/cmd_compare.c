/*
 * cmd_compare.c - `irmfleet compare`: load a fleet of snapshots, find the
 * servers that differ from their peers or break the connector's rules,
 * and report (text, JSON or HTML) with an exit code scripts can branch on.
 *
 * Exit status: 0 no findings; 1 findings; 2 usage or input error (a bad
 * snapshot, duplicate servers, a malformed suppression file); 3 some
 * servers could not be (fully) checked, which wins over 1 because a
 * comparison with holes must not pass for a complete one; 5 runtime
 * failure (writing the report, memory).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "irmfleet/compare.h"
#include "irmfleet/errors.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: irmfleet compare [--format text|json|html] [--output FILE]\n"
	    "                        [--suppress FILE] SNAPSHOT...|DIR...\n"
	    "\n"
	    "Compare each server's settings with its peers' (same role and\n"
	    "product line) and with the RMS connector documentation.\n"
	    "\n"
	    "  -f, --format FMT     report format: text (default), json, html\n"
	    "  -o, --output FILE    write the report to FILE (atomically; - is\n"
	    "                       standard output)\n"
	    "  -s, --suppress FILE  accepted differences (docs/suppressions.md)\n"
	    "  -h, --help           this help\n"
	    "\n"
	    "exit status: 0 no findings, 1 findings, 2 usage or input error,\n"
	    "3 some servers could not be checked, 5 runtime failure\n");
}

/* NO_COLOR (https://no-color.org): set and non-empty disables colour. */
static unsigned
color_flags(const char *output)
{
	const char *nc = getenv("NO_COLOR");

	if (output != NULL || (nc != NULL && nc[0] != '\0') ||
	    !isatty(STDOUT_FILENO))
		return 0;
	return IRMF_REPORT_COLOR;
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

int
cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "suppress", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	irmf_report_format format = IRMF_FORMAT_TEXT;
	const char *output = NULL, *suppress = NULL;
	irmf_compare *cmp = NULL;
	irmf_compare_counts counts;
	int ch, rc, status;
	size_t missing;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:ho:s:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (irmf_report_format_parse(optarg, &format) < 0) {
				cli_error_last();
				return CLI_EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		case 'o':
			output = optarg;
			break;
		case 's':
			suppress = optarg;
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
	if (rc < 0)
		goto fail;
	if (output != NULL && strcmp(output, "-") == 0)
		output = NULL;   /* "-" is standard output, as usual */
	rc = output ? irmf_compare_report_file(cmp, output, format, 0) :
	    irmf_compare_report(cmp, stdout, format, color_flags(NULL));
	if (rc < 0 || (rc = irmf_compare_counts_get(cmp, &counts)) < 0)
		goto fail;
	status = missing ? CLI_EXIT_NOT_CHECKED : cli_compare_status(&counts);
	irmf_compare_free(cmp);
	return status;
fail:
	cli_error_last();
	irmf_compare_free(cmp);
	return cli_exit_of(rc);
}

/* The usage text, for the command table (main.c: help CMD). */
void
cmd_compare_usage(FILE *f)
{
	usage(f);
}
