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
#include "snapshot_int.h"

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

char *
irmf_norm_url(const char *s)
{
	size_t start = 0, end;
	char *d;

	if (s == NULL)
		return irmf_strdup("");
	end = strlen(s);
	while (start < end && isspace((unsigned char)s[start]))
		start++;
	while (end > start && isspace((unsigned char)s[end - 1]))
		end--;
	if (!irmf_is_url(s + start))
		return irmf_strndup(s + start, end - start);
	/* one trailing slash, but never the one of "https://" itself */
	if (end > start + 8 && s[end - 1] == '/')
		end--;
	if ((d = irmf_strndup(s + start, end - start)) == NULL)
		return NULL;
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
