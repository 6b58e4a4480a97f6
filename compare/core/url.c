/*
 * url.c - URL pieces the comparison needs: host and path of an http(s)
 * URL, the Microsoft RMS (cloud) domains and tenant hosts, the normalized
 * base URL, path and host equality.  Used by the rules and by the
 * documented-values table (documented.c), so it sits below both.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "normalize.h"
#include "url.h"
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
	/* a host longer than buf is refused: a cut one could compare equal
	 * to another host, or end in an RMS domain it does not have */
	if (h[i] && h[i] != '/' && h[i] != ':' && h[i] != '?' && h[i] != ' ')
		return false;
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
