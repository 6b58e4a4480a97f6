/*
 * test_sshconfig.c - the OpenSSH client configuration reader
 * (collector/remote/sshconfig.c): Host patterns with wildcards and
 * negation, Match host/all and unsupported Match criteria, Include (globs,
 * relative to ~/.ssh, nesting limit, state restored after it), first value
 * wins, % tokens, ProxyJump hops, unsupported keywords, and errors that
 * name file:line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "error.h"
#include "irmfleet/errors.h"
#include "sshconfig.h"

static irmf_sshcfg *
parse(const char *text)
{
	irmf_sshcfg *c = NULL;
	irmf_sshcfg_env env = { "/home/adm", "/home/adm/.ssh" };

	assert_int_equal(irmf_sshcfg_parse(&c, text, strlen(text), "cfg",
	    &env), 0);
	return c;
}

/* The error message of a config that must not parse. */
static const char *
parse_error(const char *text)
{
	irmf_sshcfg *c = NULL;

	assert_int_not_equal(irmf_sshcfg_parse(&c, text, strlen(text), "cfg",
	    NULL), 0);
	assert_null(c);
	return irmf_error_last()->message;
}

static void
test_host_patterns(void **state)
{
	irmf_sshcfg *c = parse(
	    "# fleet\n"
	    "Host ex?? !ex99 sp*\n"
	    "  HostName 10.0.0.%h\n"
	    "  User svc\n"
	    "Host *\n"
	    "  User fallback\n"
	    "  Port 2222\n");
	irmf_sshcfg_host h;

	(void)state;
	assert_int_equal(irmf_sshcfg_lookup(c, "EX01", &h), 0);
	assert_string_equal(h.hostname.value, "10.0.0.%h");
	assert_string_equal(h.user.value, "svc");   /* first wins */
	assert_int_equal(h.user.line, 4);
	assert_string_equal(h.port.value, "2222");
	assert_string_equal(h.port.file, "cfg");
	irmf_sshcfg_host_clear(&h);
	/* a negated pattern rules the line out even though ex?? matches */
	assert_int_equal(irmf_sshcfg_lookup(c, "ex99", &h), 0);
	assert_null(h.hostname.value);
	assert_string_equal(h.user.value, "fallback");
	irmf_sshcfg_host_clear(&h);
	assert_int_equal(irmf_sshcfg_lookup(c, "ex100", &h), 0);
	assert_null(h.hostname.value);
	irmf_sshcfg_host_clear(&h);
	assert_int_equal(irmf_sshcfg_lookup(c, "sp-farm", &h), 0);
	assert_string_equal(h.user.value, "svc");
	irmf_sshcfg_host_clear(&h);
	irmf_sshcfg_free(c);
}

static void
test_match(void **state)
{
	irmf_sshcfg *c = parse(
	    "Host alias\n"
	    "  HostName real.contoso.com\n"
	    "Match host *.contoso.com,!bad.contoso.com\n"
	    "  User contoso\n"
	    "Match exec \"true\"\n"
	    "  ProxyJump evil\n"
	    "Match all\n"
	    "  Port 2200\n");
	irmf_sshcfg_host h;

	(void)state;
	assert_int_equal(irmf_sshcfg_warning_count(c), 1);
	assert_non_null(strstr(irmf_sshcfg_warning(c, 0), "cfg:5: Match exec "
	    "is not supported"));
	/* Match host sees the HostName obtained before it */
	assert_int_equal(irmf_sshcfg_lookup(c, "alias", &h), 0);
	assert_string_equal(h.user.value, "contoso");
	assert_null(h.proxyjump.value);   /* the unsupported block: never */
	assert_string_equal(h.port.value, "2200");
	irmf_sshcfg_host_clear(&h);
	assert_int_equal(irmf_sshcfg_lookup(c, "bad.contoso.com", &h), 0);
	assert_null(h.user.value);
	assert_string_equal(h.port.value, "2200");
	irmf_sshcfg_host_clear(&h);
	irmf_sshcfg_free(c);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void
test_include(void **state)
{
	char *dir = tu_tempdir();
	char text[8192];
	irmf_sshcfg *c = NULL;
	irmf_sshcfg_env env = { "/nonexistent", dir };
	irmf_sshcfg_host h;

	(void)state;
	write_file(dir, "a.conf", "Host ex01\n  Port 2201\nHost *\n  User a\n");
	write_file(dir, "b.conf", "User b\nIdentityFile ~/b_key\n");
	write_file(dir, "loop.conf", "Include loop.conf\n");
	/* relative to ~/.ssh (the env's ssh_dir), globbed in order; b.conf
	 * included from an inactive Host line gives nothing, and the state
	 * before an Include comes back after it */
	snprintf(text, sizeof(text),
	    "Host ex01\n"
	    "  Include ?.conf\n"
	    "  HostName after-include\n"
	    "Host nomatch\n"
	    "  Include b.conf\n"
	    "Host *\n"
	    "  IdentityFile %%d/.ssh/id_%%h\n");
	assert_int_equal(irmf_sshcfg_parse(&c, text, strlen(text), "main",
	    &env), 0);
	assert_int_equal(irmf_sshcfg_lookup(c, "ex01", &h), 0);
	assert_string_equal(h.port.value, "2201");
	assert_string_equal(h.user.value, "a");
	assert_non_null(strstr(h.user.file, "a.conf"));
	assert_int_equal(h.user.line, 4);
	/* the include's "Host *" was active, the state after is ex01's */
	assert_string_equal(h.hostname.value, "after-include");
	/* b.conf's IdentityFile applies too: its Include line was active
	 * for ex01 (first file a.conf ends active) */
	assert_int_equal(h.nidentity, 2);
	assert_string_equal(h.identity[0].value, "~/b_key");
	assert_string_equal(h.identity[1].value, "%d/.ssh/id_%h");
	irmf_sshcfg_host_clear(&h);
	assert_int_equal(irmf_sshcfg_lookup(c, "other", &h), 0);
	assert_null(h.user.value);   /* b.conf under an inactive Host */
	assert_int_equal(h.nidentity, 1);
	irmf_sshcfg_host_clear(&h);
	irmf_sshcfg_free(c);
	/* a loop stops at the depth limit with the file:line */
	snprintf(text, sizeof(text), "Include loop.conf\n");
	assert_int_equal(irmf_sshcfg_parse(&c, text, strlen(text), "main",
	    &env), IRMF_ELIMIT);
	assert_non_null(strstr(irmf_error_last()->message, "loop.conf:1: "
	    "Include nested deeper"));
	tu_rmtree(dir);
	free(dir);
}

static void
test_tokens(void **state)
{
	irmf_sshcfg_tokens t = { "/home/adm", "adm", "10.0.0.1", "svc",
	    "ex01", 2222 };
	char *s = NULL;

	(void)state;
	assert_int_equal(irmf_sshcfg_expand("~/.ssh/%r@%h-%p_%n_%u%%", &t,
	    false, "cfg:1", &s), 0);
	assert_string_equal(s, "/home/adm/.ssh/svc@10.0.0.1-2222_ex01_adm%");
	free(s);
	assert_int_equal(irmf_sshcfg_expand("%d/k", &t, false, "cfg:1", &s),
	    0);
	assert_string_equal(s, "/home/adm/k");
	free(s);
	assert_int_equal(irmf_sshcfg_expand("%h.contoso.com", &t, true,
	    "cfg:2", &s), 0);
	assert_string_equal(s, "10.0.0.1.contoso.com");
	free(s);
	/* HostName knows only %h and %% */
	assert_int_not_equal(irmf_sshcfg_expand("%r.x", &t, true, "cfg:3",
	    &s), 0);
	assert_non_null(strstr(irmf_error_last()->message, "cfg:3: token "
	    "'%r'"));
	assert_int_not_equal(irmf_sshcfg_expand("%z", &t, false, "cfg:4", &s),
	    0);
}

static void
test_jumps(void **state)
{
	irmf_sshcfg_hop *h;
	size_t n;

	(void)state;
	assert_int_equal(irmf_sshcfg_parse_jumps("adm@bastion:2222,"
	    "ssh://gw,[::1]:22", "cfg:1", &h, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(h[0].user, "adm");
	assert_string_equal(h[0].host, "bastion");
	assert_int_equal(h[0].port, 2222);
	assert_null(h[1].user);
	assert_string_equal(h[1].host, "gw");
	assert_int_equal(h[1].port, 0);
	assert_string_equal(h[2].host, "::1");
	assert_int_equal(h[2].port, 22);
	irmf_sshcfg_hops_free(h, n);
	assert_int_equal(irmf_sshcfg_parse_jumps("none", "x", &h, &n), 0);
	assert_int_equal(n, 0);
	assert_int_not_equal(irmf_sshcfg_parse_jumps("a,,b", "cfg:7", &h, &n),
	    0);
	assert_non_null(strstr(irmf_error_last()->message, "cfg:7"));
	assert_int_not_equal(irmf_sshcfg_parse_jumps("gw:99999", "x", &h, &n),
	    0);
}

static void
test_unsupported_keywords(void **state)
{
	irmf_sshcfg *c = parse(
	    "Host ex01\n"
	    "  ProxyCommand ssh -W %h:%p gw\n"
	    "  HostKeyAlias other\n"
	    "  ServerAliveInterval 30\n"   /* harmless: not reported */
	    "  StrictHostKeyChecking accept-new\n"
	    "  ConnectTimeout 2m\n"
	    "  IdentitiesOnly=yes\n"
	    "  UserKnownHostsFile \"/tmp/my hosts\"\n");
	irmf_sshcfg_host h;

	(void)state;
	assert_int_equal(irmf_sshcfg_lookup(c, "ex01", &h), 0);
	assert_int_equal(h.nunsupported, 2);
	assert_string_equal(h.unsupported[0].keyword, "ProxyCommand");
	assert_string_equal(h.unsupported[0].value, "ssh -W %h:%p gw");
	assert_int_equal(h.unsupported[0].line, 2);
	assert_string_equal(h.unsupported[1].keyword, "HostKeyAlias");
	assert_string_equal(h.strict.value, "accept-new");
	assert_string_equal(h.connect_timeout.value, "120");
	assert_string_equal(h.identities_only.value, "yes");
	assert_string_equal(h.known_hosts.value, "/tmp/my hosts");
	irmf_sshcfg_host_clear(&h);
	irmf_sshcfg_free(c);
}

static void
test_errors_name_file_line(void **state)
{
	(void)state;
	assert_non_null(strstr(parse_error("Host a\n  Port 0\n"),
	    "cfg:2: bad port '0'"));
	assert_non_null(strstr(parse_error("\n\nPort abc\n"),
	    "cfg:3: bad port"));
	assert_non_null(strstr(parse_error("HostName\n"),
	    "cfg:1: HostName needs a value"));
	assert_non_null(strstr(parse_error("Host\n"), "cfg:1: Host needs"));
	assert_non_null(strstr(parse_error("Match\n"), "cfg:1: Match needs"));
	assert_non_null(strstr(parse_error("User \"svc\n"),
	    "cfg:1: unterminated"));
	assert_non_null(strstr(parse_error("IdentitiesOnly maybe\n"),
	    "cfg:1: IdentitiesOnly"));
	assert_non_null(strstr(parse_error("StrictHostKeyChecking x\n"),
	    "cfg:1: StrictHostKeyChecking"));
	assert_non_null(strstr(parse_error("ConnectTimeout 0\n"),
	    "cfg:1: ConnectTimeout"));
	assert_non_null(strstr(parse_error("ProxyJump a@\n"), "cfg:1:"));
	assert_non_null(strstr(parse_error("Include\n"), "cfg:1: Include"));
}

static void
test_binary_refused(void **state)
{
	irmf_sshcfg *c = NULL;

	(void)state;
	assert_int_equal(irmf_sshcfg_parse(&c, "User a\0b\n", 9, "cfg", NULL),
	    IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "cfg: not a text"));
}

static void
test_load_missing(void **state)
{
	irmf_sshcfg *c = NULL;
	irmf_sshcfg_host h;

	(void)state;
	/* the default file may be absent; -F FILE must exist */
	assert_int_equal(irmf_sshcfg_load(&c, "/nonexistent/config", false,
	    NULL), 0);
	assert_int_equal(irmf_sshcfg_lookup(c, "x", &h), 0);
	assert_null(h.user.value);
	irmf_sshcfg_free(c);
	assert_int_equal(irmf_sshcfg_load(&c, "/nonexistent/config", true,
	    NULL), IRMF_ENOTFOUND);
	assert_null(c);
}

/* examples/ssh_config resolves as its comments say. */
static void
test_example_config(void **state)
{
	irmf_sshcfg *c = NULL;
	irmf_sshcfg_host h;
	irmf_sshcfg_env env = { "/home/adm", "/home/adm/.ssh" };

	(void)state;
	assert_int_equal(irmf_sshcfg_load(&c, IRMF_SOURCE_DIR
	    "/examples/ssh_config", true, &env), 0);
	assert_int_equal(irmf_sshcfg_warning_count(c), 0);
	assert_int_equal(irmf_sshcfg_lookup(c, "ex07", &h), 0);
	assert_string_equal(h.hostname.value, "%h.corp.contoso.com");
	assert_string_equal(h.user.value, "CONTOSO\\svc-irm");
	assert_string_equal(h.proxyjump.value, "bastion");
	assert_int_equal(h.nidentity, 1);
	assert_string_equal(h.identities_only.value, "yes");
	assert_string_equal(h.connect_timeout.value, "20");
	assert_string_equal(h.known_hosts.value, "~/.ssh/known_hosts.contoso");
	irmf_sshcfg_host_clear(&h);
	assert_int_equal(irmf_sshcfg_lookup(c, "rmscon01", &h), 0);
	assert_string_equal(h.hostname.value, "%h.dmz.contoso.com");
	assert_string_equal(h.proxyjump.value,
	    "bastion,svc@jump2.dmz.contoso.com:22");
	assert_null(h.user.value);
	irmf_sshcfg_host_clear(&h);
	assert_int_equal(irmf_sshcfg_lookup(c, "bastion", &h), 0);
	assert_string_equal(h.port.value, "2222");
	assert_null(h.proxyjump.value);
	irmf_sshcfg_host_clear(&h);
	irmf_sshcfg_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_patterns),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_jumps),
		cmocka_unit_test(test_unsupported_keywords),
		cmocka_unit_test(test_errors_name_file_line),
		cmocka_unit_test(test_load_missing),
		cmocka_unit_test(test_binary_refused),
		cmocka_unit_test(test_example_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
