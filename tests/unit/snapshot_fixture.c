/*
 * snapshot_fixture.c - shared by the snapshot XML tests (test_snapshot_*.c):
 * a snapshot using every field with the odd values the format must carry,
 * and a field-by-field comparison of two snapshots, so the writer's and
 * the reader's tests check round trips the same way.
 */
#include <stdlib.h>
#include <string.h>

#include "snapshot_fixture.h"

/* A snapshot using every field, with the odd values the format must carry:
 * the unnamed default value, <&" and non-ASCII, control characters and
 * invalid UTF-8 (base64 fallback), CR/LF/TAB, REG_MULTI_SZ with empty
 * strings, binary data with NUL bytes, nil and empty-list properties. */
irmf_snapshot *
sf_full_snapshot(void)
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

void
sf_assert_snapshots_equal(const irmf_snapshot *a, const irmf_snapshot *b)
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
	assert_int_equal(a->auth_source, b->auth_source);
	assert_str_eq_null(a->auth_at, b->auth_at);
	assert_str_eq_null(a->auth_1004_unread, b->auth_1004_unread);
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
	assert_int_equal(a->nskipped, b->nskipped);
	for (i = 0; i < a->nskipped; i++) {
		assert_string_equal(a->skipped[i].item, b->skipped[i].item);
		assert_str_eq_null(a->skipped[i].message,
		    b->skipped[i].message);
	}
}
