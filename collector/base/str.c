/*
 * str.c - string copies that record allocation failure, case-insensitive
 * equality, the growable array step and the string list (str.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "str.h"

char *
irmf_strdup(const char *s)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		irmf_error_oom();
	return d;
}

char *
irmf_strndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d == NULL) {
		irmf_error_oom();
		return NULL;
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

int
irmf_set_str(char **dst, const char *src)
{
	char *c = NULL;

	if (src != NULL && (c = irmf_strdup(src)) == NULL)
		return IRMF_ENOMEM;
	free(*dst);
	*dst = c;
	return IRMF_OK;
}

bool
irmf_streq_ci(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcasecmp(a, b) == 0;
}

int
irmf_grow(void **arr, size_t *cap, size_t n, size_t sz)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return IRMF_OK;
	ncap = *cap ? *cap * 2 : 8;
	p = realloc(*arr, ncap * sz);
	if (p == NULL)
		return irmf_error_oom();
	memset((char *)p + *cap * sz, 0, (ncap - *cap) * sz);
	*arr = p;
	*cap = ncap;
	return IRMF_OK;
}

int
irmf_strlist_add(irmf_strlist *l, const char *s)
{
	char *c;

	if (IRMF_GROW(l->items, l->cap, l->n) < 0)
		return IRMF_ENOMEM;
	if ((c = irmf_strdup(s)) == NULL)
		return IRMF_ENOMEM;
	l->items[l->n++] = c;
	return IRMF_OK;
}

void
irmf_strlist_clear(irmf_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}
