/*
 * sshconfig.c - reads an OpenSSH client configuration (see sshconfig.h).
 *
 * The file (with its Includes expanded in place) becomes one flat list of
 * items: Host and Match lines, keyword lines, and push/pop marks around an
 * included file.  A lookup walks that list once per host as ssh's
 * readconf.c does: a Host or Match line switches the following keywords on
 * or off, an Include inherits whether its line was active (an inactive
 * Include makes every block of the file inactive, OpenSSH's NEVERMATCH)
 * and the state before it comes back after it.  Checking every value when
 * the file is read means a typo is reported once, with its file:line,
 * whatever host is collected.
 */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fileio.h"
#include "str.h"
#include "sshconfig.h"
#include "sshpattern.h"
#include "buf.h"

enum kw {
	K_HOST, K_MATCH, K_INCLUDE, K_HOSTNAME, K_USER, K_PORT, K_IDFILE,
	K_IDONLY, K_KNOWNHOSTS, K_STRICT, K_CTIMEOUT, K_PROXYJUMP,
	K_UNSUPPORTED, K_IGNORED, K_PUSH, K_POP
};

static const struct keyword {
	const char *name;
	enum kw kw;
} keywords[] = {
	{ "Host", K_HOST }, { "Match", K_MATCH }, { "Include", K_INCLUDE },
	{ "HostName", K_HOSTNAME }, { "User", K_USER }, { "Port", K_PORT },
	{ "IdentityFile", K_IDFILE }, { "IdentitiesOnly", K_IDONLY },
	{ "UserKnownHostsFile", K_KNOWNHOSTS },
	{ "StrictHostKeyChecking", K_STRICT },
	{ "ConnectTimeout", K_CTIMEOUT }, { "ProxyJump", K_PROXYJUMP },
	/* these change which server, key or command is trusted or run:
	 * ignoring them silently would connect differently from ssh */
	{ "ProxyCommand", K_UNSUPPORTED }, { "HostKeyAlias", K_UNSUPPORTED },
	{ "KnownHostsCommand", K_UNSUPPORTED },
	{ "LocalCommand", K_UNSUPPORTED },
	{ "PermitLocalCommand", K_UNSUPPORTED },
	{ "RemoteCommand", K_UNSUPPORTED },
	{ "CertificateFile", K_UNSUPPORTED },
	{ "GlobalKnownHostsFile", K_UNSUPPORTED },
	{ "CanonicalizeHostname", K_UNSUPPORTED },
	{ "PKCS11Provider", K_UNSUPPORTED },
	{ "SecurityKeyProvider", K_UNSUPPORTED },
	{ "IdentityAgent", K_UNSUPPORTED },
	{ "ProxyUseFdpass", K_UNSUPPORTED },
	{ "VerifyHostKeyDNS", K_UNSUPPORTED },
};

/* Match criteria: the block applies when `crit` holds (negated: when it
 * does not); M_NEVER is an unsupported criterion (a warning). */
enum match { M_ALL, M_HOST, M_NEVER };

typedef struct item {
	enum kw kw;
	const char *keyword;
	char *value;           /* keyword lines; Match host: the list */
	char **pats;           /* Host: the patterns */
	size_t npats;
	enum match match;
	bool negate;
	const char *file;
	size_t line;
} item;

struct irmf_sshcfg {
	item *items;
	size_t n, cap;
	char **files;          /* names the items point to */
	size_t nfiles, fcap;
	char **warn;
	size_t nwarn, wcap;
	char *home, *ssh_dir;
};

/* ------------------------------------------------------------ building */

static int
add_item(irmf_sshcfg *c, const item *it)
{
	if (IRMF_GROW(c->items, c->cap, c->n) != 0)
		return IRMF_ENOMEM;
	c->items[c->n++] = *it;
	return IRMF_OK;
}

static int
add_warning(irmf_sshcfg *c, const char *file, size_t line, const char *msg)
{
	irmf_buf b = IRMF_BUF_INIT;
	char *s;

	irmf_buf_printf(&b, "%s:%zu: %s", file, line, msg);
	if ((s = irmf_buf_take(&b)) == NULL ||
	    IRMF_GROW(c->warn, c->wcap, c->nwarn) != 0) {
		free(s);
		return IRMF_ENOMEM;
	}
	c->warn[c->nwarn++] = s;
	return IRMF_OK;
}

static const char *
add_file(irmf_sshcfg *c, const char *name)
{
	char *s = irmf_strdup(name);

	if (s == NULL || IRMF_GROW(c->files, c->fcap, c->nfiles) != 0) {
		free(s);
		return NULL;
	}
	c->files[c->nfiles++] = s;
	return s;
}

/* ---------------------------------------------------------- tokenizing */

typedef struct args {
	char *v[256];
	size_t n;
} args;

/* Split a line as OpenSSH's argv_split(): words separated by blanks,
 * "double quotes" group, an unquoted '#' starting a word is a comment;
 * the first word may end in '=' or be followed by one.  The words point
 * into line (modified). */
static int
split(char *line, args *a, const char *file, size_t ln)
{
	char *p = line, *w;

	a->n = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' ||
		    (*p == '=' && a->n == 1))
			p++;
		if (*p == '\0' || *p == '#')
			return IRMF_OK;
		if (a->n == sizeof(a->v) / sizeof(a->v[0]))
			return irmf_error_set(IRMF_EPARSE, "%s:%zu: too many "
			    "arguments", file, ln);
		w = p;
		if (*p == '"') {
			w = ++p;
			while (*p && *p != '"')
				p++;
			if (*p != '"')
				return irmf_error_set(IRMF_EPARSE, "%s:%zu: "
				    "unterminated quoted argument", file, ln);
		} else {
			while (*p && *p != ' ' && *p != '\t' && *p != '\r' &&
			    !(*p == '=' && a->n == 0))
				p++;
		}
		a->v[a->n++] = w;
		if (*p == '\0')
			return IRMF_OK;
		*p++ = '\0';
	}
}

static const struct keyword *
find_keyword(const char *w)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (irmf_streq_ci(w, keywords[i].name))
			return &keywords[i];
	return NULL;
}

/* ---------------------------------------------------------- validation */

static bool
parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno == 0 && *end == '\0' && *out <= max;
}

/* ConnectTimeout as OpenSSH's convtime(): seconds, or a number with an
 * s/m/h suffix; stored back as plain seconds. */
static int
check_timeout(char **value, const char *file, size_t ln)
{
	char *s = *value, buf[32];
	size_t n = strlen(s);
	unsigned long v, mul = 1;

	if (n > 1 && strchr("sSmMhH", s[n - 1]) != NULL) {
		char u = (char)tolower((unsigned char)s[n - 1]);

		mul = u == 'm' ? 60 : u == 'h' ? 3600 : 1;
		s[n - 1] = '\0';
	}
	if (!parse_uint(s, 86400, &v) || v * mul == 0 || v * mul > 86400)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: ConnectTimeout "
		    "'%s' is not a number of seconds (1..86400)", file, ln,
		    *value);
	snprintf(buf, sizeof(buf), "%lu", v * mul);
	free(*value);
	return (*value = irmf_strdup(buf)) ? IRMF_OK : IRMF_ENOMEM;
}

static int
check_value(item *it, const char *file, size_t ln)
{
	unsigned long v;
	irmf_sshcfg_hop *hops;
	size_t n;
	char where[300];

	switch (it->kw) {
	case K_PORT:
		if (!parse_uint(it->value, 65535, &v) || v == 0)
			return irmf_error_set(IRMF_EPARSE, "%s:%zu: bad port "
			    "'%s'", file, ln, it->value);
		return IRMF_OK;
	case K_IDONLY:
		if (!irmf_streq_ci(it->value, "yes") &&
		    !irmf_streq_ci(it->value, "no"))
			return irmf_error_set(IRMF_EPARSE, "%s:%zu: "
			    "IdentitiesOnly must be yes or no, not '%s'", file,
			    ln, it->value);
		return IRMF_OK;
	case K_STRICT: {
		static const char *const ok[] = { "yes", "no", "ask",
		    "accept-new", "off" };

		for (size_t i = 0; i < 5; i++)
			if (irmf_streq_ci(it->value, ok[i]))
				return IRMF_OK;
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: "
		    "StrictHostKeyChecking '%s' is not yes, no, ask, "
		    "accept-new or off", file, ln, it->value);
	}
	case K_CTIMEOUT:
		return check_timeout(&it->value, file, ln);
	case K_PROXYJUMP:
		snprintf(where, sizeof(where), "%s:%zu", file, ln);
		if (irmf_sshcfg_parse_jumps(it->value, where, &hops, &n) != 0)
			return IRMF_EPARSE;
		irmf_sshcfg_hops_free(hops, n);
		return IRMF_OK;
	default:
		return IRMF_OK;
	}
}

/* ------------------------------------------------------------- parsing */

static int parse_buf(irmf_sshcfg *c, char *buf, const char *file,
    int depth);

static int
host_line(irmf_sshcfg *c, item *it, args *a)
{
	if (a->n < 2)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: Host needs at least "
		    "one pattern", it->file, it->line);
	if ((it->pats = calloc(a->n - 1, sizeof(char *))) == NULL)
		return irmf_error_oom();
	for (size_t i = 1; i < a->n; i++) {
		if ((it->pats[i - 1] = irmf_strdup(a->v[i])) == NULL) {
			it->npats = i - 1;
			goto oom;
		}
		for (char *p = it->pats[i - 1]; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	it->npats = a->n - 1;
	if (add_item(c, it) == 0)
		return IRMF_OK;
oom:
	for (size_t i = 0; i < it->npats; i++)
		free(it->pats[i]);
	free(it->pats);
	return IRMF_ENOMEM;
}

/* Match all | Match [!]host LIST; any other criterion (exec, user,
 * localuser, originalhost, canonical, final, tagged ...) makes the block
 * never apply, with a warning: irmfleet cannot evaluate it as ssh would. */
static int
match_line(irmf_sshcfg *c, item *it, args *a)
{
	const char *crit = a->n > 1 ? a->v[1] : NULL;
	char msg[300];

	if (crit == NULL)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: Match needs a "
		    "criterion", it->file, it->line);
	it->negate = *crit == '!';
	crit += it->negate;
	if (irmf_streq_ci(crit, "all") && a->n == 2 && !it->negate) {
		it->match = M_ALL;
	} else if (irmf_streq_ci(crit, "host") && a->n == 3) {
		it->match = M_HOST;
		if ((it->value = irmf_strdup(a->v[2])) == NULL)
			return IRMF_ENOMEM;
	} else if (irmf_streq_ci(crit, "host") || irmf_streq_ci(crit, "all")) {
		if (a->n == 2 && irmf_streq_ci(crit, "host"))
			return irmf_error_set(IRMF_EPARSE, "%s:%zu: Match host "
			    "needs a pattern list", it->file, it->line);
		snprintf(msg, sizeof(msg), "Match with several criteria is "
		    "not supported (only 'Match host LIST' and 'Match all'); "
		    "the block is ignored");
		it->match = M_NEVER;
	} else {
		snprintf(msg, sizeof(msg), "Match %.100s is not supported (only "
		    "'Match host LIST' and 'Match all'); the block is ignored",
		    crit);
		it->match = M_NEVER;
	}
	if (it->match == M_NEVER &&
	    add_warning(c, it->file, it->line, msg) != 0)
		return IRMF_ENOMEM;
	if (add_item(c, it) != 0) {
		free(it->value);
		return IRMF_ENOMEM;
	}
	return IRMF_OK;
}

/* Read one included file between push/pop marks. */
static int
include_file(irmf_sshcfg *c, const char *path, const item *at, int depth)
{
	item mark = { .kw = K_PUSH, .file = at->file, .line = at->line };
	char *buf = NULL;
	size_t len;
	const char *name;
	int r;

	if ((r = irmf_file_read(path, IRMF_SSHCFG_MAX_BYTES, &buf, &len)) != 0)
		return irmf_error_prefix("%s:%zu: Include: ", at->file,
		    at->line);
	if (memchr(buf, '\0', len) != NULL) {
		free(buf);
		return irmf_error_set(IRMF_EPARSE, "%s: not a text file "
		    "(included from %s:%zu)", path, at->file, at->line);
	}
	if ((name = add_file(c, path)) == NULL || add_item(c, &mark) != 0) {
		free(buf);
		return IRMF_ENOMEM;
	}
	r = parse_buf(c, buf, name, depth + 1);
	free(buf);
	mark.kw = K_POP;
	return r != 0 ? r : add_item(c, &mark);
}

/* Include FILE...: each argument a glob, "~/" the home directory, a
 * relative path below ~/.ssh; files in glob order; no match is no error
 * (as ssh). */
static int
include_line(irmf_sshcfg *c, const item *it, args *a, int depth)
{
	if (a->n < 2)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: Include needs a "
		    "file", it->file, it->line);
	if (depth + 1 > IRMF_SSHCFG_MAX_DEPTH)
		return irmf_error_set(IRMF_ELIMIT, "%s:%zu: Include nested "
		    "deeper than %d files (a loop?)", it->file, it->line,
		    IRMF_SSHCFG_MAX_DEPTH);
	for (size_t i = 1; i < a->n; i++) {
		irmf_buf b = IRMF_BUF_INIT;
		char *pat;
		glob_t g;
		int r = 0, gr;

		if (strncmp(a->v[i], "~/", 2) == 0)
			irmf_buf_printf(&b, "%s%s", c->home ? c->home : "",
			    a->v[i] + 1);
		else if (a->v[i][0] == '/')
			irmf_buf_add(&b, a->v[i]);
		else
			irmf_buf_printf(&b, "%s/%s", c->ssh_dir ? c->ssh_dir :
			    ".", a->v[i]);
		if ((pat = irmf_buf_take(&b)) == NULL)
			return IRMF_ENOMEM;
		gr = glob(pat, 0, NULL, &g);
		free(pat);
		if (gr == GLOB_NOSPACE)
			return irmf_error_oom();
		for (size_t j = 0; gr == 0 && r == 0 && j < g.gl_pathc; j++)
			r = include_file(c, g.gl_pathv[j], it, depth);
		if (gr == 0)
			globfree(&g);
		if (r != 0)
			return r;
	}
	return IRMF_OK;
}

static int
keyword_line(irmf_sshcfg *c, item *it, args *a)
{
	if (a->n < 2)
		return irmf_error_set(IRMF_EPARSE, "%s:%zu: %s needs a value",
		    it->file, it->line, it->keyword);
	if (it->kw == K_KNOWNHOSTS && a->n > 2 &&
	    add_warning(c, it->file, it->line, "UserKnownHostsFile lists "
	    "several files; irmfleet uses only the first") != 0)
		return IRMF_ENOMEM;
	if (it->kw == K_UNSUPPORTED) {
		/* keep the whole command line for the report */
		irmf_buf b = IRMF_BUF_INIT;

		for (size_t i = 1; i < a->n; i++)
			irmf_buf_printf(&b, "%s%s", i > 1 ? " " : "", a->v[i]);
		it->value = irmf_buf_take(&b);
	} else {
		it->value = irmf_strdup(a->v[1]);
	}
	if (it->value == NULL)
		return IRMF_ENOMEM;
	if (check_value(it, it->file, it->line) != 0 || add_item(c, it) != 0) {
		free(it->value);
		return irmf_error_last()->code;
	}
	return IRMF_OK;
}

static int
parse_line(irmf_sshcfg *c, char *line, const char *file, size_t ln,
    int depth)
{
	args a;
	const struct keyword *k;
	item it = { .file = file, .line = ln };
	int r;

	if ((r = split(line, &a, file, ln)) != 0 || a.n == 0)
		return r;
	if ((k = find_keyword(a.v[0])) == NULL)
		return IRMF_OK;   /* a keyword that does not matter here */
	it.kw = k->kw;
	it.keyword = k->name;
	switch (k->kw) {
	case K_HOST:
		return host_line(c, &it, &a);
	case K_MATCH:
		return match_line(c, &it, &a);
	case K_INCLUDE:
		return include_line(c, &it, &a, depth);
	default:
		return keyword_line(c, &it, &a);
	}
}

static int
parse_buf(irmf_sshcfg *c, char *buf, const char *file, int depth)
{
	size_t ln = 0;
	char *p = buf;
	int r;

	while (p != NULL && *p) {
		char *nl = strchr(p, '\n');

		if (nl != NULL)
			*nl = '\0';
		ln++;
		if ((r = parse_line(c, p, file, ln, depth)) != 0)
			return r;
		p = nl ? nl + 1 : NULL;
	}
	return IRMF_OK;
}

static int
new_cfg(irmf_sshcfg **out, const irmf_sshcfg_env *env)
{
	irmf_sshcfg *c = calloc(1, sizeof(*c));

	*out = c;
	if (c == NULL)
		return irmf_error_oom();
	if (env != NULL && ((env->home && (c->home = irmf_strdup(env->home))
	    == NULL) || (env->ssh_dir && (c->ssh_dir =
	    irmf_strdup(env->ssh_dir)) == NULL)))
		return IRMF_ENOMEM;
	return IRMF_OK;
}

int
irmf_sshcfg_parse(irmf_sshcfg **out, const char *buf, size_t len,
    const char *name, const irmf_sshcfg_env *env)
{
	irmf_sshcfg *c;
	const char *file;
	char *copy;
	int r;

	*out = NULL;
	if (memchr(buf, '\0', len) != NULL)
		return irmf_error_set(IRMF_EPARSE, "%s: not a text file",
		    name);
	if ((r = new_cfg(&c, env)) != 0 || (file = add_file(c, name)) == NULL ||
	    (copy = irmf_strndup(buf, len)) == NULL) {
		irmf_sshcfg_free(c);
		return r ? r : IRMF_ENOMEM;
	}
	r = parse_buf(c, copy, file, 0);
	free(copy);
	if (r != 0) {
		irmf_sshcfg_free(c);
		return r;
	}
	*out = c;
	return IRMF_OK;
}

int
irmf_sshcfg_load(irmf_sshcfg **out, const char *path, bool must_exist,
    const irmf_sshcfg_env *env)
{
	char *buf;
	size_t len;
	int r;

	*out = NULL;
	r = irmf_file_read(path, IRMF_SSHCFG_MAX_BYTES, &buf, &len);
	if (r == IRMF_ENOTFOUND && !must_exist)
		return new_cfg(out, env);
	if (r != 0)
		return irmf_error_prefix("ssh configuration: ");
	r = irmf_sshcfg_parse(out, buf, len, path, env);
	free(buf);
	return r;
}

void
irmf_sshcfg_free(irmf_sshcfg *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->items[i].value);
		for (size_t j = 0; j < c->items[i].npats; j++)
			free(c->items[i].pats[j]);
		free(c->items[i].pats);
	}
	free(c->items);
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	for (size_t i = 0; i < c->nwarn; i++)
		free(c->warn[i]);
	free(c->warn);
	free(c->home);
	free(c->ssh_dir);
	free(c);
}

size_t
irmf_sshcfg_warning_count(const irmf_sshcfg *c)
{
	return c ? c->nwarn : 0;
}

const char *
irmf_sshcfg_warning(const irmf_sshcfg *c, size_t i)
{
	return c && i < c->nwarn ? c->warn[i] : NULL;
}

/* -------------------------------------------------------------- lookup */

/* A Host line: some pattern matches and no negated one does. */
static bool
host_matches(const item *it, const char *host)
{
	bool yes = false;

	for (size_t i = 0; i < it->npats; i++) {
		const char *p = it->pats[i];
		bool neg = *p == '!';

		if (irmf_sshpat_glob(host, p + neg)) {
			if (neg)
				return false;
			yes = true;
		}
	}
	return yes;
}

/* Match host is tested against the HostName obtained so far (with %h
 * expanded), else the name given: readconf.c's match_cfg_line(). */
static bool
match_matches(const item *it, const char *host, const irmf_sshcfg_host *h)
{
	bool yes;

	if (it->match == M_NEVER)
		return false;
	if (it->match == M_ALL)
		return true;
	if (h->hostname.value != NULL) {
		char *hn = NULL;
		irmf_sshcfg_tokens t = { .host = host };

		if (irmf_sshcfg_expand(h->hostname.value, &t, true, "", &hn)
		    != 0)
			return false;
		for (char *p = hn; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		yes = irmf_sshpat_list(hn, it->value) == 1;
		free(hn);
	} else {
		yes = irmf_sshpat_list(host, it->value) == 1;
	}
	return it->negate ? !yes : yes;
}

static irmf_sshcfg_val *
scalar(irmf_sshcfg_host *h, enum kw kw)
{
	switch (kw) {
	case K_HOSTNAME: return &h->hostname;
	case K_USER: return &h->user;
	case K_PORT: return &h->port;
	case K_IDONLY: return &h->identities_only;
	case K_KNOWNHOSTS: return &h->known_hosts;
	case K_STRICT: return &h->strict;
	case K_CTIMEOUT: return &h->connect_timeout;
	case K_PROXYJUMP: return &h->proxyjump;
	default: return NULL;
	}
}

static int
apply(const item *it, irmf_sshcfg_host *h)
{
	irmf_sshcfg_val v = { it->value, it->file, it->line, it->keyword };
	irmf_sshcfg_val *dst = scalar(h, it->kw);
	size_t cap;

	if (dst != NULL) {
		if (dst->value == NULL)   /* the first obtained value wins */
			*dst = v;
		return IRMF_OK;
	}
	if (it->kw == K_IDFILE) {
		cap = h->nidentity;
		if (irmf_grow((void **)&h->identity, &cap, h->nidentity,
		    sizeof(v)) != 0)
			return IRMF_ENOMEM;
		h->identity[h->nidentity++] = v;
	} else if (it->kw == K_UNSUPPORTED) {
		cap = h->nunsupported;
		if (irmf_grow((void **)&h->unsupported, &cap, h->nunsupported,
		    sizeof(v)) != 0)
			return IRMF_ENOMEM;
		h->unsupported[h->nunsupported++] = v;
	}
	return IRMF_OK;
}

int
irmf_sshcfg_lookup(const irmf_sshcfg *c, const char *host,
    irmf_sshcfg_host *out)
{
	struct { bool active, never; } stack[IRMF_SSHCFG_MAX_DEPTH + 1];
	size_t sp = 0;
	bool active = true, never = false;
	char lower[1024];
	int r;

	memset(out, 0, sizeof(*out));
	snprintf(lower, sizeof(lower), "%s", host);
	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (size_t i = 0; c != NULL && i < c->n; i++) {
		const item *it = &c->items[i];

		switch (it->kw) {
		case K_HOST:
			active = !never && host_matches(it, lower);
			break;
		case K_MATCH:
			active = !never && match_matches(it, lower, out);
			break;
		case K_PUSH:
			stack[sp].active = active;
			stack[sp++].never = never;
			never = never || !active;
			break;
		case K_POP:
			sp--;
			active = stack[sp].active;
			never = stack[sp].never;
			break;
		default:
			if (active && (r = apply(it, out)) != 0) {
				irmf_sshcfg_host_clear(out);
				return r;
			}
		}
	}
	return IRMF_OK;
}

void
irmf_sshcfg_host_clear(irmf_sshcfg_host *h)
{
	free(h->identity);
	free(h->unsupported);
	memset(h, 0, sizeof(*h));
}

/* ------------------------------------------------------- tokens, jumps */

int
irmf_sshcfg_expand(const char *s, const irmf_sshcfg_tokens *t,
    bool hostname_only, const char *where, char **out)
{
	irmf_buf b = IRMF_BUF_INIT;

	*out = NULL;
	if (!hostname_only && s[0] == '~' && (s[1] == '/' || s[1] == '\0')) {
		if (t->home == NULL)
			return irmf_error_set(IRMF_EUSAGE, "%s: '~' in '%s' "
			    "but HOME is not set", where, s);
		irmf_buf_add(&b, t->home);
		s++;
	}
	for (; *s; s++) {
		const char *v = NULL;
		char port[16];

		if (*s != '%') {
			irmf_buf_addn(&b, s, 1);
			continue;
		}
		switch (*++s) {
		case '%': v = "%"; break;
		case 'h': v = t->host; break;
		case 'd': v = hostname_only ? NULL : t->home; break;
		case 'u': v = hostname_only ? NULL : t->local_user; break;
		case 'r': v = hostname_only ? NULL : t->remote_user; break;
		case 'n': v = hostname_only ? NULL : t->alias; break;
		case 'p':
			if (!hostname_only && t->port > 0) {
				snprintf(port, sizeof(port), "%d", t->port);
				v = port;
			}
			break;
		default: break;
		}
		if (v == NULL) {
			irmf_buf_free(&b);
			return irmf_error_set(IRMF_EPARSE, "%s: token '%%%s' is "
			    "not supported here", where, *s ? (char[2]){ *s, 0 }
			    : "");
		}
		irmf_buf_add(&b, v);
		if (*s == '\0')
			break;
	}
	return (*out = irmf_buf_take(&b)) ? IRMF_OK : IRMF_ENOMEM;
}

void
irmf_sshcfg_hops_free(irmf_sshcfg_hop *hops, size_t n)
{
	for (size_t i = 0; hops != NULL && i < n; i++) {
		free(hops[i].user);
		free(hops[i].host);
	}
	free(hops);
}

/* One [user@]host[:port] (host may be [v6]). */
static int
parse_hop(char *s, const char *where, irmf_sshcfg_hop *h)
{
	char *at = strrchr(s, '@'), *host = s, *colon;
	unsigned long port;

	if (strncmp(s, "ssh://", 6) == 0)
		host = s += 6;
	if (at != NULL) {
		*at = '\0';
		host = at + 1;
		if (*s == '\0')
			return irmf_error_set(IRMF_EPARSE, "%s: ProxyJump: empty "
			    "user name", where);
		if ((h->user = irmf_strdup(s)) == NULL)
			return IRMF_ENOMEM;
	}
	if (*host == '[') {
		char *close = strchr(host, ']');

		if (close == NULL)
			return irmf_error_set(IRMF_EPARSE, "%s: ProxyJump: "
			    "missing ']' in '%s'", where, host);
		*close = '\0';
		colon = close[1] == ':' ? close + 1 : NULL;
		if (close[1] != '\0' && colon == NULL)
			return irmf_error_set(IRMF_EPARSE, "%s: ProxyJump: "
			    "junk after ']'", where);
		host++;
	} else {
		colon = strchr(host, ':');
	}
	if (colon != NULL) {
		*colon = '\0';
		if (!parse_uint(colon + 1, 65535, &port) || port == 0)
			return irmf_error_set(IRMF_EPARSE, "%s: ProxyJump: bad "
			    "port '%s'", where, colon + 1);
		h->port = (int)port;
	}
	if (*host == '\0' || strpbrk(host, " \t/") != NULL)
		return irmf_error_set(IRMF_EPARSE, "%s: ProxyJump: bad host "
		    "'%s'", where, host);
	return (h->host = irmf_strdup(host)) ? IRMF_OK : IRMF_ENOMEM;
}

int
irmf_sshcfg_parse_jumps(const char *spec, const char *where,
    irmf_sshcfg_hop **hops, size_t *n)
{
	char *copy, *p, *comma;
	size_t cap = 0;
	int r = IRMF_OK;

	*hops = NULL;
	*n = 0;
	if (irmf_streq_ci(spec, "none"))
		return IRMF_OK;
	if ((copy = irmf_strdup(spec)) == NULL)
		return IRMF_ENOMEM;
	for (p = copy; r == 0 && p != NULL; p = comma ? comma + 1 : NULL) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma = '\0';
		if (*p == '\0') {
			r = irmf_error_set(IRMF_EPARSE, "%s: ProxyJump: empty "
			    "hop in '%s'", where, spec);
		} else if (*n >= 16) {
			r = irmf_error_set(IRMF_ELIMIT, "%s: ProxyJump: more "
			    "than 16 hops", where);
		} else if ((r = irmf_grow((void **)hops, &cap, *n,
		    sizeof(**hops))) == 0) {
			(*n)++;
			r = parse_hop(p, where, &(*hops)[*n - 1]);
		}
	}
	free(copy);
	if (r != 0) {
		irmf_sshcfg_hops_free(*hops, *n);
		*hops = NULL;
		*n = 0;
	}
	return r;
}
