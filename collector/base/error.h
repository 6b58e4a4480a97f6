/*
 * error.h - internal side of the error convention (see
 * include/irmfleet/errors.h): setting the last error.  Third-party library
 * errors are translated in exactly one place each: libxml2 in xmlutil.c,
 * libssh2 in the SSH transport, sqlite3 in the history store.
 */
#ifndef IRMF_ERROR_INT_H
#define IRMF_ERROR_INT_H

#include "irmfleet/errors.h"

#if defined(__GNUC__)
#define IRMF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define IRMF_PRINTF(a, b)
#endif

/* Set the last error and return code, so callers can write
 * `return irmf_error_set(IRMF_EPARSE, "%s:%zu: ...", file, line);` */
int irmf_error_set(int code, const char *fmt, ...) IRMF_PRINTF(2, 3);

/* Prefix the current message with context ("file.reg: " or "ex01: ") and
 * return the current code.  Used where a low layer lacks the context. */
int irmf_error_prefix(const char *fmt, ...) IRMF_PRINTF(1, 2);

/* Shorthand for allocation failure. */
int irmf_error_oom(void);

#endif
