/*
 * snapshot_read.c - a snapshot file into the model, in one streaming pass
 * (schemas/snapshot.xsd, docs/snapshot-format.md).
 *
 * Compare and audit load thousands of snapshots, so reading must cost
 * little more than parsing: the parser's events go to the schema
 * validator and to this file's handlers at once (irmf_xml_stream_validate),
 * and the model is built as the elements go by; no tree is built, walked
 * or freed.
 *
 * The schema checks structure.  What XSD 1.0 cannot say - registry data
 * that must match the value's type, one of "name"/"nameBase64", duplicate
 * keys, values and properties - is checked here, with the element's line.
 * Because the handlers see an element before the validator does, a model
 * error is only kept (the rest of the document is still validated) and
 * reported when the document turned out valid: a schema error always wins,
 * as it did when the tree was validated first.  Root, namespace and format
 * version (1 or 2) are checked at the root element and stop the parse, so
 * a file of another kind gets a message that says so.  Version 2's
 * <generation> is kept aside for validate only (identity.c derives the
 * generation from the content; nothing trusts the recorded one).
 *
 * Strings XML 1.0 cannot carry are base64 in the file: attribute "x"
 * becomes "xBase64", element text gets encoding="base64".
 *
 * This file holds the parser callbacks and the entry points; the element
 * handlers are snapshot_read_elem.c, their helpers snapshot_read_util.c
 * (shared state: snapshot_read_int.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "snapshot_read_int.h"

#define XSD_NAME "snapshot.xsd"

/* The format's element names; the text flag: carries text the model
 * keeps. */
static const struct {
	const char *name;
	el_code code;
	bool text;       /* carries text the model keeps */
} elements[] = {
	/* the most frequent first: the table is searched linearly */
	{ "value", E_VALUE, false }, { "key", E_KEY, false },
	{ "item", E_ITEM, true }, { "property", E_PROPERTY, false },
	{ "snapshot", E_SNAPSHOT, false }, { "identity", E_IDENTITY, false },
	{ "server", E_SERVER, true }, { "fqdn", E_FQDN, true },
	{ "roles", E_ROLES, false }, { "role", E_ROLE, true },
	{ "product", E_PRODUCT, false }, { "os", E_OS, true },
	{ "collectedAt", E_COLLECTED_AT, true }, { "method", E_METHOD, true },
	{ "collector", E_COLLECTOR, false }, { "sources", E_SOURCES, false },
	{ "source", E_SOURCE, false }, { "registry", E_REGISTRY, false },
	{ "irmConfiguration", E_IRM_CONFIG, false },
	{ "irmTest", E_IRM_TEST, false },
	{ "step", E_STEP, false }, { "check", E_CHECK, true },
	{ "message", E_MESSAGE, true }, { "files", E_FILES, false },
	{ "file", E_FILE, false }, { "security", E_SECURITY, false },
	{ "computerAccount", E_COMPUTER_ACCOUNT, true },
	{ "groups", E_GROUPS, false }, { "group", E_GROUP, true },
	{ "serviceAccounts", E_SERVICE_ACCOUNTS, false },
	{ "account", E_ACCOUNT, true },
	{ "authorizations", E_AUTHORIZATIONS, false },
	{ "authorization", E_AUTHORIZATION, false },
	{ "events", E_EVENTS, false }, { "event", E_EVENT, false },
	{ "window", E_WINDOW, false },
	{ "probes", E_PROBES, false }, { "probe", E_PROBE, false },
	{ "errors", E_ERRORS, false }, { "error", E_ERROR, false },
	{ "skipped", E_SKIPPED, false }, { "skip", E_SKIP, false },
	{ "keyAcl", E_KEY_ACL, false },
	{ "generation", E_GENERATION, false },
	{ "evidence", E_EVIDENCE, false },
};

/* ------------------------------------------------------------ handlers */

static el_code
lookup(const char *local, bool *text)
{
	for (size_t i = 0; i < sizeof(elements) / sizeof(elements[0]); i++)
		if (strcmp(elements[i].name, local) == 0) {
			*text = elements[i].text;
			return elements[i].code;
		}
	*text = false;
	return E_OTHER;
}

/* Keep the first model error and skip the rest of the model: the schema
 * may still have something to say, and its word comes first. */
static void
model_failed(reader *r, int rc)
{
	if (r->rc != 0)
		return;
	r->rc = rc;
	snprintf(r->msg, sizeof(r->msg), "%s", irmf_error_last()->message);
	srd_pending_clear(&r->p);
}

static int
on_start(void *ud, long line, const char *local, const char *uri,
    const irmf_xml_attr *attrs, size_t nattrs)
{
	reader *r = ud;
	frame *f;
	const irmf_xml_attr *plain, *enc;
	int rc;

	if (r->depth++ >= MAX_DEPTH)
		return IRMF_OK;   /* deeper than the format: the schema says so */
	f = &r->stack[r->depth - 1];
	f->code = lookup(local, &f->text);
	f->line = line;
	r->attrs = attrs;
	r->nattrs = nattrs;
	r->local = local;
	irmf_buf_reset(&r->text);
	f->b64 = false;
	if (f->text) {
		srd_find_pair(r, "encoding", &plain, &enc);
		f->b64 = plain != NULL && plain->len == 6 &&
		    memcmp(plain->value, "base64", 6) == 0;
	}
	if (r->depth == 1 && (rc = srd_start_root(r, local, uri)) < 0) {
		r->stopped = true;
		return rc;   /* stops the parse */
	}
	if (r->depth == 1)
		return IRMF_OK;
	if (r->rc == 0 && (rc = srd_start_child(r, srd_parent(r), f->code)) < 0)
		model_failed(r, rc);
	return IRMF_OK;
}

static int
on_end(void *ud, long line, const char *local)
{
	reader *r = ud;
	int rc;

	(void)line;
	(void)local;
	if (r->depth > MAX_DEPTH) {
		r->depth--;
		return IRMF_OK;
	}
	if (r->rc == 0 && r->depth >= 2 &&
	    (rc = srd_end_child(r, srd_parent(r), r->stack[r->depth - 1].code)) < 0)
		model_failed(r, rc);
	irmf_buf_reset(&r->text);
	r->depth--;
	return IRMF_OK;
}

static int
on_text(void *ud, const char *s, size_t len)
{
	reader *r = ud;

	if (r->depth == 0 || r->depth > MAX_DEPTH ||
	    !r->stack[r->depth - 1].text || r->rc != 0)
		return IRMF_OK;
	return irmf_buf_addn(&r->text, s, len);
}

static const irmf_xml_handler handler = { on_start, on_end, on_text };

/* parse + schema + model in one pass; every problem goes to `report` when
 * it is not NULL (all schema errors, else the first model error). */
static int
load(const char *buf, size_t len, const char *name, irmf_report_fn report,
    void *payload, irmf_snapshot **out)
{
	reader r;
	bool ours;
	int rc;

	if (out != NULL)
		*out = NULL;
	memset(&r, 0, sizeof(r));
	r.name = name;
	TRY(irmf_snapshot_new(&r.s, NULL));
	rc = irmf_xml_stream_validate(buf, len, XSD_NAME, IRMF_SNAPSHOT_NS,
	    name, &handler, &r, report, payload);
	ours = r.stopped;   /* the root's error */
	if (rc == 0 && r.rc != 0) {
		rc = irmf_error_set(r.rc, "%s", r.msg);
		ours = true;
	}
	/* the stream reports parser and schema errors, not ours */
	if (rc < 0 && report != NULL && ours)
		report(irmf_error_last()->message, payload);
	srd_pending_clear(&r.p);
	irmf_buf_free(&r.text);
	if (rc == 0 && out != NULL)
		*out = r.s;
	else
		irmf_snapshot_free(r.s);
	return rc;
}

int
irmf_snapshot_load_buffer(irmf_snapshot **out, const char *buf, size_t len,
    const char *name)
{
	return load(buf, len, name ? name : "(buffer)", NULL, NULL, out);
}

/* Read the file, then load(); a file that cannot be read is reported too. */
static int
load_file(const char *path, irmf_report_fn report, void *payload,
    irmf_snapshot **out)
{
	char *buf = NULL;
	size_t len;
	int rc;

	if ((rc = irmf_file_read(path, IRMF_XML_MAX_INPUT, &buf, &len)) < 0) {
		if (report != NULL)
			report(irmf_error_last()->message, payload);
		return rc;
	}
	rc = load(buf, len, path, report, payload, out);
	free(buf);
	return rc;
}

int
irmf_snapshot_load(irmf_snapshot **out, const char *path)
{
	*out = NULL;
	return load_file(path, NULL, NULL, out);
}

int
irmf_snapshot_validate_file(const char *path, irmf_report_fn report,
    void *payload)
{
	return load_file(path, report, payload, NULL);
}
