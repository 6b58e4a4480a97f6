/*
 * groups.h - group memberships of a server's accounts from Windows tool
 * output: `whoami /groups /fo csv` (the groups of the account that runs
 * it, e.g. a SharePoint service account) and `gpresult /scope computer
 * /r` (the groups of the computer account, and the account's name).
 *
 * Only Active Directory domain groups are recorded: they are what the
 * connector can authorize, and the other entries of a token (NETWORK,
 * CONSOLE LOGON, integrity labels, logon session ids) depend on how the
 * command was run, so they would show up as drift between servers.
 */
#ifndef IRMF_GROUPS_H
#define IRMF_GROUPS_H

#include <stdbool.h>
#include <stddef.h>

#include "snapshot_int.h"

/* whoami /groups /fo csv (also /all /fo csv: the other tables are
 * skipped; also /nh; localized headers are told by shape, not words). */
int irmf_whoami_csv_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name);
bool irmf_whoami_csv_sniff(const char *utf8_text);

/* gpresult /scope computer /r (English output). */
int irmf_gpresult_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name);
bool irmf_gpresult_sniff(const char *utf8_text);

/* "S-1-5-21-..." shape. */
bool irmf_is_sid(const char *s);

#endif
