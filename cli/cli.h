/*
 * cli.h - the irmfleet command-line tool: exit codes, the command table
 * and helpers shared by the cmd_*.c files.
 *
 * Adding a command: write cli/cmd_<name>.c with
 * `int cmd_<name>(int argc, char **argv)`, declare it below and add a row
 * to the table in main.c; `irmfleet help` lists the table.
 * Commands use only the public API in include/ (plus the internal headers
 * where a public function does not exist yet).
 */
#ifndef IRMF_CLI_H
#define IRMF_CLI_H

#include <stddef.h>

/* Exit codes (documented in README.md and docs/irmfleet.1). */
enum {
	CLI_EXIT_OK = 0,          /* ran fine, nothing to report */
	CLI_EXIT_FINDINGS = 1,    /* findings (or drift) reported */
	CLI_EXIT_USAGE = 2,       /* usage or input error, like diff(1) */
	CLI_EXIT_NOT_CHECKED = 3, /* some servers could not be (fully) checked */
	CLI_EXIT_DRIFT = 4,       /* audit: drift since the previous audit */
	CLI_EXIT_FAILED = 5       /* runtime failure (I/O, database, ...) */
};

/* The exit code of a comparison (compare, collect --compare): not
 * checked wins over findings (cmd_compare.c). */
struct irmf_compare_counts;
int cli_compare_status(const struct irmf_compare_counts *c);
/* compare: name the hosts of collect directories among argv[first..]
 * that their unfinished run left without a snapshot; how many. */
size_t cli_uncollected(int argc, char **argv, int first);

struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

int cmd_audit(int argc, char **argv);
int cmd_collect(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_export_script(int argc, char **argv);
int cmd_forget(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_inventory(int argc, char **argv);
int cmd_prune(int argc, char **argv);
int cmd_validate(int argc, char **argv);

/* Print "irmfleet: <message of the last library error>" to stderr. */
void cli_error_last(void);
/* Print "irmfleet <cmd>: <fmt...>" to stderr. */
void cli_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Whether a --user value is usable; prints why not.  A control character
 * (a newline pasted along) would end up in the SSH login and in logs. */
int cli_user_ok(const char *cmd, const char *user);

#endif
