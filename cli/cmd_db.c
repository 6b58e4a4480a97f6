/*
 * cmd_db.c - `irmfleet db check`: verify a history database: SQLite's
 * integrity_check and foreign_key_check, then the store's own invariants
 * (no half-recorded run, host counts match, no overlapping intervals,
 * every server's latest state reconstructs to its recorded hash).
 *
 * Exit status: 0 consistent, 1 problems found (listed), 2 usage error or
 * not a history database, 5 the check could not run.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "histcli.h"
#include "irmfleet/errors.h"
#include "irmfleet/store.h"

void
cmd_db_usage(FILE *f)
{
	fprintf(f,
	    "usage: irmfleet db check [--db FILE]\n"
	    "\n"
	    "Check the history database's integrity and consistency.\n"
	    "\n"
	    "exit status: 0 consistent, 1 problems found, 2 usage error,\n"
	    "5 the check could not run\n");
}

static void
print_problem(const char *line, void *payload)
{
	(void)payload;
	printf("%s\n", line);
}

int
cmd_db(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = NULL;
	irmf_store *st;
	size_t n;
	int ch, rc, status = CLI_EXIT_USAGE;

	if (argc < 2 || strcmp(argv[1], "check") != 0) {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0)) {
			cmd_db_usage(stdout);
			return CLI_EXIT_OK;
		}
		cli_error("db", "expected a subcommand: check");
		cmd_db_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	argc--;
	argv++;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': db = optarg; break;
		case 'h': cmd_db_usage(stdout); return CLI_EXIT_OK;
		default: cmd_db_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("db", "unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	if ((st = histcli_open("db", db, HISTCLI_READ, &status)) == NULL)
		return status;
	if ((rc = irmf_store_check(st, print_problem, NULL, &n)) < 0) {
		cli_error_last();
		status = cli_exit_of(rc);
	} else if (n > 0) {
		printf("%zu problem%s found\n", n, n == 1 ? "" : "s");
		status = CLI_EXIT_FINDINGS;
	} else {
		printf("ok\n");
		status = CLI_EXIT_OK;
	}
	irmf_store_close(st);
	return status;
}
