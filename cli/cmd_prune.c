/*
 * cmd_prune.c - `irmfleet prune`.  Placeholder until its issue lands.
 */
#include "cli.h"

int
cmd_prune(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("prune", "not implemented yet");
	return CLI_EXIT_FAILED;
}
