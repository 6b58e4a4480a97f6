/*
 * snapshot_xml.c - a snapshot model to its XML file
 * (schemas/snapshot.xsd, docs/snapshot-format.md); reading is
 * snapshot_read.c.
 *
 * Writing streams the model in the schema's order, validates the bytes
 * against the schema (so the tool never writes a file it would itself
 * reject), is deterministic - the same model always gives the same bytes,
 * which the audit store relies on when it hashes snapshots - and saves
 * atomically.
 *
 * Strings XML 1.0 cannot carry (control characters, invalid UTF-8) are
 * base64-encoded: attribute "x" becomes "xBase64", element text gets
 * encoding="base64".  So any model round-trips exactly.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "buf.h"
#include "error.h"
#include "fileio.h"
#include "identity.h"
#include "snapshot_int.h"
#include "xmlutil.h"

#define XSD_NAME "snapshot.xsd"
#define X(s) ((const xmlChar *)(s))
#define TRY(expr) do { int try_rc_ = (expr); if (try_rc_ < 0) return try_rc_; } while (0)

/* =============================================================== base64 */

static char *
b64_encode(const char *s)
{
	irmf_buf b = IRMF_BUF_INIT;

	irmf_buf_add_base64(&b, s, strlen(s));
	return irmf_buf_take(&b);
}

/* =============================================================== writer */

/* The writer streams the model through irmf_xml_writer (xmlTextWriter):
 * no tree, so a snapshot of a whole hive costs one growing buffer instead
 * of millions of nodes.  Element and attribute order is the schema's. */
typedef irmf_xml_writer W;

static int
el(W *w, const char *name)
{
	return irmf_xml_writer_start(w, name);
}

static int
el_end(W *w)
{
	return irmf_xml_writer_end(w);
}

static int
set_attr(W *w, const char *attr, const char *val)
{
	return irmf_xml_writer_attr(w, attr, val);
}

/* A string attribute; NULL writes nothing, text XML cannot carry goes to
 * the "<attr>Base64" twin. */
static int
set_str_attr(W *w, const char *attr, const char *val)
{
	char twin[64];
	char *enc;
	int rc;

	if (val == NULL)
		return IRMF_OK;
	if (irmf_xml_text_ok(val))
		return set_attr(w, attr, val);
	snprintf(twin, sizeof(twin), "%sBase64", attr);
	if ((enc = b64_encode(val)) == NULL)
		return IRMF_ENOMEM;
	rc = set_attr(w, twin, enc);
	free(enc);
	return rc;
}

static int
set_num_attr(W *w, const char *attr, unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", v);
	return set_attr(w, attr, buf);
}

static int
set_int_attr(W *w, const char *attr, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return set_attr(w, attr, buf);
}

/* A text element; NULL writes nothing, "" an empty element. */
static int
add_text_el(W *w, const char *name, const char *val)
{
	char *enc;
	int rc;

	if (val == NULL)
		return IRMF_OK;
	TRY(el(w, name));
	if (irmf_xml_text_ok(val)) {
		TRY(irmf_xml_writer_text(w, val));
		return el_end(w);
	}
	if ((enc = b64_encode(val)) == NULL)
		return IRMF_ENOMEM;
	if ((rc = set_attr(w, "encoding", "base64")) == 0)
		rc = irmf_xml_writer_text(w, enc);
	free(enc);
	TRY(rc);
	return el_end(w);
}

/* <generation> (formatVersion 2): what identity.c derives from the
 * content, with its evidence, so a person or another tool reading the
 * file sees the generation and why.  It is a function of the content, so
 * the writer stays deterministic; readers never trust it (they derive it
 * again).  Nothing for servers without a generation (FCI, connector). */
static int
write_generation(W *w, const irmf_snapshot *s)
{
	irmf_identity id;

	irmf_identity_of(s, &id);
	if (id.generation == IRMF_GEN_NONE)
		return IRMF_OK;
	TRY(el(w, "generation"));
	TRY(set_attr(w, "name", irmf_generation_name(id.generation)));
	if (id.build[0] != '\0') {
		TRY(set_str_attr(w, "build", id.build));
		TRY(set_str_attr(w, "buildSource", id.build_source));
		TRY(set_attr(w, "buildExact", id.build_exact ? "true" :
		    "false"));
	}
	for (size_t i = 0; i < id.nevidence; i++) {
		const irmf_evidence *e = &id.evidence[i];
		TRY(el(w, "evidence"));
		TRY(set_attr(w, "rank", irmf_evidence_rank_name(e->rank)));
		TRY(set_str_attr(w, "source", e->source));
		TRY(set_str_attr(w, "value", e->value));
		TRY(set_attr(w, "says", irmf_generation_name(e->says)));
		TRY(el_end(w));
	}
	return el_end(w);
}

static int
write_identity(W *w, const irmf_snapshot *s)
{
	TRY(el(w, "identity"));
	TRY(add_text_el(w, "server", s->server));
	TRY(add_text_el(w, "fqdn", s->fqdn));
	TRY(el(w, "roles"));
	for (unsigned i = 0; i < 4; i++)
		if (s->roles & (1u << i))
			TRY(add_text_el(w, "role",
			    irmf_role_name((irmf_role)(1u << i))));
	TRY(el_end(w));
	if (s->product != NULL || s->product_build != NULL ||
	    s->exchange_roles != NULL) {
		TRY(el(w, "product"));
		TRY(set_str_attr(w, "name", s->product));
		TRY(set_str_attr(w, "build", s->product_build));
		TRY(set_str_attr(w, "exchangeRoles", s->exchange_roles));
		TRY(el_end(w));
	}
	TRY(write_generation(w, s));
	TRY(add_text_el(w, "os", s->os_version));
	TRY(add_text_el(w, "collectedAt", s->collected_at));
	TRY(add_text_el(w, "method", irmf_method_name(s->method)));
	if (s->collector_name != NULL || s->collector_version != NULL) {
		TRY(el(w, "collector"));
		TRY(set_str_attr(w, "name", s->collector_name));
		TRY(set_str_attr(w, "version", s->collector_version));
		TRY(el_end(w));
	}
	if (s->nsources > 0) {
		TRY(el(w, "sources"));
		for (size_t i = 0; i < s->nsources; i++) {
			TRY(el(w, "source"));
			TRY(set_str_attr(w, "file", s->sources[i].file));
			if (s->sources[i].sha256 != NULL)
				TRY(set_attr(w, "sha256", s->sources[i].sha256));
			TRY(set_str_attr(w, "format", s->sources[i].format));
			TRY(el_end(w));
		}
		TRY(el_end(w));
	}
	return el_end(w);
}

/* Binary data as lower-case hex; *scratch is reused across values. */
static int
write_hex(W *w, const irmf_reg_value *v, irmf_buf *scratch)
{
	irmf_buf_reset(scratch);
	TRY(irmf_buf_add_hex(scratch, v->bin, v->nbin));
	return set_attr(w, "data", irmf_buf_str(scratch));
}

static int
write_value(W *w, const irmf_reg_value *v, irmf_buf *scratch)
{
	TRY(el(w, "value"));
	TRY(set_str_attr(w, "name", v->name ? v->name : ""));
	TRY(set_attr(w, "type", irmf_reg_type_name(v->type)));
	if (irmf_reg_type_is_string(v->type))
		TRY(set_str_attr(w, "data", v->str ? v->str : ""));
	else if (irmf_reg_type_is_number(v->type))
		TRY(set_num_attr(w, "data", (unsigned long long)v->num));
	else if (v->type == IRMF_REG_MULTI_SZ)
		for (size_t i = 0; i < v->nmulti; i++)
			TRY(add_text_el(w, "item",
			    v->multi[i] ? v->multi[i] : ""));
	else
		TRY(write_hex(w, v, scratch));
	return el_end(w);
}

static int
write_registry(W *w, const irmf_snapshot *s)
{
	irmf_buf scratch = IRMF_BUF_INIT;
	int rc = IRMF_OK;

	if (s->nkeys == 0)
		return IRMF_OK;
	TRY(el(w, "registry"));
	for (size_t i = 0; i < s->nkeys && rc == 0; i++) {
		if ((rc = el(w, "key")) < 0 ||
		    (rc = set_str_attr(w, "path", s->keys[i].path)) < 0)
			break;
		for (size_t j = 0; j < s->keys[i].nvalues && rc == 0; j++)
			rc = write_value(w, &s->keys[i].values[j], &scratch);
		if (rc == 0)
			rc = el_end(w);
	}
	irmf_buf_free(&scratch);
	TRY(rc);
	return el_end(w);
}

static int
write_property(W *w, const irmf_prop *p)
{
	TRY(el(w, "property"));
	TRY(set_str_attr(w, "name", p->name));
	TRY(set_attr(w, "type", irmf_prop_type_name(p->type)));
	if (p->is_nil) {
		TRY(set_attr(w, "nil", "true"));
	} else if (irmf_prop_type_is_list(p->type)) {
		for (size_t j = 0; j < p->nitems; j++)
			TRY(add_text_el(w, "item",
			    p->items[j] ? p->items[j] : ""));
	} else {
		TRY(set_str_attr(w, "value", p->value ? p->value : ""));
	}
	return el_end(w);
}

static int
write_irm(W *w, const irmf_snapshot *s)
{
	if (s->has_irm_config) {
		TRY(el(w, "irmConfiguration"));
		for (size_t i = 0; i < s->nprops; i++)
			TRY(write_property(w, &s->props[i]));
		TRY(el_end(w));
	}
	if (!s->has_irm_test)
		return IRMF_OK;
	TRY(el(w, "irmTest"));
	TRY(set_attr(w, "pass", s->irm_test_pass ? "true" : "false"));
	for (size_t i = 0; i < s->nirm_steps; i++) {
		TRY(el(w, "step"));
		TRY(set_attr(w, "pass", s->irm_steps[i].pass ? "true" :
		    "false"));
		TRY(add_text_el(w, "check", s->irm_steps[i].check ?
		    s->irm_steps[i].check : ""));
		TRY(add_text_el(w, "message", s->irm_steps[i].message));
		TRY(el_end(w));
	}
	return el_end(w);
}

static int
write_list(W *w, const char *name, const char *item, const irmf_strlist *l)
{
	if (l->n == 0)
		return IRMF_OK;
	TRY(el(w, name));
	for (size_t i = 0; i < l->n; i++)
		TRY(add_text_el(w, item, l->items[i]));
	return el_end(w);
}

/* The group list, with its scope when known (an empty direct-only list
 * still says "member of no group", so it is written). */
static int
write_groups(W *w, const irmf_snapshot *s)
{
	if (s->groups_scope == IRMF_GROUPS_UNSTATED)
		return write_list(w, "groups", "group", &s->groups);
	TRY(el(w, "groups"));
	TRY(set_attr(w, "scope", irmf_groups_scope_name(s->groups_scope)));
	for (size_t i = 0; i < s->groups.n; i++)
		TRY(add_text_el(w, "group", s->groups.items[i]));
	return el_end(w);
}

static int
write_files_security(W *w, const irmf_snapshot *s)
{
	if (s->nfiles > 0) {
		TRY(el(w, "files"));
		for (size_t i = 0; i < s->nfiles; i++) {
			TRY(el(w, "file"));
			TRY(set_str_attr(w, "name", s->files[i].name));
			TRY(set_str_attr(w, "path", s->files[i].path));
			TRY(set_str_attr(w, "version", s->files[i].version));
			TRY(el_end(w));
		}
		TRY(el_end(w));
	}
	if (s->computer_account == NULL && s->groups.n == 0 &&
	    s->groups_scope == IRMF_GROUPS_UNSTATED &&
	    s->service_accounts.n == 0 && s->nacls == 0)
		return IRMF_OK;
	TRY(el(w, "security"));
	TRY(add_text_el(w, "computerAccount", s->computer_account));
	TRY(write_groups(w, s));
	TRY(write_list(w, "serviceAccounts", "account", &s->service_accounts));
	for (size_t i = 0; i < s->nacls; i++) {
		/* no sddl attribute: the key does not exist */
		TRY(el(w, "keyAcl"));
		TRY(set_str_attr(w, "path", s->acls[i].path));
		TRY(set_str_attr(w, "sddl", s->acls[i].sddl));
		TRY(el_end(w));
	}
	return el_end(w);
}

static int
write_event(W *w, const irmf_event_summary *e)
{
	TRY(el(w, "event"));
	TRY(set_int_attr(w, "id", e->id));
	TRY(set_str_attr(w, "account", e->account));
	TRY(set_str_attr(w, "computer", e->computer));
	TRY(set_num_attr(w, "count", e->count));
	if (e->first != NULL)
		TRY(set_attr(w, "first", e->first));
	if (e->last != NULL)
		TRY(set_attr(w, "last", e->last));
	return el_end(w);
}

/* A typed list as it always was; a derived one says where it came from
 * (source, at) and has role "unknown", and a kind only for NAME$. */
static int
write_auths(W *w, const irmf_snapshot *s)
{
	bool derived = s->auth_source == IRMF_AUTH_EVENT_1004;

	TRY(el(w, "authorizations"));
	if (derived) {
		TRY(set_attr(w, "source", "event-1004"));
		if (s->auth_at != NULL)
			TRY(set_attr(w, "at", s->auth_at));
	}
	for (size_t i = 0; i < s->nauths; i++) {
		const irmf_authorization *a = &s->auths[i];
		TRY(el(w, "authorization"));
		TRY(set_str_attr(w, "account", a->account));
		if (a->kind != IRMF_ACCOUNT_UNKNOWN)
			TRY(set_attr(w, "kind", irmf_account_kind_name(a->kind)));
		TRY(set_attr(w, "role", derived ? "unknown" :
		    irmf_role_name(a->role)));
		TRY(el_end(w));
	}
	return el_end(w);
}

static int
write_connector(W *w, const irmf_snapshot *s)
{
	if (s->has_authorizations)
		TRY(write_auths(w, s));
	if (!s->has_events)
		return IRMF_OK;
	TRY(el(w, "events"));
	if (s->auth_1004_unread != NULL)
		TRY(set_attr(w, "unread1004", s->auth_1004_unread));
	for (size_t i = 0; i < s->nevwindows; i++) {
		const irmf_event_window *ew = &s->evwindows[i];
		TRY(el(w, "window"));
		TRY(set_attr(w, "ids", ew->ids));
		TRY(set_num_attr(w, "returned", ew->returned));
		TRY(set_attr(w, "wholeLog", ew->whole_log ? "true" : "false"));
		if (ew->oldest != NULL)
			TRY(set_attr(w, "oldest", ew->oldest));
		TRY(el_end(w));
	}
	for (size_t i = 0; i < s->nevents; i++)
		TRY(write_event(w, &s->events[i]));
	return el_end(w);
}

static int
write_probes_errors(W *w, const irmf_snapshot *s)
{
	if (s->nprobes > 0) {
		TRY(el(w, "probes"));
		for (size_t i = 0; i < s->nprobes; i++) {
			const irmf_probe *p = &s->probes[i];
			TRY(el(w, "probe"));
			TRY(set_str_attr(w, "url", p->url));
			TRY(set_attr(w, "result",
			    irmf_probe_result_name(p->result)));
			if (p->result == IRMF_PROBE_HTTP || p->http_status != 0)
				TRY(set_int_attr(w, "status", p->http_status));
			TRY(add_text_el(w, "message", p->message));
			TRY(el_end(w));
		}
		TRY(el_end(w));
	}
	if (s->nerrors == 0)
		return IRMF_OK;
	TRY(el(w, "errors"));
	for (size_t i = 0; i < s->nerrors; i++) {
		const irmf_collect_error *e = &s->errors[i];
		TRY(el(w, "error"));
		TRY(set_str_attr(w, "item", e->item));
		TRY(set_attr(w, "reason", irmf_collect_reason_name(e->reason)));
		TRY(add_text_el(w, "message", e->message));
		TRY(el_end(w));
	}
	return el_end(w);
}

/* Items this way of running did not collect (written only when there
 * are some, so every other snapshot keeps its bytes). */
static int
write_skipped(W *w, const irmf_snapshot *s)
{
	if (s->nskipped == 0)
		return IRMF_OK;
	TRY(el(w, "skipped"));
	for (size_t i = 0; i < s->nskipped; i++) {
		TRY(el(w, "skip"));
		TRY(set_str_attr(w, "item", s->skipped[i].item));
		TRY(add_text_el(w, "message", s->skipped[i].message));
		TRY(el_end(w));
	}
	return el_end(w);
}

static int
write_snapshot(W *w, const irmf_snapshot *s)
{
	char ver[16];

	snprintf(ver, sizeof(ver), "%d", IRMF_SNAPSHOT_FORMAT_VERSION);
	TRY(el(w, "snapshot"));
	/* the namespace declaration as a plain first attribute: that is
	 * where the tree serializer put it */
	TRY(set_attr(w, "xmlns", IRMF_SNAPSHOT_NS));
	TRY(set_attr(w, "formatVersion", ver));
	TRY(write_identity(w, s));
	TRY(write_registry(w, s));
	TRY(write_irm(w, s));
	TRY(write_files_security(w, s));
	TRY(write_connector(w, s));
	TRY(write_probes_errors(w, s));
	TRY(write_skipped(w, s));
	return el_end(w);
}

/* Write, then validate the bytes (streaming: never write what we could
 * not read back); `target` (a path or NULL) is named in errors. */
static int
snapshot_serialize(const irmf_snapshot *snap, const char *target, char **out,
    size_t *out_len)
{
	irmf_xml_writer *w = NULL;
	char what[512];
	int rc;

	*out = NULL;
	*out_len = 0;
	if (snap->server == NULL || *snap->server == '\0')
		return irmf_error_set(IRMF_EUSAGE, "%s%ssnapshot has no server "
		    "name", target ? target : "", target ? ": " : "");
	TRY(irmf_xml_writer_new(&w));
	if ((rc = write_snapshot(w, snap)) == 0)
		rc = irmf_xml_writer_finish(w, out, out_len);
	irmf_xml_writer_free(w);
	if (rc < 0)
		return rc;
	/* follows "target:line: " in schema messages */
	snprintf(what, sizeof(what), "invalid snapshot of '%s'", snap->server);
	if ((rc = irmf_xml_validate_memory(*out, *out_len, XSD_NAME,
	    IRMF_SNAPSHOT_NS, target ? target : "(buffer)", what)) < 0) {
		free(*out);
		*out = NULL;
		*out_len = 0;
	}
	return rc;
}

int
irmf_snapshot_to_buffer(const irmf_snapshot *snap, char **out,
    size_t *out_len)
{
	return snapshot_serialize(snap, NULL, out, out_len);
}

int
irmf_snapshot_save(const irmf_snapshot *snap, const char *path)
{
	char *buf = NULL;
	size_t len;
	int rc;

	if ((rc = snapshot_serialize(snap, path, &buf, &len)) < 0)
		return rc;
	rc = irmf_file_write_atomic(path, buf, len);
	free(buf);
	return rc;
}
