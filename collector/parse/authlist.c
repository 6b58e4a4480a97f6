/*
 * authlist.c - parser of the connector authorization list (format in
 * docs/authorization-list.md):
 *
 *	# comment
 *	account,kind,role
 *	CONTOSO\Exchange Servers,group,exchange
 *
 * Strict on purpose: the file is typed by hand, so every typo (an unknown
 * kind, a computer account without its '$', a row twice) is reported with
 * file:line rather than guessed at.
 */
#include <stdlib.h>
#include <string.h>

#include "authlist.h"
#include "csv.h"
#include "error.h"
#include "textlines.h"

#define QUOTE_MAX 60

static const char *const header[] = { "account", "kind", "role" };

struct authlist_parse {
	irmf_snapshot *snap;
	const char *name;
	size_t first;        /* snap->nauths before this file */
	size_t *lines;       /* line of each row added by this file */
	size_t nlines;
};

/* Blank or '#' comment. */
static bool
skip_line(irmf_slice line)
{
	irmf_slice s = irmf_slice_ltrim(line);

	return s.n == 0 || s.s[0] == '#';
}

static bool
is_header(const irmf_csv_row *row)
{
	if (row->n != 3)
		return false;
	for (size_t i = 0; i < 3; i++)
		if (!irmf_streq_ci(row->f[i], header[i]))
			return false;
	return true;
}

static int
split(struct authlist_parse *ap, irmf_slice line, size_t lineno,
    irmf_csv_row *row)
{
	const char *what = "";
	size_t col = 0;
	int rc = irmf_csv_split(line.s, line.n, row, &col, &what);

	if (rc == IRMF_EPARSE)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu:%zu: expected %s",
		    ap->name, lineno, col, what);
	return rc;
}

static int
parse_role(struct authlist_parse *ap, const char *s, size_t lineno,
    irmf_role *out)
{
	if (irmf_streq_ci(s, "exchange"))
		*out = IRMF_ROLE_EXCHANGE;
	else if (irmf_streq_ci(s, "sharepoint"))
		*out = IRMF_ROLE_SHAREPOINT;
	else if (irmf_streq_ci(s, "fci"))
		*out = IRMF_ROLE_FCI;
	else
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: unknown role "
		    "'%.*s' (expected exchange, sharepoint or fci)", ap->name,
		    lineno, QUOTE_MAX, s);
	return IRMF_OK;
}

static int
parse_kind(struct authlist_parse *ap, const char *s, size_t lineno,
    irmf_account_kind *out)
{
	if (irmf_streq_ci(s, "user"))
		*out = IRMF_ACCOUNT_USER;
	else if (irmf_streq_ci(s, "group"))
		*out = IRMF_ACCOUNT_GROUP;
	else if (irmf_streq_ci(s, "computer"))
		*out = IRMF_ACCOUNT_COMPUTER;
	else
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: unknown kind "
		    "'%.*s' (expected user, group or computer)", ap->name,
		    lineno, QUOTE_MAX, s);
	return IRMF_OK;
}

static int
check_account(struct authlist_parse *ap, const char *acct,
    irmf_account_kind kind, size_t lineno)
{
	size_t n = strlen(acct);

	if (n == 0)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: empty account "
		    "(expected DOMAIN\\name)", ap->name, lineno);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)acct[i] < 0x20 || acct[i] == 0x7f)
			return irmf_error_set(IRMF_EPARSE, "%s:%zu: control "
			    "character in account '%.*s'", ap->name, lineno,
			    QUOTE_MAX, acct);
	if (kind == IRMF_ACCOUNT_COMPUTER && acct[n - 1] != '$')
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: computer account "
		    "'%.*s' must end with '$' (as the connector tool shows it, "
		    "e.g. CONTOSO\\FS01$)", ap->name, lineno, QUOTE_MAX, acct);
	return IRMF_OK;
}

static int
add_row(struct authlist_parse *ap, const irmf_csv_row *row, size_t lineno)
{
	irmf_account_kind kind = IRMF_ACCOUNT_USER;
	irmf_role role = IRMF_ROLE_EXCHANGE;
	size_t *nl, before;
	int rc;

	if (row->n != 3)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected 3 fields "
		    "(account,kind,role), got %zu", ap->name, lineno, row->n);
	if ((rc = parse_kind(ap, row->f[1], lineno, &kind)) < 0 ||
	    (rc = parse_role(ap, row->f[2], lineno, &role)) < 0 ||
	    (rc = check_account(ap, row->f[0], kind, lineno)) < 0)
		return rc;
	for (size_t i = ap->first; i < ap->first + ap->nlines; i++)
		if (irmf_streq_ci(ap->snap->auths[i].account, row->f[0]) &&
		    ap->snap->auths[i].role == role)
			return irmf_error_set(IRMF_EPARSE, "%s:%zu: '%.*s' is "
			    "already listed for role %s on line %zu", ap->name,
			    lineno, QUOTE_MAX, row->f[0], irmf_role_name(role),
			    ap->lines[i - ap->first]);
	if ((nl = realloc(ap->lines, (ap->nlines + 1) * sizeof(*nl))) == NULL)
		return irmf_error_oom();
	ap->lines = nl;
	before = ap->snap->nauths;
	if ((rc = irmf_snapshot_add_authorization(ap->snap, row->f[0], kind,
	    role)) < 0)
		return rc;
	if (ap->snap->nauths > before)
		ap->lines[ap->nlines++] = lineno;
	return IRMF_OK;
}

static int
authlist_lines(struct authlist_parse *ap, const char *text, size_t len)
{
	irmf_lines it;
	irmf_slice line;
	irmf_csv_row row = { 0 };
	bool have_header = false;
	int rc = IRMF_OK;

	irmf_lines_init(&it, text, len);
	while (irmf_lines_next_slice(&it, &line)) {
		if (skip_line(line))
			continue;
		if ((rc = split(ap, line, it.lineno, &row)) < 0)
			goto out;
		if (!have_header) {
			if (!is_header(&row)) {
				line = irmf_slice_trim(line);
				rc = irmf_error_set(IRMF_EPARSE, "%s:%zu: expected "
				    "the header 'account,kind,role', got '%.*s'",
				    ap->name, it.lineno,
				    (int)(line.n > QUOTE_MAX ? QUOTE_MAX : line.n),
				    line.s);
				goto out;
			}
			have_header = true;
		} else if ((rc = add_row(ap, &row, it.lineno)) < 0) {
			goto out;
		}
		irmf_csv_row_free(&row);
	}
	if (!have_header)
		rc = irmf_error_set(IRMF_EPARSE, "%s: no header "
		    "'account,kind,role' (expected an authorization list, see "
		    "docs/authorization-list.md)", ap->name);
	else
		irmf_snapshot_typed_auths(ap->snap);
out:
	irmf_csv_row_free(&row);
	return rc;
}

int
irmf_authlist_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name)
{
	struct authlist_parse ap = { 0 };
	char *text;
	size_t n;
	int rc;

	if ((rc = irmf_text_prepare(buf, len, name, &text, &n)) < 0)
		return rc;
	ap.snap = snap;
	ap.name = name;
	ap.first = snap->nauths;
	rc = authlist_lines(&ap, text, n);
	free(ap.lines);
	free(text);
	return rc;
}

bool
irmf_authlist_sniff(const char *utf8_text)
{
	irmf_lines it;
	irmf_slice line;
	irmf_csv_row row;
	const char *what;
	size_t col;
	bool yes = false;

	irmf_lines_init(&it, utf8_text, strlen(utf8_text));
	while (irmf_lines_next_slice(&it, &line)) {
		if (skip_line(line))
			continue;
		if (irmf_csv_split(line.s, line.n, &row, &col, &what) == 0) {
			yes = is_header(&row);
			irmf_csv_row_free(&row);
		}
		break;
	}
	return yes;
}
