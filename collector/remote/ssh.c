/*
 * ssh.c - the SSH transport of the collector (see ssh.h): a non-blocking
 * libssh2 session per host as a small state machine the collect engine
 * drives from its poll() loop.  irmf_ssh_error() here is the one
 * translation of libssh2 errors into irmfleet errors (sshjump.c, which
 * tunnels sessions through jump hosts, uses it too).
 *
 * Security choices: the host key is checked against known_hosts before any
 * credential is sent; host-key algorithms prefer ed25519 then ECDSA then
 * RSA-SHA2 (what Windows OpenSSH offers); keys are read once by the engine
 * and given to libssh2 from memory; passphrase and password live only in
 * memory and never appear in messages.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libssh2.h>

#include "buf.h"
#include "error.h"
#include "knownhosts.h"
#include "str.h"
#include "ssh.h"
#include "ssh_int.h"

#define STDERR_KEEP ((size_t)64 * 1024)
#define READ_CHUNK 32768

static const char hostkey_pref[] =
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
    "ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256,ssh-rsa";

/* ------------------------------------------------------------ helpers */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc;

static void
do_init(void)
{
	init_rc = libssh2_init(0);
}

int
irmf_ssh_global_init(void)
{
	pthread_once(&init_once, do_init);
	if (init_rc != 0)
		return irmf_error_set(IRMF_ESSH, "cannot initialise libssh2 "
		    "(error %d)", init_rc);
	return IRMF_OK;
}

static void
tried_add(irmf_ssh *s, const char *what)
{
	size_t n = strlen(s->tried);

	snprintf(s->tried + n, sizeof(s->tried) - n, "%s%s", n ? ", " : "",
	    what);
}

static bool
has_method(const irmf_ssh *s, const char *m)
{
	const char *p = s->methods;
	size_t len = strlen(m);

	while (p != NULL && *p) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);

		if (n == len && strncmp(p, m, n) == 0)
			return true;
		p = c ? c + 1 : NULL;
	}
	return false;
}

/* Fail the session: kind + message already set as the last error. */
int
irmf_ssh_die(irmf_ssh *s, irmf_ssh_failure kind, int code)
{
	s->fail = kind;
	s->st = S_DEAD;
	return code;
}

/* libssh2 call failed with rc: EAGAIN means wait, anything else is fatal
 * for the session. */
static int
check(irmf_ssh *s, int rc, irmf_ssh_failure kind, const char *what)
{
	char ctx[300];

	snprintf(ctx, sizeof(ctx), "%s: %s", s->name, what);
	return irmf_ssh_die(s, kind, irmf_ssh_error(s->session, rc, ctx));
}

/* ------------------------------------------------------------ connect */

static int connect_failed(irmf_ssh *s, int err);

/* Start a non-blocking connect to one address; 0 or an errno. */
static int
open_socket(irmf_ssh *s, const struct addrinfo *ai)
{
	int one = 1;

	s->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (s->fd < 0)
		return errno;
	/* SSH is request/response: without this, Nagle's algorithm holds a
	 * small packet (channel close, the next exec) for the peer's delayed
	 * ACK, tens of milliseconds per command */
	setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(s->fd, ai->ai_addr, ai->ai_addrlen) != 0 &&
	    errno != EINPROGRESS)
		return errno;
	return 0;
}

/* Connect to the next address a name has (a server whose IPv6 address
 * refuses may answer on IPv4); the first error is the one reported when
 * none is left. */
int
irmf_ssh_connect_next(irmf_ssh *s)
{
	int err = 0;

	while (s->next_ai != NULL) {
		const struct addrinfo *ai = s->next_ai;
		s->next_ai = ai->ai_next;
		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
		s->tried_addrs++;
		if ((err = open_socket(s, ai)) == 0)
			return IRMF_OK;
		if (s->first_err == 0)
			s->first_err = err;
	}
	return connect_failed(s, err);
}

/* A session to address:port, not started; label is the name in
 * messages ("'ex01'", "'ex01': jump gw:22"). */
irmf_ssh *
irmf_ssh_alloc(const char *label, const irmf_ssh_target *t,
    const irmf_ssh_auth *auth, irmf_knownhosts *kh, bool accept_new)
{
	irmf_ssh *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		irmf_error_oom();
		return NULL;
	}
	s->fd = -1;
	s->port = t->port;
	s->auth = auth;
	s->kh = kh;
	s->accept_new = accept_new;
	if ((s->name = irmf_strdup(label)) == NULL ||
	    (s->address = irmf_strdup(t->address)) == NULL ||
	    (s->user = irmf_strdup(t->user)) == NULL) {
		irmf_ssh_free(s);
		return NULL;
	}
	return s;
}

int
irmf_ssh_new(irmf_ssh **out, const char *name, const char *address,
    const struct addrinfo *ai, int port, const char *user,
    const irmf_ssh_auth *auth, irmf_knownhosts *kh, bool accept_new)
{
	irmf_ssh_target t = { address, port, user, NULL };

	return irmf_ssh_new_via(out, name, &t, NULL, 0, ai, auth, kh,
	    accept_new);
}

/* Does host-key algorithm alg use a key of type `type` ("rsa-sha2-512"
 * is an ssh-rsa key)? */
static bool
alg_of_type(const char *alg, const char *type)
{
	if (strcmp(type, "ssh-rsa") == 0)
		return strcmp(alg, "ssh-rsa") == 0 ||
		    strncmp(alg, "rsa-sha2-", 9) == 0;
	return strcmp(alg, type) == 0;
}

/* Our algorithm order with, as OpenSSH's order_hostkeyalgs(), those of
 * the key types known_hosts records for the host first: a server with
 * several keys then shows the recorded one, and a server that offers
 * none of them is a changed key, not a new one. */
static void
order_by_known(const irmf_ssh *s, char *out, size_t cap)
{
	const char *types[8];
	size_t nt = irmf_knownhosts_types(s->kh, s->address, s->port, types, 8);
	char want[sizeof(hostkey_pref)], *tok, *save = NULL;

	out[0] = '\0';
	for (int pass = 0; pass < 2; pass++) {
		snprintf(want, sizeof(want), "%s", hostkey_pref);
		for (tok = strtok_r(want, ",", &save); tok;
		    tok = strtok_r(NULL, ",", &save)) {
			bool known = false;

			for (size_t i = 0; i < nt; i++)
				known |= alg_of_type(tok, types[i]);
			if (known == (pass == 0)) {
				if (out[0])
					strncat(out, ",", cap - strlen(out) - 1);
				strncat(out, tok, cap - strlen(out) - 1);
			}
		}
	}
}

/* That order, limited to what this libssh2 supports: libssh2 1.10 copies
 * overlapping memory when it drops an unsupported name from a preference
 * list, so it is never given one.  Set before the handshake. */
static int
set_hostkey_pref(irmf_ssh *s)
{
	const char **algs = NULL;
	char pref[sizeof(hostkey_pref)], want[sizeof(hostkey_pref)];
	char *tok, *save = NULL;
	int n = libssh2_session_supported_algs(s->session,
	    LIBSSH2_METHOD_HOSTKEY, &algs);

	if (n <= 0)
		return -1;
	pref[0] = '\0';
	order_by_known(s, want, sizeof(want));
	for (tok = strtok_r(want, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save))
		for (int i = 0; i < n; i++)
			if (strcmp(algs[i], tok) == 0) {
				if (pref[0])
					strcat(pref, ",");
				strcat(pref, tok);
				break;
			}
	libssh2_free(s->session, algs);
	if (pref[0] == '\0')
		return 0;   /* keep libssh2's defaults */
	return libssh2_session_method_pref(s->session, LIBSSH2_METHOD_HOSTKEY,
	    pref) == 0 ? 0 : -1;
}

/* Every address failed: report the first one's error. */
static int
connect_failed(irmf_ssh *s, int err)
{
	int e = s->first_err ? s->first_err : err;
	char more[64] = "";

	if (s->tried_addrs > 1)
		snprintf(more, sizeof(more), " (%u addresses tried)",
		    s->tried_addrs);
	return irmf_ssh_die(s, IRMF_SSH_FAIL_CONNECT, irmf_error_set(IRMF_ESSH,
	    "%s: connect to %s port %d: %s%s", s->name, s->address,
	    s->port, strerror(e ? e : ECONNREFUSED), more));
}

/* The libssh2 session, ready for the handshake. */
int
irmf_ssh_new_session(irmf_ssh *s)
{
	if ((s->session = libssh2_session_init_ex(NULL, NULL, NULL, s)) ==
	    NULL)
		return irmf_ssh_die(s, IRMF_SSH_FAIL_PROTOCOL, irmf_error_set(IRMF_ESSH,
		    "%s: cannot create an ssh session", s->name));
	libssh2_session_set_blocking(s->session, 0);
	if (set_hostkey_pref(s) != 0)
		return check(s, -1, IRMF_SSH_FAIL_PROTOCOL, "host key methods");
	s->st = S_HANDSHAKE;
	return IRMF_OK;
}

static int
start_handshake(irmf_ssh *s)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	if (err == EINPROGRESS || err == EALREADY)
		return IRMF_OK;
	if (err != 0) {
		if (s->first_err == 0)
			s->first_err = err;
		return irmf_ssh_connect_next(s);
	}
	s->next_ai = NULL;   /* connected: the resolver may let go of it */
	return irmf_ssh_new_session(s);
}

static int
check_hostkey(irmf_ssh *s)
{
	const char *key;
	size_t len;
	int type, r;
	irmf_kh_result res;
	char fp[80];
	const char *tname;

	key = libssh2_session_hostkey(s->session, &len, &type);
	if (key == NULL)
		return check(s, -1, IRMF_SSH_FAIL_HOSTKEY, "no host key");
	irmf_knownhosts_fingerprint((const unsigned char *)key, len, fp,
	    sizeof(fp));
	tname = irmf_knownhosts_type_name(type);
	if ((r = irmf_knownhosts_check(s->kh, s->address, s->port, type,
	    (const unsigned char *)key, len, &res)) != 0)
		return irmf_ssh_die(s, IRMF_SSH_FAIL_HOSTKEY, r);
	switch (res) {
	case IRMF_KH_MATCH:
		return IRMF_OK;
	case IRMF_KH_UNKNOWN:
		if (!s->accept_new)
			return irmf_ssh_die(s, IRMF_SSH_FAIL_HOSTKEY, irmf_error_set(
			    IRMF_EHOSTKEY, "%s: host key for %s port %d is "
			    "not known (%s %s); check it and add it to '%s', "
			    "or run with --accept-new", s->name, s->address,
			    s->port, tname, fp, irmf_knownhosts_path(s->kh)));
		if ((r = irmf_knownhosts_add(s->kh, s->address, s->port, type,
		    (const unsigned char *)key, len)) != 0)
			return irmf_ssh_die(s, IRMF_SSH_FAIL_HOSTKEY, r);
		return IRMF_OK;
	case IRMF_KH_REVOKED:
		return irmf_ssh_die(s, IRMF_SSH_FAIL_HOSTKEY, irmf_error_set(
		    IRMF_EHOSTKEY, "%s: host key %s %s of %s port %d is "
		    "REVOKED in '%s'; not connecting", s->name, tname, fp,
		    s->address, s->port, irmf_knownhosts_path(s->kh)));
	case IRMF_KH_CA_ONLY:
		return irmf_ssh_die(s, IRMF_SSH_FAIL_HOSTKEY, irmf_error_set(
		    IRMF_EHOSTKEY, "%s: %s port %d is covered only by a "
		    "@cert-authority line in '%s'; irmfleet does not check host "
		    "certificates, so it does not trust the server's key (%s "
		    "%s): add the key itself to known_hosts", s->name,
		    s->address, s->port, irmf_knownhosts_path(s->kh), tname,
		    fp));
	case IRMF_KH_OTHER_TYPE:
		return irmf_ssh_die(s, IRMF_SSH_FAIL_HOSTKEY, irmf_error_set(
		    IRMF_EHOSTKEY, "%s: HOST KEY CHANGED for %s port %d: "
		    "the server offers %s %s, but '%s' records only keys of "
		    "other types for it; possible man-in-the-middle attack, "
		    "not connecting (as ssh; if the server's keys really "
		    "changed, remove the old ones with ssh-keygen -R)",
		    s->name, s->address, s->port, tname, fp,
		    irmf_knownhosts_path(s->kh)));
	default:
		return irmf_ssh_die(s, IRMF_SSH_FAIL_HOSTKEY, irmf_error_set(
		    IRMF_EHOSTKEY, "%s: HOST KEY CHANGED for %s port %d: "
		    "the server offers %s %s, which differs from the key in "
		    "'%s'; possible man-in-the-middle attack, not connecting "
		    "(if the server was reinstalled, remove its old key with "
		    "ssh-keygen -R)", s->name, s->address, s->port, tname, fp,
		    irmf_knownhosts_path(s->kh)));
	}
}

/* Pick the next authentication method to try, or fail. */
static int
next_auth(irmf_ssh *s)
{
	if (s->auth->use_agent && !s->agent_done &&
	    has_method(s, "publickey") && getenv("SSH_AUTH_SOCK") != NULL) {
		s->st = S_AGENT;
		return IRMF_OK;
	}
	s->agent_done = true;
	if (s->keyi < s->auth->nkeys && has_method(s, "publickey")) {
		s->st = S_KEY;
		return IRMF_OK;
	}
	if (s->auth->password != NULL && has_method(s, "password")) {
		s->st = S_PASSWORD;
		return IRMF_OK;
	}
	return irmf_ssh_die(s, IRMF_SSH_FAIL_AUTH, irmf_error_set(IRMF_EAUTH,
	    "%s: authentication failed for user '%s' (tried: %s; server "
	    "accepts: %s)", s->name, s->user, s->tried[0] ? s->tried : "nothing",
	    s->methods ? s->methods : "?"));
}

static int
step_authlist(irmf_ssh *s, bool *done)
{
	char *m = libssh2_userauth_list(s->session, s->user,
	    (unsigned)strlen(s->user));

	if (m == NULL) {
		if (libssh2_userauth_authenticated(s->session)) {
			s->method = "none";
			s->st = S_READY;
			*done = true;
			return IRMF_OK;
		}
		if (libssh2_session_last_errno(s->session) ==
		    LIBSSH2_ERROR_EAGAIN)
			return IRMF_OK;
		return check(s, -1, IRMF_SSH_FAIL_PROTOCOL, "auth methods");
	}
	if ((s->methods = irmf_strdup(m)) == NULL)
		return irmf_ssh_die(s, IRMF_SSH_FAIL_PROTOCOL, IRMF_ENOMEM);
	return next_auth(s);
}

static void
agent_drop(irmf_ssh *s)
{
	if (s->agent != NULL) {
		libssh2_agent_disconnect(s->agent);
		libssh2_agent_free(s->agent);
		s->agent = NULL;
	}
	s->agent_done = true;
}

static int
step_agent(irmf_ssh *s, bool *done)
{
	int rc;

	if (s->agent == NULL) {
		s->identity = NULL;
		if ((s->agent = libssh2_agent_init(s->session)) == NULL ||
		    libssh2_agent_connect(s->agent) != 0 ||
		    libssh2_agent_list_identities(s->agent) != 0) {
			tried_add(s, "agent (unavailable)");
			agent_drop(s);
			return next_auth(s);
		}
		goto next_identity;
	}
	rc = libssh2_agent_userauth(s->agent, s->user, s->identity);
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return IRMF_OK;
	if (rc == 0) {
		agent_drop(s);
		s->method = "agent";
		s->st = S_READY;
		*done = true;
		return IRMF_OK;
	}
next_identity:
	rc = libssh2_agent_get_identity(s->agent, &s->identity, s->identity);
	if (rc != 0) {
		tried_add(s, "agent keys");
		agent_drop(s);
		return next_auth(s);
	}
	return IRMF_OK;
}

static int
step_key(irmf_ssh *s, bool *done)
{
	const irmf_ssh_auth *a = s->auth;
	int rc = libssh2_userauth_publickey_frommemory(s->session, s->user,
	    strlen(s->user), NULL, 0, a->keys[s->keyi], a->key_lens[s->keyi],
	    a->passphrase);
	char what[300];

	if (rc == LIBSSH2_ERROR_EAGAIN)
		return IRMF_OK;
	if (rc == 0) {
		s->method = "publickey";
		s->st = S_READY;
		*done = true;
		return IRMF_OK;
	}
	if (rc == LIBSSH2_ERROR_FILE || rc == LIBSSH2_ERROR_KEYFILE_AUTH_FAILED)
		snprintf(what, sizeof(what), "%s (cannot use the key: wrong "
		    "passphrase or unsupported format)",
		    a->key_names[s->keyi]);
	else
		snprintf(what, sizeof(what), "%s", a->key_names[s->keyi]);
	tried_add(s, what);
	if (rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED &&
	    rc != LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED &&
	    rc != LIBSSH2_ERROR_FILE && rc != LIBSSH2_ERROR_KEYFILE_AUTH_FAILED)
		return check(s, rc, IRMF_SSH_FAIL_PROTOCOL, "public key "
		    "authentication");
	s->keyi++;
	return next_auth(s);
}

static int
step_password(irmf_ssh *s, bool *done)
{
	int rc = libssh2_userauth_password_ex(s->session, s->user,
	    (unsigned)strlen(s->user), s->auth->password,
	    (unsigned)strlen(s->auth->password), NULL);

	if (rc == LIBSSH2_ERROR_EAGAIN)
		return IRMF_OK;
	if (rc == 0) {
		s->method = "password";
		s->st = S_READY;
		*done = true;
		return IRMF_OK;
	}
	tried_add(s, "password");
	if (rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED &&
	    rc != LIBSSH2_ERROR_PASSWORD_EXPIRED)
		return check(s, rc, IRMF_SSH_FAIL_PROTOCOL, "password "
		    "authentication");
	return irmf_ssh_die(s, IRMF_SSH_FAIL_AUTH, irmf_error_set(IRMF_EAUTH,
	    "%s: authentication failed for user '%s' (tried: %s; server "
	    "accepts: %s)", s->name, s->user, s->tried,
	    s->methods ? s->methods : "?"));
}

static int connect_step(irmf_ssh *s, bool *done);
static int exec_step(irmf_ssh *s, bool *done);

/* A step, again while a tunnel has queued data (bounded: data the session
 * does not want now stays queued until it does). */
static int
step_chain(irmf_ssh *s, bool *done, int (*step)(irmf_ssh *, bool *))
{
	int r = step(s, done);

	for (int i = 0; i < 16 && r == 0 && !*done && s->via != NULL &&
	    s->st != S_VIA && irmf_ssh_tunnel_queued(s); i++)
		r = step(s, done);
	return r;
}

int
irmf_ssh_connect_step(irmf_ssh *s, bool *done)
{
	return step_chain(s, done, connect_step);
}

int
irmf_ssh_exec_step(irmf_ssh *s, bool *done)
{
	return step_chain(s, done, exec_step);
}

static int
connect_step(irmf_ssh *s, bool *done)
{
	int rc, r;

	*done = false;
	for (;;) {
		enum state before = s->st;

		switch (s->st) {
		case S_CONNECT:
			r = start_handshake(s);
			break;
		case S_VIA:
			r = irmf_ssh_step_via(s);
			break;
		case S_TUNNEL:
			r = irmf_ssh_open_tunnel(s);
			break;
		case S_HANDSHAKE:
			/* a tunnelled session never touches this socket itself
			 * (its callbacks do the I/O): libssh2 only needs one */
			rc = libssh2_session_handshake(s->session,
			    irmf_ssh_fd(s));
			if (rc == LIBSSH2_ERROR_EAGAIN)
				return IRMF_OK;
			if (rc != 0)
				return check(s, rc, IRMF_SSH_FAIL_PROTOCOL,
				    "ssh handshake failed");
			if ((r = check_hostkey(s)) == 0)
				s->st = S_AUTHLIST;
			break;
		case S_AUTHLIST:
			r = step_authlist(s, done);
			break;
		case S_AGENT:
			r = step_agent(s, done);
			break;
		case S_KEY:
			r = step_key(s, done);
			break;
		case S_PASSWORD:
			r = step_password(s, done);
			break;
		case S_READY:
			*done = true;
			return IRMF_OK;
		default:
			return irmf_error_set(IRMF_ESSH, "%s: session is "
			    "not usable", s->name);
		}
		if (r != 0 || *done)
			return r;
		if (s->st == before && s->st != S_AGENT)
			return IRMF_OK;   /* waiting for the socket */
		if (s->st == before && s->agent != NULL &&
		    libssh2_session_last_errno(s->session) ==
		    LIBSSH2_ERROR_EAGAIN)
			return IRMF_OK;
	}
}

/* --------------------------------------------------------------- exec */

int
irmf_ssh_exec_start(irmf_ssh *s, const char *cmd, size_t max_out)
{
	if (s->st != S_READY)
		return irmf_error_set(IRMF_ESSH, "%s: session is not ready",
		    s->name);
	free(s->cmd);
	free(s->exit_signal);
	s->exit_signal = NULL;
	if ((s->cmd = irmf_strdup(cmd)) == NULL)
		return IRMF_ENOMEM;
	s->out.n = s->err.n = 0;
	if (s->out.p)
		s->out.p[0] = '\0';
	if (s->err.p)
		s->err.p[0] = '\0';
	s->max_out = max_out;
	s->in = NULL;
	s->inlen = s->inoff = 0;
	s->over = false;
	s->cmd_error = 0;
	s->exit_status = -1;
	s->st = S_OPEN;
	return IRMF_OK;
}

int
irmf_ssh_exec_input(irmf_ssh *s, const char *in, size_t len)
{
	if (s->st != S_OPEN)
		return irmf_error_set(IRMF_ESSH, "%s: no command starting",
		    s->name);
	s->in = in;
	s->inlen = len;
	s->inoff = 0;
	return IRMF_OK;
}

/* Send the stdin payload, bounded by the channel's window: EAGAIN waits
 * for the peer to read.  A command that ended (or closed its stdin)
 * before reading everything is not a lost connection: the rest is
 * dropped and its output read as usual. */
static int
step_write(irmf_ssh *s)
{
	while (s->inoff < s->inlen) {
		ssize_t n = libssh2_channel_write(s->ch, s->in + s->inoff,
		    s->inlen - s->inoff);

		if (n == LIBSSH2_ERROR_EAGAIN)
			return IRMF_OK;
		if (n == LIBSSH2_ERROR_CHANNEL_CLOSED ||
		    n == LIBSSH2_ERROR_CHANNEL_EOF_SENT ||
		    n == LIBSSH2_ERROR_CHANNEL_FAILURE) {
			s->st = S_READ;
			return IRMF_OK;
		}
		if (n < 0)
			return check(s, (int)n, IRMF_SSH_FAIL_LOST,
			    "connection lost sending a command's input");
		s->inoff += (size_t)n;
	}
	s->st = S_EOF;
	return IRMF_OK;
}

/* Remember a command-level error; the channel is closed first. */
static void
cmd_fail(irmf_ssh *s, int code)
{
	s->cmd_error = code;
	snprintf(s->cmd_msg, sizeof(s->cmd_msg), "%s",
	    irmf_error_last()->message);
	s->st = S_CLOSE;
}

/* Read what is available; returns <0 on a dead connection. */
static int
step_read(irmf_ssh *s)
{
	char tmp[READ_CHUNK];
	int quiet = 0;

	/* Reading one stream makes libssh2 drain the socket, so packets for
	 * the other stream (or for the one read just before) can sit in its
	 * queue with nothing left for poll() to wake us for: go round again
	 * while data is queued (a bounded number of times without progress:
	 * a packet of an extended stream we never read stays queued). */
	while (quiet < 2) {
		bool progress = false;

		for (int stream = 0; stream < 2; stream++) {
			ssize_t n = libssh2_channel_read_ex(s->ch, stream, tmp,
			    sizeof(tmp));

			if (n == LIBSSH2_ERROR_EAGAIN || n == 0)
				continue;
			if (n < 0)
				return check(s, (int)n, IRMF_SSH_FAIL_LOST,
				    "connection lost during a command");
			progress = true;
			if (stream == 1) {
				size_t keep = s->err.n < STDERR_KEEP ?
				    STDERR_KEEP - s->err.n : 0;

				if (keep > (size_t)n)
					keep = (size_t)n;
				if (keep && irmf_buf_addn(&s->err, tmp, keep) != 0)
					return irmf_ssh_die(s, IRMF_SSH_FAIL_LOST,
					    IRMF_ENOMEM);
				continue;
			}
			if (s->out.n + (size_t)n > s->max_out) {
				s->over = true;
				irmf_error_set(IRMF_ELIMIT, "%s: command "
				    "output exceeds %zu bytes", s->name,
				    s->max_out);
				cmd_fail(s, IRMF_ELIMIT);
				return IRMF_OK;
			}
			if (irmf_buf_addn(&s->out, tmp, (size_t)n) != 0)
				return irmf_ssh_die(s, IRMF_SSH_FAIL_LOST, IRMF_ENOMEM);
		}
		if (progress)
			quiet = 0;
		else if (libssh2_poll_channel_read(s->ch, 1))
			quiet++;
		else
			break;
	}
	if (libssh2_channel_eof(s->ch))
		s->st = S_CLOSE;
	return IRMF_OK;
}

static void
get_exit(irmf_ssh *s)
{
	char *sig = NULL;
	size_t siglen = 0;

	s->exit_status = libssh2_channel_get_exit_status(s->ch);
	if (libssh2_channel_get_exit_signal(s->ch, &sig, &siglen, NULL, NULL,
	    NULL, NULL) == 0 && sig != NULL && siglen > 0)
		s->exit_signal = irmf_strndup(sig, siglen);
	if (sig != NULL)
		libssh2_free(s->session, sig);
}

static int
exec_step(irmf_ssh *s, bool *done)
{
	int rc;

	*done = false;
	for (;;) {
		enum state before = s->st;

		switch (s->st) {
		case S_OPEN:
			s->ch = libssh2_channel_open_session(s->session);
			if (s->ch == NULL) {
				if (libssh2_session_last_errno(s->session) ==
				    LIBSSH2_ERROR_EAGAIN)
					return IRMF_OK;
				return check(s, -1, IRMF_SSH_FAIL_LOST,
				    "cannot open a channel");
			}
			s->st = S_EXEC;
			break;
		case S_EXEC:
			rc = libssh2_channel_exec(s->ch, s->cmd);
			if (rc == LIBSSH2_ERROR_EAGAIN)
				return IRMF_OK;
			if (rc != 0) {
				char ctx[300];

				snprintf(ctx, sizeof(ctx), "%s: command "
				    "refused", s->name);
				irmf_ssh_error(s->session, rc, ctx);
				cmd_fail(s, IRMF_ESSH);
				break;
			}
			s->st = s->in != NULL ? S_WRITE : S_READ;
			break;
		case S_WRITE:
			if ((rc = step_write(s)) != 0)
				return rc;
			break;
		case S_EOF:
			rc = libssh2_channel_send_eof(s->ch);
			if (rc == LIBSSH2_ERROR_EAGAIN)
				return IRMF_OK;
			if (rc != 0 && rc != LIBSSH2_ERROR_CHANNEL_CLOSED &&
			    rc != LIBSSH2_ERROR_CHANNEL_EOF_SENT)
				return check(s, rc, IRMF_SSH_FAIL_LOST,
				    "connection lost sending a command's input");
			s->st = S_READ;
			break;
		case S_READ:
			if ((rc = step_read(s)) != 0)
				return rc;
			break;
		case S_CLOSE:
			rc = libssh2_channel_close(s->ch);
			if (rc == LIBSSH2_ERROR_EAGAIN)
				return IRMF_OK;
			if (rc != 0)
				return check(s, rc, IRMF_SSH_FAIL_LOST,
				    "connection lost closing a command");
			if (s->cmd_error != 0 && !libssh2_channel_eof(s->ch)) {
				/* aborted (output too large, exec refused):
				 * the server closed without EOF, and libssh2
				 * refuses to wait for a close without one */
				get_exit(s);
				s->st = S_FREE;
				break;
			}
			s->st = S_WAIT;
			break;
		case S_WAIT:
			rc = libssh2_channel_wait_closed(s->ch);
			if (rc == LIBSSH2_ERROR_EAGAIN)
				return IRMF_OK;
			if (rc != 0)
				return check(s, rc, IRMF_SSH_FAIL_LOST,
				    "connection lost closing a command");
			get_exit(s);
			s->st = S_FREE;
			break;
		case S_FREE:
			rc = libssh2_channel_free(s->ch);
			if (rc == LIBSSH2_ERROR_EAGAIN)
				return IRMF_OK;
			s->ch = NULL;
			s->st = S_READY;
			*done = true;
			if (s->cmd_error != 0)
				return irmf_error_set(s->cmd_error, "%s",
				    s->cmd_msg);
			return IRMF_OK;
		default:
			return irmf_error_set(IRMF_ESSH, "%s: no command "
			    "running", s->name);
		}
		if (s->st == before)
			return IRMF_OK;
	}
}

/* ------------------------------------------------------------ results */

const char *
irmf_ssh_stdout(const irmf_ssh *s, size_t *len)
{
	*len = s->out.n;
	return s->out.p ? s->out.p : "";
}

const char *
irmf_ssh_stderr(const irmf_ssh *s, size_t *len)
{
	*len = s->err.n;
	return s->err.p ? s->err.p : "";
}

int
irmf_ssh_exit_status(const irmf_ssh *s)
{
	return s->exit_status;
}

const char *
irmf_ssh_exit_signal(const irmf_ssh *s)
{
	return s->exit_signal;
}

int
irmf_ssh_fd(const irmf_ssh *s)
{
	return irmf_ssh_chain_root(s)->fd;
}

short
irmf_ssh_events(const irmf_ssh *s)
{
	int dir;
	short ev = 0;

	if (s->via != NULL && s->st == S_VIA)
		return irmf_ssh_events(s->via);
	if (s->via != NULL) {
		/* every hop's bytes cross the first hop's socket: read
		 * whenever it has some, write when a hop waits to send */
		ev = POLLIN;
		for (const irmf_ssh *h = s; h != NULL; h = h->via)
			if (h->session != NULL &&
			    (libssh2_session_block_directions(h->session) &
			    LIBSSH2_SESSION_BLOCK_OUTBOUND))
				ev |= POLLOUT;
		return ev;
	}
	if (s->st == S_CONNECT)
		return POLLOUT;
	if (s->session == NULL)
		return POLLIN;
	dir = libssh2_session_block_directions(s->session);
	if (dir & LIBSSH2_SESSION_BLOCK_INBOUND)
		ev |= POLLIN;
	if (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND)
		ev |= POLLOUT;
	return ev ? ev : POLLIN;
}

irmf_ssh_failure
irmf_ssh_failure_kind(const irmf_ssh *s)
{
	return s->fail;
}

const char *
irmf_ssh_auth_method(const irmf_ssh *s)
{
	return s->method;   /* set only when a method succeeded */
}

void
irmf_ssh_free(irmf_ssh *s)
{
	int fd;

	if (s == NULL)
		return;
	if (s->session != NULL && s->st == S_READY)
		/* one non-blocking attempt; the server copes without it */
		libssh2_session_disconnect(s->session, "collection done");
	if ((fd = irmf_ssh_fd(s)) >= 0)
		shutdown(fd, SHUT_RDWR);   /* the whole chain's socket */
	if (s->session != NULL) {
		/* with the socket shut, nothing below can wait (a tunnelled
		 * session's I/O fails in its hop; the timeout is a backstop) */
		libssh2_session_set_blocking(s->session, 1);
		libssh2_session_set_timeout(s->session, 1000);
		if (s->ch != NULL)
			libssh2_channel_free(s->ch);
		if (s->agent != NULL) {
			libssh2_agent_disconnect(s->agent);
			libssh2_agent_free(s->agent);
		}
		libssh2_session_free(s->session);
	}
	if (s->tunnel != NULL) {
		libssh2_session_set_blocking(s->via->session, 1);
		libssh2_channel_free(s->tunnel);
	}
	irmf_ssh_free(s->via);
	if (s->fd >= 0)
		close(s->fd);
	free(s->out.p);
	free(s->err.p);
	free(s->cmd);
	free(s->exit_signal);
	free(s->methods);
	free(s->name);
	free(s->address);
	free(s->user);
	free(s);
}
