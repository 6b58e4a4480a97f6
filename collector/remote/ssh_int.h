/*
 * ssh_int.h - the SSH transport's session structure and the helpers its
 * two files share: ssh.c (connect, host key, login, commands) and
 * sshjump.c (ProxyJump: sessions tunnelled through a previous hop).
 * Internal to collector/remote; the engine sees only ssh.h.
 */
#ifndef IRMF_SSH_INT_H
#define IRMF_SSH_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <libssh2.h>

#include "buf.h"
#include "error.h"
#include "ssh.h"

enum state {
	S_CONNECT, S_VIA, S_TUNNEL, S_HANDSHAKE, S_AUTHLIST, S_AGENT, S_KEY,
	S_PASSWORD, S_READY, S_OPEN, S_EXEC, S_WRITE, S_EOF, S_READ, S_CLOSE, S_WAIT, S_FREE, S_DEAD
};

struct irmf_ssh {
	char *name;          /* "'ex01'" or "'ex01': jump gw:22", for messages */
	char *address, *user;
	int port;
	const irmf_ssh_auth *auth;
	irmf_knownhosts *kh;
	bool accept_new;

	int fd;
	/* the addresses not tried yet (the resolver's, borrowed until the
	 * connection is up) and the first address's error, for the message */
	const struct addrinfo *next_ai;
	int first_err;
	unsigned tried_addrs;
	LIBSSH2_SESSION *session;
	/* ProxyJump: the previous hop's session (owned), and the direct-tcpip
	 * channel on it that carries this session's bytes (send/recv
	 * callbacks in sshjump.c); fd stays -1, the chain's first hop has the socket */
	irmf_ssh *via;
	LIBSSH2_CHANNEL *tunnel;
	LIBSSH2_CHANNEL *ch;
	LIBSSH2_AGENT *agent;
	struct libssh2_agent_publickey *identity;
	enum state st;
	irmf_ssh_failure fail;

	char *methods;       /* server's auth methods */
	bool agent_done;
	size_t keyi;
	char tried[512];     /* methods tried, for the auth failure message */
	const char *method;  /* the one that succeeded (irmf_ssh_auth_method) */

	char *cmd;
	/* the command's stdin (borrowed from irmf_ssh_exec_input's caller),
	 * sent whole and then EOF; NULL: EOF only when the command ends */
	const char *in;
	size_t inlen, inoff;
	size_t max_out;
	irmf_buf out, err;
	bool over;
	int cmd_error;       /* non-fatal error to report when closed */
	char cmd_msg[IRMF_ERROR_MSG_MAX];
	int exit_status;
	char *exit_signal;
};

/* Fail the session: kind + message already set as the last error. */
int irmf_ssh_die(irmf_ssh *s, irmf_ssh_failure kind, int code);
/* Connect to the next address of s->next_ai (the first hop only). */
int irmf_ssh_connect_next(irmf_ssh *s);
/* A session to t, not started; label names it in messages. */
irmf_ssh *irmf_ssh_alloc(const char *label, const irmf_ssh_target *t,
    const irmf_ssh_auth *auth, irmf_knownhosts *kh, bool accept_new);
/* The libssh2 session, ready for the handshake (S_HANDSHAKE). */
int irmf_ssh_new_session(irmf_ssh *s);

/* sshjump.c */
/* The first hop of a chain: the one session with a socket. */
irmf_ssh *irmf_ssh_chain_root(const irmf_ssh *s);
/* S_VIA: advance the previous hop until it is logged in. */
int irmf_ssh_step_via(irmf_ssh *s);
/* S_TUNNEL: open the direct-tcpip channel, then the session over it. */
int irmf_ssh_open_tunnel(irmf_ssh *s);
/* Data queued in libssh2 for a tunnel of the chain (no poll() wakes for
 * it). */
bool irmf_ssh_tunnel_queued(const irmf_ssh *s);

#endif
