/*
 * cmdquote.h - quoting values for the commands irmfleet suggests as
 * fixes, so that a fix is safe to paste whatever a server's registry
 * holds.  Two targets:
 *
 * cmd.exe running reg.exe.  Inside a double-quoted argument cmd takes
 * & | < > ^ literally, but %NAME% still expands (and cannot be escaped
 * reliably on an interactive line), ! expands under delayed expansion,
 * and a " ends the quoting.  reg.exe then splits its command line with
 * the MS C runtime rules, where backslashes are literal except before a
 * ", so trailing backslashes are doubled.  A value holding ", % or ! (or
 * a control character) has no safe cmd form: irmf_cmd_arg refuses it and
 * the caller falls back to PowerShell or to "set by hand".
 *
 * PowerShell single-quoted literals.  The only escape is doubling the
 * quote, and PowerShell also takes U+2018, U+2019, U+201A and U+201B as
 * single quotes, so those are doubled too.  $, backtick, ; and the rest are
 * literal there.
 *
 * Neither target can carry control characters (C0 with newline and tab,
 * DEL, C1), bidi formatting characters (they make the pasted line read
 * differently from what runs) or malformed UTF-8 on one pasted line:
 * both functions refuse text that irmf_text_is_plain rejects.
 */
#ifndef IRMF_CMDQUOTE_H
#define IRMF_CMDQUOTE_H

#include <stdbool.h>

#include "buf.h"

/* Whether s can be one double-quoted argument of a cmd.exe line. */
bool irmf_cmd_arg_ok(const char *s);

/* Append s as "s" for cmd.exe and reg.exe; false (nothing appended) when
 * irmf_cmd_arg_ok(s) is false. */
bool irmf_cmd_arg(irmf_buf *b, const char *s);

/* Whether s can be a PowerShell single-quoted literal. */
bool irmf_ps_str_ok(const char *s);

/* Append s as 'literal' for PowerShell; false (nothing appended) when
 * irmf_ps_str_ok(s) is false. */
bool irmf_ps_str(irmf_buf *b, const char *s);

#endif
