/*
 * main.c - entry point of the irmfleet tool: dispatches the first argument
 * to one of the commands in cmd_table (one file per command, as in tmux
 * and git).  A row carries the command's name, function, one-line summary
 * and usage, so `irmfleet help`, `irmfleet help CMD`, `irmfleet CMD
 * --help` and the bash completion (which asks `irmfleet help`) cannot
 * drift apart.  Kept small on purpose.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "irmfleet/errors.h"
#include "irmfleet/textesc.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static void help_usage(FILE *f);
static void version_usage(FILE *f);

static const struct cli_command cmd_table[] = {
	{ "collect", cmd_collect, "collect snapshots over SSH from an inventory",
	    cmd_collect_usage },
	{ "import", cmd_import, "turn files exported on a server into a snapshot",
	    cmd_import_usage },
	{ "export-script", cmd_export_script,
	    "write the PowerShell export script (no SSH)",
	    cmd_export_script_usage },
	{ "validate", cmd_validate, "check snapshot files against the schema",
	    cmd_validate_usage },
	{ "compare", cmd_compare, "find the servers that differ from their peers",
	    cmd_compare_usage },
	{ "audit", cmd_audit, "record a fleet in the history and report drift",
	    cmd_audit_usage },
	{ "history", cmd_history, "show the timeline of changes from the history",
	    cmd_history_usage },
	{ "prune", cmd_prune, "remove old history, keeping each server's latest",
	    cmd_prune_usage },
	{ "forget", cmd_forget, "remove decommissioned servers from the history",
	    cmd_forget_usage },
	{ "db", cmd_db, "check the history database (db check)", cmd_db_usage },
	{ "inventory", cmd_inventory, "check an Ansible-style inventory file",
	    cmd_inventory_usage },
	{ "help", cmd_help, "list the commands, or show one command's usage",
	    help_usage },
	{ "version", cmd_version, "print the version", version_usage },
};

#define NCOMMANDS (sizeof(cmd_table) / sizeof(cmd_table[0]))

/* The command being run, for the "irmfleet CMD: " prefix of
 * cli_error_last(), whose callers (and the library's report callbacks)
 * have no command name at hand.  Set once by main() before the command
 * runs and only read afterwards: the program name of err(3), one word
 * longer. */
static const char *running = NULL;

void
cli_error_last(void)
{
	const irmf_error *e = irmf_error_last();

	/* messages quote file lines, host output, names: escaped */
	if (running != NULL)
		irmf_text_printf(stderr, "irmfleet %s: %s\n", running,
		    e->message[0] ? e->message : irmf_error_name(e->code));
	else
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

static const struct cli_command *
find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, cmd_table[i].name) == 0)
			return &cmd_table[i];
	return NULL;
}

static void
help_usage(FILE *f)
{
	fprintf(f,
	    "usage: irmfleet help [COMMAND]\n"
	    "\n"
	    "Without COMMAND, list the commands; with one, print its usage\n"
	    "(what 'irmfleet COMMAND --help' prints).\n"
	    "\n"
	    "exit status: 0 ok, 2 unknown command\n");
}

static void
version_usage(FILE *f)
{
	fprintf(f,
	    "usage: irmfleet version   (or irmfleet -V, irmfleet --version)\n"
	    "\n"
	    "Print the version of irmfleet.\n");
}

static void
list_commands(FILE *f)
{
	fprintf(f, "usage: irmfleet <command> [options]\n"
	    "       irmfleet -V | --version\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", cmd_table[i].name,
		    cmd_table[i].summary);
	fprintf(f, "\n'irmfleet help <command>' (or 'irmfleet <command> "
	    "--help') describes each command.\n");
}

static int
cmd_help(int argc, char **argv)
{
	const struct cli_command *c;

	if (argc < 2) {
		list_commands(stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		help_usage(stdout);
		return CLI_EXIT_OK;
	}
	if (argc > 2 || (c = find_command(argv[1])) == NULL) {
		cli_error("help", argc > 2 ? "one command at a time" :
		    "unknown command '%s' (see 'irmfleet help')", argv[1]);
		return CLI_EXIT_USAGE;
	}
	c->usage(stdout);
	return CLI_EXIT_OK;
}

static int
cmd_version(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		version_usage(stdout);
		return CLI_EXIT_OK;
	}
	printf("irmfleet %s\n", IRMF_VERSION);
	return CLI_EXIT_OK;
}

/* Run c with argv[0] = "irmfleet CMD": getopt's own messages ("unrecognized
 * option") then carry the same prefix as every other error. */
static int
dispatch(const struct cli_command *c, int argc, char **argv)
{
	char name[64];
	char **v = malloc(((size_t)argc + 1) * sizeof(*v));
	int rc;

	if (v == NULL) {
		fprintf(stderr, "irmfleet %s: out of memory\n", c->name);
		return CLI_EXIT_FAILED;
	}
	snprintf(name, sizeof(name), "irmfleet %s", c->name);
	v[0] = name;
	for (int i = 1; i < argc; i++)
		v[i] = argv[i];
	v[argc] = NULL;
	running = c->name;
	rc = c->fn(argc, v);
	free(v);
	return rc;
}

int
main(int argc, char **argv)
{
	const struct cli_command *c;

	if (argc < 2) {
		list_commands(stdout);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(0, NULL);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cmd_version(0, NULL);
	if ((c = find_command(argv[1])) != NULL)
		return dispatch(c, argc - 1, argv + 1);
	fprintf(stderr, "irmfleet: unknown command '%s' (see 'irmfleet help')\n",
	    argv[1]);
	return CLI_EXIT_USAGE;
}
