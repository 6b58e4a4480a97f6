/*
 * main.c - entry point of the irmfleet tool: dispatches the first argument
 * to one of the commands in cmd_table (one file per command, as in tmux
 * and git).  Kept small on purpose.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "irmfleet/errors.h"
#include "irmfleet/textesc.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct cli_command cmd_table[] = {
	{ "collect", cmd_collect, "collect snapshots over SSH from an inventory" },
	{ "import", cmd_import, "turn files exported on a server into a snapshot" },
	{ "export-script", cmd_export_script, "write the PowerShell export script (no SSH)" },
	{ "validate", cmd_validate, "check snapshot files against the schema" },
	{ "compare", cmd_compare, "find the servers that differ from their peers" },
	{ "audit", cmd_audit, "record a fleet in the history and report drift" },
	{ "history", cmd_history, "show the timeline of changes from the history" },
	{ "prune", cmd_prune, "remove old history, keeping each server's latest" },
	{ "forget", cmd_forget, "remove decommissioned servers from the history" },
	{ "db", cmd_db, "check the history database (db check)" },
	{ "inventory", cmd_inventory, "check an Ansible-style inventory file" },
	{ "help", cmd_help, "list the commands" },
	{ "version", cmd_version, "print the version" },
};

#define NCOMMANDS (sizeof(cmd_table) / sizeof(cmd_table[0]))

void
cli_error_last(void)
{
	const irmf_error *e = irmf_error_last();

	/* messages quote file lines, host output, names: escaped */
	irmf_text_printf(stderr, "irmfleet: %s\n",
	    e->message[0] ? e->message : irmf_error_name(e->code));
}

void
cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "irmfleet %s: ", cmd);
	va_start(ap, fmt);
	irmf_text_vprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cli_user_ok(const char *cmd, const char *user)
{
	if (user[0] == '\0') {
		cli_error(cmd, "--user: empty user name");
		return 0;
	}
	for (const unsigned char *p = (const unsigned char *)user; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			cli_error(cmd, "--user: control character 0x%02x in the "
			    "user name", *p);
			return 0;
		}
	return 1;
}

static int
cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: irmfleet <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  %-10s %s\n", cmd_table[i].name, cmd_table[i].summary);
	printf("\n'irmfleet <command> --help' describes each command.\n");
	return CLI_EXIT_OK;
}

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("irmfleet %s\n", IRMF_VERSION);
	return CLI_EXIT_OK;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		cmd_help(0, NULL);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(0, NULL);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(0, NULL);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], cmd_table[i].name) == 0)
			return cmd_table[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "irmfleet: unknown command '%s' (see 'irmfleet help')\n",
	    argv[1]);
	return CLI_EXIT_USAGE;
}
