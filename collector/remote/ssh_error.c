/*
 * ssh_error.c - the one place libssh2's errors become irmfleet's: a code
 * (authentication refused, out of memory, else an SSH failure) and one
 * line for the admin, with a plain sentence for the codes whose libssh2
 * message is missing or says little.  Used by the sessions (ssh.c) and
 * the jump-host chains (sshjump.c).
 */
#include <libssh2.h>

#include "error.h"
#include "ssh.h"

/* A sentence for the libssh2 codes whose message is missing or says
 * little to an admin. */
static const char *
code_text(int rc)
{
	switch (rc) {
	case LIBSSH2_ERROR_SOCKET_DISCONNECT:
	case LIBSSH2_ERROR_SOCKET_RECV:
		return "the connection was closed by the other end";
	case LIBSSH2_ERROR_SOCKET_SEND:
		return "cannot send: the connection is gone";
	case LIBSSH2_ERROR_KEX_FAILURE:
		return "no key exchange method in common with the server";
	case LIBSSH2_ERROR_BANNER_RECV:
		return "no SSH banner from the server (not an SSH server?)";
	case LIBSSH2_ERROR_TIMEOUT:
		return "timed out";
	case LIBSSH2_ERROR_CHANNEL_FAILURE:
		return "the server refused to open the channel";
	case LIBSSH2_ERROR_ALLOC:
		return "out of memory";
	default:
		return NULL;
	}
}

int
irmf_ssh_error(void *session, int rc, const char *context)
{
	char *msg = NULL;
	const char *text;
	int e = rc, code;

	if (session != NULL && (rc == -1 || rc == 0))
		e = libssh2_session_last_error(session, &msg, NULL, 0);
	else if (session != NULL)
		libssh2_session_last_error(session, &msg, NULL, 0);
	code = e == LIBSSH2_ERROR_AUTHENTICATION_FAILED ? IRMF_EAUTH :
	    e == LIBSSH2_ERROR_ALLOC ? IRMF_ENOMEM : IRMF_ESSH;
	if ((text = code_text(e)) != NULL && msg != NULL && *msg != '\0')
		return irmf_error_set(code, "%s: %s (%s)", context, text, msg);
	if (text != NULL)
		return irmf_error_set(code, "%s: %s", context, text);
	if (msg == NULL || *msg == '\0')
		return irmf_error_set(code, "%s: ssh error %d", context, e);
	return irmf_error_set(code, "%s: %s", context, msg);
}
