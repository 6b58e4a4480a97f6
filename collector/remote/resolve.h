/*
 * resolve.h - host names looked up on helper threads.
 *
 * getaddrinfo() blocks, for as long as the resolver takes to give up on a
 * dead name server or a name that does not answer (seconds, per name).
 * Called from the collect engine's single poll() loop it froze every other
 * session, whose deadlines then passed: one bad inventory entry made
 * healthy hosts time out.  Here a few threads look the names up in order,
 * and the loop polls a pipe that says when one is ready.
 */
#ifndef IRMF_RESOLVE_H
#define IRMF_RESOLVE_H
#include <netdb.h>
#include <stddef.h>

typedef struct irmf_resolver irmf_resolver;

/* Start looking up names[0..n) (copied) with up to `threads` threads, in
 * index order; port is the service for every name. */
int irmf_resolver_new(irmf_resolver **out, const char *const *names,
    const int *ports, size_t n, unsigned threads);

/* Readable when a lookup has finished since the last irmf_resolver_drain. */
int irmf_resolver_fd(const irmf_resolver *r);
void irmf_resolver_drain(irmf_resolver *r);

/* Lookup i: 0 while pending; 1 when done: *ai is the result (owned by the
 * resolver, valid until irmf_resolver_free) or NULL with *err the reason
 * ("Name or service not known"). */
int irmf_resolver_result(irmf_resolver *r, size_t i,
    const struct addrinfo **ai, const char **err);

/* Let go: lookups not started are skipped; idle workers are joined (a
 * fraction of a second at most), one still inside getaddrinfo keeps its
 * thread until that returns, and the last to finish frees it all. */
void irmf_resolver_free(irmf_resolver *r);

#endif
