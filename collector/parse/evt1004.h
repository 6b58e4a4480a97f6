/*
 * evt1004.h - the accounts an RMS connector event 1004 ("The list of
 * authorized accounts has been updated.") names in its message.
 *
 * The monitoring documentation says the event lists each account, but
 * its layout is not published and no real capture was available: the
 * scanner is tolerant of layout (one account per line or per Data
 * element, "Account: X" / "SID: Y" label lines, list markers, several
 * accounts separated by ',' or ';', a trailing SID or role in
 * brackets) and strict about what is an account (DOMAIN\name, NAME$,
 * name@dns.domain, S-1-5-...): a line that is not account-shaped is not
 * an account.  docs/authorization-list.md, "What can be derived from the
 * connector node", says what this can and cannot tell.
 */
#ifndef IRMF_EVT1004_H
#define IRMF_EVT1004_H

#include <stdbool.h>

#include "str.h"

/* The accounts text names, in order, each once (case-insensitively),
 * appended to out.  A name with its SID (on one line, or as adjacent
 * "Account:" and "SID:" lines) counts once, as the name; a SID with no
 * name stays a SID.  IRMF_ENOMEM only. */
int irmf_evt1004_scan(const char *text, irmf_strlist *out);

/* Whether s (a whole, trimmed string) is account-shaped: DOMAIN\name,
 * NAME$, name@dns.domain or a SID. */
bool irmf_evt1004_is_account(const char *s);

#endif
