/*
 * evtxml.c - Windows event XML -> RMS connector event summaries (see
 * evtxml.h for the accepted layouts).
 *
 * wevtutil writes events back to back without a root element, which is
 * not a well-formed document.  The input is therefore decoded to UTF-8
 * first (textdecode.c: BOM, UTF-16, code pages), a leading XML
 * declaration is blanked out (it would be illegal inside a root, and its
 * encoding no longer applies), and the text is wrapped in a synthetic
 * root element on the same line, so libxml2's line numbers still match
 * the file.  Everything at the top level must then be <Event> or
 * <Events>; stray text (the "- " markers of a copy from Internet
 * Explorer's XML view, say) is an error naming the line.
 *
 * The connector logs the requesting account in its message text; no real
 * capture was available, so the requester is looked for in named Data
 * elements, in "Label: value" lines of unnamed Data elements, and in the
 * rendered message (wevtutil /f:RenderedXml), as documented in
 * docs/remote-commands.md.
 *
 * Event 1004 ("the list of authorized accounts has been updated") lists
 * every account: the newest 1004 of the input names the accounts
 * (evt1004.c scans its Data, else its rendered message), recorded as a
 * list derived from event 1004 (irmf_snapshot_note_1004) once the whole
 * input is read, so the newest one decides whatever the order (two in
 * one second: the higher EventRecordID).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/tree.h>

#include "buf.h"
#include "error.h"
#include "evt1004.h"
#include "evtxml.h"
#include "textdecode.h"
#include "timeparse.h"
#include "xmlutil.h"
#include "xmlsniff.h"

#define WRAP_NAME "irmfleet-events"
#define WRAP_OPEN "<" WRAP_NAME ">"
#define WRAP_CLOSE "</" WRAP_NAME ">"

typedef struct evt_ctx {
	irmf_snapshot *snap;
	const char *name;
	irmf_evtxml_stats st;
	char oldest[32];     /* oldest connector event time seen, or "" */
	/* the newest event 1004 seen (time, or "") and the accounts it
	 * names (evt1004.c), recorded in the snapshot at the end */
	char at1004[32];
	long long rec1004;   /* its EventRecordID, or -1 */
	irmf_strlist acc1004;
} evt_ctx;

/* ----------------------------------------------------------------- time */

int
irmf_evtxml_time(const char *in, char *out, size_t cap)
{
	struct tm tm;
	time_t t;

	if (irmf_iso8601_parse(in, IRMF_ISO_WINDOWS, &t) < 0 ||
	    gmtime_r(&t, &tm) == NULL ||
	    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return irmf_error_set(IRMF_EPARSE,
		    "time '%.40s' is not an ISO 8601 date and time", in);
	return IRMF_OK;
}

/* ------------------------------------------------------------ DOM bits */

static bool
is_el(const xmlNode *n, const char *local)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, local) == 0;
}

static const xmlNode *
child(const xmlNode *n, const char *local)
{
	for (n = n ? n->children : NULL; n != NULL; n = n->next)
		if (is_el(n, local))
			return n;
	return NULL;
}

/* Attribute value copied into buf (truncated), or false if absent. */
static bool
attr(const xmlNode *n, const char *a, char *buf, size_t cap)
{
	xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)a) : NULL;

	if (v == NULL)
		return false;
	snprintf(buf, cap, "%s", (const char *)v);
	xmlFree(v);
	return true;
}

/* Trimmed copy of s[0..n) (NULL if empty or out of memory: the caller
 * checks irmf_error_last only through its own return paths). */
static char *
trimmed(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return n ? irmf_strndup(s, n) : NULL;
}

/* ------------------------------------------------------ the requester */

static const char *const account_names[] = { "Account", "AccountName",
    "User", "UserName", "RequestingAccount", "Requester", "Identity" };
static const char *const computer_names[] = { "Computer", "ComputerName",
    "Computer Name", "ClientComputer", "Client Computer", "Machine",
    "MachineName", "Machine Name", "Workstation" };

static bool
in_list(const char *s, size_t n, const char *const *list, size_t nlist)
{
	for (size_t i = 0; i < nlist; i++)
		if (strlen(list[i]) == n && strncasecmp(list[i], s, n) == 0)
			return true;
	return false;
}
#define IN(s, n, list) in_list((s), (n), (list), sizeof(list) / sizeof(*list))

/* Labels with a space ("Account Name") match their joined form too. */
static bool
label_is(const char *s, size_t n, const char *const *list, size_t nlist)
{
	char buf[64];
	size_t j = 0;

	if (in_list(s, n, list, nlist))
		return true;
	for (size_t i = 0; i < n && j + 1 < sizeof(buf); i++)
		if (s[i] != ' ')
			buf[j++] = s[i];
	return in_list(buf, j, list, nlist);
}

typedef struct requester {
	char *account, *computer;
} requester;

static int
set_once(char **dst, const char *v, size_t n)
{
	if (*dst != NULL)
		return IRMF_OK;
	*dst = trimmed(v, n);
	return IRMF_OK;
}

/* "Account: CONTOSO\EX01$" lines of a free-text message. */
static int
scan_lines(requester *r, const char *text)
{
	const char *p = text;

	while (*p != '\0') {
		const char *eol = p + strcspn(p, "\r\n");
		const char *colon = memchr(p, ':', (size_t)(eol - p));

		if (colon != NULL) {
			const char *l = p;
			size_t ln = (size_t)(colon - p);
			while (ln > 0 && isspace((unsigned char)*l))
				l++, ln--;
			while (ln > 0 && isspace((unsigned char)l[ln - 1]))
				ln--;
			if (label_is(l, ln, account_names,
			    sizeof(account_names) / sizeof(*account_names)))
				set_once(&r->account, colon + 1,
				    (size_t)(eol - colon - 1));
			else if (label_is(l, ln, computer_names,
			    sizeof(computer_names) / sizeof(*computer_names)))
				set_once(&r->computer, colon + 1,
				    (size_t)(eol - colon - 1));
		}
		p = *eol ? eol + 1 : eol;
	}
	return IRMF_OK;
}

static int
find_requester(const xmlNode *ev, requester *r)
{
	const xmlNode *ed = child(ev, "EventData");
	const xmlNode *ri = child(ev, "RenderingInfo");

	for (const xmlNode *d = ed ? ed->children : NULL; d; d = d->next) {
		char dname[64];
		xmlChar *v;

		if (!is_el(d, "Data"))
			continue;
		v = xmlNodeGetContent(d);
		if (v == NULL)
			continue;
		if (attr(d, "Name", dname, sizeof(dname)) &&
		    IN(dname, strlen(dname), account_names))
			set_once(&r->account, (const char *)v,
			    strlen((const char *)v));
		else if (attr(d, "Name", dname, sizeof(dname)) &&
		    IN(dname, strlen(dname), computer_names))
			set_once(&r->computer, (const char *)v,
			    strlen((const char *)v));
		else
			scan_lines(r, (const char *)v);
		xmlFree(v);
	}
	if ((r->account == NULL || r->computer == NULL) && ri != NULL) {
		xmlChar *v = xmlNodeGetContent(child(ri, "Message"));
		if (v != NULL)
			scan_lines(r, (const char *)v);
		xmlFree(v);
	}
	return IRMF_OK;
}

/* ------------------------------------------------ the 1004 account list */

/* The text of every Data element ("Name: value" for a named one), one
 * after another, so label lines in separate Data elements still pair. */
static char *
event_data_text(const xmlNode *ed)
{
	irmf_buf b = { 0 };

	irmf_buf_add(&b, "");
	for (const xmlNode *d = ed ? ed->children : NULL; d; d = d->next) {
		char dname[64];
		xmlChar *v;

		if (!is_el(d, "Data") || (v = xmlNodeGetContent(d)) == NULL)
			continue;
		if (attr(d, "Name", dname, sizeof(dname)))
			irmf_buf_printf(&b, "%s: ", dname);
		irmf_buf_add(&b, (const char *)v);
		irmf_buf_add(&b, "\n");
		xmlFree(v);
	}
	return irmf_buf_take(&b);
}

/* The event's System/EventRecordID, or -1: it orders the events of one
 * log that the time (whole seconds) cannot. */
static long long
record_id(const xmlNode *ev)
{
	xmlChar *t = xmlNodeGetContent(child(child(ev, "System"),
	    "EventRecordID"));
	char *end;
	long long id = -1;

	if (t != NULL && isdigit((unsigned char)t[0])) {
		errno = 0;
		id = strtoll((const char *)t, &end, 10);
		if (errno != 0 || *end != '\0')
			id = -1;
	}
	xmlFree(t);
	return id;
}

/* Whether the 1004 at iso (record rec) is newer than the one kept: by
 * time, then (two in one second, as adding several accounts gives) by
 * record number, so the file's order never decides. */
static bool
newer_1004(const evt_ctx *c, const char *iso, long long rec)
{
	int d;

	if (iso[0] == '\0')
		return false;
	if (c->at1004[0] == '\0')
		return true;
	d = strcmp(iso, c->at1004);
	return d > 0 || (d == 0 && rec > c->rec1004 && c->rec1004 >= 0);
}

/* Event 1004 at time iso: if it is the newest so far, its accounts (from
 * the EventData, else the rendered message) replace the ones kept.  The
 * newest decides, even when it names none (then nothing is derived). */
static int
note_1004(evt_ctx *c, const xmlNode *ev, const char *iso)
{
	irmf_strlist l = { 0 };
	long long rec = record_id(ev);
	char *text;
	int rc;

	if (!newer_1004(c, iso, rec))
		return IRMF_OK;
	if ((text = event_data_text(child(ev, "EventData"))) == NULL)
		return IRMF_ENOMEM;
	rc = irmf_evt1004_scan(text, &l);
	free(text);
	if (rc >= 0 && l.n == 0 && child(ev, "RenderingInfo") != NULL) {
		xmlChar *m = xmlNodeGetContent(child(child(ev,
		    "RenderingInfo"), "Message"));
		if (m != NULL)
			rc = irmf_evt1004_scan((const char *)m, &l);
		xmlFree(m);
	}
	if (rc < 0) {
		irmf_strlist_clear(&l);
		return rc;
	}
	irmf_strlist_clear(&c->acc1004);
	c->acc1004 = l;
	c->rec1004 = rec;
	snprintf(c->at1004, sizeof(c->at1004), "%s", iso);
	return IRMF_OK;
}

/* ------------------------------------------------------------- events */

static bool
connector_provider(const char *p)
{
	return strcasecmp(p, "Microsoft RMS connector") == 0;
}

static bool
documented_id(long id)
{
	return (id >= 1000 && id <= 1004) || (id >= 2000 && id <= 2003) ||
	    (id >= 3000 && id <= 3001);
}

static bool
ns_ok(const xmlNode *n)
{
	return n->ns == NULL || n->ns->href == NULL ||
	    strcmp((const char *)n->ns->href, IRMF_EVT_NS) == 0;
}

static int
one_event(evt_ctx *c, const xmlNode *ev)
{
	const xmlNode *sys = child(ev, "System");
	const xmlNode *eid = child(sys, "EventID");
	char prov[256], stime[64], iso[32];
	long line = irmf_xml_line(ev), id;
	requester r = { NULL, NULL };
	xmlChar *idtext = NULL;
	char *end;
	int rc = IRMF_OK;

	if (!ns_ok(ev))
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%ld: <Event> in namespace '%s', not the Windows event "
		    "namespace", c->name, line, ev->ns->href);
	if (sys == NULL)
		return irmf_error_set(IRMF_EPARSE,
		    "%s:%ld: <Event> without <System>", c->name, line);
	c->st.events++;
	if (!attr(child(sys, "Provider"), "Name", prov, sizeof(prov)) &&
	    !attr(child(sys, "Provider"), "EventSourceName", prov,
	    sizeof(prov)))
		prov[0] = '\0';
	if (!connector_provider(prov)) {
		c->st.other_provider++;
		return IRMF_OK;
	}
	idtext = eid ? xmlNodeGetContent(eid) : NULL;
	id = idtext ? strtol((const char *)idtext, &end, 10) : -1;
	if (idtext == NULL || end == (char *)idtext ||
	    *end != '\0' || id < 0 || id > 65535) {
		rc = irmf_error_set(IRMF_EPARSE,
		    "%s:%ld: connector event without a numeric <EventID>",
		    c->name, eid ? irmf_xml_line(eid) : line);
		goto cleanup;
	}
	if (!documented_id(id)) {
		c->st.other_id++;
		goto cleanup;
	}
	iso[0] = '\0';
	if (attr(child(sys, "TimeCreated"), "SystemTime", stime,
	    sizeof(stime)) && irmf_evtxml_time(stime, iso, sizeof(iso)) < 0) {
		rc = irmf_error_prefix("%s:%ld: event %ld: ", c->name,
		    irmf_xml_line(child(sys, "TimeCreated")), id);
		goto cleanup;
	}
	if (iso[0] && (c->oldest[0] == '\0' || strcmp(iso, c->oldest) < 0))
		snprintf(c->oldest, sizeof(c->oldest), "%s", iso);
	if (id == 1004 && (rc = note_1004(c, ev, iso)) < 0)
		goto cleanup;
	find_requester(ev, &r);
	if ((rc = irmf_snapshot_add_event(c->snap, (int)id, r.account,
	    r.computer, iso[0] ? iso : NULL)) < 0)
		goto cleanup;
	c->st.counted++;
cleanup:
	xmlFree(idtext);
	free(r.account);
	free(r.computer);
	return rc;
}

/* Only whitespace between events; anything else means it is not an
 * event export (or a mangled copy of one). */
static int
check_text(evt_ctx *c, const xmlNode *n)
{
	const char *s = (const char *)n->content;
	size_t len;

	if (s == NULL || s[strspn(s, " \t\r\n")] == '\0')
		return IRMF_OK;
	s += strspn(s, " \t\r\n");
	len = strcspn(s, "\r\n");
	return irmf_error_set(IRMF_EPARSE,
	    "%s:%ld: text '%.*s' outside any <Event> element (not a Windows "
	    "event export, or a copy of Internet Explorer's XML view?)",
	    c->name, irmf_xml_line(n), (int)(len > 40 ? 40 : len), s);
}

static int
walk(evt_ctx *c, const xmlNode *parent, bool top)
{
	int rc;

	for (const xmlNode *n = parent->children; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE) {
			if ((rc = check_text(c, n)) < 0)
				return rc;
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;   /* comments, processing instructions */
		if (is_el(n, "Event"))
			rc = one_event(c, n);
		else if (top && is_el(n, "Events"))
			rc = walk(c, n, false);
		else
			rc = irmf_error_set(IRMF_EPARSE,
			    "%s:%ld: unexpected element <%s>, expected <Event>%s",
			    c->name, irmf_xml_line(n), n->name,
			    top ? " or <Events>" : "");
		if (rc < 0)
			return rc;
	}
	return IRMF_OK;
}

/* Blank out a leading XML declaration, keeping line breaks. */
static void
blank_declaration(char *text)
{
	char *p = text + strspn(text, " \t\r\n"), *e;

	if (strncmp(p, "<?xml", 5) != 0 || !isspace((unsigned char)p[5]) ||
	    (e = strstr(p, "?>")) == NULL)
		return;
	for (; p < e + 2; p++)
		if (*p != '\n')
			*p = ' ';
}

/* libxml2 names the synthetic root when the export ends inside an
 * element; say what that means instead. */
static int
reword_wrapper(int rc)
{
	char msg[IRMF_ERROR_MSG_MAX];
	const char *m = irmf_error_last()->message;
	const char *w = strstr(m, WRAP_NAME);

	if (rc != IRMF_EPARSE || w == NULL)
		return rc;
	snprintf(msg, sizeof(msg), "%.*send of the export%s", (int)(w - m), m,
	    w + strlen(WRAP_NAME));
	return irmf_error_set(rc, "%s (an element is not closed)", msg);
}

static int
parse(irmf_snapshot *snap, const char *buf, size_t len, const char *name,
    evt_ctx *cp)
{
	evt_ctx c;
	char *text = NULL, *wrapped = NULL;
	size_t tlen, wlen;
	xmlDocPtr dom = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	c.snap = snap;
	c.name = name ? name : "<input>";
	if ((rc = irmf_text_decode(buf, len, c.name, &text, &tlen)) < 0)
		goto cleanup;
	blank_declaration(text);
	if (text[strspn(text, " \t\r\n")] != '\0') {
		wlen = strlen(WRAP_OPEN) + tlen + strlen(WRAP_CLOSE);
		if ((wrapped = malloc(wlen + 1)) == NULL) {
			rc = irmf_error_oom();
			goto cleanup;
		}
		snprintf(wrapped, wlen + 1, "%s%s%s", WRAP_OPEN, text,
		    WRAP_CLOSE);
		if ((rc = reword_wrapper(irmf_xml_read_memory(&dom, wrapped,
		    wlen, c.name, NULL, NULL))) < 0 ||
		    (rc = walk(&c, xmlDocGetRootElement(dom), true)) < 0)
			goto cleanup;
	}
	snap->has_events = true;   /* an export without events is valid */
	if (c.at1004[0] && (rc = irmf_snapshot_note_1004(snap, c.at1004,
	    (const char *const *)c.acc1004.items, c.acc1004.n)) < 0)
		goto cleanup;
cleanup:
	irmf_strlist_clear(&c.acc1004);
	*cp = c;
	xmlFreeDoc(dom);
	free(wrapped);
	free(text);
	return rc;
}

int
irmf_evtxml_parse_stats(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name, irmf_evtxml_stats *stats)
{
	evt_ctx c;
	int rc = parse(snap, buf, len, name, &c);

	if (stats != NULL)
		*stats = c.st;
	return rc;
}

int
irmf_evtxml_parse_query(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name, const char *ids, unsigned cap)
{
	evt_ctx c;
	size_t returned;
	int rc;

	if ((rc = parse(snap, buf, len, name, &c)) < 0)
		return rc;
	/* the query asked for these IDs only, so every connector event it
	 * returned counts against the cap, documented ID or not */
	returned = c.st.counted + c.st.other_id;
	return irmf_snapshot_add_event_window(snap, ids,
	    returned > UINT_MAX ? UINT_MAX : (unsigned)returned,
	    returned < cap, c.oldest[0] ? c.oldest : NULL);
}

int
irmf_evtxml_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name)
{
	return irmf_evtxml_parse_stats(snap, buf, len, name, NULL);
}

bool
irmf_evtxml_sniff(const char *buf, size_t len)
{
	char pre[IRMF_XMLSNIFF_WINDOW + 1];
	const char *tag;

	if (buf == NULL)
		return false;
	irmf_xml_sniff_prefix(buf, len, pre, sizeof(pre));
	tag = irmf_xml_sniff_first_tag(pre);
	if (irmf_xml_sniff_tag_is(tag, "Events"))
		return strstr(tag, IRMF_EVT_NS) != NULL ||
		    strstr(tag, "<Event ") != NULL ||
		    strstr(tag, "<Events/>") == tag ||
		    strstr(tag, "</Events>") != NULL;
	return irmf_xml_sniff_tag_is(tag, "Event") &&
	    strstr(tag, IRMF_EVT_NS) != NULL;
}
