/*
 * resolve.c - host names looked up on helper threads (resolve.h).
 *
 * Each lookup is a slot written by one worker thread and published with a
 * release store of `done`; the engine reads it after an acquire load, so
 * no lock is needed.  Workers take names in index order (the order the
 * engine starts hosts in) and write a byte to a non-blocking pipe after
 * each, which wakes the engine's poll(); a full pipe already says "look".
 *
 * A thread stuck in getaddrinfo cannot be stopped, and the engine must not
 * wait for it (a dead name server answers after tens of seconds).  Letting
 * go joins the workers for a moment - normally they are idle and return
 * at once, so no thread outlives the run - and detaches those still
 * inside a lookup; the resolver is reference-counted and freed by whoever
 * lets go of it last, the engine or the last worker to return.
 */
#define _GNU_SOURCE 1   /* pthread_timedjoin_np */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "resolve.h"
#include "str.h"

#define MAX_THREADS 32

typedef struct lookup {
	char *name;
	int port;
	struct addrinfo *ai;
	char err[128];
	atomic_int done;
} lookup;

struct irmf_resolver {
	lookup *v;
	size_t n;
	atomic_size_t next;
	atomic_bool stop;        /* the engine let go: look nothing more up */
	atomic_uint refs;        /* the engine + each running worker */
	pthread_t tid[MAX_THREADS];
	unsigned nthreads;
	int pipe[2];
};

static void
destroy(irmf_resolver *r)
{
	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].ai != NULL)
			freeaddrinfo(r->v[i].ai);
		free(r->v[i].name);
	}
	if (r->pipe[0] >= 0)
		close(r->pipe[0]);
	if (r->pipe[1] >= 0)
		close(r->pipe[1]);
	free(r->v);
	free(r);
}

static void
unref(irmf_resolver *r)
{
	if (atomic_fetch_sub(&r->refs, 1) == 1)
		destroy(r);
}

static void
look_up(lookup *l)
{
	struct addrinfo hints;
	char port[16];
	int gai;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
	snprintf(port, sizeof(port), "%d", l->port);
	if ((gai = getaddrinfo(l->name, port, &hints, &l->ai)) != 0) {
		snprintf(l->err, sizeof(l->err), "%s", gai == EAI_SYSTEM ?
		    strerror(errno) : gai_strerror(gai));
		l->ai = NULL;
	}
	atomic_store_explicit(&l->done, 1, memory_order_release);
}

static void *
worker(void *arg)
{
	irmf_resolver *r = arg;

	while (!atomic_load(&r->stop)) {
		size_t i = atomic_fetch_add(&r->next, 1);
		if (i >= r->n)
			break;
		look_up(&r->v[i]);
		/* EAGAIN: the pipe is full, the engine will look anyway */
		if (write(r->pipe[1], "x", 1) < 0 && errno != EAGAIN)
			break;
	}
	return NULL;
}

static void *
worker_main(void *arg)
{
	worker(arg);
	unref(arg);
	return NULL;
}

/* Start up to `threads` workers; returns how many started. */
static unsigned
start_workers(irmf_resolver *r, unsigned threads)
{
	for (unsigned t = 0; t < threads; t++) {
		atomic_fetch_add(&r->refs, 1);
		if (pthread_create(&r->tid[r->nthreads], NULL, worker_main,
		    r) != 0) {
			atomic_fetch_sub(&r->refs, 1);
			break;
		}
		r->nthreads++;
	}
	return r->nthreads;
}
int
irmf_resolver_new(irmf_resolver **out, const char *const *names,
    const int *ports, size_t n, unsigned threads)
{
	irmf_resolver *r;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->v = calloc(n + 1, sizeof(*r->v))) == NULL) {
		free(r);
		return irmf_error_oom();
	}
	r->n = n;
	r->pipe[0] = r->pipe[1] = -1;
	atomic_init(&r->next, 0);
	atomic_init(&r->stop, false);
	atomic_init(&r->refs, 1);
	for (size_t i = 0; i < n; i++) {
		atomic_init(&r->v[i].done, 0);
		r->v[i].port = ports[i];
		if ((r->v[i].name = irmf_strdup(names[i])) == NULL) {
			irmf_resolver_free(r);
			return IRMF_ENOMEM;
		}
	}
	if (pipe(r->pipe) != 0) {
		int e = errno;
		irmf_resolver_free(r);
		return irmf_error_set(IRMF_EIO, "pipe: %s", strerror(e));
	}
	for (int k = 0; k < 2; k++) {
		fcntl(r->pipe[k], F_SETFL, fcntl(r->pipe[k], F_GETFL) | O_NONBLOCK);
		fcntl(r->pipe[k], F_SETFD, FD_CLOEXEC);
	}
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if (threads > n)
		threads = (unsigned)n;
	if (start_workers(r, threads) == 0 && n > 0)
		worker(r);   /* no thread: look everything up now, slowly */
	*out = r;
	return IRMF_OK;
}

int
irmf_resolver_fd(const irmf_resolver *r)
{
	return r->pipe[0];
}

void
irmf_resolver_drain(irmf_resolver *r)
{
	char buf[256];

	while (read(r->pipe[0], buf, sizeof(buf)) > 0)
		;
}

int
irmf_resolver_result(irmf_resolver *r, size_t i, const struct addrinfo **ai,
    const char **err)
{
	lookup *l = &r->v[i];

	*ai = NULL;
	*err = NULL;
	if (!atomic_load_explicit(&l->done, memory_order_acquire))
		return 0;
	*ai = l->ai;
	*err = l->ai == NULL ? l->err : NULL;
	return 1;
}

void
irmf_resolver_free(irmf_resolver *r)
{
	struct timespec until;

	if (r == NULL)
		return;
	atomic_store(&r->stop, true);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 200 * 1000000L;   /* idle workers need far less */
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	for (unsigned t = 0; t < r->nthreads; t++)
		if (pthread_timedjoin_np(r->tid[t], NULL, &until) != 0)
			pthread_detach(r->tid[t]);   /* in a lookup: let it be */
	unref(r);
}