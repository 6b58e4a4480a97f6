/*
 * test_irmtext.c - Get-IRMConfiguration | fl and Test-IRMConfiguration
 * text parsers (collector/parse/irmtext.c) against the corpus copies and the
 * hand-built fixtures in tests/fixtures/irmtext.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "irmfleet/errors.h"
#include "irmtext.h"
#include "snapshot_int.h"

#define CORPUS_GET "irmtext/SupportArticles-docs__migrate-ad-rms-to-azure__" \
	"Get-IRMConfiguration.txt"
#define CORPUS_TEST "irmtext/Office365-Security-Docs__set-up-new-message-" \
	"encryption-capabilities__Test-IRMConfiguration.txt"

static irmf_snapshot *
parse_fixture(const char *rel, int (*fn)(irmf_snapshot *, const char *,
    size_t, const char *), int want)
{
	irmf_snapshot *snap;
	size_t len;
	char *buf = tu_read_fixture(rel, &len);

	assert_int_equal(irmf_snapshot_new(&snap, "EX01"), 0);
	assert_int_equal(fn(snap, buf, len, rel), want);
	free(buf);
	return snap;
}

static void
assert_prop(const irmf_snapshot *snap, const char *name, irmf_prop_type type,
    const char *value)
{
	const irmf_prop *p = irmf_snapshot_prop_find(snap, name);

	if (p == NULL)
		fail_msg("property %s missing", name);
	assert_int_equal(p->type, type);
	assert_false(p->is_nil);
	assert_string_equal(p->value, value);
}

static void
corpus_get_irmconfiguration(void **state)
{
	irmf_snapshot *snap = parse_fixture(CORPUS_GET,
	    irmf_irmconfig_text_parse, 0);
	const irmf_prop *p;

	(void)state;
	assert_true(snap->has_irm_config);
	assert_int_equal(snap->nprops, 21);
	assert_prop(snap, "InternalLicensingEnabled", IRMF_PROP_BOOL, "True");
	assert_prop(snap, "AzureRMSLicensingEnabled", IRMF_PROP_BOOL, "False");
	assert_prop(snap, "TransportDecryptionSetting", IRMF_PROP_ENUM,
	    "Optional");
	assert_prop(snap, "SystemCleanupPeriod", IRMF_PROP_INT, "0");
	assert_prop(snap, "RMSOnlineVersion", IRMF_PROP_STRING, "");
	/* empty Uri properties are $null, as Export-Clixml records them */
	p = irmf_snapshot_prop_find(snap, "ServiceLocation");
	assert_non_null(p);
	assert_int_equal(p->type, IRMF_PROP_URI);
	assert_true(p->is_nil);
	p = irmf_snapshot_prop_find(snap, "LicensingLocation");
	assert_non_null(p);
	assert_int_equal(p->type, IRMF_PROP_URI_LIST);
	assert_int_equal(p->nitems, 0);
	/* order of the file kept */
	assert_string_equal(snap->props[0].name, "InternalLicensingEnabled");
	assert_string_equal(snap->props[20].name, "LicensingLocation");
	irmf_snapshot_free(snap);
}

static void
onprem_get_irmconfiguration(void **state)
{
	irmf_snapshot *snap = parse_fixture(
	    "irmtext/onprem-Get-IRMConfiguration-fl.txt",
	    irmf_irmconfig_text_parse, 0);
	const irmf_prop *p;

	(void)state;
	/* 36 lines, 12 left out as the CLIXML importer leaves them out */
	assert_int_equal(snap->nprops, 24);
	assert_null(irmf_snapshot_prop_find(snap, "RunspaceId"));
	assert_null(irmf_snapshot_prop_find(snap, "OriginatingServer"));
	assert_null(irmf_snapshot_prop_find(snap, "Guid"));
	assert_null(irmf_snapshot_prop_find(snap, "WhenChanged"));
	assert_null(irmf_snapshot_prop_find(snap, "Identity"));
	/* the URL wrapped inside "https:/" + "/rmsconnector" is joined */
	p = irmf_snapshot_prop_find(snap, "LicensingLocation");
	assert_non_null(p);
	assert_int_equal(p->type, IRMF_PROP_URI_LIST);
	assert_int_equal(p->nitems, 2);
	assert_string_equal(p->items[0], "https://5c6bb73b-1038-4eec-863d-"
	    "49bded473437.rms.na.aadrm.com/_wmcs/licensing");
	assert_string_equal(p->items[1],
	    "https://rmsconnector.contoso.com/_wmcs/licensing");
	assert_prop(snap, "DistinguishedName", IRMF_PROP_STRING,
	    "CN=ControlPoint Config,CN=Transport Settings,CN=Contoso,"
	    "CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,"
	    "DC=com");
	p = irmf_snapshot_prop_find(snap, "ObjectClass");
	assert_non_null(p);
	assert_int_equal(p->type, IRMF_PROP_LIST);
	assert_int_equal(p->nitems, 2);
	assert_string_equal(p->items[1], "msExchControlPointConfig");
	p = irmf_snapshot_prop_find(snap, "OtherWellKnownObjects");
	assert_non_null(p);
	assert_int_equal(p->type, IRMF_PROP_LIST);
	assert_int_equal(p->nitems, 0);
	assert_prop(snap, "ObjectState", IRMF_PROP_ENUM, "Unchanged");
	assert_prop(snap, "ServerCertificatesVersion", IRMF_PROP_INT, "0");
	assert_prop(snap, "Name", IRMF_PROP_STRING, "ControlPoint Config");
	assert_prop(snap, "IsValid", IRMF_PROP_BOOL, "True");
	irmf_snapshot_free(snap);
}

/* `Get-IRMConfiguration | fl > file` in Windows PowerShell 5.1 writes
 * UTF-16LE with a BOM: same properties as the UTF-8 copy. */
static void
utf16_same_as_utf8(void **state)
{
	irmf_snapshot *a = parse_fixture(
	    "irmtext/onprem-Get-IRMConfiguration-fl.txt",
	    irmf_irmconfig_text_parse, 0);
	irmf_snapshot *b = parse_fixture(
	    "irmtext/onprem-Get-IRMConfiguration-fl-utf16.txt",
	    irmf_irmconfig_text_parse, 0);

	(void)state;
	assert_int_equal(a->nprops, b->nprops);
	for (size_t i = 0; i < a->nprops; i++) {
		assert_string_equal(a->props[i].name, b->props[i].name);
		assert_int_equal(a->props[i].type, b->props[i].type);
		assert_int_equal(a->props[i].nitems, b->props[i].nitems);
		if (a->props[i].value != NULL)
			assert_string_equal(a->props[i].value,
			    b->props[i].value);
	}
	irmf_snapshot_free(a);
	irmf_snapshot_free(b);
}

static void
quirks_indent_tabs_prompt(void **state)
{
	const char *text =
	    "PS C:\\> Get-IRMConfiguration | fl\r\n"
	    "\t    InternalLicensingEnabled   : True\r\n"
	    "    \tServiceLocation            : https://rms.contoso.com/_wmcs\r\n"
	    "\t    ClientAccessServerEnabled  :\tFalse\r\n"
	    "\t    SystemCleanupPeriod        : -12\r\n";
	irmf_snapshot *snap;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&snap, "EX01"), 0);
	assert_int_equal(irmf_irmconfig_text_parse(snap, text, strlen(text),
	    "mem"), 0);
	assert_int_equal(snap->nprops, 4);
	assert_prop(snap, "ServiceLocation", IRMF_PROP_URI,
	    "https://rms.contoso.com/_wmcs");
	assert_prop(snap, "ClientAccessServerEnabled", IRMF_PROP_BOOL, "False");
	assert_prop(snap, "SystemCleanupPeriod", IRMF_PROP_INT, "-12");
	irmf_snapshot_free(snap);
}

static void
get_errors(void **state)
{
	irmf_snapshot *snap;
	const char *dup = "SearchEnabled : True\nSearchEnabled : False\n";
	const char *junk = "\n\nthis is not it\nSearchEnabled : True\n";

	(void)state;
	snap = parse_fixture("irmtext/bad/Get-IRMConfiguration-format-table.txt",
	    irmf_irmconfig_text_parse, IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message,
	    "Get-IRMConfiguration-format-table.txt:2: expected 'Name : Value'"));
	irmf_snapshot_free(snap);

	snap = parse_fixture(
	    "irmtext/bad/Get-IRMConfiguration-truncated-list.txt",
	    irmf_irmconfig_text_parse, IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message,
	    "truncated-list.txt:2: the list of 'LicensingLocation' is cut "
	    "short"));
	irmf_snapshot_free(snap);

	assert_int_equal(irmf_snapshot_new(&snap, "EX01"), 0);
	assert_int_equal(irmf_irmconfig_text_parse(snap, dup, strlen(dup),
	    "dup.txt"), IRMF_EPARSE);
	assert_string_equal(irmf_error_last()->message, "dup.txt:2: property "
	    "'SearchEnabled' appears twice (more than one object in the file?)");
	assert_int_equal(irmf_irmconfig_text_parse(snap, junk, strlen(junk),
	    "junk.txt"), IRMF_EPARSE);
	assert_string_equal(irmf_error_last()->message, "junk.txt:3: expected "
	    "'Name : Value' (Get-IRMConfiguration | Format-List), got "
	    "'this is not it'");
	assert_int_equal(irmf_irmconfig_text_parse(snap, "\n\n", 2, "empty"),
	    IRMF_EPARSE);
	irmf_snapshot_free(snap);
}

static void
assert_step(const irmf_snapshot *snap, size_t i, const char *check,
    bool pass, const char *message)
{
	assert_true(i < snap->nirm_steps);
	assert_string_equal(snap->irm_steps[i].check, check);
	assert_int_equal(snap->irm_steps[i].pass, pass);
	assert_string_equal(snap->irm_steps[i].message, message);
}

static void
corpus_test_irmconfiguration(void **state)
{
	irmf_snapshot *snap = parse_fixture(CORPUS_TEST,
	    irmf_irmtest_text_parse, 0);

	(void)state;
	assert_true(snap->has_irm_test);
	assert_true(snap->irm_test_pass);
	assert_int_equal(snap->nirm_steps, 4);
	/* "Do Not " + "Forward." joined across the wrap */
	assert_step(snap, 0, "Acquiring RMS Templates ...", true,
	    "RMS Templates acquired.  Templates available: Contoso  - "
	    "Confidential View Only, Contoso  - Confidential, Do Not Forward.");
	assert_step(snap, 3, "Verifying IRM is enabled ...", true,
	    "IRM verified successfully.");
	irmf_snapshot_free(snap);
}

static void
onprem_test_fail(void **state)
{
	irmf_snapshot *snap = parse_fixture(
	    "irmtext/onprem-Test-IRMConfiguration-fail.txt",
	    irmf_irmtest_text_parse, 0);

	(void)state;
	assert_false(snap->irm_test_pass);
	assert_int_equal(snap->nirm_steps, 12);
	assert_step(snap, 0, "Checking Exchange Server ...", true,
	    "Exchange Server is running in Enterprise.");
	assert_step(snap, 2, "Retrieving RMS Certification Uri ...", true,
	    "RMS Certification Uri: "
	    "https://rmsconnector.contoso.com/_wmcs/certification.");
	/* a wrapped step line */
	assert_step(snap, 10, "Acquiring Prelicense for "
	    "'administrator@contoso.com' from RMS Licensing Uri "
	    "(https://rmsconnector.contoso.com/_wmcs/licensing)...", true,
	    "Prelicense acquired.");
	/* "Jou" + "rnal" joined, three lines of message */
	assert_step(snap, 11, "Acquiring Use License from RMS Licensing Uri "
	    "(https://rmsconnector.contoso.com/_wmcs/licensing)...", false,
	    "Failed to acquire a use license. This failure may cause features "
	    "such as Transport Decryption, Journal Report Decryption, IRM in "
	    "OWA, IRM in EAS and IRM Search to not work. Make sure that the "
	    "Exchange server is authorized to use the RMS connector.");
	irmf_snapshot_free(snap);
}

/* Support articles print the output cut right after the failing step's
 * message, without OVERALL RESULT: the FAIL decides it (issue 10 #8). */
static void
onprem_test_fail_cut(void **state)
{
	irmf_snapshot *snap = parse_fixture(
	    "irmtext/onprem-Test-IRMConfiguration-fail-cut.txt",
	    irmf_irmtest_text_parse, 0);

	(void)state;
	assert_true(snap->has_irm_test);
	assert_false(snap->irm_test_pass);
	assert_int_equal(snap->nirm_steps, 12);
	assert_false(snap->irm_steps[11].pass);
	assert_non_null(strstr(snap->irm_steps[11].message, "is authorized to "
	    "use the RMS connector."));
	irmf_snapshot_free(snap);
}

static void
online_test_exception(void **state)
{
	irmf_snapshot *snap = parse_fixture(
	    "irmtext/online-Test-IRMConfiguration-exception.txt",
	    irmf_irmtest_text_parse, 0);

	(void)state;
	assert_false(snap->irm_test_pass);
	assert_int_equal(snap->nirm_steps, 4);
	assert_step(snap, 3, "Checking that a Trusted Publishing Domain can be "
	    "obtained from RMS Online ...", false, "Failed to obtain a Trusted "
	    "Publishing Domain from RMS Online. Microsoft.Exchange.Security."
	    "RightsManagement.RightsManagementException: Failed to get Server "
	    "Licensor Certificate from RMS Online.");
	irmf_snapshot_free(snap);
}

static void
test_errors(void **state)
{
	irmf_snapshot *snap;
	const char *nostep = "Results : - PASS: nothing\nOVERALL RESULT: PASS\n";
	const char *noresult = "Results : Checking Exchange Server ...\n"
	    "          Loading IRM configuration ...\n"
	    "              - PASS: IRM configuration loaded successfully.\n"
	    "          OVERALL RESULT: PASS\n";
	const char *badoverall = "Results : Checking Exchange Server ...\n"
	    "   - PASS: ok.\n   OVERALL RESULT: MAYBE\n";

	(void)state;
	snap = parse_fixture("irmtext/bad/Test-IRMConfiguration-cut-short.txt",
	    irmf_irmtest_text_parse, IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message,
	    "cut-short.txt:12: no 'OVERALL RESULT: PASS|FAIL' line and no "
	    "failed step"));
	irmf_snapshot_free(snap);

	assert_int_equal(irmf_snapshot_new(&snap, "EX01"), 0);
	assert_int_equal(irmf_irmtest_text_parse(snap, nostep, strlen(nostep),
	    "t"), IRMF_EPARSE);
	assert_string_equal(irmf_error_last()->message,
	    "t:1: '- PASS:' before any step");
	assert_int_equal(irmf_irmtest_text_parse(snap, noresult,
	    strlen(noresult), "t"), IRMF_EPARSE);
	assert_string_equal(irmf_error_last()->message, "t:2: step 'Checking "
	    "Exchange Server ...' has no '- PASS:' or '- FAIL:' line");
	assert_int_equal(irmf_irmtest_text_parse(snap, badoverall,
	    strlen(badoverall), "t"), IRMF_EPARSE);
	assert_string_equal(irmf_error_last()->message,
	    "t:3: expected 'OVERALL RESULT: PASS' or 'FAIL', got 'MAYBE'");
	assert_int_equal(irmf_irmtest_text_parse(snap, "x : y\n", 6, "t"),
	    IRMF_EPARSE);
	assert_string_equal(irmf_error_last()->message,
	    "t: no 'Results :' line (expected Test-IRMConfiguration output)");
	irmf_snapshot_free(snap);
}

static void
sniffing(void **state)
{
	size_t len;
	char *get = tu_read_fixture(CORPUS_GET, &len);
	char *test = tu_read_fixture(CORPUS_TEST, &len);

	(void)state;
	assert_true(irmf_irmconfig_text_sniff(get));
	assert_false(irmf_irmtest_text_sniff(get));
	assert_true(irmf_irmtest_text_sniff(test));
	assert_false(irmf_irmconfig_text_sniff(test));
	assert_false(irmf_irmconfig_text_sniff("Name : x\nSearchEnabled : y\n"));
	assert_false(irmf_irmtest_text_sniff("Results : nothing here\n"));
	free(get);
	free(test);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corpus_get_irmconfiguration),
		cmocka_unit_test(onprem_get_irmconfiguration),
		cmocka_unit_test(utf16_same_as_utf8),
		cmocka_unit_test(quirks_indent_tabs_prompt),
		cmocka_unit_test(get_errors),
		cmocka_unit_test(corpus_test_irmconfiguration),
		cmocka_unit_test(onprem_test_fail),
		cmocka_unit_test(onprem_test_fail_cut),
		cmocka_unit_test(online_test_exception),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(sniffing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
