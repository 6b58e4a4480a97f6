/*
 * report_monitor.c - the outputs a monitoring system reads rather than a
 * person:
 *
 * `--format prometheus`: a node_exporter textfile-collector file (the
 * text exposition format): findings by severity, servers compared,
 * drifted, not checked, and each server's last successful collection
 * time.  node_exporter reads the file whenever it is scraped, so it must
 * never be seen half-written: write it with --output, which replaces the
 * file atomically.
 *
 * `--format nagios`: a monitoring-plugin result: one status line
 * ("IRMFLEET CRITICAL - ... | perfdata"), then the brief lines of the
 * servers that need action as long output.  The CLI exits with the
 * plugin state (irmf_compare_nagios_state) in that mode only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "error.h"
#include "irmfleet/store.h"
#include "irmfleet/textesc.h"

/* Whether a server has an error or warning other than a failed
 * collection: its configuration drifted, as opposed to unknown. */
static bool
drifted(const irmf_result *r, const char *server)
{
	for (size_t i = 0; i < r->findings.n; i++) {
		const irmf_finding *f = &r->findings.items[i];
		if (!f->suppressed && f->server != NULL &&
		    f->kind != IRMF_FIND_NOT_COLLECTED &&
		    f->severity > IRMF_SEV_INFO &&
		    strcasecmp(f->server, server) == 0)
			return true;
	}
	return false;
}

static size_t
count_drifted(const irmf_result *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->fleet.n; i++)
		n += drifted(r, r->fleet.members[i].snap->server);
	return n;
}

/* A label value: backslash, double quote and newline escaped, as the
 * exposition format requires. */
static void
label(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void
metric(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
last_collection(const irmf_result *r, FILE *out)
{
	metric(out, "irmfleet_server_last_collection_timestamp_seconds",
	    "gauge", "When each reached server was collected (its "
	    "snapshot's collectedAt), in Unix seconds.");
	for (size_t i = 0; i < r->fleet.n; i++) {
		const irmf_member *m = &r->fleet.members[i];
		time_t t;
		if (!irmf_report_server_reached(m->snap) ||
		    m->snap->collected_at == NULL ||
		    irmf_time_parse(m->snap->collected_at, 0, &t) < 0)
			continue;
		fputs("irmfleet_server_last_collection_timestamp_seconds"
		    "{server=\"", out);
		label(out, m->snap->server);
		fputs("\",cohort=\"", out);
		label(out, m->cohort);
		fprintf(out, "\"} %lld\n", (long long)t);
	}
}

int
irmf_report_prometheus(const irmf_result *r, FILE *out, unsigned flags)
{
	irmf_compare_counts c;
	irmf_report_meta m;

	(void)flags;
	irmf_result_counts(r, &c);
	irmf_report_meta_get(r, &m);
	metric(out, "irmfleet_findings", "gauge", "Unsuppressed findings of "
	    "the comparison, by severity.");
	fprintf(out, "irmfleet_findings{severity=\"error\"} %zu\n"
	    "irmfleet_findings{severity=\"warning\"} %zu\n"
	    "irmfleet_findings{severity=\"info\"} %zu\n", c.errors,
	    c.warnings, c.infos);
	metric(out, "irmfleet_suppressed_findings", "gauge", "Findings "
	    "matched by the suppression file.");
	fprintf(out, "irmfleet_suppressed_findings %zu\n", c.suppressed);
	metric(out, "irmfleet_servers", "gauge", "Servers compared.");
	fprintf(out, "irmfleet_servers %zu\n", c.servers);
	metric(out, "irmfleet_drifted_servers", "gauge", "Servers with an "
	    "error or warning finding other than a failed collection.");
	fprintf(out, "irmfleet_drifted_servers %zu\n", count_drifted(r));
	metric(out, "irmfleet_servers_not_checked", "gauge", "Servers with "
	    "at least one item that could not be collected.");
	fprintf(out, "irmfleet_servers_not_checked %zu\n",
	    c.not_checked_servers);
	last_collection(r, out);
	metric(out, "irmfleet_report_generated_timestamp_seconds", "gauge",
	    "When this file was written, in Unix seconds.");
	fprintf(out, "irmfleet_report_generated_timestamp_seconds %lld\n",
	    (long long)m.generated_t);
	metric(out, "irmfleet_build_info", "gauge", "The irmfleet version "
	    "that wrote this file.");
	fputs("irmfleet_build_info{version=\"", out);
	label(out, m.version);
	fputs("\"} 1\n", out);
	if (fflush(out) != 0 || ferror(out))
		return irmf_error_set(IRMF_EIO, "writing the prometheus "
		    "report failed");
	return IRMF_OK;
}

/* A server name in the status line: escaped like the text report, and
 * without '|', which would start the perfdata. */
static void
status_name(FILE *out, const char *s)
{
	char *e = irmf_text_escape(s);

	for (char *p = e; p && *p; p++)
		if (*p == '|')
			*p = '/';
	fputs(e ? e : "?", out);
	free(e);
}

#define STATUS_NAMES 5

/* The drifted servers' names, at most STATUS_NAMES of them. */
static void
drifted_names(const irmf_result *r, FILE *out, size_t nd)
{
	size_t shown = 0;

	fputc('(', out);
	for (size_t i = 0; i < r->fleet.n; i++) {
		const char *s = r->fleet.members[i].snap->server;
		if (!drifted(r, s) || shown++ >= STATUS_NAMES)
			continue;
		fputs(shown > 1 ? ", " : "", out);
		status_name(out, s);
	}
	if (nd > STATUS_NAMES)
		fprintf(out, ", +%zu more", nd - STATUS_NAMES);
	fputc(')', out);
}

static void
status_line(const irmf_result *r, FILE *out, const irmf_compare_counts *c,
    const irmf_nagios_extra *x)
{
	static const char *const states[] = { "OK", "WARNING", "CRITICAL",
	    "UNKNOWN" };
	size_t nd = count_drifted(r);
	int state = x ? x->state : irmf_compare_nagios_state(c);

	fprintf(out, "IRMFLEET %s - %s", states[state & 3],
	    x && x->lead ? x->lead : "");
	if (nd > 0) {
		fprintf(out, "%zu of %zu %s drifted ", nd, c->servers,
		    c->servers == 1 ? "server" : "servers");
		drifted_names(r, out, nd);
		fputs(", ", out);
	} else {
		fprintf(out, "%zu %s agree, ", c->servers,
		    c->servers == 1 ? "server" : "servers");
	}
	fprintf(out, "%zu %s, %zu %s", c->errors,
	    c->errors == 1 ? "error" : "errors", c->warnings,
	    c->warnings == 1 ? "warning" : "warnings");
	if (c->not_checked_servers > 0)
		fprintf(out, ", %zu not checked", c->not_checked_servers);
	fprintf(out, " | servers=%zu;;;0 drifted=%zu;;;0 not_checked=%zu;;;0 "
	    "errors=%zu;;;0 warnings=%zu;;;0 info=%zu;;;0 suppressed=%zu;;;0"
	    "%s\n", c->servers, nd, c->not_checked_servers, c->errors,
	    c->warnings, c->infos, c->suppressed,
	    x && x->perfdata ? x->perfdata : "");
}

int
irmf_report_nagios_ex(const irmf_result *r, FILE *out, unsigned flags,
    const irmf_nagios_extra *x)
{
	irmf_compare_counts c;

	irmf_result_counts(r, &c);
	status_line(r, out, &c, x);
	if (x && x->long_output)
		x->long_output(out, x->payload);
	if (c.errors + c.warnings > 0)
		return irmf_report_brief(r, out, flags);
	if (fflush(out) != 0 || ferror(out))
		return irmf_error_set(IRMF_EIO, "writing the nagios report "
		    "failed");
	return IRMF_OK;
}

int
irmf_report_nagios(const irmf_result *r, FILE *out, unsigned flags)
{
	return irmf_report_nagios_ex(r, out, flags, NULL);
}

int
irmf_compare_nagios_state(const irmf_compare_counts *c)
{
	if (c->errors > 0)
		return IRMF_NAGIOS_CRITICAL;
	if (c->warnings > 0 || c->not_checked_servers > 0)
		return IRMF_NAGIOS_WARNING;
	return IRMF_NAGIOS_OK;
}
