/*
 * testutil.h - small helpers shared by the cmocka suites.
 */
#ifndef IRMF_TESTUTIL_H
#define IRMF_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Read a whole file (fixture path relative to tests/fixtures when it does
 * not start with '/').  Fails the test if it cannot. Caller frees. */
char *tu_read_fixture(const char *rel, size_t *len);
/* Absolute path of a fixture in a static buffer (one at a time). */
const char *tu_fixture_path(const char *rel);
/* mkdtemp under $TMPDIR; caller frees the string and removes the dir with
 * tu_rmtree. */
char *tu_tempdir(void);
void tu_rmtree(const char *dir);

/* Whether a suggested fix (a remediation text, prose and commands mixed)
 * is safe to paste; NULL if it is, else what is wrong.  Safe means:
 *  - no control character (other than the newline between commands), no
 *    bidi formatting character, no malformed UTF-8;
 *  - double quotes balanced, and inside a double-quoted (cmd) argument no
 *    % or ! and no line break, and an even run of backslashes before the
 *    quote that closes it (the C runtime would read an odd one as \");
 *  - PowerShell single-quoted literals (opened by a quote after a space,
 *    =, (, comma, @ or {; U+2018-U+201B count as quotes) closed, with
 *    every quote inside doubled;
 *  - a comment line (# ...) holds none of & | < > ^ % ! " (so that pasted
 *    into cmd.exe it runs nothing);
 *  - every occurrence of one of the nhostile strings lies inside a quoted
 *    argument or literal.
 * One definition for every test of fix texts (test_cmdquote.c, the rule
 * template scan in test_fixtext.c). */
const char *tu_fix_unsafe(const char *text, const char *const *hostile,
    size_t nhostile);

#endif
