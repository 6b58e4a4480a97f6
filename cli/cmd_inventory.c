/*
 * cmd_inventory.c - `irmfleet inventory`.  Placeholder until its issue lands.
 */
#include "cli.h"

int
cmd_inventory(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("inventory", "not implemented yet");
	return CLI_EXIT_FAILED;
}
