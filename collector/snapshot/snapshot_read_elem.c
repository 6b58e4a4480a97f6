/*
 * snapshot_read_elem.c - the snapshot reader's element handlers: what
 * each element of the format (identity, registry, IRM configuration,
 * files, security, events, probes, errors, skipped) does to the model at its start
 * and end tag, and the dispatch from (parent, element) to them.
 *
 * What XSD 1.0 cannot say - registry data that must match the value's
 * type, one of "name"/"nameBase64", duplicate keys, values and properties
 * - is checked here, with the element's line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot_read_int.h"

/* ------------------------------------------------------- root, identity */

/* Root, namespace and format version: stop at once when wrong, before the
 * validator's cryptic "no matching global declaration". */
int
srd_start_root(reader *r, const char *local, const char *uri)
{
	char ver[32], *end;
	long v;

	if (strcmp(local, "snapshot") != 0 || uri == NULL ||
	    strcmp(uri, IRMF_SNAPSHOT_NS) != 0)
		return irmf_error_set(IRMF_EPARSE, "%s:%ld: root element is "
		    "'%s' in namespace '%s', expected 'snapshot' in namespace "
		    "'%s'", r->name, r->stack[0].line, local, uri ? uri : "",
		    IRMF_SNAPSHOT_NS);
	/* absent: the schema says so (formatVersion is required) */
	if (!srd_get_token(r, "formatVersion", ver, sizeof(ver)))
		return IRMF_OK;
	v = strtol(ver, &end, 10);
	if (ver[0] < '0' || ver[0] > '9' || *end != '\0' ||
	    v < IRMF_SNAPSHOT_FORMAT_MIN || v > IRMF_SNAPSHOT_FORMAT_VERSION)
		return irmf_error_set(IRMF_EUNSUPPORTED, "%s:%ld: snapshot "
		    "format version '%s' is not supported (this irmfleet "
		    "reads versions %d to %d)", r->name, r->stack[0].line, ver,
		    IRMF_SNAPSHOT_FORMAT_MIN, IRMF_SNAPSHOT_FORMAT_VERSION);
	r->version = (int)v;
	return IRMF_OK;
}

static int
start_pair(reader *r, char **a, char **b, const char *attr_a,
    const char *attr_b)
{
	char *va = NULL, *vb = NULL;
	int rc;

	if ((rc = srd_get_attr(r, attr_a, &va)) < 0 ||
	    (rc = srd_get_attr(r, attr_b, &vb)) < 0) {
		free(va);
		return rc;
	}
	free(*a);
	free(*b);
	*a = va;
	*b = vb;
	return IRMF_OK;
}

static int
start_source(reader *r)
{
	char *file = NULL, *sha = NULL, *fmt = NULL;
	int rc;

	if ((rc = srd_get_attr(r, "file", &file)) == 0 &&
	    (rc = srd_get_attr(r, "sha256", &sha)) == 0 &&
	    (rc = srd_get_attr(r, "format", &fmt)) == 0)
		rc = irmf_snapshot_add_source(r->s, file, sha, fmt);
	free(file);
	free(sha);
	free(fmt);
	return rc;
}

/* <generation> (formatVersion 2): kept only for validate's check against
 * the generation the content gives (identity.c); its evidence children
 * are the schema's business.  A version 1 file cannot have it: that file
 * was not written by a version 1 writer, and saying so beats guessing. */
static int
start_generation(reader *r)
{
	char name[32];

	if (r->version < 2)
		return srd_bad(r, "<generation> needs formatVersion 2 (the file "
		    "says %d)", r->version);
	(void)srd_get_token(r, "name", name, sizeof(name));
	free(r->s->recorded_generation);
	if ((r->s->recorded_generation = irmf_strdup(name)) == NULL)
		return IRMF_ENOMEM;
	r->s->recorded_line = r->stack[r->depth - 1].line;
	free(r->s->recorded_build);
	return srd_get_attr(r, "build", &r->s->recorded_build);
}

static int
end_enum_text(reader *r, bool role)
{
	char *v;
	irmf_role ro;
	int rc;

	TRY(srd_take_text(r, &v));
	srd_trim(v);
	if (role) {
		if ((rc = irmf_role_parse(v, &ro)) == 0)
			r->s->roles |= (unsigned)ro;
	} else
		rc = irmf_method_parse(v, &r->s->method);
	free(v);
	return rc < 0 ? srd_at_line(r, rc) : IRMF_OK;
}

static int
end_identity_child(reader *r, el_code c)
{
	irmf_snapshot *s = r->s;

	switch (c) {
	case E_SERVER:
		return srd_text_into(r, &s->server);
	case E_FQDN:
		return srd_text_into(r, &s->fqdn);
	case E_OS:
		return srd_text_into(r, &s->os_version);
	case E_COLLECTED_AT:
		return srd_text_into(r, &s->collected_at);
	case E_METHOD:
		return end_enum_text(r, false);
	default:
		return IRMF_OK;
	}
}

/* ------------------------------------------------------------ registry */

static int
start_key(reader *r)
{
	char *path = NULL;
	size_t before = r->s->nkeys;
	int rc;

	r->key = NULL;
	TRY(srd_need_attr(r, "path", &path));
	rc = irmf_snapshot_reg_key(r->s, path, &r->key);
	if (rc == 0 && r->s->nkeys == before)
		rc = srd_bad(r, "duplicate key '%s'", path);
	else if (rc < 0)
		rc = srd_at_line(r, rc);
	free(path);
	return rc;
}

static int
start_value(reader *r)
{
	irmf_reg_value *v = &r->p.val;
	char type[64];
	int rc;

	srd_value_reset(&r->p);
	if (r->key == NULL)
		return IRMF_OK;   /* <value> outside a <key>: schema error */
	TRY(srd_need_attr(r, "name", &v->name));
	TRY(srd_need_token(r, "type", type, sizeof(type)));
	if ((rc = irmf_reg_type_parse(type, &v->type)) < 0)
		return srd_at_line(r, rc);
	TRY(srd_get_attr(r, "data", &v->str));   /* converted at the end tag */
	if (v->type == IRMF_REG_MULTI_SZ && v->str != NULL)
		return srd_bad(r, "%s", "REG_MULTI_SZ data must be <item> elements, "
		    "not a data attribute");
	return IRMF_OK;
}

/* The data attribute (held in v->str) converted to the value's type. */
static int
value_data(const reader *r, irmf_reg_value *v)
{
	char *data = v->str;
	size_t len;

	if (irmf_reg_type_is_string(v->type)) {
		if (v->str == NULL && (v->str = irmf_strdup("")) == NULL)
			return IRMF_ENOMEM;
		return IRMF_OK;
	}
	v->str = NULL;
	if (irmf_reg_type_is_number(v->type)) {
		int rc = srd_parse_u64(r, data, v->type == IRMF_REG_QWORD ?
		    UINT64_MAX : UINT32_MAX, &v->num);
		free(data);
		return rc;
	}
	/* binary types: hex bytes */
	len = data ? strlen(data) : 0;
	if (len > 0) {
		irmf_buf bin = IRMF_BUF_INIT;
		int rc = irmf_buf_add_unhex(&bin, data, len);

		free(data);
		if (rc == IRMF_EPARSE) {
			irmf_buf_free(&bin);
			return srd_bad(r, "%s data is not hex bytes",
			    irmf_reg_type_name(v->type));
		}
		len = bin.n;
		if ((v->bin = (unsigned char *)irmf_buf_take(&bin)) == NULL)
			return IRMF_ENOMEM;
		v->nbin = len;
		return IRMF_OK;
	}
	free(data);
	return IRMF_OK;
}

static int
start_value_item(reader *r)
{
	if (r->key != NULL && r->p.val.type != IRMF_REG_MULTI_SZ)
		return srd_bad(r, "<item> is only allowed in REG_MULTI_SZ, not %s",
		    irmf_reg_type_name(r->p.val.type));
	return IRMF_OK;
}

static int
end_value_item(reader *r)
{
	irmf_reg_value *v = &r->p.val;
	char *t;

	if (r->key == NULL)
		return IRMF_OK;
	TRY(srd_take_text(r, &t));
	return srd_push_item(&v->multi, &v->nmulti, &r->p.capmulti, t);
}

static int
end_value(reader *r)
{
	bool dup;
	int rc;

	if (r->key == NULL)
		return IRMF_OK;
	if (r->p.val.type != IRMF_REG_MULTI_SZ &&
	    (rc = value_data(r, &r->p.val)) < 0)
		return rc;
	if ((rc = irmf_reg_key_add_value(r->key, &r->p.val, &dup)) == 0 && dup)
		rc = srd_bad(r, "duplicate value '%s'", r->p.val.name);
	srd_value_reset(&r->p);
	return rc;
}

/* ------------------------------------------------------------ IRM */

static int
start_property(reader *r)
{
	pending *p = &r->p;
	char type[64];
	int rc;

	srd_pending_clear(p);
	TRY(srd_need_attr(r, "name", &p->pname));
	TRY(srd_need_token(r, "type", type, sizeof(type)));
	p->pnil = srd_get_bool(r, "nil");
	TRY(srd_get_attr(r, "value", &p->pvalue));
	if ((rc = irmf_prop_type_parse(type, &p->ptype)) < 0)
		return srd_at_line(r, rc);
	if (irmf_snapshot_prop_find(r->s, p->pname) != NULL)
		return srd_bad(r, "duplicate property '%s'", p->pname);
	if ((p->pnil || irmf_prop_type_is_list(p->ptype)) && p->pvalue != NULL)
		return srd_bad(r, "property '%s' has a value although it is nil "
		    "or a list", p->pname);
	return IRMF_OK;
}

static int
start_property_item(reader *r)
{
	const pending *p = &r->p;

	if (p->pname != NULL && (p->pnil || !irmf_prop_type_is_list(p->ptype)))
		return srd_bad(r, "property '%s' has <item> elements although it "
		    "is nil or not a list", p->pname);
	return IRMF_OK;
}

static int
end_property(reader *r)
{
	pending *p = &r->p;
	int rc;

	if (p->pname == NULL)
		return IRMF_OK;
	if (p->pnil || !irmf_prop_type_is_list(p->ptype))
		rc = irmf_snapshot_prop_set(r->s, p->pname, p->ptype,
		    p->pvalue, p->pnil);
	else
		rc = irmf_snapshot_prop_set_list(r->s, p->pname, p->ptype,
		    p->items, p->nitems);
	srd_pending_clear(p);
	return rc;
}

static int
end_step(reader *r)
{
	int rc = irmf_snapshot_irm_test_add(r->s, r->p.subject, r->p.pass,
	    r->p.message);

	srd_pending_clear(&r->p);
	return rc;
}

/* ------------------------------------------------- files, connector */

static int
start_file(reader *r)
{
	char *name = NULL, *path = NULL, *ver = NULL;
	int rc;

	if ((rc = srd_need_attr(r, "name", &name)) < 0 ||
	    (rc = srd_get_attr(r, "path", &path)) < 0 ||
	    (rc = srd_get_attr(r, "version", &ver)) < 0)
		goto cleanup;
	if (irmf_snapshot_file_find(r->s, name) != NULL)
		rc = srd_bad(r, "duplicate file '%s'", name);
	else
		rc = irmf_snapshot_file_set(r->s, name, path, ver);
cleanup:
	free(name);
	free(path);
	free(ver);
	return rc;
}

/* <groups scope="token|direct">: how far the list reaches. */
static int
start_groups(reader *r)
{
	char scope[16];

	if (!srd_get_token(r, "scope", scope, sizeof(scope)))
		return IRMF_OK;
	if (irmf_groups_scope_parse(scope, &r->s->groups_scope) < 0)
		return srd_bad(r, "groups scope '%s' is neither token nor direct",
		    scope);
	return IRMF_OK;
}

static int
start_key_acl(reader *r)
{
	char *path = NULL, *sddl = NULL;
	int rc;

	if ((rc = srd_need_attr(r, "path", &path)) < 0 ||
	    (rc = srd_get_attr(r, "sddl", &sddl)) < 0)
		goto cleanup;
	if (irmf_snapshot_key_acl(r->s, path) != NULL)
		rc = srd_bad(r, "duplicate keyAcl '%s'", path);
	else if ((rc = irmf_snapshot_set_key_acl(r->s, path, sddl)) ==
	    IRMF_EPARSE)
		rc = srd_bad(r, "keyAcl path '%s' is not a registry key", path);
cleanup:
	free(path);
	free(sddl);
	return rc;
}

/* <authorizations> of a typed list, or source="event-1004" at="TIME"
 * for one derived from the node's newest event 1004. */
static int
start_authorizations(reader *r)
{
	char src[64];

	r->s->has_authorizations = true;
	if (!srd_get_token(r, "source", src, sizeof(src)))
		return IRMF_OK;
	if (strcmp(src, "event-1004") != 0)
		return srd_bad(r, "authorization list source '%s' (expected "
		    "'event-1004')", src);
	r->s->auth_source = IRMF_AUTH_EVENT_1004;
	/* a repeated section (the schema refuses it, after this runs)
	 * must not leak the first one's time */
	free(r->s->auth_at);
	r->s->auth_at = NULL;
	/* the newest 1004 decides (merge, import): its time is needed */
	return srd_need_attr(r, "at", &r->s->auth_at);
}

static int
start_authorization(reader *r)
{
	char *account = NULL, kind[64], role[64];
	irmf_account_kind k;
	irmf_role ro;
	int rc;

	if ((rc = srd_need_attr(r, "account", &account)) < 0 ||
	    (rc = srd_need_token(r, "role", role, sizeof(role))) < 0)
		goto cleanup;
	if (r->s->auth_source == IRMF_AUTH_EVENT_1004) {
		/* derived from event 1004: the role is not known */
		if (strcmp(role, "unknown") != 0)
			rc = srd_bad(r, "role '%s' in a list derived from event "
			    "1004 (expected 'unknown')", role);
		else if (!srd_get_token(r, "kind", kind, sizeof(kind)))
			rc = irmf_snapshot_add_derived_row(r->s, account,
			    IRMF_ACCOUNT_UNKNOWN);
		else if ((rc = irmf_account_kind_parse(kind, &k)) < 0)
			rc = srd_at_line(r, rc);
		else
			rc = irmf_snapshot_add_derived_row(r->s, account, k);
		goto cleanup;
	}
	if ((rc = srd_need_token(r, "kind", kind, sizeof(kind))) < 0)
		goto cleanup;
	if ((rc = irmf_account_kind_parse(kind, &k)) < 0 ||
	    (rc = irmf_role_parse(role, &ro)) < 0)
		rc = srd_at_line(r, rc);
	else
		rc = irmf_snapshot_add_typed_row(r->s, account, k, ro);
cleanup:
	free(account);
	return rc;
}

static int
start_event(reader *r)
{
	char id[64], count[64];
	char *account = NULL, *computer = NULL, *first = NULL, *last = NULL;
	uint64_t cnt = 0;
	int idv = 0, rc;

	if ((rc = srd_need_token(r, "id", id, sizeof(id))) < 0 ||
	    (rc = srd_need_token(r, "count", count, sizeof(count))) < 0 ||
	    (rc = srd_get_attr(r, "account", &account)) < 0 ||
	    (rc = srd_get_attr(r, "computer", &computer)) < 0 ||
	    (rc = srd_get_attr(r, "first", &first)) < 0 ||
	    (rc = srd_get_attr(r, "last", &last)) < 0 ||
	    (rc = srd_parse_int(r, id, &idv)) < 0 ||
	    (rc = srd_parse_u64(r, count, UINT32_MAX, &cnt)) < 0)
		goto cleanup;
	rc = irmf_snapshot_add_event_summary(r->s, idv, account, computer,
	    (unsigned)cnt, first, last);
cleanup:
	free(account);
	free(computer);
	free(first);
	free(last);
	return rc;
}

/* <window ids="1002" returned="12" wholeLog="true" oldest="..."/>:
 * what one event query covered (optional, see irmf_event_window). */
static int
start_window(reader *r)
{
	char ids[256], ret[64];
	char *oldest = NULL;
	uint64_t n = 0;
	int rc;

	if ((rc = srd_need_token(r, "ids", ids, sizeof(ids))) < 0 ||
	    (rc = srd_need_token(r, "returned", ret, sizeof(ret))) < 0 ||
	    (rc = srd_get_attr(r, "oldest", &oldest)) < 0 ||
	    (rc = srd_parse_u64(r, ret, UINT32_MAX, &n)) < 0)
		goto cleanup;
	if (ids[strspn(ids, "0123456789 ")] != '\0' ||
	    ids[strspn(ids, " ")] == '\0') {
		rc = srd_bad(r, "attribute 'ids' is not a list of event IDs");
		goto cleanup;
	}
	rc = irmf_snapshot_add_event_window(r->s, ids, (unsigned)n,
	    srd_get_bool(r, "wholeLog"), oldest);
cleanup:
	free(oldest);
	return rc;
}

static int
start_probe(reader *r)
{
	char result[64], status[64];
	irmf_probe_result res;
	int rc;

	srd_pending_clear(&r->p);
	TRY(srd_need_attr(r, "url", &r->p.subject));
	TRY(srd_need_token(r, "result", result, sizeof(result)));
	if ((rc = irmf_probe_result_parse(result, &res)) < 0)
		return srd_at_line(r, rc);
	r->p.code = (int)res;
	if (srd_get_token(r, "status", status, sizeof(status)))
		TRY(srd_parse_int(r, status, &r->p.status));
	return IRMF_OK;
}

static int
start_error(reader *r)
{
	char reason[64];
	irmf_collect_reason why;
	int rc;

	srd_pending_clear(&r->p);
	TRY(srd_need_attr(r, "item", &r->p.subject));
	TRY(srd_need_token(r, "reason", reason, sizeof(reason)));
	if ((rc = irmf_collect_reason_parse(reason, &why)) < 0)
		return srd_at_line(r, rc);
	r->p.code = (int)why;
	return IRMF_OK;
}

static int
end_probe_or_error(reader *r, el_code c)
{
	int rc = IRMF_OK;

	if (r->p.subject == NULL)
		return IRMF_OK;
	if (c == E_PROBE)
		rc = irmf_snapshot_add_probe(r->s, r->p.subject,
		    (irmf_probe_result)r->p.code, r->p.status, r->p.message);
	else if (c == E_SKIP)
		rc = irmf_snapshot_add_skipped(r->s, r->p.subject,
		    r->p.message);
	else
		rc = irmf_snapshot_add_error(r->s, r->p.subject,
		    (irmf_collect_reason)r->p.code, r->p.message);
	srd_pending_clear(&r->p);
	return rc;
}

/* ------------------------------------------------------------ dispatch */

static int
start_section(reader *r, el_code c)
{
	switch (c) {
	case E_IDENTITY:
		r->identity_line = r->stack[r->depth - 1].line;
		return IRMF_OK;
	case E_IRM_CONFIG:
		r->s->has_irm_config = true;
		return IRMF_OK;
	case E_IRM_TEST:
		r->s->irm_test_pass = srd_get_bool(r, "pass");
		r->s->has_irm_test = true;
		return IRMF_OK;
	case E_AUTHORIZATIONS:
		return start_authorizations(r);
	case E_EVENTS:
		r->s->has_events = true;
		free(r->s->auth_1004_unread);   /* a repeated <events> */
		return srd_get_attr(r, "unread1004", &r->s->auth_1004_unread);
	case E_REGISTRY: case E_FILES: case E_SECURITY: case E_PROBES:
	case E_ERRORS: case E_SKIPPED:
		return IRMF_OK;
	default:
		return srd_bad(r, "unexpected element '%s'", r->local);
	}
}

/* An element starts, under `up`. */
int
srd_start_child(reader *r, el_code up, el_code c)
{
	if (up == E_SNAPSHOT)
		return start_section(r, c);
	if (up == E_IDENTITY && c == E_PRODUCT) {
		int rc = start_pair(r, &r->s->product, &r->s->product_build,
		    "name", "build");
		char *roles = NULL;
		if (rc < 0 || (rc = srd_get_attr(r, "exchangeRoles", &roles)) < 0)
			return rc;
		free(r->s->exchange_roles);
		r->s->exchange_roles = roles;
		return IRMF_OK;
	}
	if (up == E_IDENTITY && c == E_GENERATION)
		return start_generation(r);
	if (up == E_IDENTITY && c == E_COLLECTOR)
		return start_pair(r, &r->s->collector_name,
		    &r->s->collector_version, "name", "version");
	if (up == E_SOURCES && c == E_SOURCE)
		return start_source(r);
	if (up == E_REGISTRY && c == E_KEY)
		return start_key(r);
	if (up == E_KEY && c == E_VALUE)
		return start_value(r);
	if (up == E_VALUE && c == E_ITEM)
		return start_value_item(r);
	if (up == E_IRM_CONFIG && c == E_PROPERTY)
		return start_property(r);
	if (up == E_PROPERTY && c == E_ITEM)
		return start_property_item(r);
	if (up == E_IRM_TEST && c == E_STEP) {
		srd_pending_clear(&r->p);
		r->p.pass = srd_get_bool(r, "pass");
		return IRMF_OK;
	}
	if (up == E_FILES && c == E_FILE)
		return start_file(r);
	if (up == E_AUTHORIZATIONS && c == E_AUTHORIZATION)
		return start_authorization(r);
	if (up == E_SECURITY && c == E_GROUPS)
		return start_groups(r);
	if (up == E_SECURITY && c == E_KEY_ACL)
		return start_key_acl(r);
	if (up == E_EVENTS && c == E_EVENT)
		return start_event(r);
	if (up == E_EVENTS && c == E_WINDOW)
		return start_window(r);
	if (up == E_PROBES && c == E_PROBE)
		return start_probe(r);
	if (up == E_ERRORS && c == E_ERROR)
		return start_error(r);
	if (up == E_SKIPPED && c == E_SKIP) {
		srd_pending_clear(&r->p);
		return srd_need_attr(r, "item", &r->p.subject);
	}
	return IRMF_OK;   /* anything else: nothing until its end tag */
}

static int
end_list_text(reader *r, irmf_strlist *l)
{
	char *v;
	int rc;

	TRY(srd_take_text(r, &v));
	rc = irmf_strlist_add(l, v);
	free(v);
	return rc;
}

/* An element under `up` ends. */
int
srd_end_child(reader *r, el_code up, el_code c)
{
	switch (up) {
	case E_IDENTITY:
		if (c == E_ROLES || c == E_PRODUCT || c == E_COLLECTOR ||
		    c == E_GENERATION)
			return IRMF_OK;
		return end_identity_child(r, c);
	case E_ROLES:
		return end_enum_text(r, true);
	case E_KEY:
		return c == E_VALUE ? end_value(r) : IRMF_OK;
	case E_VALUE:
		return c == E_ITEM ? end_value_item(r) : IRMF_OK;
	case E_IRM_CONFIG:
		return c == E_PROPERTY ? end_property(r) : IRMF_OK;
	case E_PROPERTY: {
		char *t;
		if (c != E_ITEM || r->p.pname == NULL)
			return IRMF_OK;
		TRY(srd_take_text(r, &t));
		return srd_push_item(&r->p.items, &r->p.nitems, &r->p.capitems, t);
	}
	case E_IRM_TEST:
		return c == E_STEP ? end_step(r) : IRMF_OK;
	case E_STEP:
		if (c == E_CHECK)
			return srd_text_into(r, &r->p.subject);
		return c == E_MESSAGE ? srd_text_into(r, &r->p.message) : IRMF_OK;
	case E_SECURITY:
		return c == E_COMPUTER_ACCOUNT ?
		    srd_text_into(r, &r->s->computer_account) : IRMF_OK;
	case E_GROUPS:
		return end_list_text(r, &r->s->groups);
	case E_SERVICE_ACCOUNTS:
		return end_list_text(r, &r->s->service_accounts);
	case E_PROBES:
	case E_ERRORS:
	case E_SKIPPED:
		return c == E_PROBE || c == E_ERROR || c == E_SKIP ?
		    end_probe_or_error(r, c) : IRMF_OK;
	case E_PROBE:
	case E_ERROR:
	case E_SKIP:
		return c == E_MESSAGE ? srd_text_into(r, &r->p.message) : IRMF_OK;
	case E_SNAPSHOT:
		if (c == E_AUTHORIZATIONS)
			return irmf_snapshot_auth_dedupe(r->s);
		if (c == E_IDENTITY && (r->s->server == NULL ||
		    *r->s->server == '\0'))
			return irmf_error_set(IRMF_EPARSE, "%s:%ld: identity has "
			    "no server name", r->name, r->identity_line);
		return IRMF_OK;
	default:
		return IRMF_OK;
	}
}
