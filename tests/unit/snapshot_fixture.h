/*
 * snapshot_fixture.h - builders and comparisons shared by the snapshot XML
 * tests (test_snapshot_xml.c, test_snapshot_read.c): see
 * snapshot_fixture.c.
 */
#ifndef IRMF_SNAPSHOT_FIXTURE_H
#define IRMF_SNAPSHOT_FIXTURE_H

#include "testutil.h"
#include "snapshot_int.h"

/* A snapshot using every field, with the odd values the format must
 * carry: the unnamed default value, <&" and non-ASCII, control characters
 * and invalid UTF-8 (base64 fallback), CR/LF/TAB, REG_MULTI_SZ with empty
 * strings, binary data with NUL bytes, nil and empty-list properties. */
irmf_snapshot *sf_full_snapshot(void);

/* Fails the test unless a and b hold the same items in the same order. */
void sf_assert_snapshots_equal(const irmf_snapshot *a, const irmf_snapshot *b);

#endif
