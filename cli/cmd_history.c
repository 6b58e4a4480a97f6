/*
 * cmd_history.c - `irmfleet history`.  Placeholder until its issue lands.
 */
#include "cli.h"

int
cmd_history(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("history", "not implemented yet");
	return CLI_EXIT_FAILED;
}
