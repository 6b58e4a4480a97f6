/*
 * cmd_validate.c - `irmfleet validate FILE...`: check snapshot files
 * against schemas/snapshot.xsd and the model's own rules, listing every
 * problem as "FILE:LINE: message" (one line each) so an admin can fix a
 * hand-edited or damaged snapshot.  Exit 0 when all files are valid, 2
 * when any is invalid or unreadable.  Warnings (stderr, exit status
 * unchanged): a file named after another server, a recorded generation
 * the content does not give.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "irmfleet/compare.h"
#include "irmfleet/errors.h"
#include "irmfleet/snapshot.h"

void
cmd_validate_usage(FILE *f)
{
	fprintf(f, "usage: irmfleet validate FILE...\n"
	    "\n"
	    "Check snapshot files against the snapshot schema.  Prints\n"
	    "\"FILE: ok\" for a valid file and one \"FILE:LINE: message\" line\n"
	    "per problem otherwise.  Exit status: 0 all valid, 2 any invalid\n"
	    "or unreadable.\n");
}

static void
print_line(const char *line, void *payload)
{
	unsigned *n = payload;

	printf("%s\n", line);
	(*n)++;
}

int
cmd_validate(int argc, char **argv)
{
	int first = 1, bad = 0;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		cmd_validate_usage(stdout);
		return CLI_EXIT_OK;
	}
	if (argc > 1 && strcmp(argv[1], "--") == 0)
		first = 2;
	else if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '\0') {
		cli_error("validate", "unknown option '%s'", argv[1]);
		cmd_validate_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (first >= argc) {
		cmd_validate_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	for (int i = first; i < argc; i++) {
		unsigned lines = 0;
		irmf_snapshot *snap = NULL;
		char msg[4400];
		int rc;

		/* load (one pass for a valid file, which gives the server
		 * name); only a failure is read again for every problem */
		if (irmf_snapshot_load(&snap, argv[i]) == 0) {
			printf("%s: ok\n", argv[i]);
			if (irmf_compare_name_mismatch(snap, argv[i], msg,
			    sizeof(msg)))
				cli_error("validate", "warning: %s", msg);
			/* a hand-edited <generation>: valid, ignored by every
			 * reader, but it misleads a person reading the file */
			if (irmf_snapshot_generation_mismatch(snap, argv[i],
			    msg, sizeof(msg)))
				cli_error("validate", "warning: %s", msg);
			irmf_snapshot_free(snap);
			continue;
		}
		rc = irmf_snapshot_validate_file(argv[i], print_line, &lines);
		if (rc == 0) {   /* changed in between: report what we saw */
			printf("%s: ok\n", argv[i]);
			continue;
		}
		bad++;
		if (lines == 0)   /* every failure should have reported */
			printf("%s: %s\n", argv[i],
			    irmf_error_last()->message);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("validate", "cannot write the report");
		return CLI_EXIT_FAILED;
	}
	return bad ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}
