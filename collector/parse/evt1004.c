/*
 * evt1004.c - the accounts an RMS connector event 1004 names (see
 * evt1004.h).
 *
 * The text is read line by line, each line split at ',' and ';' (no
 * account form can contain them, and several accounts on one line is a
 * plausible layout).  A piece may carry a label ("Account:", "SID:"; the
 * label after a sentence's last '.', so "... updated. Accounts: X"
 * works); a label that is not an account or SID label makes the piece
 * something else (a time, a count).  What is left must be account-shaped
 * as a whole, or it is not an account: prose, counts and the first
 * sentence never are, because none of them has the shape of
 * DOMAIN\name, NAME$, name@dns.domain or S-1-....  A name and a SID that
 * stand for one account (on one line, or on adjacent label lines) count
 * once, so a layout that lists both does not double the list.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "evt1004.h"

/* One account as the message names it: a name, its SID, or both. */
typedef struct entry {
	char *name, *sid;
} entry;

typedef struct scan {
	entry *e;
	size_t n, cap;
	/* the entry the previous line's piece made, when it was a label
	 * line (pairing "Account:" with "SID:"), else (size_t)-1 */
	size_t last_label;
	bool err;
} scan;

#define NONE ((size_t)-1)

/* ------------------------------------------------------------- shapes */

static bool
is_sid_n(const char *s, size_t n)
{
	size_t groups = 0, digits = 0;

	if (n < 6 || (s[0] != 'S' && s[0] != 's') || strncmp(s + 1, "-1-", 3))
		return false;
	for (size_t i = 4; i < n; i++) {
		if (isdigit((unsigned char)s[i])) {
			if (++digits > 10)
				return false;
		} else if (s[i] == '-' && digits > 0) {
			groups++;
			digits = 0;
		} else {
			return false;
		}
	}
	/* S-1-<authority>-<subauthority>..., at most 15 subauthorities */
	return digits > 0 && groups >= 1 && groups <= 15;
}

/* A sAMAccountName-like name: no characters AD forbids there, no control
 * characters, no blanks at either end. */
static bool
is_sam(const char *s, size_t n)
{
	bool other = false;

	if (n == 0 || n > 256 || s[0] == ' ' || s[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || strchr("\"/\\[]:;|=,+*?<>", c))
			return false;
		other |= c != '.';
	}
	return other;
}

static bool
is_netbios(const char *s, size_t n)
{
	if (n == 12 && strncasecmp(s, "NT AUTHORITY", 12) == 0)
		return true;
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

static bool
is_upn(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	size_t local, labels = 0, len = 0;

	if (at == NULL || (local = (size_t)(at - s)) == 0 || local > 64)
		return false;
	for (size_t i = 0; i < local; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._'+-", s[i]))
			return false;
	for (const char *p = at + 1; p < s + n; p++) {
		if (*p == '.') {
			if (len == 0)
				return false;
			labels++;
			len = 0;
		} else if (isalnum((unsigned char)*p) || *p == '-') {
			if (++len > 63)
				return false;
		} else {
			return false;
		}
	}
	return len > 0 && labels >= 1;
}

/* NAME$ without a domain: a computer account as some tools print it. */
static bool
is_bare_computer(const char *s, size_t n)
{
	if (n < 2 || n > 21 || s[n - 1] != '$')
		return false;
	for (size_t i = 0; i + 1 < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

static bool
is_name_n(const char *s, size_t n)
{
	const char *bs = memchr(s, '\\', n);

	if (bs != NULL)
		return is_netbios(s, (size_t)(bs - s)) &&
		    is_sam(bs + 1, n - (size_t)(bs - s) - 1);
	return is_upn(s, n) || is_bare_computer(s, n);
}

bool
irmf_evt1004_is_account(const char *s)
{
	size_t n = strlen(s);

	return is_sid_n(s, n) || is_name_n(s, n);
}

/* -------------------------------------------------------------- pieces */

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && isspace((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

typedef enum label { L_NONE, L_NAME, L_SID, L_OTHER } label;

static const char *const name_labels[] = { "account", "accounts",
    "accountname", "name", "user", "username", "users", "group",
    "groupname", "groups", "principal", "identity", "member",
    "authorizedaccount", "authorizedaccounts", "allowedaccount",
    "allowedaccounts", "computeraccount", "server", "servers", "upn",
    "userprincipalname", "samaccountname" };
static const char *const sid_labels[] = { "sid", "securityid",
    "accountsid", "usersid", "groupsid", "securityidentifier" };

static bool
in(const char *w, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(w, list[i]) == 0)
			return true;
	return false;
}

/* The label before the piece's first ':' (after a sentence's last
 * '.'), classified; *val is what follows it.  L_NONE: no label. */
static label
split_label(const char *s, size_t n, const char **val, size_t *vn)
{
	const char *colon = memchr(s, ':', n), *l = s;
	char word[48];
	size_t ln, w = 0;

	*val = s;
	*vn = n;
	if (colon == NULL)
		return L_NONE;
	for (const char *p = s; p < colon; p++)
		if (*p == '.')
			l = p + 1;
	ln = (size_t)(colon - l);
	trim(&l, &ln);
	if (ln == 0 || ln >= sizeof(word))
		return L_NONE;
	for (size_t i = 0; i < ln; i++) {
		if (isalpha((unsigned char)l[i]))
			word[w++] = (char)tolower((unsigned char)l[i]);
		else if (l[i] != ' ')
			return L_NONE;
	}
	word[w] = '\0';
	*val = colon + 1;
	*vn = n - (size_t)(colon + 1 - s);
	trim(val, vn);
	if (in(word, name_labels, sizeof(name_labels) / sizeof(*name_labels)))
		return L_NAME;
	if (in(word, sid_labels, sizeof(sid_labels) / sizeof(*sid_labels)))
		return L_SID;
	return L_OTHER;
}

/* A trailing "(...)" / "[...]" after a blank: a SID (kept in *sid) or
 * the role the tool shows ("Exchange Server") is cut off. */
static void
cut_annotation(const char **s, size_t *n, const char **sid, size_t *sn)
{
	const char *v = *s, *open;
	size_t len = *n, an;
	char close;

	if (len < 3 || (v[len - 1] != ')' && v[len - 1] != ']'))
		return;
	close = v[len - 1];
	for (open = v + len - 2; open > v; open--)
		if (*open == (close == ')' ? '(' : '['))
			break;
	if (open <= v || !isspace((unsigned char)open[-1]))
		return;
	an = (size_t)(v + len - 1 - open - 1);
	if (is_sid_n(open + 1, an)) {
		*sid = open + 1;
		*sn = an;
	} else if (strncasecmp(open + 1, "exchange", 8) != 0 &&
	    strncasecmp(open + 1, "sharepoint", 10) != 0 &&
	    strncasecmp(open + 1, "file", 4) != 0 &&
	    strncasecmp(open + 1, "fci", 3) != 0 &&
	    strncasecmp(open + 1, "role", 4) != 0) {
		return;
	}
	*n = (size_t)(open - v);
	trim(s, n);
}

/* "NAME S-1-5-..." : a SID as the last blank-separated word. */
static void
cut_trailing_sid(const char **s, size_t *n, const char **sid, size_t *sn)
{
	const char *v = *s;
	size_t len = *n, i = len;

	while (i > 0 && !isspace((unsigned char)v[i - 1]))
		i--;
	if (i == 0 || !is_sid_n(v + i, len - i))
		return;
	*sid = v + i;
	*sn = len - i;
	*n = i;
	trim(s, n);
}

static size_t
add_entry(scan *sc, const char *name, size_t nn, const char *sid,
    size_t sn)
{
	entry *e;

	if (sc->n == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 8;
		entry *ne = realloc(sc->e, cap * sizeof(*ne));
		if (ne == NULL) {
			sc->err = true;
			return NONE;
		}
		sc->e = ne;
		sc->cap = cap;
	}
	e = &sc->e[sc->n];
	e->name = name ? irmf_strndup(name, nn) : NULL;
	e->sid = sid ? irmf_strndup(sid, sn) : NULL;
	if ((name && e->name == NULL) || (sid && e->sid == NULL)) {
		free(e->name);
		free(e->sid);
		sc->err = true;
		return NONE;
	}
	return sc->n++;
}

/* Pair a label line with the previous label line when one has only the
 * name and the other only the SID; true if done. */
static bool
pair(scan *sc, const char *name, size_t nn, const char *sid, size_t sn)
{
	entry *e = sc->last_label == NONE ? NULL : &sc->e[sc->last_label];
	char **slot;

	if (e == NULL)
		return false;
	if (name == NULL && e->sid == NULL && e->name != NULL)
		slot = &e->sid;
	else if (sid == NULL && e->name == NULL && e->sid != NULL)
		slot = &e->name;
	else
		return false;
	if ((*slot = name ? irmf_strndup(name, nn) :
	    irmf_strndup(sid, sn)) == NULL)
		sc->err = true;
	return true;
}

/* One piece of a line; true if it named an account. */
static bool
piece(scan *sc, const char *s, size_t n)
{
	const char *v, *sid = NULL, *name = NULL;
	size_t vn, sn = 0, nn = 0;
	label l = split_label(s, n, &v, &vn);

	if (l == L_OTHER || vn == 0)
		return false;
	cut_annotation(&v, &vn, &sid, &sn);
	if (sid == NULL)
		cut_trailing_sid(&v, &vn, &sid, &sn);
	if (sid != NULL && vn == 0) {
		/* the value was only a SID (in brackets) */
	} else if (sid == NULL && is_sid_n(v, vn)) {
		sid = v;
		sn = vn;
	} else if (is_name_n(v, vn)) {
		name = v;
		nn = vn;
	} else {
		return false;
	}
	if (l != L_NONE && pair(sc, name, nn, sid, sn)) {
		sc->last_label = NONE;   /* a pair is complete */
		return true;
	}
	sc->last_label = add_entry(sc, name, nn, sid, sn);
	if (l == L_NONE)
		sc->last_label = NONE;
	return true;
}

/* List markers: "- ", "* ", "• ", "1. ", "2) ". */
static void
cut_marker(const char **s, size_t *n)
{
	const char *p = *s;
	size_t m = 0;

	if (*n >= 2 && (p[0] == '-' || p[0] == '*') && p[1] == ' ')
		m = 2;
	else if (*n >= 4 && memcmp(p, "\xe2\x80\xa2 ", 4) == 0)
		m = 4;
	else {
		while (m < *n && m < 4 && isdigit((unsigned char)p[m]))
			m++;
		if (m == 0 || m + 1 >= *n || (p[m] != '.' && p[m] != ')') ||
		    p[m + 1] != ' ')
			return;
		m += 2;
	}
	*s += m;
	*n -= m;
	trim(s, n);
}

static void
line(scan *sc, const char *s, size_t n)
{
	bool any = false;

	trim(&s, &n);
	cut_marker(&s, &n);
	while (n > 0 && !sc->err) {
		size_t k = 0, pn;
		const char *p = s;

		while (k < n && s[k] != ',' && s[k] != ';')
			k++;
		pn = k;
		trim(&p, &pn);
		any |= piece(sc, p, pn);
		if (k == n)
			break;
		s += k + 1;
		n -= k + 1;
	}
	if (!any)
		sc->last_label = NONE;
}

/* Entry i's account (its name, else its SID). */
static const char *
acct(const entry *e)
{
	return e->name ? e->name : e->sid;
}

typedef struct ord {
	const char *a;
	size_t i;
} ord;

static int
cmp_ord(const void *x, const void *y)
{
	const ord *p = x, *q = y;
	int c = strcasecmp(p->a, q->a);

	return c ? c : (p->i > q->i) - (p->i < q->i);
}

/* Mark in dup[] every entry whose account an earlier entry already has
 * (sorted, so a message with many accounts stays n log n). */
static int
mark_dups(const scan *sc, bool *dup)
{
	ord *o = calloc(sc->n + 1, sizeof(*o));

	if (o == NULL)
		return IRMF_ENOMEM;
	for (size_t i = 0; i < sc->n; i++) {
		o[i].a = acct(&sc->e[i]);
		o[i].i = i;
	}
	qsort(o, sc->n, sizeof(*o), cmp_ord);
	for (size_t i = 1; i < sc->n; i++)
		dup[o[i].i] = strcasecmp(o[i].a, o[i - 1].a) == 0;
	free(o);
	return IRMF_OK;
}

int
irmf_evt1004_scan(const char *text, irmf_strlist *out)
{
	scan sc = { NULL, 0, 0, NONE, false };
	bool *dup = NULL;

	for (const char *p = text; *p != '\0' && !sc.err;) {
		size_t n = strcspn(p, "\r\n");
		line(&sc, p, n);
		p += n;
		p += *p == '\r' && p[1] == '\n' ? 2 : *p != '\0';
	}
	if (!sc.err && ((dup = calloc(sc.n + 1, sizeof(*dup))) == NULL ||
	    mark_dups(&sc, dup) < 0))
		sc.err = true;
	for (size_t i = 0; i < sc.n; i++) {
		if (!sc.err && !dup[i] &&
		    irmf_strlist_add(out, acct(&sc.e[i])) < 0)
			sc.err = true;
		free(sc.e[i].name);
		free(sc.e[i].sid);
	}
	free(sc.e);
	free(dup);
	return sc.err ? irmf_error_oom() : IRMF_OK;
}
