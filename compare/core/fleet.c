/*
 * fleet.c - load the snapshots of a fleet (fleet.h).
 *
 * Loading is the bulk of a comparison's time (parsing and validating
 * every snapshot), and the files are independent, so with threads > 1 the
 * files are loaded by a small pool of threads that take the next file
 * from a shared counter.  Results land in per-file slots and are appended
 * in file order, so the fleet (and every report) is the same whatever the
 * thread count.  The last-error convention is thread-local: a worker keeps
 * its failure message in the slot and the caller re-raises the first one.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "error.h"
#include "fileio.h"
#include "fleet.h"
#include "irmfleet/compare.h"
#include "strpool.h"

/* Append a member; an owned snap is freed when appending fails. */
static int
fleet_append(irmf_fleet *f, irmf_snapshot *snap, const char *path,
    bool borrowed)
{
	irmf_member *m;
	int rc = IRMF_OK;

	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 16;
		irmf_member *p = realloc(f->members, ncap * sizeof(*p));
		if (p == NULL) {
			rc = irmf_error_oom();
			goto fail;
		}
		f->members = p;
		f->cap = ncap;
	}
	m = &f->members[f->n];
	memset(m, 0, sizeof(*m));
	if (path != NULL && (m->path = irmf_strdup(path)) == NULL) {
		rc = IRMF_ENOMEM;
		goto fail;
	}
	m->snap = snap;
	m->borrowed = borrowed;
	f->n++;
	return IRMF_OK;
fail:
	if (!borrowed)
		irmf_snapshot_free(snap);
	return rc;
}

int
irmf_fleet_add(irmf_fleet *f, irmf_snapshot *snap, const char *path)
{
	return fleet_append(f, snap, path, false);
}

int
irmf_fleet_add_borrowed(irmf_fleet *f, const irmf_snapshot *snap,
    const char *path)
{
	/* members are only read; `borrowed` keeps clear() from freeing */
	return fleet_append(f, (irmf_snapshot *)snap, path, true);
}

void
irmf_fleet_clear(irmf_fleet *f)
{
	/* The pool first: pooled settings never touch their strings when
	 * cleared, and freeing the pool's big blocks makes glibc consolidate
	 * the small chunks freed before - after the snapshots, millions of
	 * them; now, hardly any (a third of the time of a 10,000-snapshot
	 * clear went there). */
	irmf_strpool_free(f->pool);
	f->pool = NULL;
	for (size_t i = 0; i < f->n; i++) {
		if (!f->members[i].borrowed)
			irmf_snapshot_free(f->members[i].snap);
		free(f->members[i].path);
		irmf_settings_clear(&f->members[i].settings);
	}
	free(f->members);
	memset(f, 0, sizeof(*f));
}

/* ------------------------------------------------------------ expanding */

static bool
has_xml_suffix(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcasecmp(name + n - 4, ".xml") == 0;
}

static int
cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether a directory entry is a file to read; if not, why, as a
 * warning naming it (a FIFO would hang the read, a link to /dev/zero
 * would read forever; links to regular files are fine). */
static int
entry_usable(const char *full, irmf_strlist *warnings, bool *usable)
{
	struct stat st;
	const char *why;
	char msg[4200];

	*usable = false;
	if (stat(full, &st) != 0)
		why = errno == ENOENT ? "dangling link" : strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = irmf_file_kind(st.st_mode);
	else
		return (*usable = true), IRMF_OK;
	snprintf(msg, sizeof(msg), "'%s': skipped: %s", full, why);
	return warnings ? irmf_strlist_add(warnings, msg) : IRMF_OK;
}

static int
expand_dir(const char *path, irmf_strlist *files, irmf_strlist *warnings)
{
	DIR *d = opendir(path);
	struct dirent *de;
	size_t first = files->n, plen = strlen(path);
	size_t wfirst = warnings ? warnings->n : 0;
	int rc = IRMF_OK;

	if (d == NULL)
		return irmf_error_set(IRMF_EIO, "'%s': %s", path,
		    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		char *full;
		bool usable;
		if (de->d_name[0] == '.' || !has_xml_suffix(de->d_name))
			continue;
		if ((full = malloc(plen + strlen(de->d_name) + 2)) == NULL) {
			rc = irmf_error_oom();
			goto out;
		}
		strcpy(full, path);
		if (plen > 0 && path[plen - 1] != '/')
			strcat(full, "/");
		strcat(full, de->d_name);
		rc = entry_usable(full, warnings, &usable);
		if (rc == IRMF_OK && usable)
			rc = irmf_strlist_add(files, full);
		free(full);
		if (rc < 0)
			goto out;
	}
	if (files->n == first) {
		rc = irmf_error_set(IRMF_ENOTFOUND,
		    "'%s': no snapshot files (*.xml) in directory", path);
		goto out;
	}
	qsort(files->items + first, files->n - first, sizeof(char *),
	    cmp_cstr);
out:
	/* in name order too, not readdir's (qsort of nothing is still
	 * undefined with a NULL array) */
	if (warnings != NULL && warnings->n > wfirst)
		qsort(warnings->items + wfirst, warnings->n - wfirst,
		    sizeof(char *), cmp_cstr);
	closedir(d);
	return rc;
}

int
irmf_fleet_expand_path(const char *path, irmf_strlist *files,
    irmf_strlist *warnings)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return irmf_error_set(errno == ENOENT ? IRMF_ENOTFOUND :
		    IRMF_EIO, "'%s': %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return expand_dir(path, files, warnings);
	return irmf_strlist_add(files, path);
}

/* -------------------------------------------------------------- loading */

typedef struct load_slot {
	irmf_snapshot *snap;
	irmf_settings settings;
	int rc;
	char *msg;        /* failure message (malloc'd) */
} load_slot;

typedef struct load_job {
	irmf_strpool *pool;
	char *const *files;
	load_slot *slots;
	size_t n;
	atomic_size_t next;
	atomic_bool failed;   /* stop early after the first failure */
	bool keep_going;      /* ... unless every file is wanted */
} load_job;

/* flattening is per snapshot too: done while the data is hot and in
 * parallel, straight into the fleet's pool (f: this thread's scratch) */
static void
load_one(load_job *job, irmf_flattener *f, size_t i)
{
	load_slot *s = &job->slots[i];

	irmf_error_clear();
	s->rc = irmf_snapshot_load(&s->snap, job->files[i]);
	if (s->rc == IRMF_OK)
		s->rc = irmf_flattener_extract(f, s->snap, &s->settings);
	if (s->rc < 0) {
		const irmf_error *e = irmf_error_last();
		s->msg = strdup(e->message[0] ? e->message :
		    irmf_error_name(s->rc));
		atomic_store(&job->failed, true);
	}
}

static void *
load_worker(void *arg)
{
	load_job *job = arg;
	irmf_flattener f;

	irmf_flattener_init(&f, job->pool);
	for (;;) {
		size_t i = atomic_fetch_add(&job->next, 1);
		if (i >= job->n || (!job->keep_going &&
		    atomic_load(&job->failed)))
			break;
		load_one(job, &f, i);
	}
	irmf_flattener_release(&f);
	return NULL;
}

/* Run the pool; falls back to the calling thread if threads cannot be
 * created (the work is the same, only slower). */
static void
load_all(load_job *job, unsigned threads)
{
	pthread_t tid[64];
	unsigned started = 0;

	if (threads > 64)
		threads = 64;
	if (threads > job->n)
		threads = (unsigned)job->n;
	for (unsigned t = 1; t < threads; t++) {
		if (pthread_create(&tid[started], NULL, load_worker, job) != 0)
			break;
		started++;
	}
	load_worker(job);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
}

int
irmf_fleet_load(irmf_fleet *f, char *const *files, size_t n,
    unsigned threads)
{
	return irmf_fleet_load_each(f, files, n, threads, NULL, NULL);
}

int
irmf_fleet_load_each(irmf_fleet *f, char *const *files, size_t n,
    unsigned threads, irmf_fleet_load_fn each, void *payload)
{
	load_job job;
	int rc = IRMF_OK;

	memset(&job, 0, sizeof(job));
	job.files = files;
	job.n = n;
	job.keep_going = each != NULL;
	atomic_init(&job.next, 0);
	atomic_init(&job.failed, false);
	if (n == 0)
		return IRMF_OK;
	if (f->pool == NULL && (rc = irmf_strpool_new(&f->pool)) < 0)
		return rc;
	job.pool = f->pool;
	if ((job.slots = calloc(n, sizeof(*job.slots))) == NULL)
		return irmf_error_oom();
	load_all(&job, threads ? threads : 1);
	for (size_t i = 0; i < n; i++) {
		load_slot *s = &job.slots[i];
		if (s->rc < 0 && each != NULL)
			each(i, NULL, s->msg ? s->msg : irmf_error_name(s->rc),
			    payload);
		if (rc == IRMF_OK && s->rc < 0)
			rc = irmf_error_set(s->rc, "%s", s->msg ? s->msg :
			    irmf_error_name(s->rc));
		if ((rc == IRMF_OK || each != NULL) && s->snap != NULL) {
			/* keep the first failure when going on past it */
			int arc = irmf_fleet_add(f, s->snap, files[i]);
			s->snap = NULL;
			if (rc == IRMF_OK)
				rc = arc;
			if (arc == IRMF_OK) {
				irmf_member *m = &f->members[f->n - 1];
				m->settings = s->settings;
				memset(&s->settings, 0, sizeof(s->settings));
				irmf_cohort_remember(m->snap);
				m->cohort = irmf_cohort_of(m->snap);
				m->prepared = true;
				if (each != NULL)
					each(i, m, NULL, payload);
			}
		}
		irmf_snapshot_free(s->snap);
		irmf_settings_clear(&s->settings);
		free(s->msg);
	}
	free(job.slots);
	return rc;
}

/* ------------------------------------------------------------ checking */

bool
irmf_compare_name_mismatch(const irmf_snapshot *snap, const char *path,
    char *msg, size_t msglen)
{
	const char *base = path ? strrchr(path, '/') : NULL;
	size_t n;

	base = base ? base + 1 : path;
	if (base == NULL || snap->server == NULL || !has_xml_suffix(base))
		return false;
	n = strlen(base) - 4;
	if (strlen(snap->server) == n && strncasecmp(base, snap->server,
	    n) == 0)
		return false;
	snprintf(msg, msglen, "'%s': the file is named '%.*s' but holds "
	    "server '%s' (copied or renamed?)", path, (int)n, base,
	    snap->server);
	return true;
}

int
irmf_fleet_check_names(const irmf_fleet *f, irmf_strlist *warnings)
{
	char msg[4400];
	int rc;

	for (size_t i = 0; i < f->n; i++)
		if (irmf_compare_name_mismatch(f->members[i].snap,
		    f->members[i].path, msg, sizeof(msg)) &&
		    (rc = irmf_strlist_add(warnings, msg)) < 0)
			return rc;
	return IRMF_OK;
}

static int
cmp_member_name(const void *a, const void *b)
{
	const irmf_member *x = *(irmf_member *const *)a;
	const irmf_member *y = *(irmf_member *const *)b;
	const char *sx = x->snap->server ? x->snap->server : "";
	const char *sy = y->snap->server ? y->snap->server : "";

	return strcasecmp(sx, sy);
}

int
irmf_fleet_check_unique(const irmf_fleet *f)
{
	irmf_member **v;
	int rc = IRMF_OK;

	if (f->n < 2)
		return IRMF_OK;
	if ((v = malloc(f->n * sizeof(*v))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < f->n; i++)
		v[i] = &f->members[i];
	qsort(v, f->n, sizeof(*v), cmp_member_name);
	for (size_t i = 1; i < f->n; i++) {
		const irmf_member *a = v[i - 1], *b = v[i];
		if (a > b) {
			const irmf_member *t = a;
			a = b;
			b = t;
		}
		if (cmp_member_name(&v[i - 1], &v[i]) == 0) {
			rc = irmf_error_set(IRMF_EUSAGE,
			    "'%s' and '%s': two snapshots of server '%s'",
			    a->path ? a->path : "(memory)",
			    b->path ? b->path : "(memory)",
			    a->snap->server ? a->snap->server : "");
			break;
		}
	}
	free(v);
	return rc;
}

int
irmf_fleet_prepare(irmf_fleet *f)
{
	irmf_flattener fl;
	int rc = IRMF_OK;

	irmf_flattener_init(&fl, NULL);
	for (size_t i = 0; i < f->n; i++) {
		irmf_member *m = &f->members[i];

		if (m->snap->server == NULL || m->snap->server[0] == '\0') {
			rc = irmf_error_set(IRMF_EPARSE,
			    "'%s': snapshot has no server name",
			    m->path ? m->path : "(memory)");
			goto out;
		}
		if (m->prepared)
			continue;
		/* members added one by one share the pool of loaded ones */
		if (f->pool == NULL && (rc = irmf_strpool_new(&f->pool)) < 0)
			goto out;
		fl.pool = f->pool;
		irmf_cohort_remember(m->snap);
		m->cohort = irmf_cohort_of(m->snap);
		if ((rc = irmf_flattener_extract(&fl, m->snap,
		    &m->settings)) < 0)
			goto out;
		m->prepared = true;
	}
out:
	irmf_flattener_release(&fl);
	return rc;
}
