/*
 * histcli.h - what the history commands (audit, history, prune, db,
 * forget) share: the --db default, opening the store, the exit status
 * of a library error.
 */
#ifndef IRMF_HISTCLI_H
#define IRMF_HISTCLI_H

#include <stdbool.h>

#include "irmfleet/store.h"

/* How a command uses the history: only queries it (history, db check:
 * opened read-only, never written), changes it (prune, forget), or
 * records into it, creating it if needed (audit). */
typedef enum histcli_mode {
	HISTCLI_READ,
	HISTCLI_WRITE,
	HISTCLI_CREATE
} histcli_mode;

/* Open the history at path, or at the default path when path is NULL
 * (creating its directory for HISTCLI_CREATE).  Prints the error and
 * returns NULL on failure; *status gets the exit code to use. */
irmf_store *histcli_open(const char *cmd, const char *path,
    histcli_mode mode, int *status);

/* Exit status for a failed library call: cli_exit_of (exit.c), under
 * the name audit and the history commands have used. */
int histcli_status_of(int rc);

#endif
