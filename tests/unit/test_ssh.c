/*
 * test_ssh.c - the parts of the SSH transport (collector/remote/ssh.c)
 * that need no server: the one libssh2-error translator, and a ProxyJump
 * chain whose first hop cannot be reached failing with the hop named and
 * the connect failure kind, and a target narrowed to the password whose
 * jump hosts keep their own credentials (real sessions through jump hosts
 * are in tests/integration/test_ssh_config.sh).
 */
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libssh2.h>

#include "testutil.h"
#include "error.h"
#include "irmfleet/errors.h"
#include "ssh.h"
#include "ssh_int.h"

static void
test_error_translator(void **state)
{
	(void)state;
	/* a code libssh2 gives no useful text for gets a sentence */
	assert_int_equal(irmf_ssh_error(NULL, LIBSSH2_ERROR_KEX_FAILURE,
	    "'ex01': ssh handshake failed"), IRMF_ESSH);
	assert_string_equal(irmf_error_last()->message, "'ex01': ssh "
	    "handshake failed: no key exchange method in common with the "
	    "server");
	assert_int_equal(irmf_ssh_error(NULL,
	    LIBSSH2_ERROR_SOCKET_DISCONNECT, "x"), IRMF_ESSH);
	assert_string_equal(irmf_error_last()->message,
	    "x: the connection was closed by the other end");
	/* a refused authentication maps to the auth code */
	assert_int_equal(irmf_ssh_error(NULL,
	    LIBSSH2_ERROR_AUTHENTICATION_FAILED, "y"), IRMF_EAUTH);
	/* anything else: the number, never an empty message */
	assert_int_equal(irmf_ssh_error(NULL, -4242, "z"), IRMF_ESSH);
	assert_string_equal(irmf_error_last()->message, "z: ssh error -4242");
}

/* A loopback port nothing listens on (bound, then closed). */
static int
closed_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static void
test_jump_failure_names_hop(void **state)
{
	int port = closed_port();
	char svc[16];
	struct addrinfo hints, *ai = NULL;
	irmf_ssh_auth auth;
	irmf_ssh_target t = { "10.255.0.1", 22, "svc", NULL };
	irmf_ssh_target hops[2] = {
		{ "127.0.0.1", port, "adm", "bastion" },
		{ "10.255.0.2", 22, "adm", "inner" },
	};
	irmf_ssh *s = NULL;
	bool done = false;
	int r = 0;

	(void)state;
	memset(&auth, 0, sizeof(auth));
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	snprintf(svc, sizeof(svc), "%d", port);
	assert_int_equal(getaddrinfo("127.0.0.1", svc, &hints, &ai), 0);
	r = irmf_ssh_new_via(&s, "ex01", &t, hops, 2, ai, &auth, NULL, false);
	/* the refusal comes at once or on a later step */
	for (int i = 0; r == 0 && !done && i < 200; i++) {
		struct pollfd p = { irmf_ssh_fd(s), irmf_ssh_events(s), 0 };

		poll(&p, 1, 50);
		r = irmf_ssh_connect_step(s, &done);
	}
	assert_int_not_equal(r, 0);
	assert_non_null(s);
	assert_int_equal(irmf_ssh_failure_kind(s), IRMF_SSH_FAIL_CONNECT);
	assert_non_null(strstr(irmf_error_last()->message, "'ex01': jump "
	    "bastion: connect to 127.0.0.1 port "));
	assert_non_null(strstr(irmf_error_last()->message, "refused"));
	irmf_ssh_free(s);
	freeaddrinfo(ai);
}

/* The host that reads the organisation logs on by password alone; its
 * jump hosts must still get the keys (auth->hops).  No method before a
 * logon. */
static void
test_hops_keep_their_credentials(void **state)
{
	int port = closed_port();
	char svc[16];
	struct addrinfo hints, *ai = NULL;
	irmf_ssh_auth base, narrow;
	irmf_ssh_target t = { "10.255.0.1", 22, "svc", NULL };
	irmf_ssh_target hops[2] = {
		{ "127.0.0.1", port, "adm", "bastion" },
		{ "10.255.0.2", 22, "adm", "inner" },
	};
	irmf_ssh *s = NULL;

	(void)state;
	memset(&base, 0, sizeof(base));
	base.use_agent = true;
	base.password = "pw";
	memset(&narrow, 0, sizeof(narrow));
	narrow.password = "pw";
	narrow.hops = &base;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	snprintf(svc, sizeof(svc), "%d", port);
	assert_int_equal(getaddrinfo("127.0.0.1", svc, &hints, &ai), 0);
	(void)irmf_ssh_new_via(&s, "ex01", &t, hops, 2, ai, &narrow, NULL,
	    false);
	assert_non_null(s);
	assert_ptr_equal(s->auth, &narrow);
	assert_non_null(s->via);
	assert_ptr_equal(s->via->auth, &base);
	assert_non_null(s->via->via);
	assert_ptr_equal(s->via->via->auth, &base);
	assert_null(s->via->via->via);
	assert_null(irmf_ssh_auth_method(s));
	irmf_ssh_free(s);
	s = NULL;
	/* without hops set, every hop uses the target's */
	(void)irmf_ssh_new_via(&s, "ex01", &t, hops, 2, ai, &base, NULL,
	    false);
	assert_non_null(s);
	assert_ptr_equal(s->via->auth, &base);
	assert_ptr_equal(s->via->via->auth, &base);
	irmf_ssh_free(s);
	freeaddrinfo(ai);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_translator),
		cmocka_unit_test(test_jump_failure_names_hop),
		cmocka_unit_test(test_hops_keep_their_credentials),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
