/*
 * test_psdoc.c - the export document reader (collector/parse/psdoc.c):
 * every item status (ok, absent, denied, failed, skipped), typed registry
 * values, the unnamed default value apart from a value named
 * "(default)", base64 text, the stdout markers, documents cut short
 * (incomplete, never "absent"), another format version, garbage, and the
 * generated fleet fixtures; plus the export script generator
 * (collector/collect/psscript.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "coverage.h"
#include "detect.h"
#include "error.h"
#include "irmfleet/exportscript.h"
#include "psdoc.h"
#include "snapshot_int.h"

#define H "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\"

/* A document for EX01 with the given items and <end items=n>. */
static char *
doc(const char *items, int n)
{
	static const char fmt[] =
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
	    "<irmfleetExport xmlns=\"urn:irmfleet:export:1\" formatVersion=\"1\""
	    " scriptVersion=\"1.0\">\r\n"
	    "  <server name=\"EX01\" fqdn=\"ex01.contoso.com\" roles=\"exchange\" />\r\n"
	    "  <run collectedAt=\"2024-05-02T09:00:00Z\" via=\"ssh\" "
	    "psVersion=\"5.1.17763.1\" languageMode=\"FullLanguage\" />\r\n"
	    "%s"
	    "  <end items=\"%d\" />\r\n"
	    "</irmfleetExport>\r\n";
	size_t cap = sizeof(fmt) + strlen(items) + 16;
	char *s = malloc(cap);

	assert_non_null(s);
	snprintf(s, cap, fmt, items, n);
	return s;
}

static int
parse(irmf_snapshot **out, const char *text)
{
	assert_int_equal(irmf_snapshot_new(out, "EX01"), 0);
	return irmf_psdoc_parse(*out, text, strlen(text), "ex01.xml");
}

static const char reg_items[] =
    "  <item id=\"registry:" H "MSDRM\\ServiceLocation\" kind=\"registry\" status=\"ok\">\n"
    "    <key path=\"" H "MSDRM\\ServiceLocation\\Activation\">\n"
    "      <value name=\"\" kind=\"String\"><data>https://tenant/_wmcs/certification</data></value>\n"
    "      <value name=\"(default)\" kind=\"String\"><data>gpo</data></value>\n"
    "      <value name=\"x\" kind=\"ExpandString\"><data>%windir%\\a</data></value>\n"
    "      <value name=\"d\" kind=\"DWord\"><data>4294967295</data></value>\n"
    "      <value name=\"q\" kind=\"QWord\"><data>18446744073709551615</data></value>\n"
    "      <value name=\"m\" kind=\"MultiString\"><data>a</data><data></data><data>c</data></value>\n"
    "      <value name=\"b\" kind=\"Binary\"><data>00ff10</data></value>\n"
    "      <value name=\"n\" kind=\"None\"><data></data></value>\n"
    "      <value name=\"e\" kind=\"String\"><data encoding=\"base64\">YQFi</data></value>\n"
    "    </key>\n"
    "  </item>\n"
    "  <item id=\"registry:" H "MSIPC\\ServiceLocation\" kind=\"registry\" status=\"absent\" />\n";

static void
test_typed_values(void **state)
{
	irmf_snapshot *s;
	char *d = doc(reg_items, 2);
	irmf_reg_key *k;
	irmf_reg_value *v;

	(void)state;
	assert_int_equal(parse(&s, d), 0);
	assert_int_equal(s->roles, IRMF_ROLE_EXCHANGE);
	assert_string_equal(s->fqdn, "ex01.contoso.com");
	k = irmf_snapshot_reg_find(s, H "MSDRM\\ServiceLocation\\Activation");
	assert_non_null(k);
	assert_int_equal(k->nvalues, 9);
	/* the unnamed default and a value literally named (default) */
	v = irmf_reg_key_find_value(k, "");
	assert_int_equal(v->type, IRMF_REG_SZ);
	assert_string_equal(v->str, "https://tenant/_wmcs/certification");
	v = irmf_reg_key_find_value(k, "(default)");
	assert_non_null(v);
	assert_string_equal(v->str, "gpo");
	v = irmf_reg_key_find_value(k, "x");
	assert_int_equal(v->type, IRMF_REG_EXPAND_SZ);
	assert_string_equal(v->str, "%windir%\\a");
	v = irmf_reg_key_find_value(k, "d");
	assert_int_equal(v->type, IRMF_REG_DWORD);
	assert_true(v->num == 4294967295u);
	v = irmf_reg_key_find_value(k, "q");
	assert_int_equal(v->type, IRMF_REG_QWORD);
	assert_true(v->num == UINT64_MAX);
	v = irmf_reg_key_find_value(k, "m");
	assert_int_equal(v->type, IRMF_REG_MULTI_SZ);
	assert_int_equal(v->nmulti, 3);
	assert_string_equal(v->multi[1], "");
	assert_string_equal(v->multi[2], "c");
	v = irmf_reg_key_find_value(k, "b");
	assert_int_equal(v->type, IRMF_REG_BINARY);
	assert_int_equal(v->nbin, 3);
	assert_int_equal(v->bin[1], 0xff);
	v = irmf_reg_key_find_value(k, "n");
	assert_int_equal(v->type, IRMF_REG_NONE);
	assert_int_equal(v->nbin, 0);
	/* text XML cannot carry arrives base64 */
	v = irmf_reg_key_find_value(k, "e");
	assert_string_equal(v->str, "a\001b");
	/* an absent key is nothing, not an error */
	assert_null(irmf_snapshot_reg_find(s, H "MSIPC\\ServiceLocation"));
	assert_int_equal(s->nerrors, 0);
	irmf_snapshot_free(s);
	free(d);
}

static const char status_items[] =
    "  <item id=\"registry:" H "AADRM\\Connector\" kind=\"registry\" status=\"denied\">\n"
    "    <error errorId=\"System.Security.SecurityException\" hresult=\"0x8013150A\""
    " type=\"System.Security.SecurityException\" message=\"Requested registry access is not allowed.\" />\n"
    "  </item>\n"
    "  <item id=\"file:msdrm.dll\" kind=\"file\" status=\"failed\">\n"
    "    <error errorId=\"IOException\" hresult=\"0x80070020\" type=\"System.IO.IOException\""
    " message=\"The file is in use.\" />\n"
    "  </item>\n"
    "  <item id=\"events:refresh\" kind=\"events\" status=\"failed\">\n"
    "    <error message=\"The RPC server is unavailable\" />\n"
    "  </item>\n"
    "  <item id=\"exchange-server\" kind=\"clixml\" status=\"skipped\">\n"
    "    <error message=\"not collected: run the script from the Exchange Management Shell\" />\n"
    "  </item>\n"
    "  <item id=\"file:ExSetup.exe\" kind=\"file\" status=\"ok\">\n"
    "    <file name=\"ExSetup.exe\" path=\"C:\\x\\ExSetup.exe\" fileVersion=\"15.2.1544.4\" />\n"
    "  </item>\n"
    "  <item id=\"groups\" kind=\"groups\" status=\"ok\">\n"
    "    <groups account=\"CONTOSO\\EX01$\" scope=\"token\">\n"
    "      <group sid=\"S-1-5-21-1-2-3-1117\" name=\"CONTOSO\\Exchange Servers\" />\n"
    "    </groups>\n"
    "  </item>\n"
    "  <item id=\"probes\" kind=\"reachability\" status=\"ok\">\n"
    "    <reachability ranAs=\"CONTOSO\\admin\">\n"
    "      <probe url=\"https://c/x\" result=\"http\" statusCode=\"401\" proxy=\"direct\" certificate=\"valid\" message=\"\" />\n"
    "      <probe url=\"https://d/x\" result=\"tls\" statusCode=\"0\" proxy=\"http://proxy:8080/\""
    " certificate=\"UntrustedRoot\" message=\"trust failure\" />\n"
    "    </reachability>\n"
    "  </item>\n"
    "  <item id=\"acl:" H "MSIPC\\Server\" kind=\"acl\" status=\"ok\">\n"
    "    <acl path=\"" H "MSIPC\\Server\" sddl=\"O:BAG:SYD:(A;;KA;;;NS)\" />\n"
    "  </item>\n";

static void
test_statuses(void **state)
{
	irmf_snapshot *s;
	char *d = doc(status_items, 8);
	const irmf_collect_error *e;

	(void)state;
	assert_int_equal(parse(&s, d), 0);
	e = irmf_snapshot_error_for(s, "registry:" H "AADRM\\Connector");
	assert_non_null(e);
	assert_int_equal(e->reason, IRMF_REASON_ACCESS_DENIED);
	assert_non_null(strstr(e->message, "Requested registry access"));
	assert_non_null(strstr(e->message, "0x8013150A"));
	e = irmf_snapshot_error_for(s, "file:msdrm.dll");
	assert_int_equal(e->reason, IRMF_REASON_COMMAND_FAILED);
	assert_non_null(strstr(e->message, "System.IO.IOException"));
	/* the three event groups fail as collect's one "events" item */
	assert_non_null(irmf_snapshot_error_for(s, "events"));
	/* skipped: not collected this way, recorded with the script's
	 * reason; neither a collection error (nothing failed) nor data */
	assert_null(irmf_snapshot_error_for(s, "exchange-server"));
	assert_int_equal(s->nerrors, 3);
	assert_int_equal(s->nskipped, 1);
	assert_string_equal(irmf_snapshot_skipped_for(s, "exchange-server")->
	    message, "not collected: run the script from the Exchange "
	    "Management Shell");
	assert_null(s->exchange_roles);
	assert_string_equal(irmf_snapshot_file_find(s, "ExSetup.exe")->version,
	    "15.2.1544.4");
	assert_string_equal(s->computer_account, "CONTOSO\\EX01$");
	assert_int_equal(s->groups.n, 1);
	assert_int_equal(s->groups_scope, IRMF_GROUPS_TOKEN);
	assert_int_equal(s->nprobes, 2);
	assert_int_equal(s->probes[0].http_status, 401);
	assert_null(s->probes[0].message);
	assert_int_equal(s->probes[1].result, IRMF_PROBE_TLS);
	assert_string_equal(s->probes[1].message, "trust failure; via proxy "
	    "http://proxy:8080/; certificate: UntrustedRoot");
	assert_string_equal(irmf_snapshot_key_acl(s, H "MSIPC\\Server")->sddl,
	    "O:BAG:SYD:(A;;KA;;;NS)");
	/* an item the document does not hold is a coverage gap (not
	 * exported), never an absent setting */
	assert_false(irmf_area_present(s, IRMF_AREA_IRM_CONFIG));
	assert_false(irmf_area_failed(s, IRMF_AREA_IRM_CONFIG));
	irmf_snapshot_free(s);
	free(d);
}

static void
expect_error(const char *text, int code, const char *needle)
{
	irmf_snapshot *s;

	assert_int_equal(parse(&s, text), code);
	if (strstr(irmf_error_last()->message, needle) == NULL)
		fail_msg("'%s' not in '%s'", needle, irmf_error_last()->message);
	irmf_snapshot_free(s);
}

static void
test_incomplete(void **state)
{
	char *d = doc(reg_items, 2), *cut;
	size_t n = strlen(d);

	(void)state;
	/* cut anywhere after the root: incomplete, whatever is missing */
	for (size_t at = strstr(d, "<server") - d; at < n - 20; at += 37) {
		cut = strndup(d, at);
		expect_error(cut, IRMF_EPARSE, "incomplete export document");
		free(cut);
	}
	free(d);
	/* well-formed but fewer items than <end> counts */
	d = doc(reg_items, 3);
	expect_error(d, IRMF_EPARSE, "2 of 3 items");
	free(d);
	/* stdout markers: begin without end */
	expect_error("noise\r\n" IRMF_PSDOC_BEGIN "\n<irmfleetExport",
	    IRMF_EPARSE, "before the end marker");
}

static void
test_markers(void **state)
{
	char *d = doc(reg_items, 2);
	size_t cap = strlen(d) + 200;
	char *w = malloc(cap);
	irmf_snapshot *s;

	(void)state;
	snprintf(w, cap, "Microsoft Windows [AutoRun noise]\r\n%s\n\xEF\xBB\xBF"
	    "%s\n%s\n", IRMF_PSDOC_BEGIN, d, IRMF_PSDOC_END);
	assert_true(irmf_psdoc_sniff(w, strlen(w)));
	assert_int_equal(parse(&s, w), 0);
	assert_non_null(irmf_snapshot_reg_find(s, H "MSDRM\\ServiceLocation\\"
	    "Activation"));
	irmf_snapshot_free(s);
	free(w);
	free(d);
}

static void
test_rejects(void **state)
{
	char *d = doc(reg_items, 2), *v;
	char *p;

	(void)state;
	/* another format version */
	v = strdup(d);
	p = strstr(v, "formatVersion=\"1\"");
	p[15] = '2';
	expect_error(v, IRMF_EUNSUPPORTED, "formatVersion '2' is not supported");
	free(v);
	/* garbage and other XML */
	expect_error("\x01\x02garbage", IRMF_EPARSE, "ex01.xml");
	expect_error("<a xmlns=\"urn:x\"/>", IRMF_EUNSUPPORTED,
	    "not an irmfleet export document");
	/* schema: an unknown status */
	v = strdup(d);
	p = strstr(v, "status=\"absent\"");
	memcpy(p + 8, "gone\"  ", 7);
	expect_error(v, IRMF_ESCHEMA, "ex01.xml");
	free(v);
	/* a payload of another kind than its item */
	v = doc("  <item id=\"groups\" kind=\"groups\" status=\"ok\">\n"
	    "    <file name=\"a\" fileVersion=\"1\" />\n  </item>\n", 1);
	expect_error(v, IRMF_EPARSE, "<file> in an item of kind groups");
	free(v);
	/* numbers out of range, bad hex, a repeated value */
	v = doc("  <item id=\"r\" kind=\"registry\" status=\"ok\"><key path=\""
	    H "A\"><value name=\"d\" kind=\"DWord\"><data>4294967296</data>"
	    "</value></key></item>\n", 1);
	expect_error(v, IRMF_EPARSE, "not a DWord number");
	free(v);
	v = doc("  <item id=\"r\" kind=\"registry\" status=\"ok\"><key path=\""
	    H "A\"><value name=\"b\" kind=\"Binary\"><data>0g</data>"
	    "</value></key></item>\n", 1);
	expect_error(v, IRMF_EPARSE, "not hex");
	free(v);
	v = doc("  <item id=\"r\" kind=\"registry\" status=\"ok\"><key path=\""
	    H "A\"><value name=\"x\" kind=\"String\"><data>1</data></value>"
	    "<value name=\"X\" kind=\"String\"><data>2</data></value></key>"
	    "</item>\n", 1);
	expect_error(v, IRMF_EPARSE, "given twice");
	free(v);
	/* a document for another server */
	v = strdup(d);
	p = strstr(v, "name=\"EX01\"");
	p[9] = '9';
	expect_error(v, IRMF_EUSAGE, "for server 'EX09', not 'EX01'");
	free(v);
	free(d);
}

/* The generated fleet documents (tests/fixtures/psdoc/make-psdoc.py),
 * through the format table as import sees them. */
static void
test_fixtures(void **state)
{
	irmf_snapshot *s;
	const irmf_format *f;
	size_t len;
	char *buf = tu_read_fixture("psdoc/RMSCON01.irmfleet.xml", &len);
	char *srv;
	unsigned roles;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "RMSCON01"), 0);
	assert_int_equal(irmf_detect_parse(s, buf, len, "RMSCON01", &f), 0);
	assert_string_equal(f->name, "psdoc");
	assert_true(s->has_events);
	assert_int_equal(s->nevents, 2);
	assert_int_equal(s->nevwindows, 2);
	assert_true(irmf_snapshot_event_window(s, 1004)->whole_log);
	assert_int_equal(irmf_snapshot_error_for(s, "events")->reason,
	    IRMF_REASON_ACCESS_DENIED);
	assert_int_equal(irmf_psdoc_identity(buf, len, "x", &srv, &roles), 0);
	assert_string_equal(srv, "RMSCON01");
	assert_int_equal(roles, IRMF_ROLE_CONNECTOR);
	free(srv);
	irmf_snapshot_free(s);
	free(buf);

	buf = tu_read_fixture("psdoc/EX01.irmfleet.xml", &len);
	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	assert_int_equal(irmf_detect_parse(s, buf, len, "EX01", &f), 0);
	assert_true(s->has_irm_config);
	assert_non_null(irmf_snapshot_prop_find(s, "InternalLicensingEnabled"));
	assert_non_null(irmf_snapshot_reg_find(s, H "ExchangeServer\\v15\\"
	    "Setup"));
	irmf_snapshot_free(s);
	free(buf);

	buf = tu_read_fixture("psdoc/EX04.cut.xml", &len);
	assert_int_equal(irmf_snapshot_new(&s, "EX04"), 0);
	assert_int_equal(irmf_detect_parse(s, buf, len, "EX04", &f),
	    IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "incomplete"));
	irmf_snapshot_free(s);
	free(buf);
}

/* The script: the plan's items for the roles, nothing left unfilled,
 * ASCII with CRLF. */
static void
test_script(void **state)
{
	char *t;
	size_t len;

	(void)state;
	assert_int_equal(irmf_export_script(&t, &len, IRMF_ROLE_EXCHANGE, 500),
	    0);
	assert_int_equal(strlen(t), len);
	assert_null(strstr(t, "@IRMF_"));
	assert_non_null(strstr(t, "Item = 'registry:" H "ExchangeServer\\v15"
	    "\\IRM'; Path = 'SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM'; "
	    "Recurse = $true"));
	assert_non_null(strstr(t, "Files = @('msdrm.dll', 'ExSetup.exe')"));
	assert_non_null(strstr(t, "Organisation = @('irm-config', "
	    "'exchange-server')"));
	assert_non_null(strstr(t, "[int]$EventCount = 500"));
	assert_null(strstr(t, "events:access"));
	for (size_t i = 0; i < len; i++) {
		assert_true((unsigned char)t[i] < 127);
		if (t[i] == '\n')
			assert_int_equal(t[i - 1], '\r');
	}
	free(t);
	assert_int_equal(irmf_export_script(&t, &len, IRMF_ROLE_CONNECTOR, 7),
	    0);
	assert_non_null(strstr(t, "@{ Item = 'events:refresh'; Ids = @(1004) }"));
	assert_non_null(strstr(t, "Value = 'ProxyAddress'"));
	assert_non_null(strstr(t, "Organisation = @()"));
	free(t);
	assert_int_equal(irmf_export_script(&t, &len, 0, 500), IRMF_EUSAGE);
}

/* A begin marker at the very end of the bytes (found by fuzz_detect):
 * the bytes are not NUL-terminated, so looking past the marker for its
 * line end must stop at their end.  The buffer is exactly the input's
 * size, so valgrind and ASan see any read past it. */
static void
test_marker_at_end(void **state)
{
	static const char text[] = "Name,Role\nCONTOSO\\E"
	    IRMF_PSDOC_BEGIN "\n";
	const char *doc;
	size_t dlen, n = sizeof(text) - 2;   /* without the final "\n" */
	char *buf = malloc(n);
	irmf_snapshot *snap = NULL;

	(void)state;
	assert_non_null(buf);
	memcpy(buf, text, n);
	irmf_psdoc_body(buf, n, &doc, &dlen);
	assert_int_equal(dlen, 0);
	assert_int_equal(irmf_snapshot_new(&snap, "EX01"), 0);
	/* no end marker: incomplete, never a read past the bytes */
	assert_int_equal(irmf_psdoc_parse(snap, buf, n, "cut.xml"), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "incomplete"));
	irmf_snapshot_free(snap);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typed_values),
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_incomplete),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_script),
		cmocka_unit_test(test_marker_at_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
