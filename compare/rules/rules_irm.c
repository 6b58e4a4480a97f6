/*
 * rules_irm.c - checks of the Get-IRMConfiguration and version rules
 * (rules.c holds the table): the IRM properties a connector deployment
 * needs, the Exchange builds the connector supports, and the RMS client
 * versions (MSDRM Mode 2, MSIPC 2.1) on the servers that use it.
 *
 * Get-IRMConfiguration describes the organization, so every Exchange
 * server shows the same values; each server is still judged on what was
 * collected from it (replication lag can make them differ, and a
 * suppression can then name the server).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "normalize.h"
#include "identity.h"
#include "rules_int.h"
#include "settings.h"

/* 1 go on, 0 skip (absent, or failed and reported), <0 error. */
static int
gate_item(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, const char *setting)
{
	const irmf_collect_error *e = irmf_setting_collect_error(s, setting);
	int rc;

	if (e == NULL)
		return 1;
	rc = irmf_rule_not_collected(run, rule, s, setting, e);
	return rc < 0 ? rc : 0;
}

static int
gate_irm(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s, const char *setting)
{
	int rc = gate_item(rule, run, s, setting);

	if (rc <= 0)
		return rc;
	return irmf_section_present(s, IRMF_SECTION_IRM) ? 1 : 0;
}

static char *
irm_setting(const char *prop)
{
	irmf_buf b = { 0 };

	irmf_buf_add(&b, "irm:");
	irmf_buf_add(&b, prop);
	return irmf_buf_take(&b);
}

/* want is "A" or "A|B|C": the value must be one of them
 * (case-insensitive). */
static bool
one_of(const char *v, const char *want)
{
	size_t n = strlen(v);

	for (const char *p = want; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t m = bar ? (size_t)(bar - p) : strlen(p);
		if (m == n && strncasecmp(p, v, n) == 0)
			return true;
		p = bar ? bar + 1 : NULL;
	}
	return false;
}

int
irmf_chk_irm_value(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	char *setting = irm_setting(rule->param);
	const irmf_prop *p;
	int rc;

	if (setting == NULL)
		return IRMF_ENOMEM;
	if ((rc = gate_irm(rule, run, s, setting)) <= 0)
		goto out;
	rc = IRMF_OK;
	/* a property missing from a partial export is unknown, not wrong */
	if ((p = irmf_snapshot_prop_find(s, rule->param)) == NULL)
		goto out;
	if (!p->is_nil && p->value != NULL && one_of(p->value, rule->want))
		goto out;
	rc = irmf_rule_report(run, rule, s, setting, p->is_nil ? "$null" :
	    p->value, rule->want, NULL);
out:
	free(setting);
	return rc < 0 ? rc : IRMF_OK;
}

/* Does url name the tenant (the fleet's, or any tenant-shaped URL when
 * the fleet does not say which)? */
static bool
is_tenant_url(const irmf_rule_run *run, const char *url)
{
	if (!irmf_url_is_tenant(url))
		return false;
	return run->tenant == NULL || irmf_url_same_host(url, run->tenant);
}

/* One Location property: 1 if it should be flagged. */
static int
location_bad(const irmf_rule_run *run, const irmf_prop *p, char **shown)
{
	irmf_buf b = { 0 };
	bool any_tenant = false, any_other = false;
	bool list = p->type == IRMF_PROP_URI_LIST || p->type == IRMF_PROP_LIST;
	size_t n = list ? p->nitems : (p->value && p->value[0] ? 1 : 0);

	*shown = NULL;
	if (p->is_nil || n == 0)
		return 0;   /* not set: Exchange discovers the URLs itself */
	for (size_t i = 0; i < n; i++) {
		const char *u = list ? p->items[i] : p->value;
		if (is_tenant_url(run, u))
			any_tenant = true;
		else
			any_other = true;
		if (i > 0)
			irmf_buf_add(&b, ", ");
		irmf_buf_add(&b, u);
	}
	if ((*shown = irmf_buf_take(&b)) == NULL)
		return IRMF_ENOMEM;
	/* LicensingLocation may list AD RMS licensing URLs next to the
	 * tenant (migrated organizations); the others name one URL */
	if (strcasecmp(p->name, "LicensingLocation") == 0)
		return !any_tenant;
	return any_other;
}

int
irmf_chk_irm_location(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	static const char *const props[] = { "ServiceLocation",
	    "PublishingLocation", "LicensingLocation", NULL };
	const irmf_prop *il;
	int rc;

	if ((rc = gate_irm(rule, run, s, "irm:ServiceLocation")) <= 0)
		return rc;
	/* only a deployment that uses IRM has a tenant URL to expect */
	il = irmf_snapshot_prop_find(s, "InternalLicensingEnabled");
	if (il == NULL || il->is_nil || il->value == NULL ||
	    strcasecmp(il->value, "True") != 0)
		return IRMF_OK;
	for (size_t i = 0; props[i] && rc >= 0; i++) {
		char *setting = irm_setting(props[i]), *shown = NULL;
		const irmf_prop *p;
		if (setting == NULL)
			return IRMF_ENOMEM;
		if ((p = irmf_snapshot_prop_find(s, props[i])) != NULL &&
		    (rc = location_bad(run, p, &shown)) > 0)
			rc = irmf_rule_report(run, rule, s, setting, shown,
			    run->tenant ? run->tenant :
			    "the Microsoft RMS tenant URL", NULL);
		free(setting);
		free(shown);
	}
	return rc < 0 ? rc : IRMF_OK;
}

int
irmf_chk_irm_test(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	irmf_buf b = { 0 };
	char *val;
	int rc;

	if ((rc = gate_item(rule, run, s, "irm-test:overall")) <= 0)
		return rc < 0 ? rc : IRMF_OK;
	if (!s->has_irm_test || s->irm_test_pass)
		return IRMF_OK;
	irmf_buf_add(&b, "FAIL");
	/* the first failed step says where the path breaks */
	for (size_t i = 0; i < s->nirm_steps; i++) {
		const irmf_irm_test_step *st = &s->irm_steps[i];
		if (st->pass)
			continue;
		irmf_buf_add(&b, " at \"");
		irmf_buf_add(&b, st->check ? st->check : "");
		irmf_buf_add(&b, "\": ");
		irmf_buf_add(&b, st->message ? st->message : "");
		break;
	}
	if ((val = irmf_buf_take(&b)) == NULL)
		return IRMF_ENOMEM;
	rc = irmf_rule_report(run, rule, s, "irm-test:overall", val,
	    rule->want, NULL);
	free(val);
	return rc;
}

/* Minimum build (rule->param: the product line "14." or "15.0.",
 * rule->want: the minimum).  The build comes from the server's identity:
 * on Exchange 2010 only ExSetup.exe carries the update rollup, so a
 * service-pack-level build (Setup key, Get-ExchangeServer) is judged only
 * when even its service pack is below the minimum's; otherwise the rollup
 * is unknown and the report's identity line says so. */
int
irmf_chk_product_min(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	irmf_identity id;
	const irmf_collect_error *e;
	const char *b;
	char val[512];

	irmf_identity_of(s, &id);
	b = id.build;
	if (b[0] == '\0') {
		if ((e = irmf_snapshot_error_for(s, "exchange-server")) == NULL &&
		    (e = irmf_snapshot_error_for(s, "file:ExSetup.exe")) == NULL &&
		    (e = irmf_snapshot_error_for(s, "host")) == NULL)
			return IRMF_OK;
		return irmf_rule_not_collected(run, rule, s, "product:build", e);
	}
	if (strncmp(b, rule->param, strlen(rule->param)) != 0)
		return IRMF_OK;
	if (id.build_exact) {
		if (irmf_version_cmp(b, rule->want) >= 0)
			return IRMF_OK;
		snprintf(val, sizeof(val), "%s (%s)", b, id.build_source);
	} else {
		unsigned long have[4], want[4];
		if (irmf_version_parse(b, have) < 0 ||
		    irmf_version_parse(rule->want, want) < 0 ||
		    have[0] > want[0] || (have[0] == want[0] &&
		    have[1] >= want[1]))
			return IRMF_OK;
		snprintf(val, sizeof(val), "%s (%s: service pack level; "
		    "already below the minimum's service pack)", b,
		    id.build_source);
	}
	return irmf_rule_report(run, rule, s, "product:build", val, rule->want,
	    NULL);
}

/* GenConnectorConfig's Mode 2 test of msdrm.dll (KB 2627272/2627273). */
static bool
msdrm_mode2(const unsigned long v[4])
{
	if (v[0] < 6)
		return false;
	if (v[0] > 6 || v[1] >= 2)
		return true;
	if (v[1] == 0)
		return v[2] > 6002 || (v[2] == 6002 && v[3] >= 22761);
	return v[2] > 7600 || (v[2] == 7600 && v[3] >= 17000);
}

int
irmf_chk_msdrm_mode2(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	const irmf_file_version *f;
	unsigned long v[4];
	int rc;

	if ((rc = gate_item(rule, run, s, "file:msdrm.dll")) <= 0)
		return rc < 0 ? rc : IRMF_OK;
	f = irmf_snapshot_file_find(s, "msdrm.dll");
	if (f == NULL || irmf_version_parse(f->version, v) < 0 ||
	    msdrm_mode2(v))
		return IRMF_OK;
	return irmf_rule_report(run, rule, s, "file:msdrm.dll", f->version,
	    rule->want, NULL);
}

int
irmf_chk_msipc_version(const irmf_rule_info *rule, irmf_rule_run *run,
    const irmf_snapshot *s)
{
	static const char cv[] = "HKLM\\SOFTWARE\\Microsoft\\MSIPC\\CurrentVersion";
	const irmf_file_version *f = irmf_snapshot_file_find(s, "msipc.dll");
	const irmf_collect_error *e;
	const char *ver = NULL, *setting = "file:msipc.dll";
	char regset[96];

	if (f != NULL && f->version != NULL)
		ver = f->version;
	if (ver == NULL &&
	    (ver = irmf_rule_reg_str(run, s, cv, "")) != NULL) {
		snprintf(regset, sizeof(regset), "reg:%s\\(default)", cv);
		setting = regset;
	}
	if (ver == NULL) {
		/* neither source: not checked if either failed, else unknown */
		snprintf(regset, sizeof(regset), "reg:%s\\(default)", cv);
		if ((e = irmf_setting_collect_error(s, "file:msipc.dll")) ==
		    NULL && (e = irmf_setting_collect_error(s, regset)) == NULL)
			return IRMF_OK;
		return irmf_rule_not_collected(run, rule, s, setting, e);
	}
	if (irmf_version_cmp(ver, rule->want) >= 0)
		return IRMF_OK;
	/* the "supported" row leaves versions below the hard floor to the
	 * error row */
	if (rule->param != NULL && irmf_version_cmp(ver, rule->param) < 0)
		return IRMF_OK;
	return irmf_rule_report(run, rule, s, setting, ver, rule->want, NULL);
}
