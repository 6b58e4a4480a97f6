/*
 * idmap.c - the string -> row id cache that recording a run uses for
 * setting keys and values (store_db.h): an open-addressing hash table, so
 * that a large fleet's million settings do not each cost a SELECT.  The
 * ids are valid inside one write transaction only; the store clears the
 * cache when the transaction ends.
 */
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "error.h"
#include "store_db.h"

void
irmf__idmap_clear(idmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->e[i].k);
	free(m->e);
	memset(m, 0, sizeof(*m));
}

int64_t
irmf__idmap_get(const idmap *m, const char *k)
{
	if (m->cap == 0)
		return 0;
	for (size_t i = irmf_fnv1a(IRMF_FNV1A_INIT, k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->e[i].k == NULL)
			return 0;
		if (strcmp(m->e[i].k, k) == 0)
			return m->e[i].v;
	}
}

static int
idmap_grow(idmap *m)
{
	idmap old = *m;
	size_t ncap = m->cap ? m->cap * 2 : 1024;

	if ((m->e = calloc(ncap, sizeof(*m->e))) == NULL) {
		*m = old;
		return irmf_error_oom();
	}
	m->cap = ncap;
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.e[i].k != NULL) {
			size_t j = irmf_fnv1a(IRMF_FNV1A_INIT, old.e[i].k) & (ncap - 1);
			while (m->e[j].k != NULL)
				j = (j + 1) & (ncap - 1);
			m->e[j] = old.e[i];
			m->n++;
		}
	free(old.e);
	return IRMF_OK;
}

int
irmf__idmap_put(idmap *m, const char *k, int64_t v)
{
	size_t i;
	int rc;

	if ((m->n + 1) * 2 > m->cap && (rc = idmap_grow(m)) < 0)
		return rc;
	for (i = irmf_fnv1a(IRMF_FNV1A_INIT, k) & (m->cap - 1); m->e[i].k != NULL;
	    i = (i + 1) & (m->cap - 1))
		if (strcmp(m->e[i].k, k) == 0) {
			m->e[i].v = v;
			return IRMF_OK;
		}
	if ((m->e[i].k = irmf_strdup(k)) == NULL)
		return IRMF_ENOMEM;
	m->e[i].v = v;
	m->n++;
	return IRMF_OK;
}
