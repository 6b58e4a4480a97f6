/*
 * store.h (internal) - the parts of the history store that tests and the
 * bench look at directly.  The public API is include/irmfleet/store.h;
 * the schema and its reasons are described in docs/history.md.
 */
#ifndef IRMF_STORE_INT_H
#define IRMF_STORE_INT_H

#include "irmfleet/store.h"
#include "settings.h"

/* The application_id stamped into every history database ("IRMF"). */
#define IRMF_STORE_APP_ID 0x49524d46

/* The settings of snap the history records: the settings.h flattening
 * minus every setting whose item could not be collected (section absent
 * or covered by a collection error), since those are unknown, not
 * removed. */
int irmf_store_recorded_settings(const irmf_snapshot *snap,
    irmf_settings *out);

/* Canonical content hash (lowercase hex SHA-256) of what the history
 * records of snap: identity (without name, collected_at and provenance),
 * recorded settings and collection errors (item and reason). */
int irmf_store_snapshot_hash(const irmf_snapshot *snap, char hex[65]);

#endif
