/*
 * coverage_fixture.h - snapshots for the coverage tests
 * (coverage_fixture.c): the areas of data a server's snapshot holds,
 * added or dropped one by one.
 */
#ifndef IRMF_COVERAGE_FIXTURE_H
#define IRMF_COVERAGE_FIXTURE_H

#include <stdint.h>

#include "testutil.h"
#include "compare_int.h"
#include "coverage.h"
#include "identity.h"
#include "irmfleet/errors.h"

#define HKMS "HKLM\\SOFTWARE\\Microsoft\\"
#define TENANT "https://contoso.rms.na.aadrm.com"
#define CONN "https://rmscon.contoso.com"

void cov_set_sz(irmf_snapshot *s, const char *path, const char *name,
    const char *data);
void cov_set_num(irmf_snapshot *s, const char *path, const char *name,
    uint64_t n);
/* A new snapshot NAME with roles. */
irmf_snapshot *cov_snap(const char *name, unsigned roles);
/* What GenConnectorConfig's .reg file for Exchange 2013+ gives. */
void cov_add_v15_keys(irmf_snapshot *s);
/* A Get-IRMConfiguration export. */
void cov_add_irm_config(irmf_snapshot *s);
/* gpresult's groups. */
void cov_add_groups(irmf_snapshot *s);
/* An Exchange 2019 server exported as .reg files, file versions and
 * gpresult (no Get-IRMConfiguration). */
irmf_snapshot *cov_exchange_files(const char *name);
/* The same with Get-IRMConfiguration: everything an Exchange server
 * has. */
irmf_snapshot *cov_exchange_full(const char *name);
/* Remove the file versions / the groups again. */
void cov_drop_files(irmf_snapshot *s);
void cov_drop_groups(irmf_snapshot *s);

#endif
