/*
 * ssh.h - the SSH transport: one non-blocking libssh2 session per host,
 * advanced step by step by the collect engine's poll() loop, and the only
 * place where libssh2 errors become irmfleet errors.
 *
 * Life of a session:
 *   irmf_ssh_new()            non-blocking TCP connect (the name was
 *                             looked up already: resolve.h)
 *   irmf_ssh_connect_step()   until *done: connect, handshake, host-key
 *                             check (known_hosts), authentication
 *   irmf_ssh_exec_start()     open a channel and run one command
 *   irmf_ssh_exec_step()      until *done: read stdout/stderr (bounded),
 *                             close, collect exit status
 *   irmf_ssh_free()           disconnect without blocking
 * Between steps the engine polls irmf_ssh_fd() for irmf_ssh_events().
 * Deadlines are the engine's business: a step never blocks.
 *
 * ProxyJump (irmf_ssh_new_via): each hop is its own session, host key
 * checked and logged in like the target; the next hop's SSH runs inside a
 * direct-tcpip channel of the previous one (libssh2 send/recv callbacks),
 * so the chain has one socket, the first hop's, and the engine polls and
 * times it out as one session.  A hop's failure names the hop.
 */
#ifndef IRMF_SSH_H
#define IRMF_SSH_H

#include <stdbool.h>
#include <stddef.h>

struct addrinfo;
/* knownhosts.h; only the handle is needed here */
typedef struct irmf_knownhosts irmf_knownhosts;

/* Authentication material shared read-only by every session. */
typedef struct irmf_ssh_auth {
	const char *const *key_names; /* identity file paths (for messages) */
	char **keys;                  /* their contents, loaded once */
	size_t *key_lens;
	size_t nkeys;
	const char *passphrase;       /* NULL: keys are not encrypted */
	const char *password;         /* NULL: no password authentication */
	bool use_agent;
	/* the jump hosts' credentials when they differ from the target's
	 * (a target logged on by password only, whose hops log on as
	 * usual); NULL: these */
	const struct irmf_ssh_auth *hops;
} irmf_ssh_auth;

typedef struct irmf_ssh irmf_ssh;

/* What failed, for the collect engine's reason column. */
typedef enum irmf_ssh_failure {
	IRMF_SSH_FAIL_NONE = 0,
	IRMF_SSH_FAIL_CONNECT,    /* resolve / refused / unreachable */
	IRMF_SSH_FAIL_PROTOCOL,   /* handshake or transport broke */
	IRMF_SSH_FAIL_HOSTKEY,    /* unknown, changed or revoked host key */
	IRMF_SSH_FAIL_AUTH,       /* every method refused */
	IRMF_SSH_FAIL_LOST        /* connection lost after login */
} irmf_ssh_failure;

/* libssh2_init() once per process (thread-safe). */
int irmf_ssh_global_init(void);

/* The one translation of a libssh2 error into an irmfleet error: rc is
 * the failed call's return code (-1: unknown, libssh2's last error on
 * `session`, a LIBSSH2_SESSION *, says), context prefixes the message
 * ("'ex01': handshake").  Returns the irmfleet code (IRMF_EAUTH for a
 * refused authentication, else IRMF_ESSH). */
int irmf_ssh_error(void *session, int rc, const char *context);

/* Start connecting to ai (the addresses already looked up: resolve.h;
 * address is the name as given, for known_hosts and messages), trying
 * the next address of the list when one fails: ai must stay valid until
 * the connection is up (irmf_ssh_connect_step done) or has failed.  All
 * strings are copied.  kh is borrowed (single thread).  On success *out
 * owns a socket in progress. */
int irmf_ssh_new(irmf_ssh **out, const char *name, const char *address,
    const struct addrinfo *ai, int port, const char *user,
    const irmf_ssh_auth *auth, irmf_knownhosts *kh, bool accept_new);

/* One end of a connection: where, as whom; label names a jump hop in
 * messages ("bastion:2222"; NULL: the address). */
typedef struct irmf_ssh_target {
	const char *address;
	int port;
	const char *user;
	const char *label;
} irmf_ssh_target;

/* irmf_ssh_new through hops[0..nhops) (ProxyJump order): ai are the
 * addresses of hops[0] (of t when nhops is 0); every hop uses auth, kh
 * and accept_new as the target does.  t->address is looked up by the last
 * hop. */
int irmf_ssh_new_via(irmf_ssh **out, const char *name,
    const irmf_ssh_target *t, const irmf_ssh_target *hops, size_t nhops,
    const struct addrinfo *ai, const irmf_ssh_auth *auth,
    irmf_knownhosts *kh, bool accept_new);

int irmf_ssh_connect_step(irmf_ssh *s, bool *done);

/* Run cmd; stdout beyond max_out bytes fails the command with IRMF_ELIMIT
 * (the channel is closed, the session stays usable). */
int irmf_ssh_exec_start(irmf_ssh *s, const char *cmd, size_t max_out);
int irmf_ssh_exec_step(irmf_ssh *s, bool *done);
/* Give the command started by exec_start in[0..len) on its stdin, then
 * EOF (a script for `powershell.exe -Command "& ([scriptblock]::Create(
 * [Console]::In.ReadToEnd()))"`, which waits for the EOF).  in is
 * borrowed until the command is done.  A command that exits without
 * reading it all is no error: its output and exit status tell. */
int irmf_ssh_exec_input(irmf_ssh *s, const char *in, size_t len);

/* Results of the last finished command (borrowed until the next
 * exec_start). */
const char *irmf_ssh_stdout(const irmf_ssh *s, size_t *len);
const char *irmf_ssh_stderr(const irmf_ssh *s, size_t *len);
int irmf_ssh_exit_status(const irmf_ssh *s);
/* Signal name if the command was killed ("KILL"), else NULL. */
const char *irmf_ssh_exit_signal(const irmf_ssh *s);

int irmf_ssh_fd(const irmf_ssh *s);
/* POLLIN/POLLOUT the current step waits for. */
short irmf_ssh_events(const irmf_ssh *s);
irmf_ssh_failure irmf_ssh_failure_kind(const irmf_ssh *s);
/* The method that logged the session on, once connect_step is done:
 * "password", "publickey" (a key file), "agent" (a key of ssh-agent) or
 * "none" (the server asked for nothing); NULL before.  Windows gives a
 * key logon no network credentials (S4U) and a password logon a Kerberos
 * ticket: what the session may read depends on it. */
const char *irmf_ssh_auth_method(const irmf_ssh *s);

void irmf_ssh_free(irmf_ssh *s);

#endif
