/*
 * test_identity.c - collector/snapshot/identity.c: a server's generation from ranked
 * evidence.  The cases are the field facts the module is built on
 * (domain.md section 8): GenConnectorConfig's .reg files have no IRM
 * parent key, Exchange 2010's Get-ExchangeServer shows the service pack
 * only, strong sources that disagree are a conflict, keys that point both
 * ways are unknown, and no evidence is never "the newest".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "identity.h"

#define SW "HKLM\\SOFTWARE\\Microsoft\\"

static irmf_snapshot *
server(unsigned roles)
{
	irmf_snapshot *s;

	assert_int_equal(irmf_snapshot_new(&s, "SRV01"), 0);
	s->roles = roles;
	return s;
}

static void
reg_sz(irmf_snapshot *s, const char *path, const char *name, const char *v)
{
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, name, IRMF_REG_SZ, v), 0);
}

static void
reg_dw(irmf_snapshot *s, const char *path, const char *name, unsigned v)
{
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
	assert_int_equal(irmf_reg_key_set_num(k, name, IRMF_REG_DWORD, v), 0);
}

static void
test_no_evidence_is_unknown(void **state)
{
	irmf_snapshot *s = server(IRMF_ROLE_EXCHANGE);
	irmf_identity id;
	char d[512];

	(void)state;
	irmf_identity_of(s, &id);
	assert_int_equal(id.generation, IRMF_GEN_UNKNOWN);
	assert_int_equal(id.nevidence, 0);
	irmf_identity_describe(&id, d, sizeof(d));
	assert_non_null(strstr(d, "ExSetup.exe"));   /* Exchange's exports */
	irmf_snapshot_free(s);

	s = server(IRMF_ROLE_SHAREPOINT);
	irmf_identity_of(s, &id);
	assert_int_equal(id.generation, IRMF_GEN_UNKNOWN);
	irmf_identity_describe(&id, d, sizeof(d));
	assert_non_null(strstr(d, "Web Server Extensions"));
	irmf_snapshot_free(s);

	s = server(IRMF_ROLE_FCI);
	irmf_identity_of(s, &id);
	assert_int_equal(id.generation, IRMF_GEN_NONE);
	irmf_snapshot_free(s);
}

/* GenConnectorConfig writes [...\V14\IRM\CertificationServerRedirection]
 * with no [...\V14\IRM] line: the subkey alone is evidence. */
static void
test_irm_subkeys_without_parent(void **state)
{
	irmf_snapshot *s = server(IRMF_ROLE_EXCHANGE);
	irmf_identity id;

	(void)state;
	reg_sz(s, SW "ExchangeServer\\V14\\IRM\\CertificationServerRedirection",
	    "https://t.rms.na.aadrm.com", "https://rmscon.contoso.com");
	assert_null(irmf_snapshot_reg_find(s, SW "ExchangeServer\\v14\\IRM"));
	irmf_identity_of(s, &id);
	assert_int_equal(id.generation, IRMF_GEN_EXCHANGE_2010);
	assert_int_equal(id.decided_by, IRMF_EV_CONFIG_KEYS);
	assert_string_equal(id.build, "");
	/* both generations' keys (GPO coexistence) and nothing else */
	reg_sz(s, SW "ExchangeServer\\v15\\IRM\\LicenseServerRedirection",
	    "https://t.rms.na.aadrm.com", "https://rmscon.contoso.com");
	irmf_identity_of(s, &id);
	assert_int_equal(id.generation, IRMF_GEN_UNKNOWN);
	irmf_snapshot_free(s);
}

/* ExSetup.exe carries the rollup; the Setup key and Get-ExchangeServer
 * only the service pack on 2010, and the keys never overrule them. */
static void
test_exchange_ranking(void **state)
{
	irmf_snapshot *s = server(IRMF_ROLE_EXCHANGE);
	irmf_identity id;

	(void)state;
	reg_dw(s, SW "ExchangeServer\\v14\\Setup", "MsiProductMajor", 14);
	reg_dw(s, SW "ExchangeServer\\v14\\Setup", "MsiProductMinor", 3);
	reg_dw(s, SW "ExchangeServer\\v14\\Setup", "MsiBuildMajor", 123);
	reg_dw(s, SW "ExchangeServer\\v14\\Setup", "MsiBuildMinor", 4);
	/* keys of the wrong generation: a finding, not a conflict */
	reg_sz(s, SW "ExchangeServer\\v15\\IRM\\LicenseServerRedirection",
	    "https://t.rms.na.aadrm.com", "https://rmscon.contoso.com");
	irmf_identity_of(s, &id);
	assert_int_equal(id.generation, IRMF_GEN_EXCHANGE_2010);
	assert_int_equal(id.decided_by, IRMF_EV_SETUP_KEY);
	assert_string_equal(id.build, "14.3.123.4");
	assert_false(id.build_exact);
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "14.3.389.1"), 0);
	irmf_identity_of(s, &id);
	assert_int_equal(id.decided_by, IRMF_EV_FILE);
	assert_string_equal(id.build, "14.3.389.1");
	assert_true(id.build_exact);
	/* Get-ExchangeServer of another server's export: contradiction */
	assert_int_equal(irmf_snapshot_set_product(s, "Exchange Server 2016",
	    "15.1.2507.6"), 0);
	irmf_identity_of(s, &id);
	assert_int_equal(id.generation, IRMF_GEN_CONFLICT);
	irmf_snapshot_free(s);
}

/* Web Server Extensions: the highest version present is the one
 * installed (SharePoint versions do not install side by side). */
static void
test_sharepoint(void **state)
{
	irmf_snapshot *s = server(IRMF_ROLE_SHAREPOINT);
	irmf_identity id;

	(void)state;
	reg_sz(s, SW "MSDRM\\ServiceLocation\\Activation", "",
	    "https://rmscon.contoso.com/_wmcs/certification");
	irmf_identity_of(s, &id);
	assert_int_equal(id.generation, IRMF_GEN_SHAREPOINT_2010);
	assert_int_equal(id.decided_by, IRMF_EV_CONFIG_KEYS);
	reg_sz(s, SW "Shared Tools\\Web Server Extensions\\14.0", "Version",
	    "14.0.7015.1000");
	reg_sz(s, SW "Shared Tools\\Web Server Extensions\\16.0", "Version",
	    "16.0.10337.12109");
	irmf_identity_of(s, &id);
	assert_int_equal(id.generation, IRMF_GEN_SHAREPOINT_2013);
	assert_int_equal(id.decided_by, IRMF_EV_SETUP_KEY);
	assert_string_equal(id.build, "16.0.10337.12109");
	irmf_snapshot_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_evidence_is_unknown),
		cmocka_unit_test(test_irm_subkeys_without_parent),
		cmocka_unit_test(test_exchange_ranking),
		cmocka_unit_test(test_sharepoint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
