/*
 * cli.h - the irmfleet command-line tool: exit codes, the command table
 * and helpers shared by the cmd_*.c files.
 *
 * Adding a command: write cli/cmd_<name>.c with
 * `int cmd_<name>(int argc, char **argv)` and `void cmd_<name>_usage(FILE *)`
 * (what `--help` prints), declare both below and add a row to the table
 * in main.c: `irmfleet help` lists the table, `irmfleet help CMD` prints
 * the row's usage, and the bash completion (completions/irmfleet) asks
 * `irmfleet help` for the commands.
 * Commands use only the public API in include/ (plus the internal headers
 * where a public function does not exist yet).
 */
#ifndef IRMF_CLI_H
#define IRMF_CLI_H

#include <stddef.h>
#include <stdio.h>

/* Exit codes (documented in README.md and docs/irmfleet.1; a library
 * error code becomes one through cli_exit_of, exit.c). */
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

/* The exit status for a failed library call (its negative
 * irmf_error_code): 2 for what the user gave, 5 for a failure to do the
 * work (exit.c has the rule and the table). */
int cli_exit_of(int rc);

struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;              /* one line for `irmfleet help` */
	void (*usage)(FILE *f);           /* `help CMD` and `CMD --help` */
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

void cmd_audit_usage(FILE *f);
void cmd_collect_usage(FILE *f);
void cmd_compare_usage(FILE *f);
void cmd_export_script_usage(FILE *f);
void cmd_db_usage(FILE *f);
void cmd_forget_usage(FILE *f);
void cmd_history_usage(FILE *f);
void cmd_import_usage(FILE *f);
void cmd_inventory_usage(FILE *f);
void cmd_prune_usage(FILE *f);
void cmd_validate_usage(FILE *f);

/* Print "irmfleet CMD: <message of the last library error>" to stderr
 * (CMD: the command main() dispatched to). */
void cli_error_last(void);
/* Print "irmfleet <cmd>: <fmt...>" to stderr. */
void cli_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Whether a --user value is usable; prints why not.  A control character
 * (a newline pasted along) would end up in the SSH login and in logs. */
int cli_user_ok(const char *cmd, const char *user);

#endif
