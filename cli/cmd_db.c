/*
 * cmd_db.c - `irmfleet db`.  Placeholder until its issue lands.
 */
#include "cli.h"

int
cmd_db(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("db", "not implemented yet");
	return CLI_EXIT_FAILED;
}
