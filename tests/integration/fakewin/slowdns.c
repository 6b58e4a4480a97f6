/*
 * slowdns.c - an LD_PRELOAD shim that makes name lookups slow or fail,
 * for test_collect_dns.sh (a dead name server cannot be had on demand):
 *   NAME.late.test   answers 127.0.0.1 after SLOWDNS_LATE_MS (1500)
 *   NAME.dead.test   fails (EAI_AGAIN) after SLOWDNS_DEAD_MS (6000)
 *   NAME.invalid     fails at once (EAI_NONAME)
 *   NAME.multi.test  answers 127.0.0.9 (where nothing listens), then
 *                    127.0.0.1: the second address must be tried
 * Every other name goes to the real getaddrinfo.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int (*gai_fn)(const char *, const char *, const struct addrinfo *,
    struct addrinfo **);

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void
sleep_ms(const char *env, long dflt)
{
	const char *v = getenv(env);
	long ms = v != NULL ? atol(v) : dflt;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

int
getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res)
{
	gai_fn real = (gai_fn)dlsym(RTLD_NEXT, "getaddrinfo");

	if (node != NULL && ends_with(node, ".late.test")) {
		sleep_ms("SLOWDNS_LATE_MS", 1500);
		node = "127.0.0.1";
	} else if (node != NULL && ends_with(node, ".dead.test")) {
		sleep_ms("SLOWDNS_DEAD_MS", 6000);
		return EAI_AGAIN;
	} else if (node != NULL && ends_with(node, ".invalid")) {
		return EAI_NONAME;
	} else if (node != NULL && ends_with(node, ".multi.test")) {
		struct addrinfo *first, *second;
		int r = real("127.0.0.9", service, hints, &first);
		if (r != 0)
			return r;
		if ((r = real("127.0.0.1", service, hints, &second)) != 0) {
			freeaddrinfo(first);
			return r;
		}
		first->ai_next = second;   /* freeaddrinfo walks the chain */
		*res = first;
		return 0;
	}
	return real(node, service, hints, res);
}
