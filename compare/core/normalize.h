/*
 * normalize.h - canonical forms used before comparing values, so that
 * differences Windows and IIS ignore never become findings:
 *  - URLs: whole URL case-folded (scheme and host are case-insensitive;
 *    IIS paths such as /_wmcs/Licensing are too), one trailing '/' dropped;
 *    http vs https stays a difference;
 *  - versions: dotted numbers compared numerically ("6.03" == "6.3");
 *  - registry paths and value names: ASCII case-folded.
 */
#ifndef IRMF_NORMALIZE_H
#define IRMF_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

/* True if s starts with http:// or https:// (any case). */
bool irmf_is_url(const char *s);
/* malloc'd canonical URL (see above); non-URLs are returned trimmed and
 * unchanged.  NULL on allocation failure. */
char *irmf_norm_url(const char *s);
/* What irmf_norm_url(s) keeps, for callers rendering into their own
 * buffer: s[*start..*start + *len), ASCII-lowercased if *fold. */
void irmf_norm_url_span(const char *s, size_t *start, size_t *len,
    bool *fold);
/* malloc'd ASCII lowercase copy. */
char *irmf_lower(const char *s);

/* Parse up to 4 dotted numeric components ("15.2.1118.7", "Version 15.2
 * (Build 1118.7)" is NOT accepted here).  Missing components are 0.
 * Returns 0 on success, -1 if s is not a dotted version. */
int irmf_version_parse(const char *s, unsigned long v[4]);
/* <0, 0, >0 like strcmp; unparsable versions sort first. */
int irmf_version_cmp(const char *a, const char *b);
/* malloc'd "a.b.c.d" without leading zeros, or a copy of s if unparsable. */
char *irmf_norm_version(const char *s);

#endif
