/*
 * csv.h - one line of comma-separated values as RFC 4180 writes them
 * (fields in double quotes may hold commas; "" inside them is one quote).
 * Used by the authorization list and the `whoami /fo csv` parser.  Records
 * never span lines in these formats, so a quote left open at the end of
 * the line is an error.
 */
#ifndef IRMF_CSV_H
#define IRMF_CSV_H

#include <stddef.h>

#define IRMF_CSV_MAX_FIELDS 256

typedef struct irmf_csv_row {
	char **f;        /* fields, NUL-terminated copies */
	size_t n;
} irmf_csv_row;

/*
 * Split line[0..len) into row.  Blanks around unquoted fields and around
 * the quotes of quoted fields are dropped.  On IRMF_EPARSE *col is the
 * 1-based character position of the problem and *what says what was
 * expected there; no message is set (the caller knows file and line).
 */
int irmf_csv_split(const char *line, size_t len, irmf_csv_row *row,
    size_t *col, const char **what);
void irmf_csv_row_free(irmf_csv_row *row);

#endif
