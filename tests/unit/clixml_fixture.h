/*
 * clixml_fixture.h - helpers for the CLIXML tests: see clixml_fixture.c.
 */
#ifndef IRMF_CLIXML_FIXTURE_H
#define IRMF_CLIXML_FIXTURE_H

#include "testutil.h"
#include "clixml.h"
#include "snapshot_int.h"

/* Parse fixture rel into a fresh snapshot named server (NULL: none);
 * returns irmf_clixml_parse's code, *out is set either way. */
int cx_parse_fixture(const char *rel, const char *server,
    irmf_snapshot **out);
/* Parse one more fixture into an existing snapshot. */
int cx_parse_fixture_into(irmf_snapshot *s, const char *rel);

#endif
