/*
 * test_clixml_map.c - CLIXML objects mapped into the model
 * (collector/parse/clixml_map.c), on the corpus exports in
 * tests/fixtures/clixml (PROVENANCE.md there): Get-IRMConfiguration into
 * IRM properties of the right type (bool, string, int, URI, URI list,
 * enum, nil; session members and AD bookkeeping left out), also as a
 * Select-Object copy and in UTF-16; Get-ExchangeServer into the server's
 * name, FQDN, product, build and Exchange roles, one server picked from a
 * list; file versions, the irmfleet.Probe, Groups and KeyAcl shapes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clixml_fixture.h"
#include "error.h"

static const irmf_prop *
prop(const irmf_snapshot *s, const char *name)
{
	const irmf_prop *p = irmf_snapshot_prop_find(s, name);

	if (p == NULL)
		fail_msg("property %s missing", name);
	return p;
}

static void
assert_prop(const irmf_snapshot *s, const char *name, irmf_prop_type type,
    const char *value)
{
	const irmf_prop *p = prop(s, name);

	assert_int_equal(p->type, type);
	if (value == NULL) {
		assert_true(p->is_nil);
	} else {
		assert_false(p->is_nil);
		assert_string_equal(p->value, value);
	}
}

static void
test_css_irm_configuration(void **state)
{
	irmf_snapshot *s;
	const irmf_prop *p;

	(void)state;
	assert_int_equal(cx_parse_fixture(
	    "clixml/CSS-Exchange__E19__Exchange__GetIrmConfiguration.xml",
	    "vnext-e19a", &s), 0);
	assert_true(s->has_irm_config);
	assert_prop(s, "InternalLicensingEnabled", IRMF_PROP_BOOL, "False");
	assert_prop(s, "JournalReportDecryptionEnabled", IRMF_PROP_BOOL,
	    "True");
	assert_prop(s, "TransportDecryptionSetting", IRMF_PROP_ENUM,
	    "Optional");
	assert_prop(s, "ServiceLocation", IRMF_PROP_URI, NULL);
	assert_prop(s, "PublishingLocation", IRMF_PROP_URI, NULL);
	assert_prop(s, "ServerCertificatesVersion", IRMF_PROP_INT, "0");
	assert_prop(s, "SharedServerBoxRacIdentity", IRMF_PROP_STRING, "");
	assert_prop(s, "Name", IRMF_PROP_STRING, "ControlPoint Config");
	p = prop(s, "LicensingLocation");
	assert_int_equal(p->type, IRMF_PROP_URI_LIST);
	assert_int_equal(p->nitems, 0);
	p = prop(s, "ObjectClass");
	assert_int_equal(p->type, IRMF_PROP_LIST);
	assert_int_equal(p->nitems, 2);
	assert_string_equal(p->items[1], "msExchControlPointConfig");
	/* session members and per-DC values would show as false drift */
	assert_null(irmf_snapshot_prop_find(s, "PSComputerName"));
	assert_null(irmf_snapshot_prop_find(s, "OriginatingServer"));
	assert_null(irmf_snapshot_prop_find(s, "WhenChangedUTC"));
	irmf_snapshot_free(s);
}

static void
test_connector_irm_configuration_utf16(void **state)
{
	irmf_snapshot *s;
	const irmf_prop *p;

	(void)state;
	assert_int_equal(cx_parse_fixture(
	    "clixml/irmconfig-connector-utf16.xml", "EX01", &s), 0);
	assert_prop(s, "InternalLicensingEnabled", IRMF_PROP_BOOL, "True");
	assert_prop(s, "TransportDecryptionSetting", IRMF_PROP_ENUM,
	    "Mandatory");
	assert_prop(s, "ServiceLocation", IRMF_PROP_URI,
	    "https://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com"
	    "/_wmcs/certification");
	assert_prop(s, "RMSOnlineKeySharingLocation", IRMF_PROP_URI, NULL);
	assert_prop(s, "ServerCertificatesVersion", IRMF_PROP_INT, "3");
	/* _xHHHH_ escapes decoded */
	assert_prop(s, "SharedServerBoxRacIdentity", IRMF_PROP_STRING,
	    "Contoso RAC\r\nline2");
	p = prop(s, "LicensingLocation");
	assert_int_equal(p->type, IRMF_PROP_URI_LIST);
	assert_int_equal(p->nitems, 2);
	assert_string_equal(p->items[1],
	    "https://rmsconnector.contoso.com/_wmcs/licensing");
	assert_null(irmf_snapshot_prop_find(s, "Identity"));
	assert_null(irmf_snapshot_prop_find(s, "RunspaceId"));
	irmf_snapshot_free(s);
}

static void
test_selected_irm_configuration_utf8_nobom(void **state)
{
	irmf_snapshot *s;
	const irmf_prop *p;

	(void)state;
	assert_int_equal(cx_parse_fixture(
	    "clixml/irmconfig-selected-utf8-nobom.xml", "EX02", &s), 0);
	assert_prop(s, "InternalLicensingEnabled", IRMF_PROP_BOOL, "True");
	assert_prop(s, "TransportDecryptionSetting", IRMF_PROP_ENUM,
	    "Disabled");
	assert_prop(s, "ServiceLocation", IRMF_PROP_URI, NULL);
	p = prop(s, "LicensingLocation");
	assert_int_equal(p->type, IRMF_PROP_URI_LIST);
	assert_int_equal(p->nitems, 1);
	assert_string_equal(p->items[0],
	    "https://rmsconnector.contoso.com/_wmcs/licensing");
	assert_null(irmf_snapshot_prop_find(s, "PSComputerName"));
	irmf_snapshot_free(s);
}

static void
test_exchange_server_e19_and_e16(void **state)
{
	irmf_snapshot *s;

	(void)state;
	assert_int_equal(cx_parse_fixture(
	    "clixml/CSS-Exchange__E19__Exchange__GetExchangeServer.xml", NULL,
	    &s), 0);
	assert_string_equal(s->server, "SOLO-E19A");
	assert_string_equal(s->fqdn, "Solo-E19A.Solo.com");
	assert_string_equal(s->product_build, "15.2.986.5");
	/* IsMailboxServer, IsClientAccessServer, IsHubTransportServer true,
	 * IsEdgeServer false, as CSS-Exchange's capture has them */
	assert_string_equal(s->exchange_roles,
	    "Mailbox, ClientAccess, HubTransport");
	assert_string_equal(s->product,
	    "Exchange Server 2019 (StandardEvaluation)");
	assert_true(s->roles & IRMF_ROLE_EXCHANGE);
	irmf_snapshot_free(s);

	assert_int_equal(cx_parse_fixture(
	    "clixml/CSS-Exchange__E16__Exchange__GetExchangeServer.xml",
	    "solo-e16a", &s), 0);
	assert_string_equal(s->fqdn, "Solo-E16A.Solo.local");
	assert_string_equal(s->product_build, "15.1.2375.7");
	assert_string_equal(s->product,
	    "Exchange Server 2016 (StandardEvaluation)");
	irmf_snapshot_free(s);
}

static void
test_exchange_server_list_picks_server(void **state)
{
	irmf_snapshot *s;

	(void)state;
	assert_int_equal(cx_parse_fixture("clixml/exchangeserver-e16-list.xml",
	    "ex02", &s), 0);
	assert_string_equal(s->fqdn, "EX02.contoso.com");
	assert_string_equal(s->product_build, "15.1.2375.7");
	assert_string_equal(s->product, "Exchange Server 2016 (Standard)");
	irmf_snapshot_free(s);

	assert_int_equal(cx_parse_fixture("clixml/exchangeserver-e16-list.xml",
	    "EX01.contoso.com", &s), 0);
	assert_string_equal(s->product_build, "15.1.2507.6");
	irmf_snapshot_free(s);

	assert_int_equal(cx_parse_fixture("clixml/exchangeserver-e16-list.xml",
	    "EX09", &s), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "'EX09'"));
	assert_null(s->fqdn);
	irmf_snapshot_free(s);

	assert_int_equal(cx_parse_fixture("clixml/exchangeserver-e16-list.xml",
	    NULL, &s), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "2 Exchange"));
	irmf_snapshot_free(s);
}

static void
test_admin_display_version_and_exsetup(void **state)
{
	irmf_snapshot *s;
	const irmf_file_version *f;

	(void)state;
	assert_int_equal(cx_parse_fixture(
	    "clixml/CSS-Exchange__E19__Exchange__ExSetup.xml", "x", &s), 0);
	f = irmf_snapshot_file_find(s, "exsetup.exe");
	assert_non_null(f);
	assert_string_equal(f->name, "ExSetup.exe");
	assert_string_equal(f->version, "15.2.986.5");
	assert_string_equal(f->path,
	    "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\bin\\"
	    "ExSetup.exe");
	irmf_snapshot_free(s);

	/* a bare ServerVersion object is not a server */
	assert_int_equal(cx_parse_fixture(
	    "clixml/CSS-Exchange__Shared__E19CU11AdminDisplayVersion.xml",
	    "x", &s), IRMF_EUNSUPPORTED);
	assert_non_null(strstr(irmf_error_last()->message,
	    "CLIXML object of type 'Microsoft.Exchange.Data.ServerVersion' "
	    "carries nothing irmfleet uses"));
	irmf_snapshot_free(s);
}

static void
test_get_item_dlls(void **state)
{
	irmf_snapshot *s;
	const irmf_file_version *f;

	(void)state;
	assert_int_equal(cx_parse_fixture("clixml/getitem-msdrm-utf16.xml", "x",
	    &s), 0);
	f = irmf_snapshot_file_find(s, "msdrm.dll");
	assert_non_null(f);
	assert_string_equal(f->version, "6.3.9600.17415");
	assert_string_equal(f->path, "C:\\Windows\\system32\\msdrm.dll");
	assert_int_equal(s->nfiles, 1);
	assert_int_equal(cx_parse_fixture_into(s, "clixml/getitem-msipc.xml"), 0);
	f = irmf_snapshot_file_find(s, "MSIPC.DLL");
	assert_non_null(f);
	assert_string_equal(f->version, "1.0.3592.627");
	assert_int_equal(s->nfiles, 2);
	irmf_snapshot_free(s);

	/* Get-Item results nested in a hashtable of PSCustomObjects */
	assert_int_equal(cx_parse_fixture(
	    "clixml/CSS-Exchange__E16__OS__GetDotNetDllFileVersions.xml", "x",
	    &s), 0);
	f = irmf_snapshot_file_find(s, "System.Data.dll");
	assert_non_null(f);
	assert_string_equal(f->version, "4.8.3761.0");
	irmf_snapshot_free(s);
}

static void
test_probe_and_groups_shapes(void **state)
{
	irmf_snapshot *s;

	(void)state;
	assert_int_equal(cx_parse_fixture("clixml/probes.xml", "EX01", &s), 0);
	assert_int_equal(s->nprobes, 2);
	assert_string_equal(s->probes[0].url,
	    "https://rmsconnector.contoso.com/_wmcs/certification/"
	    "servercertification.asmx");
	assert_int_equal(s->probes[0].result, IRMF_PROBE_HTTP);
	assert_int_equal(s->probes[0].http_status, 401);
	assert_null(s->probes[0].message);
	assert_int_equal(s->probes[1].result, IRMF_PROBE_DNS);
	assert_string_equal(s->probes[1].message,
	    "No such host is known\r\n");
	irmf_snapshot_free(s);

	assert_int_equal(cx_parse_fixture("clixml/groups.xml", "EX01", &s), 0);
	assert_string_equal(s->computer_account, "CONTOSO\\EX01$");
	assert_int_equal(s->groups.n, 3);
	assert_string_equal(s->groups.items[0], "CONTOSO\\Exchange Servers");
	assert_string_equal(s->groups.items[2], "CONTOSO\\Domain Computers");
	irmf_snapshot_free(s);

	assert_int_equal(cx_parse_fixture("clixml/bad/probe-bad-result.xml",
	    "EX01", &s), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "'maybe'"));
	irmf_snapshot_free(s);
}

/* irmfleet.KeyAcl (issue 15 #13): the MSIPC\Server SDDL as collect and
 * the documented export write it; Sddl $null = key absent; the
 * PowerShell drive form of the path; a Get-Acl object exported as is. */
static void
test_key_acl(void **state)
{
	static const char getacl[] =
	    "<Objs Version=\"1.1.0.1\" xmlns=\"" IRMF_CLIXML_NS "\">"
	    "<Obj RefId=\"0\"><TN RefId=\"0\">"
	    "<T>System.Security.AccessControl.RegistrySecurity</T></TN><MS>"
	    "<S N=\"PSPath\">Microsoft.PowerShell.Core\\Registry::"
	    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSIPC\\Server</S>"
	    "<S N=\"Sddl\">O:SYG:SYD:(A;CIOI;KA;;;NS)</S></MS></Obj></Objs>";
	static const char badpath[] =
	    "<Objs Version=\"1.1.0.1\" xmlns=\"" IRMF_CLIXML_NS "\">"
	    "<Obj RefId=\"0\"><TN RefId=\"0\"><T>irmfleet.KeyAcl</T></TN><MS>"
	    "<S N=\"Path\">C:\\Windows</S><S N=\"Sddl\">O:SY</S></MS></Obj>"
	    "</Objs>";
	irmf_snapshot *s;
	const irmf_key_acl *a;

	(void)state;
	assert_int_equal(cx_parse_fixture("clixml/msipc-server-acl.xml", "EX01",
	    &s), 0);
	assert_int_equal(s->nacls, 1);
	assert_string_equal(s->acls[0].path,
	    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSIPC\\Server");
	assert_non_null(strstr(s->acls[0].sddl, "(A;CIOI;KA;;;NS)"));
	irmf_snapshot_free(s);

	assert_int_equal(cx_parse_fixture("clixml/msipc-server-acl-absent.xml",
	    "EX01", &s), 0);
	a = irmf_snapshot_key_acl(s, "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\Server");
	assert_non_null(a);
	assert_null(a->sddl);
	irmf_snapshot_free(s);

	assert_int_equal(irmf_snapshot_new(&s, "EX01"), 0);
	assert_int_equal(irmf_clixml_parse(s, getacl, sizeof(getacl) - 1,
	    "acl.xml"), 0);
	a = irmf_snapshot_key_acl(s, "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\Server");
	assert_non_null(a);
	assert_string_equal(a->sddl, "O:SYG:SYD:(A;CIOI;KA;;;NS)");
	assert_int_equal(irmf_clixml_parse(s, badpath, sizeof(badpath) - 1,
	    "bad.xml"), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message,
	    "bad.xml:1: key ACL Path 'C:\\Windows' is not a registry key"));
	irmf_snapshot_free(s);
}

/* A Get-ExchangeServer object with the given AdminDisplayVersion (NULL:
 * none) and role flags, as Export-Clixml writes them. */
static int
parse_server(const char *version, const char *flags, irmf_snapshot **out)
{
	char doc[2048];

	snprintf(doc, sizeof(doc),
	    "<Objs Version=\"1.1.0.1\" xmlns=\"" IRMF_CLIXML_NS "\">\n"
	    "<Obj RefId=\"0\"><TN RefId=\"0\"><T>Microsoft.Exchange.Data."
	    "Directory.Management.ExchangeServer</T></TN>\n<Props>\n"
	    "<S N=\"Name\">EX05</S><S N=\"Fqdn\">ex05.contoso.com</S>\n"
	    "%s%s%s%s</Props></Obj>\n</Objs>\n",
	    version ? "<S N=\"AdminDisplayVersion\">" : "",
	    version ? version : "", version ? "</S>\n" : "", flags);
	assert_int_equal(irmf_snapshot_new(out, "EX05"), 0);
	return irmf_clixml_parse(*out, doc, strlen(doc), "srv.xml");
}

/* The product named from the build (Subscription Edition kept 15.2 and
 * starts at build 2562), the role flags as a list (an Edge server is
 * named so, for the cohort to leave it out), and a server without a
 * readable version refused with its line. */
static void
test_exchange_server_product_and_roles(void **state)
{
	static const struct {
		const char *version, *product;
	} cases[] = {
		{ "Version 14.3 (Build 123.4)", "Exchange Server 2010" },
		{ "Version 15.0 (Build 1497.2)", "Exchange Server 2013" },
		{ "Version 15.1 (Build 2507.6)", "Exchange Server 2016" },
		{ "Version 15.2 (Build 1544.4)", "Exchange Server 2019" },
		{ "Version 15.2 (Build 2562.17)", "Exchange Server SE" },
		{ "Version 16.0 (Build 1.0)", "Exchange Server" },
	};
	irmf_snapshot *s;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse_server(cases[i].version, "", &s), 0);
		assert_string_equal(s->product, cases[i].product);
		assert_null(s->exchange_roles);   /* no flags: unknown */
		assert_true(s->roles & IRMF_ROLE_EXCHANGE);
		irmf_snapshot_free(s);
	}
	assert_int_equal(parse_server("Version 15.2 (Build 1544.4)",
	    "<B N=\"IsMailboxServer\">false</B>"
	    "<B N=\"IsEdgeServer\">true</B>", &s), 0);
	assert_string_equal(s->exchange_roles, "Edge");
	assert_string_equal(s->fqdn, "ex05.contoso.com");
	assert_string_equal(s->product_build, "15.2.1544.4");
	irmf_snapshot_free(s);

	assert_int_equal(parse_server(NULL, "", &s), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message,
	    "srv.xml:2: Exchange server 'EX05' has no readable "
	    "AdminDisplayVersion"));
	assert_null(s->product);
	irmf_snapshot_free(s);
	assert_int_equal(parse_server("15.2.1544.4", "", &s), IRMF_EPARSE);
	irmf_snapshot_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_css_irm_configuration),
		cmocka_unit_test(test_connector_irm_configuration_utf16),
		cmocka_unit_test(test_selected_irm_configuration_utf8_nobom),
		cmocka_unit_test(test_exchange_server_e19_and_e16),
		cmocka_unit_test(test_exchange_server_list_picks_server),
		cmocka_unit_test(test_exchange_server_product_and_roles),
		cmocka_unit_test(test_admin_display_version_and_exsetup),
		cmocka_unit_test(test_get_item_dlls),
		cmocka_unit_test(test_probe_and_groups_shapes),
		cmocka_unit_test(test_key_acl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
