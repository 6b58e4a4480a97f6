/*
 * authlist.h - the authorization list of an RMS connector: the rows of
 * the administration tool's "Servers allowed to utilize the connector"
 * page, typed by an admin into a small CSV file because the tool has no
 * export.  The format is documented in docs/authorization-list.md.
 */
#ifndef IRMF_AUTHLIST_H
#define IRMF_AUTHLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "snapshot_int.h"

/* Parse the list into snap->auths (has_authorizations is set even for a
 * list with no rows: an empty list is what a new connector has). */
int irmf_authlist_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name);

/* True if the first line that is not blank or a '#' comment is the
 * header "account,kind,role". */
bool irmf_authlist_sniff(const char *utf8_text);

#endif
