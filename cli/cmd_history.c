/*
 * cmd_history.c - `irmfleet history`: the timeline of changes recorded
 * by `irmfleet audit`, newest first, optionally for one server, one
 * setting, since a time.  With both --server and --setting it first
 * answers "since when": the server's current value, since when it has
 * held it, and whether and since when it differs from the fleet's
 * majority.
 *
 * The output is the library's (irmf_history_report,
 * compare/report/report_history.c).
 *
 * Exit status: 0 shown, 2 usage error or unknown server/setting, 5
 * database failure.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "histcli.h"
#include "irmfleet/errors.h"
#include "irmfleet/store.h"

void
cmd_history_usage(FILE *f)
{
	fprintf(f,
	    "usage: irmfleet history [--db FILE] [--server NAME] [--setting KEY]\n"
	    "                        [--since TIME] [--limit N]\n"
	    "                        [--format text|json]\n"
	    "\n"
	    "Show the changes recorded by 'irmfleet audit', newest first.\n"
	    "With --server and --setting, first show the current value, since\n"
	    "when the server has had it, and since when it has differed from\n"
	    "the fleet's majority.\n"
	    "\n"
	    "  --db FILE        history database (default\n"
	    "                   $XDG_STATE_HOME/irmfleet/history.db)\n"
	    "  --server NAME    one server (case-insensitive)\n"
	    "  --setting KEY    one setting key, as in compare and audit output\n"
	    "  --since TIME     ISO 8601 (2026-11-01, 2026-11-01T08:00:00Z) or\n"
	    "                   an age (24h, 7d, 2w)\n"
	    "  --limit N        at most N changes\n"
	    "  -f, --format F   text (default) or json\n"
	    "\n"
	    "exit status: 0 ok, 2 usage error or unknown server/setting,\n"
	    "5 database failure\n");
}

int
cmd_history(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "limit", required_argument, NULL, 'l' },
		{ "server", required_argument, NULL, 'S' },
		{ "setting", required_argument, NULL, 'k' },
		{ "since", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	irmf_history_query q = { 0 };
	irmf_current cur = { 0 };
	irmf_changes h = { 0 };
	irmf_store *st = NULL;
	const char *db = NULL;
	bool json = false, have_cur = false;
	char *end;
	int ch, rc, status = CLI_EXIT_USAGE;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': db = optarg; break;
		case 'f':
			json = strcmp(optarg, "json") == 0;
			if (!json && strcmp(optarg, "text") != 0) {
				cli_error("history", "unknown format '%s'",
				    optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'h': cmd_history_usage(stdout); return CLI_EXIT_OK;
		case 'l':
			q.limit = strtoul(optarg, &end, 10);
			if (*end != '\0' || optarg[0] == '-') {
				cli_error("history", "bad --limit '%s'", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'S': q.server = optarg; break;
		case 'k': q.setting = optarg; break;
		case 's': q.since = optarg; break;
		default: cmd_history_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("history", "unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	if ((st = histcli_open("history", db, HISTCLI_READ, &status)) == NULL)
		return status;
	if (q.server && q.setting) {
		if ((rc = irmf_store_current(st, q.server, q.setting, &cur)) < 0)
			goto fail;
		have_cur = true;
	}
	if ((rc = irmf_store_history(st, &q, &h)) < 0)
		goto fail;
	status = CLI_EXIT_OK;
	if (irmf_history_report(stdout, json ? IRMF_FORMAT_JSON :
	    IRMF_FORMAT_TEXT, &q, have_cur ? &cur : NULL, &h) < 0 ||
	    fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("history", "cannot write the output");
		status = CLI_EXIT_FAILED;
	}
	goto out;
fail:
	cli_error_last();
	status = histcli_status_of(rc);
out:
	irmf_current_clear(&cur);
	irmf_changes_clear(&h);
	irmf_store_close(st);
	return status;
}
