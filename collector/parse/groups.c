/*
 * groups.c - group memberships from `whoami /groups /fo csv` and from
 * `gpresult /scope computer /r` (see groups.h for what is kept and why).
 *
 * whoami prints one CSV table per section ("Group Name","Type","SID",
 * "Attributes" for /groups); the header is translated on localized
 * Windows, so the group table is recognised by its shape: four columns
 * with a SID in the third.  gpresult's text is only printed in the
 * system's language; the English headings are matched.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "error.h"
#include "groups.h"
#include "textlines.h"

#define QUOTE_MAX 60

bool
irmf_is_sid(const char *s)
{
	size_t i = 4;

	if (strncmp(s, "S-1-", 4) != 0 || !isdigit((unsigned char)s[4]))
		return false;
	for (; s[i]; i++)
		if (!isdigit((unsigned char)s[i]) && s[i] != '-')
			return false;
	return isdigit((unsigned char)s[i - 1]) && strstr(s, "--") == NULL;
}

/* ------------------------------------------------------------- whoami */

static bool
row_has_sid(const irmf_csv_row *row)
{
	for (size_t i = 0; i < row->n; i++)
		if (irmf_is_sid(row->f[i]))
			return true;
	return false;
}

struct whoami_parse {
	irmf_snapshot *snap;
	const char *name;
	size_t block_cols;   /* columns of the current table, 0 = none yet */
	bool block_groups;   /* the current table is the group table */
	size_t ngroups;
};

static int
whoami_row(struct whoami_parse *wp, const irmf_csv_row *row, size_t lineno)
{
	if (wp->block_cols == 0) {
		/* first line of a table: a header, or data after /nh */
		wp->block_cols = row->n;
		wp->block_groups = row->n == 4 &&
		    (irmf_is_sid(row->f[2]) || !row_has_sid(row));
		if (!irmf_is_sid(row->n == 4 ? row->f[2] : ""))
			return IRMF_OK;
	}
	if (!wp->block_groups)
		return IRMF_OK;
	if (row->n != 4)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected 4 fields "
		    "(group name, type, SID, attributes), got %zu", wp->name,
		    lineno, row->n);
	if (!irmf_is_sid(row->f[2]))
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: expected a SID "
		    "(S-1-...) in the third field, got '%.*s'", wp->name,
		    lineno, QUOTE_MAX, row->f[2]);
	wp->ngroups++;
	/* S-1-5-21-<domain>-<rid>: a domain (or machine) account's group */
	if (strncmp(row->f[2], "S-1-5-21-", 9) != 0 || row->f[0][0] == '\0')
		return IRMF_OK;
	return irmf_snapshot_add_group(wp->snap, row->f[0]);
}

static int
whoami_lines(struct whoami_parse *wp, const char *text, size_t len)
{
	irmf_lines it;
	irmf_slice line;
	irmf_csv_row row = { 0 };
	const char *what = "";
	size_t col = 0;
	int rc = IRMF_OK;

	irmf_lines_init(&it, text, len);
	while (irmf_lines_next_slice(&it, &line)) {
		if (irmf_slice_blank(line)) {
			wp->block_cols = 0;   /* /all separates tables */
			continue;
		}
		rc = irmf_csv_split(line.s, line.n, &row, &col, &what);
		if (rc == IRMF_EPARSE)
			rc = irmf_error_set(IRMF_EPARSE, "%s:%zu:%zu: expected %s",
			    wp->name, it.lineno, col, what);
		if (rc < 0)
			goto out;
		rc = whoami_row(wp, &row, it.lineno);
		irmf_csv_row_free(&row);
		if (rc < 0)
			goto out;
	}
	if (wp->ngroups == 0)
		rc = irmf_error_set(IRMF_EPARSE, "%s: no group rows (expected "
		    "`whoami /groups /fo csv` output: 4 columns with a SID in "
		    "the third)", wp->name);
out:
	irmf_csv_row_free(&row);
	return rc;
}

int
irmf_whoami_csv_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name)
{
	struct whoami_parse wp = { 0 };
	char *text;
	size_t n;
	int rc;

	if ((rc = irmf_text_prepare(buf, len, name, &text, &n)) < 0)
		return rc;
	wp.snap = snap;
	wp.name = name;
	rc = whoami_lines(&wp, text, n);
	/* a logon token: nested groups included, each with its domain */
	if (rc >= 0)
		snap->groups_scope = IRMF_GROUPS_TOKEN;
	free(text);
	return rc;
}

bool
irmf_whoami_csv_sniff(const char *utf8_text)
{
	irmf_lines it;
	irmf_slice line;
	irmf_csv_row row;
	const char *what;
	size_t col;
	bool group_row = false;

	irmf_lines_init(&it, utf8_text, strlen(utf8_text));
	while (irmf_lines_next_slice(&it, &line)) {
		line = irmf_slice_ltrim(line);
		if (line.n == 0)
			continue;
		/* whoami quotes every field */
		if (line.s[0] != '"' ||
		    irmf_csv_split(line.s, line.n, &row, &col, &what) < 0)
			return false;
		if (row.n == 4 && irmf_is_sid(row.f[2]))
			group_row = true;
		irmf_csv_row_free(&row);
		if (group_row)
			break;
	}
	return group_row;
}

/* ----------------------------------------------------------- gpresult */

#define GP_GROUPS "The computer is a part of the following security groups"

/* Entries of a computer token that are not directory groups. */
static const char *const gp_skip[] = {
	"Everyone", "This Organization", "LOCAL", "CONSOLE LOGON",
	"Authentication authority asserted identity",
	"Service asserted identity", "Fresh public key identity",
	"Key trust identity", "Authenticated Users", "INTERACTIVE", "NETWORK",
	"SERVICE", "BATCH", "REMOTE INTERACTIVE LOGON", "Other Organization",
};

struct gp_parse {
	irmf_snapshot *snap;
	const char *name;
	bool in_computer;    /* inside COMPUTER SETTINGS */
	bool in_groups;      /* inside the security group list */
	bool after_heading;  /* the dashed rule under a heading is due */
	bool want_dn;        /* the computer's DN is the next text line */
	bool seen_computer, seen_groups;
	char *computer;      /* CN of the computer */
	char *domain;        /* "Domain Name:" value */
	irmf_strlist raw;    /* group lines as printed */
};

static bool
is_rule(irmf_slice s)
{
	if (s.n < 3)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (s.s[i] != '-')
			return false;
	return true;
}

/* First RDN value of "CN=EX01,OU=...", with DN escapes ("\,") undone. */
static int
dn_first_value(irmf_slice s, char **out)
{
	irmf_buf b = { 0 };
	int rc = IRMF_OK;

	/* a second COMPUTER SETTINGS section replaces the first one's name */
	free(*out);
	*out = NULL;
	for (size_t i = 3; i < s.n && s.s[i] != ','; i++) {
		if (s.s[i] == '\\' && i + 1 < s.n)
			i++;
		if ((rc = irmf_buf_addn(&b, s.s + i, 1)) < 0)
			goto out;
	}
	if (b.n > 0 && (*out = irmf_strdup(b.p)) == NULL)
		rc = IRMF_ENOMEM;
out:
	irmf_buf_free(&b);
	return rc;
}

static int
gp_value_after_colon(irmf_slice s, char **out)
{
	const char *colon = memchr(s.s, ':', s.n);
	irmf_slice v;

	if (colon == NULL)
		return IRMF_OK;
	v.s = colon + 1;
	v.n = s.n - (size_t)(v.s - s.s);
	v = irmf_slice_trim(v);
	free(*out);
	if ((*out = irmf_strndup(v.s, v.n)) == NULL)
		return IRMF_ENOMEM;
	return IRMF_OK;
}

static int
gp_line(struct gp_parse *gp, irmf_slice s, size_t lineno)
{
	if (irmf_slice_prefix_ci(s, "INFO:") || irmf_slice_prefix_ci(s,
	    "ERROR:"))
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: gpresult reported "
		    "'%.*s' (run gpresult /scope computer /r as an "
		    "administrator)", gp->name, lineno,
		    (int)(s.n > 120 ? 120 : s.n), s.s);
	if (irmf_slice_eq_ci(s, "COMPUTER SETTINGS")) {
		gp->in_computer = gp->seen_computer = gp->want_dn = true;
		return IRMF_OK;
	}
	if (irmf_slice_eq_ci(s, "USER SETTINGS")) {
		gp->in_computer = gp->in_groups = false;
		return IRMF_OK;
	}
	if (is_rule(s))
		return IRMF_OK;
	if (!gp->in_computer)
		return IRMF_OK;
	if (gp->want_dn) {
		gp->want_dn = false;
		if (irmf_slice_prefix_ci(s, "CN="))
			return dn_first_value(s, &gp->computer);
	}
	if (irmf_slice_prefix_ci(s, "Domain Name:"))
		return gp_value_after_colon(s, &gp->domain);
	if (irmf_slice_eq_ci(s, GP_GROUPS)) {
		gp->in_groups = gp->seen_groups = true;
		return IRMF_OK;
	}
	if (gp->in_groups) {
		char *g = irmf_strndup(s.s, s.n);
		int rc;

		if (g == NULL)
			return IRMF_ENOMEM;
		rc = irmf_strlist_add(&gp->raw, g);
		free(g);
		return rc;
	}
	return IRMF_OK;
}

static bool
gp_is_directory_group(const char *g)
{
	size_t n = strlen(g);

	if (strncasecmp(g, "BUILTIN\\", 8) == 0 ||
	    strncasecmp(g, "NT AUTHORITY\\", 13) == 0 ||
	    strncasecmp(g, "Mandatory Label\\", 16) == 0)
		return false;
	if (n == 0 || g[n - 1] == '$')   /* the computer account itself */
		return false;
	if (n > 16 && strcasecmp(g + n - 16, " Mandatory Level") == 0)
		return false;
	for (size_t i = 0; i < sizeof(gp_skip) / sizeof(gp_skip[0]); i++)
		if (strcasecmp(g, gp_skip[i]) == 0)
			return false;
	return true;
}

/* gpresult prints the computer's token groups (nested ones and those of
 * other domains included) without their domain ("Exchange Servers"):
 * they are kept bare, since prefixing the computer's own domain would be
 * wrong for a group of another domain, and a bare name matches the
 * connector's "DOMAIN\name" by name (irmf_account_eq). */
static int
gp_finish(struct gp_parse *gp)
{
	irmf_buf b = { 0 };
	int rc = IRMF_OK;

	if (gp->computer != NULL && gp->domain != NULL && gp->domain[0]) {
		if ((rc = irmf_buf_addn(&b, gp->domain,
		    strlen(gp->domain))) < 0 ||
		    (rc = irmf_buf_addn(&b, "\\", 1)) < 0 ||
		    (rc = irmf_buf_addn(&b, gp->computer,
		    strlen(gp->computer))) < 0 ||
		    (rc = irmf_buf_addn(&b, "$", 1)) < 0 ||
		    (rc = irmf_snapshot_set_computer_account(gp->snap,
		    b.p)) < 0)
			goto out;
	}
	for (size_t i = 0; i < gp->raw.n; i++) {
		const char *g = gp->raw.items[i];

		if (!gp_is_directory_group(g))
			continue;
		if ((rc = irmf_snapshot_add_group(gp->snap, g)) < 0)
			goto out;
	}
	gp->snap->groups_scope = IRMF_GROUPS_TOKEN;
out:
	irmf_buf_free(&b);
	return rc;
}

static int
gp_lines(struct gp_parse *gp, const char *text, size_t len)
{
	irmf_lines it;
	irmf_slice line;
	int rc;

	irmf_lines_init(&it, text, len);
	while (irmf_lines_next_slice(&it, &line)) {
		line = irmf_slice_trim(line);
		if (line.n == 0) {
			gp->in_groups = false;
			continue;
		}
		if ((rc = gp_line(gp, line, it.lineno)) < 0)
			return rc;
	}
	if (!gp->seen_computer)
		return irmf_error_set(IRMF_EPARSE, "%s: no 'COMPUTER SETTINGS' "
		    "section (expected `gpresult /scope computer /r` output)",
		    gp->name);
	if (!gp->seen_groups)
		return irmf_error_set(IRMF_EPARSE, "%s: no '" GP_GROUPS "' list "
		    "(English gpresult output expected)", gp->name);
	return gp_finish(gp);
}

int
irmf_gpresult_parse(irmf_snapshot *snap, const char *buf, size_t len,
    const char *name)
{
	struct gp_parse gp = { 0 };
	char *text;
	size_t n;
	int rc;

	if ((rc = irmf_text_prepare(buf, len, name, &text, &n)) < 0)
		return rc;
	gp.snap = snap;
	gp.name = name;
	rc = gp_lines(&gp, text, n);
	free(gp.computer);
	free(gp.domain);
	irmf_strlist_clear(&gp.raw);
	free(text);
	return rc;
}

bool
irmf_gpresult_sniff(const char *utf8_text)
{
	return (strstr(utf8_text, "RSOP data for") != NULL ||
	    strstr(utf8_text, "Group Policy Result tool") != NULL) &&
	    (strstr(utf8_text, "COMPUTER SETTINGS") != NULL ||
	    strstr(utf8_text, "USER SETTINGS") != NULL);
}
