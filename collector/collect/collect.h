/*
 * collect.h - internals of the collect engine (collector/collect/engine.c)
 * that the unit tests reach: the run result, and the run-state file kept in
 * the output directory (collector/collect/collectstate.c) for --retry-failed and
 * for compare.  The public API is include/irmfleet/collect.h.
 */
#ifndef IRMF_COLLECT_INT_H
#define IRMF_COLLECT_INT_H

#include "irmfleet/collect.h"
#include "snapshot_int.h"

typedef struct result_entry {
	char *host;
	irmf_host_status status;
	char *reason;
	char *message;
	char *snapshot;
	bool finished;          /* its books are closed (see state file) */
} result_entry;

struct irmf_collect_result {
	result_entry *e;
	size_t n;
	size_t failed;
	double seconds;
	unsigned parallel;      /* sessions at once, after the fd bound */
	char *org_host;         /* read the organisation (orgread.h), or NULL */
	char *org_note;         /* why none did although asked, or NULL */
};

/* Read the names of the hosts the last run did not fully collect from
 * dir/IRMF_COLLECT_STATE_FILE.  IRMF_ENOTFOUND if there is no state. */
int irmf_collect_state_read(const char *dir, irmf_strlist *failed);

/* Write (atomically) the hosts of a run not fully collected: one line per
 * host, "name<TAB>reason<TAB>message"; a host not finished yet is listed
 * with reason "not-finished", so that a run killed after this write can
 * be resumed with --retry-failed.  Written as the run goes. */
int irmf_collect_state_write(const char *dir, const irmf_collect_result *r);

#endif
