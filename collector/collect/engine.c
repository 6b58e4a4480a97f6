/*
 * engine.c - the collect engine: every host of an inventory, at most
 * `parallel` at a time, each a non-blocking SSH session (ssh.c) driven by
 * one poll() loop in the calling thread.
 *
 * Per host: connect + log in (connect timeout), then run the commands of
 * the host's role plan (plan.c) one after the other (command timeout
 * each), and hand each finished command to hostout.c, which ingests its
 * output into the host's snapshot or records the item's error.  When the
 * host is finished the snapshot is written atomically into the output
 * directory and freed: memory is bounded by `parallel` sessions x
 * `max_output`, whatever the fleet size.  A host that cannot be reached
 * still gets a snapshot whose "host" item is failed, so an old snapshot
 * is never taken for current.  The hosts not fully collected are listed
 * in a state file for --retry-failed (collectstate.c), rewritten as hosts
 * finish, so that a killed run can be resumed.  Sessions at once are
 * bounded by the open-file limit (setup.c), and a snapshot that cannot be
 * written while other sessions hold descriptors is written again later,
 * not dropped.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "error.h"

#define PROGRESS_EVERY 0.2

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
progress(engine *e, bool force)
{
	irmf_collect_progress p;
	double t = now();

	if (e->o->progress == NULL ||
	    (!force && t - e->last_progress < PROGRESS_EVERY))
		return;
	e->last_progress = t;
	p.total = e->nruns;
	p.done = e->done;
	p.failed = e->failed;
	p.inflight = e->inflight;
	p.elapsed = t - e->start;
	e->o->progress(&p, e->o->payload);
}

static void
set_result(host_run *hr, irmf_host_status st, const char *reason,
    const char *msg)
{
	hr->res->status = st;
	free(hr->res->reason);
	free(hr->res->message);
	hr->res->reason = reason ? irmf_strdup(reason) : NULL;
	hr->res->message = msg ? irmf_strdup(msg) : NULL;
}

static int
new_snapshot(engine *e, host_run *hr)
{
	irmf_snapshot *s;

	if (irmf_snapshot_new(&s, hr->h->name) != 0)
		return IRMF_ENOMEM;
	s->roles = hr->h->roles;
	s->method = IRMF_METHOD_SSH;
	if (irmf_snapshot_set_collector(s, "irmfleet", IRMF_VERSION) != 0 ||
	    irmf_snapshot_stamp_now(s) != 0) {
		irmf_snapshot_free(s);
		return IRMF_ENOMEM;
	}
	(void)e;
	hr->ho.snap = s;
	return IRMF_OK;
}

/* Rewrite the state file, at most once a second unless `force` (a killed
 * run loses at most that second: those hosts are collected again).  A
 * failure mid-run is not fatal; the last write's is. */
static int
save_state(engine *e, bool force)
{
	double t = now();

	if (!force && (!e->state_dirty || t - e->last_state < 1.0))
		return IRMF_OK;
	e->last_state = t;
	e->state_dirty = false;
	return irmf_collect_state_write(e->o->out_dir, e->res);
}

/* Write the snapshot and close the host's books. */
static void
finish(engine *e, host_run *hr)
{
	char path[4096];

	irmf_ssh_free(hr->ssh);
	hr->ssh = NULL;
	if (hr->ho.snap == NULL && new_snapshot(e, hr) != 0) {
		set_result(hr, IRMF_HOST_FAILED, "save", "out of memory");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s.xml", e->o->out_dir, hr->h->name);
	if (irmf_snapshot_save(hr->ho.snap, path) != 0) {
		/* out of descriptors (or space) while other sessions hold
		 * some: keep what was collected and write it when one ends */
		if (e->inflight - e->saving - (hr->st == H_SAVING ? 0 : 1) >
		    0) {
			if (hr->st != H_SAVING)
				e->saving++;
			hr->st = H_SAVING;
			return;
		}
		set_result(hr, IRMF_HOST_FAILED, "save",
		    irmf_error_last()->message);
		goto out;
	}
	hr->res->snapshot = irmf_strdup(path);
	if (hr->res->status == IRMF_HOST_COLLECTED && hr->ho.item_errors > 0) {
		char msg[512];
		const irmf_collect_error *ce = &hr->ho.snap->errors[0];
		size_t n = hr->ho.item_errors;

		snprintf(msg, sizeof(msg), "%zu item%s not collected; first: "
		    "%s (%s): %s", n, n == 1 ? "" : "s", ce->item,
		    irmf_collect_reason_name(ce->reason),
		    ce->message ? ce->message : "");
		set_result(hr, IRMF_HOST_PARTIAL, hr->lost ?
		    "connection-lost" : "partial", msg);
	}
out:
	irmf_snapshot_free(hr->ho.snap);
	hr->ho.snap = NULL;
	irmf_hostout_clear(&hr->ho);
	/* its own script (tens of kB): memory stays bounded by the
	 * sessions open, not the fleet */
	irmf_plan_free(hr->own_plan);
	hr->own_plan = NULL;
	hr->plan = e->plans[hr->h->roles];
	if (hr->st == H_SAVING)
		e->saving--;
	hr->st = H_DONE;
	hr->res->finished = true;
	e->state_dirty = true;
	e->done++;
	e->inflight--;
	if (hr->res->status != IRMF_HOST_COLLECTED)
		e->failed++;
	save_state(e, false);
}

static size_t
run_index(const engine *e, const host_run *hr)
{
	return (size_t)(hr - e->runs);
}

/* The whole host failed before any item: snapshot with a "host" error.
 * A candidate to read the organisation passes that part on. */
static void
fail_host(engine *e, host_run *hr, const char *reason,
    irmf_collect_reason why, const char *msg)
{
	(void)irmf_org_failed(&e->org, run_index(e, hr), false, msg, e->roles,
	    e->names, e->nruns);
	irmf_snapshot_free(hr->ho.snap);
	hr->ho.snap = NULL;
	if (new_snapshot(e, hr) == 0)
		irmf_snapshot_add_error(hr->ho.snap, "host", why, msg);
	set_result(hr, IRMF_HOST_FAILED, reason, msg);
	finish(e, hr);
}

static void try_connect(engine *e, host_run *hr);

static void
fail_connect(engine *e, host_run *hr)
{
	const char *msg = irmf_error_last()->message;

	switch (irmf_ssh_failure_kind(hr->ssh)) {
	case IRMF_SSH_FAIL_HOSTKEY:
		fail_host(e, hr, "host-key", IRMF_REASON_CONNECTION, msg);
		break;
	case IRMF_SSH_FAIL_AUTH:
		/* the password logon to read the organisation was refused:
		 * that is recorded, and the host logs on as usual */
		if (irmf_org_failed(&e->org, run_index(e, hr), true, msg,
		    e->roles, e->names, e->nruns)) {
			irmf_ssh_free(hr->ssh);
			hr->ssh = NULL;
			hr->st = H_RESOLVING;
			hr->deadline = now() + irmf_engine_host_cfg(e,
			    hr)->connect_timeout_ms / 1000.0;
			try_connect(e, hr);
			break;
		}
		fail_host(e, hr, "auth", IRMF_REASON_ACCESS_DENIED, msg);
		break;
	case IRMF_SSH_FAIL_CONNECT:
		fail_host(e, hr, "connection", IRMF_REASON_CONNECTION, msg);
		break;
	default:
		fail_host(e, hr, "protocol", IRMF_REASON_CONNECTION, msg);
		break;
	}
}

/* A command finished: hand what the session returned to hostout.c. */
static void
command_done(host_run *hr, int rc)
{
	irmf_cmd_output co = { .rc = rc };

	co.out = irmf_ssh_stdout(hr->ssh, &co.olen);
	co.err = irmf_ssh_stderr(hr->ssh, &co.elen);
	co.signal = irmf_ssh_exit_signal(hr->ssh);
	co.status = irmf_ssh_exit_status(hr->ssh);
	irmf_hostout_done(&hr->ho, &hr->plan->cmds[hr->cmd], &co);
}

static int
start_command(engine *e, host_run *hr)
{
	if (hr->cmd >= hr->plan->ncmds) {
		finish(e, hr);
		return 1;
	}
	hr->deadline = now() + e->o->command_timeout_ms / 1000.0;
	if (irmf_ssh_exec_start(hr->ssh, hr->plan->cmds[hr->cmd].command,
	    e->o->max_output) != 0 ||
	    (hr->plan->cmds[hr->cmd].input != NULL &&
	    irmf_ssh_exec_input(hr->ssh, hr->plan->cmds[hr->cmd].input,
	    hr->plan->cmds[hr->cmd].input_len) != 0)) {
		irmf_hostout_skip(&hr->ho, hr->plan, hr->cmd, IRMF_REASON_COMMAND_FAILED,
		    irmf_error_last()->message);
		finish(e, hr);
		return 1;
	}
	return 0;
}

/* An Exchange host's own script when the organisation is read once per
 * run (orgread.h): reading it, or saying where or why not. */
static int
org_plan(engine *e, host_run *hr)
{
	irmf_psscript_org org;

	irmf_org_logged_on(&e->org, run_index(e, hr),
	    irmf_ssh_auth_method(hr->ssh));
	if (!(hr->h->roles & IRMF_ROLE_EXCHANGE) ||
	    !irmf_org_for_host(&e->org, run_index(e, hr), &org))
		return IRMF_OK;
	irmf_plan_free(hr->own_plan);
	hr->own_plan = NULL;
	if (irmf_plan_build_script_org(&hr->own_plan, hr->h->roles,
	    e->o->event_count, &org) != 0)
		return IRMF_ENOMEM;
	hr->plan = hr->own_plan;
	return IRMF_OK;
}

/* Advance one host as far as it goes without waiting. */
static void
advance(engine *e, host_run *hr)
{
	bool done;
	int r;

	if (hr->st == H_CONNECTING) {
		if (irmf_ssh_connect_step(hr->ssh, &done) != 0) {
			fail_connect(e, hr);
			return;
		}
		if (!done)
			return;
		if (new_snapshot(e, hr) != 0 || org_plan(e, hr) != 0) {
			fail_host(e, hr, "save", IRMF_REASON_COMMAND_FAILED,
			    "out of memory");
			return;
		}
		hr->st = H_RUNNING;
		hr->cmd = 0;
		if (start_command(e, hr))
			return;
	}
	for (;;) {
		r = irmf_ssh_exec_step(hr->ssh, &done);
		if (r != 0 && irmf_ssh_failure_kind(hr->ssh) != IRMF_SSH_FAIL_NONE) {
			char msg[IRMF_ERROR_MSG_MAX];

			snprintf(msg, sizeof(msg), "%s",
			    irmf_error_last()->message);
			hr->lost = true;
			irmf_hostout_cmd_error(&hr->ho, &hr->plan->cmds[hr->cmd],
			    IRMF_REASON_CONNECTION, msg);
			irmf_hostout_skip(&hr->ho, hr->plan, hr->cmd + 1, IRMF_REASON_CONNECTION,
			    "not run: the connection was lost earlier");
			finish(e, hr);
			return;
		}
		if (!done)
			return;
		command_done(hr, r);
		hr->cmd++;
		if (start_command(e, hr))
			return;
	}
}

static void
timeout(engine *e, host_run *hr, bool whole_run)
{
	char msg[300];

	if (hr->st == H_RESOLVING) {
		snprintf(msg, sizeof(msg), "'%s': the name lookup of '%s' did "
		    "not finish within %.1f s%s", hr->h->name,
		    irmf_hostcfg_dial_address(irmf_engine_host_cfg(e, hr)),
		    irmf_engine_host_cfg(e, hr)->connect_timeout_ms / 1000.0,
		    whole_run ? "; run deadline reached" : "");
		fail_host(e, hr, whole_run ? "deadline" : "timeout",
		    IRMF_REASON_TIMEOUT, msg);
		return;
	}
	if (hr->st == H_CONNECTING) {
		snprintf(msg, sizeof(msg), "'%s': no session within %.1f s "
		    "(connect, handshake and login%s)%s", hr->h->name,
		    irmf_engine_host_cfg(e, hr)->connect_timeout_ms / 1000.0,
		    irmf_engine_host_cfg(e, hr)->nhops ?
		    ", through the jump hosts" : "",
		    whole_run ? "; run deadline reached" : "");
		fail_host(e, hr, whole_run ? "deadline" : "timeout",
		    IRMF_REASON_TIMEOUT, msg);
		return;
	}
	snprintf(msg, sizeof(msg), "'%s': %s", hr->h->name, whole_run ?
	    "run deadline reached during the command" :
	    "command did not finish in time");
	irmf_hostout_cmd_error(&hr->ho, &hr->plan->cmds[hr->cmd],
	    IRMF_REASON_TIMEOUT, msg);
	irmf_hostout_skip(&hr->ho, hr->plan, hr->cmd + 1, IRMF_REASON_TIMEOUT,
	    "not run: an earlier command timed out");
	finish(e, hr);
	if (hr->res->reason != NULL && strcmp(hr->res->reason, "partial") == 0) {
		char *m = hr->res->message;

		hr->res->message = NULL;
		set_result(hr, IRMF_HOST_PARTIAL, whole_run ? "deadline" :
		    "timeout", m);
		free(m);
	}
}

/* Connect once the host's name is looked up (the lookup's time counts
 * against the connect timeout). */
static void
try_connect(engine *e, host_run *hr)
{
	const irmf_inv_host *h = hr->h;
	const irmf_ssh_auth *auth = NULL;
	const struct addrinfo *ai;
	const char *err;
	char msg[400];

	if (!irmf_resolver_result(e->rv, (size_t)(hr - e->runs), &ai, &err))
		return;
	if (ai == NULL) {
		snprintf(msg, sizeof(msg), "'%s': cannot resolve '%s': %s",
		    h->name, irmf_hostcfg_dial_address(irmf_engine_host_cfg(e,
		    hr)), err);
		fail_host(e, hr, "connection", IRMF_REASON_CONNECTION, msg);
		return;
	}
	/* an inventory key (ansible_ssh_private_key_file) is the host's own
	 * credentials; else those the ssh configuration gives it */
	if (h->identity != NULL && (auth = irmf_hostauth_get(e->hauth,
	    h->identity, msg, sizeof(msg))) == NULL) {
		char why[500];

		snprintf(why, sizeof(why), "'%s': %s", h->name, msg);
		fail_host(e, hr, "auth", IRMF_REASON_ACCESS_DENIED, why);
		return;
	}
	/* the candidate to read the organisation: the password alone */
	auth = irmf_org_auth(&e->org, run_index(e, hr), auth != NULL ? auth :
	    &irmf_engine_host_cfg(e, hr)->auth);
	hr->st = H_CONNECTING;
	if (irmf_hostcfg_connect(irmf_engine_host_cfg(e, hr), ai, auth,
	    &hr->ssh) != 0) {
		if (hr->ssh == NULL)
			fail_host(e, hr, "connection", IRMF_REASON_CONNECTION,
			    irmf_error_last()->message);
		else
			fail_connect(e, hr);
		return;
	}
}

static void
start_host(engine *e, host_run *hr)
{
	e->inflight++;
	hr->st = H_RESOLVING;
	hr->deadline = now() +
	    irmf_engine_host_cfg(e, hr)->connect_timeout_ms / 1000.0;
	if (irmf_engine_host_cfg(e, hr)->refuse != NULL) {
		fail_host(e, hr, "ssh-config", IRMF_REASON_CONNECTION,
		    irmf_engine_host_cfg(e, hr)->refuse);
		return;
	}
	try_connect(e, hr);
}

/* ------------------------------------------------------------- loop */

/* Write the snapshots that could not be written before. */
static void
retry_saves(engine *e)
{
	for (size_t i = 0; i < e->next && e->saving > 0; i++)
		if (e->runs[i].st == H_SAVING)
			finish(e, &e->runs[i]);
}

static int
run_loop(engine *e)
{
	const irmf_collect_options *o = e->o;
	double run_deadline = o->deadline_ms ? e->start + o->deadline_ms /
	    1000.0 : 0;
	/* one slot more: the resolver's pipe, always pfd[0] */
	struct pollfd *pfd = calloc(e->parallel + 1, sizeof(*pfd));
	host_run **who = calloc(e->parallel + 1, sizeof(*who));
	int r = IRMF_OK;

	if (pfd == NULL || who == NULL) {
		r = irmf_error_oom();
		goto out;
	}
	while (e->done < e->nruns) {
		double t = now(), wake;
		bool over = run_deadline && t >= run_deadline;
		nfds_t n = 0;

		retry_saves(e);
		/* the hosts after the one logging on to read the
		 * organisation wait for it (orgread.h) */
		while (!over && e->inflight < e->parallel &&
		    e->next < e->nruns && !irmf_org_holds(&e->org, e->next))
			start_host(e, &e->runs[e->next++]);
		if (over) {
			for (size_t i = 0; i < e->nruns; i++) {
				host_run *hr = &e->runs[i];

				if (hr->st == H_RESOLVING ||
				    hr->st == H_CONNECTING || hr->st == H_RUNNING)
					timeout(e, hr, true);
			}
			retry_saves(e);   /* the last try: nothing else runs */
			for (; e->next < e->nruns; e->next++) {
				host_run *hr = &e->runs[e->next];

				e->inflight++;
				fail_host(e, hr, "deadline", IRMF_REASON_TIMEOUT,
				    "not started: run deadline reached");
			}
			break;
		}
		wake = t + 0.25;
		if (run_deadline && run_deadline < wake)
			wake = run_deadline;
		pfd[0].fd = irmf_resolver_fd(e->rv);
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		who[n++] = NULL;
		for (size_t i = 0; i < e->nruns && n <= e->parallel; i++) {
			host_run *hr = &e->runs[i];

			if (hr->st == H_RESOLVING && hr->deadline < wake)
				wake = hr->deadline;
			if (hr->st != H_CONNECTING && hr->st != H_RUNNING)
				continue;
			pfd[n].fd = irmf_ssh_fd(hr->ssh);
			pfd[n].events = irmf_ssh_events(hr->ssh);
			pfd[n].revents = 0;
			who[n++] = hr;
			if (hr->deadline < wake)
				wake = hr->deadline;
		}
		{
			int ms = (int)((wake - t) * 1000.0) + 1;

			if (poll(pfd, n, ms < 0 ? 0 : ms) < 0 && errno != EINTR) {
				r = irmf_error_set(IRMF_EIO, "poll: %s",
				    strerror(errno));
				goto out;
			}
		}
		t = now();
		if (pfd[0].revents != 0)
			irmf_resolver_drain(e->rv);
		for (size_t i = 0; i < e->next; i++) {
			host_run *hr = &e->runs[i];

			if (hr->st != H_RESOLVING)
				continue;
			try_connect(e, hr);   /* poll() drives it from here */
			if (hr->st == H_RESOLVING && now() >= hr->deadline)
				timeout(e, hr, false);
		}
		for (nfds_t i = 1; i < n; i++) {
			host_run *hr = who[i];

			if (pfd[i].revents != 0)
				advance(e, hr);
			if ((hr->st == H_CONNECTING || hr->st == H_RUNNING) &&
			    now() >= hr->deadline)
				timeout(e, hr, false);
		}
		(void)t;
		progress(e, false);
		save_state(e, false);   /* hosts that finished in the last second */
	}
out:
	free(pfd);
	free(who);
	return r;
}

static void
engine_clear(engine *e)
{
	irmf_resolver_free(e->rv);   /* waits for lookups still running */
	for (size_t i = 0; i < e->nruns; i++) {
		irmf_ssh_free(e->runs[i].ssh);
		irmf_snapshot_free(e->runs[i].ho.snap);
		irmf_hostout_clear(&e->runs[i].ho);
		irmf_plan_free(e->runs[i].own_plan);
	}
	free(e->runs);
	free(e->roles);
	free(e->names);
	for (size_t i = 0; i < IRMF_ENGINE_NPLANS; i++)
		irmf_plan_free(e->plans[i]);
	irmf_engine_keys_clear(e);
	irmf_hostauth_free(e->hauth);
	irmf_hostcfgs_free(e->hc);
	irmf_knownhosts_free(e->kh);
	free(e->user);
}

/* Who read the organisation, or why none did, for the summary. */
static int
org_result(engine *e)
{
	const char *host = irmf_org_reader(&e->org);
	const char *note = irmf_org_not_read(&e->org);

	if ((host != NULL && (e->res->org_host = irmf_strdup(host)) == NULL) ||
	    (note != NULL && (e->res->org_note = irmf_strdup(note)) == NULL))
		return IRMF_ENOMEM;
	return IRMF_OK;
}

int
irmf_collect_run(const irmf_inventory *inv, const irmf_collect_options *o,
    irmf_collect_result **out)
{
	engine e;
	int r;

	*out = NULL;
	memset(&e, 0, sizeof(e));
	e.o = o;
	e.inv = inv;
	e.start = now();
	e.auth.use_agent = o->use_agent != 0;
	e.auth.passphrase = o->passphrase;
	e.auth.password = o->password;
	if ((r = irmf_engine_check_options(o)) != 0)
		return r;
	if ((e.res = calloc(1, sizeof(*e.res))) == NULL)
		return irmf_error_oom();
	if ((r = irmf_engine_default_user(&e)) != 0 ||
	    (r = irmf_engine_open_known_hosts(&e)) != 0 ||
	    (r = irmf_engine_load_identities(&e)) != 0 ||
	    (r = irmf_hostauth_new(&e.hauth, &e.auth)) != 0 ||
	    (r = irmf_hostcfgs_new(&e.hc, inv, o, e.user)) != 0 ||
	    (r = irmf_hostcfgs_bind(e.hc, e.kh, &e.auth)) != 0 ||
	    (r = irmf_engine_select_hosts(&e, inv)) != 0 ||
	    (r = irmf_engine_org_setup(&e)) != 0 ||
	    (r = irmf_engine_bound_parallel(&e)) != 0 ||
	    (r = save_state(&e, true)) != 0 ||
	    (r = irmf_engine_start_lookups(&e)) != 0 ||
	    (r = run_loop(&e)) != 0)
		goto out;
	progress(&e, true);
	if ((r = org_result(&e)) != 0)
		goto out;
	e.res->failed = e.failed;
	e.res->seconds = now() - e.start;
	if ((r = save_state(&e, true)) != 0)
		goto out;
	*out = e.res;
	e.res = NULL;
out:
	engine_clear(&e);
	irmf_collect_result_free(e.res);
	return r;
}
