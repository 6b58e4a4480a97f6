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

typedef struct irmf_strpool irmf_strpool;

int irmf_strpool_new(irmf_strpool **out);
void irmf_strpool_free(irmf_strpool *p);

/* The pool's copy of s (valid until irmf_strpool_free), or NULL after an
 * allocation failure (IRMF_ENOMEM set).  Safe from several threads. */
const char *irmf_strpool_intern(irmf_strpool *p, const char *s);

#endif
