/*
 * coverage_fixture.c - snapshots with and without each area of data
 * (registry keys, IRM configuration, file versions, groups), shared by
 * the tests of the area table (test_coverage.c) and of compare's
 * coverage findings (test_coverage_findings.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_fixture.h"

void
cov_set_sz(irmf_snapshot *s, const char *path, const char *name,
    const char *data)
{
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, name, IRMF_REG_SZ, data), 0);
}

void
cov_set_num(irmf_snapshot *s, const char *path, const char *name, uint64_t n)
{
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
	assert_int_equal(irmf_reg_key_set_num(k, name, IRMF_REG_DWORD, n), 0);
}

irmf_snapshot *
cov_snap(const char *name, unsigned roles)
{
	irmf_snapshot *s;

	assert_int_equal(irmf_snapshot_new(&s, name), 0);
	s->roles = roles;
	s->method = IRMF_METHOD_IMPORT;
	return s;
}

/* What GenConnectorConfig's .reg file for Exchange 2013+ gives. */
void
cov_add_v15_keys(irmf_snapshot *s)
{
	cov_set_sz(s, HKMS "ExchangeServer\\v15\\IRM\\"
	    "CertificationServerRedirection", TENANT, CONN);
	cov_set_sz(s, HKMS "ExchangeServer\\v15\\IRM\\LicenseServerRedirection",
	    TENANT, CONN);
}

void
cov_add_irm_config(irmf_snapshot *s)
{
	assert_int_equal(irmf_snapshot_prop_set(s, "InternalLicensingEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
}

void
cov_add_groups(irmf_snapshot *s)
{
	char acct[64];

	snprintf(acct, sizeof(acct), "CONTOSO\\%s$", s->server);
	assert_int_equal(irmf_snapshot_set_computer_account(s, acct), 0);
	assert_int_equal(irmf_snapshot_add_group(s,
	    "CONTOSO\\Exchange Servers"), 0);
}

/* An Exchange 2019 server exported as .reg files, file versions and
 * gpresult (no Get-IRMConfiguration). */
irmf_snapshot *
cov_exchange_files(const char *name)
{
	irmf_snapshot *s = cov_snap(name, IRMF_ROLE_EXCHANGE);

	cov_add_v15_keys(s);
	cov_set_sz(s, HKMS "MSDRM\\ServiceLocation\\Activation", "",
	    TENANT "/_wmcs/certification");
	assert_int_equal(irmf_snapshot_file_set(s, "msdrm.dll", NULL,
	    "10.0.17763.1"), 0);
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "15.2.1544.4"), 0);
	cov_add_groups(s);
	return s;
}

/* The same with Get-IRMConfiguration: everything an Exchange server
 * has. */
irmf_snapshot *
cov_exchange_full(const char *name)
{
	irmf_snapshot *s = cov_exchange_files(name);

	cov_add_irm_config(s);
	return s;
}

void
cov_drop_files(irmf_snapshot *s)
{
	while (s->nfiles > 0) {
		irmf_file_version *fv = &s->files[--s->nfiles];
		free(fv->name);
		free(fv->path);
		free(fv->version);
	}
}

void
cov_drop_groups(irmf_snapshot *s)
{
	free(s->computer_account);
	s->computer_account = NULL;
	irmf_strlist_clear(&s->groups);
}
