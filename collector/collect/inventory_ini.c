/*
 * inventory_ini.c - the Ansible INI inventory reader.
 *
 * Accepted syntax (Ansible's, so that an admin's existing inventory
 * works): comments ('#' or ';' lines), host lines `name [key=value ...]`
 * under [group] (or before any section: ungrouped), `name:port`, ranges
 * `ex[01:12]`, `[group:vars]` with `key=value` lines, `[group:children]`.
 * Anything else is an error naming file:line.
 *
 * Values are read as Ansible's INI plugin reads them, so irmfleet uses the
 * value Ansible would:
 *  - a host line is split like Python's shlex.split(line, comments=True):
 *    quotes group, '#' outside quotes ends the line, and an unquoted
 *    backslash escapes the next character - so `ansible_user=CONTOSO\svc`
 *    is "CONTOSOsvc" to Ansible, and to irmfleet, which warns with the
 *    line (quote it: 'CONTOSO\svc');
 *  - a [group:vars] line is "key = rest of the line", not split: the
 *    backslash stays, and so does a '#' (Ansible keeps it in the value);
 *  - either value, when it is a whole Python string literal ('...',
 *    "...", r'...'), is unquoted as ast.literal_eval would.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "inventory_int.h"

#define MAX_TOKENS 256

enum section { SEC_HOSTS, SEC_VARS, SEC_CHILDREN };

typedef struct ini {
	inv_raw *r;
	const char *file;
	size_t line;
	const char *where;        /* "file:line" of the current line */
	char *scratch;            /* as long as the input */
	char **tok;
} ini;

/* ------------------------------------------------------ Python values */

/*
 * If s (len n) is one whole Python string literal, decode it into out
 * (at least n + 1 bytes) as ast.literal_eval would and return true; else
 * false (Ansible keeps such a value as written).  Unknown escapes keep
 * their backslash, as Python does; numeric escapes are not decoded and
 * said in a warning.
 */
static bool
py_string(ini *p, const char *s, size_t n, char *out)
{
	static const char from[] = "\\'\"abfnrtv", to[] = "\\'\"\a\b\f\n\r\t\v";
	bool raw = false;
	size_t i = 0, o = 0, end;
	char q;

	while (i < n && i < 2 && strchr("rRuU", s[i]) != NULL) {
		raw |= s[i] == 'r' || s[i] == 'R';
		i++;
	}
	if (i >= n || (s[i] != '\'' && s[i] != '"') || n - i < 2 ||
	    s[n - 1] != s[i])
		return false;
	q = s[i++];
	end = n - 1;   /* the closing quote */
	for (; i < end; i++) {
		char c = s[i];
		const char *m;

		if (c == q)
			return false;   /* 'a'b': not one literal */
		if (c != '\\') {
			out[o++] = c;
			continue;
		}
		if (i + 1 >= end)
			return false;   /* the backslash escapes the close */
		c = s[++i];
		if (!raw && (m = strchr(from, c)) != NULL) {
			out[o++] = to[m - from];
			continue;
		}
		if (!raw && strchr("xuUN01234567", c) != NULL)
			inv_warn(p->r, "%s: escape '\\%c' in a quoted value is "
			    "not decoded by irmfleet", p->where, c);
		out[o++] = '\\';
		out[o++] = c;
	}
	out[o] = '\0';
	return true;
}

/* The value Ansible's _parse_value gives the string v: unquoted if it is
 * a string literal, else v.  Returns a pointer into buf or v. */
static const char *
py_value(ini *p, const char *v, char *buf)
{
	return py_string(p, v, strlen(v), buf) ? buf : v;
}

/* ---------------------------------------------------------- tokenizer */

/*
 * Split a host line like shlex.split(line, comments=True): whitespace
 * separates tokens, '...' is literal, "..." allows \" and \\, a backslash
 * outside quotes escapes the next character (dropped: warned when it
 * stood before a letter or digit, where a Windows account's backslash is
 * the likely meaning), '#' outside quotes ends the line.  Tokens are
 * written NUL-separated into p->scratch.
 */
static int
tokenize(ini *p, const char *s, size_t n, size_t *ntok)
{
	size_t i = 0, o = 0;
	char *buf = p->scratch;

	*ntok = 0;
	for (;;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= n || s[i] == '#')
			return IRMF_OK;
		if (*ntok == MAX_TOKENS)
			return irmf_error_set(IRMF_ELIMIT,
			    "%s: more than %d words on one line", p->where,
			    MAX_TOKENS);
		p->tok[(*ntok)++] = buf + o;
		while (i < n && s[i] != ' ' && s[i] != '\t') {
			char c = s[i++];

			if (c == '#') {
				i = n;
				break;
			}
			if (c == '\'') {
				while (i < n && s[i] != '\'')
					buf[o++] = s[i++];
				if (i >= n)
					goto unterminated;
				i++;
			} else if (c == '"') {
				while (i < n && s[i] != '"') {
					if (s[i] == '\\' && i + 1 < n &&
					    (s[i + 1] == '"' || s[i + 1] == '\\'))
						i++;
					buf[o++] = s[i++];
				}
				if (i >= n)
					goto unterminated;
				i++;
			} else if (c == '\\') {
				if (i < n && isalnum((unsigned char)s[i]))
					inv_warn(p->r, "%s: the backslash before "
					    "'%c' is dropped, as Ansible drops it "
					    "(an unquoted \\ escapes the next "
					    "character): quote the value, e.g. "
					    "'CONTOSO\\svc', to keep it",
					    p->where, s[i]);
				if (i < n)
					buf[o++] = s[i++];
			} else {
				buf[o++] = c;
			}
		}
		buf[o++] = '\0';
	}
unterminated:
	return irmf_error_set(IRMF_EPARSE, "%s: unterminated quote",
	    p->where);
}

/* --------------------------------------------------------- the lines */

static int
host_line(ini *p, size_t gi, size_t ntok)
{
	size_t *his = NULL, n = 0;
	char *val = NULL;
	int rc;

	if ((rc = inv_hosts(p->r, gi, p->tok[0], p->where, &his, &n)) != 0)
		return rc;
	for (size_t t = 1; t < ntok && rc == 0; t++) {
		char *eq = strchr(p->tok[t], '=');

		if (eq == NULL || eq == p->tok[t]) {
			rc = irmf_error_set(IRMF_EPARSE, "%s: expected "
			    "'key=value' after host '%s', got '%s'", p->where,
			    p->tok[0], p->tok[t]);
			break;
		}
		*eq = '\0';
		if ((val = malloc(strlen(eq + 1) + 1)) == NULL) {
			rc = irmf_error_oom();
			break;
		}
		const char *v = py_value(p, eq + 1, val);
		for (size_t h = 0; h < n && rc == 0; h++)
			rc = inv_set_var(&p->r->hosts[his[h]].vars[
			    INV_LAYER_INVENTORY], p->tok[t], v, INV_SCALAR,
			    p->where);
		free(val);
	}
	free(his);
	return rc;
}

/* A [group:vars] line: "key=value", the value as Ansible reads it. */
static int
var_line(ini *p, size_t gi, const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n), *v;
	size_t klen, vlen;
	char key[128];

	if (eq == NULL)
		return irmf_error_set(IRMF_EPARSE,
		    "%s: expected 'key=value' in [%s:vars], got '%.*s'",
		    p->where, p->r->groups[gi].name, (int)(n > 80 ? 80 : n), s);
	klen = (size_t)(eq - s);
	while (klen > 0 && (s[klen - 1] == ' ' || s[klen - 1] == '\t'))
		klen--;
	if (klen == 0 || klen >= sizeof(key))
		return irmf_error_set(IRMF_EPARSE,
		    "%s: missing variable name before '='", p->where);
	memcpy(key, s, klen);
	key[klen] = '\0';
	for (size_t i = 0; i < klen; i++)
		if (!isalnum((unsigned char)key[i]) && key[i] != '_')
			return irmf_error_set(IRMF_EPARSE,
			    "%s: invalid variable name '%s'", p->where, key);
	v = eq + 1;
	vlen = n - (size_t)(v - s);
	while (vlen > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	memcpy(p->scratch, v, vlen);
	p->scratch[vlen] = '\0';
	if (strstr(p->scratch, " #") != NULL || strstr(p->scratch, "\t#"))
		inv_warn(p->r, "%s: the '#...' after the value of %s is part "
		    "of the value in Ansible's [:vars] sections (comments "
		    "there are whole lines)", p->where, key);
	char *buf = p->scratch + vlen + 1;
	return inv_set_var(&p->r->groups[gi].vars[INV_LAYER_INVENTORY], key,
	    py_value(p, p->scratch, buf), INV_SCALAR, p->where);
}

static int
header(ini *p, const char *s, size_t n, size_t *gi, enum section *sec)
{
	char name[128];
	const char *colon;
	size_t len;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n < 2 || s[n - 1] != ']')
		return irmf_error_set(IRMF_EPARSE,
		    "%s: unterminated section header '%.*s'", p->where,
		    (int)(n > 80 ? 80 : n), s);
	s++;
	n -= 2;
	colon = memchr(s, ':', n);
	len = colon ? (size_t)(colon - s) : n;
	if (len >= sizeof(name))
		return irmf_error_set(IRMF_EPARSE,
		    "%s: group name '%.40s...' longer than %zu characters",
		    p->where, s, sizeof(name) - 1);
	memcpy(name, s, len);
	name[len] = '\0';
	if (!inv_group_name_ok(name))
		return irmf_error_set(IRMF_EPARSE,
		    "%s: invalid group name '%s'", p->where, name);
	*sec = SEC_HOSTS;
	if (colon != NULL) {
		size_t rest = n - len - 1;

		if (rest == 4 && memcmp(colon + 1, "vars", 4) == 0)
			*sec = SEC_VARS;
		else if (rest == 8 && memcmp(colon + 1, "children", 8) == 0)
			*sec = SEC_CHILDREN;
		else
			return irmf_error_set(IRMF_EPARSE,
			    "%s: unknown section type ':%.*s' in '[%s:...]' "
			    "(expected vars or children)", p->where,
			    (int)(rest > 40 ? 40 : rest), colon + 1, name);
	}
	return inv_add_group(p->r, name, p->where, gi);
}

static int
line(ini *p, const char *s, size_t n, size_t *gi, enum section *sec)
{
	size_t ntok;
	int rc;

	if (*s == '[')
		return header(p, s, n, gi, sec);
	if (*sec == SEC_VARS)
		return var_line(p, *gi, s, n);
	if ((rc = tokenize(p, s, n, &ntok)) != 0 || ntok == 0)
		return rc;
	if (*sec == SEC_HOSTS)
		return host_line(p, *gi, ntok);
	if (ntok != 1)
		return irmf_error_set(IRMF_EPARSE, "%s: expected one group "
		    "name in [%s:children]", p->where, p->r->groups[*gi].name);
	return inv_child(p->r, *gi, p->tok[0], p->where);
}

int
inv_read_ini(inv_raw *r, const char *buf, size_t len, const char *file)
{
	ini p = { r, file, 0, file, NULL, NULL };
	enum section sec = SEC_HOSTS;
	size_t gi = 0;   /* ungrouped */
	int rc = IRMF_OK;

	p.scratch = malloc(2 * len + 2);
	p.tok = calloc(MAX_TOKENS, sizeof(*p.tok));
	if (p.scratch == NULL || p.tok == NULL) {
		free(p.scratch);
		free(p.tok);
		return irmf_error_oom();
	}
	for (size_t off = 0; off < len && rc == 0;) {
		const char *s = buf + off, *nl = memchr(s, '\n', len - off);
		size_t n = nl ? (size_t)(nl - s) : len - off;

		off += n + (nl != NULL);
		p.where = inv_where(r, file, ++p.line);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (p.line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			n -= 3;
		}
		while (n > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (n == 0 || *s == '#' || *s == ';')
			continue;
		if (memchr(s, '\0', n) != NULL)
			rc = irmf_error_set(IRMF_EPARSE, "%s: NUL byte in "
			    "inventory (not a text file?)", p.where);
		else
			rc = line(&p, s, n, &gi, &sec);
	}
	free(p.scratch);
	free(p.tok);
	return rc;
}
