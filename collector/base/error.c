/*
 * error.c - thread-local last error for libirmfleet.
 *
 * The library never prints; it records one line of context here and
 * returns a code.  The CLI prints irmf_error_last()->message.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

static _Thread_local irmf_error last_error;

const irmf_error *
irmf_error_last(void)
{
	return &last_error;
}

void
irmf_error_clear(void)
{
	last_error.code = IRMF_OK;
	last_error.message[0] = '\0';
}

IRMF_PRINTF(3, 0) static void
set_truncated(char *dst, size_t cap, const char *fmt, va_list ap)
{
	int n = vsnprintf(dst, cap, fmt, ap);

	if (n >= 0 && (size_t)n >= cap && cap > 4)
		memcpy(dst + cap - 4, "...", 4);
}

int
irmf_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	last_error.code = code;
	va_start(ap, fmt);
	set_truncated(last_error.message, sizeof(last_error.message), fmt, ap);
	va_end(ap);
	return code;
}

int
irmf_error_prefix(const char *fmt, ...)
{
	char prefix[256];
	char old[IRMF_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	set_truncated(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	size_t plen = strlen(prefix);

	memcpy(old, last_error.message, sizeof(old));
	if (plen >= sizeof(last_error.message))
		plen = sizeof(last_error.message) - 1;
	memcpy(last_error.message, prefix, plen);
	/* copy as much of the old message as fits after the prefix */
	size_t rest = sizeof(last_error.message) - plen - 1;
	size_t olen = strnlen(old, sizeof(old) - 1);
	bool cut = olen > rest;

	if (cut)
		olen = rest;
	memcpy(last_error.message + plen, old, olen);
	last_error.message[plen + olen] = '\0';
	/* a cut message says so, as set_truncated does */
	if (cut && plen + olen > 4)
		memcpy(last_error.message + plen + olen - 3, "...", 4);
	if (last_error.code == IRMF_OK)
		last_error.code = IRMF_ERROR;
	return last_error.code;
}

int
irmf_error_oom(void)
{
	return irmf_error_set(IRMF_ENOMEM, "out of memory");
}

const char *
irmf_error_name(int code)
{
	switch (code) {
	case IRMF_OK: return "ok";
	case IRMF_ERROR: return "error";
	case IRMF_EUSAGE: return "usage";
	case IRMF_EIO: return "io";
	case IRMF_ENOMEM: return "nomem";
	case IRMF_EPARSE: return "parse";
	case IRMF_ESCHEMA: return "schema";
	case IRMF_ESSH: return "ssh";
	case IRMF_EHOSTKEY: return "hostkey";
	case IRMF_EAUTH: return "auth";
	case IRMF_ETIMEOUT: return "timeout";
	case IRMF_EDB: return "db";
	case IRMF_ENOTFOUND: return "notfound";
	case IRMF_ELIMIT: return "limit";
	case IRMF_EUNSUPPORTED: return "unsupported";
	default: return "unknown";
	}
}
