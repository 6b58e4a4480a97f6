/*
 * test_inventory.c - Ansible inventories (collector/collect/inventory*.c):
 * the INI reader (groups as roles, :children, :vars precedence, ranges,
 * quoting as Ansible reads it), the YAML and JSON readers, group_vars/
 * and host_vars/ at Ansible's precedence, what is reported (winrm hosts,
 * ssh args, dropped backslashes), the three example forms resolving
 * alike, and errors that name file:line(:column).
 */
#include <stdio.h>
#include <sys/stat.h>
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
	    "[a]\nh\n", IRMF_EPARSE, "children cycle: group '");
	assert_non_null(strstr(irmf_error_last()->message, "inv.ini:"));
	assert_non_null(strstr(irmf_error_last()->message, "inv.ini:6: "
	    "children cycle: group 'a' is its own ancestor (c lists a as a "
	    "child, b lists c as a child, a lists b as a child)"));
	/* a group its own child: line 2 */
	expect_error("[x:children]\nx\n", IRMF_EPARSE,
	    "inv.ini:2: children cycle: group 'x' is its own ancestor");
	/* a long cycle (100 groups) is still a cycle, not a depth limit */
	{
		char *buf = malloc(100 * 40 + 64);
		size_t len = 0;

		assert_non_null(buf);
		for (int i = 0; i < 100; i++)
			len += (size_t)sprintf(buf + len, "[c%d:children]\nc%d\n",
			    i, (i + 1) % 100);
		expect_error(buf, IRMF_EPARSE, "children cycle");
		free(buf);
	}
}

/* EX01 and ex01 are one Windows server: refused, naming both lines */
static void
test_hosts_differing_in_case(void **state)
{
	(void)state;
	expect_error("[exchange]\nEX01\nex02\n[connector]\nrms1\nex01\n",
	    IRMF_EPARSE, "inv.ini:6: host 'ex01' is host 'EX01' of inv.ini:2 in another");
	expect_error("[exchange]\nEX[01:03]\nex02\n", IRMF_EPARSE,
	    "inv.ini:3: host 'ex02' is host 'EX02' of inv.ini:2");
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

static irmf_inventory *
parse_as(const char *text, const char *name)
{
	irmf_inventory *inv = NULL;

	if (irmf_inventory_parse(&inv, text, strlen(text), name) != 0)
		fail_msg("parse %s failed: %s", name, irmf_error_last()->message);
	return inv;
}

static bool
has_warning(const irmf_inventory *inv, const char *part)
{
	for (size_t i = 0; i < irmf_inventory_warning_count(inv); i++)
		if (strstr(irmf_inventory_warning(inv, i), part) != NULL)
			return true;
	return false;
}

static void
expect_error_as(const char *text, const char *name, int code,
    const char *msg)
{
	irmf_inventory *inv = (irmf_inventory *)1;

	assert_int_equal(irmf_inventory_parse(&inv, text, strlen(text), name),
	    code);
	assert_null(inv);
	if (strstr(irmf_error_last()->message, msg) == NULL)
		fail_msg("message '%s' lacks '%s'", irmf_error_last()->message,
		    msg);
}

/* [group:vars] values are not shell-split by Ansible: a backslash stays;
 * on a host line an unquoted one is dropped (and warned); quoted string
 * literals are unquoted as Python's literal_eval does */
static void
test_ini_values_as_ansible_reads_them(void **state)
{
	irmf_inventory *inv;

	(void)state;
	inv = parse_ok("[exchange]\nex01\nex02 ansible_user=CONTOSO\\svc\n"
	    "ex03 ansible_user=\"CONTOSO\\svc\"\n"
	    "ex04 ansible_user='CONTOSO\\svc'  # a comment\n"
	    "[exchange:vars]\nansible_user=CONTOSO\\admin\n"
	    "ansible_ssh_private_key_file = \"'quoted'\"\n");
	assert_string_equal(host(inv, "ex01")->user, "CONTOSO\\admin");
	assert_string_equal(host(inv, "ex02")->user, "CONTOSOsvc");
	assert_string_equal(host(inv, "ex03")->user, "CONTOSO\\svc");
	assert_string_equal(host(inv, "ex04")->user, "CONTOSO\\svc");
	assert_string_equal(host(inv, "ex01")->identity, "'quoted'");
	assert_true(has_warning(inv, "inv.ini:3: the backslash before 's' "
	    "is dropped"));
	assert_int_equal(irmf_inventory_warning_count(inv), 1);
	irmf_inventory_free(inv);
	inv = parse_ok("[a:vars]\nansible_user='CONTOSO\\\\x'\n"
	    "ansible_ssh_private_key_file=r'h\\1'\n[a]\nh\n");
	assert_string_equal(host(inv, "h")->user, "CONTOSO\\x");
	assert_string_equal(host(inv, "h")->identity, "h\\1");
	irmf_inventory_free(inv);
}

static void
test_yaml_reader(void **state)
{
	irmf_inventory *inv;

	(void)state;
	inv = parse_as("all:\n"
	    "  vars: {ansible_user: svc}\n"
	    "  children:\n"
	    "    exchange:\n"
	    "      hosts:\n"
	    "        ex[01:02].contoso.com:\n"
	    "        ex09:2201:\n"
	    "          ansible_user: CONTOSO\\adm\n"
	    "      vars: &v\n"
	    "        ansible_port: 2222\n"
	    "    site:\n"
	    "      children:\n"
	    "        connector:\n"
	    "          hosts: rms1\n"
	    "      vars:\n"
	    "        <<: *v\n"
	    "        ansible_host: ~\n"
	    "      extra: 1\n", "inv.yml");
	assert_int_equal(inv->nhosts, 4);
	assert_string_equal(inv->format, "yaml");
	assert_int_equal(host(inv, "ex01.contoso.com")->port, 2222);
	assert_int_equal(host(inv, "ex01.contoso.com")->roles,
	    IRMF_ROLE_EXCHANGE);
	assert_int_equal(host(inv, "ex09")->port, 2201);
	assert_string_equal(host(inv, "ex09")->user, "CONTOSO\\adm");
	assert_string_equal(host(inv, "ex09")->source[IRMF_INV_USER],
	    "inv.yml:8");
	assert_int_equal(host(inv, "rms1")->roles, IRMF_ROLE_CONNECTOR);
	assert_int_equal(host(inv, "rms1")->port, 2222);   /* merged */
	assert_string_equal(host(inv, "rms1")->address, "rms1");   /* null */
	assert_string_equal(host(inv, "rms1")->user, "svc");
	assert_true(has_warning(inv, "inv.yml:18: key 'extra' of group "
	    "'site' skipped"));
	irmf_inventory_free(inv);
	/* empty documents are empty inventories */
	inv = parse_as("# nothing\n", "e.yaml");
	assert_int_equal(inv->nhosts, 0);
	irmf_inventory_free(inv);
	expect_error_as("all:\n  hosts:\n    - ex01\n", "l.yml", IRMF_EPARSE,
	    "l.yml:3:5: hosts: of group 'all' must be a mapping");
	expect_error_as("all:\n  hosts:\n    ex01: {ansible_port: [1]}\n",
	    "c.yml", IRMF_EPARSE, "c.yml:3: ansible_port of host 'ex01' "
	    "is not a plain value");
	expect_error_as("all:\n  hosts:\n    ex01:\n      ansible_user: "
	    "!vault |\n        $ANSIBLE_VAULT;1.1;AES256\n", "v.yml",
	    IRMF_EPARSE, "ansible_user of host 'ex01' is not a plain value");
	expect_error_as("all:\n  hosts:\n    ex01: {ansible_host: "
	    "\"{{ x }}\"}\n", "j.yml", IRMF_EPARSE, "is a Jinja2 template");
	expect_error_as("all:\n  hosts: {a: 1\n", "s.yml", IRMF_EPARSE,
	    "s.yml:3:1: ");
	expect_error_as("- a\n", "t.yml", IRMF_EPARSE,
	    "t.yml:1:1: a YAML inventory is a mapping of groups");
	/* an alias bomb is bounded, not followed for ever */
	{
		char buf[2048];
		size_t len = (size_t)snprintf(buf, sizeof(buf),
		    "x: &a0 {hosts: {h: }}\n");

		for (int i = 1; i < 40; i++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
			    "x%d: &a%d {children: {g%da: *a%d, g%db: *a%d}}\n",
			    i, i, i, i - 1, i, i - 1);
		expect_error_as(buf, "bomb.yml", IRMF_ELIMIT, "bomb.yml:");
	}
}

static void
test_json_reader(void **state)
{
	irmf_inventory *inv;

	(void)state;
	inv = parse_as("{\"_meta\": {\"hostvars\": {\"ex01\": {\"ansible_port\":"
	    " 2222, \"ansible_user\": \"CONTOSO\\\\svc\"}, \"lone\": {}}},\n"
	    " \"all\": {\"children\": [\"ungrouped\", \"exchange\"]},\n"
	    " \"exchange\": {\"hosts\": [\"ex01\", \"ex02\"],"
	    " \"vars\": {\"ansible_host\": null}},\n"
	    " \"connector\": [\"rms1\"]}\n", "inv.json");
	assert_string_equal(inv->format, "json");
	assert_int_equal(inv->nhosts, 4);
	assert_int_equal(host(inv, "ex01")->port, 2222);
	assert_string_equal(host(inv, "ex01")->user, "CONTOSO\\svc");
	assert_string_equal(host(inv, "ex01")->source[IRMF_INV_PORT],
	    "inv.json:_meta.hostvars.ex01.ansible_port");
	assert_int_equal(host(inv, "rms1")->roles, IRMF_ROLE_CONNECTOR);
	assert_int_equal(host(inv, "lone")->roles, 0);
	irmf_inventory_free(inv);
	/* a YAML inventory written as JSON goes to the YAML reader */
	inv = parse_as("{\"all\": {\"children\": {\"fci\": {\"hosts\": "
	    "{\"fs01\": {\"ansible_port\": 23}}}}}}", "y.json");
	assert_int_equal(host(inv, "fs01")->port, 23);
	assert_int_equal(host(inv, "fs01")->roles, IRMF_ROLE_FCI);
	irmf_inventory_free(inv);
	expect_error_as("{\"all\": {\"hosts\": [1]}}", "n.json", IRMF_EPARSE,
	    "n.json:all.hosts[0]: expected a name");
	expect_error_as("{\"all\": ", "b.json", IRMF_EPARSE, "b.json:1:");
	expect_error_as("[1]", "a.json", IRMF_EPARSE, "expected a JSON object");
}

/* ansible_connection, the key file and the ssh args */
static void
test_reported_settings(void **state)
{
	irmf_inventory *inv;

	(void)state;
	inv = parse_ok("[exchange]\nex01 ansible_connection=winrm\n"
	    "ex02 ansible_connection=ssh\nex03 ansible_connection=local\n"
	    "ex04 ansible_ssh_private_key_file=~/.ssh/ex.pem\n"
	    "[exchange:vars]\nansible_ssh_common_args=-o ProxyJump=bastion\n"
	    "ansible_ssh_extra_args=-v\n");
	assert_non_null(strstr(host(inv, "ex01")->skip, "export-script"));
	assert_null(host(inv, "ex02")->skip);
	assert_non_null(strstr(host(inv, "ex03")->skip, "is not SSH"));
	assert_string_equal(host(inv, "ex04")->identity, "~/.ssh/ex.pem");
	assert_string_equal(host(inv, "ex04")->source[IRMF_INV_IDENTITY],
	    "inv.ini:5");
	assert_null(host(inv, "ex01")->source[IRMF_INV_IDENTITY]);
	assert_true(has_warning(inv, "host 'ex01' is not collected: "
	    "ansible_connection=winrm (inv.ini:2)"));
	/* said once per place, not once per host */
	assert_true(has_warning(inv, "inv.ini:7: ansible_ssh_common_args "
	    "'-o ProxyJump=bastion' is not applied"));
	assert_true(has_warning(inv, "inv.ini:8: ansible_ssh_extra_args"));
	assert_int_equal(irmf_inventory_warning_count(inv), 4);
	irmf_inventory_free(inv);
}

static void
write_file(const char *dir, const char *rel, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

/* group_vars/all over the inventory's child group, group_vars/<g> over
 * group_vars/all, host vars over group_vars, host_vars/ over host vars;
 * directories read sorted; vault files said, not read */
static void
test_vars_dirs_precedence(void **state)
{
	char *dir = tu_tempdir(), path[1024];
	irmf_inventory *inv = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s/group_vars", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/group_vars/exchange", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/host_vars", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	write_file(dir, "inv.ini", "[exchange]\nex01\nex02 ansible_port=2002\n"
	    "ex03 ansible_port=2003\n[fci]\nfs01\n"
	    "[exchange:vars]\nansible_user=inv\nansible_port=2000\n");
	write_file(dir, "group_vars/all.yml", "ansible_user: gv_all\n"
	    "ansible_host: 10.0.0.9\n");
	write_file(dir, "group_vars/exchange/10-a.yml", "ansible_port: 2100\n");
	write_file(dir, "group_vars/exchange/20-b", "ansible_port: 2200\n");
	write_file(dir, "group_vars/exchange/30-c.txt", "ansible_port: 1\n");
	write_file(dir, "group_vars/exchange/.hidden.yml", "ansible_port: 1\n");
	write_file(dir, "group_vars/fci.yml", "$ANSIBLE_VAULT;1.1;AES256\n00\n");
	write_file(dir, "host_vars/ex03.yaml", "ansible_port: 2303\n");
	snprintf(path, sizeof(path), "%s/inv.ini", dir);
	assert_int_equal(irmf_inventory_load(&inv, path), 0);
	assert_string_equal(host(inv, "ex01")->user, "gv_all");
	assert_string_equal(host(inv, "ex01")->source[IRMF_INV_USER],
	    "group_vars/all.yml:1");
	assert_int_equal(host(inv, "ex01")->port, 2200);
	assert_string_equal(host(inv, "ex01")->source[IRMF_INV_PORT],
	    "group_vars/exchange/20-b:1");
	assert_int_equal(host(inv, "ex02")->port, 2002);
	assert_int_equal(host(inv, "ex03")->port, 2303);
	assert_string_equal(host(inv, "fs01")->address, "10.0.0.9");
	assert_true(has_warning(inv, "group_vars/fci.yml: vault-encrypted"));
	irmf_inventory_free(inv);
	/* a bad value in a vars file names that file's line */
	write_file(dir, "host_vars/ex01", "\nansible_port: none\n");
	assert_int_equal(irmf_inventory_load(&inv, path), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message,
	    "host_vars/ex01:2: bad port 'none' for host 'ex01'"));
	tu_rmtree(dir);
	free(dir);
}

/* the three example forms of one fleet resolve alike */
static void
test_example_forms_agree(void **state)
{
	static const char *const forms[] = { "inventory.yml", "inventory.ini",
	    "inventory.json" };
	irmf_inventory *inv[3];
	char path[1024];

	(void)state;
	for (int f = 0; f < 3; f++) {
		snprintf(path, sizeof(path), "%s/examples/%s", IRMF_SOURCE_DIR,
		    forms[f]);
		if (irmf_inventory_load(&inv[f], path) != 0)
			fail_msg("%s: %s", path, irmf_error_last()->message);
	}
	assert_int_equal(inv[0]->nhosts, 9);
	for (int f = 1; f < 3; f++) {
		assert_int_equal(inv[f]->nhosts, inv[0]->nhosts);
		for (size_t i = 0; i < inv[0]->nhosts; i++) {
			const irmf_inv_host *a = &inv[0]->hosts[i];
			const irmf_inv_host *b = host(inv[f], a->name);

			assert_string_equal(a->address, b->address);
			assert_int_equal(a->port, b->port);
			assert_string_equal(a->user, b->user);
			assert_int_equal(a->roles, b->roles);
			assert_true((a->identity == NULL) == (b->identity == NULL));
			assert_true((a->skip == NULL) == (b->skip == NULL));
			if (a->irm_test_sender || b->irm_test_sender)
				assert_string_equal(a->irm_test_sender,
				    b->irm_test_sender);
		}
	}
	for (int f = 0; f < 3; f++)
		irmf_inventory_free(inv[f]);
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
		cmocka_unit_test(test_ini_values_as_ansible_reads_them),
		cmocka_unit_test(test_yaml_reader),
		cmocka_unit_test(test_json_reader),
		cmocka_unit_test(test_reported_settings),
		cmocka_unit_test(test_vars_dirs_precedence),
		cmocka_unit_test(test_example_forms_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
