/*
 * cmd_audit.c - `irmfleet audit`.  Placeholder until its issue lands.
 */
#include "cli.h"

int
cmd_audit(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("audit", "not implemented yet");
	return CLI_EXIT_FAILED;
}
