/*
 * test_plan.c - the per-role command plan (collector/collect/plan.c): which
 * commands each role gets, their exact text, PowerShell's -EncodedCommand
 * encoding, and the limits of cmd.exe's command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "testutil.h"
#include "plan.h"
#include "detect.h"
#include "error.h"
#include "irmfleet/collect.h"
#include "irmfleet/snapshot.h"

static const irmf_plan_cmd *
find(const irmf_plan *p, const char *item)
{
	for (size_t i = 0; i < p->ncmds; i++)
		if (strcmp(p->cmds[i].item, item) == 0)
			return &p->cmds[i];
	return NULL;
}

/* Decode "powershell.exe ... -EncodedCommand B64" back to the script. */
static char *
decode_ps(const char *cmd)
{
	const char *b64 = strstr(cmd, "-EncodedCommand ");
	size_t n;
	unsigned char *u16;
	char *s;
	int len;

	assert_non_null(b64);
	b64 += 16;
	n = strlen(b64);
	u16 = malloc(n);
	assert_non_null(u16);
	len = EVP_DecodeBlock(u16, (const unsigned char *)b64, (int)n);
	assert_true(len > 0);
	while (len > 0 && n > 0 && b64[n - 1] == '=') {   /* padding */
		len--;
		n--;
	}
	assert_int_equal(len % 2, 0);
	s = malloc((size_t)len / 2 + 1);
	assert_non_null(s);
	for (int i = 0; i < len / 2; i++) {
		assert_int_equal(u16[2 * i + 1], 0);   /* ASCII in UTF-16LE */
		s[i] = (char)u16[2 * i];
	}
	s[len / 2] = '\0';
	free(u16);
	return s;
}

static void
test_exchange_plan(void **state)
{
	irmf_plan *p;
	const irmf_plan_cmd *c;
	char *script;

	(void)state;
	assert_int_equal(irmf_plan_build(&p, IRMF_ROLE_EXCHANGE, 500), 0);
	c = find(p, "registry:HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\"
	    "ExchangeServer\\v15\\IRM");
	assert_non_null(c);
	assert_string_equal(c->command, "reg query \"HKEY_LOCAL_MACHINE\\"
	    "SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM\" /s");
	assert_string_equal(c->format, "regquery");
	assert_non_null(find(p, "registry:HKEY_LOCAL_MACHINE\\SOFTWARE\\"
	    "Microsoft\\MSDRM\\ServiceLocation"));
	c = find(p, "irm-config");
	assert_non_null(c);
	assert_string_equal(c->format, "clixml");
	assert_int_equal(strncmp(c->command, "powershell.exe -NoProfile "
	    "-NonInteractive -EncodedCommand ", 56), 0);
	script = decode_ps(c->command);
	assert_string_equal(script, c->script);
	assert_non_null(strstr(script, "$ErrorActionPreference='Stop'"));
	assert_non_null(strstr(script, "Add-PSSnapin"));
	assert_non_null(strstr(script, "Get-IRMConfiguration"));
	assert_non_null(strstr(script, "Export-Clixml"));
	free(script);
	c = find(p, "files");
	assert_non_null(c);
	assert_string_equal(c->fail_items[0], "file:msdrm.dll");
	assert_string_equal(c->fail_items[1], "file:ExSetup.exe");
	assert_null(c->fail_items[2]);
	assert_non_null(find(p, "exchange-server"));
	assert_non_null(find(p, "groups"));
	assert_non_null(find(p, "probes"));
	/* no connector items on an Exchange server */
	assert_null(find(p, "events"));
	irmf_plan_free(p);
}

static void
test_connector_plan(void **state)
{
	irmf_plan *p;
	const irmf_plan_cmd *c;

	(void)state;
	assert_int_equal(irmf_plan_build(&p, IRMF_ROLE_CONNECTOR, 42), 0);
	/* existence check, reg, three event queries */
	assert_int_equal(p->ncmds, 5);
	c = find(p, "registry:HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\AADRM\\"
	    "Connector");
	assert_non_null(c);
	/* only the proxy value: the key also holds the connector's tokens */
	assert_string_equal(c->command, "reg query \"HKEY_LOCAL_MACHINE\\"
	    "SOFTWARE\\Microsoft\\AADRM\\Connector\" /v ProxyAddress");
	assert_null(find(p, "events"));
	irmf_plan_free(p);
}

/* The connector's events come in one query per group of IDs, filtered by
 * ID (an XPath filter, not only the newest N), so the 96 list refreshes
 * (1004) a day cannot push the rare 1002s out of what is read; each
 * query's failure counts as the "events" item's, and each knows its IDs
 * and cap so its window can be recorded. */
static void
test_event_queries(void **state)
{
	static const char *const want[][3] = {
	    { "events:access", "1000 1001 1002 1003", "EventID=1000 or "
	      "EventID=1001 or EventID=1002 or EventID=1003" },
	    { "events:refresh", "1004", "EventID=1004" },
	    { "events:problems", "2000 2001 2002 2003 3000 3001",
	      "EventID=2000 or EventID=2001 or EventID=2002 or EventID=2003 "
	      "or EventID=3000 or EventID=3001" },
	};
	irmf_plan *p;

	(void)state;
	assert_int_equal(irmf_plan_build(&p, IRMF_ROLE_CONNECTOR, 42), 0);
	for (size_t i = 0; i < 3; i++) {
		const irmf_plan_cmd *c = find(p, want[i][0]);
		char cmd[512];
		assert_non_null(c);
		assert_string_equal(c->format, "evtxml");
		snprintf(cmd, sizeof(cmd), "wevtutil qe Application /q:\"*["
		    "System[Provider[@Name='Microsoft RMS connector'] and "
		    "(%s)]]\" /f:xml /rd:true /c:42", want[i][2]);
		assert_string_equal(c->command, cmd);
		assert_string_equal(c->event_ids, want[i][1]);
		assert_int_equal(c->event_cap, 42);
		assert_string_equal(c->fail_items[0], "events");
		assert_null(c->fail_items[1]);
	}
	irmf_plan_free(p);
}

/* Only connector hosts are probed: on Exchange the MSDRM values hold the
 * tenant URL, which a server without direct internet access cannot reach
 * and need not (the redirection keys send it to the connector). */
static void
test_probe_skips_rms_hosts(void **state)
{
	irmf_plan *p;
	char *script;

	(void)state;
	assert_int_equal(irmf_plan_build(&p, IRMF_ROLE_EXCHANGE, 1), 0);
	script = decode_ps(find(p, "probes")->command);
	assert_non_null(strstr(script, "-notmatch "
	    "'(^|\\.)(aadrm|azurerms)\\.(com|us|cn)$'"));
	/* the URL probed is recorded with the result */
	assert_non_null(strstr(script, "Url=$t"));
	free(script);
	irmf_plan_free(p);
}

static void
test_sharepoint_and_fci(void **state)
{
	irmf_plan *p;
	const irmf_plan_cmd *c;

	(void)state;
	assert_int_equal(irmf_plan_build(&p, IRMF_ROLE_SHAREPOINT, 1), 0);
	assert_non_null(find(p, "registry:HKEY_LOCAL_MACHINE\\SOFTWARE\\"
	    "Wow6432Node\\Microsoft\\MSIPC\\ServiceLocation"));
	assert_null(find(p, "irm-config"));
	c = find(p, "files");
	assert_string_equal(c->fail_items[1], "file:msipc.dll");
	irmf_plan_free(p);
	assert_int_equal(irmf_plan_build(&p, IRMF_ROLE_FCI, 1), 0);
	c = find(p, "files");
	assert_string_equal(c->fail_items[0], "file:msdrm.dll");
	assert_null(c->fail_items[1]);
	assert_null(find(p, "exchange-server"));
	irmf_plan_free(p);
}

/* Groups from the computer's token with their scope (issue 15 #10);
 * msipc.dll from MSIPC's InstallLocation, translated on localized
 * Windows (issue 10 #8); the MSIPC\Server ACL read-only on Exchange
 * (issue 15 #13). */
static void
test_groups_msipc_acl(void **state)
{
	irmf_plan *p;
	const irmf_plan_cmd *c;

	(void)state;
	assert_int_equal(irmf_plan_build(&p, IRMF_ROLE_SHAREPOINT, 1), 0);
	c = find(p, "groups");
	assert_non_null(c);
	assert_non_null(strstr(c->script, "RefreshCache([string[]]"
	    "@('tokenGroups'))"));
	assert_non_null(strstr(c->script, "Translate([Security.Principal."
	    "NTAccount])"));
	assert_non_null(strstr(c->script, "$sc='direct'"));
	assert_non_null(strstr(c->script, "Scope=$sc"));
	c = find(p, "files");
	assert_non_null(strstr(c->script, "HKLM:\\SOFTWARE\\Microsoft\\MSIPC\\"
	    "CurrentVersion' -EA SilentlyContinue).InstallLocation"));
	assert_non_null(strstr(c->script, "if(-not $m){$m=\"$env:ProgramFiles"
	    "\\Active Directory Rights Management Services Client 2.1\"}"));
	assert_non_null(strstr(c->script, "(Join-Path $m 'msipc.dll')"));
	assert_null(find(p, IRMF_PLAN_MSIPC_ACL_ITEM));
	irmf_plan_free(p);

	assert_int_equal(irmf_plan_build(&p, IRMF_ROLE_EXCHANGE, 1), 0);
	assert_null(strstr(find(p, "files")->script, "msipc.dll"));
	c = find(p, IRMF_PLAN_MSIPC_ACL_ITEM);
	assert_non_null(c);
	assert_string_equal(c->format, "clixml");
	assert_non_null(strstr(c->script, "(Get-Acl -LiteralPath $k).Sddl"));
	assert_non_null(strstr(c->script, "PSTypeName='irmfleet.KeyAcl'"));
	/* read-only: nothing that writes an ACL or a value */
	assert_null(strstr(c->script, "Set-Acl"));
	assert_null(strstr(c->script, "Set-Item"));
	irmf_plan_free(p);
}

/* Test-IRMConfiguration in collect, only with a sender (issue 15 #15):
 * its text goes to the irmtest-text parser; the sender is checked before
 * it is put into PowerShell. */
static void
test_irm_test_item(void **state)
{
	irmf_plan *p;
	const irmf_plan_cmd *c;
	char *script;

	(void)state;
	assert_int_equal(irmf_plan_build(&p, IRMF_ROLE_EXCHANGE, 1), 0);
	assert_null(find(p, "irm-test"));
	assert_int_equal(irmf_plan_add_irm_test(p, "admin@contoso.com"), 0);
	c = find(p, "irm-test");
	assert_non_null(c);
	assert_string_equal(c->format, "irmtest-text");
	assert_true(strlen(c->command) < 8191);
	script = decode_ps(c->command);
	assert_non_null(strstr(script, "Add-PSSnapin"));
	assert_non_null(strstr(script, "Test-IRMConfiguration -Sender "
	    "'admin@contoso.com'|Format-List Results|Out-String -Width 4096"));
	free(script);
	assert_int_equal(irmf_plan_add_irm_test(p, "a'b@contoso.com"),
	    IRMF_EUSAGE);
	assert_int_equal(irmf_plan_add_irm_test(p, "x@y$(calc)"), IRMF_EUSAGE);
	assert_int_equal(irmf_plan_add_irm_test(p, "nobody"), IRMF_EUSAGE);
	assert_int_equal(irmf_plan_add_irm_test(p, "@contoso.com"),
	    IRMF_EUSAGE);
	irmf_plan_free(p);
	assert_int_equal(irmf_plan_build(&p, IRMF_ROLE_FCI, 1), 0);
	assert_int_equal(irmf_plan_add_irm_test(p, "admin@contoso.com"),
	    IRMF_EUSAGE);
	irmf_plan_free(p);
}

/* The existence check comes first and asks about exactly the keys the
 * plan's reg queries read, read-only, without reading any value. */
static void
test_regexist_first(void **state)
{
	(void)state;
	for (unsigned roles = 1; roles < 16; roles++) {
		irmf_plan *p;
		const irmf_plan_cmd *c;
		char *script, quoted[600];
		size_t nreg = 0, nquoted = 0;

		assert_int_equal(irmf_plan_build(&p, roles, 10), 0);
		c = &p->cmds[0];
		assert_string_equal(c->item, IRMF_PLAN_REGEXIST_ITEM);
		assert_string_equal(c->format, "regexist");
		assert_int_equal(strncmp(c->command, "powershell.exe -NoProfile "
		    "-NonInteractive -EncodedCommand ", 56), 0);
		script = decode_ps(c->command);
		assert_string_equal(script, c->script);
		assert_non_null(strstr(script, "$ErrorActionPreference='Stop'"));
		assert_non_null(strstr(script, ".OpenSubKey($n,$false)"));
		assert_non_null(strstr(script, "$s.Close()"));
		assert_non_null(strstr(script, "'absent'"));
		assert_non_null(strstr(script, "'denied'"));
		assert_non_null(strstr(script, "\"$r`tHKEY_LOCAL_MACHINE\\$n`n\""));
		/* existence only: nothing that reads or changes a value */
		assert_null(strstr(script, "GetValue"));
		assert_null(strstr(script, "Get-ItemProperty"));
		assert_null(strstr(script, "SetValue"));
		assert_null(strstr(script, "CreateSubKey"));
		assert_null(strstr(script, "Delete"));
		assert_null(strstr(script, "OpenSubKey($n,$true)"));
		for (size_t i = 1; i < p->ncmds; i++) {
			const char *item = p->cmds[i].item;

			assert_string_not_equal(p->cmds[i].format,
			    "regexist");
			if (strcmp(p->cmds[i].format, "regquery") != 0)
				continue;
			nreg++;
			assert_int_equal(strncmp(item, "registry:"
			    "HKEY_LOCAL_MACHINE\\", 28), 0);
			snprintf(quoted, sizeof(quoted), "'%s'", item + 28);
			assert_non_null(strstr(script, quoted));
		}
		for (const char *q = strstr(script, "'SOFTWARE\\"); q != NULL;
		    q = strstr(q + 1, "'SOFTWARE\\"))
			nquoted++;
		assert_true(nreg > 0);
		assert_int_equal(nquoted, nreg);   /* no other key asked */
		free(script);
		irmf_plan_free(p);
	}
}

/* cmd.exe (the default shell of Windows OpenSSH) takes 8191 characters. */
static void
test_command_lines_fit_cmd_exe(void **state)
{
	(void)state;
	for (unsigned roles = 1; roles < 16; roles++) {
		irmf_plan *p;

		assert_int_equal(irmf_plan_build(&p, roles, 1000000), 0);
		assert_true(p->ncmds > 0);
		for (size_t i = 0; i < p->ncmds; i++) {
			const char *cmd = p->cmds[i].command;

			assert_true(strlen(cmd) < 8191);
			/* nothing a shell would expand or chain */
			assert_null(strpbrk(cmd, "&|<>^%\n`"));
		}
		irmf_plan_free(p);
	}
}

static void
test_encode(void **state)
{
	char *b64;

	(void)state;
	/* what [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes(
	 * 'dir')) gives */
	assert_int_equal(irmf_plan_encode_ps("dir", &b64), 0);
	assert_string_equal(b64, "ZABpAHIA");
	free(b64);
}

static void
test_bad_arguments(void **state)
{
	irmf_plan *p = (irmf_plan *)1;
	char *text;

	(void)state;
	assert_int_equal(irmf_plan_build(&p, 0, 10), IRMF_EUSAGE);
	assert_null(p);
	assert_int_equal(irmf_plan_build(&p, IRMF_ROLE_FCI, 0), IRMF_EUSAGE);
	assert_int_equal(irmf_plan_build(&p, 16, 10), IRMF_EUSAGE);
	/* the public text form, as `collect --print-plan` prints it */
	assert_int_equal(irmf_collect_plan_text(IRMF_ROLE_CONNECTOR, 7, &text),
	    0);
	assert_non_null(strstr(text, "events:access\twevtutil qe Application"));
	/* the existence check is printed too, first */
	assert_int_equal(strncmp(text, "registry-exists\tpowershell.exe ", 31),
	    0);
	assert_non_null(strstr(text, "/c:7\n"));
	free(text);
}

/* Every command of every role plan names its format by a row of the one
 * format table (collector/parse/detect.c) that collect items may name:
 * the plan keeps no list of formats of its own. */
static void
test_formats_from_table(void **state)
{
	(void)state;
	for (unsigned roles = 1; roles < 16; roles++) {
		irmf_plan *p = NULL;

		assert_int_equal(irmf_plan_build(&p, roles, 10), 0);
		if (roles & IRMF_ROLE_EXCHANGE)
			assert_int_equal(irmf_plan_add_irm_test(p,
			    "a@contoso.com"), 0);
		for (size_t i = 0; i < p->ncmds; i++) {
			const irmf_format *f =
			    irmf_format_find(p->cmds[i].format);

			assert_non_null(f);
			assert_true(f->flags & IRMF_FORMAT_COLLECT);
			/* only the existence check is read by the engine */
			assert_true((f->parse == NULL) == (strcmp(
			    p->cmds[i].item, IRMF_PLAN_REGEXIST_ITEM) == 0));
		}
		irmf_plan_free(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exchange_plan),
		cmocka_unit_test(test_connector_plan),
		cmocka_unit_test(test_event_queries),
		cmocka_unit_test(test_probe_skips_rms_hosts),
		cmocka_unit_test(test_sharepoint_and_fci),
		cmocka_unit_test(test_groups_msipc_acl),
		cmocka_unit_test(test_irm_test_item),
		cmocka_unit_test(test_regexist_first),
		cmocka_unit_test(test_command_lines_fit_cmd_exe),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_formats_from_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
