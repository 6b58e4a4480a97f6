/*
 * irmtext.h - parsers for the console text of the Exchange cmdlets
 * Get-IRMConfiguration (Format-List, "Name : Value") and
 * Test-IRMConfiguration ("Results : ... - PASS: ... OVERALL RESULT: PASS").
 *
 * Both take the file's bytes (any encoding irmf_text_decode accepts) and
 * fill the snapshot; `name` names the input in error messages.
 */
#ifndef IRMF_IRMTEXT_H
#define IRMF_IRMTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "snapshot_int.h"

/* Get-IRMConfiguration | Format-List -> snap->props.  Types are inferred:
 * True/False -> bool, integers -> int, http(s) URLs -> uri, "{a, b}" ->
 * list or uri-list, known enum properties -> enum, empty -> "" string
 * (or a nil uri for the properties that are Uris). */
int irmf_irmconfig_text_parse(irmf_snapshot *snap, const char *buf,
    size_t len, const char *name);

/* Test-IRMConfiguration output -> snap->irm_steps and irm_test_pass. */
int irmf_irmtest_text_parse(irmf_snapshot *snap, const char *buf,
    size_t len, const char *name);

/* Content sniffing on decoded, NUL-terminated UTF-8 text. */
bool irmf_irmconfig_text_sniff(const char *utf8_text);
bool irmf_irmtest_text_sniff(const char *utf8_text);

#endif
