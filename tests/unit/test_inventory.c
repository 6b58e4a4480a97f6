/*
 * test_inventory.c - Ansible INI inventory parsing (collector/collect/inventory.c):
 * groups as roles, :children, :vars precedence, ranges, quoting, and
 * errors that name file:line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	    IRMF_ENOTFOUND);
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

/* A chain g1 > g2 > ... > gN of [:children], host h in gN. */
static char *
nested(int levels)
{
	size_t cap = (size_t)levels * 40 + 64, len = 0;
	char *buf = malloc(cap);

	assert_non_null(buf);
	for (int i = 1; i < levels; i++)
		len += (size_t)snprintf(buf + len, cap - len,
		    "[g%d:children]\ng%d\n", i, i + 1);
	snprintf(buf + len, cap - len, "[g%d]\nh ansible_port=2222\n"
	    "[g1:vars]\nansible_user=deep\n", levels);
	return buf;
}

/* 64 levels are allowed and inherit; 65 is a depth limit, with its line,
 * not a cycle */
static void
test_nesting_depth_limit(void **state)
{
	irmf_inventory *inv;
	char *text;

	(void)state;
	text = nested(64);
	inv = parse_ok(text);
	assert_string_equal(inv->hosts[0].user, "deep");
	irmf_inventory_free(inv);
	free(text);
	text = nested(65);
	/* g1 is depth 1: g65 is listed under [g64:children] on line 128 */
	expect_error(text, IRMF_ELIMIT,
	    "inv.ini:128: group 'g65' is nested 65 levels deep");
	assert_null(strstr(irmf_error_last()->message, "cycle"));
	free(text);
}

static void
test_cycles_name_their_line(void **state)
{
	(void)state;
	expect_error("[a:children]\nb\n[b:children]\nc\n[c:children]\na\n"
	    "[a]\nh\n", IRMF_EPARSE, "[:children] cycle: group '");
	assert_non_null(strstr(irmf_error_last()->message, "inv.ini:"));
	assert_non_null(strstr(irmf_error_last()->message, "inv.ini:6: "
	    "[:children] cycle: group 'a' is its own ancestor ([c:children] "
	    "lists a, [b:children] lists c, [a:children] lists b)"));
	/* a group its own child: line 2 */
	expect_error("[x:children]\nx\n", IRMF_EPARSE,
	    "inv.ini:2: [:children] cycle: group 'x' is its own ancestor");
	/* a long cycle (100 groups) is still a cycle, not a depth limit */
	{
		char *buf = malloc(100 * 40 + 64);
		size_t len = 0;

		assert_non_null(buf);
		for (int i = 0; i < 100; i++)
			len += (size_t)sprintf(buf + len, "[c%d:children]\nc%d\n",
			    i, (i + 1) % 100);
		expect_error(buf, IRMF_EPARSE, "[:children] cycle");
		free(buf);
	}
}

/* EX01 and ex01 are one Windows server: refused, naming both lines */
static void
test_hosts_differing_in_case(void **state)
{
	(void)state;
	expect_error("[exchange]\nEX01\nex02\n[connector]\nrms1\nex01\n",
	    IRMF_EPARSE, "inv.ini:6: host 'ex01' is host 'EX01' of line 2");
	expect_error("[exchange]\nEX[01:03]\nex02\n", IRMF_EPARSE,
	    "inv.ini:3: host 'ex02' is host 'EX02' of line 2");
	/* the same spelling twice is the same host, as before */
	irmf_inventory *inv = parse_ok("[exchange]\nEX01\n[fci]\nEX01\n");
	assert_int_equal(inv->nhosts, 1);
	irmf_inventory_free(inv);
}

/* An inventory of n hosts in a few groups with inherited settings;
 * returns the seconds irmf_inventory_parse took. */
static double
time_inventory(size_t n)
{
	size_t cap = n * 48 + 256, len = 0;
	char *buf = malloc(cap);
	irmf_inventory *inv;
	struct timespec t0, t1;

	assert_non_null(buf);
	len += (size_t)snprintf(buf + len, cap - len, "[site:children]\n"
	    "exchange\nconnector\n[site:vars]\nansible_user=svc\n[exchange]\n");
	for (size_t i = 0; i < n; i++) {
		if (i == n - 10)
			len += (size_t)snprintf(buf + len, cap - len,
			    "[connector]\n");
		len += (size_t)snprintf(buf + len, cap - len,
		    "host%06zu ansible_port=%zu\n", i, 1000 + i % 1000);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(irmf_inventory_parse(&inv, buf, len, "big.ini"), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	free(buf);
	assert_int_equal(inv->nhosts, n);
	assert_string_equal(inv->hosts[n - 1].user, "svc");
	assert_int_equal(inv->hosts[n - 1].roles, IRMF_ROLE_CONNECTOR);
	assert_int_equal(inv->hosts[0].roles, IRMF_ROLE_EXCHANGE);
	assert_int_equal(inv->hosts[1].port, 1001);
	irmf_inventory_free(inv);
	return (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

/* 100,000 hosts resolve in (near) linear time: five times the hosts take
 * about five times as long (the quadratic version: 25 times, and minutes
 * in all).  A ratio, not seconds, so that valgrind and ASan pass too;
 * plus an absolute bound far above a normal build's 0.2 s (valgrind: 45). */
static void
test_large_inventory_is_fast(void **state)
{
	double small, big;

	(void)state;
	/* the best of two small runs: a busy machine only slows runs down.
	 * 10x the hosts: linear (n log n with the index) is about 10-15x,
	 * quadratic 100x; 40x leaves room for a loaded machine and valgrind,
	 * whose slowdown is not uniform (one run measured 12x for 5x hosts) */
	small = time_inventory(10000);
	big = time_inventory(10000);
	small = big < small ? big : small;
	big = time_inventory(100000);
	print_message("10000 hosts: %.3f s, 100000 hosts: %.3f s\n", small,
	    big);
	if (big > 40 * small + 0.05)
		fail_msg("10x the hosts took %.1fx the time (not linear)",
		    big / small);
	if (big > 120.0)
		fail_msg("100000 hosts took %.1f s", big);
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
		cmocka_unit_test(test_nesting_depth_limit),
		cmocka_unit_test(test_cycles_name_their_line),
		cmocka_unit_test(test_hosts_differing_in_case),
		cmocka_unit_test(test_large_inventory_is_fast),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
