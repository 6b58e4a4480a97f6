/*
 * timeparse.c - the times and durations the history commands accept
 * (store.h): ISO 8601 instants as written in snapshots and in the store,
 * and relative forms ("7d", "24h") as typed on a command line or in a
 * cron job.  Kept beside the store because the store's columns use the
 * same ISO 8601 UTC text, which sorts chronologically.  The ISO 8601
 * parser is the library's only one (timeparse.h): the event log reader
 * uses it with the forms Windows writes.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "irmfleet/store.h"
#include "timeparse.h"

int
irmf_duration_parse(const char *s, int64_t *out)
{
	char *end;
	long long n;
	int64_t mul = 1;

	if (s == NULL || !isdigit((unsigned char)s[0]))
		goto bad;
	n = strtoll(s, &end, 10);
	if (end[0] != '\0' && end[1] != '\0')
		goto bad;
	switch (end[0]) {
	case '\0': case 's': mul = 1; break;
	case 'm': mul = 60; break;
	case 'h': mul = 3600; break;
	case 'd': mul = 86400; break;
	case 'w': mul = 7 * 86400; break;
	default: goto bad;
	}
	if (n < 0 || n > INT64_MAX / mul / 2)
		goto bad;
	*out = (int64_t)n * mul;
	return IRMF_OK;
bad:
	return irmf_error_set(IRMF_EUSAGE, "bad duration '%s' (expected e.g. "
	    "90s, 30m, 24h, 7d, 2w)", s ? s : "");
}

/* n digits at s, as a number; false if any is not a digit. */
static bool
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* "HH:MM[:SS[.fff]]" at *pp (seconds optional with IRMF_ISO_PARTIAL). */
static bool
time_of_day(const char **pp, unsigned flags, int *h, int *mi, int *se)
{
	const char *p = *pp;

	if (!digits(p, 2, h) || p[2] != ':' || !digits(p + 3, 2, mi))
		return false;
	p += 5;
	*se = 0;
	if (*p != ':') {
		*pp = p;
		return (flags & IRMF_ISO_PARTIAL) != 0;
	}
	if (!digits(p + 1, 2, se))
		return false;
	p += 3;
	if (*p == '.' || *p == ',') {
		if (!isdigit((unsigned char)*++p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	*pp = p;
	return true;
}

/* The zone at p: seconds east of UTC in *off. */
static bool
zone(const char *p, unsigned flags, long *off)
{
	int oh, om;

	*off = 0;
	if (*p == 'Z' || (*p == 'z' && (flags & IRMF_ISO_WINDOWS)))
		p++;
	else if ((flags & IRMF_ISO_WINDOWS) && strcmp(p, " UTC") == 0)
		p += 4;
	else if (*p == '+' || *p == '-') {
		if (!digits(p + 1, 2, &oh) || p[3] != ':' ||
		    !digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return false;
		*off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
		p += 6;
	}
	return *p == '\0';
}

int
irmf_iso8601_parse(const char *s, unsigned flags, time_t *out)
{
	struct tm tm = { 0 };
	int y, mo, d, h = 0, mi = 0, se = 0;
	const char *p = s;
	long off;
	time_t t;

	if (!digits(p, 4, &y) || p[4] != '-' || !digits(p + 5, 2, &mo) ||
	    p[7] != '-' || !digits(p + 8, 2, &d))
		return -1;
	p += 10;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (!time_of_day(&p, flags, &h, &mi, &se))
			return -1;
	} else if (!(flags & IRMF_ISO_PARTIAL)) {
		return -1;
	}
	if (!zone(p, flags, &off) || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || se > 60 ||
	    ((flags & IRMF_ISO_WINDOWS) && y < 1601))
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	/* timegm cannot overflow a 64-bit time_t with four-digit years, and
	 * its -1 is also 1969-12-31T23:59:59 */
	t = timegm(&tm);
	*out = t - off;
	return 0;
}

int
irmf_time_parse(const char *s, time_t now, time_t *out)
{
	int64_t age;
	size_t n;

	if (s == NULL || *s == '\0')
		goto bad;
	if (irmf_iso8601_parse(s, IRMF_ISO_PARTIAL, out) == 0)
		return IRMF_OK;
	n = strlen(s);
	if (n >= 2 && isdigit((unsigned char)s[0]) &&
	    strchr("smhdw", s[n - 1]) != NULL &&
	    irmf_duration_parse(s, &age) == 0) {
		*out = now - (time_t)age;
		return IRMF_OK;
	}
bad:
	return irmf_error_set(IRMF_EUSAGE, "bad time '%s' (expected ISO 8601 "
	    "such as 2026-11-25T14:00:00Z, or an age such as 7d or 24h)",
	    s ? s : "");
}

void
irmf_time_format(time_t t, char *buf, size_t n)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, n, "1970-01-01T00:00:00Z");
}
