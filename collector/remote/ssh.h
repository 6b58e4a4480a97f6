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
 */
#ifndef IRMF_SSH_H
#define IRMF_SSH_H

#include <stdbool.h>
#include <stddef.h>

#include "knownhosts.h"

struct addrinfo;

/* Authentication material shared read-only by every session. */
typedef struct irmf_ssh_auth {
	const char *const *key_names; /* identity file paths (for messages) */
	char **keys;                  /* their contents, loaded once */
	size_t *key_lens;
	size_t nkeys;
	const char *passphrase;       /* NULL: keys are not encrypted */
	const char *password;         /* NULL: no password authentication */
	bool use_agent;
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

/* Set the last error from libssh2's last error on `session` (a
 * LIBSSH2_SESSION *), prefixed by context ("'ex01': handshake"). */
int irmf_ssh_error(void *session, int code, const char *context);

/* Start connecting to ai (the addresses already looked up: resolve.h;
 * address is the name as given, for known_hosts and messages), trying
 * the next address of the list when one fails: ai must stay valid until
 * the connection is up (irmf_ssh_connect_step done) or has failed.  All
 * strings are copied.  kh is borrowed (single thread).  On success *out
 * owns a socket in progress. */
int irmf_ssh_new(irmf_ssh **out, const char *name, const char *address,
    const struct addrinfo *ai, int port, const char *user,
    const irmf_ssh_auth *auth, irmf_knownhosts *kh, bool accept_new);

int irmf_ssh_connect_step(irmf_ssh *s, bool *done);

/* Run cmd; stdout beyond max_out bytes fails the command with IRMF_ELIMIT
 * (the channel is closed, the session stays usable). */
int irmf_ssh_exec_start(irmf_ssh *s, const char *cmd, size_t max_out);
int irmf_ssh_exec_step(irmf_ssh *s, bool *done);

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

void irmf_ssh_free(irmf_ssh *s);

#endif
