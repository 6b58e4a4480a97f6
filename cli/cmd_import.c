/*
 * cmd_import.c - `irmfleet import`.  Placeholder until its issue lands.
 */
#include "cli.h"

int
cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("import", "not implemented yet");
	return CLI_EXIT_FAILED;
}
