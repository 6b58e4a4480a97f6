/*
 * strbuf.h - a growable string for building messages, distributions,
 * explanations and commands.  An allocation failure is sticky: later
 * appends do nothing and irmf_buf_take returns NULL (with IRMF_ENOMEM as
 * the last error), so callers check once at the end.
 */
#ifndef IRMF_STRBUF_H
#define IRMF_STRBUF_H

#include <stddef.h>

#include "error.h"

typedef struct irmf_buf {
	char *p;
	size_t n, cap;
	int err;
} irmf_buf;

#define IRMF_BUF_INIT { NULL, 0, 0, 0 }

void irmf_buf_addn(irmf_buf *b, const char *s, size_t n);
void irmf_buf_add(irmf_buf *b, const char *s);
void irmf_buf_printf(irmf_buf *b, const char *fmt, ...) IRMF_PRINTF(2, 3);
/* The string (caller frees; "" if nothing was added), or NULL after an
 * allocation failure.  The buffer is reset either way. */
char *irmf_buf_take(irmf_buf *b);
void irmf_buf_free(irmf_buf *b);

#endif
