/*
 * cmd_compare.c - `irmfleet compare`.  Placeholder until its issue lands.
 */
#include "cli.h"

int
cmd_compare(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("compare", "not implemented yet");
	return CLI_EXIT_FAILED;
}
