/*
 * cmd_collect.c - `irmfleet collect`.  Placeholder until its issue lands.
 */
#include "cli.h"

int
cmd_collect(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("collect", "not implemented yet");
	return CLI_EXIT_FAILED;
}
