/*
 * cmd_export_script.c - `irmfleet export-script [--role ROLE]...
 * [--events N] [--output FILE]`: write the standalone PowerShell export
 * script for fleets irmfleet cannot reach over SSH.  An admin runs it on
 * a server or from a workstation (WinRM) and imports the documents it
 * writes (docs/export-script.md).  Without --role the script covers
 * every role; the file is written whole or not at all.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "irmfleet/collect.h"
#include "irmfleet/errors.h"
#include "irmfleet/exportscript.h"
#include "irmfleet/snapshot.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: irmfleet export-script [--role ROLE]... "
	    "[--events N] [--output FILE]\n"
	    "\n"
	    "Write the PowerShell script that exports servers without SSH: run\n"
	    "it on a server (.\\irmfleet-export.ps1 -OutDir \\\\share\\irm) or\n"
	    "from an admin workstation for many (-ComputerName, -Discover),\n"
	    "then `irmfleet import` the folder.  Read-only on the servers.\n"
	    "\n"
	    "  --role ROLE   exchange, sharepoint, fci or connector; repeat or\n"
	    "                separate with commas (default: all roles)\n"
	    "  --events N    connector events read per event group (default %u)\n"
	    "  --output FILE write the script there (default: standard output)\n"
	    "\n"
	    "See docs/export-script.md.\n", IRMF_COLLECT_DEFAULT_EVENTS);
}

static int
add_roles(const char *arg, unsigned *roles)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		irmf_role r;

		if (irmf_role_parse(tok, &r) != 0) {
			cli_error_last();
			return -1;
		}
		*roles |= (unsigned)r;
	}
	return 0;
}

static int
write_file(const char *path, const char *text, size_t len)
{
	FILE *f;
	char *tmp;
	size_t n = strlen(path) + 16;
	int ok;

	if (path == NULL) {
		ok = fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0;
		if (!ok)
			cli_error("export-script", "cannot write the script to "
			    "standard output");
		return ok ? 0 : -1;
	}
	if ((tmp = malloc(n)) == NULL)
		return -1;
	snprintf(tmp, n, "%s.tmp", path);
	f = fopen(tmp, "wb");
	ok = f != NULL && fwrite(text, 1, len, f) == len;
	ok = (f != NULL && fclose(f) == 0) && ok;
	ok = ok && rename(tmp, path) == 0;
	if (!ok) {
		cli_error("export-script", "cannot write '%s'", path);
		remove(tmp);
	}
	free(tmp);
	return ok ? 0 : -1;
}

int
cmd_export_script(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "events", required_argument, NULL, 'e' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *output = NULL;
	unsigned roles = 0, events = IRMF_COLLECT_DEFAULT_EVENTS;
	char *text = NULL, *end;
	size_t len;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:e:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (add_roles(optarg, &roles) != 0)
				return CLI_EXIT_USAGE;
			break;
		case 'e':
			events = (unsigned)strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || events == 0 ||
			    events > 1000000) {
				cli_error("export-script", "--events needs a "
				    "number from 1 to 1000000, not '%s'", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'o': output = optarg; break;
		case 'h': usage(stdout); return CLI_EXIT_OK;
		case ':':
			cli_error("export-script", "option '%s' needs a value",
			    argv[optind - 1]);
			return CLI_EXIT_USAGE;
		default:
			cli_error("export-script", "unknown option '%s'",
			    argv[optind - 1]);
			usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("export-script", "unexpected argument '%s'",
		    argv[optind]);
		return CLI_EXIT_USAGE;
	}
	if (roles == 0)
		roles = IRMF_ROLE_EXCHANGE | IRMF_ROLE_SHAREPOINT |
		    IRMF_ROLE_FCI | IRMF_ROLE_CONNECTOR;
	if (irmf_export_script(&text, &len, roles, events) != 0) {
		cli_error_last();
		return CLI_EXIT_FAILED;
	}
	rc = write_file(output, text, len);
	free(text);
	return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

/* The usage text, for the command table (main.c: help CMD). */
void
cmd_export_script_usage(FILE *f)
{
	usage(f);
}
