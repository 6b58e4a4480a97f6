/*
 * test_rules.c - the connector documentation's rules (compare/rules*.c).
 *
 * Each test builds a tiny fleet in memory and asserts the exact set of
 * findings as "rule-id SERVER kind" lines: no more, no fewer.  The good
 * fleets (correct configuration, migrated fleet, case-only and trailing
 * slash differences) must produce no finding at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "findings.h"
#include "rules.h"
#include "settings.h"
#include "rules_int.h"
#include "snapshot_int.h"

#define TENANT "https://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com"
#define CONN "https://rmscon.contoso.com"
#define K_MSDRM "HKLM\\SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation"
#define K_MSIPC "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation"
#define K_EXCH "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer"
#define K_EX15 "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM"
#define K_EX14 "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\IRM"

#define MAXS 16

typedef struct fleet {
	irmf_snapshot *s[MAXS];
	size_t n;
	irmf_findings f;
} fleet;

static irmf_snapshot *
add(fleet *fl, const char *name, unsigned roles, const char *build)
{
	irmf_snapshot *s;
	char fqdn[128];

	assert_true(fl->n < MAXS);
	assert_int_equal(irmf_snapshot_new(&s, name), 0);
	s->roles = roles;
	snprintf(fqdn, sizeof(fqdn), "%s.contoso.com", name);
	assert_int_equal(irmf_snapshot_set_fqdn(s, fqdn), 0);
	if (build != NULL)
		assert_int_equal(irmf_snapshot_set_product(s, NULL, build), 0);
	fl->s[fl->n++] = s;
	return s;
}

static void
reg(irmf_snapshot *s, const char *path, const char *name, const char *data)
{
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, name, IRMF_REG_SZ, data), 0);
}

static void
unreg(irmf_snapshot *s, const char *path)
{
	assert_int_equal(irmf_snapshot_reg_delete_key(s, path), 0);
}

/* The documented Exchange 2013+ configuration (or v14 for 2010). */
static irmf_snapshot *
exch(fleet *fl, const char *name, const char *ver)
{
	const char *build = strcmp(ver, "v14") == 0 ? "14.3.496.0" :
	    "15.1.2507.6";
	irmf_snapshot *s = add(fl, name, IRMF_ROLE_EXCHANGE, build);
	char path[200];

	reg(s, K_MSDRM "\\Activation", "", TENANT "/_wmcs/certification");
	reg(s, K_MSDRM "\\EnterprisePublishing", "", TENANT "/_wmcs/Licensing");
	snprintf(path, sizeof(path),
	    "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\%s\\IRM\\"
	    "CertificationServerRedirection", ver);
	reg(s, path, TENANT, CONN);
	snprintf(path, sizeof(path),
	    "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\%s\\IRM\\"
	    "LicenseServerRedirection", ver);
	reg(s, path, TENANT, CONN);
	return s;
}

/* The documented SharePoint 2013+ configuration. */
static irmf_snapshot *
sp13(fleet *fl, const char *name)
{
	irmf_snapshot *s = add(fl, name, IRMF_ROLE_SHAREPOINT, "16.0.10337.12109");

	reg(s, K_MSIPC "\\EnterpriseCertification", "",
	    CONN "/_wmcs/certification");
	reg(s, K_MSIPC "\\EnterprisePublishing", "", CONN "/_wmcs/licensing");
	reg(s, K_MSIPC "\\LicensingRedirection", TENANT "/_wmcs/licensing",
	    CONN "/_wmcs/licensing");
	return s;
}

/* SharePoint 2010 or FCI: MSDRM keys at the connector. */
static irmf_snapshot *
msdrm_client(fleet *fl, const char *name, unsigned roles, const char *build)
{
	irmf_snapshot *s = add(fl, name, roles, build);

	reg(s, K_MSDRM "\\Activation", "", CONN "/_wmcs/certification");
	reg(s, K_MSDRM "\\EnterprisePublishing", "", CONN "/_wmcs/licensing");
	return s;
}

/* Rule ids seen in some test's findings: the last test checks that every
 * row of the table fired at least once (as a rule, not only as
 * not-collected), so no rule goes untested. */
static char *seen[128];
static size_t nseen;

static void
mark_seen(const irmf_finding *f)
{
	if (f->kind != IRMF_FIND_RULE)
		return;
	for (size_t i = 0; i < nseen; i++)
		if (strcmp(seen[i], f->rule_id) == 0)
			return;
	assert_true(nseen < 128);
	seen[nseen++] = strdup(f->rule_id);
}

static int
cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run the rules and compare the findings with the NULL-terminated list of
 * expected "rule-id SERVER kind" lines (order does not matter). */
static void
expect(fleet *fl, ...)
{
	char *got[256], *want[256];
	size_t ng = 0, nw = 0;
	va_list ap;
	const char *w;
	bool same;

	irmf_findings_clear(&fl->f);
	assert_int_equal(irmf_rules_run(fl->s, fl->n, &fl->f), 0);
	for (size_t i = 0; i < fl->f.n && ng < 256; i++) {
		const irmf_finding *f = &fl->f.items[i];
		char buf[256];
		/* every finding explains itself and says what to do */
		assert_non_null(f->rule_id);
		assert_non_null(f->setting);
		assert_non_null(f->explanation);
		assert_non_null(f->remediation);
		assert_non_null(f->cohort);
		mark_seen(f);
		snprintf(buf, sizeof(buf), "%s %s %s", f->rule_id,
		    f->server ? f->server : "-", irmf_finding_kind_name(f->kind));
		got[ng++] = strdup(buf);
	}
	va_start(ap, fl);
	while ((w = va_arg(ap, const char *)) != NULL && nw < 256)
		want[nw++] = strdup(w);
	va_end(ap);
	qsort(got, ng, sizeof(char *), cmp_line);
	qsort(want, nw, sizeof(char *), cmp_line);
	same = ng == nw;
	for (size_t i = 0; same && i < ng; i++)
		same = strcmp(got[i], want[i]) == 0;
	if (!same) {
		fprintf(stderr, "findings differ; got %zu:\n", ng);
		for (size_t i = 0; i < ng; i++)
			fprintf(stderr, "  %s\n", got[i]);
		fprintf(stderr, "expected %zu:\n", nw);
		for (size_t i = 0; i < nw; i++)
			fprintf(stderr, "  %s\n", want[i]);
	}
	for (size_t i = 0; i < ng; i++)
		free(got[i]);
	for (size_t i = 0; i < nw; i++)
		free(want[i]);
	assert_true(same);
}

static const irmf_finding *
find(const fleet *fl, const char *rule, const char *server)
{
	for (size_t i = 0; i < fl->f.n; i++)
		if (strcmp(fl->f.items[i].rule_id, rule) == 0 &&
		    (server == NULL ? fl->f.items[i].server == NULL :
		    fl->f.items[i].server != NULL &&
		    strcmp(fl->f.items[i].server, server) == 0))
			return &fl->f.items[i];
	fail_msg("no finding %s on %s", rule, server ? server : "-");
	return NULL;
}

static int
setup(void **state)
{
	fleet *fl = calloc(1, sizeof(*fl));

	assert_non_null(fl);
	*state = fl;
	return 0;
}

static int
teardown(void **state)
{
	fleet *fl = *state;

	for (size_t i = 0; i < fl->n; i++)
		irmf_snapshot_free(fl->s[i]);
	irmf_findings_clear(&fl->f);
	free(fl);
	return 0;
}

/* ------------------------------------------------------------- tests */

static void
test_table_wellformed(void **state)
{
	size_t n;
	const irmf_rule_info *t = irmf_rules_table(&n);

	(void)state;
	assert_true(n >= 15);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(t[i].id);
		assert_non_null(t[i].check);
		assert_non_null(t[i].explanation);
		assert_non_null(t[i].remediation);
		assert_non_null(t[i].source);
		assert_true(t[i].cohorts != 0);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(t[i].id, t[j].id);
	}
}

static void
test_docs_list_every_rule(void **state)
{
	size_t n, len;
	const irmf_rule_info *t = irmf_rules_table(&n);
	char *doc = tu_read_fixture(IRMF_SOURCE_DIR "/docs/rules.md", &len);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		char needle[128];
		snprintf(needle, sizeof(needle), "`%s`", t[i].id);
		if (strstr(doc, needle) == NULL)
			fail_msg("docs/rules.md does not document %s", t[i].id);
	}
	free(doc);
}

static void
test_empty_fleet(void **state)
{
	irmf_findings f = { 0 };

	(void)state;
	assert_int_equal(irmf_rules_run(NULL, 0, &f), 0);
	assert_int_equal(f.n, 0);
	irmf_findings_clear(&f);
}

static void
test_good_fleet(void **state)
{
	fleet *fl = *state;

	exch(fl, "EX01", "v15");
	exch(fl, "EX02", "v15");
	exch(fl, "EX10", "v14");
	sp13(fl, "SP01");
	msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	msdrm_client(fl, "SP10", IRMF_ROLE_SHAREPOINT, "14.0.7015.1000");
	expect(fl, NULL);
}

static void
test_case_and_slash(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	exch(fl, "EX01", "v15");
	s = add(fl, "EX02", IRMF_ROLE_EXCHANGE, "15.2.1118.7");
	reg(s, "HKEY_LOCAL_MACHINE\\SOFTWARE\\MICROSOFT\\MSDRM\\ServiceLocation\\Activation",
	    "", "HTTPS://5C6BB73B-1038-4EEC-863D-49BDED473437.RMS.NA.AADRM.COM/_WMCS/Certification/");
	reg(s, K_MSDRM "\\EnterprisePublishing", "", TENANT "/_wmcs/licensing/");
	reg(s, "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\V15\\IRM\\CertificationServerRedirection",
	    TENANT "/", "HTTPS://RMSCON.contoso.com/");
	reg(s, "HKLM\\software\\microsoft\\exchangeserver\\v15\\irm\\licenseserverredirection",
	    "https://5c6bb73b-1038-4eec-863d-49bded473437.RMS.na.aadrm.com",
	    CONN "/");
	expect(fl, NULL);
}

static void
test_migrated_fleet(void **state)
{
	fleet *fl = *state;
	const char *names[] = { "EX01", "EX02", "EX03" };

	for (size_t i = 0; i < 3; i++) {
		irmf_snapshot *s = exch(fl, names[i], "v15");
		reg(s, K_EX15 "\\LicenseServerRedirection",
		    "https://adrms.contoso.com/_wmcs/licensing",
		    CONN "/_wmcs/licensing");
		reg(s, K_EX15 "\\LicenseServerRedirection",
		    "https://adrms-ext.contoso.com/_wmcs/licensing",
		    CONN "/_wmcs/licensing");
	}
	expect(fl, NULL);
}

static void
test_redirection_missing(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;
	const irmf_finding *f;

	exch(fl, "EX01", "v15");
	s = exch(fl, "EX02", "v15");
	unreg(s, K_EX15 "\\LicenseServerRedirection");
	expect(fl, "exchange-redirection-present EX02 rule", NULL);
	f = find(fl, "exchange-redirection-present", "EX02");
	assert_string_equal(f->setting,
	    "reg:" K_EX15 "\\LicenseServerRedirection");
	assert_null(f->value);
	assert_int_equal(f->severity, IRMF_SEV_ERROR);
	assert_string_equal(f->cohort, "exchange-v15");
	/* the remediation is a command with the fleet's own URLs */
	assert_non_null(strstr(f->remediation, "reg add \"" K_EX15
	    "\\LicenseServerRedirection\" /v \"" TENANT "\" /t REG_SZ /d \""
	    CONN "\" /f"));
	assert_non_null(strstr(f->remediation, "-SetExchange2013"));
}

static void
test_redirection_only_migration_values(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	exch(fl, "EX01", "v15");
	s = exch(fl, "EX02", "v15");
	unreg(s, K_EX15 "\\LicenseServerRedirection");
	reg(s, K_EX15 "\\LicenseServerRedirection",
	    "https://adrms.contoso.com/_wmcs/licensing", CONN "/_wmcs/licensing");
	expect(fl, "exchange-redirection-tenant EX02 rule", NULL);
}

static void
test_redirection_data_is_rms(void **state)
{
	fleet *fl = *state;
	const char *names[] = { "EX01", "EX02", "EX03" };

	/* the whole fleet agrees and is wrong: still a finding on each */
	for (size_t i = 0; i < 3; i++) {
		irmf_snapshot *s = exch(fl, names[i], "v15");
		reg(s, K_EX15 "\\CertificationServerRedirection", TENANT, TENANT);
	}
	expect(fl, "exchange-redirection-data EX01 rule",
	    "exchange-redirection-data EX02 rule",
	    "exchange-redirection-data EX03 rule", NULL);
}

static void
test_redirection_wrong_tenant(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	exch(fl, "EX01", "v15");
	exch(fl, "EX02", "v15");
	s = exch(fl, "EX03", "v15");
	unreg(s, K_EX15 "\\CertificationServerRedirection");
	reg(s, K_EX15 "\\CertificationServerRedirection",
	    "https://other.rms.eu.aadrm.com", CONN);
	s = exch(fl, "EX04", "v15");   /* http: never equals the https URL */
	unreg(s, K_EX15 "\\LicenseServerRedirection");
	reg(s, K_EX15 "\\LicenseServerRedirection",
	    "http://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com",
	    CONN);
	expect(fl, "exchange-redirection-tenant EX03 rule",
	    "exchange-redirection-tenant EX04 rule", NULL);
	assert_string_equal(find(fl, "exchange-redirection-tenant",
	    "EX03")->expected, TENANT);
}

static void
test_self_help_variant(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	exch(fl, "EX01", "v15");
	s = exch(fl, "EX02", "v15");
	unreg(s, K_EX15 "\\CertificationServerRedirection");
	unreg(s, K_EX15 "\\LicenseServerRedirection");
	reg(s, K_EX15 "\\CertificationServerRedirection",
	    TENANT "/_wmcs/certification", CONN "/_wmcs/certification");
	reg(s, K_EX15 "\\LicenseServerRedirection",
	    TENANT "/_wmcs/licensing", CONN "/_wmcs/licensing");
	expect(fl, "exchange-redirection-wmcs-path EX02 rule",
	    "exchange-redirection-wmcs-path EX02 rule", NULL);
}

static void
test_bare_name(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	sp13(fl, "SP01");
	s = sp13(fl, "SP02");
	unreg(s, K_MSIPC "\\LicensingRedirection");
	reg(s, K_MSIPC "\\LicensingRedirection", "/_wmcs/licensing",
	    CONN "/_wmcs/licensing");
	expect(fl, "redirection-bare-name SP02 rule", NULL);
}

static void
test_msdrm_exchange(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	exch(fl, "EX01", "v15");
	s = exch(fl, "EX02", "v15");   /* publishing at /certification */
	reg(s, K_MSDRM "\\EnterprisePublishing", "", TENANT "/_wmcs/certification");
	s = exch(fl, "EX03", "v15");   /* both at the connector */
	reg(s, K_MSDRM "\\Activation", "", CONN "/_wmcs/certification");
	reg(s, K_MSDRM "\\EnterprisePublishing", "", CONN "/_wmcs/licensing");
	s = exch(fl, "EX04", "v15");   /* activation missing */
	unreg(s, K_MSDRM "\\Activation");
	s = exch(fl, "EX05", "v15");   /* activation over http */
	reg(s, K_MSDRM "\\Activation", "",
	    "http://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com/_wmcs/certification");
	s = exch(fl, "EX06", "v15");   /* both at an old AD RMS cluster */
	reg(s, K_MSDRM "\\Activation", "",
	    "https://adrms.contoso.com/_wmcs/certification");
	reg(s, K_MSDRM "\\EnterprisePublishing", "",
	    "https://adrms.contoso.com/_wmcs/licensing");
	expect(fl, "publishing-points-at-certification EX02 rule",
	    "exchange-msdrm-both-connector EX03 rule",
	    "exchange-msdrm-activation EX04 rule",
	    "exchange-msdrm-activation EX05 rule",
	    "exchange-msdrm-activation EX06 rule",
	    "exchange-msdrm-publishing EX06 rule", NULL);
	assert_string_equal(find(fl, "exchange-msdrm-activation",
	    "EX04")->expected, TENANT "/_wmcs/certification");
	assert_string_equal(find(fl, "publishing-points-at-certification",
	    "EX02")->expected, TENANT "/_wmcs/licensing");
}

static void
test_key_version(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	exch(fl, "EX01", "v15");
	s = exch(fl, "EX10", "v14");
	reg(s, K_EX15 "\\LicenseServerRedirection", TENANT, CONN);
	s = exch(fl, "EX11", "v15");   /* a 2010 build with only v15 keys */
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "14.3.496.0"), 0);
	expect(fl, "exchange-key-version EX10 rule",
	    "exchange-key-version EX11 rule", "exchange-key-version EX11 rule",
	    "exchange-redirection-present EX11 rule",
	    "exchange-redirection-present EX11 rule", NULL);
}

static void
test_sharepoint_rms_url(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	sp13(fl, "SP01");
	s = sp13(fl, "SP02");
	reg(s, K_MSIPC "\\EnterpriseCertification", "",
	    TENANT "/_wmcs/certification");
	reg(s, K_MSIPC "\\LicensingRedirection", TENANT "/_wmcs/licensing",
	    TENANT "/_wmcs/licensing");
	s = sp13(fl, "SP03");
	unreg(s, K_MSIPC "\\EnterprisePublishing");
	unreg(s, K_MSIPC "\\LicensingRedirection");
	expect(fl, "msipc-certification SP02 rule",
	    "msipc-licensing-redirection SP02 rule",
	    "msipc-publishing SP03 rule",
	    "msipc-licensing-redirection SP03 rule", NULL);
}

static void
test_msdrm_clients(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	s = msdrm_client(fl, "FS02", IRMF_ROLE_FCI, NULL);
	reg(s, K_MSDRM "\\Activation", "", TENANT "/_wmcs/certification");
	s = msdrm_client(fl, "SP10", IRMF_ROLE_SHAREPOINT, "14.0.7015.1000");
	reg(s, K_MSDRM "\\EnterprisePublishing", "", CONN "/_wmcs/certification");
	expect(fl, "msdrm-connector-activation FS02 rule",
	    "publishing-points-at-certification SP10 rule", NULL);
}

static void
test_scheme_and_node_name(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	exch(fl, "EX01", "v15");
	exch(fl, "EX02", "v15");
	s = exch(fl, "EX03", "v15");
	reg(s, K_EX15 "\\LicenseServerRedirection", TENANT,
	    "http://rmscon.contoso.com");
	s = exch(fl, "EX04", "v15");
	reg(s, K_EX15 "\\CertificationServerRedirection", TENANT,
	    "https://RMS01.contoso.com");
	add(fl, "RMS01", IRMF_ROLE_CONNECTOR, NULL);
	expect(fl, "connector-url-scheme EX03 rule",
	    "connector-url-node-name EX04 rule", NULL);
	assert_string_equal(find(fl, "connector-url-scheme", "EX03")->expected,
	    CONN);
}

static void
test_registry_not_collected(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	exch(fl, "EX01", "v15");
	s = add(fl, "EX02", IRMF_ROLE_EXCHANGE, "15.1.2507.6");
	reg(s, K_MSDRM "\\Activation", "", TENANT "/_wmcs/certification");
	reg(s, K_MSDRM "\\EnterprisePublishing", "", TENANT "/_wmcs/licensing");
	assert_int_equal(irmf_snapshot_add_error(s,
	    "registry:HKLM\\SOFTWARE\\Microsoft\\ExchangeServer",
	    IRMF_REASON_ACCESS_DENIED, "access is denied"), 0);
	expect(fl, "exchange-redirection-present EX02 not-collected",
	    "exchange-redirection-tenant EX02 not-collected",
	    "exchange-redirection-data EX02 not-collected",
	    "exchange-redirection-wmcs-path EX02 not-collected",
	    "redirection-bare-name EX02 not-collected", NULL);
	assert_non_null(strstr(find(fl, "exchange-redirection-present",
	    "EX02")->explanation, "access"));
}

static void
test_registry_absent_vs_empty(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	exch(fl, "EX01", "v15");
	/* an import of only Get-IRMConfiguration: keys unknown, no finding */
	s = add(fl, "EX02", IRMF_ROLE_EXCHANGE, "15.1.2507.6");
	assert_int_equal(irmf_snapshot_prop_set(s, "InternalLicensingEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
	s->has_irm_config = true;
	/* a registry export that held none of the keys: all missing */
	s = add(fl, "EX03", IRMF_ROLE_EXCHANGE, "15.1.2507.6");
	assert_int_equal(irmf_snapshot_add_source(s, "ex03.reg", "00", "reg"),
	    0);
	expect(fl, "exchange-redirection-present EX03 rule",
	    "exchange-redirection-present EX03 rule",
	    "exchange-msdrm-activation EX03 rule",
	    "exchange-msdrm-publishing EX03 rule", NULL);
}

/* The Get-IRMConfiguration of a working connector deployment. */
static void
irm_ok(irmf_snapshot *s)
{
	assert_int_equal(irmf_snapshot_prop_set(s, "InternalLicensingEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "ExternalLicensingEnabled",
	    IRMF_PROP_BOOL, "False", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "ClientAccessServerEnabled",
	    IRMF_PROP_BOOL, "true", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "EDiscoverySuperUserEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "TransportDecryptionSetting",
	    IRMF_PROP_ENUM, "Mandatory", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "ServiceLocation",
	    IRMF_PROP_URI, NULL, true), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "PublishingLocation",
	    IRMF_PROP_URI, TENANT "/_wmcs/licensing", false), 0);
	assert_int_equal(irmf_snapshot_prop_set_list(s, "LicensingLocation",
	    IRMF_PROP_URI_LIST, NULL, 0), 0);
	s->has_irm_config = true;
}

/* The tenant URL has the documented shape <id>.rms.<region>.aadrm.com
 * (and the .us / .cn clouds); other Microsoft RMS hosts stay "Microsoft
 * RMS" but are not the tenant (issue 15 #14). */
static void
test_tenant_shape(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	assert_true(irmf_url_is_tenant(TENANT));
	assert_true(irmf_url_is_tenant(TENANT "/_wmcs/licensing"));
	assert_true(irmf_url_is_tenant("https://5c6bb73b-1038-4eec-863d-"
	    "49bded473437.rms.aadrm.us"));
	assert_true(irmf_url_is_tenant("https://5C6BB73B-1038-4eec-863d-"
	    "49bded473437.RMS.cn.aadrm.cn/_wmcs/certification"));
	assert_false(irmf_url_is_tenant("https://discover.aadrm.com"));
	assert_false(irmf_url_is_tenant("https://admin.na.aadrm.com"));
	assert_false(irmf_url_is_tenant("https://x.rms.na.aadrm.com.evil.test"));
	assert_false(irmf_url_is_tenant("https://x.rms.na.azurerms.com"));
	assert_false(irmf_url_is_tenant("https://.rms.na.aadrm.com"));
	assert_false(irmf_url_is_tenant("https://a.b.rms.na.aadrm.com"));
	/* still Microsoft RMS for the connector-URL checks */
	assert_true(irmf_url_is_rms("https://admin.na.aadrm.com"));

	/* a Get-IRMConfiguration export only (no registry: the fleet has no
	 * tenant): a location naming an RMS service host is not the tenant */
	s = add(fl, "EX01", IRMF_ROLE_EXCHANGE, "15.1.2507.6");
	irm_ok(s);
	assert_int_equal(irmf_snapshot_prop_set(s, "PublishingLocation",
	    IRMF_PROP_URI, "https://admin.na.aadrm.com/_wmcs/licensing",
	    false), 0);
	s = add(fl, "EX02", IRMF_ROLE_EXCHANGE, "15.1.2507.6");
	irm_ok(s);
	/* once for the organisation; EX02's export differs (info) */
	expect(fl, "irm-location-tenant - rule", "irm-exports-agree - rule",
	    NULL);
	assert_non_null(strstr(find(fl, "irm-location-tenant",
	    NULL)->distribution, "EX01"));
}

static void
test_irm_good(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;
	char *ll[] = { "https://adrms.contoso.com/_wmcs/licensing",
	    TENANT "/_wmcs/licensing" };

	irm_ok(exch(fl, "EX01", "v15"));
	s = exch(fl, "EX02", "v15");
	irm_ok(s);
	/* a migrated organization keeps the AD RMS URL next to the tenant */
	assert_int_equal(irmf_snapshot_prop_set_list(s, "LicensingLocation",
	    IRMF_PROP_URI_LIST, ll, 2), 0);
	/* IRM switched off: the locations are not judged (only the switch) */
	s = exch(fl, "EX03", "v15");
	irm_ok(s);
	assert_int_equal(irmf_snapshot_prop_set(s, "InternalLicensingEnabled",
	    IRMF_PROP_BOOL, "False", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "ServiceLocation",
	    IRMF_PROP_URI, "https://adrms.contoso.com/_wmcs/certification",
	    false), 0);
	/* one organisation: EX03's export differs from the others' (taken
	 * at another time): the rule reports once, for the organisation, and
	 * the disagreement is info with no Set- command (issue 10 item 6,
	 * issue 15 item 1) */
	expect(fl, "irm-internal-licensing - rule",
	    "irm-exports-agree - rule", "irm-exports-agree - rule",
	    "irm-exports-agree - rule", NULL);
	assert_non_null(strstr(find(fl, "irm-internal-licensing",
	    NULL)->distribution, "1 of 3 Exchange servers' exports: EX03"));
	assert_string_equal(find(fl, "irm-internal-licensing", NULL)->cohort,
	    "organization");
	for (size_t i = 0; i < fl->f.n; i++)
		if (strcmp(fl->f.items[i].rule_id, "irm-exports-agree") == 0) {
			assert_int_equal(fl->f.items[i].severity, IRMF_SEV_INFO);
			assert_null(strstr(fl->f.items[i].remediation,
			    "Set-IRMConfiguration"));
		}
}

/* Right after an admin enables IRM, two of three servers still read the
 * old value: the majority is stale, so no fix may follow it. */
static void
test_irm_replication_lag(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	for (int i = 0; i < 3; i++) {
		char name[8];
		snprintf(name, sizeof(name), "EX0%d", i + 1);
		s = exch(fl, name, "v15");
		irm_ok(s);
		if (i > 0)
			assert_int_equal(irmf_snapshot_prop_set(s,
			    "InternalLicensingEnabled", IRMF_PROP_BOOL, "False",
			    false), 0);
	}
	expect(fl, "irm-internal-licensing - rule", "irm-exports-agree - rule",
	    NULL);
	/* the documented expected value, never the stale majority's */
	assert_non_null(strstr(find(fl, "irm-internal-licensing",
	    NULL)->remediation, "Set-IRMConfiguration "
	    "-InternalLicensingEnabled $true"));
	assert_null(strstr(find(fl, "irm-internal-licensing", NULL)->remediation,
	    "$false"));
	assert_non_null(strstr(find(fl, "irm-exports-agree", NULL)->value,
	    "EX01: True; EX02: False; EX03: False"));
}

static void
test_irm_bad(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;
	char *ll[] = { "https://adrms.contoso.com/_wmcs/licensing" };
	const irmf_finding *f;

	irm_ok(exch(fl, "EX01", "v15"));
	s = exch(fl, "EX02", "v15");
	irm_ok(s);
	assert_int_equal(irmf_snapshot_prop_set(s, "ExternalLicensingEnabled",
	    IRMF_PROP_BOOL, "True", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "ClientAccessServerEnabled",
	    IRMF_PROP_BOOL, "False", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "EDiscoverySuperUserEnabled",
	    IRMF_PROP_BOOL, NULL, true), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "TransportDecryptionSetting",
	    IRMF_PROP_ENUM, "Sometimes", false), 0);
	assert_int_equal(irmf_snapshot_prop_set(s, "ServiceLocation",
	    IRMF_PROP_URI, CONN "/_wmcs/certification", false), 0);
	assert_int_equal(irmf_snapshot_prop_set_list(s, "LicensingLocation",
	    IRMF_PROP_URI_LIST, ll, 1), 0);
	/* Get-IRMConfiguration failed on EX03: every IRM rule not checked */
	s = exch(fl, "EX03", "v15");
	assert_int_equal(irmf_snapshot_add_error(s, "irm-config",
	    IRMF_REASON_COMMAND_FAILED, "Get-IRMConfiguration failed"), 0);
	expect(fl, "irm-external-licensing - rule",
	    "irm-client-access-server - rule",
	    "irm-ediscovery-super-user - rule",
	    "irm-transport-decryption - rule",
	    "irm-location-tenant - rule", "irm-location-tenant - rule",
	    "irm-exports-agree - rule", "irm-exports-agree - rule",
	    "irm-exports-agree - rule", "irm-exports-agree - rule",
	    "irm-exports-agree - rule", "irm-exports-agree - rule",
	    "irm-internal-licensing EX03 not-collected",
	    "irm-external-licensing EX03 not-collected",
	    "irm-client-access-server EX03 not-collected",
	    "irm-ediscovery-super-user EX03 not-collected",
	    "irm-transport-decryption EX03 not-collected",
	    "irm-location-tenant EX03 not-collected", NULL);
	f = find(fl, "irm-ediscovery-super-user", NULL);
	assert_string_equal(f->setting, "irm:EDiscoverySuperUserEnabled");
	assert_string_equal(f->value, "$null");
	assert_string_equal(f->expected, "True");
	assert_string_equal(find(fl, "irm-client-access-server",
	    NULL)->remediation,
	    "Set-IRMConfiguration -ClientAccessServerEnabled $true");
}

static void
test_irm_test(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	s = exch(fl, "EX01", "v15");
	assert_int_equal(irmf_snapshot_irm_test_add(s,
	    "Loading IRM configuration ...", true, "IRM configuration loaded "
	    "successfully."), 0);
	s->has_irm_test = true;
	s->irm_test_pass = true;
	s = exch(fl, "EX02", "v15");
	assert_int_equal(irmf_snapshot_irm_test_add(s,
	    "Loading IRM configuration ...", true, "ok"), 0);
	assert_int_equal(irmf_snapshot_irm_test_add(s,
	    "Acquiring Use License from RMS Licensing Uri ...", false,
	    "Failed to acquire a use license."), 0);
	s->has_irm_test = true;
	s->irm_test_pass = false;
	s = exch(fl, "EX03", "v15");
	assert_int_equal(irmf_snapshot_add_error(s, "irm-test",
	    IRMF_REASON_COMMAND_FAILED, NULL), 0);
	exch(fl, "EX04", "v15");   /* not exported: unknown */
	expect(fl, "irm-test-pass EX02 rule", "irm-test-pass EX03 not-collected",
	    NULL);
	assert_string_equal(find(fl, "irm-test-pass", "EX02")->value,
	    "FAIL at \"Acquiring Use License from RMS Licensing Uri ...\": "
	    "Failed to acquire a use license.");
}

/* Server identity (issue 10): generation from ranked evidence, unknown or
 * contradictory generations reported, never guessed. */
static void
test_identity(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;
	irmf_reg_key *k;

	exch(fl, "EX01", "v15");
	/* no build: the v14 IRM subkeys alone say 2010 (their IRM parent
	 * has no values, as GenConnectorConfig's .reg files write it) */
	s = exch(fl, "EX02", "v14");
	free(s->product_build);
	s->product_build = NULL;
	/* keys of both versions and nothing else: unknown */
	s = exch(fl, "EX03", "v15");
	free(s->product_build);
	s->product_build = NULL;
	reg(s, K_EXCH "\\v14\\IRM\\LicenseServerRedirection", TENANT, CONN);
	/* ExSetup.exe says 2010, Get-ExchangeServer 2016: contradictory */
	s = exch(fl, "EX04", "v15");
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "14.3.389.1"), 0);
	/* the v15\Setup key (DWORDs) decides over the keys; both versions'
	 * keys present: GPO coexistence, info only */
	s = exch(fl, "EX05", "v15");
	free(s->product_build);
	s->product_build = NULL;
	reg(s, K_EXCH "\\v14\\IRM\\CertificationServerRedirection", TENANT,
	    CONN);
	reg(s, K_EXCH "\\v14\\IRM\\LicenseServerRedirection", TENANT, CONN);
	assert_int_equal(irmf_snapshot_reg_key(s, K_EXCH "\\v15\\Setup", &k),
	    0);
	assert_int_equal(irmf_reg_key_set_num(k, "MsiProductMajor",
	    IRMF_REG_DWORD, 15), 0);
	/* SharePoint without a version key and with both clients' keys */
	s = sp13(fl, "SP01");
	free(s->product_build);
	s->product_build = NULL;
	reg(s, K_MSDRM "\\Activation", "", CONN "/_wmcs/certification");
	/* SharePoint 2010 by its Web Server Extensions\14.0 key: MSDRM */
	s = msdrm_client(fl, "SP02", IRMF_ROLE_SHAREPOINT, NULL);
	reg(s, "HKLM\\SOFTWARE\\Microsoft\\Shared Tools\\Web Server "
	    "Extensions\\14.0", "Version", "14.0.7015.1000");
	/* servers the documentation never configures for the connector
	 * (issue 15 item 9): an Edge Transport server and an Exchange 2010
	 * Mailbox-only server, without any IRM key, get no finding */
	s = add(fl, "EDGE01", IRMF_ROLE_EXCHANGE, "15.2.1544.4");
	assert_int_equal(irmf_set_str(&s->exchange_roles, "Edge"), 0);
	s = add(fl, "MBX10", IRMF_ROLE_EXCHANGE, NULL);
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "14.3.389.1"), 0);
	assert_int_equal(irmf_set_str(&s->exchange_roles, "Mailbox"), 0);
	reg(s, "HKLM\\SOFTWARE\\Other", "x", "y");
	expect(fl, "exchange-identity EX03 rule", "exchange-identity EX04 rule",
	    "exchange-key-version EX05 rule", "exchange-key-version EX05 rule",
	    "sharepoint-identity SP01 rule", NULL);
	assert_string_equal(irmf_cohort_of(fl->s[1]), "exchange-v14");
	assert_string_equal(irmf_cohort_of(fl->s[2]), "exchange-unknown");
	assert_string_equal(irmf_cohort_of(fl->s[3]), "exchange-unknown");
	assert_string_equal(irmf_cohort_of(fl->s[4]), "exchange-v15");
	assert_string_equal(irmf_cohort_of(fl->s[6]), "sharepoint-2010-fci");
	assert_int_equal(find(fl, "exchange-key-version", "EX05")->severity,
	    IRMF_SEV_INFO);
	assert_string_equal(irmf_cohort_of(fl->s[7]), "exchange-not-configured");
	assert_string_equal(irmf_cohort_of(fl->s[8]), "exchange-not-configured");
	assert_non_null(strstr(find(fl, "exchange-identity", "EX04")->value,
	    "conflict"));
}

/* A GPO-written value literally named "(default)" (issue 10): its own
 * setting key, and a finding that explains it; the real default value is
 * still missing, so the documented rule fires too. */
static void
test_literal_default(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;
	irmf_settings set = { 0 };

	msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	s = add(fl, "FS02", IRMF_ROLE_FCI, NULL);
	reg(s, K_MSDRM "\\Activation", "(default)", CONN "/_wmcs/certification");
	reg(s, K_MSDRM "\\EnterprisePublishing", "", CONN "/_wmcs/licensing");
	expect(fl, "registry-literal-default FS02 rule",
	    "msdrm-connector-activation FS02 rule", NULL);
	assert_string_equal(find(fl, "registry-literal-default", "FS02")->setting,
	    "reg:" K_MSDRM "\\Activation\\\"(default)\"");
	assert_non_null(strstr(find(fl, "registry-literal-default",
	    "FS02")->remediation, "reg delete \"" K_MSDRM "\\Activation\" /v "
	    "\"(default)\" /f"));
	assert_int_equal(irmf_settings_extract(s, &set), 0);
	assert_non_null(irmf_settings_find(&set, "reg:hklm\\software\\"
	    "microsoft\\msdrm\\servicelocation\\activation\\\"(default)\""));
	assert_null(irmf_settings_find(&set, "reg:hklm\\software\\"
	    "microsoft\\msdrm\\servicelocation\\activation\\(default)"));
	irmf_settings_clear(&set);
}

static void
test_exchange_builds(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	/* Exchange 2010's rollup shows only in ExSetup.exe's version */
	s = exch(fl, "EX10", "v14");
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "14.3.123.4"), 0);
	exch(fl, "EX11", "v14");   /* 14.3.496.0 */
	/* Get-ExchangeServer's 14.3.123.4 is "SP3, rollup unknown": not
	 * judged (issue 10 item 3); SP2 is below RU6 whatever its rollup */
	s = exch(fl, "EX19", "v14");
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "14.3.123.4"), 0);
	s = exch(fl, "EX20", "v14");
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "14.2.247.5"), 0);
	s = exch(fl, "EX21", "v14");   /* ExSetup wins over the SP level */
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "14.3.123.4"), 0);
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "14.3.389.1"), 0);
	s = exch(fl, "EX12", "v14");
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "14.3.195.1"), 0);
	s = exch(fl, "EX13", "v15");
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.0.712.24"), 0);
	s = exch(fl, "EX14", "v15");
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.0.775.38"), 0);
	s = exch(fl, "EX15", "v15");   /* numerically newer, textually less */
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.0.1497.2"), 0);
	s = exch(fl, "EX16", "v15");
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.1.225.42"), 0);
	s = exch(fl, "EX17", "v15");   /* build unknown: collection failed */
	free(s->product_build);
	s->product_build = NULL;
	assert_int_equal(irmf_snapshot_add_error(s, "exchange-server",
	    IRMF_REASON_TIMEOUT, NULL), 0);
	s = exch(fl, "EX18", "v15");   /* build unknown: not exported */
	free(s->product_build);
	s->product_build = NULL;
	expect(fl, "exchange-2010-build EX10 rule",
	    "exchange-2010-build EX20 rule",
	    "exchange-2013-build EX13 rule",
	    "exchange-2013-build EX17 not-collected", NULL);
	assert_string_equal(find(fl, "exchange-2010-build", "EX10")->setting,
	    "product:build");
}

static void
test_msdrm_mode2(void **state)
{
	fleet *fl = *state;
	static const struct { const char *name, *ver; } v[] = {
		{ "EX01", "6.0.6002.18005" }, { "EX02", "6.0.6002.22761" },
		{ "EX03", "6.1.7600.16385" }, { "EX04", "6.1.7601.17514" },
		{ "EX05", "6.3.9600.17415" }, { "EX06", "6.1.7600.17000" },
	};
	irmf_snapshot *s;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		s = exch(fl, v[i].name, "v15");
		assert_int_equal(irmf_snapshot_file_set(s, "msdrm.dll", NULL,
		    v[i].ver), 0);
	}
	s = msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	assert_int_equal(irmf_snapshot_file_set(s, "MSDRM.DLL", NULL,
	    "5.2.3790.1830"), 0);
	s = msdrm_client(fl, "FS02", IRMF_ROLE_FCI, NULL);
	assert_int_equal(irmf_snapshot_add_error(s, "file:msdrm.dll",
	    IRMF_REASON_ACCESS_DENIED, NULL), 0);
	s = sp13(fl, "SP01");   /* SharePoint 2013+ uses MSIPC, not MSDRM */
	assert_int_equal(irmf_snapshot_file_set(s, "msdrm.dll", NULL,
	    "6.0.6002.18005"), 0);
	expect(fl, "msdrm-mode2 EX01 rule", "msdrm-mode2 EX03 rule",
	    "msdrm-mode2 FS01 rule", "msdrm-mode2 FS02 not-collected", NULL);
}

static void
test_msipc_version(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	s = sp13(fl, "SP01");
	assert_int_equal(irmf_snapshot_file_set(s, "msipc.dll", NULL,
	    "1.0.2004.0"), 0);
	s = sp13(fl, "SP02");
	assert_int_equal(irmf_snapshot_file_set(s, "msipc.dll", NULL,
	    "1.0.622.34"), 0);
	s = sp13(fl, "SP03");
	assert_int_equal(irmf_snapshot_file_set(s, "msipc.dll", NULL,
	    "1.0.100.0"), 0);
	s = sp13(fl, "SP04");
	reg(s, "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\CurrentVersion", "",
	    "1.0.1000.0");
	s = sp13(fl, "SP05");
	assert_int_equal(irmf_snapshot_add_error(s, "file:msipc.dll",
	    IRMF_REASON_TIMEOUT, NULL), 0);
	sp13(fl, "SP06");   /* neither file nor registry value: unknown */
	s = sp13(fl, "SP07");   /* the registry side failed */
	assert_int_equal(irmf_snapshot_add_error(s,
	    "registry:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\CurrentVersion",
	    IRMF_REASON_ACCESS_DENIED, NULL), 0);
	expect(fl, "msipc-version-supported SP02 rule",
	    "msipc-version-floor SP03 rule",
	    "msipc-version-supported SP04 rule",
	    "msipc-version-floor SP05 not-collected",
	    "msipc-version-supported SP05 not-collected",
	    "msipc-version-floor SP07 not-collected",
	    "msipc-version-supported SP07 not-collected", NULL);
	assert_int_equal(find(fl, "msipc-version-floor", "SP03")->severity,
	    IRMF_SEV_ERROR);
	assert_int_equal(find(fl, "msipc-version-supported", "SP02")->severity,
	    IRMF_SEV_WARNING);
	assert_string_equal(find(fl, "msipc-version-supported",
	    "SP04")->setting,
	    "reg:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\CurrentVersion\\(default)");
}

/* ------------------------------------------------ connector-side rules */

static irmf_snapshot *
node(fleet *fl, const char *name)
{
	return add(fl, name, IRMF_ROLE_CONNECTOR, NULL);
}

/* The documented authorization list: Exchange by its group, SharePoint by
 * its service account, FCI servers by a group of computer accounts. */
static void
auth_ok(irmf_snapshot *n)
{
	assert_int_equal(irmf_snapshot_add_authorization(n,
	    "CONTOSO\\Exchange Servers", IRMF_ACCOUNT_GROUP,
	    IRMF_ROLE_EXCHANGE), 0);
	assert_int_equal(irmf_snapshot_add_authorization(n, "CONTOSO\\svc-sp",
	    IRMF_ACCOUNT_USER, IRMF_ROLE_SHAREPOINT), 0);
	assert_int_equal(irmf_snapshot_add_authorization(n,
	    "CONTOSO\\FCI Servers", IRMF_ACCOUNT_GROUP, IRMF_ROLE_FCI), 0);
	n->has_authorizations = true;
}

static void
ident(irmf_snapshot *s, const char *account, const char *group,
    const char *service)
{
	if (account != NULL)
		assert_int_equal(irmf_snapshot_set_computer_account(s,
		    account), 0);
	if (group != NULL)
		assert_int_equal(irmf_snapshot_add_group(s, group), 0);
	if (service != NULL)
		assert_int_equal(irmf_snapshot_add_service_account(s,
		    service), 0);
}

static void
test_auth_good(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;

	auth_ok(node(fl, "RMS01"));
	auth_ok(node(fl, "RMS02"));
	s = exch(fl, "EX01", "v15");
	ident(s, "CONTOSO\\EX01$", "CONTOSO\\Exchange Servers", NULL);
	ident(s, NULL, "CONTOSO\\Domain Computers", NULL);
	s = exch(fl, "EX02", "v15");
	ident(s, "contoso\\ex02$", "contoso\\exchange servers", NULL);
	ident(sp13(fl, "SP01"), "CONTOSO\\SP01$", NULL, "CONTOSO\\svc-sp");
	ident(msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL), "CONTOSO\\FS01$",
	    "CONTOSO\\FCI Servers", NULL);
	expect(fl, NULL);
}

static void
test_auth_bad(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *n, *s;
	const irmf_finding *f;

	n = node(fl, "RMS01");
	auth_ok(n);
	assert_int_equal(irmf_snapshot_add_authorization(n, "CONTOSO\\EX03$",
	    IRMF_ACCOUNT_COMPUTER, IRMF_ROLE_EXCHANGE), 0);
	assert_int_equal(irmf_snapshot_add_authorization(n, "CONTOSO\\EX04$",
	    IRMF_ACCOUNT_COMPUTER, IRMF_ROLE_SHAREPOINT), 0);
	assert_int_equal(irmf_snapshot_add_authorization(n, "CONTOSO\\SP03$",
	    IRMF_ACCOUNT_COMPUTER, IRMF_ROLE_SHAREPOINT), 0);
	/* RMS03 holds the same list in another order; RMS02 an old one */
	n = node(fl, "RMS03");
	for (size_t i = fl->s[0]->nauths; i-- > 0;)
		assert_int_equal(irmf_snapshot_add_authorization(n,
		    fl->s[0]->auths[i].account, fl->s[0]->auths[i].kind,
		    fl->s[0]->auths[i].role), 0);
	n->has_authorizations = true;
	auth_ok(node(fl, "RMS02"));

	ident(exch(fl, "EX01", "v15"), "CONTOSO\\EX01$",
	    "CONTOSO\\Exchange Servers", NULL);
	ident(exch(fl, "EX02", "v15"), "CONTOSO\\EX02$",
	    "CONTOSO\\Exchange Servers", NULL);
	/* its own account and the group */
	ident(exch(fl, "EX03", "v15"), "CONTOSO\\EX03$",
	    "CONTOSO\\Exchange Servers", NULL);
	/* only individually, and with the SharePoint role */
	ident(exch(fl, "EX04", "v15"), "CONTOSO\\EX04$", NULL, NULL);
	/* identity could not be read */
	s = exch(fl, "EX05", "v15");
	assert_int_equal(irmf_snapshot_add_error(s, "groups",
	    IRMF_REASON_ACCESS_DENIED, NULL), 0);
	exch(fl, "EX06", "v15");   /* identity not exported: unknown */
	ident(msdrm_client(fl, "FS02", IRMF_ROLE_FCI, NULL), "CONTOSO\\FS02$",
	    "CONTOSO\\Domain Computers", NULL);
	ident(sp13(fl, "SP02"), "CONTOSO\\SP02$", NULL, "CONTOSO\\svc-other");
	/* Local System: authorized through the computer account */
	ident(sp13(fl, "SP03"), "CONTOSO\\SP03$", NULL, NULL);
	expect(fl, "auth-nodes-agree RMS02 rule",
	    "auth-multiple-rules EX03 rule",
	    "auth-exchange-role EX04 rule",
	    "auth-exchange-same-rule EX04 rule",
	    "auth-not-authorized EX05 not-collected",
	    "auth-not-authorized FS02 rule",
	    "auth-not-authorized SP02 rule", NULL);
	f = find(fl, "auth-exchange-same-rule", "EX04");
	assert_string_equal(f->value, "CONTOSO\\EX04$ (sharepoint)");
	assert_string_equal(f->expected, "contoso\\exchange servers");
	assert_non_null(strstr(find(fl, "auth-not-authorized",
	    "FS02")->remediation, "CONTOSO\\FS02$"));
	/* SharePoint is authorized through its service account */
	assert_non_null(strstr(find(fl, "auth-not-authorized",
	    "SP02")->remediation, "authorize CONTOSO\\svc-other (the service "
	    "account"));
	assert_string_equal(find(fl, "auth-multiple-rules", "EX03")->value,
	    "CONTOSO\\Exchange Servers (exchange); CONTOSO\\EX03$ (exchange)");
}

static void
test_auth_exchange_not_in_group(void **state)
{
	fleet *fl = *state;

	auth_ok(node(fl, "RMS01"));
	ident(exch(fl, "EX01", "v15"), "CONTOSO\\EX01$",
	    "CONTOSO\\Exchange Servers", NULL);
	ident(exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	expect(fl, "auth-not-authorized EX02 rule", NULL);
	/* the fix names the group the peers are authorized through */
	assert_non_null(strstr(find(fl, "auth-not-authorized",
	    "EX02")->remediation, "make CONTOSO\\EX02$ a member of the "
	    "security group its Exchange peers are authorized through "
	    "(CONTOSO\\Exchange Servers)"));
}

static void
test_auth_two_exchange_disagree(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *n = node(fl, "RMS01");

	assert_int_equal(irmf_snapshot_add_authorization(n, "CONTOSO\\EX01$",
	    IRMF_ACCOUNT_COMPUTER, IRMF_ROLE_EXCHANGE), 0);
	assert_int_equal(irmf_snapshot_add_authorization(n,
	    "CONTOSO\\Exchange Servers", IRMF_ACCOUNT_GROUP,
	    IRMF_ROLE_EXCHANGE), 0);
	n->has_authorizations = true;
	ident(exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	ident(exch(fl, "EX02", "v15"), "CONTOSO\\EX02$",
	    "CONTOSO\\Exchange Servers", NULL);
	expect(fl, "auth-exchange-same-rule EX01 rule",
	    "auth-exchange-same-rule EX02 rule", NULL);
}

static void
test_auth_lists_failed(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *n;
	const irmf_finding *f;

	n = node(fl, "RMS01");
	assert_int_equal(irmf_snapshot_add_error(n, "authorizations",
	    IRMF_REASON_COMMAND_FAILED, "no access to the connector tool"), 0);
	node(fl, "RMS02");   /* list not exported */
	ident(exch(fl, "EX01", "v15"), "CONTOSO\\EX01$",
	    "CONTOSO\\Exchange Servers", NULL);
	ident(sp13(fl, "SP01"), NULL, NULL, "CONTOSO\\svc-sp");
	/* one "not checked" per server for all auth-* rules, naming the node */
	expect(fl, "auth-not-authorized EX01 not-collected",
	    "auth-not-authorized SP01 not-collected", NULL);
	f = find(fl, "auth-not-authorized", "SP01");
	assert_non_null(strstr(f->explanation, "'authorizations' on connector "
	    "node RMS01 failed"));
	assert_non_null(strstr(f->explanation, "auth-*"));
}

/* MSIPC\Server ACL from the August 2023 SU on (issue 15 #13): the build
 * from ExSetup.exe, error with internal licensing, warning without,
 * "cannot tell" when only Get-ExchangeServer's build (no SU) is known. */
static void
acl(irmf_snapshot *s, const char *exsetup, const char *sddl)
{
	if (exsetup != NULL)
		assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
		    exsetup), 0);
	assert_int_equal(irmf_snapshot_set_key_acl(s,
	    "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\Server", sddl), 0);
}

#define NO_NS "O:SYG:SYD:PAI(A;CIOI;KA;;;SY)(A;CIOI;KA;;;BA)"
#define WITH_NS NO_NS "(A;CIOI;KA;;;NS)"

static void
test_msipc_server_acl(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;
	const irmf_finding *f;

	s = exch(fl, "EX01", "v15");          /* CU13 Aug23SUv2, IRM on */
	irm_ok(s);
	acl(s, "15.2.1258.25", NO_NS);
	acl(exch(fl, "EX02", "v15"), "15.1.2507.31", NO_NS);   /* IRM unknown */
	acl(exch(fl, "EX03", "v15"), "15.2.1258.16", NO_NS);   /* Jun23SU */
	s = exch(fl, "EX04", "v15");          /* CU13 from Get-ExchangeServer */
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.2.1258.12"), 0);
	acl(s, NULL, NO_NS);
	s = exch(fl, "EX05", "v15");          /* CU14: after whatever the SU */
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.2.1544.4"), 0);
	acl(s, NULL, NULL);                   /* key absent */
	acl(exch(fl, "EX06", "v15"), "15.2.1544.4", WITH_NS);
	s = exch(fl, "EX07", "v15");          /* the read failed */
	assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
	    "15.2.1544.4"), 0);
	assert_int_equal(irmf_snapshot_add_error(s, "acl:HKEY_LOCAL_MACHINE\\"
	    "SOFTWARE\\Microsoft\\MSIPC\\Server", IRMF_REASON_ACCESS_DENIED,
	    NULL), 0);
	s = exch(fl, "EX08", "v15");          /* Exchange 2013: not covered */
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.0.1497.48"), 0);
	acl(s, "15.0.1497.48", NO_NS);
	/* inherit-only does not cover the key itself */
	acl(exch(fl, "EX09", "v15"), "15.2.1544.4", NO_NS "(A;CIIO;KA;;;NS)");
	/* full control as a number, the SID spelled out */
	acl(exch(fl, "EX10", "v15"), "15.2.1544.4",
	    NO_NS "(A;OICI;0xf003f;;;S-1-5-20)");
	/* a deny entry wins */
	acl(exch(fl, "EX11", "v15"), "15.2.1544.4",
	    "O:SYG:SYD:(D;;KW;;;NS)(A;CIOI;KA;;;NS)");
	/* Get-ExchangeServer's CU23 build: the SU cannot be seen */
	acl(exch(fl, "EX12", "v15"), NULL, NO_NS);
	/* CU22 never got the August 2023 SU: not needed */
	s = exch(fl, "EX13", "v15");
	assert_int_equal(irmf_snapshot_set_product(s, NULL, "15.1.2375.7"), 0);
	acl(s, NULL, NO_NS);
	expect(fl, "exchange-msipc-server-acl EX01 rule",
	    "exchange-msipc-server-acl EX02 rule",
	    "exchange-msipc-server-acl-build EX04 rule",
	    "exchange-msipc-server-acl-build EX12 rule",
	    "exchange-msipc-server-acl EX05 rule",
	    "exchange-msipc-server-acl EX07 not-collected",
	    "exchange-msipc-server-acl EX09 rule",
	    "exchange-msipc-server-acl EX11 rule", NULL);
	f = find(fl, "exchange-msipc-server-acl", "EX01");
	assert_int_equal(f->severity, IRMF_SEV_ERROR);
	assert_string_equal(f->value, NO_NS);
	assert_string_equal(f->setting,
	    "acl:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\Server");
	assert_non_null(strstr(f->remediation, "'NT AUTHORITY\\NETWORK "
	    "SERVICE','FullControl','ContainerInherit,ObjectInherit'"));
	assert_int_equal(find(fl, "exchange-msipc-server-acl",
	    "EX02")->severity, IRMF_SEV_WARNING);
	assert_string_equal(find(fl, "exchange-msipc-server-acl",
	    "EX05")->value, "(key absent)");
	f = find(fl, "exchange-msipc-server-acl-build", "EX04");
	assert_int_equal(f->severity, IRMF_SEV_INFO);
	assert_non_null(strstr(f->distribution, "15.2.1258.12"));
	assert_non_null(strstr(f->remediation, "ExSetup"));
}

/* Wow6432Node MSIPC values equal their 64-bit twins (issue 15 #15). */
static void
test_msipc_wow64(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;
	const irmf_finding *f;

#define K_WOW "HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\MSIPC\\ServiceLocation"
	s = sp13(fl, "SP01");                 /* both written, case differs */
	reg(s, K_WOW "\\EnterpriseCertification", "",
	    CONN "/_WMCS/certification/");
	reg(s, K_WOW "\\LicensingRedirection", TENANT "/_wmcs/licensing",
	    CONN "/_wmcs/licensing");
	s = sp13(fl, "SP02");                 /* stale 32-bit value */
	reg(s, K_WOW "\\EnterprisePublishing", "",
	    "https://adrms.contoso.com/_wmcs/licensing");
	s = sp13(fl, "SP03");                 /* no 64-bit twin */
	reg(s, K_WOW "\\LicensingRedirection",
	    "https://adrms.contoso.com/_wmcs/licensing", CONN "/_wmcs/licensing");
	sp13(fl, "SP04");                     /* no Wow6432Node keys */
	expect(fl, "msipc-wow64-agrees SP02 rule",
	    "msipc-wow64-agrees SP03 rule", NULL);
	f = find(fl, "msipc-wow64-agrees", "SP02");
	assert_string_equal(f->value,
	    "https://adrms.contoso.com/_wmcs/licensing");
	assert_string_equal(f->expected, CONN "/_wmcs/licensing");
	assert_non_null(strstr(f->remediation, "reg add \"HKLM\\SOFTWARE\\"
	    "Wow6432Node\\Microsoft\\MSIPC\\ServiceLocation\\"
	    "EnterprisePublishing\""));
	assert_string_equal(find(fl, "msipc-wow64-agrees", "SP03")->expected,
	    "(no such value in the 64-bit key)");
#undef K_WOW
}

/* SharePoint's documented set-up: the Central Administration account and
 * the app pool account each authorized (issue 15 #2).  Two rules for one
 * server are fine; two rules for one account are not; an account without
 * a rule is named. */
static void
test_auth_sharepoint_accounts(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *n = node(fl, "RMS01"), *s;
	const irmf_finding *f;

	auth_ok(n);
	assert_int_equal(irmf_snapshot_add_authorization(n,
	    "CONTOSO\\svc-spapp", IRMF_ACCOUNT_USER, IRMF_ROLE_SHAREPOINT), 0);
	assert_int_equal(irmf_snapshot_add_authorization(n,
	    "CONTOSO\\svc-dup", IRMF_ACCOUNT_USER, IRMF_ROLE_SHAREPOINT), 0);
	assert_int_equal(irmf_snapshot_add_authorization(n, "svc-dup",
	    IRMF_ACCOUNT_USER, IRMF_ROLE_SHAREPOINT), 0);
	s = sp13(fl, "SP01");
	ident(s, "CONTOSO\\SP01$", NULL, "CONTOSO\\svc-sp");
	ident(s, NULL, NULL, "CONTOSO\\svc-spapp");
	s = sp13(fl, "SP02");   /* its app pool account has no rule */
	ident(s, "CONTOSO\\SP02$", NULL, "CONTOSO\\svc-sp");
	ident(s, NULL, NULL, "CONTOSO\\svc-nope");
	s = sp13(fl, "SP03");   /* one account named by two rules */
	ident(s, "CONTOSO\\SP03$", NULL, "CONTOSO\\svc-sp");
	ident(s, NULL, NULL, "CONTOSO\\svc-dup");
	expect(fl, "auth-not-authorized SP02 rule",
	    "auth-multiple-rules SP03 rule", NULL);
	assert_string_equal(find(fl, "auth-not-authorized", "SP02")->value,
	    "CONTOSO\\svc-nope (no rule)");
	f = find(fl, "auth-multiple-rules", "SP03");
	assert_string_equal(f->value,
	    "CONTOSO\\svc-dup (sharepoint); svc-dup (sharepoint)");
	assert_non_null(strstr(f->expected, "for each account"));
}

/* Nested groups (issue 15 #10): a server matched by no rule whose groups
 * were read one level deep is "cannot tell", not "not authorized"; with
 * token groups it is not authorized. */
static void
test_auth_direct_groups_unknown(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;
	const irmf_finding *f;

	auth_ok(node(fl, "RMS01"));
	s = msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	ident(s, "CONTOSO\\FS01$", "CONTOSO\\File Servers", NULL);
	s->groups_scope = IRMF_GROUPS_DIRECT;
	s = msdrm_client(fl, "FS02", IRMF_ROLE_FCI, NULL);
	ident(s, "CONTOSO\\FS02$", "CONTOSO\\File Servers", NULL);
	s->groups_scope = IRMF_GROUPS_TOKEN;
	/* direct-only but matched: authorized, nothing to say */
	s = msdrm_client(fl, "FS03", IRMF_ROLE_FCI, NULL);
	ident(s, "CONTOSO\\FS03$", "CONTOSO\\FCI Servers", NULL);
	s->groups_scope = IRMF_GROUPS_DIRECT;
	/* a group of another domain, read from the token: matched */
	assert_int_equal(irmf_snapshot_add_authorization(fl->s[0],
	    "FABRIKAM\\RMS Users", IRMF_ACCOUNT_GROUP, IRMF_ROLE_FCI), 0);
	s = msdrm_client(fl, "FS04", IRMF_ROLE_FCI, NULL);
	ident(s, "CONTOSO\\FS04$", "FABRIKAM\\RMS Users", NULL);
	s->groups_scope = IRMF_GROUPS_TOKEN;
	expect(fl, "auth-membership-unknown FS01 rule",
	    "auth-not-authorized FS02 rule", NULL);
	f = find(fl, "auth-membership-unknown", "FS01");
	assert_int_equal(f->severity, IRMF_SEV_INFO);
	assert_non_null(strstr(f->remediation, "gpresult /scope computer /r"));
	assert_non_null(strstr(f->distribution, "direct member"));
}

/* auth-exchange-role names the rule, its role and the change (issue 10
 * #8). */
static void
test_auth_exchange_role_text(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *n = node(fl, "RMS01");
	const irmf_finding *f;

	assert_int_equal(irmf_snapshot_add_authorization(n,
	    "CONTOSO\\Mail Servers", IRMF_ACCOUNT_GROUP, IRMF_ROLE_FCI), 0);
	n->has_authorizations = true;
	ident(exch(fl, "EX01", "v15"), "CONTOSO\\EX01$",
	    "CONTOSO\\Mail Servers", NULL);
	expect(fl, "auth-exchange-role EX01 rule", NULL);
	f = find(fl, "auth-exchange-role", "EX01");
	assert_string_equal(f->value, "CONTOSO\\Mail Servers (fci)");
	assert_string_equal(f->expected,
	    "CONTOSO\\Mail Servers with the role Exchange Server");
	assert_non_null(strstr(f->distribution, "the only rule that "
	    "authorizes EX01 is CONTOSO\\Mail Servers, with the role fci"));
	assert_non_null(strstr(f->remediation, "add the same account again "
	    "with the role Exchange Server"));
}

static void
ev(irmf_snapshot *n, int id, const char *account, const char *computer,
    unsigned count)
{
	assert_int_equal(irmf_snapshot_add_event_summary(n, id, account,
	    computer, count, "2026-11-01T08:00:00Z", "2026-11-20T08:00:00Z"),
	    0);
}

static void
test_events(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *n1 = node(fl, "RMS01"), *n2 = node(fl, "RMS02");
	const irmf_finding *f;

	ident(exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	ident(exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	ident(exch(fl, "EX03", "v15"), "CONTOSO\\EX03$", NULL, NULL);
	ident(exch(fl, "EX04", "v15"), "CONTOSO\\EX04$", NULL, NULL);
	ident(exch(fl, "EX05", "v15"), "CONTOSO\\EX05$", NULL, NULL);
	ident(sp13(fl, "SP01"), NULL, NULL, "CONTOSO\\svc-sp");
	sp13(fl, "SP02");
	msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	ev(n1, 1002, "CONTOSO\\EX01$", "EX01.contoso.com", 1);
	ev(n2, 1002, NULL, "ex02", 1);                 /* short name */
	ev(n1, 2001, "CONTOSO\\EX04$", NULL, 12);      /* account only */
	ev(n1, 1002, "CONTOSO\\svc-sp", "SP01.CONTOSO.COM", 2);
	ev(n2, 1002, "CONTOSO\\EX05$", "EX05.contoso.com", 1);
	ev(n2, 2002, "CONTOSO\\EX05$", "EX05.contoso.com", 40);
	ev(n1, 2001, "CONTOSO\\LAPTOP7$", "laptop7.contoso.com", 1);
	ev(n1, 1004, NULL, NULL, 96);
	ev(n2, 3001, NULL, NULL, 3);
	/* the service started inside what the export shows, so a server
	 * that connected since is in a 1002: its absence can be judged */
	ev(n1, 1000, NULL, NULL, 1);
	ev(n2, 1000, NULL, NULL, 1);
	expect(fl, "events-no-access EX03 rule",
	    "events-unauthorized EX04 rule",
	    "events-no-access SP02 rule",
	    "events-http EX05 rule",
	    "connector-event-3001 RMS02 rule", NULL);
	f = find(fl, "events-unauthorized", "EX04");
	assert_string_equal(f->setting, "events:2001");
	/* Exchange: through the security group, not individually */
	assert_non_null(strstr(f->remediation, "make CONTOSO\\EX04$ a member "
	    "of the security group"));
	assert_non_null(strstr(f->value, "12 unauthorized"));
	assert_non_null(strstr(f->value, "RMS01"));
	f = find(fl, "connector-event-3001", "RMS02");
	assert_string_equal(f->value,
	    "3 events 3001 (2026-11-01T08:00:00Z .. 2026-11-20T08:00:00Z)");
}

static void
test_events_node_failed(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *n1 = node(fl, "RMS01"), *n2 = node(fl, "RMS02");

	ident(exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	ident(exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	ev(n1, 1002, "CONTOSO\\EX01$", NULL, 1);
	assert_int_equal(irmf_snapshot_add_error(n2, "events",
	    IRMF_REASON_TIMEOUT, "Get-WinEvent timed out"), 0);
	/* one "not checked" per server and group of event rules */
	expect(fl, "events-unauthorized EX01 not-collected",
	    "events-unauthorized EX02 not-collected",
	    "connector-event-2000 RMS02 not-collected", NULL);
	assert_non_null(strstr(find(fl, "events-unauthorized",
	    "EX02")->explanation, "on connector node RMS02"));
}

static void
test_probes(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;
	const char *u = CONN "/_wmcs/certification/servercertification.asmx";
	const irmf_finding *f;

	s = exch(fl, "EX01", "v15");
	assert_int_equal(irmf_snapshot_add_probe(s, u, IRMF_PROBE_HTTP, 401,
	    NULL), 0);
	s = exch(fl, "EX02", "v15");
	assert_int_equal(irmf_snapshot_add_probe(s,
	    "HTTPS://RMSCON.contoso.com/_wmcs/certification/ServerCertification.asmx/",
	    IRMF_PROBE_HTTP, 200, NULL), 0);
	s = exch(fl, "EX03", "v15");
	assert_int_equal(irmf_snapshot_add_probe(s, u, IRMF_PROBE_DNS, 0,
	    "name not found"), 0);
	s = exch(fl, "EX04", "v15");
	assert_int_equal(irmf_snapshot_add_error(s, "probe:" CONN,
	    IRMF_REASON_COMMAND_FAILED, "Invoke-WebRequest missing"), 0);
	s = sp13(fl, "SP01");   /* nobody reaches this one: not SP01's fault */
	assert_int_equal(irmf_snapshot_add_probe(s, "http://old.contoso.com",
	    IRMF_PROBE_TIMEOUT, 0, NULL), 0);
	expect(fl, "probe-unreachable EX03 rule",
	    "probe-unreachable EX04 not-collected", NULL);
	f = find(fl, "probe-unreachable", "EX03");
	assert_string_equal(f->setting, "probe:" CONN
	    "/_wmcs/certification/servercertification.asmx");
	/* the URL that was probed is named */
	assert_string_equal(f->value, "dns: name not found (probed " CONN
	    "/_wmcs/certification/servercertification.asmx)");
}

/* ------------------------------------------- events in time (issue 15) */

#define T0 "2026-11-20T08:00:00Z"   /* collection time of the nodes */

static void
evt(irmf_snapshot *n, int id, const char *account, const char *computer,
    unsigned count, const char *first, const char *last)
{
	assert_int_equal(irmf_snapshot_add_event_summary(n, id, account,
	    computer, count, first, last), 0);
}

/* A node as collect writes it now: collected at T0, its three event
 * queries covering the whole log, a list refresh 10 minutes ago. */
static irmf_snapshot *
node_now(fleet *fl, const char *name)
{
	irmf_snapshot *n = node(fl, name);

	assert_int_equal(irmf_snapshot_set_collected_at(n, T0), 0);
	assert_int_equal(irmf_snapshot_add_event_window(n,
	    "1000 1001 1002 1003", 20, true, "2026-10-01T00:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_event_window(n, "1004", 500, false,
	    "2026-11-15T00:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_event_window(n,
	    "2000 2001 2002 2003 3000 3001", 40, true,
	    "2026-10-01T00:00:00Z"), 0);
	evt(n, 1004, "CONTOSO\\Exchange Servers", NULL, 500,
	    "2026-11-15T00:00:00Z", "2026-11-20T07:50:00Z");
	return n;
}

static const irmf_finding *
find_fleet(const fleet *fl, const char *rule)
{
	for (size_t i = 0; i < fl->f.n; i++)
		if (strcmp(fl->f.items[i].rule_id, rule) == 0 &&
		    fl->f.items[i].server == NULL)
			return &fl->f.items[i];
	fail_msg("no fleet-wide finding %s", rule);
	return NULL;
}

/* Problems that were solved later are history, not findings: a 2001
 * before the server was authorized (a 1002 since), a 3001 followed by
 * list refreshes, a 2003 followed by a 1004 listing accounts, a 3000
 * followed by successes, a 2002 followed by a switch to HTTPS (1003). */
static void
test_events_solved_later(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *n1 = node_now(fl, "RMS01"), *n2 = node_now(fl, "RMS02");

	ident(exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	ident(exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	ident(exch(fl, "EX03", "v15"), "CONTOSO\\EX03$", NULL, NULL);
	evt(n1, 2001, "CONTOSO\\EX01$", "EX01.contoso.com", 30,
	    "2026-10-02T09:00:00Z", "2026-10-02T10:00:00Z");
	evt(n2, 1002, "CONTOSO\\EX01$", "EX01.contoso.com", 1,
	    "2026-10-02T10:20:00Z", "2026-10-02T10:20:00Z");
	evt(n1, 1002, "CONTOSO\\EX02$", "EX02.contoso.com", 1,
	    "2026-10-03T00:00:00Z", "2026-10-03T00:00:00Z");
	evt(n1, 2002, "CONTOSO\\EX02$", "EX02.contoso.com", 5,
	    "2026-10-03T00:00:00Z", "2026-10-04T00:00:00Z");
	evt(n1, 1003, "CONTOSO\\EX02$", "EX02.contoso.com", 1,
	    "2026-10-05T00:00:00Z", "2026-10-05T00:00:00Z");
	evt(n2, 1002, "CONTOSO\\EX03$", "EX03.contoso.com", 1,
	    "2026-10-03T00:00:00Z", "2026-10-03T00:00:00Z");
	evt(n2, 3001, NULL, NULL, 200, "2026-10-10T00:00:00Z",
	    "2026-11-12T00:00:00Z");
	evt(n1, 2003, NULL, NULL, 1, "2026-10-01T00:00:00Z",
	    "2026-10-01T00:00:00Z");
	evt(n1, 3000, NULL, NULL, 2, "2026-10-02T00:00:00Z",
	    "2026-10-02T00:00:00Z");
	expect(fl, NULL);
}

/* The same events in the other order are current problems, and say
 * what they were compared with and what window was seen. */
static void
test_events_still_current(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *n1 = node_now(fl, "RMS01"), *n2 = node_now(fl, "RMS02");
	const irmf_finding *f;

	ident(exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	ident(exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	ident(exch(fl, "EX03", "v15"), "CONTOSO\\EX03$", NULL, NULL);
	evt(n2, 1002, "CONTOSO\\EX01$", "EX01.contoso.com", 1,
	    "2026-10-02T10:20:00Z", "2026-10-02T10:20:00Z");
	evt(n1, 2001, "CONTOSO\\EX01$", "EX01.contoso.com", 30,
	    "2026-11-02T09:00:00Z", "2026-11-19T10:00:00Z");
	evt(n1, 1003, "CONTOSO\\EX02$", "EX02.contoso.com", 1,
	    "2026-10-05T00:00:00Z", "2026-10-05T00:00:00Z");
	evt(n1, 2002, "CONTOSO\\EX02$", "EX02.contoso.com", 5,
	    "2026-10-06T00:00:00Z", "2026-10-07T00:00:00Z");
	evt(n2, 1002, "CONTOSO\\EX03$", "EX03.contoso.com", 1,
	    "2026-10-03T00:00:00Z", "2026-10-03T00:00:00Z");
	/* the list was refreshed before the failures, never after */
	evt(n2, 3001, NULL, NULL, 4, "2026-11-20T07:00:00Z",
	    "2026-11-20T07:55:00Z");
	/* a 1004 that listed no account does not end an empty list */
	evt(n1, 2003, NULL, NULL, 1, "2026-11-20T07:51:00Z",
	    "2026-11-20T07:51:00Z");
	evt(n1, 1004, NULL, NULL, 1, "2026-11-20T07:52:00Z",
	    "2026-11-20T07:52:00Z");
	expect(fl, "events-unauthorized EX01 rule", "events-http EX02 rule",
	    "connector-event-3001 RMS02 rule",
	    "connector-event-2003 RMS01 rule", NULL);
	f = find(fl, "events-unauthorized", "EX01");
	assert_non_null(strstr(f->value, "the latest 2026-11-19T10:00:00Z on "
	    "RMS01"));
	assert_non_null(strstr(f->value, "the last 1002/1003 for it is "
	    "older"));
	assert_string_equal(f->distribution, "RMS01: whole log");
	f = find(fl, "connector-event-3001", "RMS02");
	assert_non_null(strstr(f->distribution, "2026-11-20T07:50:00Z"));
	f = find(fl, "events-http", "EX02");
	assert_non_null(strstr(f->value, "the last switch to HTTPS (1003) is "
	    "older"));
}

/* A 1002 window that is neither the whole log nor reaches back to the
 * node's last service start cannot show that a server never connected:
 * "not checked", not an error.  Reaching back to a 1000 it can. */
static void
test_events_window_short(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *n = node(fl, "RMS01");
	const irmf_finding *f;

	assert_int_equal(irmf_snapshot_add_event_window(n,
	    "1000 1001 1002 1003", 500, false, "2026-11-19T00:00:00Z"), 0);
	ident(exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	ident(exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	evt(n, 1002, "CONTOSO\\EX01$", "EX01.contoso.com", 500,
	    "2026-11-19T00:00:00Z", "2026-11-20T00:00:00Z");
	expect(fl, "events-no-access EX02 not-collected", NULL);
	f = find(fl, "events-no-access", "EX02");
	assert_int_equal(f->severity, IRMF_SEV_INFO);
	assert_non_null(strstr(f->explanation, "window too short to judge"));
	assert_string_equal(f->value, "RMS01: newest 500 events, since "
	    "2026-11-19T00:00:00Z");
	/* the service started inside the window: judged */
	evt(n, 1000, NULL, NULL, 1, "2026-11-19T06:00:00Z",
	    "2026-11-19T06:00:00Z");
	expect(fl, "events-no-access EX02 rule", NULL);
	assert_string_equal(find(fl, "events-no-access", "EX02")->distribution,
	    "RMS01: newest 500 events, since 2026-11-19T00:00:00Z");
}

/* The list is downloaded every 15 minutes (1004); a node whose last 1004
 * is over an hour older than its collection warns. */
static void
test_list_refresh(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *n1 = node_now(fl, "RMS01"), *n2 = node(fl, "RMS02");
	irmf_snapshot *n3 = node(fl, "RMS03"), *n4 = node(fl, "RMS04");
	const irmf_finding *f;

	ident(exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	evt(n1, 1002, "CONTOSO\\EX01$", "EX01.contoso.com", 1, T0, T0);
	/* RMS02: last refresh two hours before collection */
	assert_int_equal(irmf_snapshot_set_collected_at(n2, T0), 0);
	assert_int_equal(irmf_snapshot_add_event_window(n2, "1004", 500,
	    false, "2026-11-18T00:00:00Z"), 0);
	evt(n2, 1004, NULL, NULL, 500, "2026-11-18T00:00:00Z",
	    "2026-11-20T06:00:00Z");
	/* RMS03: no 1004 in the whole log */
	assert_int_equal(irmf_snapshot_set_collected_at(n3, T0), 0);
	assert_int_equal(irmf_snapshot_add_event_window(n3, "1004", 0, true,
	    NULL), 0);
	/* RMS04: an export of unknown coverage without 1004: not judged */
	assert_int_equal(irmf_snapshot_set_collected_at(n4, T0), 0);
	evt(n4, 1000, NULL, NULL, 1, "2026-11-01T00:00:00Z",
	    "2026-11-01T00:00:00Z");
	expect(fl, "connector-list-refresh RMS02 rule",
	    "connector-list-refresh RMS03 rule", NULL);
	f = find(fl, "connector-list-refresh", "RMS02");
	assert_int_equal(f->severity, IRMF_SEV_WARNING);
	assert_string_equal(f->value, "last 1004 at 2026-11-20T06:00:00Z, "
	    "120 minutes before collection (" T0 ")");
	assert_string_equal(f->distribution, "RMS02: newest 500 events, since "
	    "2026-11-18T00:00:00Z");
	assert_non_null(strstr(find(fl, "connector-list-refresh",
	    "RMS03")->value, "no 1004"));
}

/* No 1002 on any node over whole-log windows: nobody reaches the
 * connector.  One fleet-wide error says so; the per-server rules stay
 * silent (no peer does better). */
static void
test_fleet_outage_events(void **state)
{
	fleet *fl = *state;
	const irmf_finding *f;

	node_now(fl, "RMS01");
	node_now(fl, "RMS02");
	ident(exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	ident(exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	ident(sp13(fl, "SP01"), NULL, NULL, "CONTOSO\\svc-sp");
	expect(fl, "connector-unreachable - rule", NULL);
	f = find_fleet(fl, "connector-unreachable");
	assert_int_equal(f->severity, IRMF_SEV_ERROR);
	assert_string_equal(f->cohort, "connector");
	assert_string_equal(f->setting, "events:1002");
	assert_string_equal(f->value, "no server reaches the connector: no "
	    "1002 (access allowed) on any of the 2 connector nodes (RMS01: "
	    "whole log; RMS02: whole log)");
	assert_non_null(strstr(f->explanation, "NO SERVER REACHES"));
	assert_non_null(strstr(f->remediation, CONN));
	/* the same with the threaded engine: still exactly one */
	irmf_findings_clear(&fl->f);
	assert_int_equal(irmf_rules_run_threads(fl->s, fl->n, &fl->f, 4), 0);
	assert_int_equal(fl->f.n, 1);
}

/* No 1002 in windows too short to contain one: unknown, not an outage. */
static void
test_fleet_outage_window_short(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *n = node(fl, "RMS01");

	assert_int_equal(irmf_snapshot_add_event_window(n,
	    "1000 1001 1002 1003", 0, false, NULL), 0);
	evt(n, 1004, NULL, NULL, 500, "2026-11-19T00:00:00Z",
	    "2026-11-20T00:00:00Z");
	ident(exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	expect(fl, "connector-unreachable - not-collected", NULL);
	assert_int_equal(find_fleet(fl, "connector-unreachable")->severity,
	    IRMF_SEV_INFO);
}

/* Every probe of the connector fails: the same outage.  Probes of the
 * Microsoft RMS tenant URL (older collections probed MSDRM's tenant URL
 * on Exchange) are no probe of the connector and are ignored. */
static void
test_fleet_outage_probes(void **state)
{
	fleet *fl = *state;
	const char *u = CONN "/_wmcs/certification/servercertification.asmx";
	const char *t = TENANT "/_wmcs/certification/servercertification.asmx";
	irmf_snapshot *s1 = exch(fl, "EX01", "v15");
	irmf_snapshot *s2 = exch(fl, "EX02", "v15");
	const irmf_finding *f;

	assert_int_equal(irmf_snapshot_add_probe(s1, u, IRMF_PROBE_HTTP, 401,
	    NULL), 0);
	assert_int_equal(irmf_snapshot_add_probe(s1, t, IRMF_PROBE_TIMEOUT, 0,
	    NULL), 0);
	assert_int_equal(irmf_snapshot_add_probe(s2, u, IRMF_PROBE_HTTP, 401,
	    NULL), 0);
	assert_int_equal(irmf_snapshot_add_probe(s2, t, IRMF_PROBE_HTTP, 404,
	    NULL), 0);
	assert_int_equal(irmf_snapshot_add_error(s2, "probe:" TENANT,
	    IRMF_REASON_TIMEOUT, "timed out"), 0);
	expect(fl, NULL);
	/* now nobody gets an answer from the connector */
	s1->probes[0].result = IRMF_PROBE_DNS;
	s2->probes[0].result = IRMF_PROBE_CONNECT;
	expect(fl, "connector-unreachable - rule", NULL);
	f = find_fleet(fl, "connector-unreachable");
	assert_string_equal(f->setting, "probe:connector");
	assert_string_equal(f->value, "no server reaches the connector: all 2 "
	    "probes of the connector from 2 servers got no HTTP answer");
}

/* Schemes are compared within a role: FCI file servers on http by
 * design beside Exchange on https is no finding, for the registry and
 * for the events (2002); an Exchange server on http among Exchange
 * servers on https still is. */
static void
test_scheme_within_role(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *n = node_now(fl, "RMS01"), *s;
	const char *http = "http://rmscon.contoso.com";

	ident(exch(fl, "EX01", "v15"), "CONTOSO\\EX01$", NULL, NULL);
	ident(exch(fl, "EX02", "v15"), "CONTOSO\\EX02$", NULL, NULL);
	ident(exch(fl, "EX03", "v15"), "CONTOSO\\EX03$", NULL, NULL);
	s = msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	reg(s, K_MSDRM "\\Activation", "", "http://rmscon.contoso.com"
	    "/_wmcs/certification");
	reg(s, K_MSDRM "\\EnterprisePublishing", "", "http://rmscon.contoso"
	    ".com/_wmcs/licensing");
	ident(s, "CONTOSO\\FS01$", NULL, NULL);
	for (int i = 1; i <= 3; i++) {
		char acc[32], comp[32];
		snprintf(acc, sizeof(acc), "CONTOSO\\EX0%d$", i);
		snprintf(comp, sizeof(comp), "EX0%d.contoso.com", i);
		evt(n, 1002, acc, comp, 1, "2026-10-02T00:00:00Z",
		    "2026-10-02T00:00:00Z");
	}
	evt(n, 1002, "CONTOSO\\FS01$", "FS01.contoso.com", 1,
	    "2026-10-02T00:00:00Z", "2026-10-02T00:00:00Z");
	evt(n, 2002, "CONTOSO\\FS01$", "FS01.contoso.com", 1,
	    "2026-10-02T00:00:00Z", "2026-10-02T00:00:00Z");
	expect(fl, NULL);
	/* EX03 on http among Exchange servers on https */
	s = fl->s[3];
	reg(s, K_EX15 "\\CertificationServerRedirection", TENANT, http);
	reg(s, K_EX15 "\\LicenseServerRedirection", TENANT, http);
	evt(n, 2002, "CONTOSO\\EX03$", "EX03.contoso.com", 1,
	    "2026-10-03T00:00:00Z", "2026-10-03T00:00:00Z");
	expect(fl, "connector-url-scheme EX03 rule", "events-http EX03 rule",
	    NULL);
	assert_non_null(strstr(find(fl, "events-http", "EX03")->distribution,
	    "2 Exchange servers connect over HTTPS"));
}

static void
test_more_node_and_client_rules(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *n1 = node(fl, "RMS01"), *n2 = node(fl, "RMS02"), *s;

	n1->has_authorizations = true;   /* downloaded, but empty */
	ev(n1, 2003, NULL, NULL, 1);
	ev(n2, 2000, NULL, NULL, 5);
	ev(n2, 3000, NULL, NULL, 2);
	s = msdrm_client(fl, "FS01", IRMF_ROLE_FCI, NULL);
	unreg(s, K_MSDRM "\\EnterprisePublishing");
	ident(s, "CONTOSO\\FS01$", NULL, NULL);
	/* the connector installed on an Exchange server */
	s = exch(fl, "EX01", "v15");
	s->roles |= IRMF_ROLE_CONNECTOR;
	expect(fl, "connector-on-client EX01 rule", "auth-list-empty RMS01 rule",
	    "connector-event-2003 RMS01 rule",
	    "connector-event-2000 RMS02 rule",
	    "connector-event-3000 RMS02 rule",
	    "msdrm-connector-publishing FS01 rule",
	    "auth-not-authorized FS01 rule",
	    /* no 1002 anywhere, in exports of unknown coverage */
	    "connector-unreachable - not-collected", NULL);
	assert_int_equal(find(fl, "connector-event-2003", "RMS01")->severity,
	    IRMF_SEV_WARNING);
}

static void
test_scheme_even_split(void **state)
{
	fleet *fl = *state;
	irmf_snapshot *s;
	const irmf_finding *f;

	exch(fl, "EX01", "v15");
	s = exch(fl, "EX02", "v15");
	reg(s, K_EX15 "\\CertificationServerRedirection", TENANT,
	    "http://rmscon.contoso.com");
	reg(s, K_EX15 "\\LicenseServerRedirection", TENANT,
	    "http://rmscon.contoso.com");
	expect(fl, "connector-url-scheme EX02 rule", NULL);
	f = find(fl, "connector-url-scheme", "EX02");
	assert_non_null(f->distribution);
	assert_string_equal(f->value, "http://rmscon.contoso.com");
}

/* Must run last: every rule of the table fired in some test above. */
static void
test_every_rule_tested(void **state)
{
	size_t n;
	const irmf_rule_info *t = irmf_rules_table(&n);
	size_t missing = 0;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t j = 0; j < nseen && !found; j++)
			found = strcmp(seen[j], t[i].id) == 0;
		if (!found) {
			fprintf(stderr, "rule %s never fired in a test\n",
			    t[i].id);
			missing++;
		}
	}
	for (size_t j = 0; j < nseen; j++)
		free(seen[j]);
	nseen = 0;
	assert_int_equal(missing, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/* The per-server checks split over threads give exactly the findings, in
 * the order, of one thread: a fleet big enough to be split, with drift
 * of several kinds spread over it. */
static void
test_threads_same_findings(void **state)
{
	enum { N = 900 };
	fleet *fl = calloc(1, sizeof(*fl));
	irmf_snapshot **snaps = calloc(N, sizeof(*snaps));
	irmf_findings one = { 0 }, many = { 0 };
	char name[32];

	(void)state;
	assert_non_null(fl);
	assert_non_null(snaps);
	for (size_t i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "S%04zu", i);
		fl->n = 0;
		if (i % 5 == 4)
			snaps[i] = sp13(fl, name);
		else
			snaps[i] = exch(fl, name, "v15");
		/* half the fleet at another connector: a tie, which the
		 * first server seen must win however the fleet is sliced */
		if (i >= N / 2 && i % 5 != 4) {
			reg(snaps[i], K_EX15 "\\CertificationServerRedirection",
			    TENANT, "https://rmscon2.contoso.com");
			reg(snaps[i], K_EX15 "\\LicenseServerRedirection", TENANT,
			    "https://rmscon2.contoso.com");
		}
		if (i % 37 == 3)
			reg(snaps[i], K_EX15 "\\LicenseServerRedirection", TENANT,
			    "http://rmscon.contoso.com");
		if (i % 53 == 8)
			unreg(snaps[i], K_MSDRM "\\Activation");
		if (i % 5 == 4 && i % 3 == 0)
			reg(snaps[i], K_MSIPC "\\EnterprisePublishing", "",
			    TENANT "/_wmcs/licensing");
	}
	assert_int_equal(irmf_rules_run(snaps, N, &one), 0);
	assert_int_equal(irmf_rules_run_threads(snaps, N, &many, 3), 0);
	assert_true(one.n > 40);
	for (size_t i = 0, named = 0; i < one.n; i++) {
		assert_null(strstr(one.items[i].remediation, "rmscon2"));
		named += strstr(one.items[i].remediation,
		    "https://rmscon.contoso.com") != NULL;
		if (i == one.n - 1)
			assert_true(named > 0);
	}
	assert_int_equal(one.n, many.n);
	for (size_t i = 0; i < one.n; i++) {
		const irmf_finding *a = &one.items[i], *b = &many.items[i];
		assert_string_equal(a->server, b->server);
		assert_string_equal(a->rule_id, b->rule_id);
		assert_string_equal(a->setting, b->setting);
		assert_int_equal(a->kind, b->kind);
		assert_string_equal(a->explanation, b->explanation);
		assert_string_equal(a->remediation, b->remediation);
	}
	irmf_findings_clear(&one);
	irmf_findings_clear(&many);
	for (size_t i = 0; i < N; i++)
		irmf_snapshot_free(snaps[i]);
	free(snaps);
	free(fl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_wellformed),
		cmocka_unit_test(test_docs_list_every_rule),
		cmocka_unit_test(test_empty_fleet),
		cmocka_unit_test(test_threads_same_findings),
		T(test_good_fleet),
		T(test_case_and_slash),
		T(test_migrated_fleet),
		T(test_redirection_missing),
		T(test_redirection_only_migration_values),
		T(test_redirection_data_is_rms),
		T(test_redirection_wrong_tenant),
		T(test_self_help_variant),
		T(test_bare_name),
		T(test_msdrm_exchange),
		T(test_key_version),
		T(test_sharepoint_rms_url),
		T(test_msdrm_clients),
		T(test_scheme_and_node_name),
		T(test_registry_not_collected),
		T(test_registry_absent_vs_empty),
		T(test_irm_good),
		T(test_tenant_shape),
		T(test_irm_bad),
		T(test_irm_test),
		T(test_irm_replication_lag),
		T(test_exchange_builds),
		T(test_identity),
		T(test_literal_default),
		T(test_msdrm_mode2),
		T(test_msipc_version),
		T(test_auth_good),
		T(test_auth_bad),
		T(test_auth_exchange_not_in_group),
		T(test_auth_two_exchange_disagree),
		T(test_auth_lists_failed),
		T(test_auth_sharepoint_accounts),
		T(test_msipc_server_acl),
		T(test_msipc_wow64),
		T(test_auth_direct_groups_unknown),
		T(test_auth_exchange_role_text),
		T(test_events),
		T(test_events_node_failed),
		T(test_probes),
		T(test_events_solved_later),
		T(test_events_still_current),
		T(test_events_window_short),
		T(test_list_refresh),
		T(test_fleet_outage_events),
		T(test_fleet_outage_window_short),
		T(test_fleet_outage_probes),
		T(test_scheme_within_role),
		T(test_more_node_and_client_rules),
		T(test_scheme_even_split),
		cmocka_unit_test(test_every_rule_tested),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
