/*
 * strpool.h - a thread-safe pool of interned strings.
 *
 * The servers of a fleet mostly share their settings' keys, display
 * values and normalized values: interned, a fleet of S servers with K
 * settings holds about K distinct strings of each kind instead of S*K
 * copies, and equal normalized values are equal pointers.  Strings live
 * in large blocks freed all at once with the pool.
 */
#ifndef IRMF_STRPOOL_H
#define IRMF_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

typedef struct irmf_strpool irmf_strpool;

int irmf_strpool_new(irmf_strpool **out);
void irmf_strpool_free(irmf_strpool *p);

/* The pool's copy of s (valid until irmf_strpool_free), or NULL after an
 * allocation failure (IRMF_ENOMEM set).  Safe from several threads. */
const char *irmf_strpool_intern(irmf_strpool *p, const char *s);
/* The same for s[0..len) (no NUL needed; s must hold no NUL byte). */
const char *irmf_strpool_intern_n(irmf_strpool *p, const char *s,
    size_t len);

/* The hash the pool files s[0..len) under, and intern with it already
 * computed: a caller keeping its own memo of interned strings (see
 * settings.c) hashes once for the memo and the pool. */
uint64_t irmf_strpool_hash(const char *s, size_t len);
const char *irmf_strpool_intern_hashed(irmf_strpool *p, const char *s,
    size_t len, uint64_t hash);

#endif
