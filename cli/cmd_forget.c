/*
 * cmd_forget.c - `irmfleet forget SERVER...`: remove servers from the
 * history (decommissioned, renamed, or recorded by mistake), so that
 * `audit` stops reporting them as absent or stale and its exit status
 * can go back to 0.  Everything of those servers goes in one transaction
 * (compare/store/prune.c, irmf_store_forget); a server that an audit sees again
 * later is recorded as a new server.  --dry-run shows the counts and
 * changes nothing.
 *
 * Exit status: 0 forgotten (or dry run), 2 usage error or a server not in
 * the history (then nothing is removed), 5 database failure.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "histcli.h"
#include "irmfleet/errors.h"
#include "irmfleet/store.h"

void
cmd_forget_usage(FILE *f)
{
	fprintf(f,
	    "usage: irmfleet forget [--db FILE] [--dry-run] SERVER...\n"
	    "\n"
	    "Remove every recorded row of the named servers (decommissioned,\n"
	    "renamed, or recorded by mistake), so that audits no longer report\n"
	    "them as absent or stale.  Names are case-insensitive.  A server\n"
	    "seen again by a later audit is recorded as a new server.\n"
	    "\n"
	    "  --db FILE       history database (default\n"
	    "                  $XDG_STATE_HOME/irmfleet/history.db)\n"
	    "  -n, --dry-run   show what would be removed; change nothing\n"
	    "  -h, --help      this help\n"
	    "\n"
	    "exit status: 0 ok, 2 usage error or a server not in the history\n"
	    "(nothing removed), 5 database failure\n");
}

static void
report(char *const *names, size_t n, const irmf_forget_stats *fs,
    const irmf_forget_shared *sh, bool dry_run)
{
	const char *verb = dry_run ? "would forget" : "forgot";

	for (size_t i = 0; i < n; i++)
		printf("%s %s: seen in %zu audit%s; %zu sighting%s, %zu "
		    "setting interval%s, %zu snapshot content%s\n", verb,
		    fs[i].name[0] ? fs[i].name : names[i], fs[i].runs,
		    fs[i].runs == 1 ? "" : "s",
		    fs[i].sightings, fs[i].sightings == 1 ? "" : "s",
		    fs[i].intervals, fs[i].intervals == 1 ? "" : "s",
		    fs[i].snapshots, fs[i].snapshots == 1 ? "" : "s");
	printf("%s no longer used: %zu audit%s without any other host, %zu "
	    "setting key%s, %zu setting value%s\n",
	    dry_run ? "would remove," : "removed,", sh->runs,
	    sh->runs == 1 ? "" : "s", sh->keys, sh->keys == 1 ? "" : "s",
	    sh->values, sh->values == 1 ? "" : "s");
	if (dry_run)
		printf("dry run: nothing changed\n");
}

int
cmd_forget(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = NULL;
	irmf_forget_stats *fs = NULL;
	irmf_forget_shared sh;
	irmf_store *st;
	bool dry_run = false;
	size_t n;
	int ch, rc, status = CLI_EXIT_USAGE;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "hn", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': db = optarg; break;
		case 'h': cmd_forget_usage(stdout); return CLI_EXIT_OK;
		case 'n': dry_run = true; break;
		default: cmd_forget_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_error("forget", "name at least one SERVER");
		cmd_forget_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	n = (size_t)(argc - optind);
	if ((fs = calloc(n, sizeof(*fs))) == NULL) {
		cli_error("forget", "out of memory");
		return CLI_EXIT_FAILED;
	}
	if ((st = histcli_open("forget", db, HISTCLI_WRITE, &status)) == NULL)
		goto out;
	if ((rc = irmf_store_forget(st, (const char *const *)(argv + optind),
	    n, dry_run, fs, &sh)) < 0) {
		cli_error_last();
		status = histcli_status_of(rc);
	} else {
		report(argv + optind, n, fs, &sh, dry_run);
		status = CLI_EXIT_OK;
		if (fflush(stdout) != 0 || ferror(stdout)) {
			cli_error("forget", "cannot write the report%s",
			    dry_run ? "" : " (the servers were forgotten)");
			status = CLI_EXIT_FAILED;
		}
	}
	irmf_store_close(st);
out:
	free(fs);
	return status;
}
