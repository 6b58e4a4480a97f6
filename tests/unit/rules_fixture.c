/*
 * rules_fixture.c - fleet builders and the exact-findings assertion
 * shared by the rule tests (rules_fixture.h), and the map from each check
 * function to the rules_<module>.c that defines it, so each test file
 * can prove that every rule of its module fired.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_fixture.h"

irmf_snapshot *
rf_add(rf_fleet *fl, const char *name, unsigned roles, const char *build)
{
	irmf_snapshot *s;
	char fqdn[128];

	assert_true(fl->n < RF_MAXS);
	assert_int_equal(irmf_snapshot_new(&s, name), 0);
	s->roles = roles;
	snprintf(fqdn, sizeof(fqdn), "%s.contoso.com", name);
	assert_int_equal(irmf_snapshot_set_fqdn(s, fqdn), 0);
	if (build != NULL)
		assert_int_equal(irmf_snapshot_set_product(s, NULL, build), 0);
	fl->s[fl->n++] = s;
	return s;
}

void
rf_reg(irmf_snapshot *s, const char *path, const char *name,
    const char *data)
{
	irmf_reg_key *k;

	assert_int_equal(irmf_snapshot_reg_key(s, path, &k), 0);
	assert_int_equal(irmf_reg_key_set_sz(k, name, IRMF_REG_SZ, data), 0);
}

void
rf_unreg(irmf_snapshot *s, const char *path)
{
	assert_int_equal(irmf_snapshot_reg_delete_key(s, path), 0);
}

/* The documented Exchange 2013+ configuration (or v14 for 2010). */
irmf_snapshot *
rf_exch(rf_fleet *fl, const char *name, const char *ver)
{
	const char *build = strcmp(ver, "v14") == 0 ? "14.3.496.0" :
	    "15.1.2507.6";
	irmf_snapshot *s = rf_add(fl, name, IRMF_ROLE_EXCHANGE, build);
	char path[200];

	rf_reg(s, K_MSDRM "\\Activation", "", TENANT "/_wmcs/certification");
	rf_reg(s, K_MSDRM "\\EnterprisePublishing", "",
	    TENANT "/_wmcs/Licensing");
	snprintf(path, sizeof(path),
	    "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\%s\\IRM\\"
	    "CertificationServerRedirection", ver);
	rf_reg(s, path, TENANT, CONN);
	snprintf(path, sizeof(path),
	    "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\%s\\IRM\\"
	    "LicenseServerRedirection", ver);
	rf_reg(s, path, TENANT, CONN);
	return s;
}

/* The documented SharePoint 2013+ configuration. */
irmf_snapshot *
rf_sp13(rf_fleet *fl, const char *name)
{
	irmf_snapshot *s = rf_add(fl, name, IRMF_ROLE_SHAREPOINT,
	    "16.0.10337.12109");

	rf_reg(s, K_MSIPC "\\EnterpriseCertification", "",
	    CONN "/_wmcs/certification");
	rf_reg(s, K_MSIPC "\\EnterprisePublishing", "", CONN "/_wmcs/licensing");
	rf_reg(s, K_MSIPC "\\LicensingRedirection", TENANT "/_wmcs/licensing",
	    CONN "/_wmcs/licensing");
	return s;
}

/* SharePoint 2010 or FCI: MSDRM keys at the connector. */
irmf_snapshot *
rf_msdrm_client(rf_fleet *fl, const char *name, unsigned roles,
    const char *build)
{
	irmf_snapshot *s = rf_add(fl, name, roles, build);

	rf_reg(s, K_MSDRM "\\Activation", "", CONN "/_wmcs/certification");
	rf_reg(s, K_MSDRM "\\EnterprisePublishing", "", CONN "/_wmcs/licensing");
	return s;
}

/* The Get-IRMConfiguration of a working connector deployment. */
void
rf_irm_ok(irmf_snapshot *s)
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

irmf_snapshot *
rf_node(rf_fleet *fl, const char *name)
{
	return rf_add(fl, name, IRMF_ROLE_CONNECTOR, NULL);
}

/* A node as collect writes it now: collected at T0, its three event
 * queries covering the whole log, a list refresh 10 minutes ago. */
irmf_snapshot *
rf_node_now(rf_fleet *fl, const char *name)
{
	irmf_snapshot *n = rf_node(fl, name);

	assert_int_equal(irmf_snapshot_set_collected_at(n, T0), 0);
	assert_int_equal(irmf_snapshot_add_event_window(n,
	    "1000 1001 1002 1003", 20, true, "2026-10-01T00:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_event_window(n, "1004", 500, false,
	    "2026-11-15T00:00:00Z"), 0);
	assert_int_equal(irmf_snapshot_add_event_window(n,
	    "2000 2001 2002 2003 3000 3001", 40, true,
	    "2026-10-01T00:00:00Z"), 0);
	rf_evt(n, 1004, "CONTOSO\\Exchange Servers", NULL, 500,
	    "2026-11-15T00:00:00Z", "2026-11-20T07:50:00Z");
	return n;
}

/* The documented authorization list: Exchange by its group, SharePoint by
 * its service account, FCI servers by a group of computer accounts. */
void
rf_auth_ok(irmf_snapshot *n)
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

void
rf_ident(irmf_snapshot *s, const char *account, const char *group,
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

void
rf_ev(irmf_snapshot *n, int id, const char *account, const char *computer,
    unsigned count)
{
	assert_int_equal(irmf_snapshot_add_event_summary(n, id, account,
	    computer, count, "2026-11-01T08:00:00Z", "2026-11-20T08:00:00Z"),
	    0);
}

void
rf_evt(irmf_snapshot *n, int id, const char *account, const char *computer,
    unsigned count, const char *first, const char *last)
{
	assert_int_equal(irmf_snapshot_add_event_summary(n, id, account,
	    computer, count, first, last), 0);
}

/* Rule ids seen (as rules, not only as not-collected) in the findings of
 * this program's rf_expect calls, for rf_assert_module_fired.  A test
 * program runs its tests one after the other: no lock needed. */
static char *seen[128];
static size_t nseen;

static void
mark_seen(const irmf_finding *f)
{
	/* a not-collected finding for the organisation is its rule's own
	 * verdict (irm-config-collected), not another rule's "not checked" */
	if (f->kind != IRMF_FIND_RULE && !(f->kind ==
	    IRMF_FIND_NOT_COLLECTED && f->server == NULL &&
	    strcmp(f->cohort, "organization") == 0))
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
void
rf_expect(rf_fleet *fl, ...)
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

const irmf_finding *
rf_find(const rf_fleet *fl, const char *rule, const char *server)
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

int
rf_setup(void **state)
{
	rf_fleet *fl = calloc(1, sizeof(*fl));

	assert_non_null(fl);
	*state = fl;
	return 0;
}

int
rf_teardown(void **state)
{
	rf_fleet *fl = *state;

	for (size_t i = 0; i < fl->n; i++)
		irmf_snapshot_free(fl->s[i]);
	irmf_findings_clear(&fl->f);
	free(fl);
	return 0;
}

/* ---------------------------------------------- which module checks */

/* Every check function of rules_int.h and the module that defines it.
 * test_rules.c asserts that every table row's check is listed here, so
 * a new check must be given a module (and so a test file). */
static const struct {
	irmf_rule_check_fn check;
	const char *module;
} check_module[] = {
	{ irmf_chk_exch_redir_present, "registry" },
	{ irmf_chk_exch_redir_tenant, "registry" },
	{ irmf_chk_exch_redir_data, "registry" },
	{ irmf_chk_exch_redir_wmcs, "registry" },
	{ irmf_chk_redir_bare_name, "registry" },
	{ irmf_chk_exch_key_version, "registry" },
	{ irmf_chk_service_location, "registry" },
	{ irmf_chk_exch_msdrm_connector, "registry" },
	{ irmf_chk_publishing_cert, "registry" },
	{ irmf_chk_msipc_redirection, "registry" },
	{ irmf_chk_connector_scheme, "registry" },
	{ irmf_chk_connector_node_name, "registry" },
	{ irmf_chk_literal_default, "registry" },
	{ irmf_chk_org_only, "org" },
	{ irmf_chk_identity, "identity" },
	{ irmf_chk_irm_value, "irm" },
	{ irmf_chk_irm_location, "irm" },
	{ irmf_chk_irm_test, "irm" },
	{ irmf_chk_product_min, "irm" },
	{ irmf_chk_msdrm_mode2, "irm" },
	{ irmf_chk_msipc_version, "irm" },
	{ irmf_chk_msipc_server_acl, "msipc" },
	{ irmf_chk_msipc_wow64, "msipc" },
	{ irmf_chk_connector_on_client, "connector" },
	{ irmf_chk_probe, "connector" },
	{ irmf_chk_fleet_unreachable, "connector" },
	{ irmf_chk_auth_nodes_agree, "auth" },
	{ irmf_chk_auth_list_empty, "auth" },
	{ irmf_chk_auth_count, "auth" },
	{ irmf_chk_auth_exchange_role, "auth" },
	{ irmf_chk_auth_same_rule, "auth" },
	{ irmf_chk_auth_derived, "auth" },
	{ irmf_chk_event_node, "events" },
	{ irmf_chk_event_2001, "events" },
	{ irmf_chk_event_no_1002, "events" },
	{ irmf_chk_event_http, "events" },
	{ irmf_chk_list_refresh, "events" },
};

const char *
rf_module_of(irmf_rule_check_fn check)
{
	for (size_t i = 0; i < sizeof(check_module) / sizeof(check_module[0]);
	    i++)
		if (check_module[i].check == check)
			return check_module[i].module;
	return NULL;
}

void
rf_assert_module_fired(const char *module)
{
	size_t n, rows = 0, missing = 0;
	const irmf_rule_info *t = irmf_rules_table(&n);

	for (size_t i = 0; i < n; i++) {
		const char *m = rf_module_of(t[i].check);
		bool found = false;
		if (m == NULL || strcmp(m, module) != 0)
			continue;
		rows++;
		for (size_t j = 0; j < nseen && !found; j++)
			found = strcmp(seen[j], t[i].id) == 0;
		if (!found) {
			fprintf(stderr, "rule %s (rules_%s.c) never fired in "
			    "a test\n", t[i].id, module);
			missing++;
		}
	}
	for (size_t j = 0; j < nseen; j++)
		free(seen[j]);
	nseen = 0;
	/* a module name with no row is a typo in the caller */
	assert_true(rows > 0);
	assert_int_equal(missing, 0);
}
