/*
 * ingest.c - bytes -> snapshot items through the format table (detect.h),
 * the one ingest path of `collect` and `import` (ingest.h).  The row
 * decides the parser and the policy; the caller only says whether the
 * bytes are a collect answer or a file.  Formats that describe objects
 * are parsed into a scratch snapshot and merged (snapshot_merge.c), so a
 * parse failure leaves nothing behind; registry exports from files apply
 * in place, in order, as regedit applies them.
 */
#include <string.h>

#include "error.h"
#include "ingest.h"

/* The row's parser, with the query's window when the caller knows it. */
static int
run_parser(const irmf_format *f, irmf_snapshot *snap, const char *buf,
    size_t len, const irmf_ingest_opts *o)
{
	if (o->event_ids != NULL && f->parse_query != NULL)
		return f->parse_query(snap, buf, len, o->name, o->event_ids,
		    o->event_cap);
	return f->parse(snap, buf, len, o->name);
}

/* A file straight into the target (registry exports: deletions apply). */
static int
parse_in_place(irmf_snapshot *snap, const char *buf, size_t len,
    const irmf_ingest_opts *o, irmf_ingest_result *res)
{
	size_t before = snap->nerrors;
	int rc = run_parser(res->format, snap, buf, len, o);

	res->parse_failed = rc < 0;
	res->errors = snap->nerrors - before;
	return rc;
}

/* Into a scratch snapshot of the same server, merged on success. */
static int
parse_apart(irmf_snapshot *snap, const char *buf, size_t len,
    const irmf_ingest_opts *o, irmf_ingest_result *res)
{
	irmf_snapshot *part = NULL;
	int rc;

	if ((rc = irmf_snapshot_new(&part, snap->server)) < 0)
		return rc;
	rc = run_parser(res->format, part, buf, len, o);
	/* a well-formed file of something else: say so, go on */
	if (rc == IRMF_EUNSUPPORTED && !o->answer &&
	    (res->format->flags & IRMF_FORMAT_UNUSED_WARNS)) {
		if (o->warn != NULL)
			o->warn(irmf_error_last()->message, o->warn_payload);
		irmf_error_clear();
		rc = IRMF_OK;
	}
	if (rc < 0) {
		res->parse_failed = true;
	} else {
		res->errors = part->nerrors;
		rc = irmf_snapshot_merge(snap, part);
	}
	irmf_snapshot_free(part);
	return rc;
}

int
irmf_ingest(irmf_snapshot *snap, const char *buf, size_t len,
    const irmf_ingest_opts *o, irmf_ingest_result *res)
{
	const irmf_format *f = o->format;
	int rc;

	memset(res, 0, sizeof(*res));
	if (f == NULL && (rc = irmf_detect(buf, len, o->name, &f)) < 0) {
		res->parse_failed = rc != IRMF_ENOMEM;
		return rc;
	}
	res->format = f;
	if (f->parse == NULL)
		return irmf_error_set(IRMF_EUNSUPPORTED, "%s: %s is not read "
		    "into a snapshot", o->name, f->name);
	if (o->answer && f->empty != NULL && f->empty(buf, len)) {
		res->nothing = true;   /* e.g. no RMS URL to probe */
		return IRMF_OK;
	}
	if (!o->answer && (f->flags & IRMF_FORMAT_IN_PLACE))
		return parse_in_place(snap, buf, len, o, res);
	return parse_apart(snap, buf, len, o, res);
}
