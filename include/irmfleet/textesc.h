/*
 * textesc.h - showing untrusted text (registry values, value names, remote
 * command output, lines of an input file) on a terminal or in a text
 * report without letting it drive the terminal or disguise itself.
 *
 * Escaped are the C0 controls (newline and tab included), DEL, the C1
 * controls (U+0080-U+009F, among them CSI U+009B), the bidirectional
 * formatting characters U+200E, U+200F, U+202A-U+202E and U+2066-U+2069
 * (which make a line display in another order than it reads), and every
 * byte that is not part of well-formed UTF-8.  Code points below U+0100
 * and stray bytes show as \xHH, the bidi controls as \uHHHH; ordinary
 * non-ASCII text (German, Spanish, ...) is left alone.  A backslash is not
 * escaped: registry paths are full of them, and the output is for people,
 * not for parsing (JSON output escapes with jansson, HTML with entities).
 */
#ifndef IRMFLEET_TEXTESC_H
#define IRMFLEET_TEXTESC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Whether s (NULL counts as plain) has nothing that would be escaped. */
bool irmf_text_is_plain(const char *s);

/* The first n bytes of s escaped, as a new string (caller frees); NULL
 * when out of memory. */
char *irmf_text_escape_n(const char *s, size_t n);

/* s escaped (caller frees); NULL when s is NULL or out of memory. */
char *irmf_text_escape(const char *s);

/* Write the first n bytes of s, escaped, to f; EOF on a write error. */
int irmf_text_fwrite(const char *s, size_t n, FILE *f);

/* Write s (NULL writes nothing), escaped, to f; EOF on a write error. */
int irmf_text_fputs(const char *s, FILE *f);

/* printf to f with the result escaped, except for one newline at its
 * very end (so a line keeps its end; a newline inside comes from data
 * and is escaped).  EOF on a write or format error. */
int irmf_text_printf(FILE *f, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int irmf_text_vprintf(FILE *f, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;

#ifdef __cplusplus
}
#endif
/* Write w as one word a POSIX shell reads back as it was: as is when it
 * is plain (letters, digits, @%+=:,./_-), else single-quoted, a quote
 * written '\''.  For commands the tool suggests to paste ("rerun only
 * these with: ..."); nothing is ever run.  EOF on a write error. */
int irmf_text_put_shell_word(FILE *f, const char *w);

#endif
