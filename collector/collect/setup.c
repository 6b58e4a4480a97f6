/*
 * setup.c - everything a collect run settles before its first
 * connection: the options are sane and the output directory writable,
 * the default user, the known_hosts file, which hosts run (those with a
 * role; for --retry-failed only those the state file lists) and each
 * one's plan, how many sessions the open-file limit allows at once, and
 * the background name lookups (resolve.h) in the order hosts start.
 */
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "psscript.h"
#include "error.h"

int
irmf_engine_check_options(const irmf_collect_options *o)
{
	struct stat st;

	if (o->out_dir == NULL || *o->out_dir == '\0')
		return irmf_error_set(IRMF_EUSAGE, "collect: no output "
		    "directory given (--out DIR)");
	if (o->parallel < 1 || o->parallel > 4096)
		return irmf_error_set(IRMF_EUSAGE, "collect: --parallel %u "
		    "out of range (1..4096)", o->parallel);
	if (o->connect_timeout_ms == 0 || o->command_timeout_ms == 0)
		return irmf_error_set(IRMF_EUSAGE, "collect: timeouts must "
		    "be positive");
	if (o->max_output < 1024)
		return irmf_error_set(IRMF_EUSAGE, "collect: --max-output "
		    "below 1024 bytes");
	if (mkdir(o->out_dir, 0755) != 0 && errno != EEXIST)
		return irmf_error_set(IRMF_EIO, "cannot create '%s': %s",
		    o->out_dir, strerror(errno));
	if (stat(o->out_dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    access(o->out_dir, W_OK) != 0)
		return irmf_error_set(IRMF_EIO, "'%s' is not a writable "
		    "directory", o->out_dir);
	return IRMF_OK;
}

int
irmf_engine_default_user(engine *e)
{
	const char *u = e->o->default_user;
	struct passwd *pw;

	if (u == NULL)
		u = getenv("USER");
	if (u == NULL && (pw = getpwuid(getuid())) != NULL)
		u = pw->pw_name;
	if (u == NULL || *u == '\0')
		return irmf_error_set(IRMF_EUSAGE, "no user name: set "
		    "ansible_user in the inventory or use --user");
	return (e->user = irmf_strdup(u)) ? IRMF_OK : IRMF_ENOMEM;
}

int
irmf_engine_open_known_hosts(engine *e)
{
	char path[4096];
	const char *p = e->o->known_hosts;

	if (p == NULL) {
		const char *home = getenv("HOME");

		if (home == NULL)
			return irmf_error_set(IRMF_EUSAGE, "HOME is not set: "
			    "give --known-hosts FILE");
		snprintf(path, sizeof(path), "%s/.ssh/known_hosts", home);
		p = path;
	}
	return irmf_knownhosts_load(&e->kh, p);
}

static bool
in_list(const irmf_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], s) == 0)
			return true;
	return false;
}

/* The hosts of this run: those with a role (and, for --retry-failed,
 * listed in the state file). */
int
irmf_engine_select_hosts(engine *e, const irmf_inventory *inv)
{
	irmf_strlist retry = { 0 };
	int r = IRMF_OK;

	if (e->o->retry_failed &&
	    (r = irmf_collect_state_read(e->o->out_dir, &retry)) != 0)
		return r;
	e->runs = calloc(inv->nhosts ? inv->nhosts : 1, sizeof(host_run));
	e->res->e = calloc(inv->nhosts ? inv->nhosts : 1,
	    sizeof(result_entry));
	if (e->runs == NULL || e->res->e == NULL) {
		r = irmf_error_oom();
		goto out;
	}
	for (size_t i = 0; i < inv->nhosts; i++) {
		const irmf_inv_host *h = &inv->hosts[i];
		host_run *hr;

		/* h->skip: not an SSH host (ansible_connection=winrm ...);
		 * the inventory's warnings say so */
		if (h->roles == 0 || h->skip != NULL ||
		    (e->o->retry_failed && !in_list(&retry, h->name)))
			continue;
		if (e->plans[h->roles] == NULL &&
		    (r = (e->o->plan == IRMF_COLLECT_PLAN_SCRIPT ?
		    irmf_plan_build_script : irmf_plan_build)(
		    &e->plans[h->roles], h->roles, e->o->event_count)) != 0)
			goto out;
		hr = &e->runs[e->nruns++];
		hr->h = h;
		hr->ho.host = h->name;
		hr->plan = e->plans[h->roles];
		/* Test-IRMConfiguration needs the host's sender: its own plan */
		/* (the one-script plan has no Test-IRMConfiguration: it
		 * needs the Exchange cmdlets, which a key logon has not) */
		if (h->irm_test_sender != NULL &&
		    e->o->plan != IRMF_COLLECT_PLAN_SCRIPT &&
		    (h->roles & IRMF_ROLE_EXCHANGE)) {
			if ((r = irmf_plan_build(&hr->own_plan, h->roles,
			    e->o->event_count)) != 0 ||
			    (r = irmf_plan_add_irm_test(hr->own_plan,
			    h->irm_test_sender)) != 0)
				goto out;
			hr->plan = hr->own_plan;
		}
		hr->res = &e->res->e[e->res->n++];
		if ((hr->res->host = irmf_strdup(h->name)) == NULL) {
			r = IRMF_ENOMEM;
			goto out;
		}
	}
out:
	irmf_strlist_clear(&retry);
	return r;
}

int
irmf_engine_org_setup(engine *e)
{
	e->roles = calloc(e->nruns + 1, sizeof(*e->roles));
	e->names = calloc(e->nruns + 1, sizeof(*e->names));
	if (e->roles == NULL || e->names == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < e->nruns; i++) {
		e->roles[i] = e->runs[i].h->roles;
		e->names[i] = e->runs[i].h->name;
	}
	irmf_org_init(&e->org, e->o->plan == IRMF_COLLECT_PLAN_SCRIPT,
	    e->o->password, e->roles, e->names, e->nruns);
	return IRMF_OK;
}

/* Look up every host's name in the background, in the order they start. */
int
irmf_engine_start_lookups(engine *e)
{
	const char **names = calloc(e->nruns + 1, sizeof(*names));
	int *ports = calloc(e->nruns + 1, sizeof(*ports));
	unsigned threads = e->parallel < 16 ? e->parallel : 16;
	int r;

	if (names == NULL || ports == NULL) {
		free(names);
		free(ports);
		return irmf_error_oom();
	}
	for (size_t i = 0; i < e->nruns; i++) {
		const irmf_hostcfg *hc = irmf_engine_host_cfg(e, &e->runs[i]);

		names[i] = irmf_hostcfg_dial_address(hc);
		ports[i] = irmf_hostcfg_dial_port(hc);
	}
	r = irmf_resolver_new(&e->rv, names, ports, e->nruns, threads);
	free(names);
	free(ports);
	return r;
}

/* Descriptors open now (Linux: /proc/self/fd; elsewhere a guess). */
static long
fds_open(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	long n = -1;   /* the directory's own descriptor */

	if (d == NULL)
		return 32;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/*
 * Sessions at once, bounded by RLIMIT_NOFILE: each holds a socket, and
 * writing its snapshot takes a temporary file and the directory (FDS_PER
 * _HOST); the resolver's threads, the known_hosts appends and the
 * agent need a few more (FD_RESERVE).  The soft limit is first raised
 * toward the hard one as far as the asked parallelism needs.
 */
#define FDS_PER_HOST 3
#define FD_RESERVE 40
int
irmf_engine_bound_parallel(engine *e)
{
	struct rlimit rl;
	long open = fds_open(), room;
	rlim_t need = (rlim_t)open + FD_RESERVE +
	    (rlim_t)e->o->parallel * FDS_PER_HOST;

	e->parallel = e->res->parallel = e->o->parallel;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return IRMF_OK;
	if (rl.rlim_cur < need && rl.rlim_cur < rl.rlim_max) {
		struct rlimit up = rl;

		up.rlim_cur = rl.rlim_max == RLIM_INFINITY || need < rl.rlim_max ?
		    need : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl = up;
	}
	room = (long)rl.rlim_cur - open - FD_RESERVE;
	if (room < FDS_PER_HOST)
		return irmf_error_set(IRMF_EUSAGE, "collect: the open-file "
		    "limit (ulimit -n %ld, %ld open) leaves no room for one "
		    "session; raise it to at least %ld", (long)rl.rlim_cur,
		    open, open + FD_RESERVE + FDS_PER_HOST);
	if ((long)e->parallel > room / FDS_PER_HOST)
		e->parallel = (unsigned)(room / FDS_PER_HOST);
	e->res->parallel = e->parallel;
	return IRMF_OK;
}
