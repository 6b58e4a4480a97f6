/*
 * report_history.c - the answer of `irmfleet history` as text or JSON
 * (irmf_history_report, include/irmfleet/store.h), and the one way a
 * change is shown, as a text line or a JSON object, so that audit drift
 * (report_audit.c) and history timelines read the same.
 */
#include <stdio.h>

#include <jansson.h>

#include "error.h"
#include "irmfleet/textesc.h"
#include "report_audit.h"

void
irmf_change_print(FILE *f, const irmf_change *c, bool with_time)
{
	/* names, keys and values come from the servers: escaped */
	if (with_time)
		irmf_text_printf(f, "%s  ", c->at ? c->at : "-");
	irmf_text_printf(f, "%-12s %-13s %s", c->server ? c->server : "-",
	    irmf_change_kind_name(c->kind), c->setting ? c->setting : "");
	if (c->message)
		irmf_text_printf(f, "%s%s", c->setting ? ": " : "", c->message);
	fputc('\n', f);
	if (c->old_value)
		irmf_text_printf(f, "    was: %s%s%s%s\n", c->old_value,
		    c->old_since ? " (since " : "",
		    c->old_since ? c->old_since : "", c->old_since ? ")" : "");
	if (c->new_value)
		irmf_text_printf(f, "    now: %s\n", c->new_value);
}

static json_t *
jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
irmf_change_json(const irmf_change *c)
{
	return json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "server", jstr(c->server),
	    "kind", irmf_change_kind_name(c->kind),
	    "setting", jstr(c->setting),
	    "old_value", jstr(c->old_value),
	    "new_value", jstr(c->new_value),
	    "old_since", jstr(c->old_since),
	    "at", jstr(c->at),
	    "message", jstr(c->message));
}

int
irmf_report_json_dump(json_t *root, FILE *out)
{
	if (root == NULL)
		return irmf_error_oom();
	if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', out) == EOF)
		return irmf_error_set(IRMF_EIO, "writing the json report "
		    "failed");
	return IRMF_OK;
}

static void
print_current(FILE *out, const char *server, const char *setting,
    const irmf_current *c)
{
	/* values come from the servers: escaped (irmfleet/textesc.h) */
	irmf_text_printf(out, "%s %s\n", server, setting);
	if (c->value) {
		irmf_text_printf(out, "  current value: %s\n", c->value);
		irmf_text_printf(out, "  since: %s\n", c->since ? c->since :
		    "?");
	} else {
		fprintf(out, "  current value: (none)%s%s\n", c->since ?
		    "; removed at " : "", c->since ? c->since : "");
	}
	if (c->majority_value) {
		size_t of = c->others + (c->value ? 1 : 0);

		/* "1 of 1 server has", "2 of 3 servers have" */
		irmf_text_printf(out, "  fleet: %zu of %zu server%s %s %s\n",
		    c->majority_count, of, of == 1 ? "" : "s",
		    c->majority_count == 1 ? "has" : "have",
		    c->majority_value);
	}
	if (c->differs)
		irmf_text_printf(out, "  %s differs from the majority since "
		    "%s\n", server,
		    c->differs_since ? c->differs_since : "?");
	else
		irmf_text_printf(out, "  %s agrees with the majority (or "
		    "there is none)\n",
		    server);
	fprintf(out, "\n");
}

static json_t *
current_json(const irmf_current *c)
{
	return json_pack("{s:o, s:o, s:o, s:I, s:I, s:b, s:o}",
	    "value", c->value ? json_string(c->value) : json_null(),
	    "since", c->since ? json_string(c->since) : json_null(),
	    "majority_value", c->majority_value ?
	    json_string(c->majority_value) : json_null(),
	    "majority_count", (json_int_t)c->majority_count,
	    "other_servers", (json_int_t)c->others,
	    "differs", c->differs,
	    "differs_since", c->differs_since ?
	    json_string(c->differs_since) : json_null());
}

static int
history_text(FILE *out, const irmf_history_query *q, const irmf_current *cur,
    const irmf_changes *h)
{
	if (cur)
		print_current(out, q->server, q->setting, cur);
	if (h->n == 0)
		fprintf(out, "no changes recorded%s%s\n", q->since ?
		    " since " : "", q->since ? q->since : "");
	for (size_t i = 0; i < h->n; i++)
		irmf_change_print(out, &h->items[i], true);
	return IRMF_OK;
}

static int
history_json(FILE *out, const irmf_history_query *q, const irmf_current *cur,
    const irmf_changes *h)
{
	json_t *root, *a;
	int rc;

	if ((a = json_array()) == NULL)
		return irmf_error_oom();
	for (size_t i = 0; i < h->n; i++)
		json_array_append_new(a, irmf_change_json(&h->items[i]));
	root = json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:o}",
	    "format", "irmfleet-history", "version", 1,
	    "server", q->server ? json_string(q->server) : json_null(),
	    "setting", q->setting ? json_string(q->setting) : json_null(),
	    "since", q->since ? json_string(q->since) : json_null(),
	    "current", cur ? current_json(cur) : json_null(),
	    "changes", a);
	rc = irmf_report_json_dump(root, out);
	json_decref(root);
	return rc;
}

int
irmf_history_report(FILE *out, irmf_report_format format,
    const irmf_history_query *q, const irmf_current *cur,
    const irmf_changes *h)
{
	switch (format) {
	case IRMF_FORMAT_TEXT:
		return history_text(out, q, cur, h);
	case IRMF_FORMAT_JSON:
		return history_json(out, q, cur, h);
	default:
		return irmf_error_set(IRMF_EUSAGE, "history: no such report "
		    "format (text or json)");
	}
}
