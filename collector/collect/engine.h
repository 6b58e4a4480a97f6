/*
 * engine.h - the collect engine's run state, shared by the files that
 * make it up: engine.c (the poll loop and each host's state machine),
 * setup.c (options, user, known_hosts, which hosts, the open-file
 * bound, name lookups), keys.c (client keys) and hostout.c (what each
 * command's output becomes).  Internal to collector/collect/.
 */
#ifndef IRMF_ENGINE_H
#define IRMF_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "collect.h"
#include "hostauth.h"
#include "hostcfg.h"
#include "hostout.h"
#include "inventory.h"
#include "knownhosts.h"
#include "orgread.h"
#include "plan.h"
#include "resolve.h"
#include "ssh.h"

/* H_RESOLVING: started, its name being looked up (resolve.h) */
/* H_SAVING: done, its snapshot not written yet (tried again, engine.c) */
enum hstate { H_PENDING, H_RESOLVING, H_CONNECTING, H_RUNNING, H_SAVING,
	H_DONE };

typedef struct host_run {
	const irmf_inv_host *h;
	result_entry *res;
	const irmf_plan *plan;
	irmf_plan *own_plan;    /* the host's own (with its irm-test), or NULL */
	size_t cmd;             /* index of the command running */
	irmf_ssh *ssh;
	irmf_hostout ho;        /* its snapshot and item books (ho.snap) */
	enum hstate st;
	double deadline;        /* of the current phase */
	bool lost;              /* session died after login */
} host_run;

#define IRMF_ENGINE_NPLANS 16   /* one plan per role set (4 role bits) */

typedef struct engine {
	const irmf_collect_options *o;
	irmf_knownhosts *kh;
	irmf_ssh_auth auth;
	irmf_hostauth *hauth;   /* hosts' own keys (ansible_ssh_private_key_file) */
	char *user;
	irmf_plan *plans[IRMF_ENGINE_NPLANS];
	host_run *runs;
	size_t nruns, next, done, failed, inflight;
	size_t saving;          /* hosts in H_SAVING */
	irmf_resolver *rv;      /* the hosts' names, index as runs */
	double start, last_progress, last_state;
	unsigned parallel;      /* o->parallel, bounded by the fd limit */
	bool state_dirty;       /* a host finished since the last save */
	irmf_collect_result *res;
	/* each host's resolved connection: inventory, ssh_config, command
	 * line (hostcfg.h) */
	const irmf_inventory *inv;
	irmf_hostcfgs *hc;
	/* who reads the organisation over a password logon (orgread.h),
	 * over the runs' roles and names (index as runs) */
	irmf_orgread org;
	unsigned *roles;
	const char **names;
} engine;

/* The resolved connection of the host of hr. */
static inline const irmf_hostcfg *
irmf_engine_host_cfg(const engine *e, const host_run *hr)
{
	return irmf_hostcfgs_get(e->hc, (size_t)(hr->h - e->inv->hosts));
}

/* setup.c */
int irmf_engine_check_options(const irmf_collect_options *o);
int irmf_engine_default_user(engine *e);
int irmf_engine_open_known_hosts(engine *e);
int irmf_engine_select_hosts(engine *e, const irmf_inventory *inv);
int irmf_engine_bound_parallel(engine *e);
int irmf_engine_start_lookups(engine *e);
/* The organisation's reader (orgread.h) over the selected hosts. */
int irmf_engine_org_setup(engine *e);

/* keys.c: the identities to try (--identity files, else OpenSSH's
 * defaults that exist) into e->auth; wiped and freed by keys_clear. */
int irmf_engine_load_identities(engine *e);
void irmf_engine_keys_clear(engine *e);

#endif
