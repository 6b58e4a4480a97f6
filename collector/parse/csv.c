/*
 * csv.c - split one CSV line into fields (see csv.h).  Hand-written
 * because it is twenty lines and no CSV library is among the project's
 * dependencies; the grammar is RFC 4180 restricted to one line.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "error.h"
#include "str.h"

static int
add_field(irmf_csv_row *row, const char *s, size_t n)
{
	char **nf;

	if (row->n >= IRMF_CSV_MAX_FIELDS)
		return IRMF_ELIMIT;
	if ((nf = realloc(row->f, (row->n + 1) * sizeof(*nf))) == NULL)
		return irmf_error_oom();
	row->f = nf;
	if ((row->f[row->n] = irmf_strndup(s, n)) == NULL)
		return IRMF_ENOMEM;
	row->n++;
	return IRMF_OK;
}

/* A quoted field starting at line[*i] == '"'; unescapes into a copy. */
static int
quoted(const char *line, size_t len, size_t *i, irmf_csv_row *row,
    size_t *col, const char **what)
{
	char *buf = malloc(len + 1);
	size_t j = *i + 1, n = 0;
	int rc;

	if (buf == NULL)
		return irmf_error_oom();
	for (;;) {
		if (j >= len) {
			free(buf);
			*col = *i + 1;
			*what = "a closing '\"' for the quote opened here";
			return IRMF_EPARSE;
		}
		if (line[j] == '"') {
			if (j + 1 < len && line[j + 1] == '"') {
				buf[n++] = '"';
				j += 2;
				continue;
			}
			j++;
			break;
		}
		buf[n++] = line[j++];
	}
	rc = add_field(row, buf, n);
	free(buf);
	*i = j;
	return rc;
}

int
irmf_csv_split(const char *line, size_t len, irmf_csv_row *row, size_t *col,
    const char **what)
{
	size_t i = 0;
	int rc;

	row->f = NULL;
	row->n = 0;
	for (;;) {
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i < len && line[i] == '"') {
			if ((rc = quoted(line, len, &i, row, col, what)) < 0)
				goto fail;
			while (i < len && (line[i] == ' ' || line[i] == '\t'))
				i++;
			if (i < len && line[i] != ',') {
				*col = i + 1;
				*what = "',' after the closing quote";
				rc = IRMF_EPARSE;
				goto fail;
			}
		} else {
			size_t start = i, end;

			while (i < len && line[i] != ',' && line[i] != '"')
				i++;
			if (i < len && line[i] == '"') {
				*col = i + 1;
				*what = "no '\"' inside an unquoted field (quote "
				    "the whole field)";
				rc = IRMF_EPARSE;
				goto fail;
			}
			end = i;
			while (end > start && (line[end - 1] == ' ' ||
			    line[end - 1] == '\t'))
				end--;
			if ((rc = add_field(row, line + start, end - start)) < 0)
				goto fail;
		}
		if (i >= len)
			return IRMF_OK;
		i++;   /* ',' */
	}
fail:
	if (rc == IRMF_ELIMIT) {
		*col = i + 1;
		*what = "at most 256 fields";
		rc = IRMF_EPARSE;
	}
	irmf_csv_row_free(row);
	return rc;
}

void
irmf_csv_row_free(irmf_csv_row *row)
{
	for (size_t i = 0; i < row->n; i++)
		free(row->f[i]);
	free(row->f);
	row->f = NULL;
	row->n = 0;
}
