/*
 * cmd_prune.c - `irmfleet prune --keep DURATION`: remove history older
 * than DURATION, but never a server's latest state (its latest snapshot,
 * its current settings and when they were first seen), so drift and
 * "since when" keep working.
 *
 * Exit status: 0 pruned (or nothing to prune), 2 usage error, 5 database
 * failure.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "histcli.h"
#include "irmfleet/errors.h"
#include "irmfleet/store.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: irmfleet prune [--db FILE] --keep DURATION\n"
	    "\n"
	    "Remove history older than DURATION (e.g. 90d, 26w), keeping\n"
	    "every server's latest state.\n"
	    "\n"
	    "exit status: 0 ok, 2 usage error, 5 database failure\n");
}

int
cmd_prune(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "keep", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = NULL, *keep = NULL;
	irmf_prune_stats ps;
	irmf_store *st;
	int64_t secs;
	char before[32];
	int ch, rc, status = CLI_EXIT_USAGE;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': db = optarg; break;
		case 'h': usage(stdout); return CLI_EXIT_OK;
		case 'k': keep = optarg; break;
		default: usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (keep == NULL || optind < argc) {
		cli_error("prune", keep ? "unexpected argument" :
		    "--keep DURATION is required");
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (irmf_duration_parse(keep, &secs) < 0) {
		cli_error_last();
		return CLI_EXIT_USAGE;
	}
	irmf_time_format(time(NULL) - (time_t)secs, before, sizeof(before));
	if ((st = histcli_open("prune", db, HISTCLI_WRITE, &status)) == NULL)
		return status;
	if ((rc = irmf_store_prune(st, before, &ps)) < 0) {
		cli_error_last();
		status = histcli_status_of(rc);
	} else {
		printf("pruned history before %s: %zu runs, %zu sightings, "
		    "%zu setting intervals, %zu snapshot contents removed\n",
		    before, ps.runs, ps.sightings, ps.intervals, ps.snapshots);
		status = CLI_EXIT_OK;
	}
	irmf_store_close(st);
	return status;
}
