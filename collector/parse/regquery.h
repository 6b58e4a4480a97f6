/*
 * regquery.h - parser for the text that `reg query KEY [/s] [/v NAME]`
 * prints in a cmd console (or that a redirection captured: OEM/ANSI code
 * page from cmd, UTF-16LE from PowerShell 5), modern (4-space columns) and
 * XP-era ("! REG.EXE VERSION 3.0", tab-expanded columns).
 *
 *	HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\MSIPC\ServiceLocation\...
 *	    (Default)    REG_SZ    https://rms.contoso.com/_wmcs/licensing
 *	    Flags    REG_DWORD    0x1
 *	    Servers    REG_MULTI_SZ    a\0b
 *
 * Accepted around the data: blank lines, a command-prompt echo of the
 * `reg query` command ("C:\>reg query ..." or "PS> reg query ..."), the
 * "End of search: N match(es) found." trailer, and "ERROR: ..." lines:
 * "unable to find the specified registry key or value" means the key is
 * absent (nothing recorded), any other ERROR is recorded as a collection
 * error for "registry:<queried key>" (access-denied or command-failed).
 *
 * Known ambiguities of the format (documented, not guessed around):
 * REG_MULTI_SZ items are split at the two characters "\0", so an item
 * containing a literal "\0" splits; a string value containing a newline
 * continues on the following non-blank lines that are neither keys nor
 * values; the unnamed value is recognised by its English and common
 * localized display names ("(Default)", "(Standard)", "(par défaut)",
 * XP's "<NO NAME>" ...), so a value literally named that way is read as
 * the default.
 */
#ifndef IRMF_REGQUERY_H
#define IRMF_REGQUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "irmfleet/snapshot.h"

/* Parse raw bytes (any encoding textdecode.h detects) into snap. */
int irmf_regquery_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name);

/*
 * As irmf_regquery_parse() with the 8-bit fallback code page given (the
 * console's OEM code page, e.g. "850" from `chcp`).  NULL means the
 * IRMFLEET_CODEPAGE environment variable, else CP850: 8-bit reg query
 * text is cmd console output, which uses the OEM code page, and CP850
 * (Western Europe) agrees with the US CP437 on every accented letter
 * while also covering the rest of Latin-1.  UTF-8 and UTF-16 input is
 * detected first and needs no code page.
 */
int irmf_regquery_parse_cp(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name, const char *codepage);

/* True if decoded text looks like `reg query` output: its first non-blank
 * line is a full-root key line ("HKEY_..."), a REG.EXE banner, a prompt
 * echo of `reg query`, or reg's "unable to find" error. */
bool irmf_regquery_sniff(const char *utf8_text);

#endif
