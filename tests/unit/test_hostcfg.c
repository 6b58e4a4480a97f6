/*
 * test_hostcfg.c - each host's connection settings from the command line,
 * the inventory and ssh_config (collector/collect/hostcfg.c): precedence
 * and the origin of every value, ProxyJump hops resolved through their
 * own ssh_config entries, StrictHostKeyChecking never weakened, the
 * unsupported keywords that refuse a host, and -F none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "error.h"
#include "hostcfg.h"
#include "inventory.h"

static const char inv_text[] =
    "[exchange]\n"
    "ex01\n"
    "ex02 ansible_host=10.9.9.9 ansible_port=2022 ansible_user=invuser\n"
    "ex03\n";

typedef struct fx {
	char *dir;
	char cfg[4096];
	irmf_inventory *inv;
	irmf_collect_options o;
	irmf_hostcfgs *c;
} fx;

static void
setup_fx(fx *f, const char *config)
{
	FILE *fp;

	memset(f, 0, sizeof(*f));
	f->dir = tu_tempdir();
	snprintf(f->cfg, sizeof(f->cfg), "%s/config", f->dir);
	assert_non_null(fp = fopen(f->cfg, "w"));
	fputs(config, fp);
	fclose(fp);
	assert_int_equal(irmf_inventory_parse(&f->inv, inv_text,
	    strlen(inv_text), "inv.ini"), 0);
	irmf_collect_options_init(&f->o);
	f->o.ssh_config = f->cfg;
}

static void
teardown_fx(fx *f)
{
	irmf_hostcfgs_free(f->c);
	irmf_inventory_free(f->inv);
	tu_rmtree(f->dir);
	free(f->dir);
}

static const char config[] =
    "Host ex01 ex02\n"
    "  HostName 10.0.0.1\n"       /* 2 */
    "  Port 2201\n"               /* 3 */
    "  User cfguser\n"            /* 4 */
    "  ConnectTimeout 3\n"        /* 5 */
    "  StrictHostKeyChecking no\n"/* 6 */
    "  ProxyJump gw,adm@gw2:2\n"  /* 7 */
    "Host gw\n"
    "  HostName 192.0.2.1\n"
    "  Port 2222\n"
    "  User gwuser\n"
    "Host ex03\n"
    "  ProxyCommand nc %h %p\n";  /* 13 */

static void
test_precedence_and_origins(void **state)
{
	fx f;
	const irmf_hostcfg *h;

	(void)state;
	setup_fx(&f, config);
	assert_int_equal(irmf_hostcfgs_new(&f.c, f.inv, &f.o, "local"), 0);
	/* ex01: everything from ssh_config */
	h = irmf_hostcfgs_get(f.c, 0);
	assert_string_equal(h->address, "10.0.0.1");
	assert_int_equal(h->address_from.from, IRMF_FROM_SSHCONFIG);
	assert_int_equal(h->address_from.line, 2);
	assert_int_equal(h->port, 2201);
	assert_string_equal(h->user, "cfguser");
	assert_int_equal(h->user_from.line, 4);
	assert_int_equal(h->connect_timeout_ms, 3000);
	assert_false(h->accept_new);   /* "no" is reported, not applied */
	assert_int_equal(h->nnotes, 1);
	assert_non_null(strstr(h->notes[0], "ex01 ("));
	assert_non_null(strstr(h->notes[0], ":6): StrictHostKeyChecking no "
	    "is not applied"));
	/* the hops: gw through its own entry, gw2 as written */
	assert_int_equal(h->nhops, 2);
	assert_string_equal(h->hops[0].address, "192.0.2.1");
	assert_int_equal(h->hops[0].port, 2222);
	assert_string_equal(h->hops[0].user, "gwuser");
	assert_string_equal(h->hops[0].label, "gw:2222");
	assert_string_equal(h->hops[1].address, "gw2");
	assert_int_equal(h->hops[1].port, 2);
	assert_string_equal(h->hops[1].user, "adm");
	assert_string_equal(irmf_hostcfg_dial_address(h), "192.0.2.1");
	assert_int_equal(irmf_hostcfg_dial_port(h), 2222);
	assert_null(h->refuse);
	/* ex02: the inventory wins over ssh_config */
	h = irmf_hostcfgs_get(f.c, 1);
	assert_string_equal(h->address, "10.9.9.9");
	assert_int_equal(h->address_from.from, IRMF_FROM_INVENTORY);
	/* the inventory's own file:line of the value */
	assert_string_equal(h->address_from.file, "inv.ini:3");
	assert_int_equal(h->port, 2022);
	assert_string_equal(h->user, "invuser");
	/* ex03: ProxyCommand refuses the host; defaults elsewhere */
	h = irmf_hostcfgs_get(f.c, 2);
	assert_string_equal(h->address, "ex03");
	assert_int_equal(h->address_from.from, IRMF_FROM_DEFAULT);
	assert_int_equal(h->port, 22);
	assert_string_equal(h->user, "local");
	assert_non_null(h->refuse);
	assert_non_null(strstr(h->refuse, "'ex03': ProxyCommand ("));
	assert_non_null(strstr(h->refuse, ":13) is not supported"));
	teardown_fx(&f);
}

static void
test_command_line_wins(void **state)
{
	fx f;
	const irmf_hostcfg *h;
	char from[64];

	(void)state;
	setup_fx(&f, config);
	f.o.connect_timeout_ms = 7000;
	f.o.connect_timeout_set = 1;
	f.o.accept_new = 1;
	f.o.known_hosts = "/tmp/kh";
	f.o.default_user = "cliuser";
	assert_int_equal(irmf_hostcfgs_new(&f.c, f.inv, &f.o, "local"), 0);
	h = irmf_hostcfgs_get(f.c, 0);
	assert_int_equal(h->connect_timeout_ms, 7000);
	assert_string_equal(irmf_origin_text(&h->timeout_from, from,
	    sizeof(from)), "cli");
	assert_true(h->accept_new);
	assert_int_equal(h->nnotes, 0);   /* asked for: nothing to report */
	assert_string_equal(h->known_hosts, "/tmp/kh");
	/* --user is the user for hosts the inventory names none: above
	 * ssh_config, below the inventory */
	assert_string_equal(h->user, "cliuser");
	assert_string_equal(irmf_hostcfgs_get(f.c, 1)->user, "invuser");
	teardown_fx(&f);
}

static void
test_none_and_errors(void **state)
{
	fx f;

	(void)state;
	setup_fx(&f, "Host *\n  Port 0\n");
	/* -F FILE with a bad value: the error names file:line */
	assert_int_not_equal(irmf_hostcfgs_new(&f.c, f.inv, &f.o, "local"),
	    0);
	assert_non_null(strstr(irmf_error_last()->message, "config:2: bad "
	    "port '0'"));
	irmf_hostcfgs_free(f.c);
	f.c = NULL;
	/* -F none: not read at all */
	f.o.ssh_config = "none";
	assert_int_equal(irmf_hostcfgs_new(&f.c, f.inv, &f.o, "local"), 0);
	assert_int_equal(irmf_hostcfgs_get(f.c, 0)->port, 22);
	irmf_hostcfgs_free(f.c);
	f.c = NULL;
	/* -F FILE that does not exist */
	f.o.ssh_config = "/nonexistent/ssh_config";
	assert_int_not_equal(irmf_hostcfgs_new(&f.c, f.inv, &f.o, "local"),
	    0);
	teardown_fx(&f);
}

/* UserKnownHostsFile /dev/null (ssh's "do not check") is not applied. */
static void
test_known_hosts_dev_null(void **state)
{
	fx f;
	const irmf_hostcfg *h;

	(void)state;
	setup_fx(&f, "Host ex01\n  UserKnownHostsFile ~/kh_%n\n"
	    "Host *\n  UserKnownHostsFile /dev/null\n");
	assert_int_equal(irmf_hostcfgs_new(&f.c, f.inv, &f.o, "local"), 0);
	h = irmf_hostcfgs_get(f.c, 0);
	assert_int_equal(h->known_hosts_from.from, IRMF_FROM_SSHCONFIG);
	assert_non_null(strstr(h->known_hosts, "/kh_ex01"));
	h = irmf_hostcfgs_get(f.c, 2);
	assert_string_not_equal(h->known_hosts, "/dev/null");
	assert_int_equal(h->known_hosts_from.from, IRMF_FROM_DEFAULT);
	assert_int_equal(h->nnotes, 1);
	assert_non_null(strstr(h->notes[0], ":4): UserKnownHostsFile "
	    "/dev/null is not applied"));
	teardown_fx(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precedence_and_origins),
		cmocka_unit_test(test_command_line_wins),
		cmocka_unit_test(test_none_and_errors),
		cmocka_unit_test(test_known_hosts_dev_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
