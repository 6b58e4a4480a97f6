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

/* Open the history at path, or at the default path when path is NULL
 * (creating its directory when create is set).  Prints the error and
 * returns NULL on failure; *status gets the exit code to use. */
irmf_store *histcli_open(const char *cmd, const char *path, bool create,
    int *status);

/* One change as a text line (two lines when it has old/new values). */
void histcli_print_change(FILE *f, const irmf_change *c, bool with_time);

/* One change as a JSON object (every field present, absent = null). */
json_t *histcli_change_json(const irmf_change *c);

/* Write a JSON value to stdout, indented, with a final newline. */
int histcli_dump_json(json_t *root);

/* Exit status for a failed library call: 2 for input errors, 5 else. */
int histcli_status_of(int rc);

#endif
