/*
 * timeparse.c - the times and durations the history commands accept
 * (store.h): ISO 8601 instants as written in snapshots and in the store,
 * and relative forms ("7d", "24h") as typed on a command line or in a
 * cron job.  Kept beside the store because the store's columns use the
 * same ISO 8601 UTC text, which sorts chronologically.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "irmfleet/store.h"

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

/* Parse "YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|+hh:mm|-hh:mm]". */
static int
parse_iso(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0, oh = 0, om = 0;
	const char *p;
	long off = 0;
	time_t t;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	p = s + n;
	if (*p == 'T' || *p == ' ') {
		if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &n) != 2 || n != 5)
			return -1;
		p += 1 + n;
		if (*p == ':') {
			if (sscanf(p + 1, "%2d%n", &se, &n) != 1 || n != 2)
				return -1;
			p += 3;
			if (*p == '.' || *p == ',')
				for (p++; isdigit((unsigned char)*p); p++)
					;
		}
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) != 2 || n != 5)
			return -1;
		off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
		p += 1 + n;
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || se > 60)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
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
	if (parse_iso(s, out) == 0)
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
