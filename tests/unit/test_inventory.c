/*
 * test_inventory.c - Ansible INI inventory parsing (collector/inventory.c):
 * groups as roles, :children, :vars precedence, ranges, quoting, and
 * errors that name file:line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "inventory.h"
#include "error.h"
#include "irmfleet/snapshot.h"

static irmf_inventory *
parse_ok(const char *text)
{
	irmf_inventory *inv = NULL;
	int r = irmf_inventory_parse(&inv, text, strlen(text), "inv.ini");

	if (r != 0)
		fail_msg("parse failed: %s", irmf_error_last()->message);
	return inv;
}

static const irmf_inv_host *
host(const irmf_inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->nhosts; i++)
		if (strcmp(inv->hosts[i].name, name) == 0)
			return &inv->hosts[i];
	fail_msg("host %s not found", name);
	return NULL;
}

static void
expect_error(const char *text, int code, const char *msg)
{
	irmf_inventory *inv = (irmf_inventory *)1;
	int r = irmf_inventory_parse(&inv, text, strlen(text), "inv.ini");

	assert_int_equal(r, code);
	assert_null(inv);
	if (strstr(irmf_error_last()->message, msg) == NULL)
		fail_msg("message '%s' lacks '%s'", irmf_error_last()->message,
		    msg);
}

static void
test_groups_are_roles(void **state)
{
	irmf_inventory *inv;

	(void)state;
	inv = parse_ok("# fleet\n"
	    "[exchange]\n"
	    "ex01 ansible_host=10.0.0.1\n"
	    "ex02\n"
	    "[connector]\n"
	    "rms1\n"
	    "[sharepoint]\n"
	    "sp01\n"
	    "[fci]\n"
	    "ex02\n"
	    "[webservers]\n"
	    "web1\n");
	assert_int_equal(inv->nhosts, 5);
	assert_string_equal(inv->hosts[0].name, "ex01");
	assert_string_equal(inv->hosts[0].address, "10.0.0.1");
	assert_int_equal(inv->hosts[0].port, 22);
	assert_null(inv->hosts[0].user);
	assert_int_equal(inv->hosts[0].line, 3);
	assert_int_equal(host(inv, "ex02")->roles,
	    IRMF_ROLE_EXCHANGE | IRMF_ROLE_FCI);
	assert_string_equal(host(inv, "ex02")->address, "ex02");
	assert_int_equal(host(inv, "rms1")->roles, IRMF_ROLE_CONNECTOR);
	assert_int_equal(host(inv, "sp01")->roles, IRMF_ROLE_SHAREPOINT);
	assert_int_equal(host(inv, "web1")->roles, 0);
	irmf_inventory_free(inv);
}

static void
test_children_and_var_precedence(void **state)
{
	irmf_inventory *inv;

	(void)state;
	inv = parse_ok("[all:vars]\n"
	    "ansible_user=root\n"
	    "ansible_port=2200\n"
	    "[dag1]\n"
	    "ex01\n"
	    "ex02 ansible_user=local ansible_ssh_port=2202\n"
	    "[dag1:vars]\n"
	    "ansible_user = \"CONTOSO\\\\svc\"\n"
	    "[exchange:children]\n"
	    "dag1\n"
	    "[exchange:vars]\n"
	    "ansible_user=exadmin\n"
	    "ansible_port=2300\n");
	/* dag1 is deeper than exchange, so its user wins; port from exchange */
	assert_int_equal(host(inv, "ex01")->roles, IRMF_ROLE_EXCHANGE);
	assert_string_equal(host(inv, "ex01")->user, "CONTOSO\\svc");
	assert_int_equal(host(inv, "ex01")->port, 2300);
	/* host vars beat every group; legacy ansible_ssh_port honoured */
	assert_string_equal(host(inv, "ex02")->user, "local");
	assert_int_equal(host(inv, "ex02")->port, 2202);
	irmf_inventory_free(inv);
}

/* irmfleet_irm_test_sender: the mailbox for Test-IRMConfiguration in
 * collect (issue 10 #8), with the usual precedence; only a plain SMTP
 * address, since it goes into a PowerShell command. */
static void
test_irm_test_sender(void **state)
{
	irmf_inventory *inv;

	(void)state;
	inv = parse_ok("[exchange]\n"
	    "ex01\n"
	    "ex02 irmfleet_irm_test_sender=irm.probe@contoso.com\n"
	    "[exchange:vars]\n"
	    "irmfleet_irm_test_sender=admin@contoso.com\n"
	    "[fci]\n"
	    "fs01\n");
	assert_string_equal(host(inv, "ex01")->irm_test_sender,
	    "admin@contoso.com");
	assert_string_equal(host(inv, "ex02")->irm_test_sender,
	    "irm.probe@contoso.com");
	assert_null(host(inv, "fs01")->irm_test_sender);
	irmf_inventory_free(inv);
	expect_error("[exchange]\nex01 irmfleet_irm_test_sender=\"a'b@x.com\"\n",
	    IRMF_EPARSE, "inv.ini:2: invalid irmfleet_irm_test_sender "
	    "'a'b@x.com' for host 'ex01' (expected a plain SMTP address)");
	expect_error("[exchange]\nex01\n[all:vars]\n"
	    "irmfleet_irm_test_sender=x@y;calc\n", IRMF_EPARSE,
	    "inv.ini:4: invalid irmfleet_irm_test_sender");
}

static void
test_ranges_ports_quotes(void **state)
{
	irmf_inventory *inv;

	(void)state;
	inv = parse_ok("\xEF\xBB\xBF[exchange]\r\n"
	    "ex[08:11].contoso.com ansible_user='CONTOSO\\admin'  # trailing\r\n"
	    "node-[a:c]:2022\r\n"
	    "; ini comment\r\n"
	    "ex[0:4:2]\r\n");
	assert_int_equal(inv->nhosts, 3 + 4 + 3);
	assert_string_equal(inv->hosts[0].name, "ex08.contoso.com");
	assert_string_equal(inv->hosts[3].name, "ex11.contoso.com");
	assert_string_equal(inv->hosts[3].user, "CONTOSO\\admin");
	assert_string_equal(inv->hosts[4].name, "node-a");
	assert_int_equal(inv->hosts[6].port, 2022);
	assert_string_equal(inv->hosts[8].name, "ex2");
	assert_int_equal(inv->hosts[6].line, 3);
	irmf_inventory_free(inv);
}

static void
test_empty_inventory(void **state)
{
	irmf_inventory *inv;

	(void)state;
	inv = parse_ok("# nothing yet\n\n[exchange]\n");
	assert_int_equal(inv->nhosts, 0);
	irmf_inventory_free(inv);
}

static void
test_errors_name_file_line(void **state)
{
	(void)state;
	expect_error("[exchange]\nex01\n[connector\n", IRMF_EPARSE,
	    "inv.ini:3: unterminated section header");
	expect_error("[exchange:hosts]\n", IRMF_EPARSE,
	    "inv.ini:1: unknown section type ':hosts'");
	expect_error("[exchange]\nex01 ansible_port\n", IRMF_EPARSE,
	    "inv.ini:2: expected 'key=value' after host 'ex01'");
	expect_error("[exchange]\nex01\n\n[exchange:vars]\nansible_port=70000\n",
	    IRMF_EPARSE, "inv.ini:5: bad port '70000' for host 'ex01'");
	expect_error("[exchange]\nex01 ansible_user='open\n", IRMF_EPARSE,
	    "inv.ini:2: unterminated quote");
	expect_error("[exchange]\nex/01\n", IRMF_EPARSE,
	    "inv.ini:2: invalid host name 'ex/01'");
	expect_error("[exchange]\n-oProxyCommand=x\n", IRMF_EPARSE,
	    "inv.ini:2: invalid host name");
	expect_error("[exchange]\nex01 ansible_host=-oProxy\n", IRMF_EPARSE,
	    "inv.ini:2: invalid ansible_host '-oProxy'");
	expect_error("[a:vars]\njust words\n", IRMF_EPARSE,
	    "inv.ini:2: expected 'key=value' in [a:vars]");
	expect_error("[a:children]\nb\n[b:children]\na\n", IRMF_EPARSE,
	    "is its own ancestor");
	expect_error("[exchange]\nex[5:1]\n", IRMF_EPARSE,
	    "inv.ini:2: bad host range '[5:1]'");
	expect_error("[exchange]\nex[1:999999]\n", IRMF_ELIMIT,
	    "more than");
	expect_error("[exchange]\nex01 ansible_user='a b'\n", IRMF_EPARSE,
	    "inv.ini:2: invalid ansible_user 'a b'");
	expect_error("[ex change]\n", IRMF_EPARSE,
	    "inv.ini:1: invalid group name 'ex change'");
	{
		/* found by fuzz_inventory: a group name longer than the
		 * parser's buffer before ':children' read past the line */
		char line[300];
		memset(line, 'S', sizeof(line));
		line[0] = '[';
		memcpy(line + 280, ":children]\n", 12);
		expect_error(line, IRMF_EPARSE,
		    "inv.ini:1: group name 'SSSSSSSSSS");
	}
	{
		static const char nul[] = "[exchange]\nex01\0x\n";
		irmf_inventory *inv = NULL;

		assert_int_equal(irmf_inventory_parse(&inv, nul, sizeof(nul) - 1,
		    "inv.ini"), IRMF_EPARSE);
		assert_non_null(strstr(irmf_error_last()->message,
		    "inv.ini:2: NUL byte"));
	}
}

static void
test_load_missing_file(void **state)
{
	irmf_inventory *inv = NULL;

	(void)state;
	assert_int_equal(irmf_inventory_load(&inv, "/nonexistent/inv.ini"),
	    IRMF_EIO);
	assert_null(inv);
	assert_non_null(strstr(irmf_error_last()->message,
	    "'/nonexistent/inv.ini'"));
}

static void
test_load_file(void **state)
{
	irmf_inventory *inv = NULL;

	(void)state;
	assert_int_equal(irmf_inventory_load(&inv,
	    tu_fixture_path("inventory/fleet.ini")), 0);
	assert_int_equal(irmf_inventory_count(inv), 6);
	assert_string_equal(irmf_inventory_host_name(inv, 0), "ex01");
	assert_int_equal(irmf_inventory_host_roles(inv, 5), IRMF_ROLE_CONNECTOR);
	assert_int_equal(irmf_inventory_host_port(inv, 5), 2222);
	assert_null(irmf_inventory_host_name(inv, 6));
	irmf_inventory_free(inv);
	/* errors carry the file's base name */
	assert_int_equal(irmf_inventory_load(&inv,
	    tu_fixture_path("inventory/bad-section.ini")), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "bad-section.ini:4:"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_are_roles),
		cmocka_unit_test(test_children_and_var_precedence),
		cmocka_unit_test(test_ranges_ports_quotes),
		cmocka_unit_test(test_irm_test_sender),
		cmocka_unit_test(test_empty_inventory),
		cmocka_unit_test(test_errors_name_file_line),
		cmocka_unit_test(test_load_missing_file),
		cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
