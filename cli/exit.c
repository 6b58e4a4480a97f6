/*
 * exit.c - the one map from a library error code (irmfleet/errors.h) to
 * the tool's exit status, used by every command, as libgit2's and curl's
 * tools have one: before it, five commands each had their own switch and
 * they disagreed (a schema error was 5 in import and 2 elsewhere; an I/O
 * error was "usage" in compare).
 *
 * The rule: 2 when what the user gave is wrong (arguments, a file that
 * does not exist, content that does not parse or validate, over a limit,
 * a format irmfleet does not read); 5 when irmfleet could not do its work
 * with good input (a file that exists but cannot be read or written,
 * memory, the database, the network).  README.md and docs/irmfleet.1
 * ("EXIT STATUS") have the table; test_cli.sh checks it end to end.
 */
#include "cli.h"
#include "irmfleet/errors.h"

int
cli_exit_of(int rc)
{
	switch (rc) {
	case IRMF_OK:
		return CLI_EXIT_OK;
	case IRMF_EUSAGE:
	case IRMF_EPARSE:
	case IRMF_ESCHEMA:
	case IRMF_ENOTFOUND:
	case IRMF_ELIMIT:
	case IRMF_EUNSUPPORTED:
		return CLI_EXIT_USAGE;
	case IRMF_EIO:
	case IRMF_ENOMEM:
	case IRMF_ESSH:
	case IRMF_EHOSTKEY:
	case IRMF_EAUTH:
	case IRMF_ETIMEOUT:
	case IRMF_EDB:
	case IRMF_ERROR:
	default:
		return CLI_EXIT_FAILED;
	}
}
