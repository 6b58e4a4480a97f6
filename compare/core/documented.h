/*
 * documented.h - which registry keys and values the connector
 * documentation prescribes for a cohort.
 *
 * Consensus tells a server to match its peers; when the server has
 * something its peers lack, the natural fix is to remove it.  That fix is
 * harmful when the documentation prescribes exactly that value for the
 * server's generation: the MSIPC ServiceLocation keys the current
 * Exchange 2016/2019 table lists, the AD RMS migration mappings the
 * migration guide adds under LicenseServerRedirection, the MSIPC mirror
 * under Wow6432Node that Microsoft's migration script writes.  Then the
 * peers are the ones to look at, and no fix may delete it.
 */
#ifndef IRMF_DOCUMENTED_H
#define IRMF_DOCUMENTED_H

#include <stdbool.h>

/* Is value `name` ("" = the default value) of key `path` (an HKLM path,
 * "HKLM\..." or "HKEY_LOCAL_MACHINE\...", any case) one the documentation
 * prescribes for servers of `cohort` (irmf_cohort_of)?  With name NULL:
 * is the key itself one it prescribes? */
bool irmf_documented_for(const char *cohort, const char *path,
    const char *name);

/* Is `name` an AD RMS migration mapping of a redirection key: a URL that
 * is not a Microsoft RMS URL, ending in /_wmcs/licensing (or
 * /_wmcs/certification)? */
bool irmf_is_migration_name(const char *name);

#endif
