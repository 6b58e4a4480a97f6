/*
 * test_authlist.c - connector authorization list parser
 * (collector/parse/authlist.c) and its CSV splitter (collector/parse/csv.c).
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "irmfleet/errors.h"
#include "authlist.h"
#include "csv.h"
#include "snapshot_int.h"

static int
parse_fixture(const char *rel, irmf_snapshot **out)
{
	size_t len;
	char *buf = tu_read_fixture(rel, &len);
	int rc;

	assert_int_equal(irmf_snapshot_new(out, "RMSC01"), 0);
	rc = irmf_authlist_parse(*out, buf, len, rel);
	free(buf);
	return rc;
}

static void
assert_auth(const irmf_snapshot *snap, size_t i, const char *account,
    irmf_account_kind kind, irmf_role role)
{
	assert_true(i < snap->nauths);
	assert_string_equal(snap->auths[i].account, account);
	assert_int_equal(snap->auths[i].kind, kind);
	assert_int_equal(snap->auths[i].role, role);
}

static void
typed_list(void **state)
{
	irmf_snapshot *snap;

	(void)state;
	assert_int_equal(parse_fixture("authlist/connector-authorizations.csv",
	    &snap), 0);
	assert_true(snap->has_authorizations);
	assert_int_equal(snap->nauths, 6);
	assert_auth(snap, 0, "CONTOSO\\Exchange Servers", IRMF_ACCOUNT_GROUP,
	    IRMF_ROLE_EXCHANGE);
	assert_auth(snap, 1, "CONTOSO\\SP Farm Servers", IRMF_ACCOUNT_GROUP,
	    IRMF_ROLE_SHAREPOINT);
	assert_auth(snap, 2, "CONTOSO\\svc-spcentraladmin", IRMF_ACCOUNT_USER,
	    IRMF_ROLE_SHAREPOINT);
	assert_auth(snap, 4, "CONTOSO\\FS01$", IRMF_ACCOUNT_COMPUTER,
	    IRMF_ROLE_FCI);
	/* quoted, blanks around fields, role in capitals */
	assert_auth(snap, 5, "CONTOSO\\FS02$", IRMF_ACCOUNT_COMPUTER,
	    IRMF_ROLE_FCI);
	irmf_snapshot_free(snap);
}

static void
empty_list(void **state)
{
	irmf_snapshot *snap;

	(void)state;
	assert_int_equal(parse_fixture("authlist/empty-list.csv", &snap), 0);
	assert_true(snap->has_authorizations);
	assert_int_equal(snap->nauths, 0);
	irmf_snapshot_free(snap);
}

static void
expect_error(const char *rel, const char *msg)
{
	irmf_snapshot *snap;

	assert_int_equal(parse_fixture(rel, &snap), IRMF_EPARSE);
	if (strstr(irmf_error_last()->message, msg) == NULL)
		fail_msg("message '%s' lacks '%s'", irmf_error_last()->message,
		    msg);
	irmf_snapshot_free(snap);
}

static void
errors(void **state)
{
	(void)state;
	expect_error("authlist/bad/computer-without-dollar.csv",
	    "computer-without-dollar.csv:3: computer account 'CONTOSO\\FS01' "
	    "must end with '$'");
	expect_error("authlist/bad/duplicate-row.csv", "duplicate-row.csv:3: "
	    "'contoso\\exchange servers' is already listed for role exchange "
	    "on line 2");
	expect_error("authlist/bad/unknown-kind.csv", "unknown-kind.csv:2: "
	    "unknown kind 'security group' (expected user, group or computer)");
	expect_error("authlist/bad/unterminated-quote.csv",
	    "unterminated-quote.csv:2:1: expected a closing '\"'");
	expect_error("authlist/bad/wrong-header.csv", "wrong-header.csv:1: "
	    "expected the header 'account,kind,role', got 'Name,Role'");
}

static void
inline_errors(void **state)
{
	irmf_snapshot *snap;
	const char *fields = "account,kind,role\nCONTOSO\\a,user\n";
	const char *role = "account,kind,role\nCONTOSO\\a,user,connector\n";
	const char *nohdr = "# only a comment\n\n";

	(void)state;
	assert_int_equal(irmf_snapshot_new(&snap, "RMSC01"), 0);
	assert_int_equal(irmf_authlist_parse(snap, fields, strlen(fields), "f"),
	    IRMF_EPARSE);
	assert_string_equal(irmf_error_last()->message,
	    "f:2: expected 3 fields (account,kind,role), got 2");
	assert_int_equal(irmf_authlist_parse(snap, role, strlen(role), "f"),
	    IRMF_EPARSE);
	assert_string_equal(irmf_error_last()->message, "f:2: unknown role "
	    "'connector' (expected exchange, sharepoint or fci)");
	assert_int_equal(irmf_authlist_parse(snap, nohdr, strlen(nohdr), "f"),
	    IRMF_EPARSE);
	assert_string_equal(irmf_error_last()->message, "f: no header "
	    "'account,kind,role' (expected an authorization list, see "
	    "docs/authorization-list.md)");
	irmf_snapshot_free(snap);
}

static void
csv_split(void **state)
{
	irmf_csv_row row;
	const char *what;
	size_t col;
	const char *l1 = " \"a, \"\"b\"\"\" ,c , ,\"\"";
	const char *l2 = "a,b\"c";
	const char *l3 = "\"a\" x,b";

	(void)state;
	assert_int_equal(irmf_csv_split(l1, strlen(l1), &row, &col, &what), 0);
	assert_int_equal(row.n, 4);
	assert_string_equal(row.f[0], "a, \"b\"");
	assert_string_equal(row.f[1], "c");
	assert_string_equal(row.f[2], "");
	assert_string_equal(row.f[3], "");
	irmf_csv_row_free(&row);
	assert_int_equal(irmf_csv_split(l2, strlen(l2), &row, &col, &what),
	    IRMF_EPARSE);
	assert_int_equal(col, 4);
	assert_int_equal(irmf_csv_split(l3, strlen(l3), &row, &col, &what),
	    IRMF_EPARSE);
	assert_int_equal(col, 5);
	assert_string_equal(what, "',' after the closing quote");
	assert_null(row.f);
}

static void
sniffing(void **state)
{
	(void)state;
	assert_true(irmf_authlist_sniff("# x\n\n Account , KIND,role\n"));
	assert_true(irmf_authlist_sniff("\"account\",\"kind\",\"role\"\n"));
	assert_false(irmf_authlist_sniff("account,kind\n"));
	assert_false(irmf_authlist_sniff("x\naccount,kind,role\n"));
	assert_false(irmf_authlist_sniff(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(typed_list),
		cmocka_unit_test(empty_list),
		cmocka_unit_test(errors),
		cmocka_unit_test(inline_errors),
		cmocka_unit_test(csv_split),
		cmocka_unit_test(sniffing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
