/*
 * findings.c - the findings list shared by consensus, rules and reporters.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "findings.h"
#include "snapshot_int.h"

static void
finding_clear(irmf_finding *f)
{
	free(f->server);
	free(f->cohort);
	free(f->setting);
	free(f->rule_id);
	free(f->value);
	free(f->expected);
	free(f->distribution);
	free(f->explanation);
	free(f->remediation);
	free(f->suppress_reason);
	memset(f, 0, sizeof(*f));
}

int
irmf_findings_add(irmf_findings *l, const irmf_finding *src)
{
	irmf_finding *f;

	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		irmf_finding *p = realloc(l->items, ncap * sizeof(*p));
		if (p == NULL)
			return irmf_error_oom();
		l->items = p;
		l->cap = ncap;
	}
	f = &l->items[l->n];
	memset(f, 0, sizeof(*f));
	f->kind = src->kind;
	f->severity = src->severity;
	f->suppressed = src->suppressed;
	if (irmf_set_str(&f->server, src->server) < 0 ||
	    irmf_set_str(&f->cohort, src->cohort) < 0 ||
	    irmf_set_str(&f->setting, src->setting) < 0 ||
	    irmf_set_str(&f->rule_id, src->rule_id) < 0 ||
	    irmf_set_str(&f->value, src->value) < 0 ||
	    irmf_set_str(&f->expected, src->expected) < 0 ||
	    irmf_set_str(&f->distribution, src->distribution) < 0 ||
	    irmf_set_str(&f->explanation, src->explanation) < 0 ||
	    irmf_set_str(&f->remediation, src->remediation) < 0 ||
	    irmf_set_str(&f->suppress_reason, src->suppress_reason) < 0) {
		finding_clear(f);
		return IRMF_ENOMEM;
	}
	if (f->suppressed)
		l->nsuppressed++;
	l->n++;
	return IRMF_OK;
}

static int
cmp_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_finding(const void *pa, const void *pb)
{
	const irmf_finding *a = pa, *b = pb;
	int c;

	if (a->severity != b->severity)
		return (int)b->severity - (int)a->severity;
	if ((c = cmp_str(a->server, b->server)) != 0)
		return c;
	if ((c = cmp_str(a->setting, b->setting)) != 0)
		return c;
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	return cmp_str(a->rule_id, b->rule_id);
}

int
irmf_findings_move(irmf_findings *dst, irmf_findings *src)
{
	int rc = IRMF_OK;

	if (src->n > 0 && dst->cap - dst->n < src->n) {
		size_t ncap = dst->n + src->n;
		irmf_finding *p = realloc(dst->items, ncap * sizeof(*p));
		if (p == NULL) {
			rc = irmf_error_oom();
			goto out;
		}
		dst->items = p;
		dst->cap = ncap;
	}
	if (src->n > 0) {
		memcpy(dst->items + dst->n, src->items,
		    src->n * sizeof(*src->items));
		dst->n += src->n;
		dst->nsuppressed += src->nsuppressed;
		src->n = 0;
	}
out:
	irmf_findings_clear(src);
	return rc;
}

void
irmf_findings_sort(irmf_findings *l)
{
	if (l->n > 1)
		qsort(l->items, l->n, sizeof(l->items[0]), cmp_finding);
}

void
irmf_finding_clear(irmf_finding *f)
{
	finding_clear(f);
}

void
irmf_findings_clear(irmf_findings *l)
{
	for (size_t i = 0; i < l->n; i++)
		finding_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

size_t
irmf_findings_active(const irmf_findings *l)
{
	return l->n - l->nsuppressed;
}

const char *
irmf_finding_kind_name(irmf_finding_kind k)
{
	static const char *names[] = { "outlier", "split", "rule", "missing",
	    "not-collected" };

	if ((unsigned)k < sizeof(names) / sizeof(names[0]))
		return names[k];
	return "unknown";
}

const char *
irmf_severity_name(irmf_severity s)
{
	static const char *names[] = { "info", "warning", "error" };

	if ((unsigned)s < sizeof(names) / sizeof(names[0]))
		return names[s];
	return "unknown";
}
