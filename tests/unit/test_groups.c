/*
 * test_groups.c - whoami /groups /fo csv and gpresult /scope computer /r
 * parsers (collector/parse/groups.c).
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "irmfleet/errors.h"
#include "groups.h"
#include "snapshot_int.h"

typedef int (*parse_fn)(irmf_snapshot *, const char *, size_t,
    const char *);

static int
parse_fixture(const char *rel, parse_fn fn, irmf_snapshot **out)
{
	size_t len;
	char *buf = tu_read_fixture(rel, &len);
	int rc;

	assert_int_equal(irmf_snapshot_new(out, "X"), 0);
	rc = fn(*out, buf, len, rel);
	free(buf);
	return rc;
}

static void
assert_groups(const irmf_snapshot *snap, const char *const *want, size_t n)
{
	assert_int_equal(snap->groups.n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(snap->groups.items[i], want[i]);
}

static void
whoami_groups(void **state)
{
	irmf_snapshot *snap;
	static const char *const want[] = { "SP01\\WSS_ADMIN_WPG",
	    "SP01\\WSS_WPG", "CONTOSO\\SP Farm Servers",
	    "CONTOSO\\SharePoint Service Accounts" };

	(void)state;
	assert_int_equal(parse_fixture("groups/SP01-whoami-groups-fo-csv.txt",
	    irmf_whoami_csv_parse, &snap), 0);
	/* well-known groups, logon-type groups and the label are left out */
	assert_groups(snap, want, 4);
	assert_null(snap->computer_account);
	assert_int_equal(snap->groups_scope, IRMF_GROUPS_TOKEN);
	irmf_snapshot_free(snap);
}

static void
whoami_all_german_cp850(void **state)
{
	irmf_snapshot *snap;
	static const char *const want[] = { "CONTOSO\\SP Farm Servers" };

	(void)state;
	assert_int_equal(parse_fixture(
	    "groups/SP02-whoami-all-fo-csv-german.txt",
	    irmf_whoami_csv_parse, &snap), 0);
	/* user and privilege tables skipped, translated header recognised */
	assert_groups(snap, want, 1);
	irmf_snapshot_free(snap);
}

static void
whoami_no_header(void **state)
{
	irmf_snapshot *snap;
	static const char *const want[] = { "CONTOSO\\Exchange Servers" };

	(void)state;
	assert_int_equal(parse_fixture("groups/EX02-whoami-groups-fo-csv-nh.txt",
	    irmf_whoami_csv_parse, &snap), 0);
	assert_groups(snap, want, 1);
	irmf_snapshot_free(snap);
}

static void
whoami_errors(void **state)
{
	irmf_snapshot *snap;
	const char *fields = "\"Group Name\",\"Type\",\"SID\",\"Attributes\"\n"
	    "\"Everyone\",\"Well-known group\",\"S-1-1-0\"\n";
	const char *header_only = "\"Group Name\",\"Type\",\"SID\","
	    "\"Attributes\"\n";

	(void)state;
	assert_int_equal(parse_fixture("groups/bad/whoami-bad-sid.txt",
	    irmf_whoami_csv_parse, &snap), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "whoami-bad-sid.txt:"
	    "3: expected a SID (S-1-...) in the third field, got 'not-a-sid'"));
	assert_int_equal(irmf_whoami_csv_parse(snap, fields, strlen(fields),
	    "w"), IRMF_EPARSE);
	assert_string_equal(irmf_error_last()->message, "w:2: expected 4 "
	    "fields (group name, type, SID, attributes), got 3");
	assert_int_equal(irmf_whoami_csv_parse(snap, header_only,
	    strlen(header_only), "w"), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "w: no group rows"));
	irmf_snapshot_free(snap);
}

static void
gpresult_computer(void **state)
{
	irmf_snapshot *snap;
	/* token groups, printed without their domain: kept bare (a group
	 * of another domain must not get CONTOSO\\ prefixed) */
	static const char *const want[] = {
	    "Windows Authorization Access Group",
	    "Exchange Servers", "Exchange Trusted Subsystem",
	    "Exchange Windows Permissions",
	    "Managed Availability Servers",
	    "Domain Computers" };

	(void)state;
	/* UTF-16LE with BOM, as Windows PowerShell 5.1 redirects it */
	assert_int_equal(parse_fixture("groups/EX01-gpresult-scope-computer-r.txt",
	    irmf_gpresult_parse, &snap), 0);
	assert_string_equal(snap->computer_account, "CONTOSO\\EX01$");
	assert_groups(snap, want, 6);
	assert_int_equal(snap->groups_scope, IRMF_GROUPS_TOKEN);
	irmf_snapshot_free(snap);
}

static void
gpresult_errors(void **state)
{
	irmf_snapshot *snap;

	(void)state;
	assert_int_equal(parse_fixture("groups/bad/gpresult-scope-user-only.txt",
	    irmf_gpresult_parse, &snap), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "user-only.txt: no "
	    "'COMPUTER SETTINGS' section"));
	irmf_snapshot_free(snap);
	assert_int_equal(parse_fixture("groups/bad/gpresult-no-rsop.txt",
	    irmf_gpresult_parse, &snap), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "no-rsop.txt:2: "
	    "gpresult reported 'INFO: The user \"CONTOSO\\jdoe\" does not have "
	    "RSoP data.'"));
	irmf_snapshot_free(snap);
}

static void
sniffing(void **state)
{
	size_t len;
	char *csv = tu_read_fixture("groups/SP01-whoami-groups-fo-csv.txt",
	    &len);

	(void)state;
	assert_true(irmf_whoami_csv_sniff(csv));
	assert_false(irmf_gpresult_sniff(csv));
	assert_false(irmf_whoami_csv_sniff("account,kind,role\n"));
	assert_false(irmf_whoami_csv_sniff("\"User Name\",\"SID\"\n"));
	assert_true(irmf_gpresult_sniff("RSOP data for  on EX01 : Logging "
	    "Mode\nCOMPUTER SETTINGS\n"));
	assert_false(irmf_gpresult_sniff("COMPUTER SETTINGS\n"));
	assert_true(irmf_is_sid("S-1-5-21-1-2-3-500"));
	assert_false(irmf_is_sid("S-1-5-"));
	assert_false(irmf_is_sid("S-1--5"));
	assert_false(irmf_is_sid("S-1-x"));
	free(csv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whoami_groups),
		cmocka_unit_test(whoami_all_german_cp850),
		cmocka_unit_test(whoami_no_header),
		cmocka_unit_test(whoami_errors),
		cmocka_unit_test(gpresult_computer),
		cmocka_unit_test(gpresult_errors),
		cmocka_unit_test(sniffing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
