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

/* Eight bytes per step (a byte-wise FNV was a visible share of a fleet's
 * load); the final mix spreads every input bit over the low bits that pick
 * the shard and the high ones that pick the slot. */
uint64_t
irmf_strpool_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	if (len > 0) {
		w = 0;
		memcpy(&w, s, len);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
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

/* Copy str[0..len) and a NUL into the shard's storage. */
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
	memcpy(d, str, len);
	d[len] = '\0';
	b->used += len + 1;
	return d;
}

const char *
irmf_strpool_intern_hashed(irmf_strpool *p, const char *str, size_t len,
    uint64_t h)
{
	shard *s = &p->shards[h % SHARDS];
	const char *r = NULL;
	size_t j;

	pthread_mutex_lock(&s->mu);
	if ((s->n + 1) * 2 > s->cap && shard_grow(s) < 0)
		goto out;
	for (j = (h >> 6) & (s->cap - 1); s->slots[j] != NULL;
	    j = (j + 1) & (s->cap - 1))
		/* strncmp: a shorter slot ends at its NUL, never read past */
		if (s->hashes[j] == h && strncmp(s->slots[j], str, len) == 0 &&
		    s->slots[j][len] == '\0') {
			r = s->slots[j];
			goto out;
		}
	if ((r = shard_store(s, str, len)) != NULL) {
		s->slots[j] = r;
		s->hashes[j] = h;
		s->n++;
	}
out:
	pthread_mutex_unlock(&s->mu);
	return r;
}

const char *
irmf_strpool_intern_n(irmf_strpool *p, const char *str, size_t len)
{
	return irmf_strpool_intern_hashed(p, str, len,
	    irmf_strpool_hash(str, len));
}

const char *
irmf_strpool_intern(irmf_strpool *p, const char *str)
{
	return irmf_strpool_intern_n(p, str, strlen(str));
}
