/*
 * collect.c - the collect engine: every host of an inventory, at most
 * `parallel` at a time, each a non-blocking SSH session (ssh.c) driven by
 * one poll() loop in the calling thread.
 *
 * Per host: connect + log in (connect timeout), then run the commands of
 * the host's role plan (plan.c) one after the other (command timeout
 * each), feed each output to its parser into a scratch snapshot and merge
 * it on success, so a parse failure leaves no half-item behind and is
 * recorded as that item's collection error.  When the host is finished the
 * snapshot is written atomically into the output directory and freed:
 * memory is bounded by `parallel` sessions x `max_output`, whatever the
 * fleet size.  A host that cannot be reached still gets a snapshot whose
 * "host" item is failed, so an old snapshot is never taken for current.
 * The hosts not fully collected are listed in a state file for
 * --retry-failed (collectstate.c), rewritten as hosts finish, so that a
 * killed run can be resumed.  Sessions at once are bounded by the
 * open-file limit, and a snapshot that cannot be written while other
 * sessions hold descriptors is written again later, not dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


#include "buf.h"
#include "clixml.h"
#include "collect.h"
#include "digest.h"
#include "error.h"
#include "evtxml.h"
#include "hostauth.h"
#include "hostcfg.h"
#include "inventory.h"
#include "irmtext.h"
#include "knownhosts.h"
#include "plan.h"
#include "regexist.h"
#include "regquery.h"
#include "resolve.h"
#include "ssh.h"
#include "textdecode.h"

#define MAX_KEY_FILE ((size_t)64 * 1024)
#define PROGRESS_EVERY 0.2

/* H_RESOLVING: started, its name being looked up (resolve.h) */
/* H_SAVING: done, its snapshot not written yet (tried again, below) */
enum hstate { H_PENDING, H_RESOLVING, H_CONNECTING, H_RUNNING, H_SAVING,
	H_DONE };

typedef struct host_run {
	const irmf_inv_host *h;
	result_entry *res;
	const irmf_plan *plan;
	irmf_plan *own_plan;    /* the host's own (with its irm-test), or NULL */
	size_t cmd;             /* index of the command running */
	irmf_ssh *ssh;
	irmf_snapshot *snap;
	enum hstate st;
	double deadline;        /* of the current phase */
	size_t item_errors;
	bool lost;              /* session died after login */
	irmf_regexist *exist;   /* answer of the existence check, or NULL */
	char exist_err[300];    /* why there is none (for messages) */
} host_run;

typedef struct engine {
	const irmf_collect_options *o;
	irmf_knownhosts *kh;
	irmf_ssh_auth auth;
	irmf_hostauth *hauth;   /* hosts' own keys (ansible_ssh_private_key_file) */
	char *user;
	irmf_plan *plans[16];
	host_run *runs;
	size_t nruns, next, done, failed, inflight;
	size_t saving;          /* hosts in H_SAVING */
	irmf_resolver *rv;      /* the hosts' names, index as runs */
	double start, last_progress, last_state;
	unsigned parallel;      /* o->parallel, bounded by the fd limit */
	bool state_dirty;       /* a host finished since the last save */
	irmf_collect_result *res;
	/* ssh_config hook: each host's resolved connection (hostcfg.h) */
	const irmf_inventory *inv;
	irmf_hostcfgs *hc;
} engine;

static const irmf_hostcfg *
host_cfg(const engine *e, const host_run *hr)
{
	return irmf_hostcfgs_get(e->hc, (size_t)(hr->h - e->inv->hosts));
}

/* ------------------------------------------------------------- helpers */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
irmf_collect_options_init(irmf_collect_options *o)
{
	memset(o, 0, sizeof(*o));
	o->use_agent = 1;
	o->parallel = IRMF_COLLECT_DEFAULT_PARALLEL;
	o->connect_timeout_ms = IRMF_COLLECT_DEFAULT_CONNECT_TIMEOUT_MS;
	o->command_timeout_ms = IRMF_COLLECT_DEFAULT_COMMAND_TIMEOUT_MS;
	o->max_output = IRMF_COLLECT_DEFAULT_MAX_OUTPUT;
	o->event_count = IRMF_COLLECT_DEFAULT_EVENTS;
}

void
irmf_collect_result_free(irmf_collect_result *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->e[i].host);
		free(r->e[i].reason);
		free(r->e[i].message);
		free(r->e[i].snapshot);
	}
	free(r->e);
	free(r);
}

size_t
irmf_collect_result_count(const irmf_collect_result *r)
{
	return r ? r->n : 0;
}

const char *
irmf_collect_result_host(const irmf_collect_result *r, size_t i)
{
	return i < r->n ? r->e[i].host : NULL;
}

irmf_host_status
irmf_collect_result_status(const irmf_collect_result *r, size_t i)
{
	return i < r->n ? r->e[i].status : IRMF_HOST_FAILED;
}

const char *
irmf_collect_result_reason(const irmf_collect_result *r, size_t i)
{
	return i < r->n ? r->e[i].reason : NULL;
}

const char *
irmf_collect_result_message(const irmf_collect_result *r, size_t i)
{
	return i < r->n ? r->e[i].message : NULL;
}

const char *
irmf_collect_result_snapshot(const irmf_collect_result *r, size_t i)
{
	return i < r->n ? r->e[i].snapshot : NULL;
}

size_t
irmf_collect_result_failed(const irmf_collect_result *r)
{
	return r ? r->failed : 0;
}

unsigned
irmf_collect_result_parallel(const irmf_collect_result *r)
{
	return r->parallel;
}

double
irmf_collect_result_seconds(const irmf_collect_result *r)
{
	return r ? r->seconds : 0;
}

int
irmf_collect_plan_text(unsigned roles, unsigned event_count, char **out)
{
	irmf_plan *p = NULL;
	size_t cap = 1, len = 0;
	char *text;
	int r;

	*out = NULL;
	if ((r = irmf_plan_build(&p, roles, event_count)) != 0)
		return r;
	for (size_t i = 0; i < p->ncmds; i++)
		cap += strlen(p->cmds[i].item) + strlen(p->cmds[i].command) + 2;
	if ((text = malloc(cap)) == NULL) {
		irmf_plan_free(p);
		return irmf_error_oom();
	}
	text[0] = '\0';
	for (size_t i = 0; i < p->ncmds; i++)
		len += (size_t)snprintf(text + len, cap - len, "%s\t%s\n",
		    p->cmds[i].item, p->cmds[i].command);
	irmf_plan_free(p);
	*out = text;
	return IRMF_OK;
}

/* ------------------------------------------------------- preparation */

static int
load_key(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (f == NULL)
		return irmf_error_set(IRMF_EIO, "cannot read identity '%s': %s",
		    path, strerror(errno));
	if ((buf = malloc(MAX_KEY_FILE + 1)) == NULL) {
		fclose(f);
		return irmf_error_oom();
	}
	n = fread(buf, 1, MAX_KEY_FILE + 1, f);
	fclose(f);
	if (n == 0 || n > MAX_KEY_FILE) {
		free(buf);
		return irmf_error_set(IRMF_EUSAGE, "identity '%s' is %s", path,
		    n ? "too large for a private key" : "empty");
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return IRMF_OK;
}

int
irmf_collect_identity_encrypted(const char *path, int *encrypted)
{
	static const char begin[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
	static const char magic[] = "openssh-key-v1";
	char *key = NULL, *b64 = NULL;
	irmf_buf bin = IRMF_BUF_INIT;
	size_t len, n = 0;
	int r;

	*encrypted = 0;
	if ((r = load_key(path, &key, &len)) != 0)
		return r;
	if (strstr(key, "ENCRYPTED") != NULL) {
		*encrypted = 1;   /* PEM: "Proc-Type: 4,ENCRYPTED" or PKCS#8 */
		goto out;
	}
	char *p = strstr(key, begin), *end;
	if (p == NULL || (end = strstr(p, "-----END")) == NULL)
		goto out;
	p += sizeof(begin) - 1;
	if ((b64 = malloc(len + 1)) == NULL) {
		r = irmf_error_oom();
		goto out;
	}
	for (; p < end; p++)
		if (*p != '\n' && *p != '\r' && *p != ' ')
			b64[n++] = *p;
	b64[n] = '\0';
	/* not base64: nothing decoded, so not known to be encrypted */
	(void)irmf_buf_add_unbase64(&bin, b64, n);
	/* magic NUL, uint32 length, cipher name ("none" when clear) */
	if (bin.n > sizeof(magic) + 4 &&
	    memcmp(bin.p, magic, sizeof(magic)) == 0) {
		const unsigned char *c = (unsigned char *)bin.p +
		    sizeof(magic);
		size_t clen = (size_t)c[0] << 24 | (size_t)c[1] << 16 |
		    (size_t)c[2] << 8 | c[3];

		*encrypted = !(clen == 4 && memcmp(c + 4, "none", 4) == 0);
	}
out:
	if (key != NULL)
		memset(key, 0, len);   /* key material: wipe before freeing */
	if (b64 != NULL)
		memset(b64, 0, len + 1);
	if (bin.p != NULL)
		memset(bin.p, 0, bin.cap);
	free(key);
	free(b64);
	irmf_buf_free(&bin);
	return r;
}

/* The identities to try: --identity files, else OpenSSH's defaults that
 * exist. */
static int
load_identities(engine *e)
{
	static const char *const defaults[] = { "id_ed25519", "id_ecdsa",
	    "id_rsa" };
	static char defpaths[3][4096];
	static const char *defnames[3];
	const irmf_collect_options *o = e->o;
	const char *const *names = o->identities;
	size_t n = o->nidentities;
	int r;

	if (n == 0) {
		const char *home = getenv("HOME");

		for (size_t i = 0; home && i < 3; i++) {
			snprintf(defpaths[n], sizeof(defpaths[n]), "%s/.ssh/%s",
			    home, defaults[i]);
			if (access(defpaths[n], R_OK) == 0) {
				defnames[n] = defpaths[n];
				n++;
			}
		}
		names = defnames;
	}
	e->auth.key_names = names;
	e->auth.keys = calloc(n ? n : 1, sizeof(char *));
	e->auth.key_lens = calloc(n ? n : 1, sizeof(size_t));
	if (e->auth.keys == NULL || e->auth.key_lens == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < n; i++) {
		if ((r = load_key(names[i], &e->auth.keys[i],
		    &e->auth.key_lens[i])) != 0)
			return r;
		e->auth.nkeys++;
	}
	return IRMF_OK;
}

static int
default_user(engine *e)
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

static int
open_known_hosts(engine *e)
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
static int
select_hosts(engine *e, const irmf_inventory *inv)
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
		    (r = irmf_plan_build(&e->plans[h->roles], h->roles,
		    e->o->event_count)) != 0)
			goto out;
		hr = &e->runs[e->nruns++];
		hr->h = h;
		hr->plan = e->plans[h->roles];
		/* Test-IRMConfiguration needs the host's sender: its own plan */
		if (h->irm_test_sender != NULL &&
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

/* ------------------------------------------------------------ per host */

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

static void
item_error(host_run *hr, const char *item, irmf_collect_reason reason,
    const char *msg)
{
	irmf_snapshot_add_error(hr->snap, item, reason, msg);
	hr->item_errors++;
}

/* Record a failure for every item the command stands for. */
static void
cmd_error(host_run *hr, const irmf_plan_cmd *c, irmf_collect_reason reason,
    const char *msg)
{
	if (c->fail_items[0] == NULL) {
		item_error(hr, c->item, reason, msg);
		return;
	}
	for (size_t i = 0; i < IRMF_PLAN_MAX_ITEMS && c->fail_items[i]; i++)
		item_error(hr, c->fail_items[i], reason, msg);
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
	hr->snap = s;
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
	if (hr->snap == NULL && new_snapshot(e, hr) != 0) {
		set_result(hr, IRMF_HOST_FAILED, "save", "out of memory");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s.xml", e->o->out_dir, hr->h->name);
	if (irmf_snapshot_save(hr->snap, path) != 0) {
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
	if (hr->res->status == IRMF_HOST_COLLECTED && hr->item_errors > 0) {
		char msg[512];
		const irmf_collect_error *ce = &hr->snap->errors[0];

		snprintf(msg, sizeof(msg), "%zu item%s not collected; first: "
		    "%s (%s): %s", hr->item_errors, hr->item_errors == 1 ? ""
		    : "s", ce->item, irmf_collect_reason_name(ce->reason),
		    ce->message ? ce->message : "");
		set_result(hr, IRMF_HOST_PARTIAL, hr->lost ?
		    "connection-lost" : "partial", msg);
	}
out:
	irmf_snapshot_free(hr->snap);
	hr->snap = NULL;
	irmf_regexist_free(hr->exist);
	hr->exist = NULL;
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

/* The whole host failed before any item: snapshot with a "host" error. */
static void
fail_host(engine *e, host_run *hr, const char *reason,
    irmf_collect_reason why, const char *msg)
{
	irmf_snapshot_free(hr->snap);
	hr->snap = NULL;
	if (new_snapshot(e, hr) == 0)
		irmf_snapshot_add_error(hr->snap, "host", why, msg);
	set_result(hr, IRMF_HOST_FAILED, reason, msg);
	finish(e, hr);
}

static void
fail_connect(engine *e, host_run *hr)
{
	const char *msg = irmf_error_last()->message;

	switch (irmf_ssh_failure_kind(hr->ssh)) {
	case IRMF_SSH_FAIL_HOSTKEY:
		fail_host(e, hr, "host-key", IRMF_REASON_CONNECTION, msg);
		break;
	case IRMF_SSH_FAIL_AUTH:
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

/* Mark every command from `from` on as not run. */
static void
skip_rest(host_run *hr, size_t from, irmf_collect_reason reason,
    const char *why)
{
	for (size_t i = from; i < hr->plan->ncmds; i++)
		cmd_error(hr, &hr->plan->cmds[i], reason, why);
}

static bool
contains_ci(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	for (size_t i = 0; i + m <= n; i++)
		if (strncasecmp(hay + i, needle, m) == 0)
			return true;
	return false;
}

static bool
has_bytes(const char *hay, size_t n, const char *needle, size_t m)
{
	for (size_t i = 0; i + m <= n; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0)
			return true;
	return false;
}

/* Does a CLIXML output hold no object at all (an empty <Objs/>)? */
static bool
clixml_empty(const char *buf, size_t n)
{
	static const char u16[] = "<\0O\0b\0j\0 ";

	if (has_bytes(buf, n, "<Obj ", 5) || has_bytes(buf, n, "<Obj>", 5) ||
	    has_bytes(buf, n, u16, sizeof(u16) - 1))
		return false;
	return has_bytes(buf, n, "Objs", 4) ||
	    has_bytes(buf, n, "O\0b\0j\0s\0", 8);
}

static void
add_source(host_run *hr, const irmf_plan_cmd *c, const char *out, size_t n)
{
	static const char *const fmt[] = { "regquery", "clixml", "evtxml",
	    "regexist", "irmtest-text" };
	char hex[IRMF_SHA256_HEX];

	/* the hash is optional in a snapshot: without one the source is
	 * still listed (this used to drop it) */
	irmf_snapshot_add_source(hr->snap, c->item,
	    irmf_sha256_hex(out, n, hex) == 0 ? hex : NULL, fmt[c->format]);
}

/* Parse one command's output into a scratch snapshot; merge on success. */
static void
parse_output(host_run *hr, const irmf_plan_cmd *c, const char *out, size_t n)
{
	irmf_snapshot *tmp = NULL;
	char name[600];
	int r;

	snprintf(name, sizeof(name), "%s: %s", hr->h->name, c->item);
	if (c->format == IRMF_PLAN_CLIXML && clixml_empty(out, n))
		goto record;   /* e.g. no RMS URL to probe, no file present */
	if (irmf_snapshot_new(&tmp, hr->h->name) != 0) {
		cmd_error(hr, c, IRMF_REASON_COMMAND_FAILED, "out of memory");
		return;
	}
	switch (c->format) {
	case IRMF_PLAN_REGQUERY:
		r = irmf_regquery_parse(tmp, out, n, name);
		break;
	case IRMF_PLAN_CLIXML:
		r = irmf_clixml_parse(tmp, out, n, name);
		break;
	case IRMF_PLAN_IRMTEST:
		r = irmf_irmtest_text_parse(tmp, out, n, name);
		break;
	default:
		r = c->event_ids == NULL ? irmf_evtxml_parse(tmp, out, n, name) :
		    irmf_evtxml_parse_query(tmp, out, n, name, c->event_ids,
		    c->event_cap);
		break;
	}
	if (r != 0) {
		cmd_error(hr, c, IRMF_REASON_PARSE_ERROR,
		    irmf_error_last()->message);
		goto out;
	}
	if (irmf_snapshot_merge(hr->snap, tmp) != 0) {
		cmd_error(hr, c, IRMF_REASON_COMMAND_FAILED,
		    irmf_error_last()->message);
		goto out;
	}
	hr->item_errors += tmp->nerrors;   /* errors the parser recorded */
record:
	add_source(hr, c, out, n);
out:
	irmf_snapshot_free(tmp);
}

/* First line of stderr, for messages, as UTF-8: a localized Windows
 * writes it in its OEM code page, which the bytes do not name, so it is
 * decoded as textdecode.h decodes any 8-bit text (IRMFLEET_CODEPAGE, else
 * CP1252); bytes that cannot be decoded become '?'. */
static void
first_line(const char *s, size_t n, char *buf, size_t cap)
{
	size_t i = 0, o = 0, dlen;
	char *dec = NULL;

	while (i < n && (s[i] == '\r' || s[i] == '\n' || s[i] == ' '))
		i++;
	while (i < n && s[i] != '\r' && s[i] != '\n' && o + 1 < cap) {
		unsigned char ch = (unsigned char)s[i++];

		buf[o++] = ch >= 0x20 && ch != 0x7f ? (char)ch : '?';
	}
	buf[o] = '\0';
	if (irmf_text_decode_8bit(buf, o, NULL, "stderr", &dec, &dlen) != 0) {
		for (i = 0; i < o; i++)
			if ((unsigned char)buf[i] >= 0x80)
				buf[i] = '?';
		return;
	}
	if (dlen >= cap) {   /* cut before a UTF-8 sequence, not inside */
		dlen = cap - 1;
		while (dlen > 0 && ((unsigned char)dec[dlen] & 0xc0) == 0x80)
			dlen--;
	}
	memcpy(buf, dec, dlen);
	buf[dlen] = '\0';
	free(dec);
}

/* The existence check finished: keep its answer for the reg queries
 * after it.  Its failure is no collection error of its own (each key it
 * asks about has its reg query item); it only means that a reg query
 * failing in words collect cannot read stays command-failed, and the
 * reason goes into that item's message. */
static void
exist_done(host_run *hr, const irmf_plan_cmd *c, int rc)
{
	size_t olen, elen;
	const char *out = irmf_ssh_stdout(hr->ssh, &olen);
	const char *err = irmf_ssh_stderr(hr->ssh, &elen);
	const char *sig = irmf_ssh_exit_signal(hr->ssh);
	int status = irmf_ssh_exit_status(hr->ssh);
	char line[200], name[600];

	irmf_regexist_free(hr->exist);
	hr->exist = NULL;
	if (rc != 0) {
		snprintf(hr->exist_err, sizeof(hr->exist_err), "%.250s",
		    irmf_error_last()->message);
		return;
	}
	first_line(err, elen, line, sizeof(line));
	if (sig != NULL || status != 0) {
		if (sig != NULL)
			snprintf(hr->exist_err, sizeof(hr->exist_err),
			    "killed by signal %s", sig);
		else
			snprintf(hr->exist_err, sizeof(hr->exist_err),
			    "exit status %d%s%s", status, line[0] ? ": " : "",
			    line);
		return;
	}
	snprintf(name, sizeof(name), "%s: %s", hr->h->name, c->item);
	if (irmf_regexist_parse(&hr->exist, out, olen, name) != 0) {
		snprintf(hr->exist_err, sizeof(hr->exist_err), "%.250s",
		    irmf_error_last()->message);
		return;
	}
	add_source(hr, c, out, olen);
}

/* A reg query failed with a message collect cannot read (a localized
 * Windows): what the existence check says about its key.  Only an
 * explicit answer counts, and "absent" only with reg.exe's error status
 * 1; otherwise UNKNOWN, and `note` says why for the error message. */
static irmf_regexist_state
reg_state(const host_run *hr, const irmf_plan_cmd *c, int status,
    char *note, size_t cap)
{
	irmf_regexist_state st;

	note[0] = '\0';
	if (hr->exist == NULL) {
		if (hr->exist_err[0] != '\0')
			snprintf(note, cap, " (existence check failed: %s)",
			    hr->exist_err);
		return IRMF_REGEXIST_UNKNOWN;
	}
	st = irmf_regexist_get(hr->exist, c->item + strlen("registry:"));
	if (st == IRMF_REGEXIST_ABSENT && status != 1) {
		snprintf(note, cap, " (existence check: absent, but not "
		    "reg.exe's exit status 1)");
		return IRMF_REGEXIST_UNKNOWN;
	}
	if (st == IRMF_REGEXIST_PRESENT)
		snprintf(note, cap, " (existence check: the key exists)");
	else if (st == IRMF_REGEXIST_UNKNOWN)
		snprintf(note, cap, " (existence check: no answer for the "
		    "key)");
	return st;
}

/* A command finished: look at its exit and output. */
static void
command_done(host_run *hr, int rc)
{
	const irmf_plan_cmd *c = &hr->plan->cmds[hr->cmd];
	size_t olen, elen;
	const char *out = irmf_ssh_stdout(hr->ssh, &olen);
	const char *err = irmf_ssh_stderr(hr->ssh, &elen);
	const char *sig = irmf_ssh_exit_signal(hr->ssh);
	int status = irmf_ssh_exit_status(hr->ssh);
	char line[300], note[400], msg[1100];

	if (c->format == IRMF_PLAN_REGEXIST) {
		exist_done(hr, c, rc);
		return;
	}
	if (rc != 0) {
		cmd_error(hr, c, IRMF_REASON_COMMAND_FAILED,
		    irmf_error_last()->message);
		return;
	}
	first_line(err, elen, line, sizeof(line));
	if (sig != NULL) {
		snprintf(msg, sizeof(msg), "'%s': command killed by signal %s",
		    hr->h->name, sig);
		cmd_error(hr, c, IRMF_REASON_COMMAND_FAILED, msg);
		return;
	}
	if (status != 0) {
		irmf_collect_reason why = IRMF_REASON_COMMAND_FAILED;

		note[0] = '\0';
		if (c->format == IRMF_PLAN_REGQUERY && contains_ci(err, elen,
		    "unable to find the specified registry key")) {
			add_source(hr, c, out, olen);
			return;   /* absent key: nothing to record */
		}
		if (contains_ci(err, elen, "access is denied")) {
			why = IRMF_REASON_ACCESS_DENIED;
		} else if (c->format == IRMF_PLAN_REGQUERY) {
			/* not English: ask the existence check */
			switch (reg_state(hr, c, status, note, sizeof(note))) {
			case IRMF_REGEXIST_ABSENT:
				add_source(hr, c, out, olen);
				return;   /* absent, as in English */
			case IRMF_REGEXIST_DENIED:
				why = IRMF_REASON_ACCESS_DENIED;
				break;
			default:
				break;
			}
		}
		snprintf(msg, sizeof(msg), "'%s': exit status %d%s%s%s",
		    hr->h->name, status, line[0] ? ": " : "", line, note);
		cmd_error(hr, c, why, msg);
		return;
	}
	parse_output(hr, c, out, olen);
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
	    e->o->max_output) != 0) {
		skip_rest(hr, hr->cmd, IRMF_REASON_COMMAND_FAILED,
		    irmf_error_last()->message);
		finish(e, hr);
		return 1;
	}
	return 0;
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
		if (new_snapshot(e, hr) != 0) {
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
			cmd_error(hr, &hr->plan->cmds[hr->cmd],
			    IRMF_REASON_CONNECTION, msg);
			skip_rest(hr, hr->cmd + 1, IRMF_REASON_CONNECTION,
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
		    irmf_hostcfg_dial_address(host_cfg(e, hr)),
		    host_cfg(e, hr)->connect_timeout_ms / 1000.0,
		    whole_run ? "; run deadline reached" : "");
		fail_host(e, hr, whole_run ? "deadline" : "timeout",
		    IRMF_REASON_TIMEOUT, msg);
		return;
	}
	if (hr->st == H_CONNECTING) {
		snprintf(msg, sizeof(msg), "'%s': no session within %.1f s "
		    "(connect, handshake and login%s)%s", hr->h->name,
		    host_cfg(e, hr)->connect_timeout_ms / 1000.0,
		    host_cfg(e, hr)->nhops ? ", through the jump hosts" : "",
		    whole_run ? "; run deadline reached" : "");
		fail_host(e, hr, whole_run ? "deadline" : "timeout",
		    IRMF_REASON_TIMEOUT, msg);
		return;
	}
	snprintf(msg, sizeof(msg), "'%s': %s", hr->h->name, whole_run ?
	    "run deadline reached during the command" :
	    "command did not finish in time");
	cmd_error(hr, &hr->plan->cmds[hr->cmd], IRMF_REASON_TIMEOUT, msg);
	skip_rest(hr, hr->cmd + 1, IRMF_REASON_TIMEOUT,
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
	const struct addrinfo *ai;
	const char *err;
	char msg[400];

	if (!irmf_resolver_result(e->rv, (size_t)(hr - e->runs), &ai, &err))
		return;
	if (ai == NULL) {
		snprintf(msg, sizeof(msg), "'%s': cannot resolve '%s': %s",
		    h->name, irmf_hostcfg_dial_address(host_cfg(e, hr)), err);
		fail_host(e, hr, "connection", IRMF_REASON_CONNECTION, msg);
		return;
	}
	const irmf_ssh_auth *auth = &e->auth;
	if (h->identity != NULL && (auth = irmf_hostauth_get(e->hauth,
	    h->identity, msg, sizeof(msg))) == NULL) {
		char why[500];

		snprintf(why, sizeof(why), "'%s': %s", h->name, msg);
		fail_host(e, hr, "auth", IRMF_REASON_ACCESS_DENIED, why);
		return;
	}
	hr->st = H_CONNECTING;
	/* an inventory key (ansible_ssh_private_key_file) is the host's own
	 * credentials; else those the ssh configuration gives it */
	if (irmf_hostcfg_connect(host_cfg(e, hr), ai,
	    h->identity != NULL ? auth : NULL, &hr->ssh) != 0) {
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
	hr->deadline = now() + host_cfg(e, hr)->connect_timeout_ms / 1000.0;
	if (host_cfg(e, hr)->refuse != NULL) {
		fail_host(e, hr, "ssh-config", IRMF_REASON_CONNECTION,
		    host_cfg(e, hr)->refuse);
		return;
	}
	try_connect(e, hr);
}

/* Look up every host's name in the background, in the order they start. */
static int
start_lookups(engine *e)
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
		names[i] = irmf_hostcfg_dial_address(host_cfg(e, &e->runs[i]));
		ports[i] = irmf_hostcfg_dial_port(host_cfg(e, &e->runs[i]));
	}
	r = irmf_resolver_new(&e->rv, names, ports, e->nruns, threads);
	free(names);
	free(ports);
	return r;
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
static int
bound_parallel(engine *e)
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
		while (!over && e->inflight < e->parallel && e->next < e->nruns)
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
		irmf_snapshot_free(e->runs[i].snap);
		irmf_regexist_free(e->runs[i].exist);
		irmf_plan_free(e->runs[i].own_plan);
	}
	free(e->runs);
	for (size_t i = 0; i < 16; i++)
		irmf_plan_free(e->plans[i]);
	for (size_t i = 0; i < e->auth.nkeys; i++) {
		/* private key material: wipe before freeing */
		memset(e->auth.keys[i], 0, e->auth.key_lens[i]);
		free(e->auth.keys[i]);
	}
	free(e->auth.keys);
	free(e->auth.key_lens);
	irmf_hostauth_free(e->hauth);
	irmf_hostcfgs_free(e->hc);
	irmf_knownhosts_free(e->kh);
	free(e->user);
}

static int
check_options(const irmf_collect_options *o)
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
	if ((r = check_options(o)) != 0)
		return r;
	if ((e.res = calloc(1, sizeof(*e.res))) == NULL)
		return irmf_error_oom();
	if ((r = default_user(&e)) != 0 || (r = open_known_hosts(&e)) != 0 ||
	    (r = load_identities(&e)) != 0 ||
	    (r = irmf_hostauth_new(&e.hauth, &e.auth)) != 0 ||
	    (r = irmf_hostcfgs_new(&e.hc, inv, o, e.user)) != 0 ||
	    (r = irmf_hostcfgs_bind(e.hc, e.kh, &e.auth)) != 0 ||
	    (r = select_hosts(&e, inv)) != 0 ||
	    (r = bound_parallel(&e)) != 0 || (r = save_state(&e, true)) != 0 ||
	    (r = start_lookups(&e)) != 0 || (r = run_loop(&e)) != 0)
		goto out;
	progress(&e, true);
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
