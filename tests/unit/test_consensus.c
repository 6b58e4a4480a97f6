/*
 * test_consensus.c - consensus per cohort (compare/core/consensus.c), driven
 * through irmf_result_analyze (compare/compare.c) on tiny fleets built in
 * C.  Every case asserts the complete list of findings: no more, no fewer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "compare_int.h"
#include "consensus.h"
#include "explain.h"
#include "irmfleet/errors.h"

#define TENANT "https://contoso.rms.na.aadrm.com"
#define CONN "https://rmscon.contoso.com"
#define MSDRM "HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation"
#define IRM15 "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM"
#define K_ACT "reg:HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\Activation\\(default)"
#define K_PUB "reg:HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\EnterprisePublishing\\(default)"
#define K_CSR "reg:HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM\\CertificationServerRedirection"
#define K_LSR "reg:HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM\\LicenseServerRedirection"

/* ---------------------------------------------------------------- fleet */

static void
set_sz(irmf_snapshot *s, const char *path, const char *name,
    irmf_reg_type type, const char *data)
{
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, name, type, data), 0);
}

static irmf_snapshot *
exchange(const char *name)
{
	irmf_snapshot *s;

	assert_int_equal(irmf_snapshot_new(&s, name), 0);
	s->roles = IRMF_ROLE_EXCHANGE;
	assert_int_equal(irmf_snapshot_set_product(s, "Exchange Server 2019",
	    "15.2.1118.7"), 0);
	return s;
}

/* A correctly configured Exchange 2013+ server (domain.md 1.1 rows 1-4),
 * with the connector URL `conn`. */
static irmf_snapshot *
exchange_ok(const char *name, const char *conn)
{
	irmf_snapshot *s = exchange(name);

	set_sz(s, MSDRM "\\Activation", "", IRMF_REG_SZ,
	    TENANT "/_wmcs/certification");
	set_sz(s, MSDRM "\\EnterprisePublishing", "", IRMF_REG_SZ,
	    TENANT "/_wmcs/licensing");
	set_sz(s, IRM15 "\\CertificationServerRedirection", TENANT,
	    IRMF_REG_SZ, conn);
	set_sz(s, IRM15 "\\LicenseServerRedirection", TENANT, IRMF_REG_SZ,
	    conn);
	return s;
}

static void
add(irmf_result *r, irmf_snapshot *s)
{
	assert_int_equal(irmf_fleet_add(&r->fleet, s, NULL), 0);
}

static void
analyze(irmf_result *r)
{
	assert_int_equal(irmf_result_analyze(r, IRMF_ANALYZE_CONSENSUS), 0);
}

/* Fleet EX01..EXnn of correct servers; `odd` (1-based, 0 = none) gets
 * connector URL odd_conn instead. */
static void
fleet_of(irmf_result *r, int n, int odd, const char *odd_conn)
{
	char name[16];

	for (int i = 1; i <= n; i++) {
		snprintf(name, sizeof(name), "EX%02d", i);
		add(r, exchange_ok(name, i == odd ? odd_conn : CONN));
	}
}

typedef struct want {
	const char *server;    /* NULL = cohort-wide */
	const char *setting;
	irmf_finding_kind kind;
} want;

/* The findings are exactly `w` (in report order). */
static void
expect(const irmf_result *r, const want *w, size_t n)
{
	for (size_t i = 0; i < r->findings.n; i++) {
		const irmf_finding *f = &r->findings.items[i];
		fprintf(stderr, "  finding %zu: %s %s %s\n", i,
		    f->server ? f->server : "(cohort)", f->setting,
		    irmf_finding_kind_name(f->kind));
	}
	assert_int_equal(r->findings.n, n);
	for (size_t i = 0; i < n; i++) {
		const irmf_finding *f = &r->findings.items[i];
		if (w[i].server == NULL)
			assert_null(f->server);
		else
			assert_string_equal(f->server, w[i].server);
		assert_string_equal(f->setting, w[i].setting);
		assert_int_equal(f->kind, w[i].kind);
	}
}

static void
expect_none(const irmf_result *r)
{
	expect(r, NULL, 0);
}

/* ---------------------------------------------------------------- cases */

static void
test_single_outlier(void **state)
{
	irmf_result r = { 0 };
	const irmf_finding *f;
	want w[] = { { "EX07", K_ACT, IRMF_FIND_OUTLIER } };

	(void)state;
	fleet_of(&r, 12, 0, NULL);
	set_sz(r.fleet.members[6].snap, MSDRM "\\Activation", "", IRMF_REG_SZ,
	    "https://fabrikam.rms.eu.aadrm.com/_wmcs/certification");
	analyze(&r);
	expect(&r, w, 1);
	f = &r.findings.items[0];
	assert_string_equal(f->cohort, "exchange-v15");
	assert_int_equal(f->severity, IRMF_SEV_ERROR);
	assert_string_equal(f->value,
	    "https://fabrikam.rms.eu.aadrm.com/_wmcs/certification");
	assert_string_equal(f->expected, TENANT "/_wmcs/certification");
	assert_string_equal(f->distribution, "11 of 12 servers: " TENANT
	    "/_wmcs/certification; EX07: "
	    "https://fabrikam.rms.eu.aadrm.com/_wmcs/certification");
	assert_non_null(strstr(f->explanation, "EX07 has "));
	assert_non_null(strstr(f->remediation, "reg add \"HKLM\\SOFTWARE\\"
	    "Microsoft\\MSDRM\\ServiceLocation\\Activation\" /ve /t REG_SZ "
	    "/d \"" TENANT "/_wmcs/certification\" /f"));
	assert_false(f->suppressed);
	irmf_result_clear(&r);
}

static void
test_http_vs_https(void **state)
{
	irmf_result r = { 0 };
	want w[] = {
		{ "EX07", K_CSR, IRMF_FIND_OUTLIER },
		{ "EX07", K_LSR, IRMF_FIND_OUTLIER },
	};

	(void)state;
	fleet_of(&r, 12, 7, "http://rmscon.contoso.com");
	analyze(&r);
	expect(&r, w, 2);
	assert_string_equal(r.findings.items[0].distribution,
	    "11 of 12 servers: " TENANT " => https://rmscon.contoso.com; "
	    "EX07: " TENANT " => http://rmscon.contoso.com");
	assert_string_equal(r.findings.items[0].value,
	    TENANT " => http://rmscon.contoso.com");
	/* the fix sets the one value that differs; it never deletes the
	 * key (which may hold AD RMS migration values) */
	assert_non_null(strstr(r.findings.items[1].remediation,
	    "reg add \"" IRM15 "\\LicenseServerRedirection\" /v \"" TENANT
	    "\" /t REG_SZ /d \"" CONN "\" /f"));
	assert_null(strstr(r.findings.items[1].remediation, "reg delete"));
	irmf_result_clear(&r);
}

static void
test_split(void **state)
{
	irmf_result r = { 0 };
	const irmf_finding *f;
	want w[] = { { NULL, K_LSR, IRMF_FIND_SPLIT } };

	(void)state;
	fleet_of(&r, 4, 0, NULL);
	for (int i = 2; i < 4; i++)
		set_sz(r.fleet.members[i].snap, IRM15 "\\LicenseServerRedirection",
		    TENANT, IRMF_REG_SZ, "https://rmscon2.contoso.com");
	analyze(&r);
	expect(&r, w, 1);
	f = &r.findings.items[0];
	assert_string_equal(f->cohort, "exchange-v15");
	assert_null(f->value);
	assert_string_equal(f->distribution,
	    "EX01, EX02: " TENANT " => https://rmscon.contoso.com; "
	    "EX03, EX04: " TENANT " => https://rmscon2.contoso.com");
	assert_non_null(strstr(f->explanation, "split over 2 values"));
	irmf_result_clear(&r);
}

static void
test_split_three_ways(void **state)
{
	irmf_result r = { 0 };
	want w[] = { { NULL, K_ACT, IRMF_FIND_SPLIT } };

	(void)state;
	/* 2 + 2 + 1: the largest group (2 of 5) is no strict majority */
	fleet_of(&r, 5, 0, NULL);
	set_sz(r.fleet.members[2].snap, MSDRM "\\Activation", "",
	    IRMF_REG_SZ, "https://a.example/_wmcs/certification");
	set_sz(r.fleet.members[3].snap, MSDRM "\\Activation", "",
	    IRMF_REG_SZ, "https://a.example/_wmcs/certification");
	set_sz(r.fleet.members[4].snap, MSDRM "\\Activation", "",
	    IRMF_REG_SZ, "https://b.example/_wmcs/certification");
	analyze(&r);
	expect(&r, w, 1);
	irmf_result_clear(&r);
}

static void
test_split_mostly_absent(void **state)
{
	irmf_result r = { 0 };
	const char *key = "reg:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation"
	    "\\EnterprisePublishing\\(default)";
	want w[] = { { NULL, key, IRMF_FIND_SPLIT } };
	const irmf_finding *f;

	(void)state;
	/* 2 without the value, 1 with A, 1 with B: no majority; the largest
	 * group lacks it, so the fix shown removes it */
	fleet_of(&r, 4, 0, NULL);
	set_sz(r.fleet.members[2].snap, "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\"
	    "ServiceLocation\\EnterprisePublishing", "", IRMF_REG_SZ,
	    CONN "/_wmcs/licensing");
	set_sz(r.fleet.members[3].snap, "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\"
	    "ServiceLocation\\EnterprisePublishing", "", IRMF_REG_SZ,
	    "https://rmscon2.contoso.com/_wmcs/licensing");
	analyze(&r);
	expect(&r, w, 1);
	f = &r.findings.items[0];
	assert_string_equal(f->distribution, "EX01, EX02: (absent); EX03: "
	    CONN "/_wmcs/licensing; EX04: https://rmscon2.contoso.com/"
	    "_wmcs/licensing");
	/* the documentation lists it for Exchange 2016/2019: no fix
	 * removes it, even where most servers lack it */
	assert_non_null(strstr(f->remediation, "Decide which value"));
	assert_null(strstr(f->remediation, "reg delete"));
	irmf_result_clear(&r);
}

static void
test_two_servers_disagree(void **state)
{
	irmf_result r = { 0 };
	const irmf_finding *f;
	want w[] = { { NULL, K_CSR, IRMF_FIND_SPLIT } };

	(void)state;
	add(&r, exchange_ok("EX01", CONN));
	add(&r, exchange_ok("EX02", CONN));
	set_sz(r.fleet.members[1].snap, IRM15 "\\CertificationServerRedirection",
	    TENANT, IRMF_REG_SZ, "http://rmscon.contoso.com");
	analyze(&r);
	expect(&r, w, 1);
	f = &r.findings.items[0];
	assert_string_equal(f->distribution, "EX01: " TENANT " => " CONN
	    "; EX02: " TENANT " => http://rmscon.contoso.com");
	assert_non_null(strstr(f->explanation, "EX01 and EX02"));
	assert_non_null(strstr(f->explanation, "disagree"));
	irmf_result_clear(&r);
}

static void
test_missing_key(void **state)
{
	irmf_result r = { 0 };
	const irmf_finding *f;
	want w[] = { { "EX03", K_PUB, IRMF_FIND_MISSING } };

	(void)state;
	fleet_of(&r, 3, 0, NULL);
	assert_int_equal(irmf_snapshot_reg_delete_key(r.fleet.members[2].snap,
	    MSDRM "\\EnterprisePublishing"), 0);
	analyze(&r);
	expect(&r, w, 1);
	f = &r.findings.items[0];
	assert_null(f->value);
	assert_string_equal(f->expected, TENANT "/_wmcs/licensing");
	assert_string_equal(f->distribution, "2 of 3 servers: " TENANT
	    "/_wmcs/licensing; EX03: (absent)");
	assert_non_null(strstr(f->remediation, "reg add \"" MSDRM
	    "\\EnterprisePublishing\" /ve /t REG_SZ /d \"" TENANT
	    "/_wmcs/licensing\" /f"));
	irmf_result_clear(&r);
}

static void
test_extra_key(void **state)
{
	irmf_result r = { 0 };
	const irmf_finding *f;
	const char *key = "reg:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation"
	    "\\EnterpriseCertification\\(default)";
	want w[] = { { "EX02", key, IRMF_FIND_OUTLIER } };

	(void)state;
	fleet_of(&r, 3, 0, NULL);
	set_sz(r.fleet.members[1].snap, "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\"
	    "ServiceLocation\\EnterpriseCertification", "", IRMF_REG_SZ,
	    CONN "/_wmcs/certification");
	analyze(&r);
	expect(&r, w, 1);
	f = &r.findings.items[0];
	assert_string_equal(f->value, CONN "/_wmcs/certification");
	assert_null(f->expected);
	assert_non_null(strstr(f->explanation, "(extra)"));
	assert_string_equal(f->distribution, "2 of 3 servers: (absent); "
	    "EX02: " CONN "/_wmcs/certification");
	/* documented for Exchange 2016/2019 (issue 15 item 3): the peers
	 * are the ones to look at, nothing is deleted */
	assert_null(strstr(f->remediation, "reg delete"));
	assert_non_null(strstr(f->remediation, "Do not remove it"));
	assert_non_null(strstr(f->explanation, "its peers that lack it"));
	assert_int_equal(f->severity, IRMF_SEV_WARNING);
	irmf_result_clear(&r);
}

static void
test_case_only_differences(void **state)
{
	irmf_result r = { 0 };
	irmf_snapshot *s = exchange("EX02");

	(void)state;
	add(&r, exchange_ok("EX01", CONN));
	/* GenConnectorConfig writes V15; docs write /_wmcs/Licensing */
	set_sz(s, "HKEY_LOCAL_MACHINE\\software\\microsoft\\msdrm\\"
	    "servicelocation\\ACTIVATION", "", IRMF_REG_SZ,
	    "HTTPS://Contoso.RMS.na.aadrm.com/_WMCS/Certification");
	set_sz(s, MSDRM "\\EnterprisePublishing", "", IRMF_REG_SZ,
	    TENANT "/_wmcs/Licensing");
	set_sz(s, "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\V15\\IRM\\"
	    "CertificationServerRedirection", "HTTPS://CONTOSO.rms.na.aadrm.com",
	    IRMF_REG_SZ, "https://RMSCON.contoso.com");
	set_sz(s, "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\V15\\IRM\\"
	    "licenseserverredirection", TENANT, IRMF_REG_SZ,
	    "https://RmsCon.Contoso.Com");
	add(&r, s);
	add(&r, exchange_ok("EX03", CONN));
	analyze(&r);
	expect_none(&r);
	irmf_result_clear(&r);
}

static void
test_trailing_slash(void **state)
{
	irmf_result r = { 0 };

	(void)state;
	fleet_of(&r, 3, 2, CONN "/");
	set_sz(r.fleet.members[0].snap, MSDRM "\\Activation", "", IRMF_REG_SZ,
	    TENANT "/_wmcs/certification/");
	analyze(&r);
	expect_none(&r);
	irmf_result_clear(&r);
}

static void
test_migrated_fleet(void **state)
{
	irmf_result r = { 0 };
	const char *intra = "https://adrms.contoso.com/_wmcs/licensing";
	const char *extra = "https://adrms-ext.contoso.com/_wmcs/licensing";

	(void)state;
	fleet_of(&r, 4, 0, NULL);
	/* every server carries the AD RMS migration values, added in a
	 * different order and case on some */
	for (size_t i = 0; i < 4; i++) {
		irmf_snapshot *s = r.fleet.members[i].snap;
		irmf_reg_key *k;
		assert_int_equal(irmf_snapshot_reg_delete_key(s,
		    IRM15 "\\LicenseServerRedirection"), 0);
		assert_int_equal(irmf_snapshot_reg_key(s,
		    IRM15 "\\LicenseServerRedirection", &k), 0);
		if (i % 2 == 0) {
			irmf_reg_key_set_sz(k, TENANT, IRMF_REG_SZ, CONN);
			irmf_reg_key_set_sz(k, intra, IRMF_REG_SZ,
			    CONN "/_wmcs/licensing");
			irmf_reg_key_set_sz(k, extra, IRMF_REG_SZ,
			    CONN "/_wmcs/licensing");
		} else {
			irmf_reg_key_set_sz(k, extra, IRMF_REG_SZ,
			    CONN "/_wmcs/Licensing");
			irmf_reg_key_set_sz(k, "HTTPS://ADRMS.contoso.com"
			    "/_wmcs/Licensing", IRMF_REG_SZ,
			    CONN "/_wmcs/licensing/");
			irmf_reg_key_set_sz(k, TENANT, IRMF_REG_SZ, CONN);
		}
		assert_int_equal(k->nvalues, 3);
	}
	analyze(&r);
	expect_none(&r);
	irmf_result_clear(&r);
}

/* A server that lacks one AD RMS migration mapping its peers have gets
 * that one value added (never the key deleted); a server with one more
 * mapping than its peers keeps it (issue 10 item 5, issue 15 item 3). */
static void
test_migration_value_differs(void **state)
{
	irmf_result r = { 0 };
	const char *intra = "https://adrms.contoso.com/_wmcs/licensing";
	const char *extra = "https://adrms-ext.contoso.com/_wmcs/licensing";
	const char *key = "reg:" IRM15 "\\LicenseServerRedirection";
	const irmf_finding *f;

	(void)state;
	fleet_of(&r, 5, 0, NULL);
	for (size_t i = 0; i < 5; i++) {
		irmf_snapshot *s = r.fleet.members[i].snap;
		if (i != 1)   /* EX02 lacks the intranet mapping */
			set_sz(s, IRM15 "\\LicenseServerRedirection", intra,
			    IRMF_REG_SZ, CONN "/_wmcs/licensing");
		if (i == 3)   /* EX04 alone has the extranet one */
			set_sz(s, IRM15 "\\LicenseServerRedirection", extra,
			    IRMF_REG_SZ, CONN "/_wmcs/licensing");
	}
	analyze(&r);
	assert_int_equal(r.findings.n, 2);
	f = &r.findings.items[0];
	assert_string_equal(f->server, "EX02");
	assert_string_equal(f->setting, key);
	assert_int_equal(f->severity, IRMF_SEV_ERROR);
	assert_non_null(strstr(f->remediation, "reg add \"" IRM15
	    "\\LicenseServerRedirection\" /v \"" "https://adrms.contoso.com/"
	    "_wmcs/licensing\" /t REG_SZ /d \"" CONN "/_wmcs/licensing\" /f"));
	assert_null(strstr(f->remediation, "reg delete"));
	assert_null(strstr(f->remediation, TENANT "\" /t"));
	assert_non_null(strstr(f->explanation, "It lacks the mapping "
	    "https://adrms.contoso.com/_wmcs/licensing => " CONN));
	assert_non_null(strstr(f->explanation, "old AD RMS cluster"));
	f = &r.findings.items[1];
	assert_string_equal(f->server, "EX04");
	assert_int_equal(f->severity, IRMF_SEV_WARNING);
	assert_null(strstr(f->remediation, "reg delete"));
	assert_null(strstr(f->remediation, "reg add"));
	assert_non_null(strstr(f->remediation, "Do not remove it"));
	irmf_result_clear(&r);
}

static void
test_failed_collection(void **state)
{
	irmf_result r = { 0 };
	const irmf_finding *f;
	want w[] = { { "EX03", "registry:HKLM\\SOFTWARE\\Microsoft\\MSDRM",
	    IRMF_FIND_NOT_COLLECTED } };
	irmf_snapshot *s = exchange("EX03");

	(void)state;
	add(&r, exchange_ok("EX01", CONN));
	add(&r, exchange_ok("EX02", CONN));
	/* the MSDRM keys could not be read: absent from the snapshot, but
	 * failed, not missing */
	set_sz(s, IRM15 "\\CertificationServerRedirection", TENANT,
	    IRMF_REG_SZ, CONN);
	set_sz(s, IRM15 "\\LicenseServerRedirection", TENANT, IRMF_REG_SZ,
	    CONN);
	assert_int_equal(irmf_snapshot_add_error(s,
	    "registry:HKLM\\SOFTWARE\\Microsoft\\MSDRM",
	    IRMF_REASON_ACCESS_DENIED, "reg query: access is denied"), 0);
	add(&r, s);
	analyze(&r);
	expect(&r, w, 1);
	f = &r.findings.items[0];
	assert_int_equal(f->severity, IRMF_SEV_WARNING);
	assert_non_null(strstr(f->explanation, "access-denied"));
	assert_non_null(strstr(f->explanation, "not checked"));
	assert_int_equal(r.nunchecked, 1);
	assert_int_equal(r.nunchecked_servers, 1);
	assert_string_equal(r.unchecked[0].server, "EX03");
	irmf_result_clear(&r);
}

static void
test_failed_collection_not_counted(void **state)
{
	irmf_result r = { 0 };
	want w[] = {
		{ "EX03", "host", IRMF_FIND_NOT_COLLECTED },
		{ "EX04", "host", IRMF_FIND_NOT_COLLECTED },
	};

	(void)state;
	/* 2 good + 2 unreachable (and empty): without the failed ones the
	 * good two agree, so nothing but not-collected */
	fleet_of(&r, 2, 0, NULL);
	for (int i = 3; i <= 4; i++) {
		irmf_snapshot *s = exchange(i == 3 ? "EX03" : "EX04");
		irmf_snapshot_add_error(s, "host", IRMF_REASON_CONNECTION,
		    "connect: no route to host");
		add(&r, s);
	}
	analyze(&r);
	expect(&r, w, 2);
	irmf_result_clear(&r);
}

/* With the connector rules too, a failed item is still reported once:
 * the rules' own not-collected findings on that server are folded into
 * the per-item one. */
static void
test_failed_collection_once_with_rules(void **state)
{
	irmf_result r = { 0 };
	irmf_snapshot *s = exchange("EX03");
	size_t nc = 0;

	(void)state;
	add(&r, exchange_ok("EX01", CONN));
	add(&r, exchange_ok("EX02", CONN));
	irmf_snapshot_add_error(s, "host", IRMF_REASON_CONNECTION,
	    "connect: no route to host");
	add(&r, s);
	assert_int_equal(irmf_result_analyze(&r, IRMF_ANALYZE_ALL), 0);
	for (size_t i = 0; i < r.findings.n; i++) {
		const irmf_finding *f = &r.findings.items[i];
		if (f->server && strcmp(f->server, "EX03") == 0) {
			assert_int_equal(f->kind, IRMF_FIND_NOT_COLLECTED);
			assert_string_equal(f->setting, "host");
			nc++;
		}
	}
	assert_int_equal(nc, 1);
	irmf_result_clear(&r);
}

static void
test_version_lines(void **state)
{
	irmf_result r = { 0 };
	const char *v[] = { "10.0.14393.6897", "10.0.14393.6897",
	    "10.0.17763.5696", "10.0.17763.5696", "10.0.17763.5696",
	    "10.0.17763.1" };
	want w[] = { { "EX06", "file:msdrm.dll", IRMF_FIND_OUTLIER } };

	(void)state;
	/* two Windows builds are two lines, each agreeing except EX06 */
	fleet_of(&r, 6, 0, NULL);
	for (size_t i = 0; i < 6; i++)
		irmf_snapshot_file_set(r.fleet.members[i].snap, "msdrm.dll",
		    NULL, v[i]);
	analyze(&r);
	expect(&r, w, 1);
	assert_string_equal(r.findings.items[0].distribution,
	    "3 of 4 servers: 10.0.17763.5696; EX06: 10.0.17763.1");
	assert_non_null(strstr(r.findings.items[0].explanation,
	    "exchange-v15 servers with msdrm.dll 10.0.17763.x"));
	irmf_result_clear(&r);
}

static void
test_section_absent_not_compared(void **state)
{
	irmf_result r = { 0 };
	want w[] = { { "EX02", "identity:groups", IRMF_FIND_OUTLIER } };

	(void)state;
	fleet_of(&r, 4, 0, NULL);
	/* EX01..EX03 have their groups; EX04's import has none (unknown) */
	for (int i = 0; i < 3; i++)
		irmf_snapshot_add_group(r.fleet.members[i].snap, i == 1 ?
		    "CONTOSO\\Other Servers" : "CONTOSO\\Exchange Servers");
	analyze(&r);
	expect(&r, w, 1);
	assert_non_null(strstr(r.findings.items[0].distribution,
	    "2 of 3 servers"));
	irmf_result_clear(&r);
}

/* Get-IRMConfiguration is organisation-wide: servers whose exports differ
 * are no consensus outliers (rules_org.c reports it once, with no fix that
 * follows a possibly stale majority). */
static void
test_irm_not_by_consensus(void **state)
{
	irmf_result r = { 0 };

	(void)state;
	fleet_of(&r, 3, 0, NULL);
	for (int i = 0; i < 3; i++) {
		irmf_snapshot_prop_set(r.fleet.members[i].snap,
		    "InternalLicensingEnabled", IRMF_PROP_BOOL,
		    i == 0 ? "True" : "False", false);
		r.fleet.members[i].snap->has_irm_config = true;
	}
	analyze(&r);
	expect_none(&r);
	irmf_result_clear(&r);
}

static void
test_type_differs(void **state)
{
	irmf_result r = { 0 };
	const irmf_finding *f;
	want w[] = { { "EX02", K_ACT, IRMF_FIND_OUTLIER } };

	(void)state;
	fleet_of(&r, 3, 0, NULL);
	set_sz(r.fleet.members[1].snap, MSDRM "\\Activation", "",
	    IRMF_REG_EXPAND_SZ, TENANT "/_wmcs/certification");
	analyze(&r);
	expect(&r, w, 1);
	f = &r.findings.items[0];
	assert_non_null(strstr(f->explanation, "type differs"));
	assert_string_equal(f->value, "REG_EXPAND_SZ " TENANT
	    "/_wmcs/certification");
	assert_string_equal(f->expected, "REG_SZ " TENANT
	    "/_wmcs/certification");
	assert_string_equal(f->distribution, "2 of 3 servers: REG_SZ " TENANT
	    "/_wmcs/certification; EX02: REG_EXPAND_SZ " TENANT
	    "/_wmcs/certification");
	irmf_result_clear(&r);
}

static void
test_versions_numeric_and_cohorts(void **state)
{
	irmf_result r = { 0 };
	irmf_snapshot *sp;
	want w[] = { { "EX03", "file:msdrm.dll", IRMF_FIND_OUTLIER } };

	(void)state;
	fleet_of(&r, 3, 0, NULL);
	irmf_snapshot_file_set(r.fleet.members[0].snap, "msdrm.dll", NULL,
	    "6.3.9600.17415");
	irmf_snapshot_file_set(r.fleet.members[1].snap, "MSDRM.DLL", NULL,
	    "6.03.9600.17415");
	irmf_snapshot_file_set(r.fleet.members[2].snap, "msdrm.dll", NULL,
	    "6.3.9600.16384");
	/* SharePoint servers have other keys: another cohort, no findings */
	assert_int_equal(irmf_snapshot_new(&sp, "SP01"), 0);
	sp->roles = IRMF_ROLE_SHAREPOINT;
	set_sz(sp, "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\"
	    "EnterpriseCertification", "", IRMF_REG_SZ,
	    CONN "/_wmcs/certification");
	add(&r, sp);
	assert_int_equal(irmf_snapshot_new(&sp, "SP02"), 0);
	sp->roles = IRMF_ROLE_SHAREPOINT;
	set_sz(sp, "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\"
	    "EnterpriseCertification", "", IRMF_REG_SZ,
	    CONN "/_wmcs/certification/");
	add(&r, sp);
	analyze(&r);
	expect(&r, w, 1);
	assert_int_equal(r.ncohorts, 2);
	assert_string_equal(r.cohorts[0].name, "exchange-v15");
	assert_string_equal(r.cohorts[1].name, "sharepoint-2013+");
	irmf_result_clear(&r);
}

static void
test_duplicate_servers(void **state)
{
	irmf_result r = { 0 };

	(void)state;
	assert_int_equal(irmf_fleet_add(&r.fleet, exchange_ok("EX01", CONN),
	    "a/ex01.xml"), 0);
	assert_int_equal(irmf_fleet_add(&r.fleet, exchange_ok("ex01", CONN),
	    "b/ex01.xml"), 0);
	assert_int_equal(irmf_result_analyze(&r, IRMF_ANALYZE_CONSENSUS), IRMF_EUSAGE);
	assert_non_null(strstr(irmf_error_last()->message, "a/ex01.xml"));
	assert_non_null(strstr(irmf_error_last()->message, "b/ex01.xml"));
	irmf_result_clear(&r);
}

static void
test_many_values_bounded(void **state)
{
	irmf_result r = { 0 };
	char data[128];
	const irmf_finding *f;

	(void)state;
	/* 12 agree, 10 each have a value of their own: 10 outliers, each
	 * distribution naming the majority, its own value, 6 more, and a
	 * count of the rest */
	fleet_of(&r, 22, 0, NULL);
	for (int i = 12; i < 22; i++) {
		snprintf(data, sizeof(data), "https://t%02d.example/_wmcs/"
		    "certification", i);
		set_sz(r.fleet.members[i].snap, MSDRM "\\Activation", "",
		    IRMF_REG_SZ, data);
	}
	analyze(&r);
	assert_int_equal(r.findings.n, 10);
	f = &r.findings.items[9];
	assert_string_equal(f->server, "EX22");
	assert_int_equal(strncmp(f->distribution, "12 of 22 servers: " TENANT
	    "/_wmcs/certification; EX22: https://t21.example/_wmcs/"
	    "certification; EX13: https://t12.example", 100), 0);
	assert_non_null(strstr(f->distribution,
	    "; 3 more values on 3 servers"));
	assert_null(strstr(f->distribution, "t18.example"));
	irmf_result_clear(&r);
}

static void
test_explain_table(void **state)
{
	(void)state;
	assert_non_null(strstr(irmf_explain_lookup(K_LSR)->what,
	    "licensing redirection"));
	assert_non_null(strstr(irmf_explain_lookup("reg:HKLM\\SOFTWARE\\"
	    "Microsoft\\ExchangeServer\\V14\\IRM\\CERTIFICATIONServerRedirection")
	    ->what, "certification redirection"));
	assert_string_equal(irmf_explain_lookup("irm:LicensingLocation")->what,
	    "an RMS location of the IRM configuration");
	assert_string_equal(irmf_explain_lookup("irm:SearchEnabled")->what,
	    "an IRM configuration property");
	assert_string_equal(irmf_explain_lookup("something:new")->what,
	    "a setting");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_outlier),
		cmocka_unit_test(test_http_vs_https),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_three_ways),
		cmocka_unit_test(test_split_mostly_absent),
		cmocka_unit_test(test_two_servers_disagree),
		cmocka_unit_test(test_missing_key),
		cmocka_unit_test(test_extra_key),
		cmocka_unit_test(test_case_only_differences),
		cmocka_unit_test(test_trailing_slash),
		cmocka_unit_test(test_migrated_fleet),
		cmocka_unit_test(test_migration_value_differs),
		cmocka_unit_test(test_failed_collection),
		cmocka_unit_test(test_failed_collection_not_counted),
		cmocka_unit_test(test_failed_collection_once_with_rules),
		cmocka_unit_test(test_version_lines),
		cmocka_unit_test(test_section_absent_not_compared),
		cmocka_unit_test(test_irm_not_by_consensus),
		cmocka_unit_test(test_type_differs),
		cmocka_unit_test(test_versions_numeric_and_cohorts),
		cmocka_unit_test(test_duplicate_servers),
		cmocka_unit_test(test_many_values_bounded),
		cmocka_unit_test(test_explain_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
