/*
 * test_snapshot_xml.c - snapshot XML read/write/validate
 * (collector/snapshot/snapshot_xml.c, collector/snapshot/xmlutil.c, collector/base/fileio.c):
 * model round-trip with odd values, byte-identical output, atomic save,
 * and the error paths (missing file, truncated XML, wrong namespace,
 * schema violations with file:line, size limit, XXE).
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "error.h"
#include "fileio.h"
#include "identity.h"
#include "snapshot_int.h"
#include "store_int.h"
#include "xmlutil.h"

/* ------------------------------------------------------------ builders */

/* A snapshot using every field, with the odd values the format must carry:
 * the unnamed default value, <&" and non-ASCII, control characters and
 * invalid UTF-8 (base64 fallback), CR/LF/TAB, REG_MULTI_SZ with empty
 * strings, binary data with NUL bytes, nil and empty-list properties. */
static irmf_snapshot *
full_snapshot(void)
{
	irmf_snapshot *s;
	irmf_reg_key *k;
	char *multi[] = { "first", "", "third <&\"'>", "" };
	char *uris[] = { "https://rms.contoso.com/_wmcs/licensing",
	    "https://t.rms.eu.aadrm.com/_wmcs/licensing" };
	const unsigned char bin[] = { 0x00, 0x01, 0xfe, 0xff, 0x3c, 0x26 };

	assert_int_equal(irmf_snapshot_new(&s, "EX07"), 0);
	assert_int_equal(irmf_snapshot_set_fqdn(s, "ex07.contoso.com"), 0);
	s->roles = IRMF_ROLE_EXCHANGE | IRMF_ROLE_CONNECTOR;
	assert_int_equal(irmf_snapshot_set_product(s, "Exchange Server 2019",
	    "15.2.1544.4"), 0);
	assert_int_equal(irmf_snapshot_set_os(s,
	    "Windows Server 2019 (10.0.17763)"), 0);
	assert_int_equal(irmf_snapshot_set_collected_at(s,
	    "2026-03-01T02:00:00Z"), 0);
	s->method = IRMF_METHOD_IMPORT;
	assert_int_equal(irmf_snapshot_set_collector(s, "irmfleet", "0.1.0"),
	    0);
	assert_int_equal(irmf_snapshot_add_source(s, "ex07 irm.reg",
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	    "reg"), 0);
	assert_int_equal(irmf_snapshot_add_source(s, "gic.xml", NULL,
	    "clixml"), 0);

	assert_int_equal(irmf_snapshot_reg_key(s,
	    "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM\\"
	    "LicenseServerRedirection", &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k,
	    "https://0a1b2c3d-1111-2222-3333-444455556666.rms.na.aadrm.com",
	    IRMF_REG_SZ, "http://rmsconnector.contoso.com"), 0);
	assert_int_equal(irmf_snapshot_reg_key(s, "HKLM\\SOFTWARE\\Odd", &k),
	    0);
	assert_int_equal(irmf_reg_key_set_sz(k, "", IRMF_REG_SZ,
	    "a<b & c>\"d\" 'e' Ünïcødé € 日本"), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "ctl\x01name", IRMF_REG_SZ,
	    "esc\x1b[0m bell\x07"), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "badutf8", IRMF_REG_EXPAND_SZ,
	    "\xff\xfe%SystemRoot%\xc3"), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "  spaces\tand\r\nlines ",
	    IRMF_REG_SZ, "\r\n  two\r\nlines\t\n  "), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "empty", IRMF_REG_SZ, ""), 0);
	assert_int_equal(irmf_reg_key_set_multi(k, "multi", multi, 4), 0);
	assert_int_equal(irmf_reg_key_set_multi(k, "multi0", NULL, 0), 0);
	assert_int_equal(irmf_reg_key_set_bin(k, "bin", IRMF_REG_BINARY, bin,
	    sizeof(bin)), 0);
	assert_int_equal(irmf_reg_key_set_bin(k, "none", IRMF_REG_NONE, NULL,
	    0), 0);
	assert_int_equal(irmf_reg_key_set_bin(k, "res",
	    IRMF_REG_RESOURCE_LIST, bin, 2), 0);
	assert_int_equal(irmf_reg_key_set_num(k, "dw", IRMF_REG_DWORD,
	    0xffffffffu), 0);
	assert_int_equal(irmf_reg_key_set_num(k, "dwbe",
	    IRMF_REG_DWORD_BIG_ENDIAN, 1), 0);
	assert_int_equal(irmf_reg_key_set_num(k, "qw", IRMF_REG_QWORD,
	    UINT64_MAX), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "link", IRMF_REG_LINK,
	    "\\Registry\\Machine\\X"), 0);
	/* a key with no values */
	assert_int_equal(irmf_snapshot_reg_key(s, "HKCU\\Empty", &k), 0);

	assert_int_equal(irmf_snapshot_prop_set(s, "InternalLicensingEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "ServiceLocation",
	    IRMF_PROP_URI, NULL, true), 0);
	assert_int_equal(irmf_snapshot_prop_set_list(s, "LicensingLocation",
	    IRMF_PROP_URI_LIST, uris, 2), 0);
	assert_int_equal(irmf_snapshot_prop_set_list(s, "Empty",
	    IRMF_PROP_LIST, NULL, 0), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "NilList",
	    IRMF_PROP_URI_LIST, NULL, true), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "EmptyString",
	    IRMF_PROP_STRING, "", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "TransportDecryptionSetting",
	    IRMF_PROP_ENUM, "Optional", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "Ansi", IRMF_PROP_STRING,
	    "\x1b[31mred\x1b[0m", false), 0);

	assert_int_equal(irmf_snapshot_irm_test_add(s,
	    "Checking Exchange Server ...", true, NULL), 0);
	assert_int_equal(irmf_snapshot_irm_test_add(s, "Acquiring RMS "
	    "Templates ...", false, "Failed to acquire <templates>"), 0);
	s->irm_test_pass = false;

	assert_int_equal(irmf_snapshot_file_set(s, "msdrm.dll",
	    "C:\\Windows\\System32\\msdrm.dll", "10.0.17763.1"), 0);
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    NULL), 0);

	assert_int_equal(irmf_snapshot_set_computer_account(s,
	    "CONTOSO\\EX07$"), 0);
	assert_int_equal(irmf_snapshot_add_group(s,
	    "CONTOSO\\Exchange Servers"), 0);
	assert_int_equal(irmf_snapshot_add_group(s, "CONTOSO\\Domain "
	    "Computers"), 0);
	assert_int_equal(irmf_snapshot_add_service_account(s,
	    "CONTOSO\\svc-sp"), 0);

	assert_int_equal(irmf_snapshot_add_authorization(s,
	    "CONTOSO\\Exchange Servers", IRMF_ACCOUNT_GROUP,
	    IRMF_ROLE_EXCHANGE), 0);
	assert_int_equal(irmf_snapshot_add_authorization(s,
	    "CONTOSO\\svc-sp", IRMF_ACCOUNT_USER, IRMF_ROLE_SHAREPOINT), 0);
	assert_int_equal(irmf_snapshot_add_event_summary(s, 1002,
	    "CONTOSO\\EX01$", "EX01.contoso.com", 42,
	    "2026-02-01T00:00:00Z", "2026-02-28T23:59:59.1234567Z"), 0);
	assert_int_equal(irmf_snapshot_add_event_summary(s, 1004, NULL, NULL,
	    3, NULL, NULL), 0);

	assert_int_equal(irmf_snapshot_add_probe(s,
	    "https://rmsconnector.contoso.com/_wmcs/certification/"
	    "servercertification.asmx", IRMF_PROBE_HTTP, 401, NULL), 0);
	assert_int_equal(irmf_snapshot_add_probe(s, "https://nx.contoso.com/",
	    IRMF_PROBE_DNS, 0, "name not found"), 0);

	assert_int_equal(irmf_snapshot_add_error(s, "file:msipc.dll",
	    IRMF_REASON_NOT_FOUND, "no such file"), 0);
	assert_int_equal(irmf_snapshot_add_error(s, "groups",
	    IRMF_REASON_ACCESS_DENIED, NULL), 0);
	return s;
}

/* ------------------------------------------------------------ equality */

static void
assert_str_eq_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
assert_values_equal(const irmf_reg_value *a, const irmf_reg_value *b)
{
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->type, b->type);
	assert_str_eq_null(a->str, b->str);
	assert_int_equal(a->nmulti, b->nmulti);
	for (size_t i = 0; i < a->nmulti; i++)
		assert_string_equal(a->multi[i], b->multi[i]);
	assert_true(a->num == b->num);
	assert_int_equal(a->nbin, b->nbin);
	if (a->nbin)
		assert_memory_equal(a->bin, b->bin, a->nbin);
}

static void
assert_strlist_equal(const irmf_strlist *a, const irmf_strlist *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		assert_string_equal(a->items[i], b->items[i]);
}

static void
assert_identity_equal(const irmf_snapshot *a, const irmf_snapshot *b)
{
	assert_str_eq_null(a->server, b->server);
	assert_str_eq_null(a->fqdn, b->fqdn);
	assert_int_equal(a->roles, b->roles);
	assert_str_eq_null(a->product, b->product);
	assert_str_eq_null(a->product_build, b->product_build);
	assert_str_eq_null(a->os_version, b->os_version);
	assert_str_eq_null(a->collected_at, b->collected_at);
	assert_int_equal(a->method, b->method);
	assert_str_eq_null(a->collector_name, b->collector_name);
	assert_str_eq_null(a->collector_version, b->collector_version);
	assert_int_equal(a->nsources, b->nsources);
	for (size_t i = 0; i < a->nsources; i++) {
		assert_str_eq_null(a->sources[i].file, b->sources[i].file);
		assert_str_eq_null(a->sources[i].sha256, b->sources[i].sha256);
		assert_str_eq_null(a->sources[i].format, b->sources[i].format);
	}
}

static void
assert_snapshots_equal(const irmf_snapshot *a, const irmf_snapshot *b)
{
	size_t i, j;

	assert_identity_equal(a, b);
	assert_int_equal(a->nkeys, b->nkeys);
	for (i = 0; i < a->nkeys; i++) {
		assert_string_equal(a->keys[i].path, b->keys[i].path);
		assert_int_equal(a->keys[i].nvalues, b->keys[i].nvalues);
		for (j = 0; j < a->keys[i].nvalues; j++)
			assert_values_equal(&a->keys[i].values[j],
			    &b->keys[i].values[j]);
	}
	assert_int_equal(a->has_irm_config, b->has_irm_config);
	assert_int_equal(a->nprops, b->nprops);
	for (i = 0; i < a->nprops; i++) {
		const irmf_prop *p = &a->props[i], *q = &b->props[i];
		assert_string_equal(p->name, q->name);
		assert_int_equal(p->type, q->type);
		assert_int_equal(p->is_nil, q->is_nil);
		assert_str_eq_null(p->value, q->value);
		assert_int_equal(p->nitems, q->nitems);
		for (j = 0; j < p->nitems; j++)
			assert_string_equal(p->items[j], q->items[j]);
	}
	assert_int_equal(a->has_irm_test, b->has_irm_test);
	assert_int_equal(a->irm_test_pass, b->irm_test_pass);
	assert_int_equal(a->nirm_steps, b->nirm_steps);
	for (i = 0; i < a->nirm_steps; i++) {
		assert_str_eq_null(a->irm_steps[i].check, b->irm_steps[i].check);
		assert_int_equal(a->irm_steps[i].pass, b->irm_steps[i].pass);
		assert_str_eq_null(a->irm_steps[i].message,
		    b->irm_steps[i].message);
	}
	assert_int_equal(a->nfiles, b->nfiles);
	for (i = 0; i < a->nfiles; i++) {
		assert_str_eq_null(a->files[i].name, b->files[i].name);
		assert_str_eq_null(a->files[i].path, b->files[i].path);
		assert_str_eq_null(a->files[i].version, b->files[i].version);
	}
	assert_str_eq_null(a->computer_account, b->computer_account);
	assert_strlist_equal(&a->groups, &b->groups);
	assert_strlist_equal(&a->service_accounts, &b->service_accounts);
	assert_int_equal(a->has_authorizations, b->has_authorizations);
	assert_int_equal(a->nauths, b->nauths);
	for (i = 0; i < a->nauths; i++) {
		assert_string_equal(a->auths[i].account, b->auths[i].account);
		assert_int_equal(a->auths[i].kind, b->auths[i].kind);
		assert_int_equal(a->auths[i].role, b->auths[i].role);
	}
	assert_int_equal(a->has_events, b->has_events);
	assert_int_equal(a->nevents, b->nevents);
	for (i = 0; i < a->nevents; i++) {
		const irmf_event_summary *e = &a->events[i], *f = &b->events[i];
		assert_int_equal(e->id, f->id);
		assert_str_eq_null(e->account, f->account);
		assert_str_eq_null(e->computer, f->computer);
		assert_int_equal(e->count, f->count);
		assert_str_eq_null(e->first, f->first);
		assert_str_eq_null(e->last, f->last);
	}
	assert_int_equal(a->nevwindows, b->nevwindows);
	for (i = 0; i < a->nevwindows; i++) {
		const irmf_event_window *e = &a->evwindows[i];
		const irmf_event_window *f = &b->evwindows[i];
		assert_string_equal(e->ids, f->ids);
		assert_int_equal(e->returned, f->returned);
		assert_int_equal(e->whole_log, f->whole_log);
		assert_str_eq_null(e->oldest, f->oldest);
	}
	assert_int_equal(a->nprobes, b->nprobes);
	for (i = 0; i < a->nprobes; i++) {
		assert_string_equal(a->probes[i].url, b->probes[i].url);
		assert_int_equal(a->probes[i].result, b->probes[i].result);
		assert_int_equal(a->probes[i].http_status,
		    b->probes[i].http_status);
		assert_str_eq_null(a->probes[i].message, b->probes[i].message);
	}
	assert_int_equal(a->nerrors, b->nerrors);
	for (i = 0; i < a->nerrors; i++) {
		assert_string_equal(a->errors[i].item, b->errors[i].item);
		assert_int_equal(a->errors[i].reason, b->errors[i].reason);
		assert_str_eq_null(a->errors[i].message, b->errors[i].message);
	}
}

/* ------------------------------------------------------------ round trip */

/* The streaming reader keeps whitespace-only text, CR, '&' written as
 * "&amp;" or "&#38;", and character references exactly, in attributes
 * and in element text. */
static void
test_reader_text_exact(void **state)
{
	static const char doc[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<snapshot xmlns=\"urn:irmfleet:snapshot:1\" formatVersion=\" 1 \">\n"
	    "<identity><server>  EX&amp;1&#38;</server>"
	    "<roles><role> exchange </role></roles><method>import</method>"
	    "</identity>\n"
	    "<registry><key path=\"HKLM\\SOFTWARE\\A&amp;B&#38;C\">"
	    "<value name=\"q&#38;&amp;&lt;\" type=\" REG_SZ \" "
	    "data=\"a&amp;b=c&#38;d &#x20AC;\"/>"
	    "<value name=\"m\" type=\"REG_MULTI_SZ\"><item>  </item>"
	    "<item>&#9;cr&#13;&#10;lf</item><item/><item><![CDATA[<&>]]></item>"
	    "</value></key></registry>\n"
	    "</snapshot>\n";
	irmf_snapshot *s = NULL;
	irmf_reg_key *k;
	irmf_reg_value *v;

	(void)state;
	assert_int_equal(irmf_snapshot_load_buffer(&s, doc, strlen(doc),
	    "t.xml"), 0);
	assert_string_equal(s->server, "  EX&1&");
	assert_int_equal(s->roles, IRMF_ROLE_EXCHANGE);
	assert_non_null(k = irmf_snapshot_reg_find(s, "HKLM\\SOFTWARE\\A&B&C"));
	assert_non_null(v = irmf_reg_key_find_value(k, "q&&<"));
	assert_int_equal(v->type, IRMF_REG_SZ);
	assert_string_equal(v->str, "a&b=c&d \xe2\x82\xac");
	assert_non_null(v = irmf_reg_key_find_value(k, "m"));
	assert_int_equal(v->nmulti, 4);
	assert_string_equal(v->multi[0], "  ");
	assert_string_equal(v->multi[1], "\tcr\r\nlf");
	assert_string_equal(v->multi[2], "");
	assert_string_equal(v->multi[3], "<&>");
	irmf_snapshot_free(s);
}

static void
test_round_trip(void **state)
{
	irmf_snapshot *a = full_snapshot(), *b = NULL;
	char *buf = NULL, *buf2 = NULL;
	size_t len, len2;

	(void)state;
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_int_equal(strlen(buf), len);
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "rt.xml"), 0);
	assert_snapshots_equal(a, b);
	/* spot checks that equality really looked at the odd values */
	assert_string_equal(irmf_reg_key_find_value(irmf_snapshot_reg_find(b,
	    "HKLM\\SOFTWARE\\Odd"), "ctl\x01name")->str, "esc\x1b[0m bell\x07");
	assert_string_equal(irmf_reg_key_find_value(irmf_snapshot_reg_find(b,
	    "HKLM\\SOFTWARE\\Odd"), "multi")->multi[3], "");
	/* and the writer is a function of the model: same bytes again */
	assert_int_equal(irmf_snapshot_to_buffer(b, &buf2, &len2), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(buf, buf2, len);
	free(buf);
	free(buf2);
	irmf_snapshot_free(a);
	irmf_snapshot_free(b);
}

/* Additive parts (issue 15 #10, #13): the group list's scope (an empty
 * direct-only list included) and registry key ACLs, present and absent,
 * survive a round trip and validate; a bad scope is refused. */
static void
test_groups_scope_and_key_acl(void **state)
{
	irmf_snapshot *a, *b = NULL;
	char *buf = NULL, *bad;
	size_t len;
	const irmf_key_acl *acl;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&a, "EX08"), 0);
	a->roles = IRMF_ROLE_EXCHANGE;
	a->groups_scope = IRMF_GROUPS_DIRECT;
	assert_int_equal(irmf_snapshot_set_key_acl(a,
	    "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\Server",
	    "O:BAG:SYD:PAI(A;CIOI;KA;;;NS)(A;CIOI;KA;;;SY)"), 0);
	assert_int_equal(irmf_snapshot_set_key_acl(a,
	    "HKLM\\SOFTWARE\\Other", NULL), 0);
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_non_null(strstr(buf, "<groups scope=\"direct\"/>"));
	assert_non_null(strstr(buf, "<keyAcl path=\"HKEY_LOCAL_MACHINE\\"
	    "SOFTWARE\\Microsoft\\MSIPC\\Server\" sddl=\"O:BAG:SYD:PAI"));
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "acl.xml"), 0);
	assert_int_equal(b->groups_scope, IRMF_GROUPS_DIRECT);
	assert_int_equal(b->nacls, 2);
	acl = irmf_snapshot_key_acl(b, "HKEY_LOCAL_MACHINE\\SOFTWARE\\"
	    "Microsoft\\MSIPC\\Server");
	assert_non_null(acl);
	assert_string_equal(acl->sddl,
	    "O:BAG:SYD:PAI(A;CIOI;KA;;;NS)(A;CIOI;KA;;;SY)");
	acl = irmf_snapshot_key_acl(b, "HKLM\\SOFTWARE\\other");
	assert_non_null(acl);
	assert_null(acl->sddl);
	irmf_snapshot_free(b);
	b = NULL;
	/* a scope the schema does not know */
	bad = strdup(buf);
	memcpy(strstr(bad, "scope=\"direct\""), "scope=\"deeper\"", 14);
	assert_int_not_equal(irmf_snapshot_load_buffer(&b, bad, len,
	    "bad.xml"), 0);
	irmf_snapshot_free(b);
	free(bad);
	free(buf);
	irmf_snapshot_free(a);
}

/* The readable parts stay readable; only what XML cannot carry is
 * base64; the odd-but-legal characters are escaped, not encoded. */
static void
test_output_shape(void **state)
{
	irmf_snapshot *a = full_snapshot();
	char *buf = NULL;
	size_t len;

	(void)state;
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_non_null(strstr(buf, "<snapshot xmlns=\"urn:irmfleet:snapshot:1\""
	    " formatVersion=\"2\">"));
	assert_non_null(strstr(buf, "<value name=\"\" type=\"REG_SZ\" "
	    "data=\"a&lt;b &amp; c&gt;&quot;d&quot; 'e' Ünïcødé € 日本\"/>"));
	assert_non_null(strstr(buf, "nameBase64=\"Y3RsAW5hbWU=\""));
	assert_non_null(strstr(buf, "<item/>"));
	assert_non_null(strstr(buf, "type=\"REG_BINARY\" data=\"0001feff3c26\""));
	assert_non_null(strstr(buf, "type=\"REG_QWORD\" "
	    "data=\"18446744073709551615\""));
	assert_non_null(strstr(buf, "<property name=\"ServiceLocation\" "
	    "type=\"uri\" nil=\"true\"/>"));
	assert_non_null(strstr(buf, "<authorizations>"));
	assert_null(strstr(buf, "\x1b"));
	free(buf);
	irmf_snapshot_free(a);
}

/* The windows of the event queries (optional <window> elements of
 * <events>) are written before the rows and read back; the schema
 * accepts them, and an unknown window stays unknown. */
static void
test_event_windows(void **state)
{
	irmf_snapshot *a, *b = NULL;
	char *buf = NULL;
	size_t len;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&a, "RMSCON01"), 0);
	a->roles = IRMF_ROLE_CONNECTOR;
	assert_int_equal(irmf_snapshot_add_event_summary(a, 1004, NULL, NULL,
	    3, "2026-02-27T17:00:00Z", "2026-02-28T23:45:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_event_window(a,
	    "1000 1001 1002 1003", 42, true, "2026-02-01T00:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_event_window(a, "1004", 500, false,
	    "2026-02-27T17:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_event_window(a, "3001", 0, true,
	    NULL), 0);
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_non_null(strstr(buf, "<events>\n    <window ids=\"1000 1001 "
	    "1002 1003\" returned=\"42\" wholeLog=\"true\" "
	    "oldest=\"2026-02-01T00:00:00Z\"/>"));
	assert_non_null(strstr(buf, "<window ids=\"3001\" returned=\"0\" "
	    "wholeLog=\"true\"/>"));
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "w.xml"), 0);
	assert_snapshots_equal(a, b);
	assert_false(irmf_snapshot_event_window(b, 1004)->whole_log);
	free(buf);
	irmf_snapshot_free(b);
	b = NULL;
	/* a window whose ids are not a list of numbers is an error */
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	memcpy(strstr(buf, "ids=\"3001\""), "ids=\"30x1\"", 11);
	assert_true(irmf_snapshot_load_buffer(&b, buf, len, "w.xml") < 0);
	assert_null(b);
	free(buf);
	irmf_snapshot_free(a);
}

/* Present-but-empty sections stay present; absent stay absent. */
static void
test_presence_flags(void **state)
{
	irmf_snapshot *a, *b = NULL;
	char *buf = NULL;
	size_t len;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&a, "RMSCON01"), 0);
	a->has_irm_config = true;
	a->has_events = true;
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_non_null(strstr(buf, "<irmConfiguration/>"));
	assert_null(strstr(buf, "<authorizations"));
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "p.xml"), 0);
	assert_true(b->has_irm_config);
	assert_true(b->has_events);
	assert_false(b->has_authorizations);
	assert_false(b->has_irm_test);
	assert_snapshots_equal(a, b);
	free(buf);
	irmf_snapshot_free(a);
	irmf_snapshot_free(b);
}

static size_t
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_save_atomic(void **state)
{
	irmf_snapshot *a = full_snapshot(), *b = NULL, *bad;
	char *dir = tu_tempdir(), path[4200], nodir[4200];
	char *buf = NULL, *file = NULL;
	size_t len, flen;

	(void)state;
	snprintf(path, sizeof(path), "%s/EX07.xml", dir);
	assert_int_equal(irmf_snapshot_save(a, path), 0);
	assert_int_equal(count_entries(dir), 1);   /* no temp file left */
	assert_int_equal(irmf_snapshot_load(&b, path), 0);
	assert_snapshots_equal(a, b);
	/* the file holds exactly what to_buffer gives */
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	assert_int_equal(irmf_file_read(path, 1 << 20, &file, &flen), 0);
	assert_int_equal(len, flen);
	assert_memory_equal(buf, file, len);
	/* overwriting works and replaces */
	assert_int_equal(irmf_snapshot_set_fqdn(a, "other.contoso.com"), 0);
	assert_int_equal(irmf_snapshot_save(a, path), 0);
	irmf_snapshot_free(b);
	assert_int_equal(irmf_snapshot_load(&b, path), 0);
	assert_string_equal(b->fqdn, "other.contoso.com");
	assert_int_equal(count_entries(dir), 1);

	/* an invalid model is refused and the old file kept intact */
	assert_int_equal(irmf_snapshot_new(&bad, "EX99"), 0);
	assert_int_equal(irmf_snapshot_add_source(bad, "x.reg", "NOT-HEX",
	    "reg"), 0);
	assert_int_equal(irmf_snapshot_save(bad, path), IRMF_ESCHEMA);
	/* target file and the line the bad element would have had */
	assert_non_null(strstr(irmf_error_last()->message,
	    "EX07.xml:8: invalid snapshot of 'EX99': Element 'source'"));
	assert_non_null(strstr(irmf_error_last()->message, "sha256"));
	assert_int_equal(count_entries(dir), 1);
	irmf_snapshot_free(b);
	assert_int_equal(irmf_snapshot_load(&b, path), 0);
	assert_string_equal(b->server, "EX07");
	/* no server name: refused */
	free(bad->server);
	bad->server = NULL;
	assert_int_equal(irmf_snapshot_save(bad, path), IRMF_EUSAGE);
	/* a directory that does not exist: I/O error, nothing created */
	snprintf(nodir, sizeof(nodir), "%s/missing/EX07.xml", dir);
	assert_int_equal(irmf_snapshot_save(a, nodir), IRMF_EIO);
	assert_non_null(strstr(irmf_error_last()->message, nodir));
	assert_int_equal(count_entries(dir), 1);
	/* the target is a directory: refused, no temporary file left */
	snprintf(nodir, sizeof(nodir), "%s/sub", dir);
	assert_int_equal(mkdir(nodir, 0700), 0);
	assert_int_equal(irmf_snapshot_save(a, nodir), IRMF_EIO);
	assert_non_null(strstr(irmf_error_last()->message, "is a directory"));
	assert_int_equal(count_entries(dir), 2);
	assert_int_equal(count_entries(nodir), 0);

	irmf_snapshot_free(bad);
	irmf_snapshot_free(a);
	irmf_snapshot_free(b);
	free(buf);
	free(file);
	tu_rmtree(dir);
	free(dir);
}

/* ------------------------------------------------------------ golden */

/* full_snapshot() plus text elements holding what the writer must escape
 * exactly as the former tree serializer did: '"' stays as is in text,
 * CR becomes &#13;, non-ASCII stays UTF-8 in text and attributes, TAB
 * and LF in attributes become character references. */
static irmf_snapshot *
golden_snapshot(void)
{
	irmf_snapshot *s = full_snapshot();
	char *items[] = { "\"q\" <a&b> \r\n\tÜ€日本", "x" };

	assert_int_equal(irmf_snapshot_irm_test_add(s, "say \"hi\"\r\n",
	    true, "tab\there > \"there\" & Ünï €"), 0);
	assert_int_equal(irmf_snapshot_prop_set_list(s, "Texts",
	    IRMF_PROP_LIST, items, 2), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "Attr", IRMF_PROP_STRING,
	    "\"q\"\t\r\n<a&b> Ü€", false), 0);
	assert_int_equal(irmf_snapshot_set_computer_account(s,
	    "CONTOSO\\Ünï\"$\""), 0);
	assert_int_equal(irmf_snapshot_add_group(s, "\r\n"), 0);
	assert_int_equal(irmf_snapshot_add_service_account(s, " "), 0);
	return s;
}

/* The bytes are pinned: snapshots are hashed by the audit store, so a
 * new writer must give exactly what the old one gave
 * (snapshot/golden-full.xml was written by the tree serializer). */
static void
test_golden_bytes(void **state)
{
	irmf_snapshot *s = golden_snapshot(), *b = NULL;
	char *orig, *buf = NULL;
	size_t olen, len;

	(void)state;
	assert_int_equal(irmf_snapshot_to_buffer(s, &buf, &len), 0);
	orig = tu_read_fixture("snapshot/golden-full.xml", &olen);
	assert_int_equal(len, olen);
	assert_memory_equal(buf, orig, len);
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "g.xml"), 0);
	assert_snapshots_equal(s, b);
	free(orig);
	free(buf);
	irmf_snapshot_free(s);
	irmf_snapshot_free(b);
}

/* ------------------------------------------------------------ fixtures */

static void
test_fixture_valid(void **state)
{
	irmf_snapshot *s = NULL;
	const irmf_reg_value *v;
	char *orig, *buf = NULL;
	size_t olen, len;

	(void)state;
	assert_int_equal(irmf_snapshot_load(&s,
	    tu_fixture_path("snapshot/valid-ex01.xml")), 0);
	assert_string_equal(s->server, "EX01");
	assert_int_equal(s->roles, IRMF_ROLE_EXCHANGE);
	assert_int_equal(s->method, IRMF_METHOD_SSH);
	v = irmf_reg_key_find_value(irmf_snapshot_reg_find(s,
	    "HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\Activation"),
	    "");
	assert_non_null(v);
	assert_string_equal(v->str, "https://5c6bb73b-1038-4eec-863d-"
	    "49bded473437.rms.na.aadrm.com/_wmcs/certification");
	assert_true(s->has_irm_config);
	assert_string_equal(irmf_snapshot_prop_find(s,
	    "InternalLicensingEnabled")->value, "True");
	assert_true(irmf_snapshot_prop_find(s, "ServiceLocation")->is_nil);
	assert_string_equal(irmf_snapshot_error_for(s, "file:msipc.dll")->
	    message, "file not found");
	/* the fixture is in canonical form: writing it back gives the
	 * same bytes (pins the output format) */
	orig = tu_read_fixture("snapshot/valid-ex01.xml", &olen);
	assert_int_equal(irmf_snapshot_to_buffer(s, &buf, &len), 0);
	assert_int_equal(len, olen);
	assert_memory_equal(buf, orig, len);
	free(orig);
	free(buf);
	irmf_snapshot_free(s);
}

/* Whitespace XSD ignores around tokens and booleans is ignored here too
 * (a hand-edited file must not silently read " true " as false). */
static void
test_fixture_whitespace(void **state)
{
	irmf_snapshot *s = NULL;

	(void)state;
	assert_int_equal(irmf_snapshot_load(&s,
	    tu_fixture_path("snapshot/valid-whitespace.xml")), 0);
	assert_int_equal(s->roles, IRMF_ROLE_EXCHANGE);
	assert_int_equal(s->method, IRMF_METHOD_SSH);
	assert_int_equal(irmf_snapshot_prop_find(s, "A")->type, IRMF_PROP_BOOL);
	assert_true(irmf_snapshot_prop_find(s, "A")->is_nil);
	assert_true(s->has_irm_test);
	assert_true(s->irm_test_pass);
	assert_int_equal(s->probes[0].result, IRMF_PROBE_HTTP);
	assert_int_equal(s->probes[0].http_status, 401);
	irmf_snapshot_free(s);
}

struct collected {
	char lines[16][1024];
	int n;
};

static void
collect_line(const char *line, void *payload)
{
	struct collected *c = payload;

	if (c->n < 16)
		snprintf(c->lines[c->n], sizeof(c->lines[0]), "%s", line);
	c->n++;
}

/* load the fixture: expect `code`, and a message starting with
 * "<path>:<line>: " and containing `needle` */
static void
expect_load_error(const char *rel, int code, long line, const char *needle)
{
	irmf_snapshot *s = (irmf_snapshot *)1;
	char prefix[4200];
	const char *path = tu_fixture_path(rel);

	snprintf(prefix, sizeof(prefix), "%s:%ld: ", path, line);
	assert_int_equal(irmf_snapshot_load(&s, path), code);
	assert_null(s);
	if (strncmp(irmf_error_last()->message, prefix, strlen(prefix)) != 0)
		fail_msg("'%s' does not start with '%s'",
		    irmf_error_last()->message, prefix);
	if (strstr(irmf_error_last()->message, needle) == NULL)
		fail_msg("'%s' does not mention '%s'",
		    irmf_error_last()->message, needle);
}

static void
test_error_paths(void **state)
{
	irmf_snapshot *s = NULL;

	(void)state;
	assert_int_equal(irmf_snapshot_load(&s,
	    tu_fixture_path("snapshot/does-not-exist.xml")), IRMF_ENOTFOUND);
	assert_non_null(strstr(irmf_error_last()->message,
	    "does-not-exist.xml: cannot open"));
	expect_load_error("snapshot/broken-truncated.xml", IRMF_EPARSE, 17,
	    "Premature end of data");
	expect_load_error("snapshot/broken-namespace.xml", IRMF_EPARSE, 2,
	    "expected 'snapshot' in namespace 'urn:irmfleet:snapshot:1'");
	expect_load_error("snapshot/broken-element.xml", IRMF_ESCHEMA, 9,
	    "Element 'vaule': This element is not expected");
	expect_load_error("snapshot/broken-version.xml", IRMF_EUNSUPPORTED, 2,
	    "format version '3' is not supported (this irmfleet reads "
	    "versions 1 to 2)");
	expect_load_error("snapshot/broken-dword.xml", IRMF_EPARSE, 10,
	    "'0x10' is not a decimal number");
	expect_load_error("snapshot/broken-doctype.xml", IRMF_EPARSE, 2,
	    "document type declarations are not allowed");
	/* an internal entity makes libxml2 build a document even in SAX
	 * mode: found leaking by fuzz_snapshot */
	expect_load_error("snapshot/broken-doctype-internal.xml", IRMF_EPARSE,
	    2, "document type declarations are not allowed");
	expect_load_error("snapshot/broken-twin.xml", IRMF_EPARSE, 9,
	    "both 'name' and its base64 twin");
	expect_load_error("snapshot/broken-duplicate-key.xml", IRMF_EPARSE, 11,
	    "duplicate key");
	/* value names compare case-insensitively, as in the registry */
	expect_load_error("snapshot/broken-duplicate-value.xml", IRMF_EPARSE,
	    12, "duplicate value 'x'");
}

/* validate_file lists every schema error, each with file:line. */
static void
test_validate_reports_all(void **state)
{
	struct collected c = { .n = 0 };
	const char *path;
	char want[4200];

	(void)state;
	path = tu_fixture_path("snapshot/broken-many.xml");
	assert_int_equal(irmf_snapshot_validate_file(path, collect_line, &c),
	    IRMF_ESCHEMA);
	assert_int_equal(c.n, 3);
	snprintf(want, sizeof(want), "%s:6: ", path);
	assert_memory_equal(c.lines[0], want, strlen(want));
	assert_non_null(strstr(c.lines[0], "'nowhere'"));
	snprintf(want, sizeof(want), "%s:10: ", path);
	assert_memory_equal(c.lines[1], want, strlen(want));
	assert_non_null(strstr(c.lines[1], "REG_STRING"));
	snprintf(want, sizeof(want), "%s:14: ", path);
	assert_memory_equal(c.lines[2], want, strlen(want));

	/* each problem once, and the kind that wins: a bad DWORD (a reading
	 * rule) in a file then cut short reports only the parse error, and
	 * a bad DWORD alone only itself */
	c.n = 0;
	path = tu_fixture_path("snapshot/broken-dword-truncated.xml");
	assert_int_equal(irmf_snapshot_validate_file(path, collect_line, &c),
	    IRMF_EPARSE);
	assert_true(c.n >= 1);   /* libxml2 may say it in several lines */
	for (int i = 0; i < c.n; i++) {
		assert_null(strstr(c.lines[i], "0x10"));
		assert_non_null(strstr(c.lines[i], ":12: "));
		for (int j = 0; j < i; j++)   /* none reported twice */
			assert_string_not_equal(c.lines[i], c.lines[j]);
	}
	c.n = 0;
	path = tu_fixture_path("snapshot/broken-dword.xml");
	assert_int_equal(irmf_snapshot_validate_file(path, collect_line, &c),
	    IRMF_EPARSE);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.lines[0], "'0x10' is not a decimal number"));

	c.n = 0;
	assert_int_equal(irmf_snapshot_validate_file(tu_fixture_path(
	    "snapshot/valid-ex01.xml"), collect_line, &c), 0);
	assert_int_equal(c.n, 0);
	/* an unreadable file is reported once, naming the file */
	assert_int_equal(irmf_snapshot_validate_file(tu_fixture_path(
	    "snapshot/nope.xml"), collect_line, &c), IRMF_ENOTFOUND);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.lines[0], "nope.xml: cannot open"));
}

static void
test_truncated_buffers(void **state)
{
	irmf_snapshot *a = full_snapshot(), *b = NULL;
	char *buf = NULL;
	size_t len;

	(void)state;
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	/* every proper prefix is rejected, never crashes or succeeds */
	for (size_t cut = 0; cut < len - 1; cut += 97) {
		int rc = irmf_snapshot_load_buffer(&b, buf, cut, "cut.xml");
		assert_int_equal(rc, IRMF_EPARSE);
		assert_null(b);
		assert_memory_equal(irmf_error_last()->message, "cut.xml", 7);
	}
	free(buf);
	irmf_snapshot_free(a);
}

/* Line numbers past 65535 (libxml2 keeps 16 bits in the node) are still
 * right, for schema errors and for the reader's own checks. */
static void
test_big_line_numbers(void **state)
{
	static const char head[] = "<?xml version=\"1.0\"?>\n"
	    "<snapshot xmlns=\"urn:irmfleet:snapshot:1\" formatVersion=\"1\">\n"
	    "<identity><server>BIG</server><roles/><method>ssh</method>"
	    "</identity>\n<registry>\n";
	size_t cap = 8 << 20, len = 0;
	char *buf = malloc(cap);
	irmf_snapshot *s = NULL;
	long line = 4;

	(void)state;
	assert_non_null(buf);
	len += (size_t)snprintf(buf + len, cap - len, "%s", head);
	for (int i = 0; i < 70000; i++) {
		len += (size_t)snprintf(buf + len, cap - len,
		    "<key path=\"HKEY_LOCAL_MACHINE\\K%d\"><value name=\"\" "
		    "type=\"REG_DWORD\" data=\"%d\"/></key>\n", i, i);
		line++;
	}
	line++;   /* the line of the broken key */
	snprintf(buf + len, cap - len, "<key path=\"HKEY_LOCAL_MACHINE\\X\">"
	    "<value name=\"\" type=\"REG_DWORD\" data=\"zz\"/></key>\n"
	    "</registry>\n</snapshot>\n");
	assert_int_equal(irmf_snapshot_load_buffer(&s, buf, strlen(buf),
	    "big.xml"), IRMF_EPARSE);
	assert_int_equal(strtol(irmf_error_last()->message + 8, NULL, 10),
	    line);
	/* the same place as a schema error */
	memcpy(strstr(buf, "data=\"zz\""), "dada", 4);
	assert_int_equal(irmf_snapshot_load_buffer(&s, buf, strlen(buf),
	    "big.xml"), IRMF_ESCHEMA);
	assert_int_equal(strtol(irmf_error_last()->message + 8, NULL, 10),
	    line);
	free(buf);
}

/* A model the schema refuses, far down a big output: the save fails,
 * naming the target and the line the bad element would have had (the
 * bytes are validated as written, so the line is exact past 65535). */
static void
test_write_error_line(void **state)
{
	irmf_snapshot *s;
	irmf_reg_key *k;
	char path[64], want[8400];
	char *dir = tu_tempdir(), target[4200];
	const int nkeys = 25000;

	(void)state;
	assert_int_equal(irmf_snapshot_new(&s, "BIG"), 0);
	for (int i = 0; i < nkeys; i++) {
		snprintf(path, sizeof(path), "HKLM\\K%d", i);
		assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
		assert_int_equal(irmf_reg_key_set_num(k, "", IRMF_REG_DWORD,
		    (uint64_t)i), 0);
	}
	assert_int_equal(irmf_snapshot_reg_key(s, "HKLM\\Bad", &k), 0);
	/* a type the format does not have: written as REG_UNKNOWN */
	assert_int_equal(irmf_reg_key_set_num(k, "x", (irmf_reg_type)99, 1),
	    0);
	snprintf(target, sizeof(target), "%s/BIG.xml", dir);
	assert_int_equal(irmf_snapshot_save(s, target), IRMF_ESCHEMA);
	/* declaration, <snapshot>, <identity>, <server>, <roles/>, <method>,
	 * </identity>, <registry>, then 3 lines a key, then <key> */
	snprintf(want, sizeof(want), "%s:%d: invalid snapshot of 'BIG': "
	    "Element 'value', attribute 'type'", target, 10 + 3 * nkeys);
	if (strstr(irmf_error_last()->message, want) == NULL)
		fail_msg("got '%s', want '%s'", irmf_error_last()->message,
		    want);
	assert_int_equal(count_entries(dir), 0);   /* nothing written */
	irmf_snapshot_free(s);
	tu_rmtree(dir);
	free(dir);
}

struct thread_arg {
	const char *path;
	int failures;
};

static void *
load_many(void *p)
{
	struct thread_arg *a = p;

	for (int i = 0; i < 40; i++) {
		irmf_snapshot *s = NULL;
		char *buf = NULL;
		size_t len;

		if (irmf_snapshot_load(&s, a->path) != 0 ||
		    irmf_snapshot_to_buffer(s, &buf, &len) != 0)
			a->failures++;
		free(buf);
		irmf_snapshot_free(s);
	}
	return NULL;
}

/* Threads share the compiled schema cache (the collector saves snapshots
 * from several threads); first use races to compile it. */
static void
test_threads(void **state)
{
	pthread_t t[6];
	struct thread_arg a[6];
	/* tu_fixture_path's buffer is not for threads: resolve it once */
	char *path = strdup(tu_fixture_path("snapshot/valid-ex01.xml"));

	(void)state;
	assert_non_null(path);
	irmf_xml_cleanup();   /* make the threads race to compile */
	for (int i = 0; i < 6; i++) {
		a[i].path = path;
		a[i].failures = 0;
		assert_int_equal(pthread_create(&t[i], NULL, load_many, &a[i]),
		    0);
	}
	for (int i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(a[i].failures, 0);
	}
	free(path);
}

static void
test_size_limit(void **state)
{
	irmf_snapshot *s = NULL;
	char *big = calloc(IRMF_XML_MAX_INPUT + 1, 1);

	(void)state;
	assert_non_null(big);
	assert_int_equal(irmf_snapshot_load_buffer(&s, big,
	    IRMF_XML_MAX_INPUT + 1, "big.xml"), IRMF_ELIMIT);
	assert_null(s);
	free(big);
}

static void
test_schema_dir_override(void **state)
{
	irmf_snapshot *a = full_snapshot();
	char *buf = NULL;
	size_t len;

	(void)state;
	setenv("IRMFLEET_SCHEMA_DIR", "/nonexistent-irmf-schemas", 1);
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len),
	    IRMF_ENOTFOUND);
	assert_non_null(strstr(irmf_error_last()->message,
	    "/nonexistent-irmf-schemas/snapshot.xsd"));
	setenv("IRMFLEET_SCHEMA_DIR", IRMF_SOURCE_DIR "/schemas", 1);
	assert_int_equal(irmf_snapshot_to_buffer(a, &buf, &len), 0);
	unsetenv("IRMFLEET_SCHEMA_DIR");
	free(buf);
	irmf_snapshot_free(a);
}

static void
test_text_ok(void **state)
{
	(void)state;
	assert_true(irmf_xml_text_ok("plain <&> \t\r\n Ü € 日本 \xf0\x9f\x98\x80"));
	assert_false(irmf_xml_text_ok("\x01"));
	assert_false(irmf_xml_text_ok("\x1f"));
	assert_false(irmf_xml_text_ok("\xff"));
	assert_false(irmf_xml_text_ok("\xc0\x80"));       /* overlong NUL */
	assert_false(irmf_xml_text_ok("\xed\xa0\x80"));   /* surrogate */
	assert_false(irmf_xml_text_ok("\xef\xbf\xbe"));   /* U+FFFE */
	assert_false(irmf_xml_text_ok("\xc3"));           /* truncated */
}

/* The example fleet: every file loads, is in canonical form, and EX07 is
 * the one Exchange server whose license redirection uses http. */
static void
test_example_fleet(void **state)
{
	const char *dir = IRMF_SOURCE_DIR "/examples/fleet";
	DIR *d = opendir(dir);
	struct dirent *e;
	int nexchange = 0, nsp = 0, ncon = 0, nhttp = 0;
	char path[4200];

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		irmf_snapshot *s = NULL;
		const irmf_reg_key *k;
		char *orig, *buf = NULL;
		size_t olen, len;

		if (strstr(e->d_name, ".xml") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (irmf_snapshot_load(&s, path) != 0)
			fail_msg("%s", irmf_error_last()->message);
		orig = tu_read_fixture(path, &olen);
		assert_int_equal(irmf_snapshot_to_buffer(s, &buf, &len), 0);
		assert_int_equal(len, olen);
		assert_memory_equal(buf, orig, len);
		if (s->roles & IRMF_ROLE_EXCHANGE) {
			nexchange++;
			k = irmf_snapshot_reg_find(s, "HKLM\\SOFTWARE\\Microsoft\\"
			    "ExchangeServer\\v15\\IRM\\LicenseServerRedirection");
			assert_non_null(k);
			assert_int_equal(k->nvalues, 1);
			if (strncmp(k->values[0].str, "http://", 7) == 0) {
				nhttp++;
				assert_string_equal(s->server, "EX07");
			}
			assert_string_equal(irmf_snapshot_prop_find(s,
			    "InternalLicensingEnabled")->value, "True");
		}
		if (s->roles & IRMF_ROLE_SHAREPOINT)
			nsp++;
		if (s->roles & IRMF_ROLE_CONNECTOR) {
			ncon++;
			assert_true(s->has_authorizations);
			assert_true(s->has_events);
		}
		free(orig);
		free(buf);
		irmf_snapshot_free(s);
	}
	closedir(d);
	assert_true(nexchange >= 8);
	assert_int_equal(nsp, 2);
	assert_int_equal(ncon, 2);
	assert_int_equal(nhttp, 1);
}

/* ------------------------------------------------ generation (format 2) */

/* The <generation> element of s as written, or fail (a copy, freed by the
 * caller); NULL when there is none. */
static char *
written_generation(const irmf_snapshot *s)
{
	char *buf = NULL, *a, *b, *out = NULL;
	size_t len;

	assert_int_equal(irmf_snapshot_to_buffer(s, &buf, &len), 0);
	if ((a = strstr(buf, "<generation")) != NULL) {
		b = strstr(a, "/>");
		if (strstr(a, "</generation>") != NULL &&
		    (b == NULL || strstr(a, "</generation>") < b ||
		    strchr(a, '>') < b))
			b = strstr(a, "</generation>") + strlen("</generation>");
		else
			b += 2;
		out = strndup(a, (size_t)(b - a));
	}
	free(buf);
	return out;
}

static irmf_snapshot *
exchange_server(const char *name, const char *exsetup, const char *build)
{
	irmf_snapshot *s;
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_new(&s, name), 0);
	s->roles = IRMF_ROLE_EXCHANGE;
	if (build != NULL)
		assert_int_equal(irmf_snapshot_set_product(s, NULL, build), 0);
	if (exsetup != NULL)
		assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
		    exsetup), 0);
	assert_int_equal(irmf_snapshot_reg_key(s, "HKLM\\SOFTWARE\\Microsoft\\"
	    "ExchangeServer\\v14\\IRM\\LicenseServerRedirection", &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, "https://t.rms.na.aadrm.com",
	    IRMF_REG_SZ, "https://rmscon.contoso.com"), 0);
	return s;
}

/* Every kind of identity is recorded with its evidence, strongest first;
 * a known build says where it came from and whether it is exact; an
 * unknown or contradictory generation is recorded as such; a connector
 * node gets no element; and it all reads back (schema-valid). */
static void
test_generation_written(void **state)
{
	irmf_snapshot *s, *b = NULL;
	char *g, *buf = NULL;
	size_t len;

	(void)state;
	s = exchange_server("EX10A", "14.3.389.1", "14.3.123.4");
	g = written_generation(s);
	assert_string_equal(g, "<generation name=\"exchange-2010\" "
	    "build=\"14.3.389.1\" buildSource=\"ExSetup.exe\" "
	    "buildExact=\"true\">\n"
	    "      <evidence rank=\"file\" source=\"file:ExSetup.exe\" "
	    "value=\"14.3.389.1\" says=\"exchange-2010\"/>\n"
	    "      <evidence rank=\"product\" source=\"Get-ExchangeServer\" "
	    "value=\"14.3.123.4\" says=\"exchange-2010\"/>\n"
	    "      <evidence rank=\"config-keys\" source=\"reg:HKLM\\SOFTWARE\\"
	    "Microsoft\\ExchangeServer\\v14\\IRM\" value=\"IRM keys under "
	    "v14\" says=\"exchange-2010\"/>\n"
	    "    </generation>");
	free(g);
	irmf_snapshot_free(s);

	/* Get-ExchangeServer's roles travel on <product> and come back */
	s = exchange_server("EDGE01", NULL, "15.2.1544.4");
	assert_int_equal(irmf_set_str(&s->exchange_roles, "Edge"), 0);
	assert_int_equal(irmf_snapshot_to_buffer(s, &buf, &len), 0);
	assert_non_null(strstr(buf, " exchangeRoles=\"Edge\""));
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "edge.xml"),
	    0);
	assert_string_equal(b->exchange_roles, "Edge");
	irmf_snapshot_free(b);
	b = NULL;
	free(buf);
	buf = NULL;
	irmf_snapshot_free(s);

	/* the service pack level only: not exact */
	s = exchange_server("EX10B", NULL, "14.3.123.4");
	g = written_generation(s);
	assert_non_null(strstr(g, "name=\"exchange-2010\" build=\"14.3.123.4\" "
	    "buildSource=\"Get-ExchangeServer AdminDisplayVersion\" "
	    "buildExact=\"false\">"));
	free(g);
	irmf_snapshot_free(s);

	/* contradictory strong evidence */
	s = exchange_server("EX11", "14.3.389.1", "15.1.2507.6");
	g = written_generation(s);
	assert_non_null(strstr(g, "<generation name=\"conflict\" "));
	assert_non_null(strstr(g, "value=\"15.1.2507.6\" "
	    "says=\"exchange-2013+\"/>"));
	free(g);
	irmf_snapshot_free(s);

	/* no evidence at all: unknown, no build, no evidence */
	assert_int_equal(irmf_snapshot_new(&s, "EX12"), 0);
	s->roles = IRMF_ROLE_EXCHANGE;
	g = written_generation(s);
	assert_string_equal(g, "<generation name=\"unknown\"/>");
	free(g);
	irmf_snapshot_free(s);

	/* a connector node has no generation: no element */
	assert_int_equal(irmf_snapshot_new(&s, "RMSCON01"), 0);
	s->roles = IRMF_ROLE_CONNECTOR;
	assert_null(written_generation(s));
	irmf_snapshot_free(s);

	/* a build XML cannot carry goes to the base64 twins, and the file
	 * is still valid and reads back */
	s = exchange_server("EX13", NULL, "15.1.\x1b[0m");
	g = written_generation(s);
	assert_non_null(strstr(g, " buildBase64=\"MTUuMS4bWzBt\""));
	assert_non_null(strstr(g, " valueBase64=\"MTUuMS4bWzBt\""));
	assert_null(strchr(g, '\x1b'));
	free(g);
	assert_int_equal(irmf_snapshot_to_buffer(s, &buf, &len), 0);
	assert_int_equal(irmf_snapshot_load_buffer(&b, buf, len, "b.xml"), 0);
	assert_string_equal(b->recorded_generation, "exchange-2013+");
	assert_string_equal(b->recorded_build, "15.1.\x1b[0m");
	assert_false(irmf_snapshot_generation_mismatch(b, "b.xml", NULL, 0));
	free(buf);
	irmf_snapshot_free(b);
	irmf_snapshot_free(s);
}

/* A version 1 file (no <generation>) still reads, to the same model as
 * its version 2 rewrite; writing it gives version 2; and the audit store
 * hashes both alike, so the format change alone is never drift. */
static void
test_version1_still_reads(void **state)
{
	irmf_snapshot *v1 = NULL, *v2 = NULL;
	char *orig, *buf = NULL;
	char h1[65], h2[65];
	size_t olen, len;

	(void)state;
	assert_int_equal(irmf_snapshot_load(&v1,
	    tu_fixture_path("snapshot/valid-ex01-v1.xml")), 0);
	assert_int_equal(irmf_snapshot_load(&v2,
	    tu_fixture_path("snapshot/valid-ex01.xml")), 0);
	assert_snapshots_equal(v1, v2);
	assert_null(v1->recorded_generation);
	assert_string_equal(v2->recorded_generation, "exchange-2013+");
	assert_string_equal(v2->recorded_build, "15.2.1544.4");
	assert_int_equal(v2->recorded_line, 10);
	orig = tu_read_fixture("snapshot/valid-ex01.xml", &olen);
	assert_int_equal(irmf_snapshot_to_buffer(v1, &buf, &len), 0);
	assert_int_equal(len, olen);
	assert_memory_equal(buf, orig, len);
	assert_int_equal(irmf_store_snapshot_hash(v1, h1), 0);
	assert_int_equal(irmf_store_snapshot_hash(v2, h2), 0);
	assert_string_equal(h1, h2);
	free(orig);
	free(buf);
	irmf_snapshot_free(v1);
	irmf_snapshot_free(v2);
}

/* Load the doc, expect failure with `code` and `needle` in the message. */
static void
expect_buffer_error(const char *doc, int code, const char *needle)
{
	irmf_snapshot *s = NULL;

	assert_int_equal(irmf_snapshot_load_buffer(&s, doc, strlen(doc),
	    "g.xml"), code);
	assert_null(s);
	if (strstr(irmf_error_last()->message, needle) == NULL)
		fail_msg("'%s' does not mention '%s'",
		    irmf_error_last()->message, needle);
}

/* <generation> belongs to version 2: in a version 1 file it is refused
 * with its line; an unknown generation name or evidence rank is a schema
 * error; version 0 and 3 are refused at the root. */
static void
gen_doc(char *doc, size_t n, int version, const char *name, const char *rank)
{
	snprintf(doc, n, "<?xml version=\"1.0\"?>\n"
	    "<snapshot xmlns=\"urn:irmfleet:snapshot:1\" formatVersion=\"%d\">\n"
	    "<identity><server>EX01</server><roles><role>exchange</role>"
	    "</roles>\n<generation name=\"%s\"><evidence rank=\"%s\" "
	    "source=\"x\" value=\"y\" says=\"exchange-2010\"/></generation>"
	    "<method>ssh</method></identity>\n</snapshot>\n", version, name,
	    rank);
}

static void
test_generation_errors(void **state)
{
	char doc[1024];
	irmf_snapshot *s = NULL;

	(void)state;
	gen_doc(doc, sizeof(doc), 1, "exchange-2010", "file");
	expect_buffer_error(doc, IRMF_EPARSE, "g.xml:4: <generation> needs "
	    "formatVersion 2");
	gen_doc(doc, sizeof(doc), 2, "exchange-2010", "file");
	assert_int_equal(irmf_snapshot_load_buffer(&s, doc, strlen(doc),
	    "g.xml"), 0);
	/* recorded, but the content (no evidence) says unknown */
	assert_string_equal(s->recorded_generation, "exchange-2010");
	assert_true(irmf_snapshot_generation_mismatch(s, "g.xml", doc,
	    sizeof(doc)));
	assert_non_null(strstr(doc, "which says unknown: unknown: no "
	    "evidence"));
	irmf_snapshot_free(s);
	gen_doc(doc, sizeof(doc), 2, "exchange-2007", "file");
	expect_buffer_error(doc, IRMF_ESCHEMA, "g.xml:4:");
	gen_doc(doc, sizeof(doc), 2, "exchange-2010", "guess");
	expect_buffer_error(doc, IRMF_ESCHEMA, "g.xml:4:");
	expect_buffer_error("<snapshot xmlns=\"urn:irmfleet:snapshot:1\" "
	    "formatVersion=\"0\"/>", IRMF_EUNSUPPORTED, "format version '0'");
	expect_buffer_error("<snapshot xmlns=\"urn:irmfleet:snapshot:1\" "
	    "formatVersion=\"2x\"/>", IRMF_EUNSUPPORTED, "format version '2x'");
}

/* validate's check: a recorded generation or build that the content does
 * not give is named with file and line; one that agrees, or none (a
 * version 1 file), is not. */
static void
test_generation_mismatch(void **state)
{
	irmf_snapshot *s = NULL;
	char *doc, *p, msg[1024];
	size_t len;

	(void)state;
	assert_int_equal(irmf_snapshot_load(&s,
	    tu_fixture_path("snapshot/valid-ex01.xml")), 0);
	assert_false(irmf_snapshot_generation_mismatch(s, "ex01.xml", msg,
	    sizeof(msg)));
	irmf_snapshot_free(s);
	assert_int_equal(irmf_snapshot_load(&s,
	    tu_fixture_path("snapshot/valid-ex01-v1.xml")), 0);
	assert_false(irmf_snapshot_generation_mismatch(s, "ex01.xml", msg,
	    sizeof(msg)));
	irmf_snapshot_free(s);

	/* hand-edited: says 2010 where the content says 2013+ */
	doc = tu_read_fixture("snapshot/valid-ex01.xml", &len);
	assert_non_null(p = strstr(doc, "name=\"exchange-2013+\""));
	memcpy(p, "name=\"exchange-2010\"  ", 22);
	assert_int_equal(irmf_snapshot_load_buffer(&s, doc, len, "ex01.xml"),
	    0);
	assert_true(irmf_snapshot_generation_mismatch(s, "ex01.xml", msg,
	    sizeof(msg)));
	assert_string_equal(msg, "ex01.xml:10: recorded generation "
	    "'exchange-2010' build '15.2.1544.4' disagrees with the content, "
	    "which says exchange-2013+: Exchange 2013 or later from "
	    "Get-ExchangeServer 15.2.1544.4 (the recorded one is ignored; "
	    "import or collect again to rewrite it)");
	irmf_snapshot_free(s);
	free(doc);

	/* only the build edited */
	doc = tu_read_fixture("snapshot/valid-ex01.xml", &len);
	assert_non_null(p = strstr(doc, "build=\"15.2.1544.4\" buildSource"));
	p[17] = '9';
	assert_int_equal(irmf_snapshot_load_buffer(&s, doc, len, "ex01.xml"),
	    0);
	assert_true(irmf_snapshot_generation_mismatch(s, NULL, msg,
	    sizeof(msg)));
	assert_non_null(strstr(msg, "build '15.2.1544.9' disagrees"));
	irmf_snapshot_free(s);
	free(doc);
}

static int
teardown_all(void **state)
{
	(void)state;
	irmf_xml_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_ok),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_groups_scope_and_key_acl),
		cmocka_unit_test(test_reader_text_exact),
		cmocka_unit_test(test_output_shape),
		cmocka_unit_test(test_golden_bytes),
		cmocka_unit_test(test_presence_flags),
		cmocka_unit_test(test_event_windows),
		cmocka_unit_test(test_save_atomic),
		cmocka_unit_test(test_fixture_valid),
		cmocka_unit_test(test_fixture_whitespace),
		cmocka_unit_test(test_error_paths),
		cmocka_unit_test(test_validate_reports_all),
		cmocka_unit_test(test_truncated_buffers),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_big_line_numbers),
		cmocka_unit_test(test_write_error_line),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_schema_dir_override),
		cmocka_unit_test(test_example_fleet),
		cmocka_unit_test(test_generation_written),
		cmocka_unit_test(test_version1_still_reads),
		cmocka_unit_test(test_generation_errors),
		cmocka_unit_test(test_generation_mismatch),
	};
	return cmocka_run_group_tests(tests, NULL, teardown_all);
}
