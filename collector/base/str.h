/*
 * str.h - the generic string and array helpers every layer uses: strdup
 * that records IRMF_ENOMEM, case-insensitive equality, the growable array
 * step (irmf_grow) and the string list.  They lived in the snapshot model
 * header, so the resolver, ssh, csv, normalize and suppress included the
 * whole model to get strdup; the model header still includes this one.
 */
#ifndef IRMF_STR_H
#define IRMF_STR_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Value of a hex digit, -1 if c is not one. */
static inline int
irmf_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* strdup that records IRMF_ENOMEM on failure; NULL in gives NULL out. */
char *irmf_strdup(const char *s);
char *irmf_strndup(const char *s, size_t n);
/* Replace *dst with a copy of src (NULL allowed). */
int irmf_set_str(char **dst, const char *src);
/* ASCII case-insensitive equality, NULL-safe (NULL == NULL). */
bool irmf_streq_ci(const char *a, const char *b);

/* Make room for element n of an array of elements of size sz (capacity
 * doubled from 8, new slots zeroed); IRMF_ENOMEM with the error set. */
int irmf_grow(void **arr, size_t *cap, size_t n, size_t sz);
#define IRMF_GROW(arr, cap, n) \
	irmf_grow((void **)&(arr), &(cap), (n), sizeof(*(arr)))

/* A list of owned strings. */
typedef struct irmf_strlist {
	char **items;
	size_t n, cap;
} irmf_strlist;

/* Append a copy of s. */
int irmf_strlist_add(irmf_strlist *l, const char *s);
void irmf_strlist_clear(irmf_strlist *l);

#endif
