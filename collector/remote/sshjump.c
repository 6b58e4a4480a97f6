/*
 * sshjump.c - ProxyJump for the SSH transport (see ssh.h): a chain of
 * sessions, each hop checked against known_hosts and logged in like the
 * target, the next one's SSH carried by a direct-tcpip channel of the
 * previous one through libssh2's send/recv callbacks.  The chain has one
 * socket, the first hop's; ssh.c drives the states S_VIA and S_TUNNEL
 * through the functions here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include <libssh2.h>

#include "error.h"
#include "ssh.h"
#include "ssh_int.h"

/* The first hop of a chain: the one session with a socket. */
irmf_ssh *
irmf_ssh_chain_root(const irmf_ssh *s)
{
	while (s->via != NULL)
		s = s->via;
	return (irmf_ssh *)s;
}

/* A hop below s failed (its message is the last error): s fails the same
 * way, so the engine sees the hop's reason (host key, auth...). */
static int
adopt_failure(irmf_ssh *s)
{
	irmf_ssh_failure kind = IRMF_SSH_FAIL_CONNECT;

	for (const irmf_ssh *h = s->via; h != NULL; h = h->via)
		if (h->fail != IRMF_SSH_FAIL_NONE) {
			kind = h->fail;
			break;
		}
	return irmf_ssh_die(s, kind, irmf_error_last()->code);
}

int
irmf_ssh_new_via(irmf_ssh **out, const char *name, const irmf_ssh_target *t,
    const irmf_ssh_target *hops, size_t nhops, const struct addrinfo *ai,
    const irmf_ssh_auth *auth, irmf_knownhosts *kh, bool accept_new)
{
	irmf_ssh *s = NULL, *root;
	char label[600];
	int r;

	*out = NULL;
	if ((r = irmf_ssh_global_init()) != 0)
		return r;
	for (size_t i = 0; i <= nhops; i++) {
		const irmf_ssh_target *me = i < nhops ? &hops[i] : t;
		irmf_ssh *prev = s;

		if (i < nhops)
			snprintf(label, sizeof(label), "'%s': jump %s", name,
			    me->label ? me->label : me->address);
		else
			snprintf(label, sizeof(label), "'%s'", name);
		/* a hop logs on with its own credentials when the target's
		 * are narrowed (auth->hops) */
		if ((s = irmf_ssh_alloc(label, me, i < nhops &&
		    auth->hops != NULL ? auth->hops : auth, kh, accept_new)) ==
		    NULL) {
			irmf_ssh_free(prev);
			return IRMF_ENOMEM;
		}
		s->via = prev;
		s->st = S_VIA;
	}
	*out = s;   /* from here on, failures are recorded on the session */
	root = irmf_ssh_chain_root(s);
	root->next_ai = ai;
	root->st = S_CONNECT;
	if (irmf_ssh_connect_next(root) != 0)
		return root == s ? irmf_error_last()->code : adopt_failure(s);
	return IRMF_OK;
}

/* A tunnelled session's bytes go through the direct-tcpip channel of the
 * previous hop instead of a socket.  The channel is non-blocking like
 * its session: EAGAIN goes back to libssh2 as -EAGAIN, which it treats as
 * a socket that would block, so every hop advances from the engine's one
 * poll() on the first hop's socket. */
static LIBSSH2_SEND_FUNC(tunnel_send)
{
	irmf_ssh *s = *abstract;
	ssize_t n;

	(void)socket;
	(void)flags;
	n = libssh2_channel_write(s->tunnel, buffer, length);
	if (n == LIBSSH2_ERROR_EAGAIN)
		return -EAGAIN;
	return n < 0 ? -EPIPE : n;
}

static LIBSSH2_RECV_FUNC(tunnel_recv)
{
	irmf_ssh *s = *abstract;
	ssize_t n;

	(void)socket;
	(void)flags;
	n = libssh2_channel_read(s->tunnel, buffer, length);
	if (n == LIBSSH2_ERROR_EAGAIN)
		return -EAGAIN;
	return n < 0 ? -ECONNRESET : n;
}

/* Ask the previous hop (logged in by now) to open a TCP connection to
 * this session's address:port, then start SSH over it. */
int
irmf_ssh_open_tunnel(irmf_ssh *s)
{
	char ctx[800];

	s->tunnel = libssh2_channel_direct_tcpip_ex(s->via->session,
	    s->address, s->port, "127.0.0.1", 22);
	if (s->tunnel == NULL) {
		int e = libssh2_session_last_errno(s->via->session);

		if (e == LIBSSH2_ERROR_EAGAIN)
			return IRMF_OK;
		snprintf(ctx, sizeof(ctx), "%s: cannot reach %s port %d",
		    s->via->name, s->address, s->port);
		return irmf_ssh_die(s, IRMF_SSH_FAIL_CONNECT,
		    irmf_ssh_error(s->via->session, e, ctx));
	}
	if (irmf_ssh_new_session(s) != 0)
		return IRMF_ESSH;
	libssh2_session_callback_set(s->session, LIBSSH2_CALLBACK_SEND,
	    (void *)tunnel_send);
	libssh2_session_callback_set(s->session, LIBSSH2_CALLBACK_RECV,
	    (void *)tunnel_recv);
	return IRMF_OK;
}

/* Advance the previous hop until it is logged in. */
int
irmf_ssh_step_via(irmf_ssh *s)
{
	bool done;

	if (irmf_ssh_connect_step(s->via, &done) != 0)
		return adopt_failure(s);
	if (done)
		s->st = S_TUNNEL;
	return IRMF_OK;
}

/* Data for a tunnel that the hop below already took off the socket: no
 * poll() wakes us for it, so the step must run again now. */
bool
irmf_ssh_tunnel_queued(const irmf_ssh *s)
{
	for (const irmf_ssh *h = s; h != NULL; h = h->via)
		if (h->tunnel != NULL && libssh2_poll_channel_read(h->tunnel, 0))
			return true;
	return false;
}
