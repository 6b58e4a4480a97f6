/*
 * histcli.h - what the history commands (audit, history, prune, db)
 * share: the --db default, opening the store, and printing changes.
 */
#ifndef IRMF_HISTCLI_H
#define IRMF_HISTCLI_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

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

/* One change as a text line (two lines when it has old/new values). */
void histcli_print_change(FILE *f, const irmf_change *c, bool with_time);

/* One change as a JSON object (every field present, absent = null). */
json_t *histcli_change_json(const irmf_change *c);

/* Write a JSON value to stdout, indented, with a final newline. */
int histcli_dump_json(json_t *root);

/* Exit status for a failed library call: cli_exit_of (exit.c), under
 * the name audit and the history commands have used. */
int histcli_status_of(int rc);

#endif
