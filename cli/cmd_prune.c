/*
 * cmd_prune.c - `irmfleet prune --keep DURATION`: remove history older
 * than DURATION, but never a server's latest state (its latest snapshot,
 * its current settings and when they were first seen), so drift and
 * "since when" keep working.
 *
 * --dry-run prunes inside a transaction that is rolled back, so its counts
 * are exactly what the real prune removes (as forget --dry-run).
 *
 * Exit status: 0 pruned (or nothing to prune, or dry run), 2 usage error,
 * 5 database failure.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "histcli.h"
#include "irmfleet/errors.h"
#include "irmfleet/store.h"

void
cmd_prune_usage(FILE *f)
{
	fprintf(f,
	    "usage: irmfleet prune [--db FILE] [--dry-run] --keep DURATION\n"
	    "\n"
	    "Remove history older than DURATION (e.g. 90d, 26w), keeping\n"
	    "every server's latest state.\n"
	    "\n"
	    "  --db FILE        history database (default\n"
	    "                   $XDG_STATE_HOME/irmfleet/history.db)\n"
	    "  --keep DURATION  history to keep: 90s, 30m, 36h, 7d, 2w\n"
	    "  -n, --dry-run    show what would be removed; change nothing\n"
	    "  -h, --help       this help\n"
	    "\n"
	    "exit status: 0 ok, 2 usage error, 5 database failure\n");
}

int
cmd_prune(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "keep", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = NULL, *keep = NULL;
	irmf_prune_stats ps;
	irmf_store *st;
	int64_t secs;
	char before[32];
	bool dry_run = false;
	int ch, rc, status = CLI_EXIT_USAGE;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "hn", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': db = optarg; break;
		case 'h': cmd_prune_usage(stdout); return CLI_EXIT_OK;
		case 'k': keep = optarg; break;
		case 'n': dry_run = true; break;
		default: cmd_prune_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (keep == NULL || optind < argc) {
		cli_error("prune", keep ? "unexpected argument" :
		    "--keep DURATION is required");
		cmd_prune_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (irmf_duration_parse(keep, &secs) < 0) {
		cli_error_last();
		return CLI_EXIT_USAGE;
	}
	irmf_time_format(time(NULL) - (time_t)secs, before, sizeof(before));
	if ((st = histcli_open("prune", db, HISTCLI_WRITE, &status)) == NULL)
		return status;
	if ((rc = irmf_store_prune(st, before, dry_run, &ps)) < 0) {
		cli_error_last();
		status = cli_exit_of(rc);
	} else {
		printf("%s history before %s: %zu run%s, %zu sighting%s, "
		    "%zu setting interval%s, %zu snapshot content%s %s\n",
		    dry_run ? "would prune" : "pruned", before,
		    ps.runs, ps.runs == 1 ? "" : "s",
		    ps.sightings, ps.sightings == 1 ? "" : "s",
		    ps.intervals, ps.intervals == 1 ? "" : "s",
		    ps.snapshots, ps.snapshots == 1 ? "" : "s",
		    dry_run ? "would be removed" : "removed");
		if (dry_run)
			printf("dry run: nothing changed\n");
		status = CLI_EXIT_OK;
	}
	irmf_store_close(st);
	return status;
}
