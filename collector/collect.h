/*
 * collect.h - internals of the collect engine (collector/collect.c) that
 * the unit tests reach: the run-state file kept in the output directory
 * for --retry-failed.  The public API is include/irmfleet/collect.h.
 */
#ifndef IRMF_COLLECT_INT_H
#define IRMF_COLLECT_INT_H

#include "irmfleet/collect.h"
#include "snapshot_int.h"

/* Read the names of the hosts the last run did not fully collect from
 * dir/IRMF_COLLECT_STATE_FILE.  IRMF_ENOTFOUND if there is no state. */
int irmf_collect_state_read(const char *dir, irmf_strlist *failed);

/* Write (atomically) the failed hosts of a run: one line per host,
 * "name<TAB>reason<TAB>message". */
int irmf_collect_state_write(const char *dir, const irmf_collect_result *r);

#endif
