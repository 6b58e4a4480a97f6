/*
 * url.h - URL pieces shared by the rules and the documented-values table
 * (url.c).
 */
#ifndef IRMF_URL_H
#define IRMF_URL_H

#include <stdbool.h>
#include <stddef.h>

/* URL pieces.  host: lowercase host without port into buf (false if s is
 * not an http(s) URL); path: the part after the host ("" if none). */
bool irmf_url_host(const char *s, char *buf, size_t len);
const char *irmf_url_path(const char *s);
/* Is the host a Microsoft RMS (cloud) host (*.aadrm.com, ...)? */
bool irmf_is_rms_host(const char *host);
bool irmf_url_is_rms(const char *url);
/* Is it the documented tenant URL shape, https://<tenant id>.rms.
 * <region>.aadrm.com (or .aadrm.us / .aadrm.cn; the region label may be
 * absent)?  Other Microsoft RMS hosts are RMS but not a tenant.  host:
 * lowercase. */
bool irmf_is_tenant_host(const char *host);
bool irmf_url_is_tenant(const char *url);
/* malloc'd normalized base URL: scheme://host, "/_wmcs/..." and trailing
 * '/' dropped, lowercased.  Non-URLs come back normalized as-is. */
char *irmf_url_base(const char *url);
/* Does the URL's path (case-insensitive, trailing '/' ignored) equal p? */
bool irmf_url_path_is(const char *url, const char *p);
/* Do two URLs name the same host (case-insensitive)? */
bool irmf_url_same_host(const char *a, const char *b);
/* Does the URL's path start with "/_wmcs" (case-insensitive)? */
bool irmf_url_has_wmcs(const char *url);

#endif
