/*
 * test_detect.c - content-based format detection (collector/parse/detect.c):
 * every fixture is recognised as its format whatever its name, and an
 * unknown file gets the "not a recognised export" error.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "irmfleet/errors.h"
#include "detect.h"
#include "snapshot_int.h"

static const char *
detect_fixture(const char *rel)
{
	const irmf_format *f = NULL;
	size_t len;
	char *buf = tu_read_fixture(rel, &len);
	int rc = irmf_detect(buf, len, rel, &f);

	free(buf);
	if (rc < 0)
		fail_msg("%s: %s", rel, irmf_error_last()->message);
	return f->name;
}

static void
known_formats(void **state)
{
	(void)state;
	assert_string_equal(detect_fixture("irmtext/SupportArticles-docs__"
	    "migrate-ad-rms-to-azure__Get-IRMConfiguration.txt"),
	    "irmconfig-text");
	assert_string_equal(detect_fixture(
	    "irmtext/onprem-Get-IRMConfiguration-fl.txt"), "irmconfig-text");
	assert_string_equal(detect_fixture("irmtext/Office365-Security-Docs__"
	    "set-up-new-message-encryption-capabilities__"
	    "Test-IRMConfiguration.txt"), "irmtest-text");
	assert_string_equal(detect_fixture(
	    "irmtext/online-Test-IRMConfiguration-exception.txt"),
	    "irmtest-text");
	assert_string_equal(detect_fixture(
	    "authlist/connector-authorizations.csv"), "authlist");
	assert_string_equal(detect_fixture(
	    "groups/SP01-whoami-groups-fo-csv.txt"), "whoami-csv");
	assert_string_equal(detect_fixture(
	    "groups/SP02-whoami-all-fo-csv-german.txt"), "whoami-csv");
	/* UTF-16LE: decoded before the text sniffers look */
	assert_string_equal(detect_fixture(
	    "groups/EX01-gpresult-scope-computer-r.txt"), "gpresult");
	assert_string_equal(detect_fixture(
	    "regfile/regashii__complex-regedit4.reg"), "regfile");
	assert_string_equal(detect_fixture(
	    "regfile/irmf-exchange-irm-regedit5.reg"), "regfile");
	assert_string_equal(detect_fixture(
	    "regquery/irmf-exchange-irm-s.txt"), "regquery");
	assert_string_equal(detect_fixture(
	    "regquery/irmf-german-cp850.txt"), "regquery");
	/* XML formats, told by root element and namespace */
	assert_string_equal(detect_fixture(
	    "clixml/CSS-Exchange__E19__Exchange__GetIrmConfiguration.xml"),
	    "clixml");
	assert_string_equal(detect_fixture(
	    "wevtutil/rms-connector-rootless.xml"), "evtxml");
	assert_string_equal(detect_fixture(
	    "wevtutil/rms-connector-eventviewer.xml"), "evtxml");
}

static void
unknown_file(void **state)
{
	const irmf_format *f = (const irmf_format *)1;
	const char *text = "hello, world\nnothing to see\n";

	(void)state;
	assert_int_equal(irmf_detect(text, strlen(text), "notes.txt", &f),
	    IRMF_EUNSUPPORTED);
	assert_null(f);
	assert_non_null(strstr(irmf_error_last()->message, "notes.txt: not a "
	    "recognised export (expected one of: "));
	assert_non_null(strstr(irmf_error_last()->message, "irmconfig-text"));
	assert_non_null(strstr(irmf_error_last()->message, "gpresult"));
	assert_int_equal(irmf_detect("", 0, "empty.txt", &f),
	    IRMF_EUNSUPPORTED);
	assert_string_equal(irmf_error_last()->message,
	    "empty.txt: the file is empty (nothing to import; an empty event export "
	    "is imported as evtxml:FILE)");
	assert_int_equal(irmf_detect("\xff\xfe\n\0 \0", 6, "blank.txt", &f),
	    IRMF_EUNSUPPORTED);
	assert_string_equal(irmf_error_last()->message,
	    "blank.txt: the file is empty (nothing to import; an empty event export "
	    "is imported as evtxml:FILE)");
}

static void
detect_then_parse(void **state)
{
	irmf_snapshot *snap;
	const irmf_format *f;
	size_t len;
	char *buf = tu_read_fixture("authlist/connector-authorizations.csv",
	    &len);

	(void)state;
	assert_int_equal(irmf_snapshot_new(&snap, "RMSC01"), 0);
	assert_int_equal(irmf_detect_parse(snap, buf, len, "a.csv", &f), 0);
	assert_string_equal(f->name, "authlist");
	assert_int_equal(snap->nauths, 6);
	irmf_snapshot_free(snap);
	free(buf);
}

static void
table_is_consistent(void **state)
{
	size_t n;
	const irmf_format *t = irmf_formats(&n);

	(void)state;
	assert_true(n >= 5);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(t[i].name);
		assert_non_null(t[i].description);
		assert_ptr_equal(irmf_format_find(t[i].name), &t[i]);
		/* at most one sniffer; what import takes it can detect and
		 * parse (collect's existence check is neither) */
		assert_false(t[i].sniff_raw != NULL && t[i].sniff_text != NULL);
		if (t[i].flags & IRMF_FORMAT_IMPORT) {
			assert_non_null(t[i].parse);
			assert_true(t[i].sniff_raw != NULL ||
			    t[i].sniff_text != NULL);
		}
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(t[i].name, t[j].name);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_formats),
		cmocka_unit_test(unknown_file),
		cmocka_unit_test(detect_then_parse),
		cmocka_unit_test(table_is_consistent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
