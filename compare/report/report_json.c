/*
 * report_json.c - the comparison as JSON (docs/json-output.md), built with
 * jansson so that escaping is never hand-written.  The shape is versioned
 * ("format": "irmfleet-compare", "version": 1); fields are only ever
 * added within a version ("servers", each server's identity with its
 * evidence, was added so; so were "tool", "generated_at" and each
 * server's "collected_at" and "reached").
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_audit.h"
#include "error.h"
#include "identity.h"

#define JSON_FORMAT_VERSION 1

/* Everything in a snapshot is UTF-8 (snapshot_int.h); a string jansson
 * refuses is a broken invariant, reported rather than dropped. */
static int
set_str(json_t *obj, const char *key, const char *s)
{
	json_t *v = s ? json_string(s) : json_null();

	if (v == NULL)
		return irmf_error_set(IRMF_EPARSE, "json report: field '%s' "
		    "is not valid UTF-8", key);
	if (json_object_set_new(obj, key, v) != 0)
		return irmf_error_oom();
	return IRMF_OK;
}

static int
set_int(json_t *obj, const char *key, size_t n)
{
	if (json_object_set_new(obj, key, json_integer((json_int_t)n)) != 0)
		return irmf_error_oom();
	return IRMF_OK;
}

static int
append(json_t *arr, json_t *v)
{
	if (v == NULL || json_array_append_new(arr, v) != 0)
		return irmf_error_oom();
	return IRMF_OK;
}

static json_t *
summary(const irmf_result *r)
{
	irmf_compare_counts c;
	json_t *s = json_object(), *sev = json_object();

	irmf_result_counts(r, &c);
	if (s == NULL || sev == NULL ||
	    set_int(s, "servers", c.servers) < 0 ||
	    set_int(s, "cohorts", c.cohorts) < 0 ||
	    set_int(s, "findings", c.findings) < 0 ||
	    set_int(sev, "error", c.errors) < 0 ||
	    set_int(sev, "warning", c.warnings) < 0 ||
	    set_int(sev, "info", c.infos) < 0 ||
	    json_object_set(s, "by_severity", sev) != 0 ||
	    set_int(s, "not_collected", c.not_collected) < 0 ||
	    set_int(s, "suppressed", c.suppressed) < 0 ||
	    set_int(s, "not_checked_servers", c.not_checked_servers) < 0 ||
	    json_object_set_new(s, "authorization_list",
	    irmf_result_auth_source(r) ? json_string(
	    irmf_result_auth_source(r)) : json_null()) != 0) {
		json_decref(s);
		json_decref(sev);
		return NULL;
	}
	json_decref(sev);
	return s;
}

static json_t *
cohorts(const irmf_result *r)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < r->ncohorts; i++) {
		const irmf_cohort *c = &r->cohorts[i];
		json_t *o = json_object(), *servers = json_array();
		int rc = (o && servers) ? set_str(o, "name", c->name) : -1;
		for (size_t j = 0; rc == 0 && j < c->n; j++)
			rc = append(servers, json_string(
			    r->fleet.members[c->members[j]].snap->server));
		if (rc == 0 && json_object_set(o, "servers", servers) != 0)
			rc = -1;
		json_decref(servers);
		if (rc < 0 || append(arr, o) < 0) {
			if (rc < 0)
				json_decref(o);
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* One piece of identity evidence: rank, source, value, what it says. */
static json_t *
evidence(const irmf_evidence *e)
{
	json_t *o = json_object();

	if (o == NULL ||
	    set_str(o, "rank", irmf_evidence_rank_name(e->rank)) < 0 ||
	    set_str(o, "source", e->source) < 0 ||
	    set_str(o, "value", e->value) < 0 ||
	    set_str(o, "says", irmf_generation_name(e->says)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* A server and what it runs (collector/snapshot/identity.h), with the evidence
 * strongest first; the build fields are null when no build is known. */
static json_t *
server_identity(const irmf_snapshot *s, const char *cohort)
{
	irmf_identity id;
	char line[1024];
	json_t *o = json_object(), *ev = json_array();
	int rc = (o && ev) ? 0 : -1;

	irmf_identity_of(s, &id);
	irmf_identity_describe(&id, line, sizeof(line));
	if (rc == 0 && (set_str(o, "name", s->server) < 0 ||
	    set_str(o, "collected_at", s->collected_at) < 0 ||
	    json_object_set_new(o, "reached", json_boolean(
	    irmf_report_server_reached(s))) != 0 ||
	    set_str(o, "cohort", cohort) < 0 ||
	    set_str(o, "product", s->product) < 0 ||
	    set_str(o, "generation", irmf_generation_name(id.generation)) < 0 ||
	    set_str(o, "build", id.build[0] ? id.build : NULL) < 0 ||
	    set_str(o, "build_source", id.build[0] ? id.build_source :
	    NULL) < 0 ||
	    json_object_set_new(o, "build_exact", id.build[0] ?
	    json_boolean(id.build_exact) : json_null()) != 0 ||
	    set_str(o, "identity", id.generation == IRMF_GEN_NONE ? NULL :
	    line) < 0))
		rc = -1;
	for (size_t i = 0; rc == 0 && i < id.nevidence; i++)
		rc = append(ev, evidence(&id.evidence[i]));
	if (rc == 0 && json_object_set(o, "evidence", ev) != 0)
		rc = -1;
	json_decref(ev);
	if (rc < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Every server, by cohort (as "cohorts" lists them) then name. */
static json_t *
servers(const irmf_result *r)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < r->ncohorts; i++)
		for (size_t j = 0; j < r->cohorts[i].n; j++)
			if (append(arr, server_identity(r->fleet.members[
			    r->cohorts[i].members[j]].snap,
			    r->cohorts[i].name)) < 0) {
				json_decref(arr);
				return NULL;
			}
	return arr;
}

static json_t *
finding(const irmf_finding *f)
{
	json_t *o = json_object();

	if (o == NULL ||
	    set_str(o, "server", f->server) < 0 ||
	    set_str(o, "cohort", f->cohort) < 0 ||
	    set_str(o, "setting", f->setting) < 0 ||
	    set_str(o, "kind", irmf_finding_kind_name(f->kind)) < 0 ||
	    set_str(o, "severity", irmf_severity_name(f->severity)) < 0 ||
	    set_str(o, "rule", f->rule_id) < 0 ||
	    set_str(o, "value", f->value) < 0 ||
	    set_str(o, "expected", f->expected) < 0 ||
	    set_str(o, "distribution", f->distribution) < 0 ||
	    set_str(o, "explanation", f->explanation) < 0 ||
	    set_str(o, "remediation", f->remediation) < 0 ||
	    json_object_set_new(o, "suppressed",
	    json_boolean(f->suppressed)) != 0 ||
	    set_str(o, "reason", f->suppress_reason) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
not_checked(const irmf_result *r)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < r->nunchecked; i++) {
		const irmf_unchecked *u = &r->unchecked[i];
		json_t *o = json_object();
		if (o == NULL || set_str(o, "server", u->server) < 0 ||
		    set_str(o, "cohort", u->cohort) < 0 ||
		    set_str(o, "item", u->err->item) < 0 ||
		    set_str(o, "reason",
		    irmf_collect_reason_name(u->err->reason)) < 0 ||
		    set_str(o, "message", u->err->message) < 0) {
			json_decref(o);
			json_decref(arr);
			return NULL;
		}
		if (append(arr, o) < 0) {   /* append consumed o */
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *
findings(const irmf_result *r)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < r->findings.n; i++)
		if (append(arr, finding(&r->findings.items[i])) < 0) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

/* json_object_set_new consumes the value even when it fails. */
static int
set_part(json_t *root, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(root, key, v) != 0)
		return irmf_error_last()->code ? irmf_error_last()->code :
		    irmf_error_oom();
	return IRMF_OK;
}

/* Who wrote the report and when: {"name": "irmfleet", "version": ...}. */
static json_t *
tool(const irmf_report_meta *m)
{
	json_t *o = json_object();

	if (o == NULL || set_str(o, "name", "irmfleet") < 0 ||
	    set_str(o, "version", m->version) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
build(const irmf_result *r)
{
	json_t *root = json_object();
	irmf_report_meta m;

	irmf_report_meta_get(r, &m);
	if (root == NULL ||
	    set_str(root, "format", "irmfleet-compare") < 0 ||
	    set_int(root, "version", JSON_FORMAT_VERSION) < 0 ||
	    set_part(root, "tool", tool(&m)) < 0 ||
	    set_str(root, "generated_at", m.generated) < 0 ||
	    set_part(root, "summary", summary(r)) < 0 ||
	    set_part(root, "cohorts", cohorts(r)) < 0 ||
	    set_part(root, "servers", servers(r)) < 0 ||
	    set_part(root, "findings", findings(r)) < 0 ||
	    set_part(root, "not_checked", not_checked(r)) < 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}

int
irmf_report_json(const irmf_result *r, FILE *out, unsigned flags)
{
	json_t *root;
	int rc = IRMF_OK;

	(void)flags;
	irmf_error_clear();
	if ((root = build(r)) == NULL)
		return irmf_error_last()->code ? irmf_error_last()->code :
		    irmf_error_oom();
	if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', out) == EOF || fflush(out) != 0 || ferror(out))
		rc = irmf_error_set(IRMF_EIO, "writing the json report failed");
	json_decref(root);
	return rc;
}

json_t *
irmf_report_json_value(const irmf_result *r)
{
	irmf_error_clear();
	return build(r);
}
