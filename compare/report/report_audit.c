/*
 * report_audit.c - the report of `irmfleet audit` (irmf_report_audit):
 * the comparison's own report, then the run, the drift since the
 * previous audit and the stale servers, as text or as one JSON document
 * ("irmfleet-audit", docs/json-output.md) that embeds the comparison's
 * JSON report as a value; and the dispatch to the other formats (HTML:
 * html_page.c and html_drift.c; JUnit, Prometheus, nagios, --brief:
 * report_audit_machine.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "irmfleet/textesc.h"
#include "report.h"
#include "report_audit.h"

/* A stale server's line, ending with the command that stops the report
 * if the server is gone for good (one line, so that grep finds both). */
static void
print_stale(FILE *out, const irmf_change *c, const char *db)
{
	irmf_change line = *c;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (m != NULL) {
		fprintf(m, "%s (if it was decommissioned: irmfleet forget ",
		    c->message ? c->message : "stale");
		if (db != NULL) {
			fputs("--db ", m);
			irmf_text_put_shell_word(m, db);
			fputc(' ', m);
		}
		irmf_text_put_shell_word(m, c->server);
		fputc(')', m);
		if (fclose(m) == 0)
			line.message = buf;
	}
	irmf_change_print(out, &line, false);
	free(buf);
}

static void
print_stale_list(FILE *out, const irmf_audit_view *v)
{
	const irmf_changes *stale = v->stale;

	fprintf(out, "\nstale (not collected for more than %s):\n",
	    v->stale_label);
	for (size_t i = 0; i < stale->n; i++)
		if (v->old_input)
			irmf_change_print(out, &stale->items[i], false);
		else
			print_stale(out, &stale->items[i], v->db_label);
	if (v->old_input)
		fprintf(out, "every snapshot of this audit was collected more "
		    "than %s ago: audit a fresh collection (or raise "
		    "--stale for an old export)\n", v->stale_label);
}

static int
audit_text(const irmf_audit_view *v, FILE *out)
{
	const irmf_run_summary *sum = v->sum;
	/* stale servers apart: "not checked" means a failed collection, and
	 * an old export is not that (v->not_checked counts both) */
	size_t stale = v->stale->n;
	size_t unchecked = v->not_checked > stale ? v->not_checked - stale : 0;
	int rc;

	/* what changed first, then the comparison it belongs with */
	fprintf(out, "audit: run %lld at %s", (long long)sum->run_id,
	    sum->at);
	if (sum->prev_run_id)
		fprintf(out, ", compared with run %lld at %s\n",
		    (long long)sum->prev_run_id, sum->prev_at);
	else
		fprintf(out, ", the first audit in this database (baseline)\n");
	fprintf(out, "hosts: %zu ok, %zu failed; %zu new snapshot contents\n",
	    sum->hosts_ok, sum->hosts_failed, sum->snapshots_new);
	if (v->drift->n > 0) {
		fprintf(out, "\nchanges since the previous audit:\n");
		for (size_t i = 0; i < v->drift->n; i++)
			irmf_change_print(out, &v->drift->items[i], false);
	} else if (sum->prev_run_id) {
		fprintf(out, "no change since the previous audit\n");
	}
	if (v->stale->n > 0)
		print_stale_list(out, v);
	if (v->comparison != NULL) {
		fputc('\n', out);
		if ((rc = irmf_report_text(v->comparison, out, 0)) < 0)
			return rc;
	}
	fprintf(out, "\naudit result: %zu change%s, %zu not checked",
	    v->changes, v->changes == 1 ? "" : "s", unchecked);
	if (stale > 0)
		fprintf(out, ", %zu stale", stale);
	fputc('\n', out);
	return IRMF_OK;
}

static json_t *
changes_json(const irmf_changes *c)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < c->n; i++)
		if (json_array_append_new(a, irmf_change_json(&c->items[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static int
audit_json(const irmf_audit_view *v, FILE *out)
{
	const irmf_run_summary *sum = v->sum;
	json_t *root = json_pack("{s:s, s:i, s:{s:I, s:s, s:o, s:o, s:I, s:I, "
	    "s:I, s:s}, s:{s:I, s:I, s:I, s:i}, s:o, s:o, s:o}",
	    "format", "irmfleet-audit", "version", 1,
	    "run", "id", (json_int_t)sum->run_id, "at", sum->at,
	    "previous_id", sum->prev_run_id ?
	    json_integer(sum->prev_run_id) : json_null(),
	    "previous_at", sum->prev_run_id ? json_string(sum->prev_at) :
	    json_null(),
	    "hosts_ok", (json_int_t)sum->hosts_ok,
	    "hosts_failed", (json_int_t)sum->hosts_failed,
	    "new_contents", (json_int_t)sum->snapshots_new,
	    "database", v->db_label ? v->db_label : "(default)",
	    "summary", "changes", (json_int_t)v->changes,
	    "not_checked", (json_int_t)v->not_checked,
	    "findings", (json_int_t)v->findings,
	    "exit", v->result,
	    "drift", changes_json(v->drift),
	    "stale", changes_json(v->stale),
	    "comparison", v->comparison ?
	    irmf_report_json_value(v->comparison) : json_null());
	int rc = irmf_report_json_dump(root, out);

	json_decref(root);
	return rc;
}

int
irmf_report_audit(const irmf_audit_view *v, FILE *out,
    irmf_report_format format, unsigned flags)
{
	switch (format) {
	case IRMF_FORMAT_TEXT:
		if (flags & IRMF_REPORT_BRIEF)
			return irmf_report_audit_brief(v, out, flags);
		return audit_text(v, out);
	case IRMF_FORMAT_JSON:
		return audit_json(v, out);
	case IRMF_FORMAT_HTML:
		return irmf_report_audit_html(v, out);
	case IRMF_FORMAT_JUNIT:
		return irmf_report_audit_junit(v, out);
	case IRMF_FORMAT_PROMETHEUS:
		return irmf_report_audit_prometheus(v, out);
	case IRMF_FORMAT_NAGIOS:
		return irmf_report_audit_nagios(v, out, flags);
	}
	return irmf_error_set(IRMF_EUSAGE, "audit: unknown report format %d",
	    (int)format);
}
