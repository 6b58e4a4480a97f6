/*
 * report_audit_machine.c - what `irmfleet audit` adds to the outputs a
 * machine (or a quick reader) takes: the comparison's report of each
 * format, plus what only the audit knows, the drift since the previous
 * audit and the servers not collected for too long:
 *
 *   --brief       one line per server that changed, went stale or could
 *                 not be collected, then the comparison's brief lines;
 *   junit         a testsuite "audit" with two testcases per server, "no
 *                 drift since the last audit" and "collected recently";
 *   prometheus    changed and stale servers, changes, the audit's time;
 *   nagios        the audit's state (drift or stale is WARNING, an error
 *                 finding CRITICAL), its counts in the status line and
 *                 perfdata, its brief lines as long output.
 *
 * The reports take plain data (irmf_audit_view); a comparison that did
 * not run (every host of an inventory failed) reads as an empty fleet.
 */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "error.h"
#include "irmfleet/textesc.h"
#include "report.h"
#include "report_audit.h"

static const irmf_result *
comparison(const irmf_audit_view *v, irmf_result *empty)
{
	memset(empty, 0, sizeof(*empty));
	return v->comparison ? v->comparison : empty;
}

/* What the audit says about one server. */
typedef struct aserver {
	const char *name;
	size_t changes;                /* drift of the configuration */
	const irmf_change *first;      /* its first drift */
	const irmf_change *unchecked;  /* failed or absent, or NULL */
	const irmf_change *stale;
} aserver;

typedef struct aservers {
	aserver *s;
	size_t n;
} aservers;

static aserver *
find(aservers *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcasecmp(l->s[i].name, name) == 0)
			return &l->s[i];
	l->s[l->n] = (aserver){ .name = name };
	return &l->s[l->n++];
}

/* The comparison's servers in fleet order, then any server only the
 * history names (failed without a snapshot, absent, stale). */
static int
servers_build(const irmf_audit_view *v, aservers *l)
{
	const irmf_result *r = v->comparison;
	size_t cap = (r ? r->fleet.n : 0) + v->drift->n + v->stale->n;

	l->n = 0;
	if ((l->s = calloc(cap + 1, sizeof(*l->s))) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; r && i < r->fleet.n; i++)
		find(l, r->fleet.members[i].snap->server);
	for (size_t i = 0; i < v->drift->n; i++) {
		const irmf_change *c = &v->drift->items[i];
		aserver *s = find(l, c->server);
		if (irmf_audit_change_is_drift(c)) {
			if (s->changes++ == 0)
				s->first = c;
		} else if (c->kind != IRMF_CHANGE_NOT_COLLECTED &&
		    s->unchecked == NULL) {
			s->unchecked = c;   /* items are the comparison's */
		}
	}
	for (size_t i = 0; i < v->stale->n; i++)
		find(l, v->stale->items[i].server)->stale = &v->stale->items[i];
	return IRMF_OK;
}

/* ---- --brief ---- */

static void
brief_lines(FILE *out, const void *payload)
{
	const aservers *l = payload;

	for (size_t i = 0; i < l->n; i++) {
		const aserver *s = &l->s[i];
		if (s->changes > 0)
			irmf_text_printf(out, "%s: drift: %zu change%s since "
			    "the previous audit (%s %s)\n", s->name, s->changes,
			    s->changes == 1 ? "" : "s",
			    irmf_change_kind_name(s->first->kind),
			    s->first->setting ? s->first->setting :
			    "server");
		if (s->unchecked != NULL)
			irmf_text_printf(out, "%s: %s: %s\n", s->name,
			    irmf_change_kind_name(s->unchecked->kind),
			    s->unchecked->message ? s->unchecked->message :
			    "not checked");
		if (s->stale != NULL)
			irmf_text_printf(out, "%s: stale: last collected %s\n",
			    s->name, s->stale->old_since ? s->stale->old_since :
			    "never");
	}
}

int
irmf_report_audit_brief(const irmf_audit_view *v, FILE *out, unsigned flags)
{
	aservers l;
	irmf_result empty;
	int rc;

	if ((rc = servers_build(v, &l)) < 0)
		return rc;
	brief_lines(out, &l);
	free(l.s);
	return irmf_report_brief(comparison(v, &empty), out, flags);
}

/* ---- nagios ---- */

int
irmf_report_audit_nagios_state(const irmf_audit_view *v)
{
	irmf_compare_counts c = { 0 };
	int state;

	if (v->comparison != NULL)
		irmf_result_counts(v->comparison, &c);
	state = irmf_compare_nagios_state(&c);
	if (state == IRMF_NAGIOS_OK && (v->changes > 0 || v->not_checked > 0))
		state = IRMF_NAGIOS_WARNING;
	return state;
}

/* "2 servers changed since the previous audit (EX07, EX08), 1 stale; " */
static char *
nagios_lead(const irmf_audit_view *v, const aservers *l)
{
	irmf_buf b = IRMF_BUF_INIT;
	size_t shown = 0, unchecked = 0;

	irmf_buf_printf(&b, "%zu %s changed since the previous audit",
	    v->ntimelines, v->ntimelines == 1 ? "server" : "servers");
	for (size_t i = 0; i < v->ntimelines && shown < 5; i++) {
		char *e = irmf_text_escape(v->timelines[i].server);
		for (char *p = e; p && *p; p++)
			if (*p == '|')
				*p = '/';   /* '|' would start the perfdata */
		irmf_buf_printf(&b, "%s%s", shown++ ? ", " : " (", e ? e : "?");
		free(e);
	}
	if (v->ntimelines > 5)
		irmf_buf_printf(&b, ", +%zu more", v->ntimelines - 5);
	for (size_t i = 0; i < l->n; i++)
		unchecked += l->s[i].unchecked != NULL;
	irmf_buf_printf(&b, "%s, %zu stale", shown ? ")" : "", v->stale->n);
	if (unchecked > 0)
		irmf_buf_printf(&b, ", %zu failed or absent", unchecked);
	irmf_buf_printf(&b, "; ");
	if (b.err) {
		irmf_buf_free(&b);
		return NULL;
	}
	return b.p;
}

int
irmf_report_audit_nagios(const irmf_audit_view *v, FILE *out, unsigned flags)
{
	irmf_nagios_extra x = { .state = irmf_report_audit_nagios_state(v),
	    .long_output = brief_lines };
	irmf_result empty;
	aservers l;
	char perf[128], *lead;
	int rc;

	if ((rc = servers_build(v, &l)) < 0)
		return rc;
	if ((lead = nagios_lead(v, &l)) == NULL) {
		free(l.s);
		return irmf_error_oom();
	}
	snprintf(perf, sizeof(perf), " changed=%zu;;;0 changes=%zu;;;0 "
	    "stale=%zu;;;0", v->ntimelines, v->changes, v->stale->n);
	x.lead = lead;
	x.perfdata = perf;
	x.payload = &l;
	rc = irmf_report_nagios_ex(comparison(v, &empty), out, flags, &x);
	free(lead);
	free(l.s);
	return rc;
}

/* ---- prometheus ---- */

static void
gauge(FILE *out, const char *name, const char *help, long long value)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help,
	    name, name, value);
}

int
irmf_report_audit_prometheus(const irmf_audit_view *v, FILE *out)
{
	irmf_result empty;
	time_t at = 0;
	int rc;

	if ((rc = irmf_report_prometheus(comparison(v, &empty), out, 0)) < 0)
		return rc;
	(void)irmf_time_parse(v->sum->at, 0, &at);   /* recorded: valid */
	gauge(out, "irmfleet_audit_changed_servers", "Servers whose "
	    "configuration changed since the previous audit.",
	    (long long)v->ntimelines);
	gauge(out, "irmfleet_audit_changes", "Changes of configuration "
	    "since the previous audit.", (long long)v->changes);
	gauge(out, "irmfleet_audit_stale_servers", "Servers not collected "
	    "for longer than the audit's --stale limit.",
	    (long long)v->stale->n);
	gauge(out, "irmfleet_audit_last_run_timestamp_seconds", "When this "
	    "audit ran (as recorded in the history), in Unix seconds.",
	    (long long)at);
	if (fflush(out) != 0 || ferror(out))
		return irmf_error_set(IRMF_EIO, "writing the prometheus "
		    "report failed");
	return IRMF_OK;
}

/* ---- junit ---- */

#define X(s) ((const xmlChar *)(s))

typedef struct jaudit {
	const irmf_audit_view *v;
	const aservers *l;
} jaudit;

/* A testcase with at most one failure or error of type and message,
 * text as its content. */
static int
jcase(xmlTextWriterPtr w, const char *server, const char *name,
    const char *el, const char *type, const char *message, const char *text)
{
	char cls[512];
	int rc = 0;

	snprintf(cls, sizeof(cls), "audit.%s", server);
	rc |= xmlTextWriterStartElement(w, X("testcase"));
	rc |= xmlTextWriterWriteAttribute(w, X("classname"), X(cls));
	rc |= xmlTextWriterWriteAttribute(w, X("name"), X(name));
	rc |= xmlTextWriterWriteAttribute(w, X("time"), X("0"));
	if (el != NULL) {
		rc |= xmlTextWriterStartElement(w, X(el));
		rc |= xmlTextWriterWriteAttribute(w, X("type"), X(type));
		rc |= xmlTextWriterWriteAttribute(w, X("message"), X(message));
		rc |= xmlTextWriterWriteString(w, X(text ? text : ""));
		rc |= xmlTextWriterEndElement(w);
	}
	rc |= xmlTextWriterEndElement(w);
	return rc < 0 ? -1 : 0;
}

/* The server's drift, as the text report shows it. */
static char *
drift_text(const irmf_audit_view *v, const char *server)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (m == NULL)
		return NULL;
	for (size_t i = 0; i < v->drift->n; i++)
		if (strcasecmp(v->drift->items[i].server, server) == 0 &&
		    irmf_audit_change_is_drift(&v->drift->items[i]))
			irmf_change_print(m, &v->drift->items[i], false);
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int
jdrift(xmlTextWriterPtr w, const irmf_audit_view *v, const aserver *s)
{
	char msg[600], *text;
	int rc;

	if (s->changes == 0)
		return jcase(w, s->name, "no drift since the last audit", NULL,
		    NULL, NULL, NULL);
	snprintf(msg, sizeof(msg), "%zu change%s since the previous audit "
	    "(%s)", s->changes, s->changes == 1 ? "" : "s", v->sum->prev_at);
	text = drift_text(v, s->name);
	rc = jcase(w, s->name, "no drift since the last audit", "failure",
	    "drift", msg, text);
	free(text);
	return text ? rc : -1;
}

static int
jrecent(xmlTextWriterPtr w, const aserver *s)
{
	const char *name = "collected recently";
	const irmf_change *u = s->unchecked;
	char msg[600];

	if (u != NULL) {
		snprintf(msg, sizeof(msg), "%s: %s",
		    irmf_change_kind_name(u->kind), u->message ? u->message :
		    "not checked");
		return jcase(w, s->name, name, "error",
		    irmf_change_kind_name(u->kind), msg, NULL);
	}
	if (s->stale != NULL) {
		snprintf(msg, sizeof(msg), "stale: last collected %s",
		    s->stale->old_since ? s->stale->old_since : "never");
		return jcase(w, s->name, name, "failure", "stale", msg,
		    s->stale->message);
	}
	return jcase(w, s->name, name, NULL, NULL, NULL, NULL);
}

static int
junit_suite(void *writer, const void *payload)
{
	const jaudit *j = payload;
	xmlTextWriterPtr w = writer;
	size_t failures = 0, errors = 0;
	char n[3][32];
	int rc = 0;

	for (size_t i = 0; i < j->l->n; i++) {
		const aserver *s = &j->l->s[i];
		failures += (s->changes > 0) +
		    (s->unchecked == NULL && s->stale != NULL);
		errors += s->unchecked != NULL;
	}
	snprintf(n[0], sizeof(n[0]), "%zu", j->l->n * 2);
	snprintf(n[1], sizeof(n[1]), "%zu", failures);
	snprintf(n[2], sizeof(n[2]), "%zu", errors);
	rc |= xmlTextWriterStartElement(w, X("testsuite"));
	rc |= xmlTextWriterWriteAttribute(w, X("name"), X("audit"));
	rc |= xmlTextWriterWriteAttribute(w, X("tests"), X(n[0]));
	rc |= xmlTextWriterWriteAttribute(w, X("failures"), X(n[1]));
	rc |= xmlTextWriterWriteAttribute(w, X("errors"), X(n[2]));
	rc |= xmlTextWriterWriteAttribute(w, X("timestamp"), X(j->v->sum->at));
	for (size_t i = 0; i < j->l->n && rc >= 0; i++) {
		rc |= jdrift(w, j->v, &j->l->s[i]);
		rc |= jrecent(w, &j->l->s[i]);
	}
	rc |= xmlTextWriterEndElement(w);
	return rc < 0 ? -1 : 0;
}

int
irmf_report_audit_junit(const irmf_audit_view *v, FILE *out)
{
	irmf_result empty;
	aservers l;
	jaudit j = { v, &l };
	int rc;

	if ((rc = servers_build(v, &l)) < 0)
		return rc;
	rc = irmf_report_junit_ex(comparison(v, &empty), out, "irmfleet audit",
	    junit_suite, &j);
	free(l.s);
	return rc;
}
