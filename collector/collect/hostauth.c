/*
 * hostauth.c - per-host keys from the inventory (hostauth.h): one entry
 * per distinct key file, each with the credentials list the SSH session
 * keeps a pointer to, so entries are allocated one by one and never move.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fileio.h"
#include "hostauth.h"
#include "snapshot_int.h"

/* Largest private key file read (as for --identity). */
#define MAX_KEY_FILE ((size_t)64 * 1024)

typedef struct entry {
	char *path;               /* as the inventory wrote it */
	char *key;                /* its contents */
	size_t len;
	irmf_ssh_auth auth;       /* this key, then the base's */
	const char **names;
	char **keys;
	size_t *lens;
} entry;

struct irmf_hostauth {
	const irmf_ssh_auth *base;
	entry **e;
	size_t n, cap;
};

int
irmf_hostauth_new(irmf_hostauth **out, const irmf_ssh_auth *base)
{
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return irmf_error_oom();
	(*out)->base = base;
	return IRMF_OK;
}

static void
entry_free(entry *x)
{
	if (x == NULL)
		return;
	if (x->key != NULL)
		memset(x->key, 0, x->len);   /* key material */
	free(x->key);
	free(x->path);
	free(x->names);
	free(x->keys);
	free(x->lens);
	free(x);
}

void
irmf_hostauth_free(irmf_hostauth *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->n; i++)
		entry_free(a->e[i]);
	free(a->e);
	free(a);
}

/* Read path's key ("~/..." under $HOME) into x. */
static int
read_key(entry *x, const char *path, char *err, size_t errcap)
{
	const char *home = getenv("HOME");
	char full[4096];
	int rc;

	if (strncmp(path, "~/", 2) == 0 && home != NULL)
		snprintf(full, sizeof(full), "%s/%s", home, path + 2);
	else
		snprintf(full, sizeof(full), "%s", path);
	rc = irmf_file_read(full, MAX_KEY_FILE, &x->key, &x->len);
	if (rc == 0 && x->len == 0)
		rc = irmf_error_set(IRMF_EUSAGE, "%s: empty", full);
	if (rc != 0)
		snprintf(err, errcap, "cannot use ansible_ssh_private_key_file: "
		    "%s", irmf_error_last()->message);
	return rc;
}

static entry *
entry_new(irmf_hostauth *a, const char *path, char *err, size_t errcap)
{
	const irmf_ssh_auth *b = a->base;
	entry *x = calloc(1, sizeof(*x));
	size_t n = b->nkeys + 1;

	if (x == NULL || (x->path = irmf_strdup(path)) == NULL ||
	    (x->names = calloc(n, sizeof(char *))) == NULL ||
	    (x->keys = calloc(n, sizeof(char *))) == NULL ||
	    (x->lens = calloc(n, sizeof(size_t))) == NULL) {
		snprintf(err, errcap, "out of memory");
		entry_free(x);
		return NULL;
	}
	if (read_key(x, path, err, errcap) != 0) {
		entry_free(x);
		return NULL;
	}
	x->names[0] = x->path;
	x->keys[0] = x->key;
	x->lens[0] = x->len;
	for (size_t i = 0; i < b->nkeys; i++) {
		x->names[i + 1] = b->key_names[i];
		x->keys[i + 1] = b->keys[i];
		x->lens[i + 1] = b->key_lens[i];
	}
	x->auth = *b;
	x->auth.key_names = x->names;
	x->auth.keys = x->keys;
	x->auth.key_lens = x->lens;
	x->auth.nkeys = n;
	return x;
}

const irmf_ssh_auth *
irmf_hostauth_get(irmf_hostauth *a, const char *path, char *err,
    size_t errcap)
{
	entry *x;

	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->e[i]->path, path) == 0)
			return &a->e[i]->auth;
	if (irmf_grow((void **)&a->e, &a->cap, a->n, sizeof(entry *)) != 0) {
		snprintf(err, errcap, "out of memory");
		return NULL;
	}
	if ((x = entry_new(a, path, err, errcap)) == NULL)
		return NULL;
	a->e[a->n++] = x;
	return &x->auth;
}
