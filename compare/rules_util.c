/*
 * rules_util.c - small helpers the rule checks share (rules_int.h): a
 * string builder for values and texts, URL pieces (host, path, the
 * Microsoft RMS domains, base URLs), account-name equality, and registry
 * lookups that remember what a server's checks already asked for.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "normalize.h"
#include "rules_int.h"
#include "settings.h"

/* ------------------------------------------------------------ strings */


/* ---------------------------------------------------------------- URLs */

/* Microsoft RMS service domains: the tenant URL is a host under one of
 * these (<guid>.rms.na.aadrm.com); the connector URL never is. */
static const char *const rms_domains[] = {
	"aadrm.com", "azurerms.com", "aadrm.us", "azurerms.us", "aadrm.cn",
	"azurerms.cn", NULL
};

static const char *
url_after_scheme(const char *s)
{
	if (s == NULL)
		return NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	if (strncasecmp(s, "https://", 8) == 0)
		return s + 8;
	if (strncasecmp(s, "http://", 7) == 0)
		return s + 7;
	return NULL;
}

bool
irmf_url_host(const char *s, char *buf, size_t len)
{
	const char *h = url_after_scheme(s);
	size_t i = 0;

	if (h == NULL || len == 0)
		return false;
	for (; h[i] && h[i] != '/' && h[i] != ':' && h[i] != '?' &&
	    h[i] != ' ' && i + 1 < len; i++)
		buf[i] = (char)((h[i] >= 'A' && h[i] <= 'Z') ? h[i] + 32 : h[i]);
	buf[i] = '\0';
	return i > 0;
}

const char *
irmf_url_path(const char *s)
{
	const char *h = url_after_scheme(s);

	if (h == NULL)
		return "";
	h = strchr(h, '/');
	return h ? h : "";
}

bool
irmf_is_rms_host(const char *host)
{
	size_t hn = strlen(host);

	for (size_t i = 0; rms_domains[i]; i++) {
		size_t dn = strlen(rms_domains[i]);
		if (hn >= dn && strcasecmp(host + hn - dn, rms_domains[i]) == 0 &&
		    (hn == dn || host[hn - dn - 1] == '.'))
			return true;
	}
	return false;
}

bool
irmf_url_is_rms(const char *url)
{
	char host[256];

	return irmf_url_host(url, host, sizeof(host)) &&
	    irmf_is_rms_host(host);
}

/* Is s[0..n) one DNS label: letters, digits and inner hyphens? */
static bool
is_label(const char *s, size_t n)
{
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

bool
irmf_is_tenant_host(const char *host)
{
	static const char *const clouds[] = { ".aadrm.com", ".aadrm.us",
	    ".aadrm.cn", NULL };
	const char *rms = strstr(host, ".rms.");
	const char *r;
	size_t rest;

	/* <tenant id>.rms.<region>.aadrm.<tld>, or without the region:
	 * the documented tenant id is a GUID; any one label is accepted so
	 * that test and documentation tenants ("contoso") keep working,
	 * while service hosts (discover.aadrm.com, admin.na.aadrm.com) are
	 * not a tenant */
	if (rms == NULL || !is_label(host, (size_t)(rms - host)))
		return false;
	r = rms + 5;
	rest = strlen(r);
	for (size_t i = 0; clouds[i]; i++) {
		size_t cn = strlen(clouds[i]);
		if (rest == cn - 1 && strcmp(r, clouds[i] + 1) == 0)
			return true;
		if (rest > cn && strcmp(r + rest - cn, clouds[i]) == 0 &&
		    is_label(r, rest - cn))
			return true;
	}
	return false;
}

bool
irmf_url_is_tenant(const char *url)
{
	char host[256];

	return irmf_url_host(url, host, sizeof(host)) &&
	    irmf_is_tenant_host(host);
}

char *
irmf_url_base(const char *url)
{
	char *n = irmf_norm_url(url), *w;

	if (n == NULL || !irmf_is_url(n))
		return n;
	if ((w = strstr(n, "/_wmcs")) != NULL)
		*w = '\0';
	/* irmf_norm_url dropped one '/', "/_wmcs" removal may leave one */
	for (size_t l = strlen(n); l > 8 && n[l - 1] == '/'; l--)
		n[l - 1] = '\0';
	return n;
}

bool
irmf_url_path_is(const char *url, const char *p)
{
	const char *path = irmf_url_path(url);
	size_t n = strlen(path), m = strlen(p);

	while (n > 0 && (path[n - 1] == '/' || path[n - 1] == ' '))
		n--;
	return n == m && strncasecmp(path, p, n) == 0;
}

bool
irmf_url_same_host(const char *a, const char *b)
{
	char ha[256], hb[256];

	return irmf_url_host(a, ha, sizeof(ha)) &&
	    irmf_url_host(b, hb, sizeof(hb)) && strcmp(ha, hb) == 0;
}

bool
irmf_url_has_wmcs(const char *url)
{
	return strncasecmp(irmf_url_path(url), "/_wmcs", 6) == 0;
}

bool
irmf_account_eq(const char *a, const char *b)
{
	const char *sa, *sb;

	if (a == NULL || b == NULL)
		return false;
	if (strcasecmp(a, b) == 0)
		return true;
	sa = strrchr(a, '\\');
	sb = strrchr(b, '\\');
	if (sa != NULL && sb != NULL)
		return false;   /* both qualified and different */
	return strcasecmp(sa ? sa + 1 : a, sb ? sb + 1 : b) == 0;
}

/* ------------------------------------------------------------ registry */

bool
irmf_rule_have_registry(const irmf_snapshot *snap)
{
	if (snap->nkeys > 0 || snap->method == IRMF_METHOD_SSH)
		return true;
	/* a .reg/reg query export that held none of the keys irmfleet reads
	 * still says "these keys are absent" */
	for (size_t i = 0; i < snap->nsources; i++)
		if (snap->sources[i].format != NULL &&
		    strncasecmp(snap->sources[i].format, "reg", 3) == 0)
			return true;
	return false;
}

const char *
irmf_rule_cohort(irmf_rule_run *run, const irmf_snapshot *snap)
{
	if (run->who_snap != snap) {
		run->who_cohort = irmf_cohort_of(snap);
		run->who_bit = irmf_rules_bit_of(run->who_cohort);
		run->who_snap = snap;
	}
	return run->who_cohort;
}

unsigned
irmf_rule_bit(irmf_rule_run *run, const irmf_snapshot *snap)
{
	(void)irmf_rule_cohort(run, snap);
	return run->who_bit;
}

const char *
irmf_rule_exch_ver(irmf_rule_run *run, const irmf_snapshot *snap)
{
	return strcmp(irmf_rule_cohort(run, snap), "exchange-v14") == 0 ?
	    "v14" : "v15";
}

/* Concatenate up to four strings into one exact-size allocation: these
 * run for every rule on every server, on several threads, and a growing
 * buffer's realloc always takes glibc's arena lock (free and malloc of
 * small blocks mostly do not). */
static char *
concat4(const char *a, size_t na, const char *b, const char *c,
    const char *d)
{
	size_t nb = strlen(b), nc = strlen(c), nd = strlen(d);
	char *r = malloc(na + nb + nc + nd + 1);

	if (r == NULL) {
		irmf_error_oom();
		return NULL;
	}
	memcpy(r, a, na);
	memcpy(r + na, b, nb);
	memcpy(r + na + nb, c, nc);
	memcpy(r + na + nb + nc, d, nd + 1);
	return r;
}

char *
irmf_rule_path(irmf_rule_run *run, const char *tmpl,
    const irmf_snapshot *snap)
{
	const char *p = strstr(tmpl, "{ver}");

	if (p == NULL)
		return irmf_strdup(tmpl);
	return concat4(tmpl, (size_t)(p - tmpl), irmf_rule_exch_ver(run, snap),
	    p + 5, "");
}

char *
irmf_rule_reg_setting(const char *path, const char *name)
{
	if (name == NULL)
		return concat4("reg:", 4, path, "", "");
	return concat4("reg:", 4, path, "\\", irmf_setting_name_of_value(name));
}

const irmf_reg_key *
irmf_rule_find(irmf_rule_run *run, const irmf_snapshot *snap,
    const char *path)
{
	size_t n = strlen(path), slot;
	const irmf_reg_key *k;

	if (run->memo_snap != snap) {
		run->memo_snap = snap;
		run->nmemo = 0;
	}
	for (size_t i = 0; i < run->nmemo; i++)
		if (strcmp(run->memo[i].path, path) == 0)
			return run->memo[i].key;
	k = irmf_snapshot_reg_find(snap, path);
	if (n < sizeof(run->memo[0].path)) {
		/* full: start over rather than search a long list */
		slot = run->nmemo < sizeof(run->memo) / sizeof(run->memo[0]) ?
		    run->nmemo++ : (run->nmemo = 1, 0);
		memcpy(run->memo[slot].path, path, n + 1);
		run->memo[slot].key = k;
	}
	return k;
}

const char *
irmf_rule_reg_str(irmf_rule_run *run, const irmf_snapshot *snap,
    const char *path, const char *name)
{
	const irmf_reg_key *k = irmf_rule_find(run, snap, path);
	const irmf_reg_value *v;

	if (k == NULL || (v = irmf_reg_key_find_value(k, name)) == NULL)
		return NULL;
	switch (v->type) {
	case IRMF_REG_SZ:
	case IRMF_REG_EXPAND_SZ:
	case IRMF_REG_LINK:
		return v->str ? v->str : "";
	case IRMF_REG_MULTI_SZ:
		return v->nmulti > 0 ? v->multi[0] : "";
	default:
		return "";   /* present, but not text: no URL */
	}
}

/* -------------------------------------------------------------- roles */

int
irmf_rule_role_ix(const irmf_snapshot *snap)
{
	if (snap->roles & IRMF_ROLE_EXCHANGE)
		return 0;
	if (snap->roles & IRMF_ROLE_SHAREPOINT)
		return 1;
	if (snap->roles & IRMF_ROLE_FCI)
		return 2;
	return -1;
}

const char *
irmf_rule_scheme_for(const irmf_rule_run *run, const irmf_snapshot *snap)
{
	int ix = irmf_rule_role_ix(snap);

	return ix < 0 ? run->scheme : run->scheme_role[ix];
}
