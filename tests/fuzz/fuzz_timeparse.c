/*
 * fuzz_timeparse.c - libFuzzer target for collector/base/timeparse.c, which
 * parses command-line times and durations (audit --at/--stale, history
 * --since, prune --keep): any bytes must parse or fail cleanly; a parsed
 * instant formats to ISO 8601 and parses back to itself; a duration is
 * never negative.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "irmfleet/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), buf[64];
	time_t t, t2;
	int64_t d;

	if (s == NULL || size > 256) {
		free(s);
		return 0;
	}
	memcpy(s, data, size);
	s[size] = '\0';
	if (irmf_time_parse(s, 1767225600, &t) == 0 &&
	    t >= -30610224000LL && t < 253402300799LL) {   /* years 1000-9999 */
		irmf_time_format(t, buf, sizeof(buf));
		if (irmf_time_parse(buf, 0, &t2) != 0 || t2 != t)
			abort();
	}
	if (irmf_duration_parse(s, &d) == 0 && d < 0)
		abort();
	free(s);
	return 0;
}
