/*
 * strpool.c - interned strings (strpool.h).
 *
 * The pool is split into shards by hash, each with its own lock, open-
 * addressing table and bump-allocated storage blocks, so that the loading
 * threads rarely wait for each other and a million strings cost a few
 * hundred allocations rather than a million.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "strpool.h"

#define SHARDS 64
#define BLOCK_SIZE (64u * 1024)

typedef struct block {
	struct block *next;
	size_t used, cap;
	char data[];
} block;

typedef struct shard {
	pthread_mutex_t mu;
	const char **slots;     /* NULL = empty */
	uint64_t *hashes;
	size_t n, cap;          /* cap: power of two */
	block *blocks;
} shard;

struct irmf_strpool {
	shard shards[SHARDS];
};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

int
irmf_strpool_new(irmf_strpool **out)
{
	irmf_strpool *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (p == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < SHARDS; i++)
		if (pthread_mutex_init(&p->shards[i].mu, NULL) != 0) {
			for (size_t j = 0; j < i; j++)
				pthread_mutex_destroy(&p->shards[j].mu);
			free(p);
			return irmf_error_oom();
		}
	*out = p;
	return IRMF_OK;
}

void
irmf_strpool_free(irmf_strpool *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < SHARDS; i++) {
		shard *s = &p->shards[i];
		while (s->blocks != NULL) {
			block *b = s->blocks;
			s->blocks = b->next;
			free(b);
		}
		free(s->slots);
		free(s->hashes);
		pthread_mutex_destroy(&s->mu);
	}
	free(p);
}

static int
shard_grow(shard *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 256;
	const char **slots = calloc(ncap, sizeof(*slots));
	uint64_t *hashes = calloc(ncap, sizeof(*hashes));

	if (slots == NULL || hashes == NULL) {
		free(slots);
		free(hashes);
		return irmf_error_oom();
	}
	for (size_t i = 0; i < s->cap; i++) {
		size_t j;
		if (s->slots[i] == NULL)
			continue;
		/* shard index used the low bits: probe with the high ones */
		for (j = (s->hashes[i] >> 6) & (ncap - 1); slots[j] != NULL;
		    j = (j + 1) & (ncap - 1))
			;
		slots[j] = s->slots[i];
		hashes[j] = s->hashes[i];
	}
	free(s->slots);
	free(s->hashes);
	s->slots = slots;
	s->hashes = hashes;
	s->cap = ncap;
	return IRMF_OK;
}

/* Copy s (len bytes + NUL) into the shard's storage. */
static char *
shard_store(shard *s, const char *str, size_t len)
{
	block *b = s->blocks;
	char *d;

	if (b == NULL || b->cap - b->used < len + 1) {
		size_t cap = len + 1 > BLOCK_SIZE ? len + 1 : BLOCK_SIZE;
		if ((b = malloc(sizeof(*b) + cap)) == NULL) {
			irmf_error_oom();
			return NULL;
		}
		b->used = 0;
		b->cap = cap;
		b->next = s->blocks;
		s->blocks = b;
	}
	d = b->data + b->used;
	memcpy(d, str, len + 1);
	b->used += len + 1;
	return d;
}

const char *
irmf_strpool_intern(irmf_strpool *p, const char *str)
{
	uint64_t h = hash_str(str);
	shard *s = &p->shards[h % SHARDS];
	const char *r = NULL;
	size_t j;

	pthread_mutex_lock(&s->mu);
	if ((s->n + 1) * 2 > s->cap && shard_grow(s) < 0)
		goto out;
	for (j = (h >> 6) & (s->cap - 1); s->slots[j] != NULL;
	    j = (j + 1) & (s->cap - 1))
		if (s->hashes[j] == h && strcmp(s->slots[j], str) == 0) {
			r = s->slots[j];
			goto out;
		}
	if ((r = shard_store(s, str, strlen(str))) != NULL) {
		s->slots[j] = r;
		s->hashes[j] = h;
		s->n++;
	}
out:
	pthread_mutex_unlock(&s->mu);
	return r;
}
