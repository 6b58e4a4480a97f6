/*
 * hostout.c - per-host output handling of the collect engine (hostout.h).
 * A finished command is judged by its exit: could not run, killed, a
 * non-zero status (an absent registry key is no error, "access is denied"
 * is its own reason, and a failure in words collect cannot read, on a
 * localized Windows, is explained by the registry existence check), or
 * success, when its output is ingested (collector/parse/ingest.c: the
 * same path `import` takes) as the format its plan item names.  Ingest
 * parses an answer into a scratch snapshot and merges it on success, so
 * a parse failure leaves no half item behind and is recorded as that
 * item's collection error.  Every output read is recorded as a <source>
 * with its SHA-256.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "detect.h"
#include "digest.h"
#include "error.h"
#include "hostout.h"
#include "ingest.h"
#include "psdoc.h"
#include "textdecode.h"

static void
item_error(irmf_hostout *ho, const char *item, irmf_collect_reason reason,
    const char *msg)
{
	irmf_snapshot_add_error(ho->snap, item, reason, msg);
	ho->item_errors++;
}

void
irmf_hostout_cmd_error(irmf_hostout *ho, const irmf_plan_cmd *c,
    irmf_collect_reason reason, const char *msg)
{
	if (c->fail_items[0] == NULL) {
		item_error(ho, c->item, reason, msg);
		return;
	}
	for (size_t i = 0; i < IRMF_PLAN_MAX_ITEMS && c->fail_items[i]; i++)
		item_error(ho, c->fail_items[i], reason, msg);
}

void
irmf_hostout_skip(irmf_hostout *ho, const irmf_plan *p, size_t from,
    irmf_collect_reason reason, const char *why)
{
	for (size_t i = from; i < p->ncmds; i++)
		irmf_hostout_cmd_error(ho, &p->cmds[i], reason, why);
}

void
irmf_hostout_clear(irmf_hostout *ho)
{
	irmf_regexist_free(ho->exist);
	ho->exist = NULL;
}

static bool
contains_ci(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	for (size_t i = 0; i + m <= n; i++)
		if (strncasecmp(hay + i, needle, m) == 0)
			return true;
	return false;
}

static void
add_source(irmf_hostout *ho, const irmf_plan_cmd *c, const char *out,
    size_t n)
{
	char hex[IRMF_SHA256_HEX];

	/* an export document: the hash of the document itself, not of
	 * what a profile printed around it (import hashes the file) */
	if (strcmp(c->format, "psdoc") == 0)
		irmf_psdoc_body(out, n, &out, &n);
	/* the hash is optional in a snapshot: without one the source is
	 * still listed */
	irmf_snapshot_add_source(ho->snap, c->item,
	    irmf_sha256_hex(out, n, hex) == 0 ? hex : NULL, c->format);
}

/* Ingest one command's output as its format; record why not. */
static void
parse_output(irmf_hostout *ho, const irmf_plan_cmd *c, const irmf_format *f,
    const char *out, size_t n)
{
	char name[600];
	irmf_ingest_opts io = { .name = name, .format = f, .answer = true,
	    .event_ids = c->event_ids, .event_cap = c->event_cap };
	irmf_ingest_result res;

	snprintf(name, sizeof(name), "%s: %s", ho->host, c->item);
	if (irmf_ingest(ho->snap, out, n, &io, &res) != 0) {
		irmf_hostout_cmd_error(ho, c, res.parse_failed ?
		    IRMF_REASON_PARSE_ERROR : IRMF_REASON_COMMAND_FAILED,
		    irmf_error_last()->message);
		return;
	}
	ho->item_errors += res.errors;   /* errors the parser recorded */
	add_source(ho, c, out, n);
}

/* First line of stderr, for messages, as UTF-8: a localized Windows
 * writes it in its OEM code page, which the bytes do not name, so it is
 * decoded as textdecode.h decodes any 8-bit text (IRMFLEET_CODEPAGE, else
 * CP1252); bytes that cannot be decoded become '?'. */
static void
first_line(const char *s, size_t n, char *buf, size_t cap)
{
	size_t i = 0, o = 0, dlen;
	char *dec = NULL;

	while (i < n && (s[i] == '\r' || s[i] == '\n' || s[i] == ' '))
		i++;
	while (i < n && s[i] != '\r' && s[i] != '\n' && o + 1 < cap) {
		unsigned char ch = (unsigned char)s[i++];

		buf[o++] = ch >= 0x20 && ch != 0x7f ? (char)ch : '?';
	}
	buf[o] = '\0';
	if (irmf_text_decode_8bit(buf, o, NULL, "stderr", &dec, &dlen) != 0) {
		for (i = 0; i < o; i++)
			if ((unsigned char)buf[i] >= 0x80)
				buf[i] = '?';
		return;
	}
	if (dlen >= cap) {   /* cut before a UTF-8 sequence, not inside */
		dlen = cap - 1;
		while (dlen > 0 && ((unsigned char)dec[dlen] & 0xc0) == 0x80)
			dlen--;
	}
	memcpy(buf, dec, dlen);
	buf[dlen] = '\0';
	free(dec);
}

/* The existence check finished: keep its answer for the reg queries
 * after it.  Its failure is no collection error of its own (each key it
 * asks about has its reg query item); it only means that a reg query
 * failing in words collect cannot read stays command-failed, and the
 * reason goes into that item's message. */
static void
exist_done(irmf_hostout *ho, const irmf_plan_cmd *c, const irmf_cmd_output *co)
{
	char line[200], name[600];

	irmf_regexist_free(ho->exist);
	ho->exist = NULL;
	if (co->rc != 0) {
		snprintf(ho->exist_err, sizeof(ho->exist_err), "%.250s",
		    irmf_error_last()->message);
		return;
	}
	first_line(co->err, co->elen, line, sizeof(line));
	if (co->signal != NULL || co->status != 0) {
		if (co->signal != NULL)
			snprintf(ho->exist_err, sizeof(ho->exist_err),
			    "killed by signal %s", co->signal);
		else
			snprintf(ho->exist_err, sizeof(ho->exist_err),
			    "exit status %d%s%s", co->status,
			    line[0] ? ": " : "", line);
		return;
	}
	snprintf(name, sizeof(name), "%s: %s", ho->host, c->item);
	if (irmf_regexist_parse(&ho->exist, co->out, co->olen, name) != 0) {
		snprintf(ho->exist_err, sizeof(ho->exist_err), "%.250s",
		    irmf_error_last()->message);
		return;
	}
	add_source(ho, c, co->out, co->olen);
}

/* A reg query failed with a message collect cannot read (a localized
 * Windows): what the existence check says about its key.  Only an
 * explicit answer counts, and "absent" only with reg.exe's error status
 * 1; otherwise UNKNOWN, and `note` says why for the error message. */
static irmf_regexist_state
reg_state(const irmf_hostout *ho, const irmf_plan_cmd *c, int status,
    char *note, size_t cap)
{
	irmf_regexist_state st;

	note[0] = '\0';
	if (ho->exist == NULL) {
		if (ho->exist_err[0] != '\0')
			snprintf(note, cap, " (existence check failed: %s)",
			    ho->exist_err);
		return IRMF_REGEXIST_UNKNOWN;
	}
	st = irmf_regexist_get(ho->exist, c->item + strlen("registry:"));
	if (st == IRMF_REGEXIST_ABSENT && status != 1) {
		snprintf(note, cap, " (existence check: absent, but not "
		    "reg.exe's exit status 1)");
		return IRMF_REGEXIST_UNKNOWN;
	}
	if (st == IRMF_REGEXIST_PRESENT)
		snprintf(note, cap, " (existence check: the key exists)");
	else if (st == IRMF_REGEXIST_UNKNOWN)
		snprintf(note, cap, " (existence check: no answer for the "
		    "key)");
	return st;
}

/* A non-zero exit status: found nothing (no error), or the reason. */
static void
failed_status(irmf_hostout *ho, const irmf_plan_cmd *c, const irmf_format *f,
    const irmf_cmd_output *co, const char *line)
{
	irmf_collect_reason why = IRMF_REASON_COMMAND_FAILED;
	char note[400], msg[1100];

	note[0] = '\0';
	if (f->absent_stderr != NULL &&
	    contains_ci(co->err, co->elen, f->absent_stderr)) {
		add_source(ho, c, co->out, co->olen);
		return;   /* absent key: nothing to record */
	}
	if (contains_ci(co->err, co->elen, "access is denied")) {
		why = IRMF_REASON_ACCESS_DENIED;
	} else if (f->flags & IRMF_FORMAT_EXIST_CHECKED) {
		/* not English: ask the existence check */
		switch (reg_state(ho, c, co->status, note, sizeof(note))) {
		case IRMF_REGEXIST_ABSENT:
			add_source(ho, c, co->out, co->olen);
			return;   /* absent, as in English */
		case IRMF_REGEXIST_DENIED:
			why = IRMF_REASON_ACCESS_DENIED;
			break;
		default:
			break;
		}
	}
	snprintf(msg, sizeof(msg), "'%s': exit status %d%s%s%s", ho->host,
	    co->status, line[0] ? ": " : "", line, note);
	irmf_hostout_cmd_error(ho, c, why, msg);
}

void
irmf_hostout_done(irmf_hostout *ho, const irmf_plan_cmd *c,
    const irmf_cmd_output *co)
{
	const irmf_format *f = irmf_format_find(c->format);
	char line[300], msg[1100];

	/* the existence check is read here, not into the snapshot */
	if (strcmp(c->item, IRMF_PLAN_REGEXIST_ITEM) == 0) {
		exist_done(ho, c, co);
		return;
	}
	if (co->rc != 0) {
		irmf_hostout_cmd_error(ho, c, IRMF_REASON_COMMAND_FAILED,
		    irmf_error_last()->message);
		return;
	}
	if (f == NULL) {   /* plan.c and detect.c disagree: a bug */
		snprintf(msg, sizeof(msg), "'%s': no format '%s' to read the "
		    "output with", ho->host, c->format ? c->format : "");
		irmf_hostout_cmd_error(ho, c, IRMF_REASON_COMMAND_FAILED, msg);
		return;
	}
	first_line(co->err, co->elen, line, sizeof(line));
	if (co->signal != NULL) {
		snprintf(msg, sizeof(msg), "'%s': command killed by signal %s",
		    ho->host, co->signal);
		irmf_hostout_cmd_error(ho, c, IRMF_REASON_COMMAND_FAILED, msg);
		return;
	}
	if (co->status != 0) {
		failed_status(ho, c, f, co, line);
		return;
	}
	parse_output(ho, c, f, co->out, co->olen);
}
