/*
 * test_timeparse.c - the one ISO 8601 parser (collector/base/timeparse.c):
 * the forms every caller accepts, the command line's partial forms, the
 * Windows event export forms, and what is refused for each.
 */
#include <time.h>

#include "testutil.h"
#include "timeparse.h"
#include "irmfleet/errors.h"
#include "irmfleet/store.h"

/* 2026-11-25T14:36:10Z */
#define T0 ((time_t)1795617370)

static time_t
ok(const char *s, unsigned flags)
{
	time_t t = 0;

	if (irmf_iso8601_parse(s, flags, &t) != 0)
		fail_msg("'%s' (flags %u) refused", s, flags);
	return t;
}

static void
no(const char *s, unsigned flags)
{
	time_t t = 0;

	if (irmf_iso8601_parse(s, flags, &t) == 0)
		fail_msg("'%s' (flags %u) accepted", s, flags);
}

static void
test_core_forms(void **state)
{
	static const unsigned all[] = { 0, IRMF_ISO_PARTIAL, IRMF_ISO_WINDOWS };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		unsigned f = all[i];

		assert_int_equal(ok("2026-11-25T14:36:10Z", f), T0);
		assert_int_equal(ok("2026-11-25 14:36:10Z", f), T0);
		assert_int_equal(ok("2026-11-25T14:36:10", f), T0);
		assert_int_equal(ok("2026-11-25T14:36:10.1234567Z", f), T0);
		assert_int_equal(ok("2026-11-25T14:36:10,5Z", f), T0);
		assert_int_equal(ok("2026-11-25T16:36:10+02:00", f), T0);
		assert_int_equal(ok("2026-11-25T13:36:10-01:00", f), T0);
		no("2026-11-25T14:36:10.Z", f);     /* empty fraction */
		no("2026-13-25T14:36:10Z", f);
		no("2026-11-32T14:36:10Z", f);
		no("2026-11-25T24:00:00Z", f);
		no("2026-11-25T14:60:00Z", f);
		no("2026-11-25T14:36:10+24:00", f);
		no("2026-11-25T14:36:10+02", f);
		no("2026-11-25T14:36:10Zjunk", f);
		no("+202-11-25T14:36:10Z", f);      /* signs are not digits */
		no("2026-11-25T 4:36:10Z", f);
		no("26-11-25T14:36:10Z", f);
		no("", f);
	}
}

static void
test_partial_forms(void **state)
{
	(void)state;
	assert_int_equal(ok("2026-11-25", IRMF_ISO_PARTIAL), 1795564800);
	assert_int_equal(ok("2026-11-25T14:36Z", IRMF_ISO_PARTIAL),
	    T0 - 10);
	assert_int_equal(ok("2026-11-25T14:36", IRMF_ISO_PARTIAL), T0 - 10);
	no("2026-11-25", 0);
	no("2026-11-25", IRMF_ISO_WINDOWS);
	no("2026-11-25T14:36Z", IRMF_ISO_WINDOWS);
	no("2026-11-25T14", IRMF_ISO_PARTIAL);
	/* the Windows zone spellings are not a command line's */
	no("2026-11-25T14:36:10z", IRMF_ISO_PARTIAL);
	no("2026-11-25 14:36:10 UTC", IRMF_ISO_PARTIAL);
}

static void
test_windows_forms(void **state)
{
	(void)state;
	assert_int_equal(ok("2026-11-25T14:36:10z", IRMF_ISO_WINDOWS), T0);
	assert_int_equal(ok("2026-11-25 14:36:10.681640 UTC",
	    IRMF_ISO_WINDOWS), T0);
	no("2026-11-25 14:36:10 utc", IRMF_ISO_WINDOWS);
	no("2026-11-25 14:36:10 UTC ", IRMF_ISO_WINDOWS);
	/* before a FILETIME can be */
	no("1600-12-31T23:59:59Z", IRMF_ISO_WINDOWS);
	ok("1601-01-01T00:00:00Z", IRMF_ISO_WINDOWS);
	ok("1600-12-31T23:59:59Z", 0);
}

static void
test_time_parse_uses_partial(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(irmf_time_parse("2026-11-25T14:36", 0, &t), 0);
	assert_int_equal(t, T0 - 10);
	assert_int_equal(irmf_time_parse("2026-11-25 14:36:10 UTC", 0, &t),
	    IRMF_EUSAGE);
	assert_int_equal(irmf_time_parse("24h", T0, &t), 0);
	assert_int_equal(t, T0 - 86400);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core_forms),
		cmocka_unit_test(test_partial_forms),
		cmocka_unit_test(test_windows_forms),
		cmocka_unit_test(test_time_parse_uses_partial),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
