/*
 * regfile.h - parser for regedit export files (.reg): "Windows Registry
 * Editor Version 5.00" (normally UTF-16LE with BOM) and "REGEDIT4" (ANSI).
 *
 * Keys and values are applied to the snapshot in file order, including
 * deletions ("[-KEY]" removes the key and its subkeys, "name"=- removes a
 * value), so several files parsed into one snapshot behave like regedit
 * importing them one after the other.
 *
 * Errors: a file without a regedit header, a Wine registry file, a
 * malformed line (no '=', unterminated quote, unknown root, value before
 * any key) fail the whole file with IRMF_EPARSE / IRMF_EUNSUPPORTED and a
 * "file:line: expected ..." message.  Data that regedit itself would refuse
 * for one value (a dword that does not fit 32 bits, a bad hex byte, an
 * unmodelled type such as hex(ffff0012)) skips that value and records a
 * parse-error collection error for "registry:<KEY>", so the key is reported
 * as failed rather than silently incomplete.
 */
#ifndef IRMF_REGFILE_H
#define IRMF_REGFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "irmfleet/snapshot.h"

/* Parse raw bytes (any encoding textdecode.h detects) into snap. */
int irmf_regfile_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name);

/* True if decoded text looks like a registry export: it starts (after
 * blank lines) with a regedit or Wine header, or with a "[HK..." key line
 * (a header-less snippet, which the parser then rejects with a clear
 * message). */
bool irmf_regfile_sniff(const char *utf8_text);

#endif
