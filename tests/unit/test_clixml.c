/*
 * test_clixml.c - the CLIXML reader (collector/parse/clixml.c) and its mappers
 * (collector/parse/clixml_map.c): every corpus file parses, concrete values
 * from real exports, the irmfleet output shapes, and clear errors for
 * odd or hostile files.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "clixml.h"
#include "error.h"
#include "snapshot_int.h"

/* Parse a fixture into a fresh snapshot named `server`. */
static int
parse_fixture(const char *rel, const char *server, irmf_snapshot **out)
{
	size_t len;
	char *buf = tu_read_fixture(rel, &len);
	int rc;

	assert_int_equal(irmf_snapshot_new(out, server), 0);
	rc = irmf_clixml_parse(*out, buf, len, rel);
	free(buf);
	return rc;
}

/* Parse one more fixture into an existing snapshot. */
static int
parse_fixture_into(irmf_snapshot *s, const char *rel)
{
	size_t len;
	char *buf = tu_read_fixture(rel, &len);
	int rc = irmf_clixml_parse(s, buf, len, rel);

	free(buf);
	return rc;
}

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

/* Every file of the public corpus must go through the generic reader. */
static void
test_corpus_all_parse(void **state)
{
	DIR *d = opendir(tu_fixture_path("clixml"));
	struct dirent *e;
	int n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char rel[512];
		irmf_clixml_doc *doc = NULL;
		size_t len;
		char *buf;
		int rc;

		if (strstr(e->d_name, ".xml") == NULL)
			continue;
		snprintf(rel, sizeof(rel), "clixml/%s", e->d_name);
		buf = tu_read_fixture(rel, &len);
		rc = irmf_clixml_doc_parse(&doc, buf, len, e->d_name);
		if (rc != 0)
			fail_msg("%s: %s", e->d_name, irmf_error_last()->message);
		assert_true(irmf_clixml_sniff(buf, len));
		irmf_clixml_doc_free(doc);
		free(buf);
		n++;
	}
	closedir(d);
	assert_true(n >= 30);
}

static void
test_css_irm_configuration(void **state)
{
	irmf_snapshot *s;
	const irmf_prop *p;

	(void)state;
	assert_int_equal(parse_fixture(
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
	assert_int_equal(parse_fixture(
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
	assert_int_equal(parse_fixture(
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
	assert_int_equal(parse_fixture(
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

	assert_int_equal(parse_fixture(
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
	assert_int_equal(parse_fixture("clixml/exchangeserver-e16-list.xml",
	    "ex02", &s), 0);
	assert_string_equal(s->fqdn, "EX02.contoso.com");
	assert_string_equal(s->product_build, "15.1.2375.7");
	assert_string_equal(s->product, "Exchange Server 2016 (Standard)");
	irmf_snapshot_free(s);

	assert_int_equal(parse_fixture("clixml/exchangeserver-e16-list.xml",
	    "EX01.contoso.com", &s), 0);
	assert_string_equal(s->product_build, "15.1.2507.6");
	irmf_snapshot_free(s);

	assert_int_equal(parse_fixture("clixml/exchangeserver-e16-list.xml",
	    "EX09", &s), IRMF_EPARSE);
	assert_non_null(strstr(irmf_error_last()->message, "'EX09'"));
	assert_null(s->fqdn);
	irmf_snapshot_free(s);

	assert_int_equal(parse_fixture("clixml/exchangeserver-e16-list.xml",
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
	assert_int_equal(parse_fixture(
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
	assert_int_equal(parse_fixture(
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
	assert_int_equal(parse_fixture("clixml/getitem-msdrm-utf16.xml", "x",
	    &s), 0);
	f = irmf_snapshot_file_find(s, "msdrm.dll");
	assert_non_null(f);
	assert_string_equal(f->version, "6.3.9600.17415");
	assert_string_equal(f->path, "C:\\Windows\\system32\\msdrm.dll");
	assert_int_equal(s->nfiles, 1);
	assert_int_equal(parse_fixture_into(s, "clixml/getitem-msipc.xml"), 0);
	f = irmf_snapshot_file_find(s, "MSIPC.DLL");
	assert_non_null(f);
	assert_string_equal(f->version, "1.0.3592.627");
	assert_int_equal(s->nfiles, 2);
	irmf_snapshot_free(s);

	/* Get-Item results nested in a hashtable of PSCustomObjects */
	assert_int_equal(parse_fixture(
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
	assert_int_equal(parse_fixture("clixml/probes.xml", "EX01", &s), 0);
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

	assert_int_equal(parse_fixture("clixml/groups.xml", "EX01", &s), 0);
	assert_string_equal(s->computer_account, "CONTOSO\\EX01$");
	assert_int_equal(s->groups.n, 3);
	assert_string_equal(s->groups.items[0], "CONTOSO\\Exchange Servers");
	assert_string_equal(s->groups.items[2], "CONTOSO\\Domain Computers");
	irmf_snapshot_free(s);

	assert_int_equal(parse_fixture("clixml/bad/probe-bad-result.xml",
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
	assert_int_equal(parse_fixture("clixml/msipc-server-acl.xml", "EX01",
	    &s), 0);
	assert_int_equal(s->nacls, 1);
	assert_string_equal(s->acls[0].path,
	    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSIPC\\Server");
	assert_non_null(strstr(s->acls[0].sddl, "(A;CIOI;KA;;;NS)"));
	irmf_snapshot_free(s);

	assert_int_equal(parse_fixture("clixml/msipc-server-acl-absent.xml",
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

/* PSSerializer::Serialize(@($a, $b)) as the collector writes it. */
static void
test_serialized_array(void **state)
{
	static const char doc[] =
	    "<Objs Version=\"1.1.0.1\" xmlns=\"" IRMF_CLIXML_NS "\">"
	    "<Obj RefId=\"0\"><TN RefId=\"0\"><T>System.Object[]</T>"
	    "<T>System.Array</T><T>System.Object</T></TN><LST>"
	    "<Obj RefId=\"1\"><TN RefId=\"1\"><T>irmfleet.Probe</T>"
	    "<T>System.Management.Automation.PSCustomObject</T></TN><MS>"
	    "<S N=\"Url\">https://rms.contoso.com/_wmcs/licensing</S>"
	    "<S N=\"Result\">TIMEOUT</S><Nil N=\"StatusCode\" />"
	    "<S N=\"Message\"></S></MS></Obj>"
	    "<Obj RefId=\"2\"><TN RefId=\"2\"><T>irmfleet.Groups</T></TN>"
	    "<MS><S N=\"ComputerAccount\">CONTOSO\\FS01$</S>"
	    "<S N=\"Groups\">CONTOSO\\RMS File Servers</S>"
	    "<S N=\"Scope\">token</S></MS></Obj>"
	    "</LST></Obj></Objs>";
	irmf_snapshot *s;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "FS01"), 0);
	assert_int_equal(irmf_clixml_parse(s, doc, sizeof(doc) - 1, "arr"), 0);
	assert_int_equal(s->nprobes, 1);
	assert_int_equal(s->probes[0].result, IRMF_PROBE_TIMEOUT);
	assert_null(s->probes[0].message);
	assert_string_equal(s->computer_account, "CONTOSO\\FS01$");
	assert_int_equal(s->groups.n, 1);
	assert_string_equal(s->groups.items[0], "CONTOSO\\RMS File Servers");
	/* collect says how far the list reaches */
	assert_int_equal(s->groups_scope, IRMF_GROUPS_TOKEN);
	irmf_snapshot_free(s);
}

static void
test_unsupported_and_empty(void **state)
{
	irmf_snapshot *s;

	(void)state;
	assert_int_equal(parse_fixture(
	    "clixml/CSS-Exchange__E16__OS__Win32_PageFileSetting.xml", "x",
	    &s), IRMF_EUNSUPPORTED);
	assert_non_null(strstr(irmf_error_last()->message, "no objects"));
	irmf_snapshot_free(s);
	assert_int_equal(parse_fixture(
	    "clixml/CSS-Exchange__E19__OS__RemoteRegistryValueInstallationType"
	    ".xml", "x", &s), IRMF_EUNSUPPORTED);
	assert_non_null(strstr(irmf_error_last()->message, "<S>"));
	irmf_snapshot_free(s);
	assert_int_equal(parse_fixture(
	    "clixml/CSS-Exchange__E19__OS__GetNetIPConfiguration.xml", "x",
	    &s), IRMF_EUNSUPPORTED);
	assert_false(s->has_irm_config);
	irmf_snapshot_free(s);
}

static void
test_generic_tree(void **state)
{
	irmf_clixml_doc *doc;
	const irmf_cx_node *r, *m, *t;
	size_t len;
	char *buf = tu_read_fixture("clixml/ref-cycle.xml", &len);

	(void)state;
	assert_int_equal(irmf_clixml_doc_parse(&doc, buf, len, "c"), 0);
	assert_int_equal(irmf_clixml_doc_nroots(doc), 1);
	r = irmf_clixml_doc_root(doc, 0);
	assert_true(irmf_cx_is_type(r, "system.management.automation."
	    "psdriveinfo"));
	assert_ptr_equal(irmf_cx_member(r, "Self"), r);   /* self-reference */
	m = irmf_cx_member(irmf_cx_member(r, "Provider"), "Drives");
	assert_non_null(m);
	assert_int_equal(m->coll, IRMF_CX_COLL_LST);
	assert_int_equal(m->nitems, 2);
	t = irmf_cx_deref(m->items[0]);
	assert_ptr_equal(t, r);
	free(buf);
	irmf_clixml_doc_free(doc);
	/* mapping walks the cyclic tree and terminates */
	{
		irmf_snapshot *s;
		assert_int_equal(parse_fixture("clixml/ref-cycle.xml", "x", &s),
		    IRMF_EUNSUPPORTED);
		irmf_snapshot_free(s);
	}
}

static void
test_unescape(void **state)
{
	char *s;

	(void)state;
	s = irmf_clixml_unescape("a_x000D__x000A_b_x005F_x_x00e9__xD83D__xDE00_"
	    "_x0000__xD800_z_x12_");
	assert_string_equal(s, "a\r\nb_x\xc3\xa9\xf0\x9f\x98\x80"
	    "\xef\xbf\xbd\xef\xbf\xbdz_x12_");
	free(s);
}

/* Odd files fail with the file name, line and what was wrong. */
static void
assert_rejects(const char *rel, int code, const char *what)
{
	size_t len;
	char *buf = tu_read_fixture(rel, &len);
	irmf_clixml_doc *doc = NULL;
	const char *msg;

	assert_int_equal(irmf_clixml_doc_parse(&doc, buf, len, rel), code);
	assert_null(doc);
	msg = irmf_error_last()->message;
	if (strstr(msg, rel) == NULL || strstr(msg, what) == NULL)
		fail_msg("%s: unexpected message: %s", rel, msg);
	free(buf);
}

static void
test_rejects_odd_files(void **state)
{
	(void)state;
	assert_rejects("clixml/bad/ref-unknown.xml", IRMF_EPARSE,
	    ":7: <Ref> to unknown RefId '7'");
	assert_rejects("clixml/bad/bad-bool.xml", IRMF_EPARSE,
	    ":7: <B> holds 'yes'");
	assert_rejects("clixml/bad/unknown-element.xml", IRMF_EPARSE,
	    ":4: unexpected element <Bogus>");
	assert_rejects("clixml/bad/truncated.xml", IRMF_EPARSE,
	    "truncated.xml:8: Premature end of data");
	assert_rejects("clixml/bad/doctype.xml", IRMF_EPARSE,
	    ":2: document type declarations are not allowed");
	assert_rejects("clixml/bad/dup-refid.xml", IRMF_EPARSE,
	    ":3: second object with RefId '0'");
	assert_rejects("wevtutil/beats__ec1.xml", IRMF_EPARSE,
	    "root element is <Event>, not a PowerShell CLIXML <Objs>");
}

static void
test_limits(void **state)
{
	const char *head = "<Objs xmlns=\"" IRMF_CLIXML_NS "\">";
	size_t cap = 200000, n;
	char *buf = malloc(cap);
	irmf_clixml_doc *doc = NULL;
	int depth;

	(void)state;
	assert_non_null(buf);
	/* 63 nested objects and a string: 64 levels; one more is too many */
	for (depth = 63; depth <= 64; depth++) {
		n = (size_t)snprintf(buf, cap, "%s", head);
		for (int i = 0; i < depth; i++)
			n += (size_t)snprintf(buf + n, cap - n,
			    "<Obj RefId=\"%d\"><Props>\n", i);
		n += (size_t)snprintf(buf + n, cap - n, "<S N=\"x\">y</S>");
		for (int i = 0; i < depth; i++)
			n += (size_t)snprintf(buf + n, cap - n,
			    "</Props></Obj>");
		n += (size_t)snprintf(buf + n, cap - n, "</Objs>");
		if (depth == 63) {
			assert_int_equal(irmf_clixml_doc_parse(&doc, buf, n,
			    "deep"), 0);
			irmf_clixml_doc_free(doc);
			doc = NULL;
		} else {
			assert_int_equal(irmf_clixml_doc_parse(&doc, buf, n,
			    "deep"), IRMF_ELIMIT);
			assert_non_null(strstr(irmf_error_last()->message,
			    "deep:65: values nested deeper than 64 levels"));
		}
	}
	/* size limit is checked before anything is read */
	assert_int_equal(irmf_clixml_doc_parse(&doc, buf,
	    IRMF_CLIXML_MAX_BYTES + 1, "big"), IRMF_ELIMIT);
	assert_non_null(strstr(irmf_error_last()->message, "64 MiB"));
	free(buf);
}

static bool
sniff_str(const char *s)
{
	return irmf_clixml_sniff(s, strlen(s));
}

static void
test_sniff(void **state)
{
	static const char utf16[] = "\xff\xfe<\0O\0b\0j\0s\0 \0x\0m\0l\0n\0s\0="
	    "\0\"\0h\0t\0t\0p\0:\0/\0/\0s\0c\0h\0e\0m\0a\0s\0.\0m\0i\0c\0r\0o"
	    "\0s\0o\0f\0t\0.\0c\0o\0m\0/\0p\0o\0w\0e\0r\0s\0h\0e\0l\0l\0/\0"
	    "2\0000\0000\0004\0/\0000\0004\0/\0\"\0>\0";

	(void)state;
	assert_true(irmf_clixml_sniff(utf16, sizeof(utf16) - 1));
	assert_true(sniff_str("<?xml version=\"1.0\"?>\n<!-- c -->\n<Objs "
	    "Version=\"1.1.0.1\" xmlns=\"" IRMF_CLIXML_NS "\"/>"));
	assert_false(sniff_str("<Objs>"));
	assert_false(sniff_str("<Objsx xmlns='" IRMF_CLIXML_NS "'>"));
	assert_false(sniff_str("<Event xmlns='" IRMF_CLIXML_NS "'>"));
	assert_false(irmf_clixml_sniff("Windows Registry Editor", 23));
	assert_false(irmf_clixml_sniff("", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_all_parse),
		cmocka_unit_test(test_css_irm_configuration),
		cmocka_unit_test(test_connector_irm_configuration_utf16),
		cmocka_unit_test(test_selected_irm_configuration_utf8_nobom),
		cmocka_unit_test(test_exchange_server_e19_and_e16),
		cmocka_unit_test(test_exchange_server_list_picks_server),
		cmocka_unit_test(test_admin_display_version_and_exsetup),
		cmocka_unit_test(test_get_item_dlls),
		cmocka_unit_test(test_probe_and_groups_shapes),
		cmocka_unit_test(test_serialized_array),
		cmocka_unit_test(test_unsupported_and_empty),
		cmocka_unit_test(test_generic_tree),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_rejects_odd_files),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_key_acl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
