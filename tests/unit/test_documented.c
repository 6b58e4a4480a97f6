/*
 * test_documented.c - compare/core/documented.c (which keys and values the
 * documentation prescribes per cohort), and the promise built on it and on
 * the server's identity: every fix is rendered for the server's own
 * generation and is safe for a working server.
 *
 * For each generation (Exchange 2010, Exchange 2013+, SharePoint 2010,
 * SharePoint 2013+, FCI) a fleet of correctly configured peers and one
 * server that differs in every documented key is analysed (consensus and
 * rules), and every rule of the table is also rendered for a server of
 * that generation.  No fix may name another generation's keys or the
 * configuration tool's switch for another generation, delete a value the
 * documentation prescribes for the server's cohort, delete a whole
 * redirection key, or turn off an IRM setting the documentation requires.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "testutil.h"
#include "compare_int.h"
#include "documented.h"
#include "rules_int.h"
#include "settings.h"

#define TENANT "https://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com"
#define CONN "https://rmsconnector.contoso.com"
#define BAD "http://rmsnode07.contoso.com"
#define SW "HKLM\\SOFTWARE\\Microsoft\\"

/* ------------------------------------------------------------ unit */

static void
test_documented_per_cohort(void **state)
{
	(void)state;
	assert_true(irmf_documented_for("exchange-v15", SW "MSIPC\\"
	    "ServiceLocation\\EnterpriseCertification", ""));
	assert_false(irmf_documented_for("exchange-v14", SW "MSIPC\\"
	    "ServiceLocation\\EnterpriseCertification", ""));
	assert_true(irmf_documented_for("exchange-v15", "HKEY_LOCAL_MACHINE\\"
	    "SOFTWARE\\Microsoft\\ExchangeServer\\V15\\IRM\\"
	    "LicenseServerRedirection", "https://adrms.contoso.com/_wmcs/"
	    "licensing"));
	assert_true(irmf_documented_for("exchange-v14", SW "ExchangeServer\\"
	    "v14\\IRM\\LicenseServerRedirection", TENANT));
	assert_false(irmf_documented_for("exchange-v14", SW "ExchangeServer\\"
	    "v15\\IRM\\LicenseServerRedirection", TENANT));
	/* a value name that is neither the tenant nor a migration URL */
	assert_false(irmf_documented_for("exchange-v15", SW "ExchangeServer\\"
	    "v15\\IRM\\LicenseServerRedirection", "https://old.contoso.com"));
	assert_true(irmf_documented_for("sharepoint-2013+", "HKLM\\SOFTWARE\\"
	    "Wow6432Node\\Microsoft\\MSIPC\\ServiceLocation\\"
	    "LicensingRedirection", "http://adrms/_wmcs/licensing"));
	assert_true(irmf_documented_for("sharepoint-2010-fci", SW "MSDRM\\"
	    "ServiceLocation\\Activation", ""));
	assert_false(irmf_documented_for("sharepoint-2010-fci", SW "MSDRM\\"
	    "ServiceLocation\\EnterpriseCertification", ""));
	assert_false(irmf_documented_for("unknown", SW "MSDRM\\"
	    "ServiceLocation\\Activation", ""));
	assert_true(irmf_is_migration_name("http://adrms.contoso.com/_wmcs/"
	    "Licensing/"));
	assert_false(irmf_is_migration_name(TENANT "/_wmcs/licensing"));
}

/* ------------------------------------------------------ generations */

typedef struct profile {
	const char *name;
	const char *cohort;
	/* substrings no fix for this generation may contain */
	const char *forbidden[8];
} profile;

static const profile profiles[] = {
	{ "Exchange 2010", "exchange-v14",
	  { "\\v15\\", "-SetExchange2013", "MSIPC", "-SetSharePoint",
	    "-SetFCI", NULL } },
	{ "Exchange 2013+", "exchange-v15",
	  { "\\v14\\", "-SetExchange2010", "-SetSharePoint", "-SetFCI",
	    NULL } },
	{ "SharePoint 2010", "sharepoint-2010-fci",
	  { "MSIPC", "ExchangeServer", "-SetExchange", "-SetSharePoint2013",
	    "-SetFCI", NULL } },
	{ "SharePoint 2013+", "sharepoint-2013+",
	  { "MSDRM", "ExchangeServer", "-SetExchange", "-SetSharePoint2010",
	    "-SetFCI", NULL } },
	{ "FCI", "sharepoint-2010-fci",
	  { "MSIPC", "ExchangeServer", "-SetExchange", "-SetSharePoint",
	    NULL } },
};

static void
reg(irmf_snapshot *s, const char *path, const char *name, const char *data)
{
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, name, IRMF_REG_SZ, data), 0);
}

/* A server of profile p as GenConnectorConfig configures it (conn is its
 * connector URL), with the generation's evidence. */
static irmf_snapshot *
server(const profile *p, const char *name, const char *conn)
{
	irmf_snapshot *s;
	char path[200];
	bool ex14 = strcmp(p->name, "Exchange 2010") == 0;
	bool sp13 = strcmp(p->name, "SharePoint 2013+") == 0;

	assert_int_equal(irmf_snapshot_new(&s, name), 0);
	if (strncmp(p->name, "Exchange", 8) == 0) {
		s->roles = IRMF_ROLE_EXCHANGE;
		assert_int_equal(irmf_snapshot_file_set(s, "ExSetup.exe", NULL,
		    ex14 ? "14.3.389.1" : "15.2.1544.4"), 0);
		reg(s, SW "MSDRM\\ServiceLocation\\Activation", "",
		    TENANT "/_wmcs/certification");
		reg(s, SW "MSDRM\\ServiceLocation\\EnterprisePublishing", "",
		    TENANT "/_wmcs/licensing");
		snprintf(path, sizeof(path), SW "ExchangeServer\\%s\\IRM\\"
		    "CertificationServerRedirection", ex14 ? "V14" : "V15");
		reg(s, path, TENANT, conn);
		snprintf(path, sizeof(path), SW "ExchangeServer\\%s\\IRM\\"
		    "LicenseServerRedirection", ex14 ? "V14" : "V15");
		reg(s, path, TENANT, conn);
		reg(s, path, "https://adrms.contoso.com/_wmcs/licensing",
		    CONN "/_wmcs/licensing");
		assert_int_equal(irmf_snapshot_file_set(s, "msdrm.dll", NULL,
		    "10.0.17763.1"), 0);
		return s;
	}
	s->roles = strcmp(p->name, "FCI") == 0 ? IRMF_ROLE_FCI :
	    IRMF_ROLE_SHAREPOINT;
	if (s->roles == IRMF_ROLE_SHAREPOINT)
		reg(s, sp13 ? SW "Shared Tools\\Web Server Extensions\\16.0" :
		    SW "Shared Tools\\Web Server Extensions\\14.0", "Version",
		    sp13 ? "16.0.10337.12109" : "14.0.7015.1000");
	if (sp13) {
		char d[200];
		snprintf(d, sizeof(d), "%s/_wmcs/certification", conn);
		reg(s, SW "MSIPC\\ServiceLocation\\EnterpriseCertification", "",
		    d);
		snprintf(d, sizeof(d), "%s/_wmcs/licensing", conn);
		reg(s, SW "MSIPC\\ServiceLocation\\EnterprisePublishing", "", d);
		reg(s, SW "MSIPC\\ServiceLocation\\LicensingRedirection",
		    TENANT "/_wmcs/licensing", d);
		reg(s, SW "MSIPC\\CurrentVersion", "", "1.0.3219.0619");
		return s;
	}
	{
		char d[200];
		snprintf(d, sizeof(d), "%s/_wmcs/certification", conn);
		reg(s, SW "MSDRM\\ServiceLocation\\Activation", "", d);
		snprintf(d, sizeof(d), "%s/_wmcs/licensing", conn);
		reg(s, SW "MSDRM\\ServiceLocation\\EnterprisePublishing", "", d);
	}
	return s;
}

/* Case-insensitive substring (ASCII), without _GNU_SOURCE's strcasestr. */
static bool
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

static void
check_fix(const profile *p, const char *what, const char *fix)
{
	const char *line;

	if (fix == NULL)
		return;
	for (size_t i = 0; p->forbidden[i]; i++)
		if (contains_ci(fix, p->forbidden[i]))
			fail_msg("%s, %s: fix names '%s':\n%s", p->name, what,
			    p->forbidden[i], fix);
	/* nothing documented for the cohort deleted, no key deleted whole */
	for (line = fix; line != NULL; line = strchr(line, '\n'),
	    line = line ? line + 1 : NULL) {
		char path[512], name[512];
		if (strncmp(line, "reg delete \"", 12) != 0)
			continue;
		if (sscanf(line, "reg delete \"%511[^\"]\" /v \"%511[^\"]\"", path,
		    name) == 2) {
			if (irmf_documented_for(p->cohort, path, name))
				fail_msg("%s, %s: deletes documented %s\\%s", p->name,
				    what, path, name);
		} else if (sscanf(line, "reg delete \"%511[^\"]\" /ve", path) ==
		    1) {
			if (irmf_documented_for(p->cohort, path, ""))
				fail_msg("%s, %s: deletes documented %s default",
				    p->name, what, path);
		} else {
			fail_msg("%s, %s: deletes a whole key:\n%s", p->name, what,
			    line);
		}
	}
	if (strstr(fix, "-InternalLicensingEnabled $false") ||
	    strstr(fix, "-ClientAccessServerEnabled $false"))
		fail_msg("%s, %s: turns off a setting the docs require", p->name,
		    what);
}

/* Every rule that applies to the generation, rendered for a server of it
 * (the rules engine fills the templates the same way for real findings). */
static void
test_rule_fixes_per_generation(void **state)
{
	size_t n;
	const irmf_rule_info *t = irmf_rules_table(&n);

	(void)state;
	for (size_t pi = 0; pi < sizeof(profiles) / sizeof(profiles[0]); pi++) {
		const profile *p = &profiles[pi];
		irmf_snapshot *s = server(p, "SRV01", CONN);
		irmf_findings out = { 0 };
		irmf_rule_run run = { 0 };
		unsigned bit = irmf_rules_cohort_bit(s);

		assert_string_equal(irmf_cohort_of(s), p->cohort);
		run.tenant = TENANT;
		run.connector = CONN;
		run.out = &out;
		for (size_t r = 0; r < n; r++) {
			if (!(t[r].cohorts & bit))
				continue;
			/* the setting a real finding of the rule carries: its
			 * key (for the server's version) or none */
			char *key = t[r].param && strncmp(t[r].param, "HKLM\\",
			    5) == 0 ? irmf_rule_path(&run, t[r].param, s) : NULL;
			char setting[600];
			snprintf(setting, sizeof(setting), "reg:%s",
			    key ? key : "");
			assert_int_equal(irmf_rule_report(&run, &t[r], s,
			    key ? setting : "identity:generation", NULL, NULL,
			    NULL), 0);
			check_fix(p, t[r].id, out.items[out.n - 1].remediation);
			free(key);
		}
		irmf_findings_clear(&out);
		irmf_snapshot_free(s);
	}
}

/* A server that differs from its three peers in every documented key,
 * lacks the AD RMS migration value they have, and carries its own extra
 * one: every finding on it, consensus and rules, gets a fix for its own
 * generation that deletes nothing documented. */
static void
test_fleet_fixes_per_generation(void **state)
{
	(void)state;
	for (size_t pi = 0; pi < sizeof(profiles) / sizeof(profiles[0]); pi++) {
		const profile *p = &profiles[pi];
		irmf_result r = { 0 };
		irmf_snapshot *odd;
		size_t seen = 0;
		char name[8];

		for (int i = 1; i <= 3; i++) {
			snprintf(name, sizeof(name), "SRV%02d", i);
			assert_int_equal(irmf_fleet_add(&r.fleet, server(p, name,
			    CONN), NULL), 0);
		}
		odd = server(p, "SRV04", BAD);
		if (odd->roles & IRMF_ROLE_EXCHANGE) {
			const char *lsr = strcmp(p->cohort, "exchange-v14") == 0 ?
			    SW "ExchangeServer\\V14\\IRM\\LicenseServerRedirection" :
			    SW "ExchangeServer\\V15\\IRM\\LicenseServerRedirection";
			irmf_reg_key *k = irmf_snapshot_reg_find(odd, lsr);
			assert_non_null(k);
			assert_int_equal(irmf_reg_key_delete_value(k,
			    "https://adrms.contoso.com/_wmcs/licensing"), 0);
			reg(odd, lsr, "https://adrms-ext.contoso.com/_wmcs/"
			    "licensing", CONN "/_wmcs/licensing");
		}
		if (strcmp(p->name, "SharePoint 2013+") == 0)
			reg(odd, SW "MSIPC\\CurrentVersion", "", "1.0.622.34");
		assert_int_equal(irmf_fleet_add(&r.fleet, odd, NULL), 0);
		assert_int_equal(irmf_result_analyze(&r, IRMF_ANALYZE_ALL), 0);
		for (size_t i = 0; i < r.findings.n; i++) {
			const irmf_finding *f = &r.findings.items[i];
			char what[600];
			if (f->server == NULL || strcmp(f->server, "SRV04") != 0)
				continue;
			snprintf(what, sizeof(what), "%s %s",
			    f->rule_id ? f->rule_id : "consensus", f->setting);
			check_fix(p, what, f->remediation);
			seen++;
		}
		/* the odd server was found, so the fixes were exercised */
		if (seen == 0)
			fail_msg("%s: no finding on the odd server", p->name);
		irmf_result_clear(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documented_per_cohort),
		cmocka_unit_test(test_rule_fixes_per_generation),
		cmocka_unit_test(test_fleet_fixes_per_generation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
