/*
 * test_coverage.c - the table of areas each role's snapshot normally has
 * (collector/snapshot/coverage.c) and compare's coverage findings
 * (compare/coverage_findings.c), driven through irmf_result_analyze on
 * small fleets built in C.  Each fleet case asserts the complete list of
 * coverage findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "compare_int.h"
#include "coverage.h"
#include "identity.h"
#include "irmfleet/errors.h"

#define HKMS "HKLM\\SOFTWARE\\Microsoft\\"
#define TENANT "https://contoso.rms.na.aadrm.com"
#define CONN "https://rmscon.contoso.com"

/* ------------------------------------------------------------ builders */

static void
set_sz(irmf_snapshot *s, const char *path, const char *name,
    const char *data)
{
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, name, IRMF_REG_SZ, data), 0);
}

static void
set_num(irmf_snapshot *s, const char *path, const char *name, uint64_t n)
{
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
	assert_int_equal(irmf_reg_key_set_num(k, name, IRMF_REG_DWORD, n), 0);
}

static irmf_snapshot *
snap(const char *name, unsigned roles)
{
	irmf_snapshot *s;

	assert_int_equal(irmf_snapshot_new(&s, name), 0);
	s->roles = roles;
	s->method = IRMF_METHOD_IMPORT;
	return s;
}

/* What GenConnectorConfig's .reg file for Exchange 2013+ gives. */
static void
add_v15_keys(irmf_snapshot *s)
{
	set_sz(s, HKMS "ExchangeServer\\v15\\IRM\\"
	    "CertificationServerRedirection", TENANT, CONN);
	set_sz(s, HKMS "ExchangeServer\\v15\\IRM\\LicenseServerRedirection",
	    TENANT, CONN);
}

static void
add_irm_config(irmf_snapshot *s)
{
	assert_int_equal(irmf_snapshot_prop_set(s, "InternalLicensingEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
}

static void
add_groups(irmf_snapshot *s)
{
	char acct[64];

	snprintf(acct, sizeof(acct), "CONTOSO\\%s$", s->server);
	assert_int_equal(irmf_snapshot_set_computer_account(s, acct), 0);
	assert_int_equal(irmf_snapshot_add_group(s,
	    "CONTOSO\\Exchange Servers"), 0);
}

/* An Exchange 2019 server exported as .reg files, file versions and
 * gpresult (no Get-IRMConfiguration). */
static irmf_snapshot *
exchange_files(const char *name)
{
	irmf_snapshot *s = snap(name, IRMF_ROLE_EXCHANGE);

	add_v15_keys(s);
	set_sz(s, HKMS "MSDRM\\ServiceLocation\\Activation", "",
	    TENANT "/_wmcs/certification");
	assert_int_equal(irmf_snapshot_file_set(s, "msdrm.dll", NULL,
	    "10.0.17763.1"), 0);
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "15.2.1544.4"), 0);
	add_groups(s);
	return s;
}

/* The same with Get-IRMConfiguration: everything an Exchange server
 * has. */
static irmf_snapshot *
exchange_full(const char *name)
{
	irmf_snapshot *s = exchange_files(name);

	add_irm_config(s);
	return s;
}

static void
drop_files(irmf_snapshot *s)
{
	while (s->nfiles > 0) {
		irmf_file_version *fv = &s->files[--s->nfiles];
		free(fv->name);
		free(fv->path);
		free(fv->version);
	}
}

static void
drop_groups(irmf_snapshot *s)
{
	free(s->computer_account);
	s->computer_account = NULL;
	irmf_strlist_clear(&s->groups);
}

static void
add(irmf_result *r, irmf_snapshot *s)
{
	assert_int_equal(irmf_fleet_add(&r->fleet, s, NULL), 0);
}

typedef struct want {
	const char *server;
	const char *setting;   /* "coverage:<area>" */
} want;

/* The coverage findings are exactly w (in report order), each a
 * not-collected warning. */
static void
expect(irmf_result *r, const want *w, size_t n)
{
	assert_int_equal(irmf_result_analyze(r, IRMF_ANALYZE_COVERAGE), 0);
	for (size_t i = 0; i < r->findings.n; i++)
		fprintf(stderr, "  finding %zu: %s %s\n", i,
		    r->findings.items[i].server, r->findings.items[i].setting);
	assert_int_equal(r->findings.n, n);
	for (size_t i = 0; i < n; i++) {
		const irmf_finding *f = &r->findings.items[i];
		assert_string_equal(f->server, w[i].server);
		assert_string_equal(f->setting, w[i].setting);
		assert_int_equal(f->kind, IRMF_FIND_NOT_COLLECTED);
		assert_int_equal(f->severity, IRMF_SEV_WARNING);
		assert_null(f->rule_id);
	}
}

/* --------------------------------------------------------------- table */

static void
test_area_names(void **state)
{
	static const char *const names[IRMF_AREA_COUNT] = {
		"registry", "irm-config", "files", "identity", "generation",
		"authorizations", "events", "probes"
	};

	(void)state;
	for (unsigned a = 0; a < IRMF_AREA_COUNT; a++) {
		assert_string_equal(irmf_area_name((irmf_area)a), names[a]);
		assert_int_equal(irmf_area_org_wide((irmf_area)a),
		    a == IRMF_AREA_IRM_CONFIG);
	}
}

static void
test_expected_per_role(void **state)
{
	/* expected areas per role, as bits (1u << area) */
	const unsigned exch = 1u << IRMF_AREA_REGISTRY |
	    1u << IRMF_AREA_IRM_CONFIG | 1u << IRMF_AREA_FILES |
	    1u << IRMF_AREA_IDENTITY | 1u << IRMF_AREA_GENERATION;
	const unsigned sp = exch & ~(1u << IRMF_AREA_IRM_CONFIG);
	const unsigned fci = sp & ~(1u << IRMF_AREA_GENERATION);
	const unsigned conn = 1u << IRMF_AREA_AUTHORIZATIONS |
	    1u << IRMF_AREA_EVENTS;
	const struct { unsigned role, want; } rows[] = {
		{ IRMF_ROLE_EXCHANGE, exch }, { IRMF_ROLE_SHAREPOINT, sp },
		{ IRMF_ROLE_FCI, fci }, { IRMF_ROLE_CONNECTOR, conn },
		{ 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		unsigned got = 0;
		for (unsigned a = 0; a < IRMF_AREA_COUNT; a++)
			if (irmf_area_expected((irmf_area)a, rows[i].role))
				got |= 1u << a;
		assert_int_equal(got, rows[i].want);
	}
	/* documented, never required */
	assert_true(irmf_area_optional(IRMF_AREA_PROBES, IRMF_ROLE_EXCHANGE));
	assert_true(irmf_area_optional(IRMF_AREA_REGISTRY,
	    IRMF_ROLE_CONNECTOR));
	assert_false(irmf_area_optional(IRMF_AREA_REGISTRY,
	    IRMF_ROLE_EXCHANGE | IRMF_ROLE_CONNECTOR));
}

static void
test_presence(void **state)
{
	irmf_snapshot *s = snap("EX01", IRMF_ROLE_EXCHANGE);

	(void)state;
	/* nothing yet */
	for (unsigned a = 0; a < IRMF_AREA_COUNT; a++)
		assert_false(irmf_area_present(s, (irmf_area)a));
	/* a Setup key is generation evidence, not the IRM keys */
	set_num(s, HKMS "ExchangeServer\\v15\\Setup", "MsiProductMajor", 15);
	assert_false(irmf_area_present(s, IRMF_AREA_REGISTRY));
	assert_true(irmf_area_present(s, IRMF_AREA_GENERATION));
	irmf_snapshot_free(s);

	/* the IRM keys alone: registry, but no generation evidence */
	s = snap("EX02", IRMF_ROLE_EXCHANGE);
	add_v15_keys(s);
	assert_true(irmf_area_present(s, IRMF_AREA_REGISTRY));
	assert_false(irmf_area_present(s, IRMF_AREA_GENERATION));
	/* a file that is not one of the RMS files does not count */
	assert_int_equal(irmf_snapshot_file_set(s, "System.dll", NULL,
	    "4.8.4084.0"), 0);
	assert_false(irmf_area_present(s, IRMF_AREA_FILES));
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "15.2.1544.4"), 0);
	assert_true(irmf_area_present(s, IRMF_AREA_FILES));
	assert_true(irmf_area_present(s, IRMF_AREA_GENERATION));
	assert_false(irmf_area_present(s, IRMF_AREA_IDENTITY));
	add_groups(s);
	assert_true(irmf_area_present(s, IRMF_AREA_IDENTITY));
	assert_false(irmf_area_present(s, IRMF_AREA_IRM_CONFIG));
	add_irm_config(s);
	assert_true(irmf_area_present(s, IRMF_AREA_IRM_CONFIG));
	irmf_snapshot_free(s);

	/* SharePoint: the Web Server Extensions key tells the generation;
	 * the Exchange keys are no SharePoint registry */
	s = snap("SP01", IRMF_ROLE_SHAREPOINT);
	add_v15_keys(s);
	assert_false(irmf_area_present(s, IRMF_AREA_REGISTRY));
	set_sz(s, HKMS "Shared Tools\\Web Server Extensions\\16.0", "Version",
	    "16.0.10337.12109");
	assert_true(irmf_area_present(s, IRMF_AREA_GENERATION));
	set_sz(s, HKMS "MSIPC\\ServiceLocation\\EnterpriseCertification", "",
	    CONN "/_wmcs/certification");
	assert_true(irmf_area_present(s, IRMF_AREA_REGISTRY));
	irmf_snapshot_free(s);

	/* connector: an empty event export is still events */
	s = snap("RMSCON01", IRMF_ROLE_CONNECTOR);
	assert_false(irmf_area_present(s, IRMF_AREA_EVENTS));
	s->has_events = true;
	assert_true(irmf_area_present(s, IRMF_AREA_EVENTS));
	assert_int_equal(irmf_snapshot_add_authorization(s,
	    "CONTOSO\\Exchange Servers", IRMF_ACCOUNT_GROUP,
	    IRMF_ROLE_EXCHANGE), 0);
	assert_true(irmf_area_present(s, IRMF_AREA_AUTHORIZATIONS));
	irmf_snapshot_free(s);
}

static void
test_failed_areas(void **state)
{
	irmf_snapshot *s = snap("EX01", IRMF_ROLE_EXCHANGE);

	(void)state;
	assert_int_equal(irmf_snapshot_add_error(s, "registry:HKEY_LOCAL_"
	    "MACHINE\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation",
	    IRMF_REASON_ACCESS_DENIED, "Access is denied."), 0);
	assert_int_equal(irmf_snapshot_add_error(s, "file:msdrm.dll",
	    IRMF_REASON_TIMEOUT, NULL), 0);
	assert_int_equal(irmf_snapshot_add_error(s, "exchange-server",
	    IRMF_REASON_COMMAND_FAILED, NULL), 0);
	assert_true(irmf_area_failed(s, IRMF_AREA_REGISTRY));
	assert_true(irmf_area_failed(s, IRMF_AREA_FILES));
	assert_true(irmf_area_failed(s, IRMF_AREA_GENERATION));
	assert_false(irmf_area_failed(s, IRMF_AREA_IRM_CONFIG));
	assert_false(irmf_area_failed(s, IRMF_AREA_IDENTITY));
	/* the failed ones are not gaps: they have their own finding */
	assert_int_equal(irmf_coverage_gaps(s), 1u << IRMF_AREA_IRM_CONFIG |
	    1u << IRMF_AREA_IDENTITY);
	/* a host not reached covers everything */
	assert_int_equal(irmf_snapshot_add_error(s, "host",
	    IRMF_REASON_CONNECTION, NULL), 0);
	for (unsigned a = 0; a < IRMF_AREA_COUNT; a++)
		assert_true(irmf_area_failed(s, (irmf_area)a));
	assert_int_equal(irmf_coverage_gaps(s), 0);
	irmf_snapshot_free(s);
}

static void
test_gaps_of_partial_imports(void **state)
{
	irmf_snapshot *s = snap("EX07", IRMF_ROLE_EXCHANGE);

	(void)state;
	add_irm_config(s);
	assert_int_equal(irmf_coverage_gaps(s), 1u << IRMF_AREA_REGISTRY |
	    1u << IRMF_AREA_FILES | 1u << IRMF_AREA_IDENTITY |
	    1u << IRMF_AREA_GENERATION);
	irmf_snapshot_free(s);
	s = exchange_full("EX01");
	assert_int_equal(irmf_coverage_gaps(s), 0);
	irmf_snapshot_free(s);
	/* probes are optional, the connector's proxy key too */
	s = snap("RMSCON01", IRMF_ROLE_CONNECTOR);
	s->has_events = true;
	s->has_authorizations = true;
	assert_int_equal(irmf_coverage_gaps(s), 0);
	irmf_snapshot_free(s);
}

/* The wording follows the generation where keys and files do. */
static void
test_texts_by_generation(void **state)
{
	irmf_snapshot *s = snap("EX10", IRMF_ROLE_EXCHANGE);

	(void)state;
	set_num(s, HKMS "ExchangeServer\\v14\\Setup", "MsiProductMajor", 14);
	assert_non_null(strstr(irmf_area_how(s, IRMF_AREA_REGISTRY),
	    "reg export HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\IRM "
	    "irm.reg"));
	assert_null(strstr(irmf_area_how(s, IRMF_AREA_REGISTRY), "v15"));
	assert_string_equal(irmf_area_what(s, IRMF_AREA_FILES),
	    "file versions (msdrm.dll, ExSetup.exe)");
	assert_non_null(strstr(irmf_area_how(s, IRMF_AREA_FILES),
	    "(Get-Command ExSetup.exe).FileVersionInfo | Export-Clixml "
	    "exsetup.xml"));
	irmf_snapshot_free(s);

	s = snap("SP01", IRMF_ROLE_SHAREPOINT);
	assert_non_null(strstr(irmf_area_how(s, IRMF_AREA_REGISTRY),
	    "MSIPC msipc.reg (SharePoint 2013 and later) or"));
	assert_non_null(strstr(irmf_area_how(s, IRMF_AREA_GENERATION),
	    "reg export \"HKLM\\SOFTWARE\\Microsoft\\Shared Tools\\Web "
	    "Server Extensions\" wse.reg"));
	set_sz(s, HKMS "Shared Tools\\Web Server Extensions\\15.0", "Version",
	    "15.0.4569.1000");
	assert_string_equal(irmf_area_how(s, IRMF_AREA_REGISTRY),
	    "reg export HKLM\\SOFTWARE\\Microsoft\\MSIPC msipc.reg");
	assert_string_equal(irmf_area_what(s, IRMF_AREA_FILES),
	    "file version (msipc.dll)");
	irmf_snapshot_free(s);

	s = snap("FS01", IRMF_ROLE_FCI);
	assert_string_equal(irmf_area_how(s, IRMF_AREA_REGISTRY),
	    "reg export HKLM\\SOFTWARE\\Microsoft\\MSDRM msdrm.reg");
	irmf_snapshot_free(s);
}

/* Every export command is safe to paste, for every role and generation
 * the table words differently. */
static void
test_texts_safe(void **state)
{
	irmf_snapshot *s[6];
	const char *why;

	(void)state;
	s[0] = snap("EX01", IRMF_ROLE_EXCHANGE);
	s[1] = snap("EX10", IRMF_ROLE_EXCHANGE);
	set_num(s[1], HKMS "ExchangeServer\\v14\\Setup", "MsiProductMajor", 14);
	s[2] = snap("SP01", IRMF_ROLE_SHAREPOINT);
	s[3] = snap("SP10", IRMF_ROLE_SHAREPOINT);
	set_sz(s[3], HKMS "Shared Tools\\Web Server Extensions\\14.0",
	    "Version", "14.0.7015.1000");
	s[4] = snap("FS01", IRMF_ROLE_FCI);
	s[5] = snap("RMSCON01", IRMF_ROLE_CONNECTOR);
	for (size_t i = 0; i < 6; i++) {
		for (unsigned a = 0; a < IRMF_AREA_COUNT; a++) {
			const char *how = irmf_area_how(s[i], (irmf_area)a);
			if (!irmf_area_expected((irmf_area)a, s[i]->roles))
				continue;
			why = tu_fix_unsafe(how, NULL, 0);
			if (why != NULL)
				fprintf(stderr, "%s %s: %s\n", s[i]->server,
				    irmf_area_name((irmf_area)a), why);
			assert_null(why);
			/* every expected area has its own wording */
			assert_string_not_equal(how,
			    "see docs/import-formats.md");
		}
		irmf_snapshot_free(s[i]);
	}
}

/* ------------------------------------------------------------ findings */

/* The case of the issue: EX07 imported from Get-IRMConfiguration alone,
 * its peers from .reg files, file versions and gpresult.  Its generation
 * is unknown, which the server-identity rule reports with what to
 * export, so coverage does not say it again; and its export of the
 * organisation's IRM configuration covers its peers, which have none. */
static void
test_irm_config_only_server(void **state)
{
	irmf_result r = { 0 };
	irmf_snapshot *ex07 = snap("EX07", IRMF_ROLE_EXCHANGE);
	irmf_compare_counts counts;
	const irmf_finding *f;
	want w[] = {
		{ "EX07", "coverage:files" },
		{ "EX07", "coverage:identity" },
		{ "EX07", "coverage:registry" },
	};

	(void)state;
	add(&r, exchange_files("EX01"));
	add(&r, exchange_files("EX02"));
	add(&r, exchange_files("EX03"));
	add_irm_config(ex07);
	add(&r, ex07);
	expect(&r, w, 3);
	f = &r.findings.items[2];
	assert_string_equal(f->cohort, "exchange-unknown");
	assert_string_equal(f->explanation, "EX07 was not checked for "
	    "registry: its import has no registry export of the IRM keys "
	    "(ExchangeServer\\v15\\IRM or v14\\IRM, MSDRM), while 3 of 3 "
	    "peers have it; what it has there is unknown, so it is counted "
	    "neither as consistent with its peers nor as an outlier.");
	assert_non_null(strstr(f->remediation, "Export it on EX07: reg export "
	    "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM irm.reg"));
	assert_non_null(strstr(f->remediation, "then import it with the "
	    "server's other files"));
	assert_null(tu_fix_unsafe(f->remediation, NULL, 0));
	/* not-collected: compare exits 3 */
	irmf_result_counts(&r, &counts);
	assert_int_equal(counts.not_collected, 3);
	irmf_result_clear(&r);
}

/* GenConnectorConfig's .reg files alone on every server: nobody exported
 * more, so nothing is known to be missing. */
static void
test_uniform_partial_fleet(void **state)
{
	irmf_result r = { 0 };
	char name[8];

	(void)state;
	for (int i = 1; i <= 4; i++) {
		irmf_snapshot *s;
		snprintf(name, sizeof(name), "EX%02d", i);
		s = snap(name, IRMF_ROLE_EXCHANGE);
		add_v15_keys(s);
		add(&r, s);
	}
	expect(&r, NULL, 0);
	irmf_result_clear(&r);
}

/* A server with the IRM keys only, among peers with files: its
 * generation comes from the keys alone, so the missing ExSetup.exe is
 * reported here (server-identity does not fire). */
static void
test_generation_evidence_gap(void **state)
{
	irmf_result r = { 0 };
	irmf_snapshot *ex04 = snap("EX04", IRMF_ROLE_EXCHANGE);
	want w[] = {
		{ "EX04", "coverage:files" },
		{ "EX04", "coverage:generation" },
		{ "EX04", "coverage:identity" },
	};
	const irmf_finding *f;

	(void)state;
	add(&r, exchange_full("EX01"));
	add(&r, exchange_full("EX02"));
	/* no Get-IRMConfiguration either: the organisation's, which its
	 * peers' exports cover */
	add_v15_keys(ex04);
	add(&r, ex04);
	expect(&r, w, 3);
	f = &r.findings.items[1];
	assert_string_equal(f->cohort, "exchange-v15");
	assert_non_null(strstr(f->explanation, "no generation evidence "
	    "(ExSetup.exe version, ExchangeServer\\v15|v14\\Setup key or "
	    "Get-ExchangeServer), while 2 of 2 peers have it"));
	irmf_result_clear(&r);
}

/* Collected snapshots are never judged (collect asks for every area and
 * records failures), and a failed area is reported once, by its
 * collection error. */
static void
test_collected_and_failed_not_repeated(void **state)
{
	irmf_result r = { 0 };
	irmf_snapshot *ex02 = exchange_full("EX02");
	irmf_snapshot *ex03 = exchange_full("EX03");
	irmf_snapshot *ex04 = exchange_full("EX04");
	want w[] = {
		{ "EX04", "file:ExSetup.exe" },
		{ "EX04", "file:msdrm.dll" },
		{ "EX04", "groups" },
	};

	(void)state;
	add(&r, exchange_full("EX01"));
	/* collected: no files found is what it has */
	ex02->method = IRMF_METHOD_SSH;
	drop_files(ex02);
	drop_groups(ex02);
	add(&r, ex02);
	add(&r, ex03);
	/* imported, but its files and groups failed (a hand-made snapshot
	 * or an old one): the collection errors say it */
	drop_files(ex04);
	assert_int_equal(irmf_snapshot_add_error(ex04, "file:msdrm.dll",
	    IRMF_REASON_TIMEOUT, NULL), 0);
	assert_int_equal(irmf_snapshot_add_error(ex04, "file:ExSetup.exe",
	    IRMF_REASON_TIMEOUT, NULL), 0);
	assert_int_equal(irmf_snapshot_add_error(ex04, "groups",
	    IRMF_REASON_ACCESS_DENIED, NULL), 0);
	drop_groups(ex04);
	add(&r, ex04);
	/* only the collection errors' own findings */
	assert_int_equal(irmf_result_analyze(&r, IRMF_ANALYZE_COVERAGE), 0);
	for (size_t i = 0; i < r.findings.n; i++)
		fprintf(stderr, "  finding %zu: %s %s\n", i,
		    r.findings.items[i].server, r.findings.items[i].setting);
	assert_int_equal(r.findings.n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(r.findings.items[i].server, w[i].server);
		assert_string_equal(r.findings.items[i].setting, w[i].setting);
	}
	irmf_result_clear(&r);
}

/* Peers are the cohort: Exchange 2010 is not judged by 2013+ servers,
 * SharePoint not by Exchange; a server of unknown generation is judged
 * by its product's servers. */
static void
test_peers_are_the_cohort(void **state)
{
	irmf_result r = { 0 };
	irmf_snapshot *ex10 = snap("EX10", IRMF_ROLE_EXCHANGE);
	irmf_snapshot *sp01 = snap("SP01", IRMF_ROLE_SHAREPOINT);
	irmf_snapshot *sp02 = snap("SP02", IRMF_ROLE_SHAREPOINT);
	irmf_snapshot *spx = snap("SPX", IRMF_ROLE_SHAREPOINT);
	want w[] = {
		{ "SP02", "coverage:files" },
		{ "SPX", "coverage:files" },
		{ "SPX", "coverage:registry" },
	};

	(void)state;
	add(&r, exchange_full("EX01"));
	add(&r, exchange_full("EX02"));
	/* Exchange 2010, its v14 keys only: alone in its cohort */
	set_sz(ex10, HKMS "ExchangeServer\\v14\\IRM\\LicenseServerRedirection",
	    TENANT, CONN);
	add(&r, ex10);
	/* SharePoint 2013+ servers with MSIPC keys and msipc.dll but no
	 * groups (the Exchange servers' groups do not count) */
	set_sz(sp01, HKMS "MSIPC\\ServiceLocation\\EnterpriseCertification",
	    "", CONN "/_wmcs/certification");
	assert_int_equal(irmf_snapshot_file_set(sp01, "msipc.dll", NULL,
	    "1.0.4000.0"), 0);
	set_sz(sp02, HKMS "MSIPC\\ServiceLocation\\EnterpriseCertification",
	    "", CONN "/_wmcs/certification");
	add(&r, sp01);
	add(&r, sp02);
	/* a SharePoint server of unknown generation (nothing exported, say
	 * a gpresult.txt that failed to parse): judged by SP01 and SP02,
	 * and SP02 by SP01 and it */
	add(&r, spx);
	expect(&r, w, 3);
	assert_string_equal(r.findings.items[0].cohort, "sharepoint-2013+");
	assert_non_null(strstr(r.findings.items[0].explanation,
	    "while 1 of 2 peers have it"));
	assert_string_equal(r.findings.items[2].cohort, "sharepoint-unknown");
	assert_non_null(strstr(r.findings.items[2].explanation,
	    "while 2 of 2 peers have it"));
	irmf_result_clear(&r);
}

static void
test_connector_areas(void **state)
{
	irmf_result r = { 0 };
	irmf_snapshot *c1 = snap("RMSCON01", IRMF_ROLE_CONNECTOR);
	irmf_snapshot *c2 = snap("RMSCON02", IRMF_ROLE_CONNECTOR);
	want w[] = { { "RMSCON02", "coverage:events" } };

	(void)state;
	c1->has_events = true;
	c1->has_authorizations = true;
	/* the proxy key is optional: its absence on RMSCON02 says nothing */
	set_sz(c1, HKMS "AADRM\\Connector", "ProxyAddress",
	    "http://proxy.contoso.com:8080");
	c2->has_authorizations = true;
	add(&r, c1);
	add(&r, c2);
	expect(&r, w, 1);
	assert_non_null(strstr(r.findings.items[0].remediation,
	    "wevtutil qe Application"));
	irmf_result_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_area_names),
		cmocka_unit_test(test_expected_per_role),
		cmocka_unit_test(test_presence),
		cmocka_unit_test(test_failed_areas),
		cmocka_unit_test(test_gaps_of_partial_imports),
		cmocka_unit_test(test_texts_by_generation),
		cmocka_unit_test(test_texts_safe),
		cmocka_unit_test(test_irm_config_only_server),
		cmocka_unit_test(test_uniform_partial_fleet),
		cmocka_unit_test(test_generation_evidence_gap),
		cmocka_unit_test(test_collected_and_failed_not_repeated),
		cmocka_unit_test(test_peers_are_the_cohort),
		cmocka_unit_test(test_connector_areas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
