/*
 * test_resolve.c - host names looked up on helper threads
 * (collector/remote/resolve.c): results arrive for every name, the pipe says
 * when, a name that does not resolve says why, and letting go of the
 * resolver while lookups are pending neither waits nor leaks.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "resolve.h"

/* Wait (poll on the resolver's pipe) until lookup i is done. */
static int
wait_for(irmf_resolver *r, size_t i, const struct addrinfo **ai,
    const char **err)
{
	for (int tries = 0; tries < 500; tries++) {
		struct pollfd p = { irmf_resolver_fd(r), POLLIN, 0 };
		if (irmf_resolver_result(r, i, ai, err))
			return 1;
		poll(&p, 1, 20);
		irmf_resolver_drain(r);
	}
	return 0;
}

static void
test_results(void **state)
{
	/* numeric addresses only: what a name resolves to depends on the
	 * machine (a minimal Debian has no /etc/hosts, so not even
	 * localhost); names are test_collect_dns.sh's, through its shim */
	const char *names[] = { "127.0.0.1", "192.0.2.10", "", "10.1.2.3" };
	const int ports[] = { 22, 2222, 22, 65535 };
	const struct addrinfo *ai;
	const char *err;
	irmf_resolver *r;
	char buf[64];

	(void)state;
	assert_int_equal(irmf_resolver_new(&r, names, ports, 4, 2), 0);
	assert_true(irmf_resolver_fd(r) >= 0);
	assert_int_equal(wait_for(r, 0, &ai, &err), 1);
	assert_non_null(ai);
	assert_null(err);
	assert_int_equal(ai->ai_family, AF_INET);
	assert_int_equal(ntohs(((const struct sockaddr_in *)ai->ai_addr)->
	    sin_port), 22);
	inet_ntop(AF_INET, &((const struct sockaddr_in *)ai->ai_addr)->sin_addr,
	    buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1");
	assert_int_equal(wait_for(r, 1, &ai, &err), 1);
	assert_non_null(ai);
	assert_null(err);
	assert_int_equal(ai->ai_family, AF_INET);
	assert_int_equal(ntohs(((const struct sockaddr_in *)ai->ai_addr)->
	    sin_port), 2222);
	inet_ntop(AF_INET, &((const struct sockaddr_in *)ai->ai_addr)->sin_addr,
	    buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.10");
	assert_int_equal(wait_for(r, 2, &ai, &err), 1);
	assert_null(ai);       /* an empty name does not resolve */
	assert_non_null(err);
	assert_true(strlen(err) > 0);
	assert_int_equal(wait_for(r, 3, &ai, &err), 1);
	assert_non_null(ai);
	assert_int_equal(ntohs(((const struct sockaddr_in *)ai->ai_addr)->
	    sin_port), 65535);
	irmf_resolver_free(r);
}

/* Let go at once, with most lookups not even started: no wait, no leak
 * (valgrind), and the workers stop early. */
static void
test_free_pending(void **state)
{
	enum { N = 5000 };
	const char **names = calloc(N, sizeof(*names));
	int *ports = calloc(N, sizeof(*ports));
	irmf_resolver *r;

	(void)state;
	assert_non_null(names);
	assert_non_null(ports);
	for (size_t i = 0; i < N; i++) {
		names[i] = "127.0.0.1";
		ports[i] = (int)(1 + i);
	}
	assert_int_equal(irmf_resolver_new(&r, names, ports, N, 3), 0);
	irmf_resolver_free(r);
	free(names);
	free(ports);
	irmf_resolver_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results),
		cmocka_unit_test(test_free_pending),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
