/*
 * changes.c - lists of changes (irmf_changes, include/irmfleet/store.h):
 * the drift of a run, the history timeline and stale servers all come
 * back as one list of these, in one of two orders.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "store_db.h"

static const char *const change_names[] = {
	"added", "removed", "changed", "new-server", "failed",
	"not-collected", "absent", "stale"
};

const char *
irmf_change_kind_name(irmf_change_kind k)
{
	if ((unsigned)k < sizeof(change_names) / sizeof(change_names[0]))
		return change_names[k];
	return "unknown";
}

bool
irmf_change_is_unchecked(irmf_change_kind k)
{
	return k == IRMF_CHANGE_FAILED || k == IRMF_CHANGE_NOT_COLLECTED ||
	    k == IRMF_CHANGE_ABSENT || k == IRMF_CHANGE_STALE;
}

void
irmf__change_free(irmf_change *c)
{
	free(c->server);
	free(c->setting);
	free(c->old_value);
	free(c->new_value);
	free(c->old_since);
	free(c->at);
	free(c->message);
}

void
irmf_changes_clear(irmf_changes *c)
{
	for (size_t i = 0; i < c->n; i++)
		irmf__change_free(&c->items[i]);
	free(c->items);
	memset(c, 0, sizeof(*c));
}

/* Append a change; the strings are copied. */
int
irmf__changes_add(irmf_changes *c, irmf_change_kind kind, int64_t run,
    const char *server, const char *setting, const char *old_value,
    const char *new_value, const char *old_since, const char *at,
    const char *message)
{
	irmf_change *x;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		irmf_change *p = realloc(c->items, ncap * sizeof(*p));
		if (p == NULL)
			return irmf_error_oom();
		c->items = p;
		c->cap = ncap;
	}
	x = &c->items[c->n];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->run_id = run;
	if ((server && !(x->server = irmf_strdup(server))) ||
	    (setting && !(x->setting = irmf_strdup(setting))) ||
	    (old_value && !(x->old_value = irmf_strdup(old_value))) ||
	    (new_value && !(x->new_value = irmf_strdup(new_value))) ||
	    (old_since && !(x->old_since = irmf_strdup(old_since))) ||
	    (at && !(x->at = irmf_strdup(at))) ||
	    (message && !(x->message = irmf_strdup(message)))) {
		irmf__change_free(x);
		return IRMF_ENOMEM;
	}
	c->n++;
	return IRMF_OK;
}

static int
nullcmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcasecmp(a, b);
}

/* Drift order: server, then setting. */
int
irmf__cmp_drift(const void *pa, const void *pb)
{
	const irmf_change *a = pa, *b = pb;
	int c = nullcmp(a->server, b->server);

	return c ? c : nullcmp(a->setting, b->setting);
}

/* History order: newest run first, then server, setting. */
int
irmf__cmp_history(const void *pa, const void *pb)
{
	const irmf_change *a = pa, *b = pb;

	if (a->run_id != b->run_id)
		return a->run_id > b->run_id ? -1 : 1;
	return irmf__cmp_drift(pa, pb);
}
