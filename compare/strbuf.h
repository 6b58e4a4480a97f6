/*
 * strbuf.h - a growable string for building messages, distributions,
 * explanations and commands.  An allocation failure is sticky: later
 * appends do nothing and irmf_sb_take returns NULL (with IRMF_ENOMEM as
 * the last error), so callers check once at the end.
 */
#ifndef IRMF_STRBUF_H
#define IRMF_STRBUF_H

#include <stddef.h>

#include "error.h"

typedef struct irmf_sb {
	char *p;
	size_t n, cap;
	int err;
} irmf_sb;

#define IRMF_SB_INIT { NULL, 0, 0, 0 }

void irmf_sb_addn(irmf_sb *b, const char *s, size_t n);
void irmf_sb_add(irmf_sb *b, const char *s);
void irmf_sb_printf(irmf_sb *b, const char *fmt, ...) IRMF_PRINTF(2, 3);
/* The string (caller frees; "" if nothing was added), or NULL after an
 * allocation failure.  The buffer is reset either way. */
char *irmf_sb_take(irmf_sb *b);
void irmf_sb_free(irmf_sb *b);

#endif
