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

#endif
