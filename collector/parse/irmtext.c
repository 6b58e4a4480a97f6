/*
 * irmtext.c - the console text of Get-IRMConfiguration | Format-List and
 * of Test-IRMConfiguration, as an admin saves it from the Exchange
 * Management Shell or pastes it from a ticket.
 *
 * Format-List prints one "Name<padding> : Value" line per property and
 * wraps long values onto continuation lines indented to the value column.
 * Copies taken from documents add quirks that the parser tolerates on
 * purpose (see tests/fixtures/irmtext/PROVENANCE.md): blank lines between
 * properties, empty values, a common indentation (markdown lists), tabs
 * mixed with spaces, and the shell prompt line above the output.
 *
 * Wrapped text is joined without a separator: the console breaks at the
 * window width, inside a word ("Jo" / "urnal") or after a space that it
 * keeps at the end of the line ("Do Not " / "Forward.").
 *
 * Properties are recorded as the CLIXML importer records them
 * (docs/remote-commands.md), so a server imported from text compares
 * cleanly with one imported from Export-Clixml: the session's own members
 * (PS*, RunspaceId, OriginatingServer) and the ones Export-Clixml carries
 * as dates, GUIDs or AD objects are left out.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "irmtext.h"
#include "textlines.h"

/* Properties whose type the text alone cannot tell (domain.md §5.2). */
static const struct {
	const char *name;
	irmf_prop_type type;
} known_props[] = {
	{ "ServiceLocation", IRMF_PROP_URI },
	{ "PublishingLocation", IRMF_PROP_URI },
	{ "RMSOnlineKeySharingLocation", IRMF_PROP_URI },
	{ "LicensingLocation", IRMF_PROP_URI_LIST },
	{ "TransportDecryptionSetting", IRMF_PROP_ENUM },
	{ "ObjectState", IRMF_PROP_ENUM },
};

/* Names that mark Get-IRMConfiguration output for the sniffer. */
static const char *const marker_props[] = {
	"InternalLicensingEnabled", "ExternalLicensingEnabled",
	"AzureRMSLicensingEnabled", "TransportDecryptionSetting",
	"JournalReportDecryptionEnabled", "ClientAccessServerEnabled",
	"EDiscoverySuperUserEnabled", "LicensingLocation",
};

/* Left out, as by the CLIXML mapper: dates, GUIDs, ADObjectId and other
 * Exchange objects, and per-session members. */
static const char *const skipped_props[] = {
	"RunspaceId", "OriginatingServer", "Identity", "Id", "Guid",
	"ObjectCategory", "ExchangeVersion", "OrganizationId", "WhenChanged",
	"WhenCreated", "WhenChangedUTC", "WhenCreatedUTC",
};

#define QUOTE_MAX 60   /* how much of an offending line a message shows */

static bool
skipped(const char *name)
{
	if (strncasecmp(name, "PS", 2) == 0)   /* PSComputerName ... */
		return true;
	for (size_t i = 0; i < sizeof(skipped_props) /
	    sizeof(skipped_props[0]); i++)
		if (strcasecmp(name, skipped_props[i]) == 0)
			return true;
	return false;
}

static bool
known_type(const char *name, irmf_prop_type *out)
{
	for (size_t i = 0; i < sizeof(known_props) / sizeof(known_props[0]);
	    i++)
		if (strcasecmp(name, known_props[i].name) == 0) {
			*out = known_props[i].type;
			return true;
		}
	return false;
}

static bool
is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
}

/*
 * "Name : value" (the colon followed by a blank or the end of the line, so
 * that "https://x" on a continuation line is not taken for a property).
 * On success *name is the property name and *value the rest after the
 * colon, left-trimmed, trailing blanks kept for joining wrapped lines.
 */
static bool
split_property(irmf_slice line, irmf_slice *name, irmf_slice *value)
{
	irmf_slice s = irmf_slice_ltrim(line);
	size_t i = 0;

	if (s.n == 0 || !isalpha((unsigned char)s.s[0]))
		return false;
	while (i < s.n && is_name_char(s.s[i]))
		i++;
	name->s = s.s;
	name->n = i;
	while (i < s.n && (s.s[i] == ' ' || s.s[i] == '\t'))
		i++;
	if (i >= s.n || s.s[i] != ':')
		return false;
	i++;
	if (i < s.n && s.s[i] != ' ' && s.s[i] != '\t')
		return false;
	value->s = s.s + i;
	value->n = s.n - i;
	*value = irmf_slice_ltrim(*value);
	return true;
}

/* A shell prompt copied with the output: "PS C:\> Get-..." or
 * "[PS] C:\Windows\system32>Get-...". */
static bool
is_prompt(irmf_slice line)
{
	irmf_slice s = irmf_slice_ltrim(line);

	if (!irmf_slice_prefix_ci(s, "PS ") && !irmf_slice_prefix_ci(s, "PS>") &&
	    !irmf_slice_prefix_ci(s, "[PS]"))
		return false;
	return memchr(s.s, '>', s.n) != NULL;
}

static bool
is_integer(const char *v)
{
	size_t i = (v[0] == '-') ? 1 : 0;
	size_t digits = strspn(v + i, "0123456789");

	return digits > 0 && digits <= 18 && v[i + digits] == '\0';
}

static bool
is_url(const char *v)
{
	return (strncasecmp(v, "http://", 7) == 0 ||
	    strncasecmp(v, "https://", 8) == 0) && strpbrk(v, " \t") == NULL;
}

/* Split the inside of "{a, b, c}" into items (trimmed copies). */
static int
split_list(const char *inner, char ***items, size_t *n)
{
	const char *p = inner;
	char **v = NULL;
	size_t cnt = 0;

	*items = NULL;
	*n = 0;
	if (*inner == '\0')
		return IRMF_OK;
	for (;;) {
		const char *comma = strchr(p, ',');
		irmf_slice it = { p, comma ? (size_t)(comma - p) : strlen(p) };
		char **nv = realloc(v, (cnt + 1) * sizeof(*v));

		if (nv == NULL)
			goto oom;
		v = nv;
		it = irmf_slice_trim(it);
		if ((v[cnt] = irmf_strndup(it.s, it.n)) == NULL)
			goto oom;
		cnt++;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	*items = v;
	*n = cnt;
	return IRMF_OK;
oom:
	for (size_t i = 0; i < cnt; i++)
		free(v[i]);
	free(v);
	return IRMF_ENOMEM;
}

static void
free_items(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

static int
set_list_prop(irmf_snapshot *snap, const char *name, const char *value,
    size_t len, irmf_prop_type known, bool have_known, const char *file,
    size_t lineno)
{
	char *inner = irmf_strndup(value + 1, len - 2);
	char **items = NULL;
	size_t n = 0;
	irmf_prop_type type = IRMF_PROP_LIST;
	int rc;

	if (inner == NULL)
		return IRMF_ENOMEM;
	if ((rc = split_list(inner, &items, &n)) < 0)
		goto out;
	if (n > 0 && strlen(items[n - 1]) >= 3 &&
	    strcmp(items[n - 1] + strlen(items[n - 1]) - 3, "...") == 0) {
		rc = irmf_error_set(IRMF_EPARSE, "%s:%zu: the list of '%s' is "
		    "cut short by Format-List ('...'); export again after "
		    "$FormatEnumerationLimit = -1", file, lineno, name);
		goto out;
	}
	if (have_known && known == IRMF_PROP_URI_LIST) {
		type = IRMF_PROP_URI_LIST;
	} else if (n > 0) {
		type = IRMF_PROP_URI_LIST;
		for (size_t i = 0; i < n; i++)
			if (!is_url(items[i]))
				type = IRMF_PROP_LIST;
	}
	rc = irmf_snapshot_prop_set_list(snap, name, type, items, n);
out:
	free_items(items, n);
	free(inner);
	return rc;
}

/* Record one property from its joined, trimmed value text. */
static int
set_prop(irmf_snapshot *snap, const char *name, const char *value,
    const char *file, size_t lineno)
{
	size_t len = strlen(value);
	irmf_prop_type known = IRMF_PROP_STRING;
	bool have_known = known_type(name, &known);

	if (skipped(name))
		return IRMF_OK;
	if (irmf_snapshot_prop_find(snap, name) != NULL)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: property '%s' "
		    "appears twice (more than one object in the file?)",
		    file, lineno, name);
	if (len >= 2 && value[0] == '{' && value[len - 1] == '}')
		return set_list_prop(snap, name, value, len, known, have_known,
		    file, lineno);
	if (len == 0) {
		/* Format-List prints $null and "" alike; for the Uri-typed
		 * properties Exchange's value is $null (Export-Clixml: Nil). */
		if (have_known && known == IRMF_PROP_URI)
			return irmf_snapshot_prop_set(snap, name, IRMF_PROP_URI,
			    NULL, true);
		if (have_known && known == IRMF_PROP_URI_LIST)
			return irmf_snapshot_prop_set_list(snap, name,
			    IRMF_PROP_URI_LIST, NULL, 0);
		return irmf_snapshot_prop_set(snap, name, IRMF_PROP_STRING, "",
		    false);
	}
	if (have_known && known == IRMF_PROP_ENUM)
		return irmf_snapshot_prop_set(snap, name, IRMF_PROP_ENUM, value,
		    false);
	if (strcasecmp(value, "True") == 0 || strcasecmp(value, "False") == 0)
		return irmf_snapshot_prop_set(snap, name, IRMF_PROP_BOOL, value,
		    false);
	if (is_integer(value))
		return irmf_snapshot_prop_set(snap, name, IRMF_PROP_INT, value,
		    false);
	if (is_url(value))
		return irmf_snapshot_prop_set(snap, name, IRMF_PROP_URI, value,
		    false);
	return irmf_snapshot_prop_set(snap, name, IRMF_PROP_STRING, value,
	    false);
}

/* The property being assembled from its line and its continuations. */
struct pending {
	irmf_buf name, value;
	size_t lineno;
	bool active;
};

static int
flush_prop(irmf_snapshot *snap, struct pending *p, const char *file)
{
	irmf_slice v;
	char *value;
	int rc;

	if (!p->active)
		return IRMF_OK;
	p->active = false;
	v.s = irmf_buf_str(&p->value);
	v.n = p->value.n;
	v = irmf_slice_trim(v);
	if ((value = irmf_strndup(v.s, v.n)) == NULL)
		return IRMF_ENOMEM;
	rc = set_prop(snap, irmf_buf_str(&p->name), value, file,
	    p->lineno);
	free(value);
	return rc;
}

static int
irmconfig_lines(irmf_snapshot *snap, const char *text, size_t len,
    const char *name)
{
	struct pending p = { 0 };
	irmf_lines it;
	irmf_slice line, pname, pvalue;
	size_t nprops = 0;
	int rc = IRMF_OK;

	irmf_lines_init(&it, text, len);
	while (irmf_lines_next_slice(&it, &line)) {
		if (irmf_slice_blank(line))
			continue;
		if (split_property(line, &pname, &pvalue)) {
			if ((rc = flush_prop(snap, &p, name)) < 0)
				goto out;
			irmf_buf_reset(&p.name);
			irmf_buf_reset(&p.value);
			if ((rc = irmf_slice_append(&p.name, pname)) < 0 ||
			    (rc = irmf_slice_append(&p.value, pvalue)) < 0)
				goto out;
			p.lineno = it.lineno;
			p.active = true;
			nprops++;
		} else if (p.active) {
			rc = irmf_slice_append(&p.value,
			    irmf_slice_ltrim(line));
			if (rc < 0)
				goto out;
		} else if (!(nprops == 0 && is_prompt(line))) {
			line = irmf_slice_trim(line);
			rc = irmf_error_set(IRMF_EPARSE, "%s:%zu: expected "
			    "'Name : Value' (Get-IRMConfiguration | Format-List),"
			    " got '%.*s'", name, it.lineno,
			    (int)(line.n > QUOTE_MAX ? QUOTE_MAX : line.n),
			    line.s);
			goto out;
		}
	}
	if ((rc = flush_prop(snap, &p, name)) < 0)
		goto out;
	if (nprops == 0)
		rc = irmf_error_set(IRMF_EPARSE, "%s: no 'Name : Value' lines "
		    "(expected Get-IRMConfiguration | Format-List output)",
		    name);
	else
		snap->has_irm_config = true;
out:
	irmf_buf_free(&p.name);
	irmf_buf_free(&p.value);
	return rc;
}

int
irmf_irmconfig_text_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name)
{
	char *text;
	size_t n;
	int rc;

	if ((rc = irmf_text_prepare(buf, len, name, &text, &n)) < 0)
		return rc;
	rc = irmconfig_lines(snap, text, n, name);
	free(text);
	return rc;
}

/* ------------------------------------------------ Test-IRMConfiguration */

enum test_state {
	T_START,      /* before the first step */
	T_STEP,       /* reading a step line ("Checking ... ...") */
	T_RESULT,     /* reading the "- PASS: ..." text of a step */
	T_DONE        /* after OVERALL RESULT */
};

struct test_parse {
	irmf_snapshot *snap;
	const char *name;
	enum test_state state;
	bool in_exception;   /* between two "-----" lines */
	irmf_buf check, msg;
	bool pass;
	bool any_fail;       /* a step of this output said FAIL */
};

/* A step starts with a capitalised -ing verb: "Checking", "Loading",
 * "Retrieving", "Verifying", "Acquiring", "Creating" ... while a wrapped
 * message continues with any other text ("Forward.", "urnal Report"). */
static bool
is_step_start(irmf_slice s)
{
	size_t i = 1;

	if (s.n < 5 || !isupper((unsigned char)s.s[0]))
		return false;
	while (i < s.n && islower((unsigned char)s.s[i]))
		i++;
	if (i < 4 || (i < s.n && s.s[i] != ' '))
		return false;
	return strncmp(s.s + i - 3, "ing", 3) == 0;
}

static bool
is_rule(irmf_slice s)
{
	s = irmf_slice_trim(s);
	if (s.n < 10)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (s.s[i] != '-')
			return false;
	return true;
}

/* "- PASS: text" / "- FAIL: text" (the blank after '-' is optional). */
static bool
split_result(irmf_slice s, bool *pass, irmf_slice *rest)
{
	if (s.n < 1 || s.s[0] != '-')
		return false;
	s.s++;
	s.n--;
	s = irmf_slice_ltrim(s);
	if (irmf_slice_prefix_ci(s, "PASS:"))
		*pass = true;
	else if (irmf_slice_prefix_ci(s, "FAIL:"))
		*pass = false;
	else
		return false;
	rest->s = s.s + 5;
	rest->n = s.n - 5;
	*rest = irmf_slice_ltrim(*rest);
	return true;
}

static int
flush_step(struct test_parse *tp)
{
	irmf_slice c = { irmf_buf_str(&tp->check), tp->check.n };
	irmf_slice m = { irmf_buf_str(&tp->msg), tp->msg.n };
	char *check = NULL, *msg = NULL;
	int rc = IRMF_ENOMEM;

	c = irmf_slice_trim(c);
	m = irmf_slice_trim(m);
	if ((check = irmf_strndup(c.s, c.n)) == NULL ||
	    (msg = irmf_strndup(m.s, m.n)) == NULL)
		goto out;
	rc = irmf_snapshot_irm_test_add(tp->snap, check, tp->pass, msg);
	tp->any_fail |= !tp->pass;
out:
	free(check);
	free(msg);
	return rc;
}

static int
test_overall(struct test_parse *tp, irmf_slice s, size_t lineno)
{
	int rc;

	s.s += strlen("OVERALL RESULT:");
	s.n -= strlen("OVERALL RESULT:");
	s = irmf_slice_trim(s);
	if (!irmf_slice_eq_ci(s, "PASS") && !irmf_slice_eq_ci(s, "FAIL"))
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected 'OVERALL "
		    "RESULT: PASS' or 'FAIL', got '%.*s'", tp->name, lineno,
		    (int)(s.n > QUOTE_MAX ? QUOTE_MAX : s.n), s.s);
	if (tp->state == T_RESULT && (rc = flush_step(tp)) < 0)
		return rc;
	if (tp->state == T_STEP)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: step '%s' has no "
		    "'- PASS:' or '- FAIL:' line", tp->name, lineno,
		    irmf_buf_str(&tp->check));
	tp->snap->has_irm_test = true;
	tp->snap->irm_test_pass = irmf_slice_eq_ci(s, "PASS");
	tp->state = T_DONE;
	return IRMF_OK;
}

static bool
ends_with_dots(const irmf_buf *b)
{
	irmf_slice s = { irmf_buf_str(b), b->n };

	s = irmf_slice_rtrim(s);
	return s.n >= 3 && memcmp(s.s + s.n - 3, "...", 3) == 0;
}

static int
test_text(struct test_parse *tp, irmf_slice s, size_t lineno)
{
	int rc;

	switch (tp->state) {
	case T_RESULT:
		if (!is_step_start(s))
			return irmf_slice_append(&tp->msg, s);
		if ((rc = flush_step(tp)) < 0)
			return rc;
		/* FALLTHROUGH */
	case T_START:
		irmf_buf_reset(&tp->check);
		irmf_buf_reset(&tp->msg);
		tp->state = T_STEP;
		/* FALLTHROUGH */
	case T_STEP:
		if (tp->check.n > 0 && is_step_start(s) &&
		    ends_with_dots(&tp->check))
			return irmf_error_set(IRMF_EPARSE, "%s:%zu: step '%s' "
			    "has no '- PASS:' or '- FAIL:' line", tp->name,
			    lineno, irmf_buf_str(&tp->check));
		return irmf_slice_append(&tp->check, s);
	case T_DONE:
		break;
	}
	return IRMF_OK;
}

/* One line of the Results text, left-trimmed. */
static int
test_line(struct test_parse *tp, irmf_slice s, size_t lineno)
{
	irmf_slice rest;
	bool pass;
	int rc;

	if (tp->state == T_DONE || irmf_slice_blank(s))
		return IRMF_OK;
	if (is_rule(s)) {
		tp->in_exception = !tp->in_exception;
		return IRMF_OK;
	}
	if (tp->in_exception) {
		/* the exception text explains the failing step */
		if (tp->state != T_RESULT)
			return IRMF_OK;
		if ((rc = irmf_buf_addn(&tp->msg, " ", 1)) < 0)
			return rc;
		return irmf_slice_append(&tp->msg, irmf_slice_trim(s));
	}
	if (irmf_slice_prefix_ci(s, "OVERALL RESULT:"))
		return test_overall(tp, s, lineno);
	if (split_result(s, &pass, &rest)) {
		if (tp->state == T_START)
			return irmf_error_set(IRMF_EPARSE, "%s:%zu: '- %s:' "
			    "before any step", tp->name, lineno,
			    pass ? "PASS" : "FAIL");
		if (tp->state == T_RESULT && (rc = flush_step(tp)) < 0)
			return rc;
		irmf_buf_reset(&tp->msg);
		tp->pass = pass;
		tp->state = T_RESULT;
		return irmf_slice_append(&tp->msg, rest);
	}
	return test_text(tp, s, lineno);
}

/* The output ends before OVERALL RESULT.  Support articles publish it
 * cut right after the failing step's message: a step that says FAIL
 * already decides the overall result, so that copy is kept (overall
 * FAIL).  With only PASS steps the result is unknown: an error. */
static int
test_cut(struct test_parse *tp, size_t lineno)
{
	int rc;

	if (!tp->any_fail && !(tp->state == T_RESULT && !tp->pass))
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: no 'OVERALL "
		    "RESULT: PASS|FAIL' line and no failed step (output cut "
		    "short?)", tp->name, lineno);
	/* a step begun after the failure has no result: left out */
	if (tp->state == T_RESULT && (rc = flush_step(tp)) < 0)
		return rc;
	tp->snap->has_irm_test = true;
	tp->snap->irm_test_pass = false;
	return IRMF_OK;
}

/* Find "Results : first line"; property lines above it (Identity,
 * RunspaceId ... of Format-List *) and a prompt line are skipped. */
static bool
split_results(irmf_slice line, irmf_slice *first)
{
	irmf_slice pname;

	return split_property(line, &pname, first) &&
	    irmf_slice_eq_ci(pname, "Results");
}

static int
irmtest_lines(irmf_snapshot *snap, const char *text, size_t len,
    const char *name)
{
	struct test_parse tp = { 0 };
	irmf_lines it;
	irmf_slice line, first, pname, pvalue;
	bool found = false;
	int rc = IRMF_OK;

	tp.snap = snap;
	tp.name = name;
	irmf_lines_init(&it, text, len);
	while (irmf_lines_next_slice(&it, &line)) {
		if (found) {
			rc = test_line(&tp, irmf_slice_ltrim(line), it.lineno);
		} else if (split_results(line, &first)) {
			found = true;
			rc = test_line(&tp, first, it.lineno);
		} else if (!irmf_slice_blank(line) && !is_prompt(line) &&
		    !split_property(line, &pname, &pvalue)) {
			line = irmf_slice_trim(line);
			rc = irmf_error_set(IRMF_EPARSE, "%s:%zu: expected "
			    "'Results : ...' (Test-IRMConfiguration output), "
			    "got '%.*s'", name, it.lineno,
			    (int)(line.n > QUOTE_MAX ? QUOTE_MAX : line.n),
			    line.s);
		}
		if (rc < 0)
			goto out;
	}
	if (!found)
		rc = irmf_error_set(IRMF_EPARSE, "%s: no 'Results :' line "
		    "(expected Test-IRMConfiguration output)", name);
	else if (tp.state != T_DONE)
		rc = test_cut(&tp, it.lineno);
out:
	irmf_buf_free(&tp.check);
	irmf_buf_free(&tp.msg);
	return rc;
}

int
irmf_irmtest_text_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name)
{
	char *text;
	size_t n;
	int rc;

	if ((rc = irmf_text_prepare(buf, len, name, &text, &n)) < 0)
		return rc;
	rc = irmtest_lines(snap, text, n, name);
	free(text);
	return rc;
}

/* ------------------------------------------------------------ sniffing */

bool
irmf_irmtest_text_sniff(const char *utf8_text)
{
	irmf_lines it;
	irmf_slice line, first;
	bool results = false;

	irmf_lines_init(&it, utf8_text, strlen(utf8_text));
	while (!results && irmf_lines_next_slice(&it, &line))
		results = split_results(line, &first);
	return results && (strstr(utf8_text, "OVERALL RESULT") != NULL ||
	    strstr(utf8_text, "- PASS:") != NULL ||
	    strstr(utf8_text, "- FAIL:") != NULL);
}

bool
irmf_irmconfig_text_sniff(const char *utf8_text)
{
	irmf_lines it;
	irmf_slice line, pname, pvalue;
	unsigned seen = 0, nmarkers = 0;

	irmf_lines_init(&it, utf8_text, strlen(utf8_text));
	while (irmf_lines_next_slice(&it, &line)) {
		if (!split_property(line, &pname, &pvalue))
			continue;
		for (unsigned i = 0; i < sizeof(marker_props) /
		    sizeof(marker_props[0]); i++)
			if (irmf_slice_eq_ci(pname, marker_props[i]) &&
			    !(seen & (1u << i))) {
				seen |= 1u << i;
				nmarkers++;
			}
	}
	return nmarkers >= 2;
}
