/*
 * normalize.c - canonical forms for comparison (see normalize.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "normalize.h"
#include "str.h"

bool
irmf_is_url(const char *s)
{
	return s != NULL && (strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0);
}

char *
irmf_lower(const char *s)
{
	char *d = irmf_strdup(s ? s : "");

	if (d != NULL)
		for (char *p = d; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return d;
}

void
irmf_norm_url_span(const char *s, size_t *start, size_t *len, bool *fold)
{
	size_t b = 0, e = strlen(s);

	while (b < e && isspace((unsigned char)s[b]))
		b++;
	while (e > b && isspace((unsigned char)s[e - 1]))
		e--;
	*fold = irmf_is_url(s + b);
	/* one trailing slash, but never the one of "https://" itself */
	if (*fold && e > b + 8 && s[e - 1] == '/')
		e--;
	*start = b;
	*len = e - b;
}

char *
irmf_norm_url(const char *s)
{
	size_t start, len;
	bool fold;
	char *d;

	if (s == NULL)
		return irmf_strdup("");
	irmf_norm_url_span(s, &start, &len, &fold);
	if ((d = irmf_strndup(s + start, len)) == NULL || !fold)
		return d;
	for (char *p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

int
irmf_version_parse(const char *s, unsigned long v[4])
{
	int i = 0;

	memset(v, 0, 4 * sizeof(v[0]));
	if (s == NULL)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	for (;;) {
		char *end;
		if (!isdigit((unsigned char)*s))
			return -1;
		v[i++] = strtoul(s, &end, 10);
		s = end;
		if (*s != '.' || i == 4)
			break;
		s++;
	}
	while (isspace((unsigned char)*s))
		s++;
	/* tolerate Windows' " (WinBuild.160101.0800)" style suffixes */
	return (*s == '\0' || *s == '(' || *s == ' ') ? 0 : -1;
}

int
irmf_version_cmp(const char *a, const char *b)
{
	unsigned long va[4], vb[4];
	int pa = irmf_version_parse(a, va), pb = irmf_version_parse(b, vb);

	if (pa < 0 || pb < 0)
		return (pa == 0) - (pb == 0);
	for (int i = 0; i < 4; i++)
		if (va[i] != vb[i])
			return va[i] < vb[i] ? -1 : 1;
	return 0;
}

char *
irmf_norm_version(const char *s)
{
	unsigned long v[4];
	char buf[96];
	int n;

	if (irmf_version_parse(s, v) < 0)
		return irmf_strdup(s ? s : "");
	n = snprintf(buf, sizeof(buf), "%lu.%lu.%lu.%lu", v[0], v[1], v[2],
	    v[3]);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return irmf_strdup(s);
	return irmf_strdup(buf);
}
